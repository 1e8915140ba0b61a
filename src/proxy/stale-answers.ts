// The last good answer to each short-lived request (list, @latest, a query), served only
// when the upstream fails, so a flaky upstream does not fail a build that it need not.
import { readFile } from 'node:fs/promises';
import { escapePath, escapeVersion } from '../gomod/module-path.ts';
import { writeFileAtomic } from '../store/atomic-file.ts';
import { joinInside } from '../store/store-layout.ts';

export class StaleAnswers {
  readonly #root: string;

  constructor(storeRoot: string) {
    this.#root = storeRoot;
  }

  #path(module: string, name: string): string {
    const file = name.startsWith('query/') ? `query-${escapeVersion(name.slice('query/'.length))}` : name;
    return joinInside(
      this.#root,
      ['.goproxy-action', 'answers', ...escapePath(module).split('/'), file],
      'answer',
    );
  }

  async save(module: string, name: string, bytes: Buffer): Promise<void> {
    await writeFileAtomic(this.#path(module, name), bytes);
  }

  async load(module: string, name: string): Promise<Buffer | null> {
    try {
      return await readFile(this.#path(module, name));
    } catch {
      return null;
    }
  }
}
