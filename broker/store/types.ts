// The broker's persistence boundary. Everything the broker knows lives behind this interface so
// that a PostgreSQL implementation can replace the embedded SQLite one. All methods are async
// (SQLite answers synchronously; PostgreSQL will not). test/broker/store-contract.ts is the test
// suite every implementation must pass.
//
// The job lifecycle is declared in ../lifecycle.ts. Every transition method is ONE transaction
// that (1) moves the job, guarded by its previous state (and lease token where a lease applies),
// (2) writes the ledger entries the move implies and (3) appends an outbox event. It returns a
// named outcome and, when it moved the job, the job as written.
//
// Money: integer micro-credits, `bigint` in arguments and decimal strings in records; never a JS
// number. Every ledger transaction sums to zero; no balance but the mint's goes negative.
import type { CurveName } from '../../src/common/curves';
import type { JobStateName } from '../lifecycle';

export type { JobStateName } from '../lifecycle';
export { TERMINAL_STATES, LIVE_STATES, LEASED_STATES, isTerminal } from '../lifecycle';

export type ArtifactKindName = 'WASM' | 'ZKEY' | 'VKEY' | 'R1CS' | 'SYM';

export interface ArtifactRef { kind: ArtifactKindName; size: number; sha256: string }

/**
 * One input signal group as the circuit declares it (e.g. name "b", size 3). A circom 2.2 bus input
 * also lists its leaves relative to the name, in wire order ("[0].x", "[0].y", …).
 */
export interface InputSignalSpec { name: string; size: number; leaves?: string[] }

// ---- accounts ----

export type Role = 'client' | 'prover' | 'admin';
export type AccountRole = Role | 'system';
export const ROLES: readonly Role[] = ['client', 'prover', 'admin'];

export interface AccountRecord { id: string; name: string; role: AccountRole; createdMs: number }
export interface ApiKeyRecord { id: string; accountId: string; keySha256: string; createdMs: number; revokedMs: number }

/** Names of the market's own accounts (role 'system', no keys). */
export const MARKET_ACCOUNT = 'market';
export const MINT_ACCOUNT = 'mint';

// ---- money ----

/**
 * Books of an account: client `available` and `escrow`; prover operator `available` (what an admin
 * deposited: free stake), `stake` (locked while it holds leases) and `earnings`; the market's
 * `fees`; the mint's `issued` (negative: minus everything ever deposited).
 */
export type Book = 'available' | 'escrow' | 'stake' | 'earnings' | 'fees' | 'issued';
export const BOOKS: readonly Book[] = ['available', 'escrow', 'stake', 'earnings', 'fees', 'issued'];

export type LedgerReason =
  | 'deposit' | 'escrow_hold' | 'payout' | 'market_fee' | 'escrow_release' | 'refund'
  | 'stake_lock' | 'stake_unlock' | 'slash_compensation' | 'slash_market' | 'withdrawal';

export type WithdrawOutcome =
  | { outcome: 'withdrawn' | 'repeat'; txId: string }
  | { outcome: 'conflict'; txId: string }
  | { outcome: 'insufficient'; held: bigint };

export interface LedgerEntry {
  seq: number;
  txId: string;
  accountId: string;
  /** The account's name. */
  account: string;
  book: Book;
  /** Signed micro-credits, decimal string. */
  amount: string;
  reason: LedgerReason;
  jobId: string;
  proverId: string;
  /** A sentence a person can act on, naming the job, the prover and the verdict. */
  explanation: string;
  createdMs: number;
}

/** Market money policy, in basis points (1/10000). */
export interface MoneyPolicy {
  /** Market fee taken from the agreed price at DONE. */
  feeBps: number;
  /** Prover stake locked per lease, relative to the agreed price. */
  stakeBps: number;
  /** Share of a slashed stake that goes to the client (the rest goes to the market). */
  slashClientBps: number;
}
export const DEFAULT_MONEY_POLICY: MoneyPolicy = { feeBps: 500, stakeBps: 10_000, slashClientBps: 5_000 };

// ---- circuits, provers, jobs ----

