#!/usr/bin/env bash
# Rewrites package-lock.json from package.json so that it lists every platform's optional
# packages (esbuild, biome, typescript, ... for every OS and CPU). Run it after adding or
# upgrading an npm package (or after a merge that touched package.json), then commit
# package.json and package-lock.json together.
#
# Why not a plain `npm install`: next to an installed node_modules npm drops the optional
# packages of platforms other than this one, and `npm ci` then fails elsewhere. Resolved in a
# directory with no node_modules (starting from the current lock, so nothing else moves), npm
# keeps them all. scripts/check-lock.ts checks the result (CI runs it).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/scripts/env.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$ROOT/package.json" "$work/"
[ -f "$ROOT/package-lock.json" ] && cp "$ROOT/package-lock.json" "$work/"
(cd "$work" && npm install --package-lock-only --no-audit --no-fund --loglevel=error >&2)
node "$ROOT/scripts/check-lock.ts" "$work/package-lock.json"
cp "$work/package-lock.json" "$ROOT/package-lock.json"
