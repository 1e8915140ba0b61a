// actionlint over the workflows under .github/workflows (and so over the example that uses the
// action). REAL NETWORK: actionlint is installed once with `go install` through the machine's
// GOPROXY (read from `go env`), and the binary is kept between runs.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { goEnv, machineGoEnv, runGo } from '../support/go-env.ts';
import { keptBetweenRuns } from '../support/kept-between-runs.ts';

const run = promisify(execFile);
const ACTIONLINT = 'github.com/rhysd/actionlint/cmd/actionlint@v1.7.12';
const binDir = join(keptBetweenRuns, 'goproxy-action-test-tools', 'actionlint-v1.7.12');
const binary = join(binDir, 'actionlint');

async function installActionlint(): Promise<void> {
  try {
    await access(binary);
    return;
  } catch {
    // not installed yet
  }
  const env = goEnv({ goproxy: await machineGoEnv('GOPROXY'), gosumdb: await machineGoEnv('GOSUMDB') });
  const result = await runGo(['install', ACTIONLINT], tmpdir(), { ...env, GOBIN: binDir });
  assert.equal(result.code, 0, `go install ${ACTIONLINT} failed:\n${result.stderr}`);
}

test('workflows: actionlint finds nothing wrong (real network: installs actionlint through the module proxy)', async () => {
  await installActionlint();
  const files = (await readdir('.github/workflows'))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join('.github/workflows', f));
  assert.ok(files.includes('.github/workflows/example.yml'));
  // -shellcheck= and -pyflakes= turn off the external linters actionlint would look for on PATH.
  const result = await run(binary, ['-no-color', '-shellcheck=', '-pyflakes=', ...files]).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({
      code: e.code ?? 1,
      out: `${e.stdout}${e.stderr}`,
    }),
  );
  assert.equal(result.code, 0, result.out);
});

test('workflows: actionlint fails on a broken workflow (the check can fail)', async (t) => {
  await installActionlint();
  const dir = await mkdtemp(join(tmpdir(), 'gpa-lint-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const bad = join(dir, 'bad.yml');
  await writeFile(
    bad,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression in a workflow, not a template
    'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./\n        with:\n          mode: ${{ matrix.nope }}\n',
  );
  await assert.rejects(
    run(binary, ['-no-color', '-shellcheck=', '-pyflakes=', bad]),
    (e: { stdout: string }) => {
      assert.match(e.stdout, /matrix/);
      return true;
    },
  );
});