export interface CircuitRecord {
  id: string;
  ownerAccountId: string;
  name: string;
  /** Visible to (and usable by) every account. */
  public: boolean;
  /** Registered with a setup that proves nothing (no phase-2 contribution); shown everywhere. */
  insecure: boolean;
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
  /** Asking price per proof, micro-credits (decimal string). */
  price: string;
  /** Extra asking price per million constraints, micro-credits (decimal string). */
  pricePerMConstraints: string;
  devices: { name: string; memoryBytes: string; backend: string }[];
  bench: { curve: CurveName | null; backend: string; log2Constraints: number; proveMs: number }[];
  /**
   * filecoin-c2 jobs it runs with an operator's command (prover/backends/EXTERNAL.md): sector sizes
   * (bytes), the command's memory limit (bytes, 0 = not stated), its ask per job (micro-credits,
   * decimal string). Absent = none. Kept in the provers' caps JSON (no schema change).
   */
  c2?: { sectorSizes: number[]; memoryBytes: number; price: string } | null;
}

export interface ProverRecord {
  id: string;
  /** The operator account (role prover) this daemon runs for; its balance is the stake. */
  ownerAccountId: string;
  key: string;
  name: string;
  caps: ProverCaps;
  /** Starts at 0; +1 per accepted proof, -10 per rejected proof. */
  reputation: number;
  accepted: number;
  rejected: number;
  createdMs: number;
  lastSeenMs: number;
  /** sha256 (hex) of the secret issued at the first Register; '' for a prover from before secrets. */
  secretSha256: string;
  /** Bumped by every Register; a Session hello must carry the current one (older sessions are fenced). */
  sessionEpoch: number;
}

/** A prover daemon's Register, as the store sees it. */
export interface ProverRegistration {
  ownerAccountId: string;
  key: string;
  name: string;
  caps: ProverCaps;
  /** sha256 (hex) of the secret the daemon presented, or of the one the broker issues now. */
  secretSha256: string;
  nowMs: number;
}

/**
 * created: a new prover, bound to this secret; bound: a prover without a secret (from before
 * secrets) takes this one; matched: the secret is the prover's. All three update name, caps and
 * last seen and start a new session epoch. secret_mismatch: another secret is bound; nothing changed.
 */
export type ProverRegisterOutcome = 'created' | 'bound' | 'matched' | 'secret_mismatch';

export interface JobRecord {
  id: string;
  ownerAccountId: string;
  requestId: string;
  circuitId: string;
  state: JobStateName;
  /** Exactly one of inputJson / witness is set (both null in outbox snapshots). */
  inputJson: string | null;
  witness: Buffer | null;
  /** sha256 of the payload: makes idempotent retries with a different payload detectable. */
  payloadSha256: string;
  /** Claims that counted (each claim +1; a give-back by an operator that gave the job back before hands its attempt back). */
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
  /** Micro-credits held in escrow at submit: the most the client pays. */
  maxPrice: string;
  /** Micro-credits agreed with the prover of the current (or last) lease. */
  price: string;
  /** Micro-credits of the current lease's prover stake locked for this job ('0' without a lease). */
  stake: string;
  createdMs: number;
  updatedMs: number;
  /** The client's on-time target (0..1; 0 = the broker's default). Optional for stores without migration 0010. */
  minOnTime?: number;
  /** Why a QUEUED job waits, or the latest routing/escalation step, in words ('' = nothing to say). */
  routing?: string;
  /**
   * Operator accounts whose provers gave this job back with a retryable error (lifecycle.ts
   * giveBack: only each one's first give-back uses an attempt; routing prefers other operators).
   * Optional for stores without migration 0011.
   */
  givenBack?: string[];
  /**
   * The offered price (micro-credits, decimal; '' = the max price): only provers asking at most
   * this are assigned the job; the broker raises it in steps up to maxPrice when no prover at the
   * offer is likely to meet the deadline (the ladder's first step). Optional for stores without
   * migration 0014.
   */
  offer?: string;
  /** The partitioned job (job_groups id) this row is a partition of; '' for a single-payload job (migration 0012). */
  groupId?: string;
  /** This partition's index 0…N−1 in its group (0 for a single-payload job). */
  partitionIndex?: number;
}

/**
 * A partitioned job as its client sees it (migration 0012): one id, request id, deadline and max
 * price per partition; its N partitions are job rows (`groupPartitions`) with group_id = id.
 */
export interface JobGroupRecord {
  id: string;
  ownerAccountId: string;
  requestId: string;
  circuitId: string;
  /** Number of partitions. */
  n: number;
  /** sha256 (hex) over the partitions' payload hashes in order. */
  payloadSha256: string;
  deadlineMs: number;
  /** Micro-credits per partition (each partition's escrow hold), decimal string. */
  maxPrice: string;
  createdMs: number;
}

