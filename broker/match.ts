// Matching, as a pure function of (job, circuit, candidate provers, clock): which connected prover
// gets a queued job, and at what price. No I/O; the claim that follows is a guarded store write.
import { askFor, stakeFor } from './money';
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
  /** The operator's available balance: what it can still lock as stake. */
  freeStake: bigint;
  /** The most memory one of its devices has (bytes: host RAM for cpu/snarkjs, card memory for
   * cuda, as the prover advertises them); 0 or absent = unknown, no limit. */
  memoryBytes?: number;
}

export interface Match { proverId: string; price: bigint; stake: bigint }

export type NoMatchReason = 'no_prover' | 'curve' | 'too_large' | 'memory' | 'price' | 'excluded' | 'stake' | 'busy';

/** Bytes of the circuit's proving key (its zkey artifact); 0 when unknown. */
export function keyBytes(circuit: CircuitRecord): number {
  return circuit.artifacts.find((a) => a.kind === 'ZKEY')?.size ?? 0;
}

/**
 * The prover for `job`, or why none fits. Eligible: a free slot, the circuit's curve, the circuit
 * within its max constraints, the proving key no larger than its largest device memory (a key that
 * does not fit is never routed there: PoRep-sized keys are tens of GiB), its ask (price + per-million-constraints rate) within the job's max
 * price, enough free stake for the lease, and not excluded (it returned a wrong proof for this job).
 * Order: the prover whose lease on this job just lapsed goes last (it may be hung), then cheapest
 * ask, then reputation, then the least loaded, then id (deterministic).
 */
export function chooseProver(job: JobRecord, circuit: CircuitRecord, cands: readonly MatchCandidate[], policy: MoneyPolicy):
  Match | { none: NoMatchReason } {
  if (cands.length === 0) return { none: 'no_prover' };
  const maxPrice = BigInt(job.maxPrice);
  let why: NoMatchReason = 'busy';
  const ok: (MatchCandidate & { ask: bigint; stake: bigint })[] = [];
  for (const c of cands) {
    if (c.active >= Math.max(1, c.slots)) continue;
    if (!c.curves.includes(circuit.curve)) { why = 'curve'; continue; }
    if (c.maxConstraints !== 0 && circuit.constraints > c.maxConstraints) { why = 'too_large'; continue; }
    if (c.memoryBytes && keyBytes(circuit) > c.memoryBytes) { why = 'memory'; continue; }
    if (job.excluded.includes(c.proverId)) { why = 'excluded'; continue; }
    const ask = askFor(c.price, c.pricePerMConstraints, circuit.constraints);
    if (ask > maxPrice) { why = 'price'; continue; }
    const stake = stakeFor(ask, policy);
    if (stake > c.freeStake) { why = 'stake'; continue; }
    ok.push({ ...c, ask, stake });
  }
  if (ok.length === 0) return { none: why };
  const lapsedOn = (c: MatchCandidate) => (job.attempts > 0 && c.proverId === job.proverId ? 1 : 0);
  ok.sort((a, b) => (lapsedOn(a) - lapsedOn(b)) || (a.ask < b.ask ? -1 : a.ask > b.ask ? 1 : 0) || (b.reputation - a.reputation)
    || (a.active / a.slots - b.active / b.slots) || (a.proverId < b.proverId ? -1 : a.proverId > b.proverId ? 1 : 0));
  return { proverId: ok[0].proverId, price: ok[0].ask, stake: ok[0].stake };
}
