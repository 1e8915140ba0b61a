// A local stand-in of the GitLab REST API's merge-request notes: enough for the health note
// (list, create, edit), checking every request (token header, project, merge request, JSON
// body) and refusing anything else, so a wrong call fails the test instead of passing silently.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ApiCall = { method: string; path: string; query: Record<string, string>; body: unknown };
export type Note = { id: number; body: string; system: boolean; author: { username: string } };

export type GitlabApiStandIn = {
  url: string;
  calls: ApiCall[];
  notes: Note[];
  /** Requests refused (wrong token, unknown route): each with the reason. */
  refused: string[];
  close(): Promise<void>;
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startGitlabApi(options: {
  token: string;
  projectId: string;
  mrIid: number;
  notes?: Note[];
}): Promise<GitlabApiStandIn> {
  const calls: ApiCall[] = [];
  const refused: string[] = [];
  const notes: Note[] = [...(options.notes ?? [])];
  let nextId = 1000;
  const base = `/api/v4/projects/${encodeURIComponent(options.projectId)}/merge_requests/${options.mrIid}/notes`;
  const server = createServer((req, res) => {
    const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(value));
    };
    const refuse = (status: number, reason: string) => {
      refused.push(`${req.method} ${req.url}: ${reason}`);
      send(status, { message: reason });
    };
    readBody(req)
      .then((raw) => {
        const url = new URL(req.url ?? '/', 'http://stand-in');
        let body: unknown = null;
        if (raw !== '') {
          try {
            body = JSON.parse(raw);
          } catch {
            return refuse(400, 'body is not JSON');
          }
        }
        calls.push({
          method: req.method ?? '',
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          body,
        });
        if (req.headers['private-token'] !== options.token) return refuse(401, '401 Unauthorized');
        if (req.method === 'GET' && url.pathname === base) {
          const perPage = Number(url.searchParams.get('per_page') ?? '20');
          const page = Number(url.searchParams.get('page') ?? '1');
          const slice = notes.slice((page - 1) * perPage, page * perPage);
          const totalPages = Math.max(1, Math.ceil(notes.length / perPage));
          return send(200, slice, {
            'x-page': String(page),
            'x-per-page': String(perPage),
            'x-total': String(notes.length),
            'x-total-pages': String(totalPages),
            'x-next-page': page < totalPages ? String(page + 1) : '',
          });
        }
        if (req.method === 'POST' && url.pathname === base) {
          const text = (body as { body?: unknown } | null)?.body;
          if (typeof text !== 'string' || text === '') return refuse(400, 'body is missing');
          const note: Note = { id: nextId++, body: text, system: false, author: { username: 'project_bot' } };
          notes.push(note);
          return send(201, note);
        }
        const edit = new RegExp(`^${base.replace(/[/.]/g, '\\$&')}/([0-9]+)$`).exec(url.pathname);
        if (req.method === 'PUT' && edit) {
          const note = notes.find((n) => n.id === Number(edit[1]));
          if (!note) return refuse(404, '404 Not found');
          const text = (body as { body?: unknown } | null)?.body;
          if (typeof text !== 'string' || text === '') return refuse(400, 'body is missing');
          note.body = text;
          return send(200, note);
        }
        return refuse(404, `no such route in the stand-in`);
      })
      .catch((err: unknown) => refuse(500, String(err)));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    notes,
    refused,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
