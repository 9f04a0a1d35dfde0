// The broker's persistence boundary. Everything the broker knows lives behind this interface so
// that a PostgreSQL implementation can replace the embedded SQLite one. All methods are async
// (SQLite answers synchronously; PostgreSQL will not).
//
// Job lifecycle: SUBMITTED → QUEUED → ASSIGNED → PROVING → VERIFYING → DONE, and terminal
// FAILED / EXPIRED / CANCELLED. Every transition method is ONE atomic write guarded by the
// previous state (and by the lease token where a lease applies); it returns a named outcome and,
// when it moved the job, the job as written.
import type { CurveName } from '../../src/common/curves';

export type JobStateName =
  | 'SUBMITTED' | 'QUEUED' | 'ASSIGNED' | 'PROVING' | 'VERIFYING'
  | 'DONE' | 'FAILED' | 'EXPIRED' | 'CANCELLED';

export const TERMINAL_STATES: readonly JobStateName[] = ['DONE', 'FAILED', 'EXPIRED', 'CANCELLED'];
export const LIVE_STATES: readonly JobStateName[] = ['SUBMITTED', 'QUEUED', 'ASSIGNED', 'PROVING', 'VERIFYING'];
export const LEASED_STATES: readonly JobStateName[] = ['ASSIGNED', 'PROVING'];
export function isTerminal(s: JobStateName): boolean { return TERMINAL_STATES.includes(s); }

export type ArtifactKindName = 'WASM' | 'ZKEY' | 'VKEY' | 'R1CS' | 'SYM';

export interface ArtifactRef { kind: ArtifactKindName; size: number; sha256: string }

/**
 * One input signal group as the circuit declares it (e.g. name "b", size 3). A circom 2.2 bus input
 * also lists its leaves relative to the name, in wire order ("[0].x", "[0].y", …).
 */
export interface InputSignalSpec { name: string; size: number; leaves?: string[] }

export interface CircuitRecord {
  id: string;
  name: string;
  curve: CurveName;
  protocol: 'groth16';
  constraints: number;
  nPublic: number;
  nVars: number;
  domainLog2: number;
  artifacts: ArtifactRef[];
  description: string;
  /** Input signal groups from r1cs+sym, or null when only the wasm can tell (see broker/inputs.ts). */
  inputs: InputSignalSpec[] | null;
  createdMs: number;
}

export interface ProverCaps {
  curves: CurveName[];
  backends: string[];
  maxConstraints: number;
  slots: number;
  price: number;
  devices: { name: string; memoryBytes: string; backend: string }[];
  bench: { curve: CurveName | null; backend: string; log2Constraints: number; proveMs: number }[];
}

export interface ProverRecord {
  id: string;
  key: string;
  name: string;
  caps: ProverCaps;
  /** Starts at 0; +1 per accepted proof, -10 per rejected proof. */
  reputation: number;
  accepted: number;
  rejected: number;
  createdMs: number;
  lastSeenMs: number;
}

export interface JobRecord {
  id: string;
  requestId: string;
  circuitId: string;
  state: JobStateName;
  /** Exactly one of inputJson / witness is set. */
  inputJson: string | null;
  witness: Buffer | null;
  /** sha256 of the payload: makes idempotent retries with a different payload detectable. */
  payloadSha256: string;
  attempts: number;
  maxAttempts: number;
  proverId: string;
  /** Token of the current lease, or of the last one once the lease has ended (then powerless). */
  leaseToken: string;
  leaseExpiresMs: number;
  progress: number;
  stage: string;
  proofJson: string;
  publicJson: string;
  backend: string;
  proveMs: number;
  error: string;
  /** Provers that returned a wrong proof for this job; never assigned it again. */
  excluded: string[];
  deadlineMs: number;
  maxPrice: number;
  createdMs: number;
  updatedMs: number;
}

export interface NewJob {
  id: string;
  requestId: string;
  circuitId: string;
  inputJson: string | null;
  witness: Buffer | null;
  payloadSha256: string;
  maxAttempts: number;
  deadlineMs: number;
  maxPrice: number;
  nowMs: number;
}

/** The result of a guarded transition: `outcome` names what happened; `job` is set when it moved. */
export interface Transition<O extends string> { outcome: O; job: JobRecord | null }

export type SubmitOutcome = 'created' | 'existing' | 'conflict';
export type ClaimOutcome = 'claimed' | 'not_found' | 'not_queued';
export type LeaseOutcome = 'ok' | 'not_found' | 'stale';
export type SimpleOutcome = 'moved' | 'not_found' | 'wrong_state';
export type ReleaseOutcome = 'requeued' | 'failed' | 'not_found' | 'stale';
export type CancelOutcome = 'cancelled' | 'not_found' | 'terminal';
export type CircuitInsertOutcome = 'inserted' | 'identical' | 'name_taken' | 'id_taken';

