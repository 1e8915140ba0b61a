// prewarm's GitLab source against a local stand-in of the GitLab API: the exact requests
// @gitbeaker/rest makes (project and tree pagination, subgroups, archived projects skipped, a
// project without go.sum, a repository with nested modules and a go.work.sum, vendor/ and
// testdata/ left alone), then the modules of the go.sum files read are warmed on the (fixture)
// proxy.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type FixtureProxy, startFixtureProxy } from '../support/fixture-proxy.ts';
import { createFixtureWorld, type FixtureWorld } from '../support/fixture-world.ts';
import { type GitlabApiStandIn, startGitlabApiStandIn } from '../support/gitlab-api-stand-in.ts';
import { makeTempDir } from '../support/go-env.ts';
import { prewarmEnv, runPrewarmCli } from '../support/prewarm-cli.ts';

const token = 'glpat-stand-in-token-0123456789';
let world: FixtureWorld;
let proxy: FixtureProxy;
let gitlab: GitlabApiStandIn;

function goSumOf(...modules: string[]): string {
  return `${world.goSum
    .split('\n')
    .filter((l) => modules.some((m) => l.startsWith(`${m} `)))
    .join('\n')}\n`;
}

before(async () => {
  world = await createFixtureWorld();
  proxy = await startFixtureProxy({ dir: world.dir });
  const r = world.roles;
  gitlab = await startGitlabApiStandIn({
    token,
    // Pages of two: three pages for the group with its subgroup.
    maxPerPage: 2,
    // The first test's four projects are read at once: their first tree pages are answered only
    // when all four were asked.
    treeGate: 4,
    projects: [
      {
        id: 11,
        pathWithNamespace: 'acme/app',
        defaultBranch: 'main',
        archived: false,
        files: {
          // Several modules in one repository: the root one, a nested one, a workspace sum; a
          // vendored and a testdata go.sum the go command never reads.
          main: {
            'go.sum': goSumOf(r.majorV1.path),
            'main.go': 'package main\n',
            'cmd/tool/go.mod': 'module example.com/app/cmd/tool\n',
            'cmd/tool/go.sum': goSumOf(r.incompatible.path),
            'go.work.sum': goSumOf(r.pseudo.path),
            'vendor/example.com/x/go.sum': goSumOf(r.retracted.path),
            'internal/testdata/mod/go.sum': goSumOf(r.retracted.path),
          },
          'release-1': { 'go.sum': goSumOf(r.several.path) },
        },
      },
      {
        id: 12,
        pathWithNamespace: 'acme/attic',
        defaultBranch: 'main',
        archived: true,
        files: { main: { 'go.sum': goSumOf(r.retracted.path) } },
      },
      {
        id: 13,
        pathWithNamespace: 'acme/docs',
        defaultBranch: 'main',
        archived: false,
        files: { main: { 'README.md': 'no Go here\n' } },
      },
      {
        id: 14,
        pathWithNamespace: 'acme/tools',
        defaultBranch: 'main',
        archived: false,
        files: { main: { 'go.sum': goSumOf(r.noGoMod.path) } },
      },
      {
        id: 21,
        pathWithNamespace: 'acme/platform/svc',
        defaultBranch: 'trunk',
        archived: false,
        files: { trunk: { 'go.sum': goSumOf(r.majorV2.path) } },
      },
      {
        id: 31,
        pathWithNamespace: 'other/lib',
        defaultBranch: 'main',
        archived: false,
        files: { main: { 'go.sum': goSumOf(r.upperCase.path) } },
      },
    ],
  });
});
after(async () => {
  await gitlab?.close();
  await proxy?.close();
  await world?.remove();
});

function run(args: string[]) {
  return runPrewarmCli(
    ['--proxy', proxy.url, '--gitlab-url', gitlab.url, '--gitlab-token-env', 'GL_TOKEN', ...args],
    {
      cwd: makeTempDir('gl-cwd'),
      env: prewarmEnv({ GL_TOKEN: token }),
    },
  );
}

/** A recursive tree listing request: the first page, or the one after the entry `after` (keyset). */
const tree = (id: number, ref: string, after?: string) =>
  after === undefined
    ? `GET /api/v4/projects/${id}/repository/tree?recursive=true&ref=${ref}&per_page=100&pagination=keyset`
    : `GET /api/v4/projects/${id}/repository/tree?id=${id}&page=1&page_token=${Buffer.from(after).toString('base64url')}&pagination=keyset&per_page=100&recursive=true&ref=${ref}`;

