// The latency model: per prover and curve, a fit of service time against constraint count
// (log ms = a + b · log constraints, least squares) with the spread of its residuals, so an ETA
// is a log-normal distribution: median exp(a + b·log n), 90th percentile median · exp(1.2816 σ).
// Pure: no I/O, no clock. The broker feeds it samples (challenge and real jobs, ms from
// assignment to result as the broker saw it) and persists them in the store.
//
// Self-reported bench figures are only a prior: they count as one sample with a wide spread
// and are outweighed as soon as real measurements exist.

export interface LatencySample {
  proverId: string;
  curve: string;
  constraints: number;
  /** Assignment → result, as the broker measured it (ms). */
  ms: number;
  kind: 'job' | 'challenge' | 'bench';
  createdMs: number;
}

export interface LatencyFit {
  /** log(ms) = a + b · log(constraints). */
  a: number;
  b: number;
  /** Standard deviation of log(ms) around the fit. */
  sigma: number;
  /** Measurements behind it (0 = bench prior only). */
  samples: number;
}

export interface Prediction { medianMs: number; sigma: number; samples: number }

/** z of the 90th percentile of a standard normal. */
export const Z90 = 1.2815515655446004;
/** Spread assumed with no or one measurement: a factor of ~e^0.7 ≈ 2 either way. */
export const PRIOR_SIGMA = 0.7;
/** Smallest spread a fit reports (timer noise, scheduling). */
export const MIN_SIGMA = 0.08;
/** Exponent assumed with measurements at a single size (proving is ~n log n: a little over 1 on a log-log scale). */
export const DEFAULT_SLOPE = 1;
/** Samples kept per (prover, curve): the newest win. */
export const MAX_SAMPLES = 200;

const ln = (n: number) => Math.log(Math.max(1, n));

/**
 * Fits one (prover, curve)'s samples. Bench samples are a prior: ignored once there is a measured
 * one. Null without any sample.
 */
export function fitLatency(samples: readonly LatencySample[]): LatencyFit | null {
  const measured = samples.filter((s) => s.kind !== 'bench' && s.ms > 0);
  // One measurement outweighs any claim: bench figures are used only while nothing is measured.
  const use = measured.length >= 1 ? measured : samples.filter((s) => s.ms > 0);
  if (use.length === 0) return null;
  const xs = use.map((s) => ln(s.constraints));
  const ys = use.map((s) => Math.log(Math.max(1, s.ms)));
  const n = use.length;
  const mx = xs.reduce((p, x) => p + x, 0) / n;
  const my = ys.reduce((p, y) => p + y, 0) / n;
  let sxx = 0; let sxy = 0;
  for (let i = 0; i < n; i++) { sxx += (xs[i] - mx) ** 2; sxy += (xs[i] - mx) * (ys[i] - my); }
  // Two sizes at least ~2x apart: fit the slope (clamped to what proving can plausibly do), else assume it.
  // The floor is 0, not higher: at calibration sizes (hundreds to thousands of constraints) fixed
  // costs (witness, transfer, verification, a prover's own overhead) dominate and the measured
  // slope is often well below 1; forcing it up skews the line away from both sizes.
  const b = sxx > 0.25 * n ? Math.max(0, Math.min(1.6, sxy / sxx)) : DEFAULT_SLOPE;
  const a = my - b * mx;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (ys[i] - (a + b * xs[i])) ** 2;
  const realN = measured.length;
  // The spread: the residuals' (n-1 denominators), shrunk towards the prior with few samples.
  const sResid = n > 1 ? Math.sqrt(ss / (n - 1)) : PRIOR_SIGMA;
  const w = realN / (realN + 2);
  const sigma = Math.max(MIN_SIGMA, Math.sqrt(w * sResid ** 2 + (1 - w) * PRIOR_SIGMA ** 2));
  return { a, b, sigma, samples: realN };
}

export function predict(fit: LatencyFit, constraints: number): Prediction {
  return { medianMs: Math.exp(fit.a + fit.b * ln(constraints)), sigma: fit.sigma, samples: fit.samples };
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf; error < 1.5e-7). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(z) / Math.SQRT2);
  const y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(z * z) / 2);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

export interface Eta {
  /** ms from now: queue wait + service, median and 90th percentile. */
  p50Ms: number;
  p90Ms: number;
  queueMs: number;
  /** P(done within budgetMs); 1 without a deadline. */
  onTime: number;
}

/**
 * The ETA of a job that starts after `queueMs` and then takes `pred` (log-normal), against a
 * budget of `budgetMs` from now (null: no deadline). The queue is taken as known (its own
 * uncertainty is part of the jobs ahead, which are mostly already running).
 */
