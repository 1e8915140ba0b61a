#!/usr/bin/env bash
# Installs everything from scratch if needed, then runs every check: the lock, the docs
# tables, lint, types, the bundle build, unit tests and end-to-end tests (real go command,
# fixture servers), and the CLI's end-to-end tests again on Node 22 and 26.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$ROOT/scripts/setup.sh" --node-lines
source "$ROOT/scripts/env.sh"
cd "$ROOT"
# Every test's temporary files go into one directory removed after the run, pass or fail, so
# a test that leaks a directory cannot fill the machine's /tmp over many runs. What must
# outlive the run (shared go build cache, Go oracle, tools) stays in the machine's own.
export GOPROXY_ACTION_TEST_KEEP_DIR=${GOPROXY_ACTION_TEST_KEEP_DIR:-${TMPDIR:-/tmp}}
TMPDIR=$(mktemp -d "$GOPROXY_ACTION_TEST_KEEP_DIR/goproxy-action-testrun-XXXXXX")
chmod 1777 "$TMPDIR" # as /tmp: tests run some processes as another user
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT
if ! command -v rsync >/dev/null; then
  echo "setup: installing rsync (gitlab-ci-local needs it)" >&2
  (apt-get update -qq && apt-get install -y -qq rsync) >&2
fi
node scripts/check-lock.ts
node scripts/docs-tables.ts
npm run --silent lint
npm run --silent typecheck
npm run --silent build
# Pre-build the Go oracle (downloads golang.org/x/mod once): installation, not test time.
node test/support/go-oracle.ts --build
# The benchmarks' load generator (Go, standard library only, no go.mod): its raw HTTP client's
# answer parser, with an explicit go environment like every go process the tests start.
env -i PATH="$PATH" HOME="$TMPDIR" GOENV=off GOTOOLCHAIN=local GOFLAGS=-modcacherw GOPROXY=off \
  GOSUMDB=off GONOSUMDB= GOPRIVATE= GONOPROXY= GOWORK=off GOMODCACHE="$TMPDIR/loadgen-gomodcache" \
  GOCACHE="$GOPROXY_ACTION_TEST_KEEP_DIR/goproxy-action-test-gocache" \
  go test -count=1 bench/loadgen/main.go bench/loadgen/rawhttp.go bench/loadgen/rawhttp_test.go
npm run --silent test:unit
npm run --silent test:e2e
# The CLI on the other Node lines it supports: the built bundle under Node 22 and 26, through
# the end-to-end tests that run the CLI as a process (the test runner itself stays on 24).
for line in 22 26; do
  echo "test: the CLI's end-to-end tests with dist/cli.js on Node $line" >&2
  GOPROXY_ACTION_TEST_CLI=dist/cli.js GOPROXY_ACTION_TEST_NODE=".tools/node$line/bin/node" \
    node --test --test-concurrency=2 test/e2e/github-start-stop-cli.test.ts test/e2e/proxy-cli.test.ts
done
