// The hash of the files a cache key depends on (go.sum and the like), shared by the GitHub and
// GitLab adapters: both mark an entry with it to tell an exact hit from a fallback.
import { createHash } from 'node:crypto';

/** One line per file, `<sha256 of content>  <path>`, hashed: a rename or an edit changes the key. */
export function hashFileContents(entries: { path: string; content: Uint8Array }[]): string {
  const lines = [...entries]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((e) => `${createHash('sha256').update(e.content).digest('hex')}  ${e.path}\n`)
    .join('');
  return createHash('sha256').update(lines).digest('hex');
}
