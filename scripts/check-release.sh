#!/usr/bin/env bash
# The release check, run by CI on every push and by the release workflow on a tag:
#   - dist/ is exactly what the sources build (rebuilds it, then compares with the commit);
#   - with a tag (argument 1, e.g. v1.2.3 or 1.2.3): the tag is a semver release version and
#     package.json's version is that version, and CHANGELOG.md has a section for it.
# Needs the dev dependencies (bash scripts/setup.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/scripts/env.sh"
cd "$ROOT"
tag=${1:-}

if [ -n "$tag" ]; then
  version=${tag#v}
  if ! [[ $version =~ ^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$ ]]; then
    echo "release: tag '$tag' is not a release version (v1.2.3 or 1.2.3)" >&2
    exit 1
  fi
  declared=$(node -p "require('./package.json').version")
  if [ "$declared" != "$version" ]; then
    echo "release: tag '$tag' but package.json says $declared: set the version, commit, then tag that commit" >&2
    exit 1
  fi
  if [ -z "$(node scripts/changelog-notes.ts "$version")" ]; then
    echo "release: CHANGELOG.md has no '## $version' section: write the release notes first" >&2
    exit 1
  fi
fi

npm run --silent build
if ! git diff --exit-code --stat -- dist; then
  echo "release: dist/ differs from a fresh build of these sources: run 'npm run build' and commit dist/" >&2
  exit 1
fi
if [ -n "$(git status --porcelain -- dist)" ]; then
  git status --porcelain -- dist >&2
  echo "release: a fresh build made files in dist/ that are not committed: commit them" >&2
  exit 1
fi
echo "release: dist/ is built from these sources${tag:+; $tag matches package.json}" >&2
