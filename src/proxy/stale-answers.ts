// The last good answer to each short-lived request (list, @latest, a query), served only
// when the upstream fails, so a flaky upstream does not fail a build that it need not.
//
// Layout: `.goproxy-action/answers/<escaped module>/@/<answer>`, the answer being `list`,
// `latest` or `query-<escaped query>`. Each answer of each module has a file of its own: the
// `@` directory can never be a path element of another module (module paths hold no `@`), so
// `example.com/m`'s list and the answers of a module `example.com/m/list` never share a name
// (answers kept next to the module's nested directories did: one module's file blocked the
// other's directory, and its saved answer was silently lost).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { escapePath, escapeVersion } from '../gomod/module-path.ts';
import { writeFileAtomic } from '../store/atomic-file.ts';
import { joinInside } from '../store/store-layout.ts';

/** Longer query file names are hashed (a file name has at most 255 bytes). */
const maxQueryNameBytes = 200;

export class StaleAnswers {
  readonly #root: string;

  constructor(storeRoot: string) {
    this.#root = storeRoot;
  }

  #path(module: string, name: string): string {
    let file = name;
    if (name.startsWith('query/')) {
      const query = escapeVersion(name.slice('query/'.length));
      file =
        Buffer.byteLength(query) <= maxQueryNameBytes
          ? `query-${query}`
          : `hashed-query-${createHash('sha256').update(query).digest('hex')}`;
    } else if (name !== 'list' && name !== 'latest') {
      throw new Error(`not a short-lived answer: ${name}`);
    }
    return joinInside(
      this.#root,
      ['.goproxy-action', 'answers', ...escapePath(module).split('/'), '@', file],
      'answer',
    );
  }

  async save(module: string, name: string, bytes: Buffer): Promise<void> {
    // A fallback, replaced on every fresh answer: no fsync on the request's path.
    await writeFileAtomic(this.#path(module, name), bytes, { durable: false });
  }

  async load(module: string, name: string): Promise<Buffer | null> {
    try {
      return await readFile(this.#path(module, name));
    } catch {
      return null;
    }
  }
}