export function etaOf(pred: Prediction, queueMs: number, budgetMs: number | null): Eta {
  const p50 = queueMs + pred.medianMs;
  const p90 = queueMs + pred.medianMs * Math.exp(Z90 * pred.sigma);
  let onTime = 1;
  if (budgetMs !== null) {
    const left = budgetMs - queueMs;
    onTime = left <= 0 ? 0 : normalCdf((Math.log(left) - Math.log(pred.medianMs)) / pred.sigma);
  }
  return { p50Ms: p50, p90Ms: p90, queueMs, onTime };
}

/** Expected remaining ms of a job that has run `elapsedMs` of a median `medianMs` (never below 10% of the median). */
export function remainingMs(medianMs: number, elapsedMs: number): number {
  return Math.max(0.1 * medianMs, medianMs - Math.max(0, elapsedMs));
}

/** Inverse of the standard normal CDF (Acklam's rational approximation; relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5; const r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** z of the 99th percentile: past it, a running job is taken as stalled. */
export const Z99 = 2.3263478740408408;

/**
 * Predicted remaining ms of a job that has already run `elapsedMs` (for the at-risk check of a
 * leased job): the median of the log-normal service time *given* it has not finished yet, less the
 * time run; once the job is past the distribution's 99th percentile it is taken as stalled (a
 * hung or much slower prover: the model no longer describes it) and expected to need as long
 * again as it has run.
 */
export function remainingGiven(pred: Prediction, elapsedMs: number): number {
  const t = Math.max(0, elapsedMs);
  if (t <= 0) return pred.medianMs;
  const z = (Math.log(t) - Math.log(pred.medianMs)) / pred.sigma;
  if (z > Z99) return t;
  const p = normalCdf(z);
  const q = p + (1 - p) / 2;
  return Math.max(0, pred.medianMs * Math.exp(pred.sigma * normalQuantile(q)) - t);
}

/** Samples grouped by prover and curve, with their fits (cached until a sample is added). */
export class LatencyModel {
  private readonly samples = new Map<string, LatencySample[]>();
  private readonly fits = new Map<string, LatencyFit | null>();

  private static key(proverId: string, curve: string): string { return `${proverId}\n${curve}`; }

  add(s: LatencySample): void {
    const k = LatencyModel.key(s.proverId, s.curve);
    let xs = this.samples.get(k);
    if (!xs) { xs = []; this.samples.set(k, xs); }
    xs.push(s);
    if (xs.length > MAX_SAMPLES) xs.splice(0, xs.length - MAX_SAMPLES);
    this.fits.delete(k);
  }

  /** Replaces the prover's bench prior (what it reports at registration). */
  setPrior(proverId: string, curve: string, points: { constraints: number; ms: number }[], nowMs: number): void {
    const k = LatencyModel.key(proverId, curve);
    const xs = (this.samples.get(k) ?? []).filter((s) => s.kind !== 'bench');
    for (const p of points) xs.push({ proverId, curve, constraints: p.constraints, ms: p.ms, kind: 'bench', createdMs: nowMs });
    this.samples.set(k, xs);
    this.fits.delete(k);
  }

  fit(proverId: string, curve: string): LatencyFit | null {
    const k = LatencyModel.key(proverId, curve);
    if (!this.fits.has(k)) this.fits.set(k, fitLatency(this.samples.get(k) ?? []));
    return this.fits.get(k)!;
  }

  /**
   * The prediction, or a deliberately pessimistic guess for a prover nobody has measured. A
   * prover's own bench figures (samples 0) can only make it look slower than that guess, never
   * faster: a self-declared speed alone must not win deadline jobs (or quotes) over measured provers.
   */
  predict(proverId: string, curve: string, constraints: number, fallback: LatencyFit = UNKNOWN_FIT): Prediction {
    const fit = this.fit(proverId, curve);
    if (fit && fit.samples > 0) return predict(fit, constraints);
    const guess = predict(fallback, constraints);
    if (!fit) return guess;
    const claimed = predict(fit, constraints);
    return { medianMs: Math.max(claimed.medianMs, guess.medianMs), sigma: Math.max(claimed.sigma, guess.sigma), samples: 0 };
  }

  count(proverId: string, curve: string): number { return this.fit(proverId, curve)?.samples ?? 0; }

  /**
   * The fit's median at `constraints` where measurements back it: some measured (not bench)
   * sample within a factor `near` (default 4) of that size; else null (an extrapolation is not
   * shown as measured).
   */
  measuredAt(proverId: string, curve: string, constraints: number, near = 4): number | null {
    const xs = this.samples.get(LatencyModel.key(proverId, curve)) ?? [];
    if (!xs.some((s) => s.kind !== 'bench' && s.constraints * near >= constraints && s.constraints <= constraints * near)) return null;
    return this.predict(proverId, curve, constraints).medianMs;
  }
}

/** An unmeasured prover with no bench figures: 5 s at 2^12 constraints, linear, very wide. */
export const UNKNOWN_FIT: LatencyFit = { a: Math.log(5000) - Math.log(4096), b: 1, sigma: 1.2, samples: 0 };