/** One partition's payload at submit (exactly one of inputJson / witness). */
export interface NewPartition { inputJson: string | null; witness: Buffer | null; payloadSha256: string }

/**
 * A partitioned job at submit: a NewJob's terms without its one payload, plus the partitions.
 * `payloadSha256` is over the partitions' payload hashes in order; `maxPrice` is per partition
 * (the submit holds partitions.length × maxPrice); `maxLiveJobs` counts the group as its N partitions.
 */
export interface NewJobGroup extends Omit<NewJob, 'inputJson' | 'witness'> {
  partitions: NewPartition[];
}

/** A partition's job id: `<group id>.<K>`. */
export function partitionJobId(groupId: string, k: number): string { return `${groupId}.${k}`; }

export interface NewJob {
  id: string;
  ownerAccountId: string;
  requestId: string;
  circuitId: string;
  inputJson: string | null;
  witness: Buffer | null;
  payloadSha256: string;
  maxAttempts: number;
  deadlineMs: number;
  maxPrice: bigint;
  nowMs: number;
  /** On-time target 0..1 (0 = default). */
  minOnTime?: number;
  /** The offered price (≤ maxPrice); null/absent = the max price. */
  offer?: bigint | null;
  /** The owner's cap on live (not terminal) jobs; a new job beyond it is 'too_many_live'. 0 or absent = no cap. */
  maxLiveJobs?: number;
  /**
   * Also move the new job to QUEUED in the same transaction (its SUBMITTED and QUEUED events are
   * both written): one commit per submit instead of two. Absent/false: it stays SUBMITTED.
   */
  enqueue?: boolean;
}

export interface ClaimTerms {
  proverId: string;
  leaseToken: string;
  leaseExpiresMs: number;
  /** The agreed price (micro-credits); must not exceed the job's max price. */
  price: bigint;
  /**
   * The routing note of the assignment, written in the claim's transaction (as setRouting would:
   * a 'routing' event after the state event when it changed). Absent: the note is left as it is.
   */
  note?: string;
}

/** The result of a guarded transition: `outcome` names what happened; `job` is set when it moved. */
export interface Transition<O extends string> { outcome: O; job: JobRecord | null }

/** 'group_taken': the request id already names a partitioned job (SubmitResult.group), so it cannot name a single one. */
export type SubmitOutcome = 'created' | 'existing' | 'conflict' | 'insufficient_funds' | 'too_many_live' | 'group_taken';
export type FailInputOutcome = 'failed' | 'not_found' | 'terminal';
/** 'excluded': the prover is on the job's excluded list (it returned a wrong proof for it, or gave it back past the cap): never claimed for it, whatever a planner's (possibly stale) view said. */
export type ClaimOutcome = 'claimed' | 'not_found' | 'not_queued' | 'price_too_high' | 'insufficient_stake' | 'excluded';
export type LeaseOutcome = 'ok' | 'not_found' | 'stale';
export type SimpleOutcome = 'moved' | 'not_found' | 'wrong_state';
export type ReleaseOutcome = 'requeued' | 'failed' | 'not_found' | 'stale';
export type CancelOutcome = 'cancelled' | 'not_found' | 'terminal';
export type CircuitInsertOutcome = 'inserted' | 'identical' | 'name_taken' | 'id_taken';

export interface ListJobsFilter { ownerAccountId?: string; state?: JobStateName; circuitId?: string; limit?: number }
/** One entry of listJobViews: a single-payload job, or a partitioned job with its partitions (in partition order). */
export type JobView = { job: JobRecord; group?: undefined; partitions?: undefined } | { job?: undefined; group: JobGroupRecord; partitions: JobRecord[] };
export interface LedgerFilter { jobId?: string; accountId?: string; limit?: number }

/** One WatchJob event as the transition wrote it. */
export interface OutboxEvent { seq: number; jobId: string; kind: 'state' | 'progress' | 'routing'; job: JobRecord; createdMs: number }

/** One latency measurement (see ../model.ts). */
export type { LatencySample } from '../model';

/** A prover's routing standing (migration 0010). */
export interface ProverRoutingRecord {
  proverId: string;
  state: 'admitting' | 'active' | 'demoted' | 'suspended';
  challengesPassed: number;
  challengesFailed: number;
  missedEta: number;
  updatedMs: number;
}

