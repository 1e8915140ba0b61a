// The package ships no types: the shape its README documents.
declare module 'parse-prometheus-text-format' {
  export default function parsePrometheusTextFormat(text: string): {
    name: string;
    help: string;
    type: string;
    metrics: { value?: string; labels?: Record<string, string>; [key: string]: unknown }[];
  }[];
}