export interface ListJobsFilter { state?: JobStateName; circuitId?: string; limit?: number }

export interface Store {
  // ---- circuits ----
  insertCircuit(c: CircuitRecord): Promise<{ outcome: CircuitInsertOutcome; existing: CircuitRecord | null }>;
  /** By id or by name. */
  getCircuit(idOrName: string): Promise<CircuitRecord | null>;
  listCircuits(): Promise<CircuitRecord[]>;

  // ---- provers ----
  /** Same key → same id (the id is derived from the key); updates name and capabilities. */
  upsertProver(key: string, name: string, caps: ProverCaps, nowMs: number): Promise<ProverRecord>;
  getProver(id: string): Promise<ProverRecord | null>;
  /** Accepted proof: reputation +1. Rejected proof: reputation -10, rejected +1. */
  recordVerdict(proverId: string, accepted: boolean): Promise<void>;

  // ---- jobs: reads ----
  getJob(id: string): Promise<JobRecord | null>;
  getJobByLeaseToken(token: string): Promise<JobRecord | null>;
  listJobs(f: ListJobsFilter): Promise<JobRecord[]>;
  /** Every job not in a terminal state, oldest first. */
  liveJobs(): Promise<JobRecord[]>;
  /** QUEUED jobs, oldest first. */
  queuedJobs(limit: number): Promise<JobRecord[]>;
  /** Jobs leased (ASSIGNED/PROVING) to this prover. */
  leasedTo(proverId: string): Promise<JobRecord[]>;

  // ---- jobs: transitions (each one atomic, guarded by the previous state) ----
  /** Insert at SUBMITTED. Same request id → 'existing' (same payload) or 'conflict' (different). */
  submit(j: NewJob): Promise<Transition<SubmitOutcome>>;
  /** SUBMITTED → QUEUED. */
  enqueue(id: string, nowMs: number): Promise<Transition<SimpleOutcome>>;
  /** QUEUED → ASSIGNED with a fresh lease; attempts += 1. Exactly one concurrent claim wins. */
  claim(id: string, proverId: string, leaseToken: string, leaseExpiresMs: number, nowMs: number): Promise<Transition<ClaimOutcome>>;
  /** ASSIGNED|PROVING with this token: extend the lease. */
  heartbeat(id: string, leaseToken: string, leaseExpiresMs: number, nowMs: number): Promise<Transition<LeaseOutcome>>;
  /** ASSIGNED|PROVING with this token: record progress (kept if lower than the recorded one), move ASSIGNED → PROVING, extend the lease. */
  progress(id: string, leaseToken: string, fraction: number, stage: string, leaseExpiresMs: number, nowMs: number): Promise<Transition<LeaseOutcome>>;
  /** ASSIGNED|PROVING with this token → VERIFYING, storing the candidate proof. */
  beginVerify(id: string, leaseToken: string, proofJson: string, publicJson: string, backend: string, proveMs: number, nowMs: number): Promise<Transition<LeaseOutcome>>;
  /** VERIFYING with this token → DONE. */
  complete(id: string, leaseToken: string, nowMs: number): Promise<Transition<LeaseOutcome>>;
  /**
   * VERIFYING with this token: the proof was wrong. Excludes the prover from this job and moves
   * the job back to QUEUED, or to FAILED when attempts are exhausted.
   */
  reject(id: string, leaseToken: string, reason: string, nowMs: number): Promise<Transition<ReleaseOutcome>>;
  /**
   * ASSIGNED|PROVING with this token: the attempt ended without a proof. retryable → QUEUED
   * (FAILED when attempts are exhausted); not retryable → FAILED.
   */
  release(id: string, leaseToken: string, error: string, retryable: boolean, nowMs: number): Promise<Transition<ReleaseOutcome>>;
  /** The sweep: every ASSIGNED/PROVING job whose lease expired before nowMs → QUEUED or FAILED. */
  reclaimLapsed(nowMs: number): Promise<{ requeued: JobRecord[]; failed: JobRecord[]; previous: JobRecord[] }>;
  /** Every live job whose deadline passed → EXPIRED. Returns the jobs as they were before. */
  expireOverdue(nowMs: number): Promise<{ expired: JobRecord[]; previous: JobRecord[] }>;
  /** Any live state → CANCELLED. */
  cancel(id: string, reason: string, nowMs: number): Promise<Transition<CancelOutcome> & { previous: JobRecord | null }>;

  close(): Promise<void>;
}
