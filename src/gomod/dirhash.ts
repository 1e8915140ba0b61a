// The "h1:" hash of golang.org/x/mod/sumdb/dirhash (Hash1), the hash go.sum records for a
// module zip and for a go.mod file.

import { createHash } from 'node:crypto';
import { compareGoStrings } from './version.ts';

export interface HashedFile {
  /** The name as hashed: for a module zip, the full entry name "<module>@<version>/<path>". */
  name: string;
  sha256Hex: string;
}

/**
 * dirhash.Hash1: for each file sorted by name (Go byte order), the line
 * "<sha256 hex>  <name>\n"; the result is "h1:" + base64(sha256(all lines)).
 */
export function hash1(files: readonly HashedFile[]): string {
  const sorted = [...files].sort((a, b) => compareGoStrings(a.name, b.name));
  const summary = createHash('sha256');
  for (const f of sorted) {
    if (f.name.includes('\n'))
      throw new Error(`dirhash: file name ${JSON.stringify(f.name)} contains a newline`);
    summary.update(`${f.sha256Hex}  ${f.name}\n`, 'utf8');
  }
  return `h1:${summary.digest('base64')}`;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The go.sum hash of a go.mod ("<module> <version>/go.mod h1:..."): Hash1 over one file named go.mod. */
export function hashGoMod(bytes: Uint8Array): string {
  return hash1([{ name: 'go.mod', sha256Hex: sha256Hex(bytes) }]);
}
