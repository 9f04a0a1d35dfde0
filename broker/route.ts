// Routing by measured speed, price and deadline, as a pure function of (queued jobs, provers,
// latency model, clock): which job goes to which prover now, which jobs wait (and for whom), and
// in words why. No I/O; the broker turns "assign" decisions into guarded store claims.
//
// Per job (earliest deadline first, then oldest first):
//  1. eligible provers: curve, size, not excluded, ask ≤ max price, stake (match.ts eligibility);
//     a suspended or still-admitting prover gets no paid work; the broker-local fallback only for
//     jobs with a deadline, when no market prover meets the target (step 3 of the ladder) or none
//     is connected and half the job's time budget has gone by.
//  2. each one's ETA = its queue (the earliest of its slots to free up, counting work already
//     planned in this pass) + its predicted service time (log-normal); P(on time) against the
//     deadline (minus a verification margin).
//  3. the cheapest prover whose P(on time) ≥ the job's target (a job without a deadline takes
//     the cheapest free prover rather than wait for a busy cheaper one); ties by reputation, then ETA, then
//     id. Demoted provers only when no active one qualifies (the widened set). If it has a free
//     slot the job is assigned; else the job waits for it and its queue grows — so a burst
//     spills over to the next prover once the cheap one's queue would make jobs late.
//  4. nobody meets the target: the job is told so (best ETA and probability on offer) and goes
//     to the prover most likely to make it, if that one is free (better late than never).
import { eligibility, gaveBack, keyBytes, type MatchCandidate } from './match';
import { c2MemoryNeed, c2ShapeOf } from './c2';
import { formatSectorSize } from '../src/common/commit1';
import { etaOf, remainingMs, type Eta, type Prediction } from './model';
import type { CircuitRecord, JobRecord, MoneyPolicy } from './store/types';

export type RouteState = 'active' | 'demoted' | 'suspended' | 'admitting';

export interface RouteProver extends Omit<MatchCandidate, 'active'> {
  name: string;
  state: RouteState;
  /** A broker-local fallback prover: used only when no market prover meets the target. */
  fallback: boolean;
  /** Per lease it holds: ms it has run so far (remaining time is predicted from the model). */
  running: { curve: string; constraints: number; elapsedMs: number }[];
}

export interface RouteJob {
  job: JobRecord;
  circuit: CircuitRecord;
  /** Target P(on time), 0..1. */
  minOnTime: number;
  /** A challenge job: only this prover, unpaid. */
  challengeFor?: string;
}

export type PredictFn = (proverId: string, curve: string, constraints: number) => Prediction;

export interface RouteOptions {
  policy: MoneyPolicy;
  /** Kept free before the deadline for the broker's own verification (ms). */
  verifyMarginMs: number;
}

export type Decision =
  | { jobId: string; kind: 'assign'; proverId: string; price: bigint; stake: bigint; eta: Eta; note: string }
  | { jobId: string; kind: 'wait'; note: string; bestEta: Eta | null };

interface Lane { p: RouteProver; slotFree: number[]; planned: number; freeStake: bigint }

const secs = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
const pct = (p: number) => `${Math.floor(p * 100)}%`;

/**
 * When each of the prover's slots frees up (ms from now, ascending): running leases' predicted
 * remaining time. Only the first `upTo` slots are listed (default: running leases + 1): the rest
 * are free (0) as well, and a pass that plans n jobs needs at most running + n of them. A prover
 * may declare a million slots; an array that long, sorted per lease, stalled the broker.
 */
export function slotsFreeAt(p: RouteProver, predict: PredictFn, upTo = p.running.length + 1): number[] {
  // Enough idle slots for everything this pass can plan: each running lease holds a slot of its
  // own, and the listed ones are all free (0); the planner reads only the earliest (slotFree[0]).
  // This skips predicting and inserting every running lease (O(running²) per pass: a prover with
  // a thousand leases and a million slots made each dispatch pass cost milliseconds).
  const need = Math.max(1, upTo - p.running.length);
  if (p.slots - p.running.length >= need) return new Array<number>(need).fill(0);
  const slotFree = new Array<number>(Math.max(1, Math.min(p.slots, upTo))).fill(0);
  // Each running lease occupies the slot that frees up first.
  for (const r of p.running) addToFirst(slotFree, remainingMs(predict(p.proverId, r.curve, r.constraints).medianMs, r.elapsedMs));
  return slotFree;
}

