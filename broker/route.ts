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
import { MAX_GIVE_BACKS } from './lifecycle';
import { c2MemoryNeed, c2ShapeOf } from './c2';
import { formatSectorSize } from '../src/common/commit1';
import { etaOf, remainingGiven, remainingMs, type Eta, type Prediction } from './model';
import type { CircuitRecord, JobRecord, MoneyPolicy } from './store/types';

export type RouteState = 'active' | 'demoted' | 'suspended' | 'admitting';

export interface RouteProver extends Omit<MatchCandidate, 'active'> {
  name: string;
  state: RouteState;
  /** A broker-local fallback prover: used only when no market prover meets the target. */
  fallback: boolean;
  /** Per lease it holds: ms it has run so far (remaining time is predicted from the model). */
  running: { curve: string; constraints: number; elapsedMs: number }[];
  /**
   * How many leases it holds (= running.length), when known without building `running`: the
   * planner reads `running` only when the free slots are fewer than the jobs of the pass.
   */
  leases?: number;
}

/** The leases a prover holds. */
const leasesOf = (p: RouteProver): number => p.leases ?? p.running.length;

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
  /** One step of an offer raise, in basis points of the job's max price (default 1000: 10%). */
  offerStepBps?: number;
}

/** A raise of the job's offer the broker must record (store.raiseOffer) before acting on the decision. */
export interface OfferRaise { from: string; to: bigint; note: string }

export type Decision =
  | { jobId: string; kind: 'assign'; proverId: string; price: bigint; stake: bigint; eta: Eta; note: string; raise?: OfferRaise }
  | { jobId: string; kind: 'wait'; note: string; bestEta: Eta | null; raise?: OfferRaise };

export const DEFAULT_OFFER_STEP_BPS = 1000;

/** The job's offer now (micro-credits): its offer, or its max price when it has none. */
export function offerOf(job: JobRecord): bigint {
  return job.offer ? BigInt(job.offer) : BigInt(job.maxPrice);
}

/**
 * The offer after raising `offer` in whole steps (stepBps of `max`, at least 1 micro-credit)
 * until it covers `ask`, capped at `max`: offer + k·step for the smallest k ≥ 1 that does.
 */
export function raisedOffer(offer: bigint, ask: bigint, max: bigint, stepBps = DEFAULT_OFFER_STEP_BPS): bigint {
  if (ask <= offer) return offer;
  let step = (max * BigInt(Math.max(1, Math.round(stepBps)))) / 10_000n;
  if (step < 1n) step = 1n;
  const k = (ask - offer + step - 1n) / step;
  const to = offer + k * step;
  return to > max ? max : to;
}

interface Lane { p: RouteProver; slotFree: number[]; planned: number; freeStake: bigint }

const secs = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
const pct = (p: number) => `${Math.floor(p * 100)}%`;

/**
 * When each of the prover's slots frees up (ms from now, ascending): running leases' predicted
 * remaining time. Only the first `upTo` slots are listed (default: running leases + 1): the rest
 * are free (0) as well, and a pass that plans n jobs needs at most running + n of them. A prover
 * may declare a million slots; an array that long, sorted per lease, stalled the broker.
 */
