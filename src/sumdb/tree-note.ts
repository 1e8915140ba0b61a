// The text of a signed tree head: "go.sum database tree\n<size>\n<base64 root hash>\n".
// Lines after the hash are ignored, as Go does, for forward compatibility.

import { HASH_SIZE, type Hash } from './merkle.ts';
import { decodeStrictBase64, encodeBase64 } from './strict-base64.ts';

export type Tree = { size: number; hash: Hash };

const header = 'go.sum database tree';

export class MalformedTreeError extends Error {
  override name = 'MalformedTreeError';
}

export function formatTree(tree: Tree): string {
  return `${header}\n${tree.size}\n${encodeBase64(tree.hash)}\n`;
}

/** Parses the (already verified) text of a tree note; throws a clear error when malformed. */
export function parseTree(text: string): Tree {
  const lines = text.split('\n');
  if (lines.length < 4 || lines[0] !== header) {
    throw new MalformedTreeError(`malformed tree note: want "${header}", a size and a hash, one a line`);
  }
  const sizeText = lines[1] as string;
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    throw new MalformedTreeError(`malformed tree note: bad tree size ${JSON.stringify(sizeText)}`);
  }
  const hash = decodeStrictBase64(lines[2] as string);
  if (hash === null || hash.length !== HASH_SIZE) {
    throw new MalformedTreeError(`malformed tree note: bad tree hash ${JSON.stringify(lines[2])}`);
  }
  return { size: Number(sizeText), hash };
}
