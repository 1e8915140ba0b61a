// A local stand-in for the parts of the GitLab REST API (v4) that prewarm's GitLab source reads:
// a group's projects (offset pagination with Link headers, include_subgroups, archived filter),
// one project, a repository's tree at a ref (recursive or not; keyset pages with a page_token
// Link like GitLab 17.1+, numbered pages otherwise), and a repository file's raw content at a ref. It answers like GitLab and logs
// every request exactly as received, so tests can pin down what @gitbeaker/rest asks for.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type StandInProject = {
  id: number;
  /** e.g. acme/sub/app */
  pathWithNamespace: string;
  defaultBranch: string | null;
  archived: boolean;
  /** Files by ref, then path. */
  files: Record<string, Record<string, string>>;
};

export type StandInRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  token: string | null;
};

export type GitlabApiStandIn = {
  url: string;
  requests: StandInRequest[];
  /** With the treeGate option: 'together' once the projects asked at once, 'timeout' if not. */
  treeGate(): 'waiting' | 'together' | 'timeout';
  close(): Promise<void>;
};

export async function startGitlabApiStandIn(options: {
  projects: StandInProject[];
  token: string;
  /** GitLab's own maximum per page is 100; smaller here to exercise pagination. */
  maxPerPage?: number;
  /** False: answer tree listings with numbered pages even when keyset is asked (GitLab before 17.1). */
  keysetTrees?: boolean;
  /**
   * Holds every first tree page until this many projects asked for theirs (or 10 s passed, so a
   * client reading one project at a time is not stuck): `treeGate()` then says which it was.
   */
  treeGate?: number;
}): Promise<GitlabApiStandIn> {
  const requests: StandInRequest[] = [];
  const maxPerPage = options.maxPerPage ?? 100;
  const json = (
    res: import('node:http').ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const projectJson = (p: StandInProject) => ({
    id: p.id,
    path_with_namespace: p.pathWithNamespace,
    default_branch: p.defaultBranch,
    archived: p.archived,
    name: p.pathWithNamespace.split('/').at(-1),
  });
  const groupOf = (p: StandInProject) => p.pathWithNamespace.split('/').slice(0, -1).join('/');
  const findProject = (id: string) =>
    options.projects.find((p) => String(p.id) === id || p.pathWithNamespace === id);

  /** Files and the directories above them, as GitLab lists a tree (path order here). */
  const treeOf = (project: StandInProject, ref: string, recursive: boolean) => {
    const files = Object.keys(project.files[ref] ?? {});
    const entries = new Map<string, 'blob' | 'tree'>();
    for (const file of files) {
      const parts = file.split('/');
      for (let i = 1; i < parts.length; i++) entries.set(parts.slice(0, i).join('/'), 'tree');
      entries.set(file, 'blob');
    }
    return [...entries.entries()]
      .filter(([path]) => recursive || !path.includes('/'))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, type]) => ({
        id: Buffer.from(`${type}:${path}`).toString('hex').slice(0, 40).padEnd(40, '0'),
        name: path.split('/').at(-1),
        type,
        path,
        mode: type === 'tree' ? '040000' : '100644',
      }));
  };

  let gate: 'waiting' | 'together' | 'timeout' = 'waiting';
  const gated: (() => void)[] = [];
  const gatedProjects = new Set<string>();
  let gateTimer: NodeJS.Timeout | null = null;
  const openGate = (how: 'together' | 'timeout') => {
    if (gate !== 'waiting') return;
    gate = how;
    if (gateTimer) clearTimeout(gateTimer);
    for (const answer of gated.splice(0)) answer();
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    // The raw path: GitLab ids and file paths arrive URL-encoded (acme%2Fsub, go.sum).
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const token = (req.headers['private-token'] as string | undefined) ?? null;
    requests.push({ method: req.method ?? '', path, query, token });
    const firstTreePage = /^\/api\/v4\/projects\/([^/]+)\/repository\/tree$/.exec(path);
    if (options.treeGate && gate === 'waiting' && firstTreePage && !query.page_token && !query.page) {
      gated.push(() => respond(req, res, url, path, query, token));
      gatedProjects.add(firstTreePage[1] as string);
      gateTimer ??= setTimeout(() => openGate('timeout'), 10_000);
      if (gatedProjects.size >= options.treeGate) openGate('together');
      return;
    }
    respond(req, res, url, path, query, token);
  });

  function respond(
    req: import('node:http').IncomingMessage,
    res: import('node:http').ServerResponse,
    url: URL,
    path: string,
    query: Record<string, string>,
    token: string | null,
  ): unknown {
    if (token !== options.token) return json(res, 401, { message: '401 Unauthorized' });
    let match = /^\/api\/v4\/groups\/([^/]+)\/projects$/.exec(path);
    if (match) {
      const group = decodeURIComponent(match[1] as string);
      const subgroups = query.include_subgroups === 'true';
      let list = options.projects.filter(
        (p) => groupOf(p) === group || (subgroups && groupOf(p).startsWith(`${group}/`)),
      );
      if (query.archived === 'false') list = list.filter((p) => !p.archived);
      if (query.archived === 'true') list = list.filter((p) => p.archived);
      list.sort((a, b) => a.id - b.id);
      const perPage = Math.min(Number(query.per_page ?? 20), maxPerPage);
      const page = Number(query.page ?? 1);
      const slice = list.slice((page - 1) * perPage, page * perPage);
      const headers: Record<string, string> = {
        'x-page': String(page),
        'x-per-page': String(perPage),
        'x-total': String(list.length),
        'x-total-pages': String(Math.max(1, Math.ceil(list.length / perPage))),
      };
      if (page * perPage < list.length) {
        const next = new URL(url);
        next.host = req.headers.host ?? next.host;
        next.protocol = 'http:';
        next.searchParams.set('page', String(page + 1));
        next.searchParams.set('per_page', String(perPage));
        headers['x-next-page'] = String(page + 1);
        headers.link = `<${next.toString()}>; rel="next"`;
      }
      return json(res, 200, slice.map(projectJson), headers);
    }
    match = /^\/api\/v4\/projects\/([^/]+)$/.exec(path);
    if (match) {
      const project = findProject(decodeURIComponent(match[1] as string));
      return project
        ? json(res, 200, projectJson(project))
        : json(res, 404, { message: '404 Project Not Found' });
    }
    match = /^\/api\/v4\/projects\/([^/]+)\/repository\/tree$/.exec(path);
    if (match) {
      const project = findProject(decodeURIComponent(match[1] as string));
      if (!project) return json(res, 404, { message: '404 Project Not Found' });
      const ref = query.ref ?? project.defaultBranch ?? '';
      if (!project.files[ref]) return json(res, 404, { message: '404 Tree Not Found' });
      const tree = treeOf(project, ref, query.recursive === 'true');
      const perPage = Math.min(Number(query.per_page ?? 20), maxPerPage);
      const base = `http://${req.headers.host}${path}`;
      if (query.pagination === 'keyset' && options.keysetTrees !== false) {
        // GitLab's keyset Link: the request's parameters (sorted, with id and page=1) plus a
        // page_token naming the last entry served.
        const after = query.page_token ? Buffer.from(query.page_token, 'base64url').toString('utf8') : null;
        const start = after === null ? 0 : tree.findIndex((e) => e.path === after) + 1;
        const slice = tree.slice(start, start + perPage);
        const headers: Record<string, string> = {};
        if (start + perPage < tree.length) {
          const params = new URLSearchParams({
            ...query,
            id: String(project.id),
            page: '1',
            page_token: Buffer.from(slice.at(-1)?.path ?? '').toString('base64url'),
          });
          params.sort();
          headers.link = `<${base}?${params}>; rel="next"`;
        }
        return json(res, 200, slice, headers);
      }
      const page = Number(query.page ?? 1);
      const headers: Record<string, string> = { 'x-page': String(page), 'x-per-page': String(perPage) };
      if (page * perPage < tree.length) {
        const params = new URLSearchParams({ ...query, page: String(page + 1), per_page: String(perPage) });
        headers['x-next-page'] = String(page + 1);
        headers.link = `<${base}?${params}>; rel="next"`;
      }
      return json(res, 200, tree.slice((page - 1) * perPage, page * perPage), headers);
    }
    match = /^\/api\/v4\/projects\/([^/]+)\/repository\/files\/([^/]+)\/raw$/.exec(path);
    if (match) {
      const project = findProject(decodeURIComponent(match[1] as string));
      if (!project) return json(res, 404, { message: '404 Project Not Found' });
      const file = decodeURIComponent(match[2] as string);
      const ref = query.ref ?? project.defaultBranch ?? '';
      const content = project.files[ref]?.[file];
      if (content === undefined) return json(res, 404, { message: '404 File Not Found' });
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      return res.end(content);
    }
    return json(res, 404, { message: '404 Not Found' });
  }
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    treeGate: () => gate,
    async close() {
      if (gateTimer) clearTimeout(gateTimer);
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