const shown = (g: GitlabApiStandIn) =>
  g.requests.map(
    (r) => `${r.method} ${r.path}${Object.keys(r.query).length ? `?${new URLSearchParams(r.query)}` : ''}`,
  );

/**
 * The requests with each project's repository reads grouped by project ID, each group in the order
 * it was asked: projects are read in parallel, each one's requests in sequence.
 */
const perProject = (g: GitlabApiStandIn) => {
  const lines = shown(g);
  const projectOf = (line: string) => /\/projects\/(\d+)\/repository\//.exec(line)?.[1];
  const repository = lines.filter((l) => projectOf(l) !== undefined);
  return [
    ...lines.filter((l) => projectOf(l) === undefined),
    ...repository.sort((a, b) => Number(projectOf(a)) - Number(projectOf(b))),
  ];
};

test('a group with subgroups, plus a listed archived project: pages followed, archived skipped, no go.sum tolerated', async () => {
  gitlab.requests.length = 0;
  proxy.resetLog();
  const result = await run(['--gitlab-group', 'acme', '--gitlab-subgroups', '--gitlab-project', '12']);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  // The four projects' trees were asked for before any of them was answered.
  assert.equal(gitlab.treeGate(), 'together');
  assert.deepEqual(perProject(gitlab), [
    'GET /api/v4/groups/acme/projects?include_subgroups=true&archived=false&per_page=100',
    'GET /api/v4/groups/acme/projects?include_subgroups=true&archived=false&per_page=2&page=2',
    'GET /api/v4/projects/12',
    // acme/app: 15 tree entries, two a page: every page, then the three sums outside vendor/testdata.
    tree(11, 'main'),
    tree(11, 'main', 'cmd/tool'),
    tree(11, 'main', 'cmd/tool/go.sum'),
    tree(11, 'main', 'go.work.sum'),
    tree(11, 'main', 'internal/testdata'),
    tree(11, 'main', 'internal/testdata/mod/go.sum'),
    tree(11, 'main', 'vendor'),
    tree(11, 'main', 'vendor/example.com/x'),
    'GET /api/v4/projects/11/repository/files/cmd%2Ftool%2Fgo.sum/raw?ref=main',
    'GET /api/v4/projects/11/repository/files/go.sum/raw?ref=main',
    'GET /api/v4/projects/11/repository/files/go.work.sum/raw?ref=main',
    // acme/docs: no go.sum anywhere, nothing read.
    tree(13, 'main'),
    tree(14, 'main'),
    'GET /api/v4/projects/14/repository/files/go.sum/raw?ref=main',
    tree(21, 'trunk'),
    'GET /api/v4/projects/21/repository/files/go.sum/raw?ref=trunk',
  ]);
  assert.ok(gitlab.requests.every((r) => r.token === token));
  const r = world.roles;
  assert.deepEqual(
    result.report?.modules.map((m) => `${m.module}@${m.version} ${m.sources.join(',')}`),
    [
      `${r.majorV1.path}@v1.5.0 gitlab:acme/app@main/go.sum:1,gitlab:acme/app@main/go.sum:2`,
      `${r.majorV2.path}@${r.majorV2.required} gitlab:acme/platform/svc@trunk/go.sum:1,gitlab:acme/platform/svc@trunk/go.sum:2`,
      `${r.noGoMod.path}@v1.0.0 gitlab:acme/tools@main/go.sum:1,gitlab:acme/tools@main/go.sum:2`,
      `${r.pseudo.path}@${r.pseudo.required} gitlab:acme/app@main/go.work.sum:1,gitlab:acme/app@main/go.work.sum:2`,
      `${r.incompatible.path}@${r.incompatible.required} gitlab:acme/app@main/cmd/tool/go.sum:1,gitlab:acme/app@main/cmd/tool/go.sum:2`,
    ],
  );
  assert.equal(result.report?.totals.failed, 0);
  // The archived project's modules, and the vendored and testdata go.sum's, were never asked for.
  assert.equal(proxy.requestsFor(r.retracted.path).length, 0);
  // The token appears nowhere in the output or the report.
  assert.ok(
    !`${result.stdout}${result.stderr}${JSON.stringify(result.report)}${result.markdown}`.includes(token),
  );
});

