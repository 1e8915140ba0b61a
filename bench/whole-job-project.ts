// The project bench/whole-job.ts runs its jobs on, and what a commit does to it: shared with
// bench/restore-floor.ts, which measures the same project's restores.
import { createHash } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGo } from '../test/support/go-env.ts';

/**
 * Per project, the dependency change and the skipped tests used unless BENCH_DEP_BUMP and
 * BENCH_TEST_SKIP say otherwise (bench/README.md "Project"). The dependency change is the next
 * release of a direct dependency, the kind of one-module update a dependency bot proposes: go get
 * moves no other module (prepare() checks it).
 */
export const PROJECT_DEFAULTS: Record<string, { depBump: string; testSkip: string }> = {
  // Kratos v2 (go-kratos, a Go microservice framework): 183 modules in `go list -m all`, 47
  // packages, 44 with tests, most of them leaves or near-leaves (middleware/*, selector/*,
  // config/*, encoding/*), so ten commits touch ten different parts of the project. uuid v1.4.0
  // is required; v1.5.0 is its next release, linked into 6 packages' test binaries. Its tests pass
  // offline (every server they talk to is their own, on 127.0.0.1); selector/node/ewma's
  // TestDirectError checks a latency-weighted score after 20 ms sleeps and failed under load in
  // stop 22's bench (setup-go's cold job at load 7 to 9), so it is skipped as minio-go's timers are.
  'github.com/go-kratos/kratos/v2': {
    depBump: 'github.com/google/uuid@v1.5.0',
    testSkip: '^TestDirectError$',
  },
  // minio-go (the default until stop 22): a patch release of tinylib/msgp (v1.6.4 in v7.4.1's
  // go.mod); the packages linking it: the root, pkg/notification, pkg/policy, pkg/set (their tests
  // re-run) and cmd/rdma-test. Its retry-timer tests allow 20 ms of scheduling slack and fail on
  // this shared machine under load (a failed test is never cached, so one flake makes the next job
  // of that setup re-run the package). Its three Test200*With* tests are time.Sleep in their own
  // httptest handlers (10 x 1 s; 5 x 1 s on each of 3 attempts): 51 of the root package's 63 s of
  // tests, 0.01 s of CPU, the same wall time in every setup whenever the package re-runs, so they
  // hid what the caches change (bench/README.md "Skipped tests").
  'github.com/minio/minio-go/v7': {
    depBump: 'github.com/tinylib/msgp@v1.6.5',
    testSkip:
      '^(TestRetryTimer|TestRetryContinuous|Test200MultipartUploadWithSpaces|Test200MultipartUploadWithError|Test200DeleteObjectsWithError)$',
  },
};
export const MODULE = process.env.BENCH_PROJECT
  ? ''
  : (process.env.BENCH_MODULE ?? 'github.com/go-kratos/kratos/v2@v2.8.3');
export const PROJECT = MODULE || process.env.BENCH_PROJECT!;
export const PROJECT_DIR = MODULE
  ? MODULE.replace(/^.*\//, '').replace('@', '-')
  : (process.env.BENCH_PROJECT_DIR ?? 'project');
export const DEFAULTS = PROJECT_DEFAULTS[MODULE.replace(/@.*$/, '')];
// A tarball project (BENCH_PROJECT, e.g. the anchors' goproxy) gets uuid's next release.
export const DEP_BUMP = process.env.BENCH_DEP_BUMP ?? DEFAULTS?.depBump ?? 'github.com/google/uuid@v1.5.0';
// Tests skipped in every setup alike.
export const TEST_SKIP = process.env.BENCH_TEST_SKIP ?? DEFAULTS?.testSkip ?? '';
export const PREP = join(tmpdir(), 'goproxy-action-bench-wholejob-prep');

/** A short stable name for a prep state (the project, or the project and its dependency change). */
export function prepKey(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** The project's own packages with a non-test Go file to edit, in a stable order. */
export async function editablePackages(ws: string, env: Record<string, string>): Promise<string[]> {
  const r = await runGo(['list', '-f', '{{.Dir}}/{{index .GoFiles 0}}', './...'], ws, env);
  return r.stdout
    .trim()
    .split('\n')
    .filter((l) => l.endsWith('.go'))
    .sort();
}

/** The bench's edits: source changed, then the ten commits. */
export const EDITS = 11;

/**
 * The file each edit touches, edit 0 (source changed) to edit 10 (the tenth commit): evenly spaced
 * over the sorted package list, so that, as ten real commits to different parts of a project do,
 * the edits hit distinct packages across the package tree rather than eleven neighbours in one
 * corner of it (until stop 22, edit i took packages[i]: on Kratos that was config/* and
 * encoding/*). The choice looks only at the sorted paths, never at what imports a package.
 * With fewer packages than edits, packages repeat in the same order.
 */
export function spreadEdits(packages: string[]): string[] {
  const n = packages.length;
  if (n === 0) throw new Error('the project has no package with a non-test Go file to edit');
  return Array.from({ length: EDITS }, (_, e) => packages[n >= EDITS ? Math.floor((e * n) / EDITS) : e % n]!);
}

/**
 * One commit's edit to a package: an unexported package-level variable set in an `init` function.
 * The linker keeps every init function, so the package's linked code changes as a real commit's
 * does: its test binary and those of the packages importing it link to new bytes, and the go
 * command re-runs their tests (a cached result is keyed by the test binary). Its export data
 * changes as much as a real commit's body edit does: with the go1.26 command, an appended dead
 * function, this edit and a changed body of a non-inlined exported function each recompiled the
 * importing package alike, and only the last two re-ran the tests (the dead function was dropped
 * by the linker, so every test stayed `(cached)`: the edit the bench used to make).
 */
export async function editPackage(file: string, n: number): Promise<void> {
  await appendFile(file, `\nvar benchEdit${n} int\n\nfunc init() { benchEdit${n} = ${n} }\n`);
}
