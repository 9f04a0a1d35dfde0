// Matching, as a pure function of (job, circuit, candidate provers, clock): which connected prover
// gets a queued job, and at what price. No I/O; the claim that follows is a guarded store write.
import { c2MemoryNeed, c2ShapeOf, isC2Circuit } from './c2';
import { askFor, stakeFor } from './money';
import { givenBackTimes, MAX_GIVE_BACKS } from './lifecycle';
import type { CircuitRecord, JobRecord, MoneyPolicy } from './store/types';

export interface MatchCandidate {
  proverId: string;
  curves: readonly string[];
  /** 0 = no limit. */
  maxConstraints: number;
  /** Micro-credits per proof, and per million constraints. */
  price: bigint;
  pricePerMConstraints: bigint;
  reputation: number;
  /** Leases held / slots. */
  active: number;
  slots: number;
  /** The operator account it runs for (routing prefers other operators after one gave a job back). */
  operatorId?: string;
  /** The operator's available balance: what it can still lock as stake. */
  freeStake: bigint;
  /** The most memory one of its devices has (bytes: host RAM for cpu/snarkjs, card memory for
   * cuda, as the prover advertises them); 0 or absent = unknown, no limit. */
  memoryBytes?: number;
  /** What it advertises for filecoin-c2 jobs (sector sizes in bytes, its command's memory limit, its ask per job); absent = none. */
  c2?: { sectorSizes: readonly number[]; memoryBytes: number; price: bigint } | null;
}

export interface Match { proverId: string; price: bigint; stake: bigint }

export type NoMatchReason = 'no_prover' | 'curve' | 'too_large' | 'memory' | 'price' | 'excluded' | 'stake' | 'busy' | 'kind' | 'sector_size';

/** Bytes of the circuit's proving key (its zkey artifact); 0 when unknown. */
export function keyBytes(circuit: CircuitRecord): number {
  return circuit.artifacts.find((a) => a.kind === 'ZKEY')?.size ?? 0;
}

/**
 * Whether one candidate may take `job` (its slots aside). A filecoin-c2 job: the prover runs a C2
 * command for the job's sector size, states enough memory for it (or none), its C2 ask. Else: the circuit's curve, the circuit within
 * its max constraints, the proving key no larger than its largest device memory (a key that does
 * not fit is never routed there: PoRep-sized keys are tens of GiB), not excluded (it returned a
 * wrong proof for this job), its ask within the job's max price and enough free stake for the
 * lease. Returns the ask and stake, or why not.
 */
export function eligibility(job: JobRecord, circuit: CircuitRecord, c: Omit<MatchCandidate, 'active' | 'slots'>, policy: MoneyPolicy):
  { ask: bigint; stake: bigint } | { none: Exclude<NoMatchReason, 'no_prover' | 'busy'>; ask?: bigint } {
  let ask: bigint;
  if (isC2Circuit(circuit)) {
    const c2 = c2ShapeOf(circuit);
    // A filecoin-c2 job: only a prover running a C2 command for its sector size, with the memory
    // for it where it states its command's limit; priced per job (its C2 ask), not per constraint.
    if (!c.c2 || !c2) return { none: 'kind' };
    if (!c.c2.sectorSizes.includes(c2.sectorSize)) return { none: 'sector_size' };
    if (c.c2.memoryBytes && c2MemoryNeed(c2.sectorSize) > c.c2.memoryBytes) return { none: 'memory' };
    if (job.excluded.includes(c.proverId)) return { none: 'excluded' };
    if (c.operatorId && givenBackTimes(job, c.operatorId) >= MAX_GIVE_BACKS) return { none: 'excluded' };
    ask = c.c2.price;
  } else {
    if (!c.curves.includes(circuit.curve)) return { none: 'curve' };
    if (c.maxConstraints !== 0 && circuit.constraints > c.maxConstraints) return { none: 'too_large' };
    if (c.memoryBytes && keyBytes(circuit) > c.memoryBytes) return { none: 'memory' };
    if (job.excluded.includes(c.proverId)) return { none: 'excluded' };
    if (c.operatorId && givenBackTimes(job, c.operatorId) >= MAX_GIVE_BACKS) return { none: 'excluded' };
    ask = askFor(c.price, c.pricePerMConstraints, circuit.constraints);
  }
  if (ask > BigInt(job.maxPrice)) return { none: 'price', ask };
  const stake = stakeFor(ask, policy);
  if (stake > c.freeStake) return { none: 'stake', ask };
  return { ask, stake };
}

/** Whether the candidate's operator gave `job` back before (a retryable error): others go first. */
export function gaveBack(job: JobRecord, c: Pick<MatchCandidate, 'operatorId'>): boolean {
  return !!c.operatorId && !!job.givenBack?.includes(c.operatorId);
}

/**
 * The prover for `job`, or why none fits. Eligible: a free slot and `eligibility` above.
 * Order: the prover whose lease on this job just lapsed, and provers of operators that gave it
 * back, go last (they may be hung, or griefing), then cheapest
 * ask, then reputation, then the least loaded, then id (deterministic).
 */
export function chooseProver(job: JobRecord, circuit: CircuitRecord, cands: readonly MatchCandidate[], policy: MoneyPolicy):
  Match | { none: NoMatchReason } {
  if (cands.length === 0) return { none: 'no_prover' };
  let why: NoMatchReason = 'busy';
  const ok: (MatchCandidate & { ask: bigint; stake: bigint })[] = [];
  for (const c of cands) {
    if (c.active >= Math.max(1, c.slots)) continue;
    const e = eligibility(job, circuit, c, policy);
    if ('none' in e) { why = e.none; continue; }
    ok.push({ ...c, ...e });
  }
  if (ok.length === 0) return { none: why };
  const lapsedOn = (c: MatchCandidate) => (job.attempts > 0 && c.proverId === job.proverId) || gaveBack(job, c) ? 1 : 0;
  ok.sort((a, b) => (lapsedOn(a) - lapsedOn(b)) || (a.ask < b.ask ? -1 : a.ask > b.ask ? 1 : 0) || (b.reputation - a.reputation)
    || (a.active / a.slots - b.active / b.slots) || (a.proverId < b.proverId ? -1 : a.proverId > b.proverId ? 1 : 0));
  return { proverId: ok[0].proverId, price: ok[0].ask, stake: ok[0].stake };
}
