// Where a snapshot's time goes, per phase: how often it ran, its summed time (overlapping
// runs each count), its wall span (first start to last end) and how many ran at once at most.
// Opt-in (GOPROXY_ACTION_HEALTH_PROFILE=1 prints it to stderr): bench/health-snapshot.ts reads
// it to say where the time went; a normal run pays one Map lookup per phase.

export type PhaseFigures = { count: number; sumMs: number; wallMs: number; maxInFlight: number };

type Phase = PhaseFigures & { first: number; last: number; inFlight: number };

export class PhaseProfile {
  readonly #phases = new Map<string, Phase>();
  readonly #origin = performance.now();

  /** Times `work` as one run of `phase`. */
  async time<T>(phase: string, work: () => Promise<T>): Promise<T> {
    let p = this.#phases.get(phase);
    if (!p) {
      p = { count: 0, sumMs: 0, wallMs: 0, maxInFlight: 0, first: Infinity, last: 0, inFlight: 0 };
      this.#phases.set(phase, p);
    }
    const started = performance.now();
    p.first = Math.min(p.first, started);
    p.inFlight++;
    p.maxInFlight = Math.max(p.maxInFlight, p.inFlight);
    try {
      return await work();
    } finally {
      const ended = performance.now();
      p.inFlight--;
      p.count++;
      p.sumMs += ended - started;
      p.last = Math.max(p.last, ended);
    }
  }

  /** Per phase, in the order phases first ran; `wallMs` also says when it ended (`endMs`). */
  figures(): Record<string, PhaseFigures & { startMs: number; endMs: number }> {
    const out: Record<string, PhaseFigures & { startMs: number; endMs: number }> = {};
    for (const [name, p] of this.#phases) {
      out[name] = {
        count: p.count,
        sumMs: Math.round(p.sumMs),
        wallMs: Math.round(p.last - p.first),
        maxInFlight: p.maxInFlight,
        startMs: Math.round(p.first - this.#origin),
        endMs: Math.round(p.last - this.#origin),
      };
    }
    return out;
  }

  /** One line per phase, for stderr. */
  render(): string {
    return Object.entries(this.figures())
      .map(
        ([name, f]) =>
          `health profile: ${name}: ${f.count}x, sum ${f.sumMs} ms, wall ${f.wallMs} ms (${f.startMs}..${f.endMs}), at once <= ${f.maxInFlight}`,
      )
      .join('\n');
  }
}

/** A profile that records nothing (the default). */
export const noProfile = {
  time<T>(_phase: string, work: () => Promise<T>): Promise<T> {
    return work();
  },
};

export type Profiler = Pick<PhaseProfile, 'time'>;
