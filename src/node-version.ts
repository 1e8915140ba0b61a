// The oldest Node.js the CLI runs on. undici needs 22.19; on anything older the CLI would
// start and then fail every fetch with an error that names no cause. Kept equal to
// package.json's engines (a unit test checks).
export const MIN_NODE_VERSION = '22.19.0';

/** A one-line reason when `version` (process.versions.node) is too old, else null. */
export function nodeVersionProblem(version: string): string | null {
  const have = version.replace(/^v/, '').split('.').map(Number);
  const need = MIN_NODE_VERSION.split('.').map(Number);
  for (let i = 0; i < need.length; i++) {
    const a = have[i] ?? 0;
    const b = need[i] ?? 0;
    if (Number.isNaN(a) || a < b) break;
    if (a > b) return null;
    if (i === need.length - 1) return null;
  }
  return `goproxy-action needs Node.js ${MIN_NODE_VERSION} or later (22, 24 or 26), not ${version}: use a newer node (for example the node:24 image)`;
}
