// Whether a process still exists: for stale-lock and stale-temp-file recovery in the store and
// for the daemon's stop. Shared because "alive" has one right answer.
import { readFileSync } from 'node:fs';

/** True while a process with this id exists (a zombie, exited but not yet reaped, counts as gone). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true; // no /proc (macOS, Windows): kill(0) is all we can know
  }
}
