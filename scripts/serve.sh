#!/usr/bin/env bash
# Starts the in-job proxy on built-in defaults, installing only what serving needs: Node 24
# (into .tools/) and nothing else, as the committed dist/ bundles are self-contained.
# Extra arguments go to `goproxy-action serve` (see --help).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$ROOT/scripts/setup.sh" --node-only
source "$ROOT/scripts/env.sh"
exec node "$ROOT/dist/cli.js" serve "$@"