test('without --gitlab-subgroups the subgroup project is left out; --gitlab-ref reads another ref', async () => {
  gitlab.requests.length = 0;
  const result = await run(['--gitlab-group', 'acme', '--gitlab-ref', 'release-1']);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.deepEqual(perProject(gitlab), [
    'GET /api/v4/groups/acme/projects?include_subgroups=false&archived=false&per_page=100',
    'GET /api/v4/groups/acme/projects?include_subgroups=false&archived=false&per_page=2&page=2',
    tree(11, 'release-1'),
    'GET /api/v4/projects/11/repository/files/go.sum/raw?ref=release-1',
    // No release-1 in these two: their tree is 404, noted, not an error.
    tree(13, 'release-1'),
    tree(14, 'release-1'),
  ]);
  assert.deepEqual(
    result.report?.modules.map((m) => `${m.module}@${m.version}`),
    [`${world.roles.several.path}@${world.roles.several.required}`],
  );
});

test('a subgroup given by path is URL-encoded; a wrong token fails with a clear message and no token shown', async () => {
  gitlab.requests.length = 0;
  const result = await run(['--gitlab-group', 'acme/platform']);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.equal(
    shown(gitlab)[0],
    'GET /api/v4/groups/acme%2Fplatform/projects?include_subgroups=false&archived=false&per_page=100',
  );
  const denied = await runPrewarmCli(
    ['--proxy', proxy.url, '--gitlab-url', gitlab.url, '--gitlab-group', 'acme'],
    {
      cwd: makeTempDir('gl-cwd'),
      env: prewarmEnv({ GITLAB_TOKEN: 'glpat-wrong-token-abcdef' }),
    },
  );
  assert.equal(denied.code, 1);
  assert.match(
    denied.stderr,
    /^goproxy-action prewarm: GitLab API: listing the projects of group acme: .*401.*the token was refused/m,
  );
  assert.ok(!denied.stderr.includes('glpat-wrong-token-abcdef'));
  const missing = await runPrewarmCli(
    ['--proxy', proxy.url, '--gitlab-url', gitlab.url, '--gitlab-group', 'acme'],
    {
      cwd: makeTempDir('gl-cwd'),
      env: prewarmEnv(),
    },
  );
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /\$GITLAB_TOKEN is empty/);
});

test('a GitLab without keyset tree pages (before 17.1): numbered tree pages are followed; nested go.sum files read', async () => {
  const r = world.roles;
  const old = await startGitlabApiStandIn({
    token,
    maxPerPage: 2,
    keysetTrees: false,
    projects: [
      {
        id: 41,
        pathWithNamespace: 'legacy/mono',
        defaultBranch: 'master',
        archived: false,
        files: {
          master: {
            'a/go.sum': goSumOf(r.majorV1.path),
            'b/c/go.sum': goSumOf(r.upperCase.path),
            'b/vendor/go.sum': goSumOf(r.retracted.path),
          },
        },
      },
    ],
  });
  try {
    const result = await runPrewarmCli(
      [
        '--proxy',
        proxy.url,
        '--gitlab-url',
        old.url,
        '--gitlab-token-env',
        'GL_TOKEN',
        '--gitlab-project',
        '41',
      ],
      { cwd: makeTempDir('gl-cwd'), env: prewarmEnv({ GL_TOKEN: token }) },
    );
    assert.equal(result.code, 0, result.stdout + result.stderr);
    // Entries: a, a/go.sum, b, b/c, b/c/go.sum, b/vendor, b/vendor/go.sum: four pages of two.
    const pages = [2, 3, 4].map(
      (page) =>
        `GET /api/v4/projects/41/repository/tree?recursive=true&ref=master&per_page=2&pagination=keyset&page=${page}`,
    );
    assert.deepEqual(shown(old), [
      'GET /api/v4/projects/41',
      'GET /api/v4/projects/41/repository/tree?recursive=true&ref=master&per_page=100&pagination=keyset',
      ...pages,
      'GET /api/v4/projects/41/repository/files/a%2Fgo.sum/raw?ref=master',
      'GET /api/v4/projects/41/repository/files/b%2Fc%2Fgo.sum/raw?ref=master',
    ]);
    assert.deepEqual(
      result.report?.modules.map((m) => `${m.module}@${m.version} ${m.sources[0]}`),
      [
        `${r.upperCase.path}@${r.upperCase.required} gitlab:legacy/mono@master/b/c/go.sum:1`,
        `${r.majorV1.path}@v1.5.0 gitlab:legacy/mono@master/a/go.sum:1`,
      ],
    );
  } finally {
    await old.close();
  }
});