export function slotsFreeAt(p: RouteProver, predict: PredictFn, upTo = leasesOf(p) + 1): number[] {
  // Enough idle slots for everything this pass can plan: each running lease holds a slot of its
  // own, and the listed ones are all free (0); the planner reads only the earliest (slotFree[0]).
  // This skips predicting and inserting every running lease (O(running²) per pass: a prover with
  // a thousand leases and a million slots made each dispatch pass cost milliseconds).
  const need = Math.max(1, upTo - leasesOf(p));
  if (p.slots - leasesOf(p) >= need) return new Array<number>(need).fill(0);
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
  for (const p of provers) lanes.set(p.proverId, { p, slotFree: slotsFreeAt(p, predict, leasesOf(p) + jobs), planned: 0, freeStake: p.freeStake });
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
  const capped = new Set<string>(); // operators that gave the job back MAX_GIVE_BACKS times
  let cheapestOver: bigint | null = null;
  const options: Option[] = [];
  for (const l of lanes.values()) {
    const p = l.p;
    if (p.state === 'suspended' || p.state === 'admitting') {
      reasons.set(p.state === 'suspended' ? 'suspended' : 'admitting', 1 + (reasons.get(p.state) ?? 0)); continue;
    }
    const e = eligibility(job, circuit, { ...p, freeStake: l.freeStake }, opts.policy);
    if ('none' in e) {
      // 'excluded' is either a wrong proof from this prover or its operator's give-backs used up:
      // told apart, the give-backs per operator (one operator's daemons are one, not N provers).
      if (e.none === 'excluded' && !job.excluded.includes(p.proverId) && p.operatorId) { capped.add(p.operatorId); continue; }
      reasons.set(e.none, 1 + (reasons.get(e.none) ?? 0));
      if (e.none === 'price' && e.ask !== undefined && (cheapestOver === null || e.ask < cheapestOver)) cheapestOver = e.ask;
      continue;
    }
    const pred = predict(p.proverId, circuit.curve, circuit.constraints);
    options.push({ lane: l, ...e, eta: etaOf(pred, l.slotFree[0], budget) });
  }
  if (options.length === 0) return { jobId, kind: 'wait', note: whyNone(reasons, cheapestOver, job, circuit, capped), bestEta: null };
  // The prover whose lease on this job just lapsed goes last (it may be hung or gone), and so do
  // the operators that gave it back (a transient error, or griefing): another operator, even a
  // busy one, is waited for; with none, they retry it.
  const lapsed = (o: Option) => (job.attempts > 0 && o.lane.p.proverId === job.proverId) || gaveBack(job, o.lane.p);
  let pool = options.some((o) => !lapsed(o)) ? options.filter((o) => !lapsed(o)) : options;
  const given = [...new Set(job.givenBack ?? [])];
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
  // The offer: provers asking more are not assigned the job until the ladder's first step raises
  // it. A job without a deadline is never at risk, so its offer is never raised.
  const offer = offerOf(job);
  const max = BigInt(job.maxPrice);
  if (budget === null) {
    const within = pool.filter((o) => o.ask <= offer);
    if (within.length === 0) {
      const cheapest = pool.reduce((m, o) => (o.ask < m ? o.ask : m), pool[0].ask);
      return { jobId, kind: 'wait', bestEta: null,
        note: `the cheapest ask is ${cheapest} micro-credits, over the job's offer ${offer} (it has no deadline, so the offer is not raised)` };
    }
    pool = within;
  }
  // The ladder: (0) active provers at the offer; (1) raise the offer in steps up to the max;
  // (2) widen: demoted provers too, no reputation preference; (3) the broker-local fallback.
  const tiers: { ok: (o: Option) => boolean; cmp: (a: Option, b: Option) => number; step: string }[] = [
    { ok: (o) => !o.lane.p.fallback && o.lane.p.state === 'active' && o.ask <= offer, cmp: cmpOption, step: '' },
    { ok: (o) => !o.lane.p.fallback && o.lane.p.state === 'active', cmp: cmpOption, step: '' },
    { ok: (o) => !o.lane.p.fallback, cmp: cmpWidened, step: ' (widened to demoted provers, reputation aside: no active prover is likely on time within the max price)' },
    { ok: (o) => o.lane.p.fallback, cmp: cmpOption, step: ' (escalated to the broker\'s fallback prover: no market prover is likely on time)' },
  ];
  for (const tier of tiers) {
    const ok = pool.filter((o) => tier.ok(o) && o.eta.onTime >= target).sort(tier.cmp);
    if (ok.length === 0) continue;
    const best = ok[0];
    return withRaise(place(jobId, best, job, circuit, predict, tier.step + passed), job, best, offer, max, opts,
      (to) => `offer raised from ${offer} to ${to} micro-credits: no prover at ${offer} is likely to meet the deadline `
        + `(${best.lane.p.name} asks ${best.ask}, ${pct(best.eta.onTime)} on time)`);
  }
  // Nobody meets the target: say so, with the best on offer, and give it to the likeliest one if free.
  const best = [...pool].sort((a, b) => (b.eta.onTime - a.eta.onTime) || (a.eta.p50Ms - b.eta.p50Ms) || cmpOption(a, b))[0];
  const note = `no prover can meet the deadline with ${pct(rj.minOnTime)} certainty: best ETA ${secs(best.eta.p50Ms)} `
    + `(p90 ${secs(best.eta.p90Ms)}, ${pct(best.eta.onTime)} on time) from ${best.lane.p.name}, ${secs(Math.max(0, budget ?? 0))} left`;
  if (best.lane.slotFree[0] === 0) {
    return withRaise(place(jobId, best, job, circuit, predict, '', note), job, best, offer, max, opts,
      (to) => `offer raised from ${offer} to ${to} micro-credits: no prover can meet the deadline; ${best.lane.p.name} (ask ${best.ask}) is the likeliest`);
  }
  return { jobId, kind: 'wait', note, bestEta: best.eta };
}

/** Widened ordering (ladder step 2): cheapest, then soonest; reputation does not count. */
function cmpWidened(a: Option, b: Option): number {
  return (a.ask < b.ask ? -1 : a.ask > b.ask ? 1 : 0) || (a.eta.p50Ms - b.eta.p50Ms)
    || (a.lane.p.proverId < b.lane.p.proverId ? -1 : a.lane.p.proverId > b.lane.p.proverId ? 1 : 0);
}

/** Attaches the offer raise a decision for `o` needs (its ask above the job's offer). */
function withRaise(d: Decision, job: JobRecord, o: Option, offer: bigint, max: bigint, opts: RouteOptions, why: (to: bigint) => string): Decision {
  if (o.ask <= offer) return d;
  const to = raisedOffer(offer, o.ask, max, opts.offerStepBps);
  return { ...d, raise: { from: job.offer ?? '', to, note: why(to) } };
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
  const position = leasesOf(l.p) + l.planned - l.p.slots + 1;
  reserve(l, median);
  return {
    jobId, kind: 'wait', bestEta: o.eta,
    note: `waiting for ${l.p.name}, the cheapest prover likely on time (ask ${o.ask}, ${pct(o.eta.onTime)} on time): `
      + `position ${Math.max(1, position)} in its queue, starts in ~${secs(o.eta.queueMs)}, ETA ${secs(o.eta.p50Ms)}${step}`,
  };
}

