// Progress of a run: a live bar redrawn in place on a terminal, or a plain line every interval
// in CI logs (no escape codes when the output is not a TTY).
import { formatBytes } from './prewarm-report.ts';

export type ProgressState = { done: number; total: number; failed: number; bytes: number };

export type Progress = { update(state: ProgressState): void; finish(state: ProgressState): void };

export function createProgress(options: {
  write: (text: string) => void;
  mode: 'bar' | 'lines' | 'none';
  intervalMs?: number;
  now?: () => number;
}): Progress {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 10_000;
  let lastLine = now();
  const describe = (s: ProgressState) =>
    `${s.done}/${s.total} module versions${s.failed ? `, ${s.failed} failed` : ''}, ${formatBytes(s.bytes)}`;
  if (options.mode === 'none') return { update() {}, finish() {} };
  if (options.mode === 'lines') {
    return {
      update(state) {
        if (now() - lastLine < interval) return;
        lastLine = now();
        options.write(`prewarm: ${describe(state)}\n`);
      },
      finish(state) {
        options.write(`prewarm: ${describe(state)}\n`);
      },
    };
  }
  const bar = (s: ProgressState) => {
    const width = 30;
    const filled = s.total === 0 ? width : Math.round((s.done / s.total) * width);
    return `\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${describe(s)}`;
  };
  return {
    update(state) {
      if (now() - lastLine < 100) return;
      lastLine = now();
      options.write(bar(state));
    },
    finish(state) {
      options.write(`${bar(state)}\n`);
    },
  };
}