/** Adds ms to the earliest slot of an ascending list and moves it back into order. */
function addToFirst(slotFree: number[], ms: number): void {
  const v = slotFree[0] + ms;
  let i = 0;
  while (i + 1 < slotFree.length && slotFree[i + 1] < v) { slotFree[i] = slotFree[i + 1]; i++; }
  slotFree[i] = v;
}

function lanesOf(provers: readonly RouteProver[], predict: PredictFn, jobs: number): Map<string, Lane> {
  const lanes = new Map<string, Lane>();
  for (const p of provers) lanes.set(p.proverId, { p, slotFree: slotsFreeAt(p, predict, p.running.length + jobs), planned: 0, freeStake: p.freeStake });
  return lanes;
}

/** Jobs in routing order: earliest deadline first, then those without one, each oldest first. */
export function routingOrder(jobs: readonly RouteJob[]): RouteJob[] {
  return [...jobs].sort((x, y) => {
    const dx = x.job.deadlineMs || Infinity; const dy = y.job.deadlineMs || Infinity;
    return (dx - dy) || (x.job.createdMs - y.job.createdMs) || (x.job.id < y.job.id ? -1 : x.job.id > y.job.id ? 1 : 0);
  });
}

interface Option { lane: Lane; ask: bigint; stake: bigint; eta: Eta }

function cmpOption(a: Option, b: Option): number {
  return (a.ask < b.ask ? -1 : a.ask > b.ask ? 1 : 0) || (b.lane.p.reputation - a.lane.p.reputation)
    || (a.eta.p50Ms - b.eta.p50Ms) || (a.lane.p.proverId < b.lane.p.proverId ? -1 : a.lane.p.proverId > b.lane.p.proverId ? 1 : 0);
}

/**
 * Plans one dispatch pass. Returns one decision per job, in routing order. Deterministic for the
 * same arguments.
 */
export function planDispatch(jobs: readonly RouteJob[], provers: readonly RouteProver[], predict: PredictFn, nowMs: number,
  opts: RouteOptions): Decision[] {
  const lanes = lanesOf(provers, predict, jobs.length);
  const out: Decision[] = [];
  for (const rj of routingOrder(jobs)) out.push(decide(rj, lanes, predict, nowMs, opts));
  return out;
}

/** Reserves the lane's earliest slot for a job of median `ms`. */
function reserve(l: Lane, ms: number): void {
  addToFirst(l.slotFree, ms);
  l.planned++;
}

