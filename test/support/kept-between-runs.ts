// Where tests keep what outlives one test run (the shared go build cache, the Go oracle and its
// module cache, installed tools): scripts/test.sh points TMPDIR at a directory it removes after
// the run, so what must survive names the machine's temporary directory here instead.
import { tmpdir } from 'node:os';

export const keptBetweenRuns = process.env.GOPROXY_ACTION_TEST_KEEP_DIR || tmpdir();