export interface Store {
  // ---- accounts and keys ----
  /** 'name_taken' when the name exists (account is then the existing one). */
  createAccount(name: string, role: Role, nowMs: number): Promise<{ outcome: 'created' | 'name_taken'; account: AccountRecord }>;
  /** By id or by name. */
  getAccount(idOrName: string): Promise<AccountRecord | null>;
  listAccounts(): Promise<AccountRecord[]>;
  /** Stores the sha256 of a new key (the key itself is never stored). */
  addApiKey(accountId: string, keySha256: string, nowMs: number): Promise<ApiKeyRecord>;
  /** The account a key hash belongs to, with the key's record (revoked keys too: check revokedMs). */
  findApiKey(keySha256: string): Promise<{ key: ApiKeyRecord; account: AccountRecord } | null>;
  /** Keys of an account (hashes only), oldest first. */
  listApiKeys(accountId: string): Promise<ApiKeyRecord[]>;
  /** 'revoked', or 'not_found' for an unknown key id or one already revoked. */
  revokeApiKey(keyId: string, nowMs: number): Promise<'revoked' | 'not_found'>;

  // ---- money ----
  /** Mint → account `available`. amount > 0. */
  deposit(accountId: string, amount: bigint, note: string, nowMs: number): Promise<{ txId: string }>;
  /**
   * Account `book` → mint (withdrawalPosting), amount > 0, one ledger transaction per `requestId`:
   * 'withdrawn'; 'repeat' when that request id was already paid out for the same account, book and
   * amount (nothing moves; txId is the first one's); 'conflict' when it was used for another
   * account, book or amount; 'insufficient' when the book holds less than `amount` (`held`: what it
   * holds). Only 'withdrawn' moves money.
   */
  withdraw(accountId: string, book: Book, amount: bigint, requestId: string, note: string, nowMs: number): Promise<WithdrawOutcome>;
  /** Every book of the account (missing books are 0n). */
  balances(accountId: string): Promise<Record<Book, bigint>>;
  /** Entries, newest first. */
  ledger(f: LedgerFilter): Promise<LedgerEntry[]>;

  // ---- circuits ----
  insertCircuit(c: CircuitRecord): Promise<{ outcome: CircuitInsertOutcome; existing: CircuitRecord | null }>;
  /**
   * By id or by name. With `viewerAccountId`: only circuits it owns or public ones (a name is
   * first looked up among its own circuits, then among public ones). Without: any circuit by id.
   */
  getCircuit(idOrName: string, viewerAccountId?: string): Promise<CircuitRecord | null>;
  /** Newest first; with a viewer, its own and public circuits. */
  listCircuits(viewerAccountId?: string): Promise<CircuitRecord[]>;

  // ---- provers ----
  /** Same (operator, key) → same id; updates name and capabilities. */
  upsertProver(ownerAccountId: string, key: string, name: string, caps: ProverCaps, nowMs: number): Promise<ProverRecord>;
  /**
   * A daemon's Register: same (operator, key) → same id. Checks (or binds) its secret and starts a
   * new session epoch, atomically; on 'secret_mismatch' nothing changes.
   */
  registerProver(r: ProverRegistration): Promise<{ outcome: ProverRegisterOutcome; prover: ProverRecord | null }>;
  getProver(id: string): Promise<ProverRecord | null>;

  // ---- jobs: reads ----
  getJob(id: string): Promise<JobRecord | null>;
  getJobByLeaseToken(token: string): Promise<JobRecord | null>;
  listJobs(f: ListJobsFilter): Promise<JobRecord[]>;
  /**
   * Jobs as ListJobs shows them, in one query: single-payload jobs and partitioned jobs (each
   * listed once, with its partitions), newest first (created ms, then id, descending), at most
   * `limit` (1..1000, default 100) entries. `state` keeps single jobs in that state and partitioned
   * jobs whose state (partitions.ts groupState) is it.
   */
  listJobViews(f: ListJobsFilter): Promise<JobView[]>;
  /** Every job not in a terminal state, oldest first. */
  liveJobs(): Promise<JobRecord[]>;
  /** How many jobs (partitions included) are in each state now; states with none are left out. One GROUP BY: no rows read. */
  countJobsByState(): Promise<Partial<Record<JobStateName, number>>>;
  /** QUEUED jobs, oldest first. */
  queuedJobs(limit: number): Promise<JobRecord[]>;
  /** Jobs leased (ASSIGNED/PROVING) to this prover. */
  leasedTo(proverId: string): Promise<JobRecord[]>;

