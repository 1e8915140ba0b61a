// The repository's own module at the tag just pushed, so consumers of a fresh release of an
// internal module hit a warm proxy. The tag comes from GITHUB_REF (refs/tags/...) or
// CI_COMMIT_TAG. As the go command maps tags to modules: `v1.2.3` is the module at the
// repository root (or, for v2+, a major-version subdirectory `v2/` whose go.mod ends in /v2);
// `sub/v1.0.0` is the module whose go.mod is in sub/. The module path comes from that go.mod
// and must carry the major-version suffix the version needs.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseGoMod } from '../gomod/go-mod-file.ts';
import { checkModuleVersion, ModulePathError } from '../gomod/module-path.ts';
import { canonicalVersion, isValidVersion, versionMajor } from '../gomod/version.ts';

export type TagModule = { module: string; version: string; tag: string; dir: string };

/** The pushed tag: GITHUB_REF=refs/tags/<tag> or CI_COMMIT_TAG; null when this is no tag pipeline. */
export function pushedTag(env: NodeJS.ProcessEnv): string | null {
  const ref = env.GITHUB_REF ?? '';
  if (ref.startsWith('refs/tags/')) return ref.slice('refs/tags/'.length);
  const tag = env.CI_COMMIT_TAG ?? '';
  return tag === '' ? null : tag;
}

async function modulePathIn(dir: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(join(dir, 'go.mod'), 'utf8');
  } catch {
    return null;
  }
  return parseGoMod(text, join(dir, 'go.mod')).module?.path ?? null;
}

/** The module and version a tag names in the repository checked out at `root`. */
export async function moduleForTag(root: string, tag: string): Promise<TagModule> {
  const slash = tag.lastIndexOf('/');
  const prefix = slash < 0 ? '' : tag.slice(0, slash);
  const version = tag.slice(slash + 1);
  if (!isValidVersion(version) || canonicalVersion(version) !== version) {
    throw new Error(
      `the tag ${tag} does not name a module version (want vMAJOR.MINOR.PATCH, or DIR/vMAJOR.MINOR.PATCH for a module in DIR)`,
    );
  }
  if (prefix.split('/').some((e) => e === '..' || e === '.'))
    throw new Error(`the tag ${tag} names a bad directory`);
  const dir = prefix === '' ? root : join(root, prefix);
  const candidates = [dir];
  const major = versionMajor(version);
  if (major !== 'v0' && major !== 'v1') candidates.push(join(dir, major));
  let lastProblem = '';
  for (const candidate of candidates) {
    const module = await modulePathIn(candidate);
    if (module === null) {
      lastProblem ||= `no go.mod in ${candidate}`;
      continue;
    }
    try {
      checkModuleVersion(module, version);
      return { module, version, tag, dir: candidate };
    } catch (error) {
      if (!(error instanceof ModulePathError)) throw error;
      lastProblem = `the tag ${tag} does not fit module ${module} (${error.reason}): a ${major} release needs the module path to end in /${major}`;
    }
  }
  throw new Error(lastProblem);
}
