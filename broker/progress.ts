// Which progress updates become WatchJob events. The store already keeps a job's progress
// monotonic within an attempt; this only throttles: a watcher gets at most one progress event per
// PROGRESS_EVENT_MS per job, plus one whenever the stage changes or a new attempt starts, and
// none that would not move the bar.

/** Minimum gap between two progress events of one job (ms). */
export const PROGRESS_EVENT_MS = 250;

interface Last { attempt: number; stage: string; fraction: number; ms: number }

export class ProgressThrottle {
  private readonly last = new Map<string, Last>();
  constructor(private readonly gapMs = PROGRESS_EVENT_MS) {}

  /** Records an update of job `jobId` and says whether to send it as an event now. */
  shouldEmit(jobId: string, attempt: number, stage: string, fraction: number, nowMs: number): boolean {
    const l = this.last.get(jobId);
    const emit = !l || l.attempt !== attempt || l.stage !== stage
      || (fraction > l.fraction && (nowMs - l.ms >= this.gapMs || fraction >= 1));
    if (emit) this.last.set(jobId, { attempt, stage, fraction, ms: nowMs });
    return emit;
  }

  /** Drops what is known of a job (call when it ends). */
  forget(jobId: string): void { this.last.delete(jobId); }

  get size(): number { return this.last.size; }
}
