// Embedded store on SQLite (better-sqlite3): WAL, synchronous=NORMAL. Schema from numbered
// migrations (./migrations/NNNN_name.sql), applied in order at open and recorded in
// schema_migrations. Every job transition is one IMMEDIATE transaction: a guarded UPDATE
// (`WHERE id=? AND state IN (...)` from ../lifecycle.ts, [+ lease_token=?]) whose `changes`
// decides the outcome, the ledger postings of ../money.ts, and one outbox row.
// Money columns are read as TEXT (CAST) and become bigint/decimal strings, never JS numbers.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import Database from 'better-sqlite3';
import { timeOrderedId } from '../../src/common/hash';
import { JOB_FIXED_COLS, decodeOutboxJob, encodeOutboxJob, type OutboxJoinedRow } from './outbox-row';
import { WalCheckpointer, type CheckpointOptions, type CheckpointStats } from './checkpoint';
import { giveBack, LEASED_STATES, LIVE_STATES, sqlGroupState, sqlGuard, sqlStates } from '../lifecycle';
import {
  AmountOverflowError, MAX_AMOUNT, assertBalanced, depositPosting, holdPosting, lockPosting, priorWithdrawal, refundPosting, settlePosting, slashPosting, stakeFor, unlockPosting,
  withdrawalPosting, MINT_ID,
  type Posting,
} from '../money';
import type {
  AccountRecord, ApiKeyRecord, Book, CircuitInsertOutcome, CircuitRecord, ClaimOutcome, ClaimTerms, CancelOutcome, JobRecord,
  JobGroupRecord, JobStateName, LatencySample, NewJobGroup, LeaseOutcome, LedgerEntry, LedgerFilter, ListJobsFilter, JobView, MoneyPolicy, NewJob, OutboxEvent, ProverCaps, ProverRecord,
  ProverRegisterOutcome, ProverRegistration, ProverRoutingRecord, ReleaseOutcome, Role, SimpleOutcome, Store, SubmitOutcome, Transition, FailInputOutcome, WithdrawOutcome,
} from './types';
import { BOOKS, DEFAULT_MONEY_POLICY, partitionJobId } from './types';
import { stamp, traceFlush, tracing } from '../submit-trace';

/** Finds broker/store/migrations from this file, in the source tree or under dist/. */
export function migrationsDir(): string {
  const here = path.join(__dirname, 'migrations');
  if (fs.existsSync(here)) return here;
  let d = __dirname;
  for (;;) {
    const cand = path.join(d, 'broker', 'store', 'migrations');
    if (fs.existsSync(cand)) return cand;
    const up = path.dirname(d);
    if (up === d) throw new Error(`cannot find broker/store/migrations above ${__dirname}`);
    d = up;
  }
}