function decide(rj: RouteJob, lanes: Map<string, Lane>, predict: PredictFn, nowMs: number, opts: RouteOptions): Decision {
  const { job, circuit } = rj;
  const jobId = job.id;
  const budget = job.deadlineMs > 0 ? job.deadlineMs - nowMs - opts.verifyMarginMs : null;
  if (rj.challengeFor) {
    const l = lanes.get(rj.challengeFor);
    if (!l) return { jobId, kind: 'wait', note: `challenge for prover ${rj.challengeFor}, which is not connected`, bestEta: null };
    const pred = predict(l.p.proverId, circuit.curve, circuit.constraints);
    const eta = etaOf(pred, l.slotFree[0], budget);
    if (l.slotFree[0] > 0) { return { jobId, kind: 'wait', note: `challenge waits for a free slot of prover ${l.p.name}`, bestEta: eta }; }
    reserve(l, pred.medianMs);
    return { jobId, kind: 'assign', proverId: l.p.proverId, price: 0n, stake: 0n, eta, note: `admission challenge for prover ${l.p.name}` };
  }
  if (lanes.size === 0) return { jobId, kind: 'wait', note: 'no prover is connected', bestEta: null };
  const reasons = new Map<string, number>();
  let cheapestOver: bigint | null = null;
  const options: Option[] = [];
  for (const l of lanes.values()) {
    const p = l.p;
    if (p.state === 'suspended' || p.state === 'admitting') {
      reasons.set(p.state === 'suspended' ? 'suspended' : 'admitting', 1 + (reasons.get(p.state) ?? 0)); continue;
    }
    const e = eligibility(job, circuit, { ...p, freeStake: l.freeStake }, opts.policy);
    if ('none' in e) {
      reasons.set(e.none, 1 + (reasons.get(e.none) ?? 0));
      if (e.none === 'price' && e.ask !== undefined && (cheapestOver === null || e.ask < cheapestOver)) cheapestOver = e.ask;
      continue;
    }
    const pred = predict(p.proverId, circuit.curve, circuit.constraints);
    options.push({ lane: l, ...e, eta: etaOf(pred, l.slotFree[0], budget) });
  }
  if (options.length === 0) return { jobId, kind: 'wait', note: whyNone(reasons, cheapestOver, job, circuit), bestEta: null };
  // The prover whose lease on this job just lapsed goes last (it may be hung or gone), and so do
  // the operators that gave it back (a transient error, or griefing): another operator, even a
  // busy one, is waited for; with none, they retry it.
  const lapsed = (o: Option) => (job.attempts > 0 && o.lane.p.proverId === job.proverId) || gaveBack(job, o.lane.p);
  let pool = options.some((o) => !lapsed(o)) ? options.filter((o) => !lapsed(o)) : options;
  const given = job.givenBack ?? [];
  const passed = given.length === 0 ? ''
    : pool.length < options.length ? ` (passed over operator(s) ${given.join(', ')}: they gave it back)`
      : pool.some((o) => gaveBack(job, o.lane.p)) ? ` (again to operator(s) ${given.join(', ')}, who gave it back: no other operator can take it)` : '';
  // No deadline: any free prover beats waiting for a cheaper busy one (a burst is not swallowed by the cheapest).
  if (budget === null && pool.some((o) => o.lane.slotFree[0] === 0)) pool = pool.filter((o) => o.lane.slotFree[0] === 0);
  const target = budget === null ? 0 : rj.minOnTime;
  // The fallback is the last rung of the deadline ladder: only for a job with a deadline, and when
  // no market prover is connected for it, only once half of its time budget has gone by.
  const market = pool.filter((o) => !o.lane.p.fallback);
  const total = job.deadlineMs - job.createdMs;
  const fallbackOk = budget !== null && (market.length > 0 || nowMs - job.createdMs >= 0.5 * total);
  if (!fallbackOk && market.length < pool.length) {
    pool = market;
    if (pool.length === 0) {
      return {
        jobId, kind: 'wait', bestEta: null,
        note: budget === null ? 'no market prover is connected for it (the fallback prover only takes jobs with a deadline)'
          : `no market prover is connected for it; the broker's fallback prover takes it at ${new Date(job.createdMs + Math.ceil(0.5 * total)).toISOString()} if none is by then`,
      };
    }
  }
  const tiers: ((o: Option) => boolean)[] = [
    (o) => !o.lane.p.fallback && o.lane.p.state === 'active',
    (o) => !o.lane.p.fallback, // widened: demoted provers too
    (o) => o.lane.p.fallback, // the broker-local fallback
  ];
  for (let t = 0; t < tiers.length; t++) {
    const ok = pool.filter((o) => tiers[t](o) && o.eta.onTime >= target).sort(cmpOption);
    if (ok.length === 0) continue;
    const best = ok[0];
    const step = t === 1 ? ' (widened to demoted provers: no active prover is likely on time)'
      : t === 2 ? ' (escalated to the broker\'s fallback prover: no market prover is likely on time)' : '';
    return place(jobId, best, job, circuit, predict, step + passed);
  }
  // Nobody meets the target: say so, with the best on offer, and give it to the likeliest one if free.
  const best = [...pool].sort((a, b) => (b.eta.onTime - a.eta.onTime) || (a.eta.p50Ms - b.eta.p50Ms) || cmpOption(a, b))[0];
  const note = `no prover can meet the deadline with ${pct(rj.minOnTime)} certainty: best ETA ${secs(best.eta.p50Ms)} `
    + `(p90 ${secs(best.eta.p90Ms)}, ${pct(best.eta.onTime)} on time) from ${best.lane.p.name}, ${secs(Math.max(0, budget ?? 0))} left`;
  if (best.lane.slotFree[0] === 0) return place(jobId, best, job, circuit, predict, '', note);
  return { jobId, kind: 'wait', note, bestEta: best.eta };
}

