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

  constructor(file: string) {
    this.#stream = createWriteStream(file, { flags: 'a', mode: 0o600 });
  }

  write(entry: AuditEntry): void {
    this.#stream.write(`${JSON.stringify(entry)}\n`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#stream.end(resolve));
  }
}