/** The numbered migrations, in order: [{ version, name, sql }]. */
export function loadMigrations(dir = migrationsDir()): { version: number; name: string; sql: string }[] {
  return fs.readdirSync(dir).filter((f) => /^\d{4}_.*\.sql$/.test(f)).sort()
    .map((f) => ({ version: Number(f.slice(0, 4)), name: f, sql: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

export interface JobRow {
  id: string; owner_account_id: string; request_id: string; circuit_id: string; state: string; input_json: string | null;
  witness: Buffer | null; payload_sha256: string; attempts: number; max_attempts: number; prover_id: string; lease_token: string;
  lease_expires_ms: number; progress: number; stage: string; proof_json: string; public_json: string; backend: string;
  prove_ms: number; error: string; excluded: string; deadline_ms: number; max_price_t: string; price_t: string; stake_t: string;
  created_ms: number; updated_ms: number; min_on_time?: number; routing?: string; given_back?: string; offer?: string;
  group_id?: string; partition_index?: number;
}
export interface GroupRow {
  id: string; owner_account_id: string; request_id: string; circuit_id: string; n: number; payload_sha256: string;
  deadline_ms: number; max_price_t: string; created_ms: number;
}
export const GROUP_COLS = `id, owner_account_id, request_id, circuit_id, n, payload_sha256, deadline_ms, CAST(max_price AS TEXT) AS max_price_t, created_ms`;
/** The jobs columns a listJobViews row carries (JobRow's but input_json and witness, which it writes itself). */
const VIEW_JOB_COLS = ['id', 'owner_account_id', 'request_id', 'circuit_id', 'state', 'payload_sha256', 'attempts', 'max_attempts', 'prover_id',
  'lease_token', 'lease_expires_ms', 'progress', 'stage', 'proof_json', 'public_json', 'backend', 'prove_ms', 'error', 'excluded', 'deadline_ms',
  'created_ms', 'updated_ms', 'min_on_time', 'routing', 'given_back', 'offer', 'group_id', 'partition_index'];
/**
 * listJobViews's one statement for both stores (`ph` writes the placeholder of the next argument:
 * `?` for SQLite, `$n` for PostgreSQL): the page of single jobs and groups, newest first, joined
 * with every row it shows (a single job's, a group's partitions); toJobViews reads the rows.
 */
export function jobViewsQuery(f: ListJobsFilter, ph: (arg: unknown) => string): string {
  const scope = (cols: [string, unknown][]) => cols.filter(([, v]) => v !== undefined && v !== '').map(([c, v]) => ` AND ${c} = ${ph(v)}`).join('');
  const jobs = `SELECT 0 AS g, id, created_ms FROM jobs WHERE group_id = ''${scope([['owner_account_id', f.ownerAccountId], ['state', f.state], ['circuit_id', f.circuitId]])}`;
  const groups = `SELECT 1 AS g, id, created_ms FROM job_groups WHERE 1 = 1${scope([['owner_account_id', f.ownerAccountId], ['circuit_id', f.circuitId]])}`
    + (f.state ? ` AND ${sqlGroupState('job_groups.id')} = ${ph(f.state)}` : '');
  const limit = ph(Math.max(1, Math.min(1000, f.limit || 100)));
  const groupCols = ['id', 'owner_account_id', 'request_id', 'circuit_id', 'n', 'payload_sha256', 'deadline_ms', 'created_ms'].map((c) => `gr.${c} AS g_${c}`).join(', ')
    + ', CAST(gr.max_price AS TEXT) AS g_max_price_t'; // GroupRow's columns, prefixed
  // A job's columns but its payload (JobRow's, prefixed): a list shows no witness (up to GiBs a
  // job, never read for a view), and a partition's input neither (a single job keeps its input: a
  // filecoin-c2 job's view is made from it).
  const jobCols = VIEW_JOB_COLS.map((c) => `jobs.${c}`).join(', ')
    + ', CASE WHEN page.g = 0 THEN jobs.input_json END AS input_json, NULL AS witness';
  return `WITH page AS (${jobs} UNION ALL ${groups} ORDER BY created_ms DESC, id DESC LIMIT ${limit})
    SELECT page.g AS page_g, page.id AS page_id, ${groupCols},
      ${jobCols}, CAST(jobs.max_price AS TEXT) AS max_price_t, CAST(jobs.price AS TEXT) AS price_t, CAST(jobs.stake AS TEXT) AS stake_t
    FROM page LEFT JOIN job_groups gr ON page.g = 1 AND gr.id = page.id
    LEFT JOIN jobs ON (page.g = 0 AND jobs.id = page.id) OR (page.g = 1 AND jobs.group_id = page.id)
    ORDER BY page.created_ms DESC, page.id DESC, jobs.partition_index`;
}

/** The rows of jobViewsQuery as JobViews, in the page's order. */
export function toJobViews(rows: (JobRow & Record<string, unknown>)[]): JobView[] {
  const out: JobView[] = []; let group: { group: JobGroupRecord; partitions: JobRecord[] } | null = null;
  for (const r of rows) {
    if (Number(r.page_g) === 0) { out.push({ job: toJob(r) }); group = null; continue; }
    if (!group || group.group.id !== r.page_id) {
      const row = Object.fromEntries(Object.entries(r).filter(([k]) => k.startsWith('g_')).map(([k, v]) => [k.slice(2), v])) as unknown as GroupRow;
      group = { group: toGroup(row), partitions: [] };
      out.push(group);
    }
    if (r.id !== null && r.id !== undefined) group.partitions.push(toJob(r));
  }
  return out;
}

export function toGroup(r: GroupRow): JobGroupRecord {
  return {
    id: r.id, ownerAccountId: r.owner_account_id, requestId: r.request_id, circuitId: r.circuit_id, n: Number(r.n),
    payloadSha256: r.payload_sha256, deadlineMs: Number(r.deadline_ms), maxPrice: r.max_price_t, createdMs: Number(r.created_ms),
  };
}
export interface CircuitRow {
  id: string; owner_account_id: string; name: string; public: number; insecure: number; curve: string; protocol: string;
  constraints: number; n_public: number; n_vars: number; domain_log2: number; artifacts: string; description: string;
  inputs: string | null; created_ms: number;
}
export interface ProverRow {
  id: string; owner_account_id: string; key: string; name: string; caps: string; reputation: number; accepted: number;
  rejected: number; created_ms: number; last_seen_ms: number; secret_sha256: string; session_epoch: number;
}
export interface AccountRow { id: string; name: string; role: string; created_ms: number }
export interface KeyRow { id: string; account_id: string; key_sha256: string; created_ms: number; revoked_ms: number }

const JOB_COLS = `*, CAST(max_price AS TEXT) AS max_price_t, CAST(price AS TEXT) AS price_t, CAST(stake AS TEXT) AS stake_t`;

/** The offer column's text for a new job ('' = the max price). */
export function offerText(j: NewJob): string {
  if (j.offer === undefined || j.offer === null) return '';
  if (j.offer > j.maxPrice) throw new RangeError(`offer ${j.offer} is above the max price ${j.maxPrice}`);
  return j.offer.toString();
}

/** Whether raising a QUEUED job's offer from `from` (as read) to `to` is allowed: upwards, within the max price. */
export function offerRaise(j: JobRecord, from: string, to: bigint): boolean {
  // No offer ('') means the max price already: nothing to raise.
  return j.state === 'QUEUED' && (j.offer ?? '') === from && from !== '' && to <= BigInt(j.maxPrice) && to > BigInt(from);
}

export function toJob(r: JobRow): JobRecord {
  return {
    id: r.id, ownerAccountId: r.owner_account_id, requestId: r.request_id, circuitId: r.circuit_id, state: r.state as JobStateName,
    inputJson: r.input_json, witness: r.witness, payloadSha256: r.payload_sha256, attempts: r.attempts,
    maxAttempts: r.max_attempts, proverId: r.prover_id, leaseToken: r.lease_token, leaseExpiresMs: r.lease_expires_ms,
    progress: r.progress, stage: r.stage, proofJson: r.proof_json, publicJson: r.public_json, backend: r.backend,
    proveMs: r.prove_ms, error: r.error, excluded: JSON.parse(r.excluded) as string[], deadlineMs: r.deadline_ms,
    maxPrice: r.max_price_t, price: r.price_t, stake: r.stake_t, createdMs: r.created_ms, updatedMs: r.updated_ms,
    minOnTime: r.min_on_time ?? 0, routing: r.routing ?? '', givenBack: JSON.parse(r.given_back ?? '[]') as string[],
    groupId: r.group_id ?? '', partitionIndex: Number(r.partition_index ?? 0), offer: r.offer ?? '',
  };
}
export function toCircuit(r: CircuitRow): CircuitRecord {
  return {
    id: r.id, ownerAccountId: r.owner_account_id, name: r.name, public: !!r.public, insecure: !!r.insecure,
    curve: r.curve as CircuitRecord['curve'], protocol: 'groth16', constraints: r.constraints,
    nPublic: r.n_public, nVars: r.n_vars, domainLog2: r.domain_log2, artifacts: JSON.parse(r.artifacts),
    description: r.description, inputs: r.inputs ? JSON.parse(r.inputs) : null, createdMs: r.created_ms,
  };
}
export function toProver(r: ProverRow): ProverRecord {
  const caps = JSON.parse(r.caps) as ProverCaps;
  return {
    id: r.id, ownerAccountId: r.owner_account_id, key: r.key, name: r.name,
    caps: { ...caps, price: String(caps.price ?? '0'), pricePerMConstraints: String(caps.pricePerMConstraints ?? '0') },
    reputation: r.reputation, accepted: r.accepted, rejected: r.rejected, createdMs: r.created_ms, lastSeenMs: r.last_seen_ms,
    secretSha256: r.secret_sha256, sessionEpoch: Number(r.session_epoch),
  };
}
export const toAccount = (r: AccountRow): AccountRecord => ({ id: r.id, name: r.name, role: r.role as AccountRecord['role'], createdMs: r.created_ms });
export const toKey = (r: KeyRow): ApiKeyRecord => ({ id: r.id, accountId: r.account_id, keySha256: r.key_sha256, createdMs: r.created_ms, revokedMs: r.revoked_ms });

/** A job as submit() inserts it: the NewJob's fields, the schema's defaults for the rest (as toJob reads them). */
export function newJobRecord(j: NewJob, state: 'SUBMITTED' | 'QUEUED'): JobRecord {
  return {
    id: j.id, ownerAccountId: j.ownerAccountId, requestId: j.requestId, circuitId: j.circuitId, state,
    inputJson: j.inputJson, witness: j.witness, payloadSha256: j.payloadSha256, attempts: 0,
    maxAttempts: j.maxAttempts, proverId: '', leaseToken: '', leaseExpiresMs: 0,
    progress: 0, stage: '', proofJson: '', publicJson: '', backend: '',
    proveMs: 0, error: '', excluded: [], deadlineMs: j.deadlineMs,
    maxPrice: j.maxPrice.toString(), price: '0', stake: '0', createdMs: j.nowMs, updatedMs: j.nowMs,
    minOnTime: j.minOnTime ?? 0, routing: '', givenBack: [], groupId: '', partitionIndex: 0, offer: offerText(j),
  };
}

/**
 * A new ledger transaction id: `t_`, the time in ms (12 hex digits) and 48 random bits. Ids that
 * grow with time land at the right end of the primary-key and ledger_entries(tx_id) indexes
 * instead of on a random page of each: a group commit of 16 jobs writes ~18% fewer WAL bytes.
 */
export function newLedgerTxId(): string { return timeOrderedId('t_', 6); }

/** A job as an outbox event carries it: no payload (inputs and witnesses can be large). */
export function jobSnapshot(j: JobRecord): JobRecord { return { ...j, inputJson: null, witness: null }; }

/** Prover ids are derived from the operator account and the daemon's key: a re-registering prover gets its id back. */
export function proverIdFor(ownerAccountId: string, key: string): string {
  return 'p_' + crypto.createHash('sha256').update(`${ownerAccountId}\n${key}`).digest('hex').slice(0, 16);
}

const LEASED = sqlStates(LEASED_STATES);
/** How many of its own committed outbox events a store keeps in memory for readOutbox. */
const RECENT_EVENTS = 8192;
/** How long a statement waits for another connection's lock before failing with SQLITE_BUSY, ms. */
const BUSY_TIMEOUT_MS = 10_000;
/** Atomics.wait on it: a sub-millisecond sleep of the thread (begin()'s wait for the write lock). */
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));
const LIVE = sqlStates(LIVE_STATES);

export interface SqliteStoreOptions {
  money?: MoneyPolicy;
  /**
   * Test hook: called inside every transition's transaction after the job row moved and before
   * its money and event are written; throwing here simulates a crash mid-transition (the whole
   * transaction must roll back).
   */
  failPoint?: (transition: string, jobId: string) => void;
  /**
   * WAL checkpoints in a worker thread (./checkpoint.ts; the default for a file), or false for
   * SQLite's automatic checkpoint inside the COMMIT that crosses 1000 WAL pages (the old way).
   */
  checkpoint?: CheckpointOptions | false;
  /** The -wal file is cut back to this many bytes when the WAL starts over (journal_size_limit; default WAL_SIZE_LIMIT). */
  walSizeLimit?: number;
}

/** Upper bounds (ms) of the COMMIT-duration buckets the store counts (the last bucket is +Inf). */
export const COMMIT_MS_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 20, 50] as const;
/** The -wal file is cut back to this size when the WAL starts over (journal_size_limit), bytes: the size it reaches under steady load (the checkpoint worker's restartPages, 16384 frames of 4 KiB), so it is rewritten in place rather than cut and grown again each time. */
export const WAL_SIZE_LIMIT = 64 << 20;

export class SqliteStore implements Store {
  readonly db: Database.Database;
  readonly money: MoneyPolicy;
  failPoint: ((transition: string, jobId: string) => void) | null;
  private readonly s: Record<string, Database.Statement>;

  /** Opens (creating if needed) the database file and applies pending migrations. ':memory:' only in throwaway tests. */
  constructor(file: string, opts: SqliteStoreOptions = {}) {
    this.money = opts.money ?? DEFAULT_MONEY_POLICY;
    this.failPoint = opts.failPoint ?? null;
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.migrate(file);
    if (file !== ':memory:' && opts.checkpoint !== false) {
      this.db.pragma('wal_autocheckpoint = 0');
      this.db.pragma(`journal_size_limit = ${Math.max(0, Math.floor(opts.walSizeLimit ?? WAL_SIZE_LIMIT))}`);
      this.checkpointer = new WalCheckpointer(file, opts.checkpoint ?? {}, () => {
        // The worker died: SQLite's own auto-checkpoint (in the COMMIT) again, so the WAL stays bounded.
        if (this.db.open) this.db.pragma('wal_autocheckpoint = 1000');
      });
    }
    const p = (sql: string) => this.db.prepare(sql);
    this.s = {
      getJob: p(`SELECT ${JOB_COLS} FROM jobs WHERE id = ?`),
      getJobByReq: p(`SELECT ${JOB_COLS} FROM jobs WHERE owner_account_id = ? AND request_id = ?`),
      countLive: p(`SELECT COUNT(*) AS n FROM jobs WHERE owner_account_id = ? AND state IN ${LIVE}`),
      getJobByToken: p(`SELECT ${JOB_COLS} FROM jobs WHERE lease_token = ? AND lease_token <> ''`),
      insertJob: p(`INSERT INTO jobs (id, owner_account_id, request_id, circuit_id, state, input_json, witness, payload_sha256,
        max_attempts, deadline_ms, max_price, min_on_time, offer, created_ms, updated_ms) VALUES (@id, @ownerAccountId, @requestId, @circuitId, @state,
        @inputJson, @witness, @payloadSha256, @maxAttempts, @deadlineMs, @maxPrice, @minOnTime, @offer, @nowMs, @nowMs)
        ON CONFLICT(owner_account_id, request_id) DO NOTHING`),
      insertPartition: p(`INSERT INTO jobs (id, owner_account_id, request_id, circuit_id, state, input_json, witness, payload_sha256,
        max_attempts, deadline_ms, max_price, min_on_time, created_ms, updated_ms, group_id, partition_index) VALUES (@id, @ownerAccountId,
        @requestId, @circuitId, 'SUBMITTED', @inputJson, @witness, @payloadSha256, @maxAttempts, @deadlineMs, @maxPrice, @minOnTime, @nowMs,
        @nowMs, @groupId, @partitionIndex)`),
      insertGroup: p(`INSERT INTO job_groups (id, owner_account_id, request_id, circuit_id, n, payload_sha256, deadline_ms, max_price, created_ms)
        VALUES (@id, @ownerAccountId, @requestId, @circuitId, @n, @payloadSha256, @deadlineMs, @maxPrice, @nowMs)`),
      getGroup: p(`SELECT ${GROUP_COLS} FROM job_groups WHERE id = ?`),
      getGroupByReq: p(`SELECT ${GROUP_COLS} FROM job_groups WHERE owner_account_id = ? AND request_id = ?`),
      groupPartitions: p(`SELECT ${JOB_COLS} FROM jobs WHERE group_id = ? AND group_id <> '' ORDER BY partition_index`),
      enqueue: p(`UPDATE jobs SET state='QUEUED', updated_ms=? WHERE id=? AND ${sqlGuard('enqueue')}`),
      claim: p(`UPDATE jobs SET state='ASSIGNED', prover_id=?, lease_token=?, lease_expires_ms=?, attempts=attempts+1,
        price=?, stake=?, progress=0, stage='', routing=COALESCE(?, routing), updated_ms=? WHERE id=? AND ${sqlGuard('claim')}`),
      heartbeat: p(`UPDATE jobs SET lease_expires_ms=MAX(lease_expires_ms, ?), updated_ms=? WHERE id=? AND lease_token=? AND ${sqlGuard('heartbeat')}`),
      // Progress never goes back within an attempt (claim resets it): a late or out-of-order report keeps the higher one.
      progress: p(`UPDATE jobs SET state='PROVING', progress=MAX(progress, ?), stage=CASE WHEN ? >= progress THEN ? ELSE stage END,
        lease_expires_ms=MAX(lease_expires_ms, ?), updated_ms=?
        WHERE id=? AND lease_token=? AND ${sqlGuard('progress')}`),
      beginVerify: p(`UPDATE jobs SET state='VERIFYING', proof_json=?, public_json=?, backend=?, prove_ms=?, progress=1, stage='verifying', updated_ms=?
        WHERE id=? AND lease_token=? AND ${sqlGuard('beginVerify')}`),
      accept: p(`UPDATE jobs SET state='DONE', lease_expires_ms=0, stake=0, error='', updated_ms=?
        WHERE id=? AND lease_token=? AND ${sqlGuard('accept')}`),
      reject: p(`UPDATE jobs SET
          state = CASE WHEN attempts >= max_attempts THEN 'FAILED' ELSE 'QUEUED' END,
          error = CASE WHEN attempts >= max_attempts THEN 'gave up after ' || attempts || ' attempts; last: ' || ? ELSE ? END,
          excluded = json_insert(excluded, '$[#]', prover_id),
          proof_json='', public_json='', backend='', prove_ms=0, progress=0, stage='', lease_expires_ms=0, stake=0, updated_ms=?
        WHERE id=? AND lease_token=? AND ${sqlGuard('reject')}`),
      setAside: p(`UPDATE jobs SET
          state = CASE WHEN attempts >= max_attempts THEN 'FAILED' ELSE 'QUEUED' END,
          error = CASE WHEN attempts >= max_attempts THEN 'gave up after ' || attempts || ' attempts; last: ' || ? ELSE ? END,
          excluded = json_insert(excluded, '$[#]', prover_id),
          proof_json='', public_json='', backend='', prove_ms=0, progress=0, stage='', lease_expires_ms=0, stake=0, updated_ms=?
        WHERE id=? AND lease_token=? AND ${sqlGuard('setAside')}`),
      failInput: p(`UPDATE jobs SET state='FAILED', error=?, proof_json='', public_json='', backend='', prove_ms=0, progress=0,
          stage='', lease_expires_ms=0, stake=0, updated_ms=? WHERE id=? AND state=? AND ${sqlGuard('failInput')}`),
      // @free = 1 when the operator gave this job back before: the attempt is handed back (never FAILED; lifecycle.ts giveBack).
      releaseRetry: p(`UPDATE jobs SET
          state = CASE WHEN attempts - @free >= max_attempts THEN 'FAILED' ELSE 'QUEUED' END,
          error = CASE WHEN attempts - @free >= max_attempts THEN 'gave up after ' || attempts || ' attempts; last: ' || @error ELSE @error END,
          attempts = attempts - @free, given_back = @givenBack, progress=0, stage='', lease_expires_ms=0, stake=0, updated_ms=@nowMs
        WHERE id=@id AND lease_token=@leaseToken AND ${sqlGuard('release')}`),
      proverOwner: p(`SELECT owner_account_id FROM provers WHERE id=?`),
      releaseFail: p(`UPDATE jobs SET state='FAILED', error=?, lease_expires_ms=0, stake=0, updated_ms=?
        WHERE id=? AND lease_token=? AND ${sqlGuard('release')}`),
      extendLeases: p(`UPDATE jobs SET lease_expires_ms=?, updated_ms=? WHERE state IN ${LEASED} AND lease_expires_ms < ?`),
      lapsed: p(`SELECT ${JOB_COLS} FROM jobs WHERE state IN ${LEASED} AND lease_expires_ms < ? ORDER BY lease_expires_ms`),
      reclaim: p(`UPDATE jobs SET
          state = CASE WHEN attempts >= max_attempts THEN 'FAILED' ELSE 'QUEUED' END,
          error = CASE WHEN attempts >= max_attempts
            THEN 'gave up after ' || attempts || ' attempts; last: lease of prover ' || prover_id || ' lapsed'
            ELSE 'lease of prover ' || prover_id || ' lapsed' END,
          progress=0, stage='', lease_expires_ms=0, stake=0, updated_ms=?
        WHERE id=? AND state=? AND lease_token=? AND lease_expires_ms < ? AND ${sqlGuard('reclaim')}`),
      overdue: p(`SELECT ${JOB_COLS} FROM jobs WHERE deadline_ms > 0 AND deadline_ms <= ? AND state IN ${LIVE}`),
      expire: p(`UPDATE jobs SET state='EXPIRED', error=?, lease_expires_ms=0, stake=0, updated_ms=? WHERE id=? AND state=? AND ${sqlGuard('expire')}`),
      cancel: p(`UPDATE jobs SET state='CANCELLED', error=?, lease_expires_ms=0, stake=0, updated_ms=? WHERE id=? AND state=? AND ${sqlGuard('cancel')}`),
      live: p(`SELECT ${JOB_COLS} FROM jobs WHERE state IN ${LIVE} ORDER BY created_ms, id`),
      countByState: p(`SELECT state, COUNT(*) AS n FROM jobs GROUP BY state`),
      queued: p(`SELECT ${JOB_COLS} FROM jobs WHERE state='QUEUED' ORDER BY created_ms, id LIMIT ?`),
      leasedTo: p(`SELECT ${JOB_COLS} FROM jobs WHERE state IN ${LEASED} AND prover_id=?`),
      getCircuitById: p(`SELECT * FROM circuits WHERE id = ?`),
      getCircuitByOwnerName: p(`SELECT * FROM circuits WHERE owner_account_id = ? AND name = ?`),
      getPublicByName: p(`SELECT * FROM circuits WHERE public = 1 AND name = ? ORDER BY created_ms, id LIMIT 1`),
      listCircuits: p(`SELECT * FROM circuits ORDER BY created_ms DESC, id`),
      listVisible: p(`SELECT * FROM circuits WHERE owner_account_id = ? OR public = 1 ORDER BY created_ms DESC, id`),
      insertCircuit: p(`INSERT INTO circuits (id, owner_account_id, name, public, insecure, curve, protocol, constraints, n_public,
        n_vars, domain_log2, artifacts, description, inputs, created_ms) VALUES (@id, @ownerAccountId, @name, @public, @insecure,
        @curve, @protocol, @constraints, @nPublic, @nVars, @domainLog2, @artifacts, @description, @inputs, @createdMs)`),
      getProver: p(`SELECT * FROM provers WHERE id = ?`),
      upsertProver: p(`INSERT INTO provers (id, owner_account_id, key, name, caps, created_ms, last_seen_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET name=excluded.name, caps=excluded.caps, last_seen_ms=excluded.last_seen_ms`),
      insertProver: p(`INSERT INTO provers (id, owner_account_id, key, name, caps, created_ms, last_seen_ms, secret_sha256, session_epoch)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT(id) DO NOTHING`),
      rebindProver: p(`UPDATE provers SET name=?, caps=?, last_seen_ms=?, secret_sha256=?, session_epoch=session_epoch+1
        WHERE id=? AND secret_sha256 IN ('', ?)`),
      verdictOk: p(`UPDATE provers SET reputation = reputation + 1, accepted = accepted + 1 WHERE id = ?`),
      verdictBad: p(`UPDATE provers SET reputation = reputation - 10, rejected = rejected + 1 WHERE id = ?`),
      operatorOf: p(`SELECT owner_account_id FROM provers WHERE id = ?`),
      insertAccount: p(`INSERT INTO accounts (id, name, role, created_ms) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO NOTHING`),
      getAccountById: p(`SELECT * FROM accounts WHERE id = ?`),
      getAccountByName: p(`SELECT * FROM accounts WHERE name = ?`),
      listAccounts: p(`SELECT * FROM accounts WHERE role <> 'system' ORDER BY created_ms, id`),
      insertKey: p(`INSERT INTO api_keys (id, account_id, key_sha256, created_ms) VALUES (?, ?, ?, ?)`),
      findKey: p(`SELECT * FROM api_keys WHERE key_sha256 = ?`),
      revokeKey: p(`UPDATE api_keys SET revoked_ms = ? WHERE id = ? AND revoked_ms = 0`),
      balance: p(`SELECT CAST(amount AS TEXT) AS a FROM balances WHERE account_id = ? AND book = ?`),
      balances: p(`SELECT book, CAST(amount AS TEXT) AS a FROM balances WHERE account_id = ?`),
      // UPDATE first: an INSERT of a negative delta would trip the CHECK before any conflict clause.
      bumpBalance: p(`UPDATE balances SET amount = amount + ? WHERE account_id = ? AND book = ?`),
      insertBalance: p(`INSERT INTO balances (account_id, book, amount) VALUES (?, ?, ?)`),
      insertTx: p(`INSERT INTO ledger_tx (id, tx_key, reason, job_id, prover_id, explanation, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(tx_key) DO NOTHING`),
      insertEntry: p(`INSERT INTO ledger_entries (tx_id, account_id, book, amount, reason) VALUES (?, ?, ?, ?, ?)`),
      outbox: p(`INSERT INTO outbox (job_id, kind, job, created_ms) VALUES (?, ?, ?, ?)`),
      readOutbox: p(`SELECT o.*, ${JOB_FIXED_COLS} FROM outbox o LEFT JOIN jobs j ON j.id = o.job_id WHERE o.seq > ? ORDER BY o.seq LIMIT ?`),
      // The common case (a reader caught up): a lookup ~3x cheaper than the join finding nothing.
      outboxAfter: p(`SELECT 1 AS x FROM outbox WHERE seq > ? LIMIT 1`),
      outboxHead: p(`SELECT COALESCE(MAX(seq), 0) AS seq FROM outbox`),
      pruneOutbox: p(`DELETE FROM outbox WHERE seq <= ?`),
      addSample: p(`INSERT INTO latency_samples (prover_id, curve, constraints, ms, kind, created_ms) VALUES (?, ?, ?, ?, ?, ?)`),
      samples: p(`SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY prover_id, curve ORDER BY id DESC) AS rn FROM latency_samples)
        WHERE rn <= ? ORDER BY id`),
      getRouting: p(`SELECT * FROM prover_routing WHERE prover_id = ?`),
      putRouting: p(`INSERT INTO prover_routing (prover_id, state, challenges_passed, challenges_failed, missed_eta, updated_ms)
        VALUES (@proverId, @state, @challengesPassed, @challengesFailed, @missedEta, @updatedMs) ON CONFLICT(prover_id) DO UPDATE SET
        state=excluded.state, challenges_passed=excluded.challenges_passed, challenges_failed=excluded.challenges_failed,
        missed_eta=excluded.missed_eta, updated_ms=excluded.updated_ms`),
      listProvers: p(`SELECT * FROM provers ORDER BY created_ms, id`),
      addC1Owner: p(`INSERT INTO c1_owners (sha256, account_id, created_ms) VALUES (?, ?, ?) ON CONFLICT(sha256, account_id) DO NOTHING`),
      ownsC1: p(`SELECT 1 AS x FROM c1_owners WHERE sha256 = ? AND account_id = ?`),
      adjustReputation: p(`UPDATE provers SET reputation = reputation + ? WHERE id = ?`),
      setRouting: p(`UPDATE jobs SET routing=?, updated_ms=? WHERE id=? AND routing<>? AND state IN ${LIVE}`),
      shortenLease: p(`UPDATE jobs SET lease_expires_ms=? WHERE id=? AND lease_token=? AND lease_expires_ms > ? AND state IN ${LEASED}`),
      raiseOffer: p(`UPDATE jobs SET offer=?, routing=?, updated_ms=? WHERE id=? AND offer=? AND state='QUEUED'`),
    };
    this.txStmts = { begin: p('BEGIN IMMEDIATE'), commit: p('COMMIT'), rollback: p('ROLLBACK'),
      busyOff: p('PRAGMA busy_timeout = 0'), busyOn: p(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`) };
  }

  private migrate(file: string): void {
    this.db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ms INTEGER NOT NULL)`);
    const legacy = this.db.prepare(`SELECT name FROM sqlite_master WHERE type='table' AND name='meta'`).get();
    if (legacy) {
      throw new Error(`store ${file} was written by a broker before accounts and the ledger (schema "meta" v1); `
        + 'start this broker on a new data dir (jobs and circuits of the old one are not migrated)');
    }
    const done = new Set((this.db.prepare(`SELECT version FROM schema_migrations`).all() as { version: number }[]).map((r) => r.version));
    const all = loadMigrations();
    const newest = all.length ? all[all.length - 1].version : 0;
    const unknown = [...done].filter((v) => v > newest);
    if (unknown.length) throw new Error(`store ${file} has migration ${Math.max(...unknown)}, this broker knows up to ${newest}: upgrade the broker`);
    for (const m of all) {
      if (done.has(m.version)) continue;
      this.db.transaction(() => {
        this.db.exec(m.sql);
        this.db.prepare(`INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?, ?, ?)`).run(m.version, m.name, Date.now());
      }).immediate();
    }
  }

  private job(id: string): JobRecord | null {
    const r = this.s.getJob.get(id) as JobRow | undefined;
    return r ? toJob(r) : null;
  }

  /**
   * Runs fn as one transaction (the guarded write, the money and the event see one state), by
   * group commit: the transactions asked for in one event-loop turn run in one BEGIN IMMEDIATE …
   * COMMIT, each inside its own SAVEPOINT, so one that throws rolls back alone and the others
   * commit. Each promise settles only after the COMMIT (an answered call is durable: WAL and
   * synchronous=NORMAL survive a killed process; see the header). A commit that fails runs each
   * of them again in a transaction of its own, so one bad write cannot fail its batch.
   */
  private tx<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.flushing) this.flushing = setImmediate(() => this.flush());
    });
  }

  private pending: { fn: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
  private flushing: NodeJS.Immediate | null = null;
  /**
   * Group-commit counters (bench:market reports them): transitions asked for, the COMMITs that
   * wrote them, and how long those COMMITs took, with their BEGIN's wait for the write lock
   * (counts per COMMIT_MS_BUCKETS bucket, the last +Inf).
   */
  readonly commits = { transactions: 0, commits: 0, commitMs: new Array<number>(COMMIT_MS_BUCKETS.length + 1).fill(0) };
  private readonly checkpointer: WalCheckpointer | null = null;

  /** The checkpoint worker's counters (null when SQLite checkpoints in the COMMIT itself). */
  checkpointStats(): CheckpointStats | null { return this.checkpointer?.stats() ?? null; }

  /** BEGIN IMMEDIATE, timed: a wait for the write lock (another connection, the checkpoint worker's FULL) counts with the COMMIT. */
  private begin(): void {
    const t0 = performance.now();
    // Not SQLite's busy handler: it sleeps 1, 2, 5, 10 ms… between tries, so a lock held 1.1 ms
    // (the checkpoint worker's FULL copying the last frames) kept the event loop 3.2 ms, one held
    // 3.1 ms 8.4 ms. Tries every 0.1 ms for the first 5 ms, every 1 ms to 50 ms, then every 10 ms,
    // up to BUSY_TIMEOUT_MS as before (another broker process on the same file may hold it that long).
    const tx = this.txStmts;
    tx.busyOff.get();
    try {
      for (;;) {
        try { tx.begin.run(); break; } catch (e) {
          const waited = performance.now() - t0;
          // SQLITE_BUSY and its extended codes (SQLITE_BUSY_RECOVERY: another connection rebuilding the wal-index) wait.
          if (!String((e as { code?: string }).code).startsWith('SQLITE_BUSY') || waited >= BUSY_TIMEOUT_MS) throw e;
          Atomics.wait(SLEEPER, 0, 0, waited < 5 ? 0.1 : waited < 50 ? 1 : 10);
        }
      }
    } finally { tx.busyOn.get(); }
    this.beginMs = performance.now() - t0;
  }
  private beginMs = 0;

  /** COMMIT, timed (with the BEGIN's wait) into commits.commitMs; then the valve (checkpoint.ts) when the worker is behind. */
  private commit(): void {
    const t0 = performance.now();
    this.txStmts.commit.run();
    const ms = performance.now() - t0 + this.beginMs;
    let b = 0;
    while (b < COMMIT_MS_BUCKETS.length && ms > COMMIT_MS_BUCKETS[b]) b++;
    this.commits.commitMs[b]++;
    if (this.checkpointer && (this.commits.commits & 63) === 0 && this.checkpointer.valve(Date.now())) {
      try { this.db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: the worker is at it after all */ }
    }
  }

  /** Commits every pending transaction now (one batch); called from setImmediate and by close(). */
  flush(): void {
    if (this.flushing) { clearImmediate(this.flushing); this.flushing = null; }
    const batch = this.pending.splice(0);
    if (batch.length === 0) return;
    if (!this.db.open) { for (const it of batch) it.reject(new Error('the store is closed')); return; }
    const t0 = tracing ? stamp() : 0;
    this.beginMs = 0;
    try { this.flushBatch(batch); } finally { if (tracing) traceFlush(t0, stamp() - t0, batch.length, this.beginMs); }
  }

  private flushBatch(batch: { fn: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }[]): void {
    this.commits.transactions += batch.length;
    if (batch.length === 1) { this.one(batch[0]); return; }
    // Optimistic: the whole batch in one BEGIN IMMEDIATE … COMMIT, without a SAVEPOINT and RELEASE
    // around each transition. One that throws (rare: a test's fail point, an amount past the
    // limit, an I/O error) rolls the batch back, and each then runs in a transaction of its own,
    // exactly as alone: the one that throws fails, the others commit.
    const out: unknown[] = [];
    const tx = this.txStmts;
    this.staged.length = 0;
    try {
      this.begin();
      for (const it of batch) out.push(it.fn());
      this.commit();
    } catch {
      if (this.db.inTransaction) tx.rollback.run();
      this.staged.length = 0;
      for (const it of batch) this.one(it);
      return;
    }
    this.commits.commits++;
    this.published();
    batch.forEach((it, i) => it.resolve(out[i]));
  }

  /** One transition in a transaction of its own (BEGIN IMMEDIATE … COMMIT). */
  private one(it: { fn: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }): void {
    const tx = this.txStmts;
    this.commits.commits++;
    this.staged.length = 0;
    let v: unknown;
    try {
      this.begin();
      v = it.fn();
      this.commit();
    } catch (e) {
      if (this.db.inTransaction) tx.rollback.run();
      this.staged.length = 0;
      it.reject(e);
      return;
    }
    this.published();
    it.resolve(v);
  }

  private readonly txStmts: { begin: Database.Statement; commit: Database.Statement; rollback: Database.Statement; busyOff: Database.Statement; busyOn: Database.Statement };

  /**
   * Outbox events this store committed, oldest first (at most RECENT_EVENTS): readOutbox serves a
   * run of consecutive seqs from here instead of reading each row back and parsing its JSON (the
   * pump and the metrics reader both read every event). Events another process wrote are not
   * here: from the first seq missing in this list on, the table is read, so the answer is the same.
   */
  private readonly recent: OutboxEvent[] = [];
  /** Events written by the transaction now running: published at its COMMIT, dropped at ROLLBACK. */
  private readonly staged: OutboxEvent[] = [];

  private published(): void {
    if (this.staged.length === 0) return;
    const last = this.recent.length ? this.recent[this.recent.length - 1].seq : 0;
    // Seqs grow (AUTOINCREMENT, one writer at a time); anything else (never expected) starts the list afresh.
    if (this.staged[0].seq <= last) this.recent.length = 0;
    for (const ev of this.staged) this.recent.push(ev);
    this.staged.length = 0;
    if (this.recent.length > RECENT_EVENTS) this.recent.splice(0, this.recent.length - RECENT_EVENTS / 2);
  }

  private event(job: JobRecord, kind: OutboxEvent['kind'], nowMs: number): void {
    const snap = jobSnapshot(job);
    // The row is slim (outbox-row.ts); this store's own readers get the whole snapshot from `recent`.
    const seq = Number(this.s.outbox.run(job.id, kind, encodeOutboxJob(snap), nowMs).lastInsertRowid);
    this.staged.push({ seq, jobId: job.id, kind, job: snap, createdMs: nowMs });
  }

  private bal(accountId: string, book: Book): bigint {
    const r = this.s.balance.get(accountId, book) as { a: string } | undefined;
    return r ? BigInt(r.a) : 0n;
  }

  /**
   * Applies a posting (inside the caller's transaction). Zero legs are dropped; a posting whose key
   * was already applied moves nothing (returns false). A balance going negative aborts the whole
   * transaction (CHECK constraint), so money never moves without its job transition or vice versa.
   */
  private post(p: Posting, nowMs: number): boolean {
    assertBalanced(p);
    const legs = p.legs.filter((l) => l.amount !== 0n);
    if (legs.length === 0) return false;
    const txId = newLedgerTxId();
    if (this.s.insertTx.run(txId, p.key, legs[0].reason, p.jobId, p.proverId, p.explanation, nowMs).changes !== 1) return false;
    for (const l of legs) {
      // SQLite turns an INTEGER sum past 2^63-1 into an inexact REAL (no error, and the CHECK passes):
      // refuse it instead, which aborts the whole transaction.
      const next = this.bal(l.accountId, l.book) + l.amount;
      if (next > MAX_AMOUNT || next < -MAX_AMOUNT) {
        throw new AmountOverflowError(`${p.explanation}: the ${l.book} balance of account ${l.accountId} would be ${next}, beyond the limit of ±${MAX_AMOUNT} micro-credits`);
      }
      if (this.s.bumpBalance.run(l.amount, l.accountId, l.book).changes === 0) this.s.insertBalance.run(l.accountId, l.book, l.amount);
      this.s.insertEntry.run(txId, l.accountId, l.book, l.amount, l.reason);
    }
    return true;
  }

  private operatorOf(proverId: string): string {
    const r = this.s.operatorOf.get(proverId) as { owner_account_id: string } | undefined;
    if (!r) throw new Error(`prover ${proverId} has no operator account`);
    return r.owner_account_id;
  }

  /** The money of a lease that ended without a payout: abandonment/wrong proof → slash; otherwise unlock. */
  private endLease(prev: JobRecord, slashVerdict: string | null, why: string, nowMs: number): void {
    if (!prev.proverId || BigInt(prev.stake) === 0n) return;
    const op = this.operatorOf(prev.proverId);
    this.post(slashVerdict ? slashPosting(prev, op, this.money, slashVerdict) : unlockPosting(prev, op, why), nowMs);
  }

  private refundIfTerminal(job: JobRecord, why: string, nowMs: number): void {
    if (job.state === 'FAILED' || job.state === 'EXPIRED' || job.state === 'CANCELLED') this.post(refundPosting(job, job.state, why), nowMs);
  }

  // ---- accounts and keys ----
  async createAccount(name: string, role: Role, nowMs: number): Promise<{ outcome: 'created' | 'name_taken'; account: AccountRecord }> {
    return this.tx(() => {
      const id = 'a_' + crypto.randomBytes(8).toString('hex');
      const ch = this.s.insertAccount.run(id, name, role, nowMs).changes;
      const acc = toAccount(this.s.getAccountByName.get(name) as AccountRow);
      return { outcome: ch === 1 ? 'created' as const : 'name_taken' as const, account: acc };
    });
  }

  async getAccount(idOrName: string): Promise<AccountRecord | null> {
    const r = (this.s.getAccountById.get(idOrName) ?? this.s.getAccountByName.get(idOrName)) as AccountRow | undefined;
    return r ? toAccount(r) : null;
  }

  async listAccounts(): Promise<AccountRecord[]> { return (this.s.listAccounts.all() as AccountRow[]).map(toAccount); }

  async addApiKey(accountId: string, keySha256: string, nowMs: number): Promise<ApiKeyRecord> {
    const id = 'k_' + crypto.randomBytes(6).toString('hex');
    this.s.insertKey.run(id, accountId, keySha256, nowMs);
    return { id, accountId, keySha256, createdMs: nowMs, revokedMs: 0 };
  }

  async findApiKey(keySha256: string): Promise<{ key: ApiKeyRecord; account: AccountRecord } | null> {
    const k = this.s.findKey.get(keySha256) as KeyRow | undefined;
    if (!k) return null;
    const a = this.s.getAccountById.get(k.account_id) as AccountRow | undefined;
    return a ? { key: toKey(k), account: toAccount(a) } : null;
  }

  async listApiKeys(accountId: string): Promise<ApiKeyRecord[]> {
    return (this.db.prepare(`SELECT * FROM api_keys WHERE account_id = ? ORDER BY created_ms, id`).all(accountId) as KeyRow[]).map(toKey);
  }

  async revokeApiKey(keyId: string, nowMs: number): Promise<'revoked' | 'not_found'> {
    return this.s.revokeKey.run(nowMs, keyId).changes === 1 ? 'revoked' : 'not_found';
  }

  // ---- money ----
  async deposit(accountId: string, amount: bigint, note: string, nowMs: number): Promise<{ txId: string }> {
    if (amount <= 0n) throw new RangeError(`deposit amount must be > 0, got ${amount}`);
    return this.tx(() => {
      const a = this.s.getAccountById.get(accountId) as AccountRow | undefined;
      if (!a) throw new Error(`unknown account ${accountId}`);
      const key = 'deposit:' + crypto.randomUUID();
      this.post(depositPosting(key, a.id, a.name, amount, note), nowMs);
      const r = this.db.prepare(`SELECT id FROM ledger_tx WHERE tx_key = ?`).get(key) as { id: string };
      return { txId: r.id };
    });
  }

  async withdraw(accountId: string, book: Book, amount: bigint, requestId: string, note: string, nowMs: number): Promise<WithdrawOutcome> {
    if (amount <= 0n) throw new RangeError(`withdrawal amount must be > 0, got ${amount}`);
    return this.tx((): WithdrawOutcome => {
      const a = this.s.getAccountById.get(accountId) as AccountRow | undefined;
      if (!a) throw new Error(`unknown account ${accountId}`);
      const p = withdrawalPosting(requestId, a.id, a.name, book, amount, note);
      const prior = this.db.prepare(`SELECT t.id, e.account_id, e.book, CAST(e.amount AS TEXT) AS a FROM ledger_tx t JOIN ledger_entries e ON e.tx_id = t.id
        WHERE t.tx_key = ? AND e.account_id != ?`).get(p.key, MINT_ID) as { id: string; account_id: string; book: string; a: string } | undefined;
      if (prior) return { outcome: priorWithdrawal({ accountId: prior.account_id, book: prior.book, amount: BigInt(prior.a) }, a.id, book, amount), txId: prior.id };
      const held = this.bal(a.id, book);
      if (held < amount) return { outcome: 'insufficient', held };
      this.post(p, nowMs);
      return { outcome: 'withdrawn', txId: (this.db.prepare(`SELECT id FROM ledger_tx WHERE tx_key = ?`).get(p.key) as { id: string }).id };
    });
  }

  async balances(accountId: string): Promise<Record<Book, bigint>> {
    const out = Object.fromEntries(BOOKS.map((b) => [b, 0n])) as Record<Book, bigint>;
    for (const r of this.s.balances.all(accountId) as { book: Book; a: string }[]) out[r.book] = BigInt(r.a);
    return out;
  }

  async ledger(f: LedgerFilter): Promise<LedgerEntry[]> {
    const where: string[] = []; const args: (string | number)[] = [];
    if (f.jobId) { where.push('t.job_id = ?'); args.push(f.jobId); }
    if (f.accountId) { where.push('e.account_id = ?'); args.push(f.accountId); }
    const limit = Math.max(1, Math.min(10_000, f.limit || 1000));
    const rows = this.db.prepare(`SELECT e.seq, e.tx_id, e.account_id, a.name AS account, e.book, CAST(e.amount AS TEXT) AS amount,
        e.reason, t.job_id, t.prover_id, t.explanation, t.created_ms
      FROM ledger_entries e JOIN ledger_tx t ON t.id = e.tx_id JOIN accounts a ON a.id = e.account_id
      ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY e.seq DESC LIMIT ?`).all(...args, limit) as {
      seq: number; tx_id: string; account_id: string; account: string; book: Book; amount: string; reason: LedgerEntry['reason'];
      job_id: string; prover_id: string; explanation: string; created_ms: number;
    }[];
    return rows.map((r) => ({
      seq: r.seq, txId: r.tx_id, accountId: r.account_id, account: r.account, book: r.book, amount: r.amount, reason: r.reason,
      jobId: r.job_id, proverId: r.prover_id, explanation: r.explanation, createdMs: r.created_ms,
    }));
  }

  // ---- circuits ----
  async insertCircuit(c: CircuitRecord): Promise<{ outcome: CircuitInsertOutcome; existing: CircuitRecord | null }> {
    return this.tx(() => {
      const byName = this.s.getCircuitByOwnerName.get(c.ownerAccountId, c.name) as CircuitRow | undefined;
      if (byName) {
        const ex = toCircuit(byName);
        const same = ex.id === c.id && JSON.stringify(ex.artifacts) === JSON.stringify(c.artifacts);
        return { outcome: same ? 'identical' : 'name_taken', existing: ex };
      }
      const byId = this.s.getCircuitById.get(c.id) as CircuitRow | undefined;
      if (byId) return { outcome: 'id_taken', existing: toCircuit(byId) };
      this.s.insertCircuit.run({
        ...c, public: c.public ? 1 : 0, insecure: c.insecure ? 1 : 0,
        artifacts: JSON.stringify(c.artifacts), inputs: c.inputs ? JSON.stringify(c.inputs) : null,
      });
      return { outcome: 'inserted', existing: null };
    });
  }

  async getCircuit(idOrName: string, viewerAccountId?: string): Promise<CircuitRecord | null> {
    const byId = this.s.getCircuitById.get(idOrName) as CircuitRow | undefined;
    if (viewerAccountId === undefined) return byId ? toCircuit(byId) : null;
    if (byId && (byId.owner_account_id === viewerAccountId || byId.public)) return toCircuit(byId);
    const r = (this.s.getCircuitByOwnerName.get(viewerAccountId, idOrName) ?? this.s.getPublicByName.get(idOrName)) as CircuitRow | undefined;
    return r ? toCircuit(r) : null;
  }

  async listCircuits(viewerAccountId?: string): Promise<CircuitRecord[]> {
    const rows = viewerAccountId === undefined ? this.s.listCircuits.all() : this.s.listVisible.all(viewerAccountId);
    return (rows as CircuitRow[]).map(toCircuit);
  }

  // ---- provers ----
  async upsertProver(ownerAccountId: string, key: string, name: string, caps: ProverCaps, nowMs: number): Promise<ProverRecord> {
    const id = proverIdFor(ownerAccountId, key);
    this.s.upsertProver.run(id, ownerAccountId, key, name, JSON.stringify(caps), nowMs, nowMs);
    return toProver(this.s.getProver.get(id) as ProverRow);
  }

  async registerProver(r: ProverRegistration): Promise<{ outcome: ProverRegisterOutcome; prover: ProverRecord | null }> {
    const id = proverIdFor(r.ownerAccountId, r.key);
    return this.tx(() => {
      const caps = JSON.stringify(r.caps);
      const before = this.s.getProver.get(id) as ProverRow | undefined;
      if (!before) {
        this.s.insertProver.run(id, r.ownerAccountId, r.key, r.name, caps, r.nowMs, r.nowMs, r.secretSha256);
        return { outcome: 'created' as const, prover: toProver(this.s.getProver.get(id) as ProverRow) };
      }
      if (this.s.rebindProver.run(r.name, caps, r.nowMs, r.secretSha256, id, r.secretSha256).changes !== 1) {
        return { outcome: 'secret_mismatch' as const, prover: null };
      }
      return { outcome: before.secret_sha256 ? 'matched' as const : 'bound' as const, prover: toProver(this.s.getProver.get(id) as ProverRow) };
    });
  }

  async getProver(id: string): Promise<ProverRecord | null> {
    const r = this.s.getProver.get(id) as ProverRow | undefined;
    return r ? toProver(r) : null;
  }

  // ---- jobs: reads ----
  async getJob(id: string): Promise<JobRecord | null> { return this.job(id); }

  async getJobByLeaseToken(token: string): Promise<JobRecord | null> {
    if (!token) return null;
    const r = this.s.getJobByToken.get(token) as JobRow | undefined;
    return r ? toJob(r) : null;
  }

  async listJobs(f: ListJobsFilter): Promise<JobRecord[]> {
    const where: string[] = []; const args: (string | number)[] = [];
    if (f.ownerAccountId) { where.push('owner_account_id = ?'); args.push(f.ownerAccountId); }
    if (f.state) { where.push('state = ?'); args.push(f.state); }
    if (f.circuitId) { where.push('circuit_id = ?'); args.push(f.circuitId); }
    const limit = Math.max(1, Math.min(1000, f.limit || 100));
    const sql = `SELECT ${JOB_COLS} FROM jobs ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_ms DESC, id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, limit) as JobRow[]).map(toJob);
  }

  async listJobViews(f: ListJobsFilter): Promise<JobView[]> {
    const args: unknown[] = [];
    const sql = jobViewsQuery(f, (v) => { args.push(v); return '?'; });
    return toJobViews(this.db.prepare(sql).all(...args) as (JobRow & Record<string, unknown>)[]);
  }

  async liveJobs(): Promise<JobRecord[]> { return (this.s.live.all() as JobRow[]).map(toJob); }
  async countJobsByState(): Promise<Partial<Record<JobStateName, number>>> {
    return Object.fromEntries((this.s.countByState.all() as { state: JobStateName; n: number }[]).map((r) => [r.state, r.n]));
  }
  async queuedJobs(limit: number): Promise<JobRecord[]> { return (this.s.queued.all(limit) as JobRow[]).map(toJob); }
  async leasedTo(proverId: string): Promise<JobRecord[]> { return (this.s.leasedTo.all(proverId) as JobRow[]).map(toJob); }

  // ---- jobs: transitions ----
  async submit(j: NewJob): Promise<Transition<SubmitOutcome> & { available?: bigint; live?: number; group?: JobGroupRecord }> {
    return this.tx(() => {
      // A request id is one job: a partitioned job's cannot name a single-payload one too.
      const g = this.s.getGroupByReq.get(j.ownerAccountId, j.requestId) as GroupRow | undefined;
      if (g) return { outcome: 'group_taken' as const, job: null, group: toGroup(g) };
      const ex = this.s.getJobByReq.get(j.ownerAccountId, j.requestId) as JobRow | undefined;
      if (ex) {
        const job = toJob(ex);
        const same = job.circuitId === j.circuitId && job.payloadSha256 === j.payloadSha256;
        return { outcome: same ? 'existing' as const : 'conflict' as const, job };
      }
      if (j.maxLiveJobs && j.maxLiveJobs > 0) {
        const live = (this.s.countLive.get(j.ownerAccountId) as { n: number }).n;
        if (live >= j.maxLiveJobs) return { outcome: 'too_many_live' as const, job: null, live };
      }
      const available = this.bal(j.ownerAccountId, 'available');
      if (available < j.maxPrice) return { outcome: 'insufficient_funds' as const, job: null, available };
      const { maxLiveJobs: _cap, enqueue: _q, ...row } = j;
      // enqueue: inserted QUEUED at once; its events still say SUBMITTED, then QUEUED.
      this.s.insertJob.run({ ...row, minOnTime: j.minOnTime ?? 0, state: j.enqueue ? 'QUEUED' : 'SUBMITTED', offer: offerText(j) });
      this.failPoint?.('submit', j.id);
      this.post(holdPosting(j.id, j.ownerAccountId, j.maxPrice), j.nowMs);
      // The row just inserted, without reading it back (its other columns are the schema's defaults).
      const job = newJobRecord(j, j.enqueue ? 'QUEUED' : 'SUBMITTED');
      this.event(j.enqueue ? { ...job, state: 'SUBMITTED' } : job, 'state', j.nowMs);
      if (j.enqueue) this.event(job, 'state', j.nowMs);
      return { outcome: 'created' as const, job };
    });
  }

  async enqueue(id: string, nowMs: number): Promise<Transition<SimpleOutcome>> {
    return this.tx(() => {
      const changes = this.s.enqueue.run(nowMs, id).changes;
      const job = this.job(id);
      if (!job) return { outcome: 'not_found' as const, job: null };
      if (changes !== 1) return { outcome: 'wrong_state' as const, job: null };
      this.event(job, 'state', nowMs);
      return { outcome: 'moved' as const, job };
    });
  }

  async claim(id: string, t: ClaimTerms, nowMs: number): Promise<Transition<ClaimOutcome>> {
    if (!t.leaseToken) throw new Error('claim needs a non-empty lease token');
    return this.tx(() => {
      const prev = this.job(id);
      if (!prev) return { outcome: 'not_found' as const, job: null };
      if (prev.state !== 'QUEUED') return { outcome: 'not_queued' as const, job: null };
      if (prev.excluded.includes(t.proverId)) return { outcome: 'excluded' as const, job: null };
      if (t.price > BigInt(prev.maxPrice)) return { outcome: 'price_too_high' as const, job: null };
      const stake = stakeFor(t.price, this.money);
      const op = stake > 0n ? this.operatorOf(t.proverId) : '';
      if (stake > 0n && this.bal(op, 'available') < stake) return { outcome: 'insufficient_stake' as const, job: null };
      const changes = this.s.claim.run(t.proverId, t.leaseToken, t.leaseExpiresMs, t.price, stake, t.note ?? null, nowMs, id).changes;
      if (changes !== 1) return { outcome: 'not_queued' as const, job: null };
      this.failPoint?.('claim', id);
      if (stake > 0n) this.post(lockPosting(id, t.proverId, op, stake, t.price, t.leaseToken), nowMs);
      // The row as the claim's UPDATE left it (the guard held: it was `prev`, QUEUED), without reading it back.
      const job: JobRecord = {
        ...prev, state: 'ASSIGNED', proverId: t.proverId, leaseToken: t.leaseToken, leaseExpiresMs: t.leaseExpiresMs, attempts: prev.attempts + 1,
        price: t.price.toString(), stake: stake.toString(), progress: 0, stage: '', routing: t.note ?? prev.routing, updatedMs: nowMs,
      };
      this.event(job, 'state', nowMs);
      // The assignment's note, written by the claim's UPDATE: a 'routing' event when it changed (as setRouting).
      if (t.note !== undefined && t.note !== prev.routing) this.event(job, 'routing', nowMs);
      return { outcome: 'claimed' as const, job };
    });
  }

  /** Shared shape of token-guarded moves: changes=1 → ok (+ event), else stale or not_found. */
  private leased(id: string, kind: 'state' | 'progress' | null, nowMs: number, run: () => number): Promise<Transition<LeaseOutcome>> {
    return this.tx(() => {
      const changes = run();
      const job = this.job(id);
      if (!job) return { outcome: 'not_found' as const, job: null };
      if (changes !== 1) return { outcome: 'stale' as const, job: null };
      if (kind) this.event(job, kind, nowMs);
      return { outcome: 'ok' as const, job };
    });
  }

  async heartbeat(id: string, leaseToken: string, leaseExpiresMs: number, nowMs: number): Promise<Transition<LeaseOutcome>> {
    return this.leased(id, null, nowMs, () => this.s.heartbeat.run(leaseExpiresMs, nowMs, id, leaseToken).changes);
  }

  async progress(id: string, leaseToken: string, fraction: number, stage: string, leaseExpiresMs: number, nowMs: number): Promise<Transition<LeaseOutcome>> {
    const f = Number.isFinite(fraction) ? Math.max(0, Math.min(1, fraction)) : 0;
    return this.leased(id, 'progress', nowMs, () => this.s.progress.run(f, f, stage, leaseExpiresMs, nowMs, id, leaseToken).changes);
  }

  async beginVerify(id: string, leaseToken: string, proofJson: string, publicJson: string, backend: string, proveMs: number, nowMs: number): Promise<Transition<LeaseOutcome>> {
    return this.leased(id, 'state', nowMs, () => this.s.beginVerify.run(proofJson, publicJson, backend, Math.max(0, Math.round(proveMs)), nowMs, id, leaseToken).changes);
  }

  async accept(id: string, leaseToken: string, nowMs: number): Promise<Transition<LeaseOutcome>> {
    return this.tx(() => {
      const prev = this.job(id);
      if (!prev) return { outcome: 'not_found' as const, job: null };
      if (this.s.accept.run(nowMs, id, leaseToken).changes !== 1) return { outcome: 'stale' as const, job: null };
      this.failPoint?.('accept', id);
      const paid = BigInt(prev.price) > 0n || BigInt(prev.stake) > 0n;
      this.post(settlePosting(prev, paid ? this.operatorOf(prev.proverId) : '', this.money), nowMs);
      this.s.verdictOk.run(prev.proverId);
      const job = this.job(id)!;
      this.event(job, 'state', nowMs);
      return { outcome: 'ok' as const, job };
    });
  }

  private released(id: string, nowMs: number, run: (prev: JobRecord) => number, money: (prev: JobRecord, job: JobRecord) => void): Promise<Transition<ReleaseOutcome>> {
    return this.tx(() => {
      const prev = this.job(id);
      if (!prev) return { outcome: 'not_found' as const, job: null };
      if (run(prev) !== 1) return { outcome: 'stale' as const, job: null };
      const job = this.job(id)!;
      this.failPoint?.('release', id);
      money(prev, job);
      this.event(job, 'state', nowMs);
      return { outcome: job.state === 'FAILED' ? 'failed' as const : 'requeued' as const, job };
    });
  }

  async reject(id: string, leaseToken: string, verdict: string, nowMs: number): Promise<Transition<ReleaseOutcome>> {
    return this.released(id, nowMs, () => this.s.reject.run(verdict, verdict, nowMs, id, leaseToken).changes, (prev, job) => {
      this.s.verdictBad.run(prev.proverId);
      this.endLease(prev, `wrong proof: ${verdict}`, '', nowMs);
      this.refundIfTerminal(job, job.error, nowMs);
    });
  }

  async setAside(id: string, leaseToken: string, reason: string, nowMs: number): Promise<Transition<ReleaseOutcome>> {
    return this.released(id, nowMs, () => this.s.setAside.run(reason, reason, nowMs, id, leaseToken).changes, (prev, job) => {
      this.endLease(prev, null, `set aside, not blamed: ${reason}`, nowMs);
      this.refundIfTerminal(job, job.error, nowMs);
    });
  }

  async failInput(id: string, reason: string, nowMs: number): Promise<Transition<FailInputOutcome> & { previous: JobRecord | null }> {
    return this.endLive(id, reason, nowMs, this.s.failInput, 'the client\'s input is bad; the prover is not blamed', 'failed');
  }

  async release(id: string, leaseToken: string, error: string, retryable: boolean, nowMs: number): Promise<Transition<ReleaseOutcome>> {
    return this.released(id, nowMs, (prev) => {
      if (!retryable) return this.s.releaseFail.run(error, nowMs, id, leaseToken).changes;
      const owner = (this.s.proverOwner.get(prev.proverId) as { owner_account_id: string } | undefined)?.owner_account_id;
      const g = giveBack(prev, owner);
      return this.s.releaseRetry.run({ free: g.free ? 1 : 0, error, givenBack: JSON.stringify(g.givenBack), nowMs, id, leaseToken }).changes;
    }, (prev, job) => {
      this.endLease(prev, null, `the prover gave the job back (${error})`, nowMs);
      this.refundIfTerminal(job, job.error, nowMs);
    });
  }

  async extendLeases(untilMs: number, nowMs: number): Promise<number> {
    return this.tx(() => this.s.extendLeases.run(untilMs, nowMs, untilMs).changes);
  }

  async reclaimLapsed(nowMs: number): Promise<{ requeued: JobRecord[]; failed: JobRecord[]; previous: JobRecord[] }> {
    return this.tx(() => {
      const out = { requeued: [] as JobRecord[], failed: [] as JobRecord[], previous: [] as JobRecord[] };
      for (const r of this.s.lapsed.all(nowMs) as JobRow[]) {
        if (this.s.reclaim.run(nowMs, r.id, r.state, r.lease_token, nowMs).changes !== 1) continue;
        const prev = toJob(r); const j = this.job(r.id)!;
        this.failPoint?.('reclaim', r.id);
        this.endLease(prev, `abandoned: the lease lapsed at ${new Date(prev.leaseExpiresMs).toISOString()} with no result`, '', nowMs);
        this.refundIfTerminal(j, j.error, nowMs);
        this.event(j, 'state', nowMs);
        out.previous.push(prev);
        (j.state === 'FAILED' ? out.failed : out.requeued).push(j);
      }
      return out;
    });
  }

  async expireOverdue(nowMs: number): Promise<{ expired: JobRecord[]; previous: JobRecord[] }> {
    return this.tx(() => {
      const out = { expired: [] as JobRecord[], previous: [] as JobRecord[] };
      for (const r of this.s.overdue.all(nowMs) as JobRow[]) {
        const msg = `deadline ${new Date(r.deadline_ms).toISOString()} passed while the job was ${r.state}`;
        if (this.s.expire.run(msg, nowMs, r.id, r.state).changes !== 1) continue;
        const prev = toJob(r); const j = this.job(r.id)!;
        this.failPoint?.('expire', r.id);
        this.endLease(prev, null, 'the job expired', nowMs);
        this.refundIfTerminal(j, msg, nowMs);
        this.event(j, 'state', nowMs);
        out.previous.push(prev);
        out.expired.push(j);
      }
      return out;
    });
  }

  // ---- partitioned jobs ----
  async submitGroup(g: NewJobGroup): Promise<{ outcome: SubmitOutcome; group: JobGroupRecord | null; jobs: JobRecord[]; available?: bigint; live?: number }> {
    return this.tx(() => {
      const ex = this.s.getGroupByReq.get(g.ownerAccountId, g.requestId) as GroupRow | undefined;
      if (ex) {
        const group = toGroup(ex);
        const same = group.circuitId === g.circuitId && group.payloadSha256 === g.payloadSha256;
        return { outcome: same ? 'existing' as const : 'conflict' as const, group, jobs: (this.s.groupPartitions.all(group.id) as JobRow[]).map(toJob) };
      }
      const single = this.s.getJobByReq.get(g.ownerAccountId, g.requestId) as JobRow | undefined;
      if (single) return { outcome: 'conflict' as const, group: null, jobs: [toJob(single)] };
      const n = g.partitions.length;
      if (g.maxLiveJobs && g.maxLiveJobs > 0) {
        const live = (this.s.countLive.get(g.ownerAccountId) as { n: number }).n;
        if (live + n > g.maxLiveJobs) return { outcome: 'too_many_live' as const, group: null, jobs: [], live };
      }
      const available = this.bal(g.ownerAccountId, 'available');
      if (available < g.maxPrice * BigInt(n)) return { outcome: 'insufficient_funds' as const, group: null, jobs: [], available };
      this.s.insertGroup.run({ id: g.id, ownerAccountId: g.ownerAccountId, requestId: g.requestId, circuitId: g.circuitId, n,
        payloadSha256: g.payloadSha256, deadlineMs: g.deadlineMs, maxPrice: g.maxPrice, nowMs: g.nowMs });
      const jobs: JobRecord[] = [];
      g.partitions.forEach((p, k) => {
        const id = partitionJobId(g.id, k);
        this.s.insertPartition.run({ id, ownerAccountId: g.ownerAccountId, requestId: `${g.requestId}#${k}`, circuitId: g.circuitId,
          inputJson: p.inputJson, witness: p.witness, payloadSha256: p.payloadSha256, maxAttempts: g.maxAttempts, deadlineMs: g.deadlineMs,
          maxPrice: g.maxPrice, minOnTime: g.minOnTime ?? 0, nowMs: g.nowMs, groupId: g.id, partitionIndex: k });
        this.failPoint?.('submit', id);
        this.post(holdPosting(id, g.ownerAccountId, g.maxPrice), g.nowMs);
        const job = this.job(id)!;
        this.event(job, 'state', g.nowMs);
        jobs.push(job);
      });
      return { outcome: 'created' as const, group: toGroup(this.s.getGroup.get(g.id) as GroupRow), jobs };
    });
  }

  async getGroup(id: string): Promise<JobGroupRecord | null> {
    const r = this.s.getGroup.get(id) as GroupRow | undefined;
    return r ? toGroup(r) : null;
  }

  async groupByRequest(ownerAccountId: string, requestId: string): Promise<JobGroupRecord | null> {
    const r = this.s.getGroupByReq.get(ownerAccountId, requestId) as GroupRow | undefined;
    return r ? toGroup(r) : null;
  }

  async listGroups(f: { ownerAccountId?: string; circuitId?: string; limit?: number }): Promise<JobGroupRecord[]> {
    const where: string[] = []; const args: (string | number)[] = [];
    if (f.ownerAccountId) { where.push('owner_account_id = ?'); args.push(f.ownerAccountId); }
    if (f.circuitId) { where.push('circuit_id = ?'); args.push(f.circuitId); }
    const sql = `SELECT ${GROUP_COLS} FROM job_groups ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_ms DESC, id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, Math.max(1, Math.min(1000, f.limit || 100))) as GroupRow[]).map(toGroup);
  }

  async groupPartitions(groupId: string): Promise<JobRecord[]> { return (this.s.groupPartitions.all(groupId) as JobRow[]).map(toJob); }

  async cancelGroup(groupId: string, reason: string, nowMs: number): Promise<{ outcome: CancelOutcome; jobs: JobRecord[]; previous: JobRecord[] }> {
    return this.tx(() => {
      const parts = (this.s.groupPartitions.all(groupId) as JobRow[]).map(toJob);
      if (parts.length === 0) return { outcome: 'not_found' as const, jobs: [], previous: [] };
      const previous: JobRecord[] = [];
      const jobs = parts.map((p) => {
        if (!LIVE_STATES.includes(p.state)) return p;
        // Each partition's own cancel transition (lease ended, refund, event), all in this one transaction.
        const r = this.endLiveTx(p.id, reason, nowMs, this.s.cancel, 'the client cancelled the job', 'cancelled');
        if (r.outcome === 'cancelled' && r.previous) previous.push(r.previous);
        return r.job ?? p;
      });
      return { outcome: previous.length ? 'cancelled' as const : 'terminal' as const, jobs, previous };
    });
  }

  async cancel(id: string, reason: string, nowMs: number): Promise<Transition<CancelOutcome> & { previous: JobRecord | null }> {
    return this.endLive(id, reason, nowMs, this.s.cancel, 'the client cancelled the job', 'cancelled');
  }

  /** Any live state → a terminal one by `stmt` (error, updated_ms, id, state): lease ended without slash, refund. */
  private endLive<O extends string>(id: string, reason: string, nowMs: number, stmt: Database.Statement, why: string, moved: O):
    Promise<Transition<O | 'not_found' | 'terminal'> & { previous: JobRecord | null }> {
    return this.tx(() => this.endLiveTx(id, reason, nowMs, stmt, why, moved));
  }

  /** endLive's body, inside the caller's transaction. */
  private endLiveTx<O extends string>(id: string, reason: string, nowMs: number, stmt: Database.Statement, why: string, moved: O):
    Transition<O | 'not_found' | 'terminal'> & { previous: JobRecord | null } {
    const prev = this.job(id);
    if (!prev) return { outcome: 'not_found' as const, job: null, previous: null };
    if (!LIVE_STATES.includes(prev.state)) return { outcome: 'terminal' as const, job: prev, previous: prev };
    // Guarded by the state just read; inside an IMMEDIATE transaction nobody can move it in between.
    if (stmt.run(reason, nowMs, id, prev.state).changes !== 1) {
      return { outcome: 'terminal' as const, job: this.job(id), previous: prev };
    }
    const j = this.job(id)!;
    this.failPoint?.(moved === 'cancelled' ? 'cancel' : 'failInput', id);
    this.endLease(prev, null, why, nowMs);
    this.refundIfTerminal(j, reason, nowMs);
    this.event(j, 'state', nowMs);
    return { outcome: moved, job: j, previous: prev };
  }

  // ---- routing ----
  async addLatencySample(x: LatencySample): Promise<void> {
    this.s.addSample.run(x.proverId, x.curve, Math.round(x.constraints), Math.max(0, Math.round(x.ms)), x.kind, x.createdMs);
  }

  /** One transaction (in the group commit) rather than one autocommit write per sample. */
  async addLatencySamples(xs: LatencySample[]): Promise<void> {
    if (xs.length === 0) return;
    await this.tx(() => { for (const x of xs) this.s.addSample.run(x.proverId, x.curve, Math.round(x.constraints), Math.max(0, Math.round(x.ms)), x.kind, x.createdMs); });
  }

  async latencySamples(perProver: number): Promise<LatencySample[]> {
    return (this.s.samples.all(perProver) as { prover_id: string; curve: string; constraints: number; ms: number; kind: string; created_ms: number }[])
      .map((r) => ({ proverId: r.prover_id, curve: r.curve, constraints: r.constraints, ms: r.ms, kind: r.kind as LatencySample['kind'], createdMs: r.created_ms }));
  }

  async getProverRouting(proverId: string): Promise<ProverRoutingRecord | null> {
    const r = this.s.getRouting.get(proverId) as { prover_id: string; state: string; challenges_passed: number; challenges_failed: number;
      missed_eta: number; updated_ms: number } | undefined;
    return r ? {
      proverId: r.prover_id, state: r.state as ProverRoutingRecord['state'], challengesPassed: r.challenges_passed,
      challengesFailed: r.challenges_failed, missedEta: r.missed_eta, updatedMs: r.updated_ms,
    } : null;
  }

  async putProverRouting(r: ProverRoutingRecord): Promise<void> { this.s.putRouting.run({ ...r }); }

  async adjustReputation(proverId: string, delta: number): Promise<void> { this.s.adjustReputation.run(delta, proverId); }

  async listProvers(): Promise<ProverRecord[]> { return (this.s.listProvers.all() as ProverRow[]).map(toProver); }

  async addC1Owner(sha256: string, accountId: string, nowMs: number): Promise<void> { this.s.addC1Owner.run(sha256, accountId, nowMs); }

  async ownsC1(sha256: string, accountId: string): Promise<boolean> { return this.s.ownsC1.get(sha256, accountId) !== undefined; }

  async setRouting(id: string, note: string, nowMs: number): Promise<JobRecord | null> {
    return this.tx(() => {
      if (this.s.setRouting.run(note, nowMs, id, note).changes !== 1) return null;
      const job = this.job(id)!;
      this.event(job, 'routing', nowMs);
      return job;
    });
  }

  async shortenLease(id: string, leaseToken: string, expiresMs: number): Promise<boolean> {
    return this.s.shortenLease.run(expiresMs, id, leaseToken, expiresMs).changes === 1;
  }

  async raiseOffer(id: string, from: string, to: bigint, note: string, nowMs: number): Promise<JobRecord | null> {
    return this.tx(() => {
      const j = this.job(id);
      if (!j || !offerRaise(j, from, to)) return null;
      if (this.s.raiseOffer.run(to.toString(), note, nowMs, id, from).changes !== 1) return null;
      const job = this.job(id)!;
      this.event(job, 'routing', nowMs);
      return job;
    });
  }

  // ---- outbox ----
  /** Events after `afterSeq` in seq order; a run of consecutive seqs this store committed itself comes from memory (`recent`). */
  async readOutbox(afterSeq: number, limit: number): Promise<OutboxEvent[]> {
    const out: OutboxEvent[] = [];
    const r = this.recent;
    // The first held event after afterSeq (binary search), then those that follow it without a gap.
    let lo = 0; let hi = r.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (r[mid].seq <= afterSeq) lo = mid + 1; else hi = mid; }
    let seq = afterSeq;
    for (let i = lo; i < r.length && out.length < limit && r[i].seq === seq + 1; i++) { out.push(r[i]); seq = r[i].seq; }
    if (out.length < limit && this.s.outboxAfter.get(seq) !== undefined) {
      for (const row of this.s.readOutbox.all(seq, limit - out.length) as (OutboxJoinedRow & { seq: number; created_ms: number })[]) {
        out.push({ seq: row.seq, jobId: row.job_id, kind: row.kind as OutboxEvent['kind'], job: decodeOutboxJob(row), createdMs: row.created_ms });
      }
    }
    return out;
  }

  async outboxHead(): Promise<number> { return (this.s.outboxHead.get() as { seq: number }).seq; }

  async pruneOutbox(uptoSeq: number): Promise<void> {
    this.s.pruneOutbox.run(uptoSeq);
    const keep = this.recent.findIndex((ev) => ev.seq > uptoSeq);
    this.recent.splice(0, keep < 0 ? this.recent.length : keep);
  }

  async close(): Promise<void> {
    this.flush();
    // The worker's connection first: the last one to close checkpoints and removes the -wal file.
    await this.checkpointer?.close();
    if (this.db.open) this.db.close();
  }
}

export function openSqliteStore(file: string, opts?: SqliteStoreOptions): SqliteStore { return new SqliteStore(file, opts); }
