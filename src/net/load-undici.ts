// undici on demand: an entry point that never makes a request (serve on a warm store, the
// action's post step without a proxy) does not pay for parsing it at start-up.
type Undici = typeof import('undici');

let loading: Promise<Undici> | null = null;

export function loadUndici(): Promise<Undici> {
  loading ??= import('undici').then(
    // In the bundle a CommonJS package imported on demand may come as { default: exports }.
    (loaded) => ('request' in loaded ? loaded : (loaded as { default: unknown }).default) as Undici,
  );
  return loading;
}