  // ---- jobs: transitions (see ../lifecycle.ts TRANSITIONS) ----
  /**
   * Insert at SUBMITTED (QUEUED with `enqueue`) and hold the max price in the owner's escrow. A
   * request id of a partitioned job → 'group_taken' (with the group). Same (owner, request id) →
   * 'existing' (same payload) or 'conflict' (different). Not enough available →
   * 'insufficient_funds' with the balance. The owner at its `maxLiveJobs` cap → 'too_many_live'
   * with its live count (checked after the request id, so a retry still finds its job).
   */
  submit(j: NewJob): Promise<Transition<SubmitOutcome> & { available?: bigint; live?: number; group?: JobGroupRecord }>;
  enqueue(id: string, nowMs: number): Promise<Transition<SimpleOutcome>>;
  /** QUEUED → ASSIGNED with a fresh lease at the agreed price; locks the operator's stake; attempts += 1. */
  claim(id: string, terms: ClaimTerms, nowMs: number): Promise<Transition<ClaimOutcome>>;
  heartbeat(id: string, leaseToken: string, leaseExpiresMs: number, nowMs: number): Promise<Transition<LeaseOutcome>>;
  progress(id: string, leaseToken: string, fraction: number, stage: string, leaseExpiresMs: number, nowMs: number): Promise<Transition<LeaseOutcome>>;
  beginVerify(id: string, leaseToken: string, proofJson: string, publicJson: string, backend: string, proveMs: number, nowMs: number): Promise<Transition<LeaseOutcome>>;
  /** VERIFYING → DONE: pays the prover, the fee, releases the rest, unlocks the stake, reputation +1. */
  accept(id: string, leaseToken: string, nowMs: number): Promise<Transition<LeaseOutcome>>;
  /**
   * VERIFYING → QUEUED (excluding the prover) or FAILED: the proof was wrong (`verdict` says how).
   * Slashes the stake (client share + market), reputation -10, refunds when FAILED.
   */
  reject(id: string, leaseToken: string, verdict: string, nowMs: number): Promise<Transition<ReleaseOutcome>>;
  /**
   * VERIFYING → QUEUED (excluding the prover) or FAILED, nobody blamed: the result failed but the
   * client's unchecked witness may be the cause (verify/judge.ts "inconclusive"), or the broker
   * could not check a "bad input" claim. Stake unlocked (no slash), no reputation change; refund
   * when FAILED.
   */
  setAside(id: string, leaseToken: string, reason: string, nowMs: number): Promise<Transition<ReleaseOutcome>>;
  /**
   * Any live state → FAILED because the client's input or witness is bad (the broker's own check
   * says so, verify/statement.ts): nobody's stake is slashed, a held stake is unlocked, the escrow
   * refunded. `previous` is the job before (to revoke its lease).
   */
  failInput(id: string, reason: string, nowMs: number): Promise<Transition<FailInputOutcome> & { previous: JobRecord | null }>;
  /**
   * ASSIGNED|PROVING → QUEUED|FAILED without a proof: stake unlocked; refund when FAILED.
   * Retryable: the prover's operator joins `givenBack`; if it was there already the attempt is
   * handed back (attempts -= 1) and the job is requeued, never FAILED (lifecycle.ts giveBack).
   */
  release(id: string, leaseToken: string, error: string, retryable: boolean, nowMs: number): Promise<Transition<ReleaseOutcome>>;
  /**
   * At a broker's start: every live lease (ASSIGNED/PROVING) is extended to at least `untilMs`, so
   * that provers cut off by the broker's own downtime can reconnect and heartbeat before any lease
   * counts as abandoned. Returns how many leases were extended.
   */
  extendLeases(untilMs: number, nowMs: number): Promise<number>;
  /** Lapsed leases → QUEUED|FAILED, stake slashed for abandonment. */
  reclaimLapsed(nowMs: number): Promise<{ requeued: JobRecord[]; failed: JobRecord[]; previous: JobRecord[] }>;
  /** Live jobs past their deadline → EXPIRED, refunded. Returns the jobs as they were before. */
  expireOverdue(nowMs: number): Promise<{ expired: JobRecord[]; previous: JobRecord[] }>;
  // ---- partitioned jobs (migration 0012) ----
  /**
   * One transaction: inserts the group and its N partitions (job rows `<id>.<K>`, request ids
   * `<request id>#<K>`) at SUBMITTED and holds N × maxPrice in escrow (one hold per partition).
   * Same (owner, request id) → 'existing' (same circuit and payloads) or 'conflict' (different, or
   * a single-payload job has that request id). Not enough available for N × maxPrice →
   * 'insufficient_funds'; the owner's live jobs + N above maxLiveJobs → 'too_many_live'.
   * `jobs`: the partitions in order (as written, or as they are for 'existing').
   */
  submitGroup(g: NewJobGroup): Promise<{ outcome: SubmitOutcome; group: JobGroupRecord | null; jobs: JobRecord[]; available?: bigint; live?: number }>;
  getGroup(id: string): Promise<JobGroupRecord | null>;
  /** The owner's partitioned job with this request id, if any. */
  groupByRequest(ownerAccountId: string, requestId: string): Promise<JobGroupRecord | null>;
  /** Newest first. */
  listGroups(f: { ownerAccountId?: string; circuitId?: string; limit?: number }): Promise<JobGroupRecord[]>;
  /** The group's partitions, in partition order. */
  groupPartitions(groupId: string): Promise<JobRecord[]>;
  /**
   * Every live partition of the group → CANCELLED, refunded, in ONE transaction (each partition's
   * own cancel transition, lifecycle.ts). 'terminal' when none was live. `previous`: the
   * partitions moved, as they were (to revoke their leases).
   */
  cancelGroup(groupId: string, reason: string, nowMs: number): Promise<{ outcome: CancelOutcome; jobs: JobRecord[]; previous: JobRecord[] }>;

