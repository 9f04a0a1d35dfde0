// Who is at fault? The broker's verdict on a prover's result, from the job's statement
// (statement.ts), the result's public signals and the pairing check. Pure decisions, so the rules
// read in one place and are tested without a server:
//
//   result            statement                 → decision
//   any               bad_input                 → bad_input: the client's input/witness is at fault
//                                                  (FAILED, refunded, no prover blamed)
//   any               unavailable               → unavailable: the broker could not check; nobody blamed
//   proof             ok, other public signals  → wrong: a proof of another statement (prover penalised)
//   proof             ok, malformed proof       → wrong
//   proof             ok, pairing fails         → wrong if the witness was checked against the R1CS;
//                                                  without an R1CS the witness itself (the client's
//                                                  .wtns, or what its wasm computes) may not satisfy
//                                                  the circuit, so the failure is inconclusive (requeued to
//                                                  another prover, penalty deferred until a proof of the
//                                                  same witness verifies; failures from enough
//                                                  operators end the job FAILED, refunded, saying the
//                                                  broker cannot tell who is at fault: Suspicions)
//   proof             ok, pairing holds         → accept
//   "bad input" claim ok, witness computed or
//                     R1CS-checked              → wrong: the claim is false (the broker has a valid witness)
//   "bad input" claim ok, unchecked witness     → inconclusive
import { checkProofShape } from '../verify';
import { statementMismatch, type Statement } from './statement';

export interface PairingVerdict { ok: boolean; reason: string }

export type Decision =
  | { kind: 'accept' }
  /** The prover is at fault; `reason` names the job's statement and what the prover sent. */
  | { kind: 'wrong'; reason: string }
  /** The client's input or witness is at fault. */
  | { kind: 'bad_input'; reason: string }
  /** Could be either: requeue away from this prover, decide later. */
  | { kind: 'inconclusive'; reason: string }
  /** The broker could not check (verifier or witness pool down). */
  | { kind: 'unavailable'; reason: string };

export interface ProofCase {
  jobId: string;
  statement: Statement;
  /** The job carried a witness (else input signals the broker computed the witness from). */
  source: 'input' | 'witness';
  /** Names of the public signals, for messages (from the .sym), or null. */
  names: readonly string[] | null;
  nPublic: number;
  proofJson: string;
  publicJson: string;
  /** The pairing check; called only when everything else holds. */
  pairing: () => Promise<PairingVerdict>;
}

const UNAVAILABLE = /^verifier unavailable/;
/**
 * What snarkjs 0.7 says (via logger.error) when a proof point is not on the curve / in the subgroup
 * or a public signal is not a field element; "malformed proof" is our verify-worker's prefix when
 * snarkjs throws. Never the witness's fault.
 */
const MALFORMED = /^malformed proof|not well constructed|proof commitments are not valid|public inputs are not valid/i;

export async function judgeProof(c: ProofCase): Promise<Decision> {
  const st = c.statement;
  if (st.kind === 'bad_input') return { kind: 'bad_input', reason: st.reason };
  if (st.kind === 'unavailable') return { kind: 'unavailable', reason: `the job's public signals could not be computed: ${st.reason}` };
  const shape = checkProofShape(c.proofJson, c.publicJson, c.nPublic);
  if (typeof shape === 'string') return { kind: 'wrong', reason: `malformed proof for job ${c.jobId}: ${shape}` };
  const mismatch = statementMismatch(st.publicSignals, c.publicJson, c.names, c.source);
  if (mismatch) return { kind: 'wrong', reason: `proof for job ${c.jobId} is for another statement: ${mismatch}` };
  const v = await c.pairing();
  if (v.ok) return { kind: 'accept' };
  if (UNAVAILABLE.test(v.reason)) return { kind: 'unavailable', reason: v.reason };
  if (MALFORMED.test(v.reason)) return { kind: 'wrong', reason: `malformed proof for job ${c.jobId}: ${v.reason}` };
  if (st.r1cs === 'unchecked') {
    // Without an R1CS nobody knows whether the witness satisfies the key's circuit: the client's
    // .wtns, or the witness its wasm computes (a wasm of another circuit makes every proof fail).
    const whose = c.source === 'witness' ? 'the client\'s witness' : 'the witness the circuit\'s wasm computes';
    return { kind: 'inconclusive', reason: `proof for job ${c.jobId} failed the pairing check (${v.reason}); the circuit has no R1CS to tell whether ${whose} satisfies it` };
  }
  return { kind: 'wrong', reason: `proof for job ${c.jobId} failed verification (${v.reason}) although the job's witness satisfies the circuit` };
}

/** A prover's non-retryable error ("the input is bad"), judged against the broker's own check. */
export function judgeBadInputClaim(jobId: string, claim: string, st: Statement, source: 'input' | 'witness'): Decision {
  if (st.kind === 'bad_input') return { kind: 'bad_input', reason: st.reason };
  if (st.kind === 'unavailable') {
    return { kind: 'inconclusive', reason: `prover claims the input of job ${jobId} is bad (${claim}); the broker could not check (${st.reason})` };
  }
  if (source === 'input' || st.r1cs === 'satisfied') {
    const how = source === 'input' ? 'computed a witness for it with the circuit\'s wasm' : 'checked the witness against the circuit\'s R1CS';
    return { kind: 'wrong', reason: `false claim that the input of job ${jobId} is bad (${claim}): the broker ${how}` };
  }
  return { kind: 'inconclusive', reason: `prover claims the witness of job ${jobId} is bad (${claim}); the circuit has no R1CS to check it` };
}

/**
 * Inconclusive failures per job (witness jobs of circuits without an R1CS). `threshold` distinct
 * provers (operators, where known) failing the same witness conclude that the witness is bad.
 * A proof that verifies later does not make them wrong: it may be of another witness with the same
 * public signals (e.g. the client's own, handed to a colluding prover), so nobody is penalised.
 * In memory: after a broker restart the count starts again (nobody is penalised wrongly; it may
 * take more attempts to conclude).
 */
/** A prover whose failure was set aside. */
export interface Suspect { prover: string; voice: string; reason: string }

export class Suspicions {
  private readonly byJob = new Map<string, Suspect[]>();
  constructor(readonly threshold = 2) {}

  /**
   * Records one inconclusive failure by `prover` (counted per `voice`: its operator, so one
   * operator's many daemons are one voice); returns whether the witness is now concluded bad.
   */
  add(jobId: string, prover: string, reason: string, voice = prover): boolean {
    const l = this.byJob.get(jobId) ?? [];
    if (!l.some((x) => x.prover === prover)) l.push({ prover, voice, reason });
    this.byJob.set(jobId, l);
    return new Set(l.map((x) => x.voice)).size >= this.threshold;
  }

  /** The provers that failed this job inconclusively so far. */
  of(jobId: string): readonly Suspect[] { return this.byJob.get(jobId) ?? []; }

  /** Independent voices (operators) among them. */
  voices(jobId: string): number { return new Set(this.of(jobId).map((x) => x.voice)).size; }

  /** Ends the job's record (terminal state); returns what it held. */
  take(jobId: string): Suspect[] {
    const l = this.byJob.get(jobId) ?? [];
    this.byJob.delete(jobId);
    return l;
  }
}
