// Prints the release notes of one version from CHANGELOG.md: the text under its
// `## <version>` heading (a date or a link after the version is allowed), up to the next
// `## `. The release workflow and the GitLab release job use it for the release's text.
//
//   node scripts/changelog-notes.ts 1.2.3
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function changelogNotes(changelog: string, version: string): string {
  const lines = changelog.split('\n');
  const heading = new RegExp(`^## \\[?v?${version.replace(/\./g, '\\.')}\\]?(\\s|$)`);
  const start = lines.findIndex((line) => heading.test(line));
  if (start < 0) return '';
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim();
}

if (import.meta.main) {
  const version = (process.argv[2] ?? '').replace(/^v/, '');
  if (!version) {
    console.error('usage: node scripts/changelog-notes.ts <version>');
    process.exit(2);
  }
  const notes = changelogNotes(
    readFileSync(join(import.meta.dirname, '..', 'CHANGELOG.md'), 'utf8'),
    version,
  );
  if (notes) console.log(notes);
}
