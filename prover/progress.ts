// One monotonic progress fraction per attempt, from the prover's own steps and the backend's
// per-step reports (the native engine reports 0 → 1 for each of witness, qap, ntt, msm-A, …,
// finish; passing those through raw made the job's progress jump back and forth).
//
// Each step owns a slice of [0, 1]; a report maps into its slice and the result never goes below
// what was already reported. The slices of the native steps are rough shares of a CPU proof
// (estimated, not measured per size: MSMs dominate, the G2 MSM costs several G1 MSMs of the same
// size); a wrong weight only makes the bar speed up or slow down, never go back.
// Reports are throttled: at most one per minGapMs unless the public stage changes or 1 is reached.

/** The prover's own steps, as slices of the whole attempt. */
const STEPS: Record<string, [number, number]> = {
  fetching: [0, 0.05],
  witness: [0.05, 0.15],
  proving: [0.15, 1],
};

/** A backend's steps, as slices of the `proving` step, and the public stage each one is shown as. */
const BACKEND_STEPS: Record<string, { slice: [number, number]; stage: string }> = {
  witness: { slice: [0, 0.02], stage: 'proving' }, // the engine loading the .wtns
  qap: { slice: [0.02, 0.08], stage: 'ntt' },
  ntt: { slice: [0.08, 0.3], stage: 'ntt' },
  'msm-A': { slice: [0.3, 0.42], stage: 'msm' },
  'msm-B1': { slice: [0.42, 0.5], stage: 'msm' },
  'msm-B2': { slice: [0.5, 0.75], stage: 'msm' },
  'msm-C': { slice: [0.75, 0.85], stage: 'msm' },
  'msm-H': { slice: [0.85, 0.97], stage: 'msm' },
  finish: { slice: [0.97, 1], stage: 'proving' },
  proving: { slice: [0, 1], stage: 'proving' }, // snarkjs: one step
};

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.max(0, Math.min(1, x)) : 0);
const within = (s: [number, number], f: number) => s[0] + (s[1] - s[0]) * clamp01(f);

export interface ProgressReport { fraction: number; stage: string }

export class ProgressMeter {
  private fraction = 0;
  private stage = '';
  private sentFraction = -1;
  private sentStage = '';
  private sentMs = 0;
  constructor(private readonly minGapMs = 100) {}

  /** A step of the prover itself ("fetching", "witness", "proving"): what to send, or null. */
  step(stage: string, fraction: number, nowMs: number): ProgressReport | null {
    const s = STEPS[stage];
    return this.advance(s ? within(s, fraction) : this.fraction, stage, nowMs);
  }

  /** A backend's report (native: "qap", "ntt", "msm-A", …; snarkjs: "proving"): what to send, or null. */
  backend(stage: string, fraction: number, nowMs: number): ProgressReport | null {
    const b = BACKEND_STEPS[stage];
    if (!b) return this.advance(this.fraction, this.stage || 'proving', nowMs);
    return this.advance(within(STEPS.proving, within(b.slice, fraction)), b.stage, nowMs);
  }

  private advance(f: number, stage: string, nowMs: number): ProgressReport | null {
    if (f > this.fraction) this.fraction = f;
    // The stage follows the furthest report, so a late report of an earlier step cannot rename it.
    if (f >= this.fraction) this.stage = stage;
    const stageChanged = this.stage !== this.sentStage;
    const moved = this.fraction > this.sentFraction;
    if (!stageChanged && !moved) return null;
    if (!stageChanged && nowMs - this.sentMs < this.minGapMs && this.fraction < 1) return null;
    this.sentFraction = this.fraction; this.sentStage = this.stage; this.sentMs = nowMs;
    return { fraction: this.fraction, stage: this.stage };
  }
}
