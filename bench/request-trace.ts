// A recording pass-through proxy for benchmarks: put in front of a module proxy, it forwards
// every GET unchanged and records, per request, when it started, when the peer's headers came
// (time to first byte: the peer's own fetch on a miss) and when the body ended (the client's
// read), so a client's run (our prewarm, the go command) can be broken down request by request.
// It adds one local hop to both runs alike; the bench prints traced and untraced rounds apart.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { Agent, type Dispatcher, request } from 'undici';

export type TracedRequest = {
  kind: 'info' | 'mod' | 'zip' | 'list' | 'latest' | 'sumdb' | 'other';
  /** The module version (module@version) a .info/.mod/.zip request is for. */
  target: string;
  status: number;
  /** Milliseconds since the trace was reset. */
  start: number;
  headers: number;
  end: number;
  bytes: number;
};

export type RequestTrace = {
  url: string;
  requests: TracedRequest[];
  reset(): void;
  close(): Promise<void>;
};

function kindOf(path: string): { kind: TracedRequest['kind']; target: string } {
  if (path.startsWith('/sumdb/')) return { kind: 'sumdb', target: '' };
  const m = /^\/(.+)\/@v\/(.+)\.(info|mod|zip)$/.exec(path);
  if (m) return { kind: m[3] as 'info' | 'mod' | 'zip', target: `${m[1]}@${m[2]}` };
  if (path.endsWith('/@v/list')) return { kind: 'list', target: '' };
  if (path.endsWith('/@latest')) return { kind: 'latest', target: '' };
  return { kind: 'other', target: '' };
}

export async function startRequestTrace(peerUrl: string): Promise<RequestTrace> {
  const agent = new Agent({ connections: 256, headersTimeout: 0, bodyTimeout: 0 });
  let origin = performance.now();
  const requests: TracedRequest[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const start = performance.now() - origin;
    const entry: TracedRequest = { ...kindOf(path), status: 0, start, headers: start, end: start, bytes: 0 };
    requests.push(entry);
    void (async () => {
      try {
        const answer = await request(`${peerUrl}${path}`, {
          method: 'GET',
          dispatcher: agent as Dispatcher,
          headers: { 'user-agent': req.headers['user-agent'] ?? '' },
        });
        entry.headers = performance.now() - origin;
        entry.status = answer.statusCode;
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(answer.headers)) {
          if (value === undefined || name === 'connection' || name === 'keep-alive') continue;
          if (name === 'transfer-encoding') continue;
          headers[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        res.writeHead(answer.statusCode, headers);
        answer.body.on('data', (chunk: Buffer) => {
          entry.bytes += chunk.length;
        });
        await pipeline(answer.body, res);
      } catch {
        if (!res.headersSent) res.writeHead(502).end();
        else res.destroy();
      } finally {
        entry.end = performance.now() - origin;
      }
    })();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reset() {
      requests.length = 0;
      origin = performance.now();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await agent.close();
    },
  };
}

const s = (ms: number) => (ms / 1000).toFixed(1);

/**
 * One paragraph per run: when the first request came (planning before it), the span of the
 * requests, how many were in flight on average and at most, and per kind the count, the summed
 * time to first byte (waiting on the peer) and the summed body time (reading).
 */
export function summarizeTrace(requests: readonly TracedRequest[], wallMs: number): string {
  if (requests.length === 0) return 'no requests';
  const first = Math.min(...requests.map((r) => r.start));
  const last = Math.max(...requests.map((r) => r.end));
  const busy = requests.reduce((sum, r) => sum + (r.end - r.start), 0);
  const events: [number, number][] = [];
  for (const r of requests) events.push([r.start, 1], [r.end, -1]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let inFlight = 0;
  let peak = 0;
  for (const [, delta] of events) {
    inFlight += delta;
    peak = Math.max(peak, inFlight);
  }
  const kinds = new Map<string, { n: number; ttfb: number; body: number; bytes: number; slow: number }>();
  for (const r of requests) {
    const k = kinds.get(r.kind) ?? { n: 0, ttfb: 0, body: 0, bytes: 0, slow: 0 };
    k.n++;
    k.ttfb += r.headers - r.start;
    k.body += r.end - r.headers;
    k.bytes += r.bytes;
    // A first byte after more than 100 ms: the peer fetched (a miss) rather than served from disk.
    if (r.headers - r.start > 100) k.slow++;
    kinds.set(r.kind, k);
  }
  const perKind = [...kinds.entries()]
    .map(
      ([kind, k]) =>
        `${kind} ${k.n} (${k.slow} waited >100ms) ttfb ${s(k.ttfb)} s body ${s(k.body)} s ${(k.bytes / 2 ** 20).toFixed(0)} MiB`,
    )
    .join('; ');
  // The time in which at least one request was in flight, and the gaps (client-side work).
  let covered = 0;
  let coverEnd = -1;
  for (const r of [...requests].sort((a, b) => a.start - b.start)) {
    if (r.start > coverEnd) {
      covered += r.end - r.start;
      coverEnd = r.end;
    } else if (r.end > coverEnd) {
      covered += r.end - coverEnd;
      coverEnd = r.end;
    }
  }
  return (
    `${requests.length} requests from ${s(first)} s to ${s(last)} s of ${s(wallMs)} s wall; ` +
    `in flight: mean ${(busy / (last - first)).toFixed(1)}, peak ${peak}; ` +
    `no request in flight for ${s(last - first - covered)} s between; ${perKind}`
  );
}
