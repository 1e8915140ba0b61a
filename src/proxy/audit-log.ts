// One JSON line per request, so a team can prove which modules entered a build and from where.
import { createWriteStream, type WriteStream } from 'node:fs';
import type { RequestOutcome } from './proxy-stats.ts';

export type AuditEntry = {
  time: string;
  module: string | null;
  version: string | null;
  kind: RequestOutcome['kind'];
  source: RequestOutcome['source'];
  status: number;
  bytes: number;
  durationMs: number;
  verification?: string;
  decision?: { action: string; rule?: string; reason?: string };
};

export class AuditLog {
  readonly #stream: WriteStream;
  /** Set when the file refused a write: the proxy keeps serving, the log stops. */
  #failed = false;

  constructor(file: string) {
    this.#stream = createWriteStream(file, { flags: 'a', mode: 0o600 });
    // Unheard, a refused write (disk full, quota, I/O error) would end the process.
    this.#stream.on('error', (err: NodeJS.ErrnoException) => {
      if (this.#failed) return;
      this.#failed = true;
      process.stderr.write(
        `goproxy-action: audit log ${file}: ${err.code ?? err.message}; later requests are not logged (the proxy keeps serving); free space or fix the file, then restart\n`,
      );
    });
  }

  write(entry: AuditEntry): void {
    if (this.#failed) return;
    this.#stream.write(`${JSON.stringify(entry)}\n`);
  }

  close(): Promise<void> {
    if (this.#failed || this.#stream.destroyed) return Promise.resolve();
    return new Promise((resolve) => this.#stream.end(resolve));
  }
}
