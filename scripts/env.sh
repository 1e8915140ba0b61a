# Sourced by the other scripts: puts the project's own Node 24 (installed by setup.sh) first
# on PATH, so every command runs on the Node version the action runs on.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$ROOT/.tools/node24/bin:$ROOT/node_modules/.bin:$PATH"
