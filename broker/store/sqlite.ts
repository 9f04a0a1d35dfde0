// Embedded store on SQLite (better-sqlite3): WAL, synchronous=NORMAL, one `state` column with a
// partial index per live state. Every job transition is a single guarded UPDATE
// (`WHERE id=? AND state=?` [+ lease_token=?]) whose `changes` decides the outcome; the row is
// read back in the same IMMEDIATE transaction so the returned record is what was written.
// A job keeps its last lease token after the lease ends (the state guard makes it powerless), so
// the broker can still tell a prover which job a stale token belonged to.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import Database from 'better-sqlite3';
import type {
  CircuitRecord, CircuitInsertOutcome, ClaimOutcome, CancelOutcome, JobRecord, JobStateName, LeaseOutcome,
  ListJobsFilter, NewJob, ProverCaps, ProverRecord, ReleaseOutcome, SimpleOutcome, Store, SubmitOutcome, Transition,
} from './types';
import { LIVE_STATES } from './types';

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS circuits (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  curve TEXT NOT NULL,
  protocol TEXT NOT NULL,
  constraints INTEGER NOT NULL,
  n_public INTEGER NOT NULL,
  n_vars INTEGER NOT NULL,
  domain_log2 INTEGER NOT NULL,
  artifacts TEXT NOT NULL,
  description TEXT NOT NULL,
  inputs TEXT,
  created_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS provers (
  id TEXT PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  caps TEXT NOT NULL,
  reputation REAL NOT NULL DEFAULT 0,
  accepted INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  created_ms INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL,
  circuit_id TEXT NOT NULL REFERENCES circuits(id),
  state TEXT NOT NULL CHECK (state IN ('SUBMITTED','QUEUED','ASSIGNED','PROVING','VERIFYING','DONE','FAILED','EXPIRED','CANCELLED')),
  input_json TEXT,
  witness BLOB,
  payload_sha256 TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  prover_id TEXT NOT NULL DEFAULT '',
  lease_token TEXT NOT NULL DEFAULT '',
  lease_expires_ms INTEGER NOT NULL DEFAULT 0,
  progress REAL NOT NULL DEFAULT 0,
  stage TEXT NOT NULL DEFAULT '',
  proof_json TEXT NOT NULL DEFAULT '',
  public_json TEXT NOT NULL DEFAULT '',
  backend TEXT NOT NULL DEFAULT '',
  prove_ms INTEGER NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  excluded TEXT NOT NULL DEFAULT '[]',
  deadline_ms INTEGER NOT NULL DEFAULT 0,
  max_price INTEGER NOT NULL DEFAULT 0,
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS jobs_request_id ON jobs(request_id);
CREATE INDEX IF NOT EXISTS jobs_created ON jobs(created_ms);
CREATE INDEX IF NOT EXISTS jobs_circuit ON jobs(circuit_id, created_ms);
CREATE INDEX IF NOT EXISTS jobs_submitted ON jobs(created_ms) WHERE state = 'SUBMITTED';
CREATE INDEX IF NOT EXISTS jobs_queued ON jobs(created_ms) WHERE state = 'QUEUED';
CREATE INDEX IF NOT EXISTS jobs_assigned ON jobs(lease_expires_ms) WHERE state = 'ASSIGNED';
CREATE INDEX IF NOT EXISTS jobs_proving ON jobs(lease_expires_ms) WHERE state = 'PROVING';
CREATE INDEX IF NOT EXISTS jobs_verifying ON jobs(updated_ms) WHERE state = 'VERIFYING';
CREATE INDEX IF NOT EXISTS jobs_lease_token ON jobs(lease_token) WHERE lease_token <> '';
CREATE INDEX IF NOT EXISTS jobs_deadline ON jobs(deadline_ms)
  WHERE deadline_ms > 0 AND state IN ('SUBMITTED','QUEUED','ASSIGNED','PROVING','VERIFYING');
`;

interface JobRow {
  id: string; request_id: string; circuit_id: string; state: string; input_json: string | null; witness: Buffer | null;
  payload_sha256: string; attempts: number; max_attempts: number; prover_id: string; lease_token: string;
  lease_expires_ms: number; progress: number; stage: string; proof_json: string; public_json: string; backend: string;
  prove_ms: number; error: string; excluded: string; deadline_ms: number; max_price: number; created_ms: number; updated_ms: number;
}
interface CircuitRow {
  id: string; name: string; curve: string; protocol: string; constraints: number; n_public: number; n_vars: number;
  domain_log2: number; artifacts: string; description: string; inputs: string | null; created_ms: number;
}
interface ProverRow {
  id: string; key: string; name: string; caps: string; reputation: number; accepted: number; rejected: number;
  created_ms: number; last_seen_ms: number;
}

function toJob(r: JobRow): JobRecord {
  return {
    id: r.id, requestId: r.request_id, circuitId: r.circuit_id, state: r.state as JobStateName,
    inputJson: r.input_json, witness: r.witness, payloadSha256: r.payload_sha256, attempts: r.attempts,
    maxAttempts: r.max_attempts, proverId: r.prover_id, leaseToken: r.lease_token, leaseExpiresMs: r.lease_expires_ms,
    progress: r.progress, stage: r.stage, proofJson: r.proof_json, publicJson: r.public_json, backend: r.backend,
    proveMs: r.prove_ms, error: r.error, excluded: JSON.parse(r.excluded) as string[], deadlineMs: r.deadline_ms,
    maxPrice: r.max_price, createdMs: r.created_ms, updatedMs: r.updated_ms,
  };
}
function toCircuit(r: CircuitRow): CircuitRecord {
  return {
    id: r.id, name: r.name, curve: r.curve as CircuitRecord['curve'], protocol: 'groth16', constraints: r.constraints,
    nPublic: r.n_public, nVars: r.n_vars, domainLog2: r.domain_log2, artifacts: JSON.parse(r.artifacts),
    description: r.description, inputs: r.inputs ? JSON.parse(r.inputs) : null, createdMs: r.created_ms,
  };
}
function toProver(r: ProverRow): ProverRecord {
  return {
    id: r.id, key: r.key, name: r.name, caps: JSON.parse(r.caps) as ProverCaps, reputation: r.reputation,
    accepted: r.accepted, rejected: r.rejected, createdMs: r.created_ms, lastSeenMs: r.last_seen_ms,
  };
}

/** Prover ids are derived from the operator's key, so a re-registering prover gets its id back. */
export function proverIdForKey(key: string): string {
  return 'p_' + crypto.createHash('sha256').update(key).digest('hex').slice(0, 16);
}

const LEASED_SQL = `state IN ('ASSIGNED','PROVING')`;
const LIVE_SQL = `state IN (${LIVE_STATES.map((s) => `'${s}'`).join(',')})`;

export class SqliteStore implements Store {
  readonly db: Database.Database;
  private readonly s: Record<string, Database.Statement>;

  /** Opens (creating if needed) the database file. Use ':memory:' only in throwaway tests. */
  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file, { timeout: 10_000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
    const v = this.db.prepare(`SELECT value FROM meta WHERE key='schema_version'`).get() as { value: string } | undefined;
    if (!v) this.db.prepare(`INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)`).run(String(SCHEMA_VERSION));
    else if (Number(v.value) !== SCHEMA_VERSION) {
      throw new Error(`store ${file} has schema version ${v.value}, this broker understands ${SCHEMA_VERSION}`);
    }
    const p = (sql: string) => this.db.prepare(sql);
    this.s = {
      getJob: p(`SELECT * FROM jobs WHERE id = ?`),
      getJobByReq: p(`SELECT * FROM jobs WHERE request_id = ?`),
      getJobByToken: p(`SELECT * FROM jobs WHERE lease_token = ? AND lease_token <> ''`),
      insertJob: p(`INSERT INTO jobs (id, request_id, circuit_id, state, input_json, witness, payload_sha256, max_attempts,
        deadline_ms, max_price, created_ms, updated_ms) VALUES (@id, @requestId, @circuitId, 'SUBMITTED', @inputJson, @witness,
        @payloadSha256, @maxAttempts, @deadlineMs, @maxPrice, @nowMs, @nowMs) ON CONFLICT(request_id) DO NOTHING`),
      enqueue: p(`UPDATE jobs SET state='QUEUED', updated_ms=? WHERE id=? AND state='SUBMITTED'`),
      claim: p(`UPDATE jobs SET state='ASSIGNED', prover_id=?, lease_token=?, lease_expires_ms=?, attempts=attempts+1,
        progress=0, stage='', updated_ms=? WHERE id=? AND state='QUEUED'`),
      heartbeat: p(`UPDATE jobs SET lease_expires_ms=MAX(lease_expires_ms, ?), updated_ms=? WHERE id=? AND lease_token=? AND ${LEASED_SQL}`),
      // Progress never goes back within an attempt (claim resets it): a late or out-of-order report keeps the higher one.
      progress: p(`UPDATE jobs SET state='PROVING', progress=MAX(progress, ?), stage=CASE WHEN ? >= progress THEN ? ELSE stage END,
        lease_expires_ms=MAX(lease_expires_ms, ?), updated_ms=?
        WHERE id=? AND lease_token=? AND ${LEASED_SQL}`),
      beginVerify: p(`UPDATE jobs SET state='VERIFYING', proof_json=?, public_json=?, backend=?, prove_ms=?, progress=1, stage='verifying', updated_ms=?
        WHERE id=? AND lease_token=? AND ${LEASED_SQL}`),
      complete: p(`UPDATE jobs SET state='DONE', lease_expires_ms=0, error='', updated_ms=?
        WHERE id=? AND lease_token=? AND state='VERIFYING'`),
      reject: p(`UPDATE jobs SET
          state = CASE WHEN attempts >= max_attempts THEN 'FAILED' ELSE 'QUEUED' END,
          error = CASE WHEN attempts >= max_attempts THEN 'gave up after ' || attempts || ' attempts; last: ' || ? ELSE ? END,
          excluded = json_insert(excluded, '$[#]', prover_id),
          proof_json='', public_json='', backend='', prove_ms=0, progress=0, stage='', lease_expires_ms=0, updated_ms=?
        WHERE id=? AND lease_token=? AND state='VERIFYING'`),
      releaseRetry: p(`UPDATE jobs SET
          state = CASE WHEN attempts >= max_attempts THEN 'FAILED' ELSE 'QUEUED' END,
          error = CASE WHEN attempts >= max_attempts THEN 'gave up after ' || attempts || ' attempts; last: ' || ? ELSE ? END,
          progress=0, stage='', lease_expires_ms=0, updated_ms=?
        WHERE id=? AND lease_token=? AND ${LEASED_SQL}`),
      releaseFail: p(`UPDATE jobs SET state='FAILED', error=?, lease_expires_ms=0, updated_ms=?
        WHERE id=? AND lease_token=? AND ${LEASED_SQL}`),
      lapsed: p(`SELECT * FROM jobs WHERE ${LEASED_SQL} AND lease_expires_ms < ? ORDER BY lease_expires_ms`),
      reclaim: p(`UPDATE jobs SET
          state = CASE WHEN attempts >= max_attempts THEN 'FAILED' ELSE 'QUEUED' END,
          error = CASE WHEN attempts >= max_attempts
            THEN 'gave up after ' || attempts || ' attempts; last: lease of prover ' || prover_id || ' lapsed'
            ELSE 'lease of prover ' || prover_id || ' lapsed' END,
          progress=0, stage='', lease_expires_ms=0, updated_ms=?
        WHERE id=? AND state=? AND lease_token=? AND lease_expires_ms < ?`),
      overdue: p(`SELECT * FROM jobs WHERE deadline_ms > 0 AND deadline_ms <= ? AND ${LIVE_SQL}`),
      expire: p(`UPDATE jobs SET state='EXPIRED', error=?, lease_expires_ms=0, updated_ms=?
        WHERE id=? AND state=?`),
      cancel: p(`UPDATE jobs SET state='CANCELLED', error=?, lease_expires_ms=0, updated_ms=? WHERE id=? AND state=?`),
      live: p(`SELECT * FROM jobs WHERE ${LIVE_SQL} ORDER BY created_ms, id`),
      queued: p(`SELECT * FROM jobs WHERE state='QUEUED' ORDER BY created_ms, id LIMIT ?`),
      leasedTo: p(`SELECT * FROM jobs WHERE ${LEASED_SQL} AND prover_id=?`),
      getCircuitById: p(`SELECT * FROM circuits WHERE id = ?`),
      getCircuitByName: p(`SELECT * FROM circuits WHERE name = ?`),
      listCircuits: p(`SELECT * FROM circuits ORDER BY created_ms DESC, id`),
      insertCircuit: p(`INSERT INTO circuits (id, name, curve, protocol, constraints, n_public, n_vars, domain_log2, artifacts,
        description, inputs, created_ms) VALUES (@id, @name, @curve, @protocol, @constraints, @nPublic, @nVars, @domainLog2,
        @artifacts, @description, @inputs, @createdMs)`),
      getProver: p(`SELECT * FROM provers WHERE id = ?`),
      upsertProver: p(`INSERT INTO provers (id, key, name, caps, created_ms, last_seen_ms) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET name=excluded.name, caps=excluded.caps, last_seen_ms=excluded.last_seen_ms`),
      verdictOk: p(`UPDATE provers SET reputation = reputation + 1, accepted = accepted + 1 WHERE id = ?`),
      verdictBad: p(`UPDATE provers SET reputation = reputation - 10, rejected = rejected + 1 WHERE id = ?`),
    };
  }

  private job(id: string): JobRecord | null {
    const r = this.s.getJob.get(id) as JobRow | undefined;
    return r ? toJob(r) : null;
  }

  /** Runs fn in BEGIN IMMEDIATE so the guarded write and the read-back see one state. */
  private tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** Shared shape of token-guarded transitions: changes=1 → ok, else stale or not_found. */
  private leased(id: string, run: () => number): Transition<LeaseOutcome> {
    return this.tx(() => {
      const changes = run();
      const job = this.job(id);
      if (!job) return { outcome: 'not_found' as const, job: null };
      return changes === 1 ? { outcome: 'ok' as const, job } : { outcome: 'stale' as const, job: null };
    });
  }

  // ---- circuits ----
  async insertCircuit(c: CircuitRecord): Promise<{ outcome: CircuitInsertOutcome; existing: CircuitRecord | null }> {
    return this.tx(() => {
      const byName = this.s.getCircuitByName.get(c.name) as CircuitRow | undefined;
      if (byName) {
        const ex = toCircuit(byName);
        const same = ex.id === c.id && JSON.stringify(ex.artifacts) === JSON.stringify(c.artifacts);
        return { outcome: same ? 'identical' : 'name_taken', existing: ex };
      }
      const byId = this.s.getCircuitById.get(c.id) as CircuitRow | undefined;
      if (byId) return { outcome: 'id_taken', existing: toCircuit(byId) };
      this.s.insertCircuit.run({
        ...c, artifacts: JSON.stringify(c.artifacts), inputs: c.inputs ? JSON.stringify(c.inputs) : null,
      });
      return { outcome: 'inserted', existing: null };
    });
  }

  async getCircuit(idOrName: string): Promise<CircuitRecord | null> {
    const r = (this.s.getCircuitById.get(idOrName) ?? this.s.getCircuitByName.get(idOrName)) as CircuitRow | undefined;
    return r ? toCircuit(r) : null;
  }

  async listCircuits(): Promise<CircuitRecord[]> {
    return (this.s.listCircuits.all() as CircuitRow[]).map(toCircuit);
  }

  // ---- provers ----
  async upsertProver(key: string, name: string, caps: ProverCaps, nowMs: number): Promise<ProverRecord> {
    const id = proverIdForKey(key);
    this.s.upsertProver.run(id, key, name, JSON.stringify(caps), nowMs, nowMs);
    return toProver(this.s.getProver.get(id) as ProverRow);
  }

  async getProver(id: string): Promise<ProverRecord | null> {
    const r = this.s.getProver.get(id) as ProverRow | undefined;
    return r ? toProver(r) : null;
  }

  async recordVerdict(proverId: string, accepted: boolean): Promise<void> {
    (accepted ? this.s.verdictOk : this.s.verdictBad).run(proverId);
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
    if (f.state) { where.push('state = ?'); args.push(f.state); }
    if (f.circuitId) { where.push('circuit_id = ?'); args.push(f.circuitId); }
    const limit = Math.max(1, Math.min(1000, f.limit || 100));
    const sql = `SELECT * FROM jobs ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_ms DESC, id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, limit) as JobRow[]).map(toJob);
  }

  async liveJobs(): Promise<JobRecord[]> { return (this.s.live.all() as JobRow[]).map(toJob); }
  async queuedJobs(limit: number): Promise<JobRecord[]> { return (this.s.queued.all(limit) as JobRow[]).map(toJob); }
  async leasedTo(proverId: string): Promise<JobRecord[]> { return (this.s.leasedTo.all(proverId) as JobRow[]).map(toJob); }

  // ---- jobs: transitions ----
  async submit(j: NewJob): Promise<Transition<SubmitOutcome>> {
    return this.tx(() => {
      const info = this.s.insertJob.run({ ...j });
      if (info.changes === 1) return { outcome: 'created' as const, job: this.job(j.id) };
      const ex = toJob(this.s.getJobByReq.get(j.requestId) as JobRow);
      const same = ex.circuitId === j.circuitId && ex.payloadSha256 === j.payloadSha256;
      return { outcome: same ? 'existing' as const : 'conflict' as const, job: ex };
    });
  }

  async enqueue(id: string, nowMs: number): Promise<Transition<SimpleOutcome>> {
    return this.tx(() => {
      const changes = this.s.enqueue.run(nowMs, id).changes;
      const job = this.job(id);
      if (!job) return { outcome: 'not_found' as const, job: null };
      return changes === 1 ? { outcome: 'moved' as const, job } : { outcome: 'wrong_state' as const, job: null };
    });
  }

  async claim(id: string, proverId: string, leaseToken: string, leaseExpiresMs: number, nowMs: number): Promise<Transition<ClaimOutcome>> {
    if (!leaseToken) throw new Error('claim needs a non-empty lease token');
    return this.tx(() => {
      const changes = this.s.claim.run(proverId, leaseToken, leaseExpiresMs, nowMs, id).changes;
      const job = this.job(id);
      if (!job) return { outcome: 'not_found' as const, job: null };
      return changes === 1 ? { outcome: 'claimed' as const, job } : { outcome: 'not_queued' as const, job: null };
    });
  }

  async heartbeat(id: string, leaseToken: string, leaseExpiresMs: number, nowMs: number): Promise<Transition<LeaseOutcome>> {
    return this.leased(id, () => this.s.heartbeat.run(leaseExpiresMs, nowMs, id, leaseToken).changes);
  }

  async progress(id: string, leaseToken: string, fraction: number, stage: string, leaseExpiresMs: number, nowMs: number): Promise<Transition<LeaseOutcome>> {
    const f = Number.isFinite(fraction) ? Math.max(0, Math.min(1, fraction)) : 0;
    return this.leased(id, () => this.s.progress.run(f, f, stage, leaseExpiresMs, nowMs, id, leaseToken).changes);
  }

  async beginVerify(id: string, leaseToken: string, proofJson: string, publicJson: string, backend: string, proveMs: number, nowMs: number): Promise<Transition<LeaseOutcome>> {
    return this.leased(id, () => this.s.beginVerify.run(proofJson, publicJson, backend, Math.max(0, Math.round(proveMs)), nowMs, id, leaseToken).changes);
  }

  async complete(id: string, leaseToken: string, nowMs: number): Promise<Transition<LeaseOutcome>> {
    return this.leased(id, () => this.s.complete.run(nowMs, id, leaseToken).changes);
  }

  private released(id: string, run: () => number): Transition<ReleaseOutcome> {
    return this.tx(() => {
      const changes = run();
      const job = this.job(id);
      if (!job) return { outcome: 'not_found' as const, job: null };
      if (changes !== 1) return { outcome: 'stale' as const, job: null };
      return { outcome: job.state === 'FAILED' ? 'failed' as const : 'requeued' as const, job };
    });
  }

  async reject(id: string, leaseToken: string, reason: string, nowMs: number): Promise<Transition<ReleaseOutcome>> {
    return this.released(id, () => this.s.reject.run(reason, reason, nowMs, id, leaseToken).changes);
  }

  async release(id: string, leaseToken: string, error: string, retryable: boolean, nowMs: number): Promise<Transition<ReleaseOutcome>> {
    return this.released(id, () => retryable
      ? this.s.releaseRetry.run(error, error, nowMs, id, leaseToken).changes
      : this.s.releaseFail.run(error, nowMs, id, leaseToken).changes);
  }

  async reclaimLapsed(nowMs: number): Promise<{ requeued: JobRecord[]; failed: JobRecord[]; previous: JobRecord[] }> {
    return this.tx(() => {
      const out = { requeued: [] as JobRecord[], failed: [] as JobRecord[], previous: [] as JobRecord[] };
      for (const r of this.s.lapsed.all(nowMs) as JobRow[]) {
        const ch = this.s.reclaim.run(nowMs, r.id, r.state, r.lease_token, nowMs).changes;
        if (ch !== 1) continue;
        const j = this.job(r.id)!;
        out.previous.push(toJob(r));
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
        out.previous.push(toJob(r));
        out.expired.push(this.job(r.id)!);
      }
      return out;
    });
  }

  async cancel(id: string, reason: string, nowMs: number): Promise<Transition<CancelOutcome> & { previous: JobRecord | null }> {
    return this.tx(() => {
      const prev = this.job(id);
      if (!prev) return { outcome: 'not_found' as const, job: null, previous: null };
      if (!LIVE_STATES.includes(prev.state)) return { outcome: 'terminal' as const, job: prev, previous: prev };
      // Guarded by the state just read; inside an IMMEDIATE transaction nobody can move it in between.
      if (this.s.cancel.run(reason, nowMs, id, prev.state).changes !== 1) {
        return { outcome: 'terminal' as const, job: this.job(id), previous: prev };
      }
      return { outcome: 'cancelled' as const, job: this.job(id), previous: prev };
    });
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

export function openSqliteStore(file: string): SqliteStore { return new SqliteStore(file); }