function place(jobId: string, o: Option, job: JobRecord, circuit: CircuitRecord, predict: PredictFn, step: string, override?: string): Decision {
  const l = o.lane;
  const median = predict(l.p.proverId, circuit.curve, circuit.constraints).medianMs;
  if (l.slotFree[0] === 0) {
    reserve(l, median);
    l.freeStake -= o.stake;
    const note = override ?? `assigned to ${l.p.name} at ${o.ask}: ETA ${secs(o.eta.p50Ms)} (p90 ${secs(o.eta.p90Ms)}`
      + `${job.deadlineMs ? `, ${pct(o.eta.onTime)} on time` : ''})${step}`;
    return { jobId, kind: 'assign', proverId: l.p.proverId, price: o.ask, stake: o.stake, eta: o.eta, note };
  }
  const position = l.p.running.length + l.planned - l.p.slots + 1;
  reserve(l, median);
  return {
    jobId, kind: 'wait', bestEta: o.eta,
    note: `waiting for ${l.p.name}, the cheapest prover likely on time (ask ${o.ask}, ${pct(o.eta.onTime)} on time): `
      + `position ${Math.max(1, position)} in its queue, starts in ~${secs(o.eta.queueMs)}, ETA ${secs(o.eta.p50Ms)}${step}`,
  };
}

function whyNone(reasons: Map<string, number>, cheapestOver: bigint | null, job: JobRecord, c: CircuitRecord): string {
  const parts: string[] = [];
  const c2 = c2ShapeOf(c);
  if (reasons.has('kind')) parts.push(`${reasons.get('kind')} connected prover(s) run no filecoin-c2 command`);
  if (reasons.has('sector_size')) parts.push(`${reasons.get('sector_size')} prover(s) run filecoin-c2 but not for sector size ${c2 ? formatSectorSize(c2.sectorSize) : '?'}`);
  if (reasons.has('memory') && c2) parts.push(`${reasons.get('memory')} prover(s) state less memory for their C2 command than a ${formatSectorSize(c2.sectorSize)} sector needs (${c2MemoryNeed(c2.sectorSize)} bytes)`);
  if (reasons.has('curve')) parts.push(`no connected prover supports curve ${c.curve}`);
  if (reasons.has('too_large')) parts.push(`the circuit's ${c.constraints} constraints exceed what ${reasons.get('too_large')} prover(s) accept`);
  if (reasons.has('memory') && !c2) parts.push(`its proving key (${keyBytes(c)} bytes) does not fit the memory of ${reasons.get('memory')} prover(s)`);
  if (reasons.has('price')) parts.push(`the cheapest ask is ${cheapestOver} micro-credits, over the job's max price ${job.maxPrice}`);
  if (reasons.has('stake')) parts.push(`${reasons.get('stake')} prover(s) lack the free stake to take it`);
  if (reasons.has('excluded')) parts.push(`${reasons.get('excluded')} prover(s) returned a wrong proof for it`);
  if (reasons.has('suspended')) parts.push(`${reasons.get('suspended')} prover(s) are suspended (missed their ETAs) until they pass challenges`);
  if (reasons.has('admitting')) parts.push(`${reasons.get('admitting')} prover(s) are still taking admission challenges`);
  return parts.length ? parts.join('; ') : 'no eligible prover';
}
