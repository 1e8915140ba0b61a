// Progress while a snapshot runs: one rewritten line on a terminal, a line every few seconds
// in a CI log (a log full of carriage returns is unreadable, a silent one looks hung).

export type Progress = { update(done: number, total: number, current: string): void; finish(): void };

export function createProgress(
  stream: NodeJS.WriteStream | { write(s: string): boolean; isTTY?: boolean },
  intervalMs = 5_000,
): Progress {
  const tty = 'isTTY' in stream && stream.isTTY === true;
  let last = 0;
  let lastLine = '';
  return {
    update(done, total, current) {
      const line = `health: ${done}/${total} modules${current ? ` (${current})` : ''}`;
      if (tty) {
        stream.write(`\r\x1b[2K${line.slice(0, 150)}`);
        lastLine = line;
        return;
      }
      const now = Date.now();
      if (now - last >= intervalMs || done === total) {
        last = now;
        stream.write(`${line}\n`);
      }
    },
    finish() {
      if (tty && lastLine) stream.write('\r\x1b[2K');
    },
  };
}
