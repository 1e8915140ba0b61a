// A CPU timeline for benchmarks: samples, every `everyMs`, the machine's busy CPU (/proc/stat:
// every engineer's work on a shared runner, not only ours) and the cumulative CPU of a few
// processes (/proc/<pid>/stat: user + system of the process and of its children it reaped, so
// Athens's `go mod download` subprocesses count once they exit). Read beside a request trace it
// says whether a run was waiting on the peer with idle cores, or the cores were all busy.
import { readFile } from 'node:fs/promises';

export type CpuSample = {
  /** Milliseconds since the timeline started. */
  at: number;
  /** Cumulative machine CPU seconds, busy and total (all cores). */
  machineBusy: number;
  machineTotal: number;
  /** Cumulative CPU seconds of each watched process (NaN once it is gone). */
  processes: Record<string, number>;
};

export type CpuTimeline = {
  samples: CpuSample[];
  /** Watches one more process from now on. */
  watch(name: string, pid: number): void;
  stop(): Promise<void>;
};

const ticks = 100;

async function machineCpu(): Promise<{ busy: number; total: number }> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0] ?? '';
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return { busy: (total - idle) / ticks, total: total / ticks };
}

async function processCpu(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime stime cutime cstime: fields 14-17 of stat(5).
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / ticks;
  } catch {
    return Number.NaN;
  }
}

export function startCpuTimeline(everyMs = 1000): CpuTimeline {
  const origin = performance.now();
  const samples: CpuSample[] = [];
  const watched = new Map<string, number>();
  let stopped = false;
  const sample = async () => {
    const { busy, total } = await machineCpu();
    const processes: Record<string, number> = {};
    for (const [name, pid] of watched) processes[name] = await processCpu(pid);
    samples.push({ at: performance.now() - origin, machineBusy: busy, machineTotal: total, processes });
  };
  let running = sample();
  const timer = setInterval(() => {
    if (!stopped) running = running.then(sample);
  }, everyMs);
  return {
    samples,
    watch(name, pid) {
      watched.set(name, pid);
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await sample();
    },
  };
}
