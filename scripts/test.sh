#!/usr/bin/env bash
# Installs everything from scratch if needed, then runs every check: lint, types, the
# bundle build, unit tests and end-to-end tests (real go command, fixture servers).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$ROOT/scripts/setup.sh"
source "$ROOT/scripts/env.sh"
cd "$ROOT"
if ! command -v rsync >/dev/null; then
  echo "setup: installing rsync (gitlab-ci-local needs it)" >&2
  (apt-get update -qq && apt-get install -y -qq rsync) >&2
fi
npm run --silent lint
npm run --silent typecheck
npm run --silent build
# Pre-build the Go oracle (downloads golang.org/x/mod once): installation, not test time.
node test/support/go-oracle.ts --build
npm run --silent test:unit
npm run --silent test:e2e
