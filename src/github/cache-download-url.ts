// The cache service v2's GetCacheEntryDownloadURL (Twirp, JSON over POST, the job's runtime
// token as bearer), as @actions/cache 6.3 calls it, asked by our streamed restore itself. The
// answer's signed URL is a credential (a SAS token): it is never logged, and only an https URL
// (or plain http to this machine's loopback, where the runner's stand-ins live) is accepted.
import type { IncomingMessage } from 'node:http';
import { httpRequest, loadHttpsRequest } from '../net/node-http.ts';

const METHOD_PATH = '/twirp/github.actions.results.api.v1.CacheService/GetCacheEntryDownloadURL';
const TIMEOUT_MS = 30_000;
/** An answer is a few hundred bytes; a long one is not the service's. */
const MAX_ANSWER_BYTES = 64 * 1024;

export type CacheService = { baseUrl: string; runtimeToken: string };

export type DownloadUrlAnswer =
  | { kind: 'miss' }
  | { kind: 'hit'; matchedKey: string; url: URL }
  /** The URL is not one we send a request to: a miss, never a fallback (that would fetch it too). */
  | { kind: 'refused'; why: string }
  /** Anything else (no answer, an error status, a body not as expected): @actions/cache decides. */
  | { kind: 'unexpected'; why: string };

/** https, or http to a loopback address: the only URLs a credential is sent to. */
export function acceptableUrl(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  if (url.protocol !== 'http:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** GET or POST with node's own client (node:http for loopback, node:https otherwise). */
export function sendRequest(
  url: URL,
  options: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string; signal?: AbortSignal },
): Promise<IncomingMessage> {
  const send = url.protocol === 'https:' ? loadHttpsRequest() : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method: options.method, headers: options.headers, signal: options.signal },
      resolve,
    );
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

async function readLimited(res: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > MAX_ANSWER_BYTES) {
      res.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One field by its proto name or its JSON name (both are valid Twirp JSON). */
function field(body: Record<string, unknown>, proto: string, json: string): unknown {
  return body[proto] ?? body[json];
}

export async function getCacheEntryDownloadUrl(
  service: CacheService,
  request: { key: string; restoreKeys: string[]; version: string },
): Promise<DownloadUrlAnswer> {
  // As @actions/cache resolves it: the method path from the URL's root.
  const url = new URL(METHOD_PATH, service.baseUrl);
  if (!acceptableUrl(url))
    return { kind: 'unexpected', why: 'the cache service URL is neither https nor loopback' };
  // Proto field names, default values left out, as @actions/cache's generated client sends them.
  const body = JSON.stringify({
    key: request.key,
    ...(request.restoreKeys.length > 0 ? { restore_keys: request.restoreKeys } : {}),
    version: request.version,
  });
  let text: string | undefined;
  let status = 0;
  try {
    const res = await sendRequest(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${service.runtimeToken}`,
        'user-agent': 'goproxy-action',
      },
      body,
    });
    status = res.statusCode ?? 0;
    text = await readLimited(res);
  } catch (err) {
    // Node's messages name the host at most, never the token (sent in a header).
    return { kind: 'unexpected', why: `GetCacheEntryDownloadURL failed: ${(err as Error).message}` };
  }
  // Never the body in a message: short of a token it could echo anything.
  if (status < 200 || status > 299)
    return { kind: 'unexpected', why: `GetCacheEntryDownloadURL answered ${status}` };
  let answer: Record<string, unknown>;
  try {
    answer = JSON.parse(text ?? '') as Record<string, unknown>;
  } catch {
    return { kind: 'unexpected', why: 'GetCacheEntryDownloadURL answered with a body that is not JSON' };
  }
  if (typeof answer !== 'object' || answer === null)
    return { kind: 'unexpected', why: 'answer not an object' };
  const ok = answer.ok;
  if (ok === false || ok === undefined) return { kind: 'miss' };
  const matchedKey = field(answer, 'matched_key', 'matchedKey');
  const signed = field(answer, 'signed_download_url', 'signedDownloadUrl');
  if (ok !== true || typeof matchedKey !== 'string' || matchedKey === '' || typeof signed !== 'string')
    return { kind: 'unexpected', why: 'GetCacheEntryDownloadURL answered without a key or URL' };
  let parsed: URL;
  try {
    parsed = new URL(signed);
  } catch {
    return { kind: 'unexpected', why: 'GetCacheEntryDownloadURL answered a URL that does not parse' };
  }
  // The scheme and host only: the rest of the URL is the credential.
  if (!acceptableUrl(parsed))
    return {
      kind: 'refused',
      why: `the download URL is ${parsed.protocol}//${parsed.host}, neither https nor loopback`,
    };
  return { kind: 'hit', matchedKey, url: parsed };
}