function whyNone(reasons: Map<string, number>, cheapestOver: bigint | null, job: JobRecord, c: CircuitRecord, capped: ReadonlySet<string>): string {
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
  if (reasons.has('excluded')) parts.push(`${reasons.get('excluded')} prover(s) returned a wrong proof for it (never offered it again)`);
  if (capped.size) {
    parts.push(`operator${capped.size > 1 ? 's' : ''} ${[...capped].join(', ')} gave it back ${MAX_GIVE_BACKS} times (the limit per operator), `
      + `so it is not offered to ${capped.size > 1 ? 'them' : 'it'} again: waiting for another operator`
      + ` (or cancel the job${job.maxPrice !== '0' ? ' to have its escrow refunded' : ''})`);
  }
  if (reasons.has('suspended')) parts.push(`${reasons.get('suspended')} prover(s) are suspended (missed their ETAs) until they pass challenges`);
  if (reasons.has('admitting')) parts.push(`${reasons.get('admitting')} prover(s) are still taking admission challenges`);
  return parts.length ? parts.join('; ') : 'no eligible prover';
}

/** A leased job as the at-risk check sees it. */
export interface LeaseView {
  job: JobRecord;
  circuit: CircuitRecord;
  /** Target P(on time), 0..1. */
  minOnTime: number;
  /** The prover holding it, and ms since it was assigned. */
  holder: RouteProver | { proverId: string; name: string };
  elapsedMs: number;
}

export type AtRisk =
  | { kind: 'move'; to: string; holderFinishMs: number; eta: Eta; note: string }
  | { kind: 'warn'; holderFinishMs: number; bestEta: Eta | null; note: string };

/**
 * The at-risk check of a leased job (the ladder's "the predicted finish moves past the deadline"),
 * pure. The holder's remaining time: the smaller of what its reported progress p (≥ 10%) says,
 * elapsed·(1−p)/p, and what its latency model says given the time run (model.ts remainingGiven:
 * as long again once past the model's 99th percentile, a stalled prover). When that finish is
 * past the deadline (less the verification margin), the job is planned afresh on the other
 * connected provers (planDispatch, the holder left out): a free prover more likely than not on time
 * whose median finish beats the holder's gets it ('move': the broker revokes the lease and requeues
 * the job, the holder is passed over as a lapsed one); else the client is told early, with the best
 * ETA on offer ('warn'). Null: no deadline, past it already, or on track.
 */
export function leaseAtRisk(l: LeaseView, others: readonly RouteProver[], predict: PredictFn, nowMs: number, opts: RouteOptions): AtRisk | null {
  const { job, circuit } = l;
  if (job.deadlineMs <= 0) return null;
  const budget = job.deadlineMs - nowMs - opts.verifyMarginMs;
  if (budget <= 0) return null;
  const pred = predict(l.holder.proverId, circuit.curve, circuit.constraints);
  const p = job.progress;
  // Both must say late: a prover's progress comes in coarse stages (it may sit at one for most
  // of the proof), and a model says little about a prover that has stalled until it is past its
  // 99th percentile; the smaller estimate wins, so a job is never moved on one weak signal.
  const byModel = remainingGiven(pred, l.elapsedMs);
  const byProgress = p >= 0.1 && p < 1 ? l.elapsedMs * (1 - p) / p : Infinity;
  const left = Math.min(byModel, byProgress);
  if (left <= budget) return null;
  const how = byProgress <= byModel ? `its progress (${pct(p)} after ${secs(l.elapsedMs)})` : `its measured speed (median ${secs(pred.medianMs)}, running ${secs(l.elapsedMs)})`;
  const late = `prover ${l.holder.name} is likely late: ${how} predicts a finish in ${secs(left)}, with ${secs(budget)} to the deadline`;
  const fresh: JobRecord = { ...job, state: 'QUEUED', attempts: 0, proverId: '', leaseToken: '' };
  const d = planDispatch([{ job: fresh, circuit, minOnTime: l.minOnTime }], others.filter((o) => o.proverId !== l.holder.proverId), predict, nowMs, opts)[0];
  if (d.kind === 'assign' && d.eta.onTime >= 0.5 && d.eta.p50Ms < left) {
    const to = others.find((o) => o.proverId === d.proverId)!;
    return {
      kind: 'move', to: d.proverId, holderFinishMs: left, eta: d.eta,
      note: `moved: ${late}; requeued for ${to.name} (ETA ${secs(d.eta.p50Ms)}, ${pct(d.eta.onTime)} on time)`,
    };
  }
  const best = d.kind === 'assign' ? d.eta : d.bestEta;
  return {
    kind: 'warn', holderFinishMs: left, bestEta: best,
    note: `at risk: ${late}; no other prover can do better now${best ? ` (best ETA elsewhere ${secs(best.p50Ms)}, ${pct(best.onTime)} on time)` : ''}`,
  };
}