  /** Any live state → CANCELLED, refunded. */
  cancel(id: string, reason: string, nowMs: number): Promise<Transition<CancelOutcome> & { previous: JobRecord | null }>;

  // ---- outbox ----
  /** Events with seq > afterSeq, in order. */
  readOutbox(afterSeq: number, limit: number): Promise<OutboxEvent[]>;
  /** The highest seq written (0 when empty). */
  outboxHead(): Promise<number>;
  /** Deletes events with seq <= uptoSeq. */
  pruneOutbox(uptoSeq: number): Promise<void>;

  // ---- routing (migration 0010; optional so other stores can add it later: the broker keeps
  // these in memory only when a store lacks them) ----
  addLatencySample?(s: import('../model').LatencySample): Promise<void>;
  /** Several samples in one write (the routing layer gathers the DONE jobs of one event-loop turn). */
  addLatencySamples?(xs: import('../model').LatencySample[]): Promise<void>;
  /** The newest `perProver` samples of every prover and curve, oldest first. */
  latencySamples?(perProver: number): Promise<import('../model').LatencySample[]>;
  getProverRouting?(proverId: string): Promise<ProverRoutingRecord | null>;
  putProverRouting?(r: ProverRoutingRecord): Promise<void>;
  listProvers?(): Promise<ProverRecord[]>;
  /**
   * Sets the job's routing note if it changed (any live state), appending a 'routing' outbox
   * event; returns the job as written, or null when unchanged or not live.
   */
  setRouting?(id: string, note: string, nowMs: number): Promise<JobRecord | null>;
  /** Adds `delta` to a prover's reputation (a failed or expired admission challenge). */
  adjustReputation?(proverId: string, delta: number): Promise<void>;
  /** Brings a lease's expiry forward to `expiresMs` (the prover's session dropped); the sweep then reclaims it. */
  shortenLease?(id: string, leaseToken: string, expiresMs: number): Promise<boolean>;
  /**
   * Raises a QUEUED job's offer from `from` (the offer as the caller read it) to `to` (above it,
   * at most the max price), sets the routing note and appends a 'routing' outbox event (migration
   * 0014). Null when the job moved on, the offer changed meanwhile, or `to` is not a raise within the max.
   */
  raiseOffer?(id: string, from: string, to: bigint, note: string, nowMs: number): Promise<JobRecord | null>;

  // ---- c1 uploads (migration 0016) ----
  /** Records that `accountId` uploaded the complete c1.json `sha256` (idempotent). */
  addC1Owner(sha256: string, accountId: string, nowMs: number): Promise<void>;
  /** Whether `accountId` uploaded the c1.json `sha256` itself (filecoin-c2 uploads are per account). */
  ownsC1(sha256: string, accountId: string): Promise<boolean>;

  close(): Promise<void>;
}
