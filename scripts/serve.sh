#!/usr/bin/env bash
# Installs what is needed (Node 24 included) and starts the in-job proxy on built-in
# defaults. Extra arguments go to `goproxy-action serve` (see --help).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$ROOT/scripts/setup.sh"
source "$ROOT/scripts/env.sh"
exec node "$ROOT/dist/cli.js" serve "$@"
