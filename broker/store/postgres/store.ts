// The Store on PostgreSQL (node-postgres), for several brokers on one database. Same schema and
// numbered migrations as SQLite (./migrate.ts), same transitions: each one transaction holding the
// job's row lock (SELECT … FOR UPDATE), the guarded UPDATE (`WHERE id=$ AND state IN (…)` from
// ../../lifecycle.ts [+ lease_token=$]), the ledger postings of ../../money.ts and one outbox row,
// whose commit NOTIFYs channel `pm_outbox` (payload: the event's seq) so other brokers wake up
// (subscribe()). Claims and sweeps lock with SKIP LOCKED: a broker never waits on a job another
// broker is moving; it treats it as taken (claim) or leaves it to that broker (sweeps).
// Deadlocks and serialization failures (40P01, 40001) retry the whole transaction.
// Money columns are read as TEXT and become bigint/decimal strings, never JS numbers; BIGINT
// timestamps and counts are parsed as numbers (exact below 2^53).
import * as crypto from 'crypto';
import { Client, Pool, types, type PoolClient, type QueryResult, type QueryResultRow } from 'pg';
import { giveBack, LEASED_STATES, LIVE_STATES, sqlGuard, sqlStates } from '../../lifecycle';
import {
  AmountOverflowError, MAX_AMOUNT, assertBalanced, depositPosting, holdPosting, lockPosting, priorWithdrawal, refundPosting, settlePosting, slashPosting, stakeFor, unlockPosting,
  withdrawalPosting, MINT_ID,
  type Posting,
} from '../../money';
import {
  GROUP_COLS, jobViewsQuery, newLedgerTxId, toJobViews, offerRaise, offerText, proverIdFor, toAccount, toCircuit, toGroup, toJob, toKey, toProver,
  type AccountRow, type CircuitRow, type GroupRow, type JobRow, type KeyRow, type ProverRow,
} from '../sqlite';
import type {
  AccountRecord, ApiKeyRecord, Book, CancelOutcome, JobGroupRecord, NewJobGroup, FailInputOutcome, CircuitInsertOutcome, CircuitRecord, ClaimOutcome, ClaimTerms, JobRecord, JobStateName,
  LeaseOutcome, LedgerEntry, LedgerFilter, ListJobsFilter, JobView, MoneyPolicy, NewJob, OutboxEvent, ProverCaps, ProverRecord,
  ProverRegisterOutcome, ProverRegistration, ProverRoutingRecord, ReleaseOutcome, Role, SimpleOutcome, Store, SubmitOutcome, Transition, WithdrawOutcome,
} from '../types';
import { BOOKS, DEFAULT_MONEY_POLICY, partitionJobId } from '../types';
import type { LatencySample } from '../../model';
import { migratePostgres } from './migrate';
import { JOB_FIXED_COLS, decodeOutboxJob, encodeOutboxJob, type OutboxJoinedRow } from '../outbox-row';

/** The NOTIFY channel every committed outbox event is announced on (payload: its seq). */
export const OUTBOX_CHANNEL = 'pm_outbox';

const INT8 = 20;
/** BIGINT → number (timestamps, counts, seq); money is always selected as TEXT. */
const pgTypes = { getTypeParser: ((oid: number, format?: 'text' | 'binary') => oid === INT8 ? (v: string) => Number(v) : types.getTypeParser(oid, format as 'text')) as typeof types.getTypeParser };

const JOB_COLS = `*, CAST(max_price AS TEXT) AS max_price_t, CAST(price AS TEXT) AS price_t, CAST(stake AS TEXT) AS stake_t`;
const LEASED = sqlStates(LEASED_STATES);
const LIVE = sqlStates(LIVE_STATES);
const RETRY = new Set(['40P01', '40001']);

type Q = <R extends QueryResultRow = QueryResultRow>(sql: string, args?: unknown[]) => Promise<QueryResult<R>>;
type SubmitResult = Transition<SubmitOutcome> & { available?: bigint; live?: number; group?: JobGroupRecord };
/** A transaction's query function, with the outbox events it will write just before COMMIT. */
type TxQ = Q & { events: { job: JobRecord; kind: OutboxEvent['kind']; nowMs: number }[] };

/**
 * Advisory lock held from drawing outbox seqs to COMMIT ("pmout"): seqs become visible in order,
 * so a reader that moves past the last seq it saw never skips one committed later.
 */
const OUTBOX_LOCK = 0x706d6f7574;

/**
 * Group commit for one kind of transition: items asked for while a batch is in flight (or in one
 * event-loop turn) form the next batch, run by `batch` in one transaction; each promise settles
 * after its COMMIT. A batch that throws is rolled back: a batch of one fails as its transaction
 * would; a bigger one runs each item again by `one`, in a transaction of its own, so one bad item
 * fails alone and the others go through.
 */
class GroupCommit<I, R> {
  private readonly queue: { item: I; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;
  private running = false;

  constructor(private readonly batch: (items: I[]) => Promise<R[]>, private readonly one: (item: I) => Promise<R>,
    private readonly committed: (n: number) => void, private readonly max = 500) {}

  push(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => { this.queue.push({ item, resolve, reject }); this.schedule(); });
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => { this.scheduled = false; void this.run(); });
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length) {
        const b = this.queue.splice(0, this.max);
        let out: R[];
        try { out = await this.batch(b.map((x) => x.item)); } catch (e) {
          if (b.length === 1) b[0].reject(e);
          else await Promise.all(b.map((x) => this.one(x.item).then(x.resolve, x.reject)));
          continue;
        }
        this.committed(b.length);
        b.forEach((x, i) => x.resolve(out[i]));
      }
    } finally {
      this.running = false;
      if (this.queue.length) this.schedule();
    }
  }
}

export interface PostgresStoreOptions {
  money?: MoneyPolicy;
  /**
   * Test hook, as SqliteStoreOptions.failPoint: called inside every transition's transaction after
   * the job row moved and before its money and event are written; throwing rolls it all back.
   */
  failPoint?: (transition: string, jobId: string) => void;
  /** Connections in the pool (default 10). */
  poolSize?: number;
}

export class PostgresStore implements Store {
  readonly money: MoneyPolicy;
  readonly pool: Pool;
  failPoint: ((transition: string, jobId: string) => void) | null;
  private listener: Client | null = null;
  private listenerStarting: Promise<void> | null = null;
  private readonly subscribers = new Set<(seq: number, own: boolean) => void>();
  private closed = false;

  /** Use openPostgresStore(), which also applies the migrations. */
  constructor(readonly url: string, opts: PostgresStoreOptions = {}) {
    this.money = opts.money ?? DEFAULT_MONEY_POLICY;
    this.failPoint = opts.failPoint ?? null;
    this.pool = new Pool({ connectionString: url, max: opts.poolSize ?? 10, types: pgTypes });
    // An idle client losing its connection must not crash the broker; the next query reconnects.
    this.pool.on('error', () => {});
  }

  /** Where the store lives, without a password (for logs). */
  get where(): string {
    try { const u = new URL(this.url); u.password = ''; return u.toString(); } catch { return 'postgres'; }
  }

  async migrate(): Promise<number[]> { return migratePostgres(this.pool, this.where); }

  private q: Q = (sql, args) => this.pool.query(sql, args);

  /**
   * Runs fn in one transaction on one connection; retried from the start on deadlock/serialization
   * failure. The outbox events fn queued (event()) are written last, under OUTBOX_LOCK, then COMMIT.
   */
  private async tx<T>(fn: (q: TxQ) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const c: PoolClient = await this.pool.connect();
      const q = Object.assign(((sql: string, args?: unknown[]) => c.query(sql, args)) as Q, { events: [] as TxQ['events'] });
      let own = 0;
      try {
        await c.query('BEGIN');
        const r = await fn(q);
        if (q.events.length) {
          // One round trip: every row joins l's one row, so the lock (CTE l, evaluated once, at the
          // first row) is held before the first row reaches the INSERT, i.e. before any seq is drawn.
          const e = await c.query<{ seq: number }>(`WITH l AS (SELECT pg_advisory_xact_lock($5)),
            e AS (INSERT INTO outbox (job_id, kind, job, created_ms)
              SELECT j, k, b, t FROM l, unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY AS x(j, k, b, t, n) ORDER BY n
              RETURNING seq)
            SELECT MAX(seq) AS seq, pg_notify('${OUTBOX_CHANNEL}', MAX(seq)::text) FROM e`,
          [q.events.map((e) => e.job.id), q.events.map((e) => e.kind), q.events.map((e) => encodeOutboxJob(e.job)), q.events.map((e) => e.nowMs), OUTBOX_LOCK]);
          own = Number(e.rows[0].seq);
        }
        if (own) this.remember(own);
        await c.query('COMMIT');
        this.commits.transactions++; this.commits.commits++;
        return r;
      } catch (e) {
        await c.query('ROLLBACK').catch(() => {});
        if (attempt < 8 && RETRY.has((e as { code?: string }).code ?? '')) {
          await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
          continue;
        }
        throw e;
      } finally { c.release(); }
    }
  }

  /** The NOTIFY payloads (seqs) of this store's own commits, so their wake-ups can be told apart (bounded). */
  private readonly ownSeqs = new Set<number>();
  private remember(seq: number): void {
    this.ownSeqs.add(seq);
    if (this.ownSeqs.size > 10_000) this.ownSeqs.delete(this.ownSeqs.values().next().value as number);
  }

  private async job(q: Q, id: string, lock: '' | 'FOR UPDATE' | 'FOR UPDATE SKIP LOCKED' = ''): Promise<JobRecord | null> {
    const r = await q<JobRow>(`SELECT ${JOB_COLS} FROM jobs WHERE id = $1 ${lock}`, [id]);
    return r.rows[0] ? toJob(r.rows[0]) : null;
  }

  /** Queues the transition's outbox event; tx() writes it just before COMMIT. */
  private event(q: TxQ, job: JobRecord, kind: OutboxEvent['kind'], nowMs: number): void {
    q.events.push({ job, kind, nowMs });
  }

  /** A balance; `lock` holds its row until the transaction ends, so a check-then-spend cannot race. */
  private async bal(q: Q, accountId: string, book: Book, lock = false): Promise<bigint> {
    const r = await q<{ a: string }>(`SELECT CAST(amount AS TEXT) AS a FROM balances WHERE account_id = $1 AND book = $2${lock ? ' FOR UPDATE' : ''}`, [accountId, book]);
    return r.rows[0] ? BigInt(r.rows[0].a) : 0n;
  }

  /**
   * Applies a posting inside the caller's transaction. Zero legs are dropped; a posting whose key
   * was already applied moves nothing (false). A balance going negative aborts the transaction
   * (CHECK constraint), so money never moves without its job transition or the other way round.
   */
  private async post(q: Q, p: Posting, nowMs: number): Promise<boolean> {
    assertBalanced(p);
    const legs = p.legs.filter((l) => l.amount !== 0n);
    if (legs.length === 0) return false;
    const txId = newLedgerTxId();
    const ins = await q(`INSERT INTO ledger_tx (id, tx_key, reason, job_id, prover_id, explanation, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT (tx_key) DO NOTHING`, [txId, p.key, legs[0].reason, p.jobId, p.proverId, p.explanation, nowMs]);
    if (ins.rowCount !== 1) return false;
    // Lock and read every balance the posting touches, in one fixed order (account, book) so
    // concurrent postings lock rows alike, then check the sums in the posting's order: a balance
    // beyond ±MAX_AMOUNT is refused with the same error the SQLite store gives (PostgreSQL would
    // accept -2^63 and fail +2^63 with a bare "bigint out of range").
    const rows = (await q<{ account_id: string; book: string; a: string }>(`SELECT account_id, book, CAST(amount AS TEXT) AS a FROM balances
      WHERE (account_id, book) IN (SELECT * FROM unnest($1::text[], $2::text[])) ORDER BY account_id, book FOR UPDATE`,
    [legs.map((l) => l.accountId), legs.map((l) => l.book)])).rows;
    const cur = new Map(rows.map((r) => [`${r.account_id}/${r.book}`, BigInt(r.a)]));
    const exists = new Set(cur.keys());
    for (const l of legs) {
      const k = `${l.accountId}/${l.book}`;
      const next = (cur.get(k) ?? 0n) + l.amount;
      if (next > MAX_AMOUNT || next < -MAX_AMOUNT) {
        throw new AmountOverflowError(`${p.explanation}: the ${l.book} balance of account ${l.accountId} would be ${next}, beyond the limit of ±${MAX_AMOUNT} micro-credits`);
      }
      cur.set(k, next);
    }
    for (const l of legs) {
      // UPDATE a row that exists; INSERT a new one (PostgreSQL checks an INSERT's CHECK constraints
      // on the proposed row before ON CONFLICT, so no upsert of negative legs).
      const k = `${l.accountId}/${l.book}`;
      if (exists.has(k)) await q(`UPDATE balances SET amount = amount + $3 WHERE account_id = $1 AND book = $2`, [l.accountId, l.book, l.amount.toString()]);
      else {
        await q(`INSERT INTO balances (account_id, book, amount) VALUES ($1, $2, $3)
          ON CONFLICT (account_id, book) DO UPDATE SET amount = balances.amount + EXCLUDED.amount`, [l.accountId, l.book, l.amount.toString()]);
        exists.add(k);
      }
    }
    await q(`INSERT INTO ledger_entries (tx_id, account_id, book, amount, reason)
      SELECT $1, a, b, m::bigint, r FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS t(a, b, m, r)`,
    [txId, legs.map((l) => l.accountId), legs.map((l) => l.book), legs.map((l) => l.amount.toString()), legs.map((l) => l.reason)]);
    return true;
  }

  private async operatorOf(q: Q, proverId: string): Promise<string> {
    const r = await q<{ owner_account_id: string }>(`SELECT owner_account_id FROM provers WHERE id = $1`, [proverId]);
    if (!r.rows[0]) throw new Error(`prover ${proverId} has no operator account`);
    return r.rows[0].owner_account_id;
  }

  private async endLease(q: Q, prev: JobRecord, slashVerdict: string | null, why: string, nowMs: number): Promise<void> {
    if (!prev.proverId || BigInt(prev.stake) === 0n) return;
    const op = await this.operatorOf(q, prev.proverId);
    await this.post(q, slashVerdict ? slashPosting(prev, op, this.money, slashVerdict) : unlockPosting(prev, op, why), nowMs);
  }

  private async refundIfTerminal(q: Q, job: JobRecord, why: string, nowMs: number): Promise<void> {
    if (job.state === 'FAILED' || job.state === 'EXPIRED' || job.state === 'CANCELLED') await this.post(q, refundPosting(job, job.state, why), nowMs);
  }

  // ---- accounts and keys ----
  async createAccount(name: string, role: Role, nowMs: number): Promise<{ outcome: 'created' | 'name_taken'; account: AccountRecord }> {
    const id = 'a_' + crypto.randomBytes(8).toString('hex');
    const ins = await this.q(`INSERT INTO accounts (id, name, role, created_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING`, [id, name, role, nowMs]);
    const acc = toAccount((await this.q<AccountRow>(`SELECT * FROM accounts WHERE name = $1`, [name])).rows[0]);
    return { outcome: ins.rowCount === 1 ? 'created' : 'name_taken', account: acc };
  }

  async getAccount(idOrName: string): Promise<AccountRecord | null> {
    const r = (await this.q<AccountRow>(`SELECT * FROM accounts WHERE id = $1`, [idOrName])).rows[0]
      ?? (await this.q<AccountRow>(`SELECT * FROM accounts WHERE name = $1`, [idOrName])).rows[0];
    return r ? toAccount(r) : null;
  }

  async listAccounts(): Promise<AccountRecord[]> {
    return (await this.q<AccountRow>(`SELECT * FROM accounts WHERE role <> 'system' ORDER BY created_ms, id`)).rows.map(toAccount);
  }

  async addApiKey(accountId: string, keySha256: string, nowMs: number): Promise<ApiKeyRecord> {
    const id = 'k_' + crypto.randomBytes(6).toString('hex');
    await this.q(`INSERT INTO api_keys (id, account_id, key_sha256, created_ms) VALUES ($1, $2, $3, $4)`, [id, accountId, keySha256, nowMs]);
    return { id, accountId, keySha256, createdMs: nowMs, revokedMs: 0 };
  }

  async findApiKey(keySha256: string): Promise<{ key: ApiKeyRecord; account: AccountRecord } | null> {
    const k = (await this.q<KeyRow>(`SELECT * FROM api_keys WHERE key_sha256 = $1`, [keySha256])).rows[0];
    if (!k) return null;
    const a = (await this.q<AccountRow>(`SELECT * FROM accounts WHERE id = $1`, [k.account_id])).rows[0];
    return a ? { key: toKey(k), account: toAccount(a) } : null;
  }

  async listApiKeys(accountId: string): Promise<ApiKeyRecord[]> {
    return (await this.q<KeyRow>(`SELECT * FROM api_keys WHERE account_id = $1 ORDER BY created_ms, id`, [accountId])).rows.map(toKey);
  }

  async revokeApiKey(keyId: string, nowMs: number): Promise<'revoked' | 'not_found'> {
    return (await this.q(`UPDATE api_keys SET revoked_ms = $1 WHERE id = $2 AND revoked_ms = 0`, [nowMs, keyId])).rowCount === 1 ? 'revoked' : 'not_found';
  }

  // ---- money ----
  async deposit(accountId: string, amount: bigint, note: string, nowMs: number): Promise<{ txId: string }> {
    if (amount <= 0n) throw new RangeError(`deposit amount must be > 0, got ${amount}`);
    return this.tx(async (q) => {
      const a = (await q<AccountRow>(`SELECT * FROM accounts WHERE id = $1`, [accountId])).rows[0];
      if (!a) throw new Error(`unknown account ${accountId}`);
      const key = 'deposit:' + crypto.randomUUID();
      await this.post(q, depositPosting(key, a.id, a.name, amount, note), nowMs);
      const r = await q<{ id: string }>(`SELECT id FROM ledger_tx WHERE tx_key = $1`, [key]);
      return { txId: r.rows[0].id };
    });
  }

  async withdraw(accountId: string, book: Book, amount: bigint, requestId: string, note: string, nowMs: number): Promise<WithdrawOutcome> {
    if (amount <= 0n) throw new RangeError(`withdrawal amount must be > 0, got ${amount}`);
    return this.tx(async (q): Promise<WithdrawOutcome> => {
      const a = (await q<AccountRow>(`SELECT * FROM accounts WHERE id = $1`, [accountId])).rows[0];
      if (!a) throw new Error(`unknown account ${accountId}`);
      const p = withdrawalPosting(requestId, a.id, a.name, book, amount, note);
      // The book's row locked first: two withdrawals from it take turns, and the second sees what the first left.
      const held = BigInt((await q<{ a: string }>(`SELECT CAST(amount AS TEXT) AS a FROM balances WHERE account_id = $1 AND book = $2 FOR UPDATE`, [a.id, book])).rows[0]?.a ?? '0');
      const prior = (await q<{ id: string; account_id: string; book: string; a: string }>(`SELECT t.id, e.account_id, e.book, CAST(e.amount AS TEXT) AS a
        FROM ledger_tx t JOIN ledger_entries e ON e.tx_id = t.id WHERE t.tx_key = $1 AND e.account_id != $2`, [p.key, MINT_ID])).rows[0];
      if (prior) return { outcome: priorWithdrawal({ accountId: prior.account_id, book: prior.book, amount: BigInt(prior.a) }, a.id, book, amount), txId: prior.id };
      if (held < amount) return { outcome: 'insufficient', held };
      // Two first tries of one request id on two brokers: the ledger_tx key lets one in; the other moved nothing and answers the winner's tx.
      if (!(await this.post(q, p, nowMs))) {
        const won = (await q<{ id: string; account_id: string; book: string; a: string }>(`SELECT t.id, e.account_id, e.book, CAST(e.amount AS TEXT) AS a
          FROM ledger_tx t JOIN ledger_entries e ON e.tx_id = t.id WHERE t.tx_key = $1 AND e.account_id != $2`, [p.key, MINT_ID])).rows[0];
        return { outcome: priorWithdrawal({ accountId: won.account_id, book: won.book, amount: BigInt(won.a) }, a.id, book, amount), txId: won.id };
      }
      return { outcome: 'withdrawn', txId: (await q<{ id: string }>(`SELECT id FROM ledger_tx WHERE tx_key = $1`, [p.key])).rows[0].id };
    });
  }

  async balances(accountId: string): Promise<Record<Book, bigint>> {
    const out = Object.fromEntries(BOOKS.map((b) => [b, 0n])) as Record<Book, bigint>;
    for (const r of (await this.q<{ book: Book; a: string }>(`SELECT book, CAST(amount AS TEXT) AS a FROM balances WHERE account_id = $1`, [accountId])).rows) out[r.book] = BigInt(r.a);
    return out;
  }

  async ledger(f: LedgerFilter): Promise<LedgerEntry[]> {
    const where: string[] = []; const args: (string | number)[] = [];
    if (f.jobId) { args.push(f.jobId); where.push(`t.job_id = $${args.length}`); }
    if (f.accountId) { args.push(f.accountId); where.push(`e.account_id = $${args.length}`); }
    args.push(Math.max(1, Math.min(10_000, f.limit || 1000)));
    const rows = (await this.q<{
      seq: number; tx_id: string; account_id: string; account: string; book: Book; amount: string; reason: LedgerEntry['reason'];
      job_id: string; prover_id: string; explanation: string; created_ms: number;
    }>(`SELECT e.seq, e.tx_id, e.account_id, a.name AS account, e.book, CAST(e.amount AS TEXT) AS amount,
        e.reason, t.job_id, t.prover_id, t.explanation, t.created_ms
      FROM ledger_entries e JOIN ledger_tx t ON t.id = e.tx_id JOIN accounts a ON a.id = e.account_id
      ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY e.seq DESC LIMIT $${args.length}`, args)).rows;
    return rows.map((r) => ({
      seq: r.seq, txId: r.tx_id, accountId: r.account_id, account: r.account, book: r.book, amount: r.amount, reason: r.reason,
      jobId: r.job_id, proverId: r.prover_id, explanation: r.explanation, createdMs: r.created_ms,
    }));
  }

  // ---- circuits ----
  async insertCircuit(c: CircuitRecord): Promise<{ outcome: CircuitInsertOutcome; existing: CircuitRecord | null }> {
    return this.tx(async (q) => {
      // Serializes registrations of one (owner, name) across brokers.
      await q(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`circuit:${c.ownerAccountId}:${c.name}`]);
      const byName = (await q<CircuitRow>(`SELECT * FROM circuits WHERE owner_account_id = $1 AND name = $2`, [c.ownerAccountId, c.name])).rows[0];
      if (byName) {
        const ex = toCircuit(byName);
        const same = ex.id === c.id && JSON.stringify(ex.artifacts) === JSON.stringify(c.artifacts);
        return { outcome: same ? 'identical' as const : 'name_taken' as const, existing: ex };
      }
      const ins = await q(`INSERT INTO circuits (id, owner_account_id, name, public, insecure, curve, protocol, constraints, n_public,
        n_vars, domain_log2, artifacts, description, inputs, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
        ON CONFLICT (id) DO NOTHING`,
      [c.id, c.ownerAccountId, c.name, c.public ? 1 : 0, c.insecure ? 1 : 0, c.curve, c.protocol, c.constraints, c.nPublic, c.nVars,
        c.domainLog2, JSON.stringify(c.artifacts), c.description, c.inputs ? JSON.stringify(c.inputs) : null, c.createdMs]);
      if (ins.rowCount !== 1) {
        const byId = (await q<CircuitRow>(`SELECT * FROM circuits WHERE id = $1`, [c.id])).rows[0];
        return { outcome: 'id_taken' as const, existing: byId ? toCircuit(byId) : null };
      }
      return { outcome: 'inserted' as const, existing: null };
    });
  }

  async getCircuit(idOrName: string, viewerAccountId?: string): Promise<CircuitRecord | null> {
    const byId = (await this.q<CircuitRow>(`SELECT * FROM circuits WHERE id = $1`, [idOrName])).rows[0];
    if (viewerAccountId === undefined) return byId ? toCircuit(byId) : null;
    if (byId && (byId.owner_account_id === viewerAccountId || byId.public)) return toCircuit(byId);
    const r = (await this.q<CircuitRow>(`(SELECT *, 0 AS o FROM circuits WHERE owner_account_id = $1 AND name = $2)
      UNION ALL (SELECT *, 1 AS o FROM circuits WHERE public = 1 AND name = $2 ORDER BY created_ms, id LIMIT 1) ORDER BY o LIMIT 1`,
    [viewerAccountId, idOrName])).rows[0];
    return r ? toCircuit(r) : null;
  }

  async listCircuits(viewerAccountId?: string): Promise<CircuitRecord[]> {
    const r = viewerAccountId === undefined
      ? await this.q<CircuitRow>(`SELECT * FROM circuits ORDER BY created_ms DESC, id`)
      : await this.q<CircuitRow>(`SELECT * FROM circuits WHERE owner_account_id = $1 OR public = 1 ORDER BY created_ms DESC, id`, [viewerAccountId]);
    return r.rows.map(toCircuit);
  }

  // ---- provers ----
  async upsertProver(ownerAccountId: string, key: string, name: string, caps: ProverCaps, nowMs: number): Promise<ProverRecord> {
    const id = proverIdFor(ownerAccountId, key);
    const r = await this.q<ProverRow>(`INSERT INTO provers (id, owner_account_id, key, name, caps, created_ms, last_seen_ms) VALUES ($1, $2, $3, $4, $5, $6, $6)
      ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, caps = EXCLUDED.caps, last_seen_ms = EXCLUDED.last_seen_ms RETURNING *`,
    [id, ownerAccountId, key, name, JSON.stringify(caps), nowMs]);
    return toProver(r.rows[0]);
  }

  async registerProver(r: ProverRegistration): Promise<{ outcome: ProverRegisterOutcome; prover: ProverRecord | null }> {
    const id = proverIdFor(r.ownerAccountId, r.key);
    const caps = JSON.stringify(r.caps);
    return this.tx(async (q) => {
      const ins = await q<ProverRow>(`INSERT INTO provers (id, owner_account_id, key, name, caps, created_ms, last_seen_ms, secret_sha256, session_epoch)
        VALUES ($1, $2, $3, $4, $5, $6, $6, $7, 1) ON CONFLICT (id) DO NOTHING RETURNING *`, [id, r.ownerAccountId, r.key, r.name, caps, r.nowMs, r.secretSha256]);
      if (ins.rowCount === 1) return { outcome: 'created' as const, prover: toProver(ins.rows[0]) };
      const before = (await q<ProverRow>(`SELECT * FROM provers WHERE id = $1 FOR UPDATE`, [id])).rows[0];
      const up = await q<ProverRow>(`UPDATE provers SET name = $1, caps = $2, last_seen_ms = $3, secret_sha256 = $4, session_epoch = session_epoch + 1
        WHERE id = $5 AND secret_sha256 IN ('', $4) RETURNING *`, [r.name, caps, r.nowMs, r.secretSha256, id]);
      if (up.rowCount !== 1) return { outcome: 'secret_mismatch' as const, prover: null };
      return { outcome: before.secret_sha256 ? 'matched' as const : 'bound' as const, prover: toProver(up.rows[0]) };
    });
  }

  async getProver(id: string): Promise<ProverRecord | null> {
    const r = (await this.q<ProverRow>(`SELECT * FROM provers WHERE id = $1`, [id])).rows[0];
    return r ? toProver(r) : null;
  }

  // ---- jobs: reads ----
  async getJob(id: string): Promise<JobRecord | null> { return this.job(this.q, id); }

  async getJobByLeaseToken(token: string): Promise<JobRecord | null> {
    if (!token) return null;
    const r = (await this.q<JobRow>(`SELECT ${JOB_COLS} FROM jobs WHERE lease_token = $1 AND lease_token <> ''`, [token])).rows[0];
    return r ? toJob(r) : null;
  }

  async listJobs(f: ListJobsFilter): Promise<JobRecord[]> {
    const where: string[] = []; const args: (string | number)[] = [];
    if (f.ownerAccountId) { args.push(f.ownerAccountId); where.push(`owner_account_id = $${args.length}`); }
    if (f.state) { args.push(f.state); where.push(`state = $${args.length}`); }
    if (f.circuitId) { args.push(f.circuitId); where.push(`circuit_id = $${args.length}`); }
    args.push(Math.max(1, Math.min(1000, f.limit || 100)));
    return (await this.q<JobRow>(`SELECT ${JOB_COLS} FROM jobs ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY created_ms DESC, id DESC LIMIT $${args.length}`, args)).rows.map(toJob);
  }

  async listJobViews(f: ListJobsFilter): Promise<JobView[]> {
    const args: unknown[] = [];
    const sql = jobViewsQuery(f, (v) => { args.push(v); return `$${args.length}`; });
    return toJobViews((await this.q<JobRow & Record<string, unknown>>(sql, args)).rows);
  }

  async liveJobs(): Promise<JobRecord[]> {
    return (await this.q<JobRow>(`SELECT ${JOB_COLS} FROM jobs WHERE state IN ${LIVE} ORDER BY created_ms, id`)).rows.map(toJob);
  }
  async countJobsByState(): Promise<Partial<Record<JobStateName, number>>> {
    const rows = (await this.q<{ state: JobStateName; n: number }>(`SELECT state, COUNT(*)::int AS n FROM jobs GROUP BY state`)).rows;
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }
  async queuedJobs(limit: number): Promise<JobRecord[]> {
    return (await this.q<JobRow>(`SELECT ${JOB_COLS} FROM jobs WHERE state = 'QUEUED' ORDER BY created_ms, id LIMIT $1`, [limit])).rows.map(toJob);
  }
  async leasedTo(proverId: string): Promise<JobRecord[]> {
    return (await this.q<JobRow>(`SELECT ${JOB_COLS} FROM jobs WHERE state IN ${LEASED} AND prover_id = $1`, [proverId])).rows.map(toJob);
  }

  // ---- jobs: transitions ----
  /**
   * Group commit: the submits that arrive while the previous batch is in flight (or in one event
   * loop turn) are decided and written together in one transaction (submitBatch), a handful of
   * round trips for the whole batch instead of a dozen per submit. Each promise settles after the
   * COMMIT. A batch that fails as a whole (a fail point, an overflow, a lost race) is rolled back
   * and its submits are run again one transaction each (submitOne), so one bad submit fails alone.
   */
  async submit(j: NewJob): Promise<SubmitResult> { return this.submits.push(j); }

  private readonly submits = new GroupCommit<NewJob, SubmitResult>(
    (js) => this.tx((q) => this.submitBatch(q, js)), (j) => this.submitOne(j), (n) => { this.commits.transactions += n - 1; });
  /** Group-commit counters (bench:market reports them): transitions asked for, and the COMMITs that wrote them. */
  readonly commits = { transactions: 0, commits: 0 };

  /**
   * The submits of one batch in one transaction, decided in order as submitOne would one after
   * the other: each owner's advisory lock (sorted), then one read each of the request ids already
   * used, the owners' live counts and available balances (locked); an earlier submit of the batch
   * counts against the cap and the balance of the later ones, and a repeated request id finds the
   * job the earlier one created. The new jobs go in with one INSERT. Throws (the caller falls back
   * to submitOne) if the insert meets a request id it did not expect.
   */
  private async submitBatch(q: TxQ, js: NewJob[]): Promise<SubmitResult[]> {
    const keyOf = (owner: string, req: string) => `${owner}\n${req}`;
    const owners = [...new Set(js.map((j) => j.ownerAccountId))].sort();
    for (const o of owners) await q(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`submit:${o}`]);
    const known = new Map<string, JobRecord>();
    for (const r of (await q<JobRow>(`SELECT ${JOB_COLS} FROM jobs WHERE (owner_account_id, request_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [js.map((j) => j.ownerAccountId), js.map((j) => j.requestId)])).rows) known.set(keyOf(r.owner_account_id, r.request_id), toJob(r));
    const groups = new Map<string, JobGroupRecord>();
    for (const r of (await q<GroupRow>(`SELECT ${GROUP_COLS} FROM job_groups WHERE (owner_account_id, request_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [js.map((j) => j.ownerAccountId), js.map((j) => j.requestId)])).rows) groups.set(keyOf(r.owner_account_id, r.request_id), toGroup(r));
    const live = new Map<string, number>();
    const capped = owners.filter((o) => js.some((j) => j.ownerAccountId === o && (j.maxLiveJobs ?? 0) > 0));
    if (capped.length) {
      for (const r of (await q<{ o: string; n: number }>(`SELECT owner_account_id AS o, COUNT(*)::int AS n FROM jobs
        WHERE owner_account_id = ANY($1::text[]) AND state IN ${LIVE} GROUP BY owner_account_id`, [capped])).rows) live.set(r.o, r.n);
    }
    const available = new Map<string, bigint>();
    for (const r of (await q<{ o: string; a: string }>(`SELECT account_id AS o, CAST(amount AS TEXT) AS a FROM balances
      WHERE account_id = ANY($1::text[]) AND book = 'available' ORDER BY account_id FOR UPDATE`, [owners])).rows) available.set(r.o, BigInt(r.a));
    const out: (SubmitResult | null)[] = [];
    const fresh: NewJob[] = [];
    const createdAt = new Map<string, number>(); // key → index in `out` of the submit that creates it
    for (const j of js) {
      const k = keyOf(j.ownerAccountId, j.requestId);
      const g = groups.get(k);
      if (g) { out.push({ outcome: 'group_taken', job: null, group: g }); continue; }
      const ex = known.get(k);
      if (ex) {
        const same = ex.circuitId === j.circuitId && ex.payloadSha256 === j.payloadSha256;
        out.push({ outcome: same ? 'existing' : 'conflict', job: ex });
        continue;
      }
      if (createdAt.has(k)) { out.push(null); continue; } // decided below, against the job the earlier one creates
      const n = live.get(j.ownerAccountId) ?? 0;
      if (j.maxLiveJobs && j.maxLiveJobs > 0 && n >= j.maxLiveJobs) { out.push({ outcome: 'too_many_live', job: null, live: n }); continue; }
      const a = available.get(j.ownerAccountId) ?? 0n;
      if (a < j.maxPrice) { out.push({ outcome: 'insufficient_funds', job: null, available: a }); continue; }
      available.set(j.ownerAccountId, a - j.maxPrice);
      live.set(j.ownerAccountId, n + 1);
      createdAt.set(k, out.length);
      out.push(null);
      fresh.push(j);
    }
    if (fresh.length) {
      const col = <T>(f: (j: NewJob) => T) => fresh.map(f);
      const ins = await q<JobRow>(`INSERT INTO jobs (id, owner_account_id, request_id, circuit_id, state, input_json, witness, payload_sha256,
          max_attempts, deadline_ms, max_price, min_on_time, created_ms, updated_ms, offer)
        SELECT i, o, r, c, s, ij, w, ps, ma, d, mp, mot, t, t, ofr FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
          $7::bytea[], $8::text[], $9::int[], $10::bigint[], $11::bigint[], $12::float8[], $13::bigint[], $14::text[]) AS x(i, o, r, c, s, ij, w, ps, ma, d, mp, mot, t, ofr)
        ON CONFLICT (owner_account_id, request_id) DO NOTHING RETURNING ${JOB_COLS}`,
      [col((j) => j.id), col((j) => j.ownerAccountId), col((j) => j.requestId), col((j) => j.circuitId), col((j) => (j.enqueue ? 'QUEUED' : 'SUBMITTED')),
        col((j) => j.inputJson), col((j) => j.witness), col((j) => j.payloadSha256), col((j) => j.maxAttempts), col((j) => j.deadlineMs),
        col((j) => j.maxPrice.toString()), col((j) => j.minOnTime ?? 0), col((j) => j.nowMs), col((j) => offerText(j))]);
      if (ins.rowCount !== fresh.length) throw new Error('a request id of the batch was taken meanwhile');
      const byId = new Map(ins.rows.map((r) => [r.id, toJob(r)]));
      for (const j of fresh) {
        const job = byId.get(j.id)!;
        this.failPoint?.('submit', j.id);
        await this.post(q, holdPosting(j.id, j.ownerAccountId, j.maxPrice), j.nowMs);
        // A new job's events: SUBMITTED, then QUEUED when it was enqueued in the same transaction.
        this.event(q, j.enqueue ? { ...job, state: 'SUBMITTED' } : job, 'state', j.nowMs);
        if (j.enqueue) this.event(q, job, 'state', j.nowMs);
        out[createdAt.get(keyOf(j.ownerAccountId, j.requestId))!] = { outcome: 'created', job };
      }
    }
    return js.map((j, i) => {
      const r = out[i];
      if (r) return r;
      const first = out[createdAt.get(keyOf(j.ownerAccountId, j.requestId))!]!;
      const job = first.job!;
      return { outcome: job.circuitId === j.circuitId && job.payloadSha256 === j.payloadSha256 ? 'existing' : 'conflict', job };
    });
  }

  /** One submit in a transaction of its own (a failed batch's submits run again this way). */
  private async submitOne(j: NewJob): Promise<SubmitResult> {
    return this.tx(async (q) => {
      // One submit per owner at a time, across brokers: the live-job cap and the balance check hold.
      await q(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`submit:${j.ownerAccountId}`]);
      const existing = async () => {
        const ex = (await q<JobRow>(`SELECT ${JOB_COLS} FROM jobs WHERE owner_account_id = $1 AND request_id = $2`, [j.ownerAccountId, j.requestId])).rows[0];
        if (!ex) return null;
        const job = toJob(ex);
        const same = job.circuitId === j.circuitId && job.payloadSha256 === j.payloadSha256;
        return { outcome: same ? 'existing' as const : 'conflict' as const, job };
      };
      // A request id is one job: a partitioned job's cannot name a single-payload one too.
      const g = (await q<GroupRow>(`SELECT ${GROUP_COLS} FROM job_groups WHERE owner_account_id = $1 AND request_id = $2`, [j.ownerAccountId, j.requestId])).rows[0];
      if (g) return { outcome: 'group_taken' as const, job: null, group: toGroup(g) };
      const ex = await existing();
      if (ex) return ex;
      if (j.maxLiveJobs && j.maxLiveJobs > 0) {
        const live = (await q<{ n: number }>(`SELECT COUNT(*)::int AS n FROM jobs WHERE owner_account_id = $1 AND state IN ${LIVE}`, [j.ownerAccountId])).rows[0].n;
        if (live >= j.maxLiveJobs) return { outcome: 'too_many_live' as const, job: null, live };
      }
      const available = await this.bal(q, j.ownerAccountId, 'available', true);
      if (available < j.maxPrice) return { outcome: 'insufficient_funds' as const, job: null, available };
      const ins = await q<JobRow>(`INSERT INTO jobs (id, owner_account_id, request_id, circuit_id, state, input_json, witness, payload_sha256,
        max_attempts, deadline_ms, max_price, min_on_time, created_ms, updated_ms, offer) VALUES ($1, $2, $3, $4, 'SUBMITTED', $5, $6, $7, $8, $9, $10, $12, $11, $11, $13)
        ON CONFLICT (owner_account_id, request_id) DO NOTHING RETURNING ${JOB_COLS}`,
      [j.id, j.ownerAccountId, j.requestId, j.circuitId, j.inputJson, j.witness, j.payloadSha256, j.maxAttempts, j.deadlineMs, j.maxPrice.toString(), j.nowMs, j.minOnTime ?? 0, offerText(j)]);
      // A concurrent submit with the same request id won between our check and our insert.
      if (ins.rowCount !== 1) return (await existing())!;
      this.failPoint?.('submit', j.id);
      await this.post(q, holdPosting(j.id, j.ownerAccountId, j.maxPrice), j.nowMs);
      let job = toJob(ins.rows[0]);
      this.event(q, job, 'state', j.nowMs);
      if (j.enqueue) {
        const r = await q<JobRow>(`UPDATE jobs SET state = 'QUEUED' WHERE id = $1 AND ${sqlGuard('enqueue')} RETURNING ${JOB_COLS}`, [j.id]);
        if (r.rowCount === 1) { job = toJob(r.rows[0]); this.event(q, job, 'state', j.nowMs); }
      }
      return { outcome: 'created' as const, job };
    });
  }

  async enqueue(id: string, nowMs: number): Promise<Transition<SimpleOutcome>> {
    return this.tx(async (q) => {
      const r = await q<JobRow>(`UPDATE jobs SET state = 'QUEUED', updated_ms = $1 WHERE id = $2 AND ${sqlGuard('enqueue')} RETURNING ${JOB_COLS}`, [nowMs, id]);
      if (r.rowCount !== 1) return { outcome: (await this.job(q, id)) ? 'wrong_state' as const : 'not_found' as const, job: null };
      const job = toJob(r.rows[0]);
      this.event(q, job, 'state', nowMs);
      return { outcome: 'moved' as const, job };
    });
  }

  /**
   * Group commit, as submit(): the claims of one dispatch pass (and any asked for while a batch is
   * in flight) are decided and written in one transaction (claimBatch); a batch that fails as a
   * whole runs its claims again one transaction each (claimOne).
   */
  async claim(id: string, t: ClaimTerms, nowMs: number): Promise<Transition<ClaimOutcome>> {
    if (!t.leaseToken) throw new Error('claim needs a non-empty lease token');
    return this.claims.push({ id, t, nowMs });
  }

  private readonly claims = new GroupCommit<{ id: string; t: ClaimTerms; nowMs: number }, Transition<ClaimOutcome>>(
    (cs) => this.tx((q) => this.claimBatch(q, cs)), (c) => this.claimOne(c.id, c.t, c.nowMs), (n) => { this.commits.transactions += n - 1; });

  /**
   * The claims of one batch in one transaction, decided in order as claimOne would: the jobs'
   * rows locked at once (SKIP LOCKED: one another broker is moving is 'not_queued'), each checked
   * (still QUEUED and not claimed earlier in the batch, price, the operator's free stake net of
   * the batch's earlier locks), then one UPDATE for all. Throws (→ claimOne each) if that UPDATE
   * moves fewer rows than it should.
   */
  private async claimBatch(q: TxQ, cs: { id: string; t: ClaimTerms; nowMs: number }[]): Promise<Transition<ClaimOutcome>[]> {
    const ids = [...new Set(cs.map((c) => c.id))];
    const locked = new Map((await q<JobRow>(`SELECT ${JOB_COLS} FROM jobs WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE SKIP LOCKED`, [ids])).rows
      .map((r) => [r.id, toJob(r)]));
    const unlocked = ids.filter((id) => !locked.has(id));
    const exists = new Set(unlocked.length
      ? (await q<{ id: string }>(`SELECT id FROM jobs WHERE id = ANY($1::text[])`, [unlocked])).rows.map((r) => r.id) : []);
    const out: Transition<ClaimOutcome>[] = [];
    const moved: { c: (typeof cs)[number]; stake: bigint; op: string; i: number }[] = [];
    const taken = new Set<string>();
    const freeStake = new Map<string, bigint>();
    for (const c of cs) {
      const prev = locked.get(c.id);
      if (!prev) { out.push({ outcome: exists.has(c.id) ? 'not_queued' : 'not_found', job: null }); continue; }
      if (prev.state !== 'QUEUED' || taken.has(c.id)) { out.push({ outcome: 'not_queued', job: null }); continue; }
      if (prev.excluded.includes(c.t.proverId)) { out.push({ outcome: 'excluded', job: null }); continue; }
      if (c.t.price > BigInt(prev.maxPrice)) { out.push({ outcome: 'price_too_high', job: null }); continue; }
      const stake = stakeFor(c.t.price, this.money);
      let op = '';
      if (stake > 0n) {
        op = await this.operatorOf(q, c.t.proverId);
        const free = freeStake.get(op) ?? await this.bal(q, op, 'available', true);
        if (free < stake) { freeStake.set(op, free); out.push({ outcome: 'insufficient_stake', job: null }); continue; }
        freeStake.set(op, free - stake);
      }
      taken.add(c.id);
      moved.push({ c, stake, op, i: out.length });
      out.push({ outcome: 'not_queued', job: null }); // replaced below
    }
    if (moved.length) {
      const col = <T>(f: (m: (typeof moved)[number]) => T) => moved.map(f);
      const r = await q<JobRow>(`UPDATE jobs SET state = 'ASSIGNED', prover_id = x.xp, lease_token = x.xt, lease_expires_ms = x.xe, attempts = attempts + 1,
          price = x.xpr, stake = x.xs, progress = 0, stage = '', updated_ms = x.xn
        FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[]) AS x(xid, xp, xt, xe, xpr, xs, xn)
        WHERE jobs.id = x.xid AND jobs.${sqlGuard('claim')}
        RETURNING jobs.*, CAST(jobs.max_price AS TEXT) AS max_price_t, CAST(jobs.price AS TEXT) AS price_t, CAST(jobs.stake AS TEXT) AS stake_t`,
      [col((m) => m.c.id), col((m) => m.c.t.proverId), col((m) => m.c.t.leaseToken), col((m) => m.c.t.leaseExpiresMs), col((m) => m.c.t.price.toString()),
        col((m) => m.stake.toString()), col((m) => m.c.nowMs)]);
      if (r.rowCount !== moved.length) throw new Error('a claimed job moved meanwhile');
      const byId = new Map(r.rows.map((row) => [row.id, toJob(row)]));
      for (const m of moved) {
        this.failPoint?.('claim', m.c.id);
        if (m.stake > 0n) await this.post(q, lockPosting(m.c.id, m.c.t.proverId, m.op, m.stake, m.c.t.price, m.c.t.leaseToken), m.c.nowMs);
        const job = byId.get(m.c.id)!;
        this.event(q, job, 'state', m.c.nowMs);
        out[m.i] = { outcome: 'claimed', job };
      }
    }
    return out;
  }

  /** One claim in a transaction of its own (a failed batch's claims run again this way). */
  private async claimOne(id: string, t: ClaimTerms, nowMs: number): Promise<Transition<ClaimOutcome>> {
    return this.tx(async (q) => {
      // SKIP LOCKED: a job another broker is moving right now is not ours to wait for.
      const prev = await this.job(q, id, 'FOR UPDATE SKIP LOCKED');
      if (!prev) return { outcome: (await this.job(q, id)) ? 'not_queued' as const : 'not_found' as const, job: null };
      if (prev.state !== 'QUEUED') return { outcome: 'not_queued' as const, job: null };
      if (prev.excluded.includes(t.proverId)) return { outcome: 'excluded' as const, job: null };
      if (t.price > BigInt(prev.maxPrice)) return { outcome: 'price_too_high' as const, job: null };
      const stake = stakeFor(t.price, this.money);
      const op = stake > 0n ? await this.operatorOf(q, t.proverId) : '';
      if (stake > 0n && await this.bal(q, op, 'available', true) < stake) return { outcome: 'insufficient_stake' as const, job: null };
      const r = await q<JobRow>(`UPDATE jobs SET state = 'ASSIGNED', prover_id = $1, lease_token = $2, lease_expires_ms = $3, attempts = attempts + 1,
        price = $4, stake = $5, progress = 0, stage = '', updated_ms = $6 WHERE id = $7 AND ${sqlGuard('claim')} RETURNING ${JOB_COLS}`,
      [t.proverId, t.leaseToken, t.leaseExpiresMs, t.price.toString(), stake.toString(), nowMs, id]);
      if (r.rowCount !== 1) return { outcome: 'not_queued' as const, job: null };
      this.failPoint?.('claim', id);
      if (stake > 0n) await this.post(q, lockPosting(id, t.proverId, op, stake, t.price, t.leaseToken), nowMs);
      // (This store keeps no routing notes, as it has no setRouting: t.note is not written.)
      const job = toJob(r.rows[0]);
      this.event(q, job, 'state', nowMs);
      return { outcome: 'claimed' as const, job };
    });
  }

  /** Token-guarded moves with no money: one UPDATE … RETURNING; 0 rows → stale or not_found. */
  private async leased(id: string, kind: 'state' | 'progress' | null, nowMs: number, sql: string, args: unknown[]): Promise<Transition<LeaseOutcome>> {
    const run = async (q: Q, events: TxQ | null): Promise<Transition<LeaseOutcome>> => {
      const r = await q<JobRow>(`${sql} RETURNING ${JOB_COLS}`, args);
      if (r.rowCount !== 1) return { outcome: (await this.job(q, id)) ? 'stale' as const : 'not_found' as const, job: null };
      const job = toJob(r.rows[0]);
      if (kind && events) this.event(events, job, kind, nowMs);
      return { outcome: 'ok' as const, job };
    };
    // A heartbeat writes no event: one statement, no transaction.
    return kind ? this.tx((q) => run(q, q)) : run(this.q, null);
  }

  async heartbeat(id: string, leaseToken: string, leaseExpiresMs: number, nowMs: number): Promise<Transition<LeaseOutcome>> {
    return this.leased(id, null, nowMs, `UPDATE jobs SET lease_expires_ms = GREATEST(lease_expires_ms, $1), updated_ms = $2
      WHERE id = $3 AND lease_token = $4 AND ${sqlGuard('heartbeat')}`, [leaseExpiresMs, nowMs, id, leaseToken]);
  }

  async progress(id: string, leaseToken: string, fraction: number, stage: string, leaseExpiresMs: number, nowMs: number): Promise<Transition<LeaseOutcome>> {
    const f = Number.isFinite(fraction) ? Math.max(0, Math.min(1, fraction)) : 0;
    // Progress never goes back within an attempt (claim resets it): a late or out-of-order report keeps the higher one.
    return this.leased(id, 'progress', nowMs, `UPDATE jobs SET state = 'PROVING', progress = GREATEST(progress, $1),
      stage = CASE WHEN $1 >= progress THEN $2 ELSE stage END, lease_expires_ms = GREATEST(lease_expires_ms, $3),
      updated_ms = $4 WHERE id = $5 AND lease_token = $6 AND ${sqlGuard('progress')}`, [f, stage, leaseExpiresMs, nowMs, id, leaseToken]);
  }

  async beginVerify(id: string, leaseToken: string, proofJson: string, publicJson: string, backend: string, proveMs: number, nowMs: number): Promise<Transition<LeaseOutcome>> {
    return this.verifies.push({ id, leaseToken, proofJson, publicJson, backend, proveMs, nowMs });
  }

  /**
   * Results and verdicts come in bursts (a prover's results read together, a batch of proofs
   * verified together): their VERIFYING and DONE moves are group-committed like submits and claims,
   * each still decided as it would be alone. Accepts all lock the same balance rows (the client's
   * escrow, the operator's earnings, the market's fees), so concurrent transactions would only queue
   * on those locks; one transaction for the batch saves every BEGIN, outbox INSERT and COMMIT but one.
   */
  private readonly verifies = new GroupCommit<{ id: string; leaseToken: string; proofJson: string; publicJson: string; backend: string; proveMs: number; nowMs: number },
    Transition<LeaseOutcome>>(
    (xs) => this.tx((q) => this.beginVerifyBatch(q, xs)),
    (x) => this.tx((q) => this.beginVerifyTx(q, x)), (n) => { this.commits.transactions += n - 1; });

  /** A batch of results → VERIFYING in one UPDATE … FROM unnest; a job twice in the batch reruns it one by one. */
  private async beginVerifyBatch(q: TxQ, xs: { id: string; leaseToken: string; proofJson: string; publicJson: string; backend: string; proveMs: number; nowMs: number }[]):
    Promise<Transition<LeaseOutcome>[]> {
    const ids = xs.map((x) => x.id);
    if (new Set(ids).size !== ids.length) throw new Error('a job is in one batch of results twice');
    const r = await q<JobRow>(`UPDATE jobs SET state = 'VERIFYING', proof_json = x.pj, public_json = x.pu, backend = x.be, prove_ms = x.pm, progress = 1,
      stage = 'verifying', updated_ms = x.n
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[]) AS x(i, t, pj, pu, be, pm, n)
      WHERE jobs.id = x.i AND jobs.lease_token = x.t AND jobs.${sqlGuard('beginVerify')}
      RETURNING jobs.*, CAST(jobs.max_price AS TEXT) AS max_price_t, CAST(jobs.price AS TEXT) AS price_t, CAST(jobs.stake AS TEXT) AS stake_t`,
    [ids, xs.map((x) => x.leaseToken), xs.map((x) => x.proofJson), xs.map((x) => x.publicJson), xs.map((x) => x.backend),
      xs.map((x) => Math.max(0, Math.round(x.proveMs))), xs.map((x) => x.nowMs)]);
    const moved = new Map(r.rows.map((row) => [row.id, toJob(row)]));
    const missing = ids.filter((id) => !moved.has(id));
    const exists = new Set(missing.length ? (await q<{ id: string }>(`SELECT id FROM jobs WHERE id = ANY($1::text[])`, [missing])).rows.map((row) => row.id) : []);
    return xs.map((x) => {
      const job = moved.get(x.id);
      if (!job) return { outcome: exists.has(x.id) ? 'stale' as const : 'not_found' as const, job: null };
      this.event(q, job, 'state', x.nowMs);
      return { outcome: 'ok' as const, job };
    });
  }

  private async beginVerifyTx(q: TxQ, x: { id: string; leaseToken: string; proofJson: string; publicJson: string; backend: string; proveMs: number; nowMs: number }):
    Promise<Transition<LeaseOutcome>> {
    const r = await q<JobRow>(`UPDATE jobs SET state = 'VERIFYING', proof_json = $1, public_json = $2, backend = $3, prove_ms = $4, progress = 1,
      stage = 'verifying', updated_ms = $5 WHERE id = $6 AND lease_token = $7 AND ${sqlGuard('beginVerify')} RETURNING ${JOB_COLS}`,
    [x.proofJson, x.publicJson, x.backend, Math.max(0, Math.round(x.proveMs)), x.nowMs, x.id, x.leaseToken]);
    if (r.rowCount !== 1) return { outcome: (await this.job(q, x.id)) ? 'stale' as const : 'not_found' as const, job: null };
    const job = toJob(r.rows[0]);
    this.event(q, job, 'state', x.nowMs);
    return { outcome: 'ok' as const, job };
  }

  async accept(id: string, leaseToken: string, nowMs: number): Promise<Transition<LeaseOutcome>> {
    return this.accepts.push({ id, leaseToken, nowMs });
  }

  private readonly accepts = new GroupCommit<{ id: string; leaseToken: string; nowMs: number }, Transition<LeaseOutcome>>(
    (xs) => this.tx((q) => this.acceptBatch(q, xs)).catch((e) => { if (xs.length > 1) this.settled.rerunBatches++; throw e; }),
    (x) => this.tx((q) => this.acceptTx(q, x.id, x.leaseToken, x.nowMs)), (n) => {
      this.commits.transactions += n - 1;
      if (n > 1) { this.settled.batches++; this.settled.accepts += n; }
    });

  /**
   * Set-wise settlement since this store opened (/metrics pm_store_settle_batches_total): batches
   * of two or more accepts committed by acceptBatch, the accepts in them, and batches that threw
   * and were rerun one transaction per accept.
   */
  readonly settled = { batches: 0, accepts: 0, rerunBatches: 0 };

  /**
   * The accepts of one batch set-wise (a dozen round trips for the batch instead of a dozen per
   * job): the jobs locked in id order, one UPDATE … FROM unnest for the moves, the operators read
   * at once, every settlement posted by postMany, one UPDATE of the provers' counts. Each job's
   * outcome is what acceptTx would give it alone; anything acceptTx would decide otherwise (a job
   * twice in the batch, a balance that would dip below zero on the way) throws, and the batch is
   * rerun one transaction per accept.
   */
  private async acceptBatch(q: TxQ, xs: { id: string; leaseToken: string; nowMs: number }[]): Promise<Transition<LeaseOutcome>[]> {
    const ids = xs.map((x) => x.id);
    if (new Set(ids).size !== ids.length) throw new Error('a job is accepted twice in one batch');
    const prev = new Map((await q<JobRow>(`SELECT ${JOB_COLS} FROM jobs WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`, [ids])).rows.map((r) => [r.id, toJob(r)]));
    const r = await q<JobRow>(`UPDATE jobs SET state = 'DONE', lease_expires_ms = 0, stake = 0, error = '', updated_ms = x.n
      FROM unnest($1::text[], $2::text[], $3::bigint[]) AS x(i, t, n)
      WHERE jobs.id = x.i AND jobs.lease_token = x.t AND jobs.${sqlGuard('accept')}
      RETURNING jobs.*, CAST(jobs.max_price AS TEXT) AS max_price_t, CAST(jobs.price AS TEXT) AS price_t, CAST(jobs.stake AS TEXT) AS stake_t`,
    [ids, xs.map((x) => x.leaseToken), xs.map((x) => x.nowMs)]);
    const moved = new Map(r.rows.map((row) => [row.id, toJob(row)]));
    const paid = (j: JobRecord) => BigInt(j.price) > 0n || BigInt(j.stake) > 0n;
    const provers = [...new Set([...moved.keys()].map((id) => prev.get(id)!).filter(paid).map((j) => j.proverId))];
    const ops = new Map(provers.length ? (await q<{ id: string; owner_account_id: string }>(`SELECT id, owner_account_id FROM provers WHERE id = ANY($1::text[])`, [provers]))
      .rows.map((o) => [o.id, o.owner_account_id]) : []);
    const postings: { p: Posting; nowMs: number }[] = [];
    const counts = new Map<string, number>();
    const out: Transition<LeaseOutcome>[] = [];
    for (const x of xs) {
      const job = moved.get(x.id); const before = prev.get(x.id);
      if (!job || !before) { out.push({ outcome: before ? 'stale' : 'not_found', job: null }); continue; }
      this.failPoint?.('accept', x.id);
      let op = '';
      if (paid(before)) { op = ops.get(before.proverId) ?? ''; if (!op) throw new Error(`prover ${before.proverId} has no operator account`); }
      postings.push({ p: settlePosting(before, op, this.money), nowMs: x.nowMs });
      counts.set(before.proverId, (counts.get(before.proverId) ?? 0) + 1);
      this.event(q, job, 'state', x.nowMs);
      out.push({ outcome: 'ok', job });
    }
    await this.postMany(q, postings);
    if (counts.size) {
      await q(`UPDATE provers SET reputation = reputation + x.n, accepted = accepted + x.n FROM unnest($1::text[], $2::int[]) AS x(i, n) WHERE provers.id = x.i`,
        [[...counts.keys()], [...counts.values()]]);
    }
    return out;
  }

  /**
   * Several postings in one go, as post() would apply them one after another: a posting whose key
   * was applied already moves nothing; the balances are locked in (account, book) order and each
   * leg checked in order (±MAX_AMOUNT as post()); a balance that would go below zero at any step
   * throws (post() one by one decides then), so the summed UPDATE never hides a dip.
   */
  private async postMany(q: Q, ps: { p: Posting; nowMs: number }[]): Promise<void> {
    const live = ps.map(({ p, nowMs }) => { assertBalanced(p); return { p, nowMs, legs: p.legs.filter((l) => l.amount !== 0n), txId: newLedgerTxId() }; })
      .filter((x) => x.legs.length > 0);
    if (live.length === 0) return;
    if (new Set(live.map((x) => x.p.key)).size !== live.length) throw new Error('one posting key twice in a batch');
    const fresh = new Set((await q<{ tx_key: string }>(`INSERT INTO ledger_tx (id, tx_key, reason, job_id, prover_id, explanation, created_ms)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[]) ON CONFLICT (tx_key) DO NOTHING RETURNING tx_key`,
    [live.map((x) => x.txId), live.map((x) => x.p.key), live.map((x) => x.legs[0].reason), live.map((x) => x.p.jobId), live.map((x) => x.p.proverId),
      live.map((x) => x.p.explanation), live.map((x) => x.nowMs)])).rows.map((row) => row.tx_key));
    const apply = live.filter((x) => fresh.has(x.p.key));
    if (apply.length === 0) return;
    const legs = apply.flatMap((x) => x.legs.map((l) => ({ ...l, txId: x.txId, explanation: x.p.explanation })));
    const keys = [...new Map(legs.map((l) => [`${l.accountId}/${l.book}`, l])).values()];
    const rows = (await q<{ account_id: string; book: string; a: string }>(`SELECT account_id, book, CAST(amount AS TEXT) AS a FROM balances
      WHERE (account_id, book) IN (SELECT * FROM unnest($1::text[], $2::text[])) ORDER BY account_id, book FOR UPDATE`,
    [keys.map((l) => l.accountId), keys.map((l) => l.book)])).rows;
    const cur = new Map(rows.map((row) => [`${row.account_id}/${row.book}`, BigInt(row.a)]));
    const exists = new Set(cur.keys());
    const delta = new Map<string, bigint>();
    for (const l of legs) {
      const k = `${l.accountId}/${l.book}`;
      const next = (cur.get(k) ?? 0n) + l.amount;
      if (next > MAX_AMOUNT || next < -MAX_AMOUNT) {
        throw new AmountOverflowError(`${l.explanation}: the ${l.book} balance of account ${l.accountId} would be ${next}, beyond the limit of ±${MAX_AMOUNT} micro-credits`);
      }
      if (next < 0n && l.book !== 'issued') throw new Error(`the ${l.book} balance of account ${l.accountId} would go below zero in a batch`);
      cur.set(k, next);
      delta.set(k, (delta.get(k) ?? 0n) + l.amount);
    }
    const upd = [...delta].filter(([k, d]) => exists.has(k) && d !== 0n);
    const ins = [...delta].filter(([k]) => !exists.has(k));
    const split = (k: string) => k.split('/') as [string, string];
    if (upd.length) {
      await q(`UPDATE balances SET amount = amount + x.d::bigint FROM unnest($1::text[], $2::text[], $3::text[]) AS x(a, b, d) WHERE balances.account_id = x.a AND balances.book = x.b`,
        [upd.map(([k]) => split(k)[0]), upd.map(([k]) => split(k)[1]), upd.map(([, d]) => d.toString())]);
    }
    if (ins.length) {
      await q(`INSERT INTO balances (account_id, book, amount) SELECT a, b, d::bigint FROM unnest($1::text[], $2::text[], $3::text[]) AS x(a, b, d)
        ON CONFLICT (account_id, book) DO UPDATE SET amount = balances.amount + EXCLUDED.amount`,
      [ins.map(([k]) => split(k)[0]), ins.map(([k]) => split(k)[1]), ins.map(([, d]) => d.toString())]);
    }
    await q(`INSERT INTO ledger_entries (tx_id, account_id, book, amount, reason)
      SELECT t, a, b, m::bigint, r FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS x(t, a, b, m, r, n) ORDER BY n`,
    [legs.map((l) => l.txId), legs.map((l) => l.accountId), legs.map((l) => l.book), legs.map((l) => l.amount.toString()), legs.map((l) => l.reason)]);
  }

  /** One accept inside the caller's transaction: DONE, the settlement posting, the prover's count, the event. */
  private async acceptTx(q: TxQ, id: string, leaseToken: string, nowMs: number): Promise<Transition<LeaseOutcome>> {
    const prev = await this.job(q, id, 'FOR UPDATE');
    if (!prev) return { outcome: 'not_found' as const, job: null };
    const r = await q<JobRow>(`UPDATE jobs SET state = 'DONE', lease_expires_ms = 0, stake = 0, error = '', updated_ms = $1
      WHERE id = $2 AND lease_token = $3 AND ${sqlGuard('accept')} RETURNING ${JOB_COLS}`, [nowMs, id, leaseToken]);
    if (r.rowCount !== 1) return { outcome: 'stale' as const, job: null };
    this.failPoint?.('accept', id);
    const paid = BigInt(prev.price) > 0n || BigInt(prev.stake) > 0n;
    await this.post(q, settlePosting(prev, paid ? await this.operatorOf(q, prev.proverId) : '', this.money), nowMs);
    await q(`UPDATE provers SET reputation = reputation + 1, accepted = accepted + 1 WHERE id = $1`, [prev.proverId]);
    const job = toJob(r.rows[0]);
    this.event(q, job, 'state', nowMs);
    return { outcome: 'ok' as const, job };
  }

  private async released(id: string, nowMs: number, sql: string, args: unknown[] | ((q: Q, prev: JobRecord) => Promise<unknown[]>),
    money: (q: Q, prev: JobRecord, job: JobRecord) => Promise<void>): Promise<Transition<ReleaseOutcome>> {
    return this.tx(async (q) => {
      const prev = await this.job(q, id, 'FOR UPDATE');
      if (!prev) return { outcome: 'not_found' as const, job: null };
      const r = await q<JobRow>(`${sql} RETURNING ${JOB_COLS}`, typeof args === 'function' ? await args(q, prev) : args);
      if (r.rowCount !== 1) return { outcome: 'stale' as const, job: null };
      const job = toJob(r.rows[0]);
      this.failPoint?.('release', id);
      await money(q, prev, job);
      this.event(q, job, 'state', nowMs);
      return { outcome: job.state === 'FAILED' ? 'failed' as const : 'requeued' as const, job };
    });
  }

  async reject(id: string, leaseToken: string, verdict: string, nowMs: number): Promise<Transition<ReleaseOutcome>> {
    return this.failedResult('reject', id, leaseToken, verdict, nowMs);
  }

  async setAside(id: string, leaseToken: string, reason: string, nowMs: number): Promise<Transition<ReleaseOutcome>> {
    return this.failedResult('setAside', id, leaseToken, reason, nowMs);
  }

  /**
   * VERIFYING → QUEUED (the prover excluded) or FAILED at max attempts, for a result that did not
   * verify: `reject` blames the prover (reputation -10, stake slashed: `wrong proof: why`),
   * `setAside` does not (stake unlocked, `set aside, not blamed: why`). Either refunds when FAILED.
   */
  private async failedResult(kind: 'reject' | 'setAside', id: string, leaseToken: string, why: string, nowMs: number): Promise<Transition<ReleaseOutcome>> {
    return this.released(id, nowMs, `UPDATE jobs SET
        state = CASE WHEN attempts >= max_attempts THEN 'FAILED' ELSE 'QUEUED' END,
        error = CASE WHEN attempts >= max_attempts THEN 'gave up after ' || attempts || ' attempts; last: ' || $1 ELSE $1 END,
        excluded = (excluded::jsonb || to_jsonb(prover_id))::text,
        proof_json = '', public_json = '', backend = '', prove_ms = 0, progress = 0, stage = '', lease_expires_ms = 0, stake = 0, updated_ms = $2
      WHERE id = $3 AND lease_token = $4 AND ${sqlGuard(kind)}`, [why, nowMs, id, leaseToken], async (q, prev, job) => {
      if (kind === 'reject') {
        await q(`UPDATE provers SET reputation = reputation - 10, rejected = rejected + 1 WHERE id = $1`, [prev.proverId]);
        await this.endLease(q, prev, `wrong proof: ${why}`, '', nowMs);
      } else {
        await this.endLease(q, prev, null, `set aside, not blamed: ${why}`, nowMs);
      }
      await this.refundIfTerminal(q, job, job.error, nowMs);
    });
  }

  async release(id: string, leaseToken: string, error: string, retryable: boolean, nowMs: number): Promise<Transition<ReleaseOutcome>> {
    // $5 = 1 when the operator gave this job back before: the attempt is handed back (never FAILED; lifecycle.ts giveBack).
    const sql = retryable
      ? `UPDATE jobs SET
          state = CASE WHEN attempts - $5 >= max_attempts THEN 'FAILED' ELSE 'QUEUED' END,
          error = CASE WHEN attempts - $5 >= max_attempts THEN 'gave up after ' || attempts || ' attempts; last: ' || $1 ELSE $1 END,
          attempts = attempts - $5, given_back = $6,
          progress = 0, stage = '', lease_expires_ms = 0, stake = 0, updated_ms = $2
        WHERE id = $3 AND lease_token = $4 AND ${sqlGuard('release')}`
      : `UPDATE jobs SET state = 'FAILED', error = $1, lease_expires_ms = 0, stake = 0, updated_ms = $2
        WHERE id = $3 AND lease_token = $4 AND ${sqlGuard('release')}`;
    const args = async (q: Q, prev: JobRecord): Promise<unknown[]> => {
      if (!retryable) return [error, nowMs, id, leaseToken];
      const o = await q<{ owner_account_id: string }>(`SELECT owner_account_id FROM provers WHERE id = $1`, [prev.proverId]);
      const g = giveBack(prev, o.rows[0]?.owner_account_id);
      return [error, nowMs, id, leaseToken, g.free ? 1 : 0, JSON.stringify(g.givenBack)];
    };
    return this.released(id, nowMs, sql, args, async (q, prev, job) => {
      await this.endLease(q, prev, null, `the prover gave the job back (${error})`, nowMs);
      await this.refundIfTerminal(q, job, job.error, nowMs);
    });
  }

  async extendLeases(untilMs: number, nowMs: number): Promise<number> {
    const r = await this.q(`UPDATE jobs SET lease_expires_ms = $1, updated_ms = $2 WHERE state IN ${LEASED} AND lease_expires_ms < $1`, [untilMs, nowMs]);
    return r.rowCount ?? 0;
  }

  async reclaimLapsed(nowMs: number): Promise<{ requeued: JobRecord[]; failed: JobRecord[]; previous: JobRecord[] }> {
    return this.tx(async (q) => {
      const out = { requeued: [] as JobRecord[], failed: [] as JobRecord[], previous: [] as JobRecord[] };
      // SKIP LOCKED: jobs another broker is moving (or sweeping) right now are left to it.
      const lapsed = (await q<JobRow>(`SELECT ${JOB_COLS} FROM jobs WHERE state IN ${LEASED} AND lease_expires_ms < $1
        ORDER BY lease_expires_ms FOR UPDATE SKIP LOCKED`, [nowMs])).rows;
      for (const row of lapsed) {
        const r = await q<JobRow>(`UPDATE jobs SET
            state = CASE WHEN attempts >= max_attempts THEN 'FAILED' ELSE 'QUEUED' END,
            error = CASE WHEN attempts >= max_attempts
              THEN 'gave up after ' || attempts || ' attempts; last: lease of prover ' || prover_id || ' lapsed'
              ELSE 'lease of prover ' || prover_id || ' lapsed' END,
            progress = 0, stage = '', lease_expires_ms = 0, stake = 0, updated_ms = $1
          WHERE id = $2 AND state = $3 AND lease_token = $4 AND lease_expires_ms < $1 AND ${sqlGuard('reclaim')} RETURNING ${JOB_COLS}`,
        [nowMs, row.id, row.state, row.lease_token]);
        if (r.rowCount !== 1) continue;
        const prev = toJob(row); const j = toJob(r.rows[0]);
        this.failPoint?.('reclaim', row.id);
        await this.endLease(q, prev, `abandoned: the lease lapsed at ${new Date(prev.leaseExpiresMs).toISOString()} with no result`, '', nowMs);
        await this.refundIfTerminal(q, j, j.error, nowMs);
        this.event(q, j, 'state', nowMs);
        out.previous.push(prev);
        (j.state === 'FAILED' ? out.failed : out.requeued).push(j);
      }
      return out;
    });
  }

  async expireOverdue(nowMs: number): Promise<{ expired: JobRecord[]; previous: JobRecord[] }> {
    return this.tx(async (q) => {
      const out = { expired: [] as JobRecord[], previous: [] as JobRecord[] };
      const overdue = (await q<JobRow>(`SELECT ${JOB_COLS} FROM jobs WHERE deadline_ms > 0 AND deadline_ms <= $1 AND state IN ${LIVE}
        FOR UPDATE SKIP LOCKED`, [nowMs])).rows;
      for (const row of overdue) {
        const msg = `deadline ${new Date(row.deadline_ms).toISOString()} passed while the job was ${row.state}`;
        const r = await q<JobRow>(`UPDATE jobs SET state = 'EXPIRED', error = $1, lease_expires_ms = 0, stake = 0, updated_ms = $2
          WHERE id = $3 AND state = $4 AND ${sqlGuard('expire')} RETURNING ${JOB_COLS}`, [msg, nowMs, row.id, row.state]);
        if (r.rowCount !== 1) continue;
        const prev = toJob(row); const j = toJob(r.rows[0]);
        this.failPoint?.('expire', row.id);
        await this.endLease(q, prev, null, 'the job expired', nowMs);
        await this.refundIfTerminal(q, j, msg, nowMs);
        this.event(q, j, 'state', nowMs);
        out.previous.push(prev);
        out.expired.push(j);
      }
      return out;
    });
  }

  // ---- partitioned jobs ----
  async submitGroup(g: NewJobGroup): Promise<{ outcome: SubmitOutcome; group: JobGroupRecord | null; jobs: JobRecord[]; available?: bigint; live?: number }> {
    return this.tx(async (q) => {
      // The same per-owner lock as submit: request ids, the live-job cap and the balance check hold across brokers.
      await q(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`submit:${g.ownerAccountId}`]);
      const ex = (await q<GroupRow>(`SELECT ${GROUP_COLS} FROM job_groups WHERE owner_account_id = $1 AND request_id = $2`, [g.ownerAccountId, g.requestId])).rows[0];
      if (ex) {
        const group = toGroup(ex);
        const same = group.circuitId === g.circuitId && group.payloadSha256 === g.payloadSha256;
        return { outcome: same ? 'existing' as const : 'conflict' as const, group, jobs: await this.partitionsOf(q, group.id) };
      }
      const single = (await q<JobRow>(`SELECT ${JOB_COLS} FROM jobs WHERE owner_account_id = $1 AND request_id = $2`, [g.ownerAccountId, g.requestId])).rows[0];
      if (single) return { outcome: 'conflict' as const, group: null, jobs: [toJob(single)] };
      const n = g.partitions.length;
      if (g.maxLiveJobs && g.maxLiveJobs > 0) {
        const live = (await q<{ n: number }>(`SELECT COUNT(*)::int AS n FROM jobs WHERE owner_account_id = $1 AND state IN ${LIVE}`, [g.ownerAccountId])).rows[0].n;
        if (live + n > g.maxLiveJobs) return { outcome: 'too_many_live' as const, group: null, jobs: [], live };
      }
      const available = await this.bal(q, g.ownerAccountId, 'available', true);
      if (available < g.maxPrice * BigInt(n)) return { outcome: 'insufficient_funds' as const, group: null, jobs: [], available };
      const grp = await q<GroupRow>(`INSERT INTO job_groups (id, owner_account_id, request_id, circuit_id, n, payload_sha256, deadline_ms, max_price, created_ms)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${GROUP_COLS}`,
      [g.id, g.ownerAccountId, g.requestId, g.circuitId, n, g.payloadSha256, g.deadlineMs, g.maxPrice.toString(), g.nowMs]);
      const jobs: JobRecord[] = [];
      for (const [k, p] of g.partitions.entries()) {
        const id = partitionJobId(g.id, k);
        const ins = await q<JobRow>(`INSERT INTO jobs (id, owner_account_id, request_id, circuit_id, state, input_json, witness, payload_sha256,
          max_attempts, deadline_ms, max_price, min_on_time, created_ms, updated_ms, group_id, partition_index)
          VALUES ($1, $2, $3, $4, 'SUBMITTED', $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14) RETURNING ${JOB_COLS}`,
        [id, g.ownerAccountId, `${g.requestId}#${k}`, g.circuitId, p.inputJson, p.witness, p.payloadSha256, g.maxAttempts, g.deadlineMs,
          g.maxPrice.toString(), g.minOnTime ?? 0, g.nowMs, g.id, k]);
        this.failPoint?.('submit', id);
        await this.post(q, holdPosting(id, g.ownerAccountId, g.maxPrice), g.nowMs);
        const job = toJob(ins.rows[0]);
        this.event(q, job, 'state', g.nowMs);
        jobs.push(job);
      }
      return { outcome: 'created' as const, group: toGroup(grp.rows[0]), jobs };
    });
  }

  private async partitionsOf(q: Q, groupId: string, lock = ''): Promise<JobRecord[]> {
    return (await q<JobRow>(`SELECT ${JOB_COLS} FROM jobs WHERE group_id = $1 AND group_id <> '' ORDER BY partition_index ${lock}`, [groupId])).rows.map(toJob);
  }

  async getGroup(id: string): Promise<JobGroupRecord | null> {
    const r = (await this.q<GroupRow>(`SELECT ${GROUP_COLS} FROM job_groups WHERE id = $1`, [id])).rows[0];
    return r ? toGroup(r) : null;
  }

  async groupByRequest(ownerAccountId: string, requestId: string): Promise<JobGroupRecord | null> {
    const r = (await this.q<GroupRow>(`SELECT ${GROUP_COLS} FROM job_groups WHERE owner_account_id = $1 AND request_id = $2`, [ownerAccountId, requestId])).rows[0];
    return r ? toGroup(r) : null;
  }

  async listGroups(f: { ownerAccountId?: string; circuitId?: string; limit?: number }): Promise<JobGroupRecord[]> {
    const where: string[] = []; const args: (string | number)[] = [];
    if (f.ownerAccountId) { args.push(f.ownerAccountId); where.push(`owner_account_id = $${args.length}`); }
    if (f.circuitId) { args.push(f.circuitId); where.push(`circuit_id = $${args.length}`); }
    args.push(Math.max(1, Math.min(1000, f.limit || 100)));
    return (await this.q<GroupRow>(`SELECT ${GROUP_COLS} FROM job_groups ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY created_ms DESC, id DESC LIMIT $${args.length}`, args)).rows.map(toGroup);
  }

  async groupPartitions(groupId: string): Promise<JobRecord[]> { return this.partitionsOf(this.q, groupId); }

  async cancelGroup(groupId: string, reason: string, nowMs: number): Promise<{ outcome: CancelOutcome; jobs: JobRecord[]; previous: JobRecord[] }> {
    return this.tx(async (q) => {
      // Row locks on every partition, in partition order (a fixed order: no deadlock with another cancelGroup).
      const parts = await this.partitionsOf(q, groupId, 'FOR UPDATE');
      if (parts.length === 0) return { outcome: 'not_found' as const, jobs: [], previous: [] };
      const previous: JobRecord[] = []; const jobs: JobRecord[] = [];
      for (const p of parts) {
        if (!LIVE_STATES.includes(p.state)) { jobs.push(p); continue; }
        // Each partition's own cancel transition (lease ended, refund, event), all in this one transaction.
        const r = await this.endLiveTx(q, p.id, reason, nowMs, 'CANCELLED', 'cancel', 'the client cancelled the job', 'cancelled');
        if (r.outcome === 'cancelled' && r.previous) previous.push(r.previous);
        jobs.push(r.job ?? p);
      }
      return { outcome: previous.length ? 'cancelled' as const : 'terminal' as const, jobs, previous };
    });
  }

  async cancel(id: string, reason: string, nowMs: number): Promise<Transition<CancelOutcome> & { previous: JobRecord | null }> {
    return this.endLive(id, reason, nowMs, 'CANCELLED', 'cancel', 'the client cancelled the job', 'cancelled');
  }

  async failInput(id: string, reason: string, nowMs: number): Promise<Transition<FailInputOutcome> & { previous: JobRecord | null }> {
    return this.endLive(id, reason, nowMs, 'FAILED', 'failInput', 'the client\'s input is bad; the prover is not blamed', 'failed');
  }

  /** Any live state → `to` (CANCELLED, or FAILED for a bad input): lease ended without slash, escrow refunded. */
  private async endLive<O extends string>(id: string, reason: string, nowMs: number, to: 'CANCELLED' | 'FAILED', transition: 'cancel' | 'failInput',
    why: string, moved: O): Promise<Transition<O | 'not_found' | 'terminal'> & { previous: JobRecord | null }> {
    return this.tx((q) => this.endLiveTx(q, id, reason, nowMs, to, transition, why, moved));
  }

  /** endLive's body, inside the caller's transaction. */
  private async endLiveTx<O extends string>(q: TxQ, id: string, reason: string, nowMs: number, to: 'CANCELLED' | 'FAILED',
    transition: 'cancel' | 'failInput', why: string, moved: O): Promise<Transition<O | 'not_found' | 'terminal'> & { previous: JobRecord | null }> {
    const prev = await this.job(q, id, 'FOR UPDATE');
    if (!prev) return { outcome: 'not_found' as const, job: null, previous: null };
    if (!LIVE_STATES.includes(prev.state)) return { outcome: 'terminal' as const, job: prev, previous: prev };
    const clear = to === 'FAILED' ? `proof_json = '', public_json = '', backend = '', prove_ms = 0, progress = 0, stage = '',` : '';
    const r = await q<JobRow>(`UPDATE jobs SET state = '${to}', error = $1, ${clear} lease_expires_ms = 0, stake = 0, updated_ms = $2
      WHERE id = $3 AND state = $4 AND ${sqlGuard(transition)} RETURNING ${JOB_COLS}`, [reason, nowMs, id, prev.state]);
    if (r.rowCount !== 1) return { outcome: 'terminal' as const, job: await this.job(q, id), previous: prev };
    const j = toJob(r.rows[0]);
    this.failPoint?.(transition, id);
    await this.endLease(q, prev, null, why, nowMs);
    await this.refundIfTerminal(q, j, reason, nowMs);
    this.event(q, j, 'state', nowMs);
    return { outcome: moved, job: j, previous: prev };
  }

  // ---- routing (migration 0010) ----
  async addLatencySample(x: LatencySample): Promise<void> { await this.addLatencySamples([x]); }

  /** One INSERT (one round trip) for all of them. */
  async addLatencySamples(xs: LatencySample[]): Promise<void> {
    if (xs.length === 0) return;
    await this.q(`INSERT INTO latency_samples (prover_id, curve, constraints, ms, kind, created_ms)
      SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::bigint[])`,
    [xs.map((x) => x.proverId), xs.map((x) => x.curve), xs.map((x) => Math.round(x.constraints)), xs.map((x) => Math.max(0, Math.round(x.ms))),
      xs.map((x) => x.kind), xs.map((x) => x.createdMs)]);
  }

  async latencySamples(perProver: number): Promise<LatencySample[]> {
    const r = await this.q<{ prover_id: string; curve: string; constraints: number; ms: number; kind: string; created_ms: number }>(
      `SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY prover_id, curve ORDER BY id DESC) AS rn FROM latency_samples) s
        WHERE rn <= $1 ORDER BY id`, [perProver]);
    return r.rows.map((x) => ({ proverId: x.prover_id, curve: x.curve, constraints: x.constraints, ms: x.ms, kind: x.kind as LatencySample['kind'], createdMs: x.created_ms }));
  }

  async getProverRouting(proverId: string): Promise<ProverRoutingRecord | null> {
    const r = (await this.q<{ prover_id: string; state: string; challenges_passed: number; challenges_failed: number; missed_eta: number; updated_ms: number }>(
      `SELECT * FROM prover_routing WHERE prover_id = $1`, [proverId])).rows[0];
    return r ? {
      proverId: r.prover_id, state: r.state as ProverRoutingRecord['state'], challengesPassed: r.challenges_passed,
      challengesFailed: r.challenges_failed, missedEta: r.missed_eta, updatedMs: r.updated_ms,
    } : null;
  }

  async putProverRouting(r: ProverRoutingRecord): Promise<void> {
    await this.q(`INSERT INTO prover_routing (prover_id, state, challenges_passed, challenges_failed, missed_eta, updated_ms)
      VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (prover_id) DO UPDATE SET state = EXCLUDED.state, challenges_passed = EXCLUDED.challenges_passed,
      challenges_failed = EXCLUDED.challenges_failed, missed_eta = EXCLUDED.missed_eta, updated_ms = EXCLUDED.updated_ms`,
    [r.proverId, r.state, r.challengesPassed, r.challengesFailed, r.missedEta, r.updatedMs]);
  }

  async listProvers(): Promise<ProverRecord[]> {
    return (await this.q<ProverRow>(`SELECT * FROM provers ORDER BY created_ms, id`)).rows.map(toProver);
  }

  async addC1Owner(sha256: string, accountId: string, nowMs: number): Promise<void> {
    await this.q(`INSERT INTO c1_owners (sha256, account_id, created_ms) VALUES ($1, $2, $3) ON CONFLICT (sha256, account_id) DO NOTHING`, [sha256, accountId, nowMs]);
  }

  async ownsC1(sha256: string, accountId: string): Promise<boolean> {
    return ((await this.q(`SELECT 1 FROM c1_owners WHERE sha256 = $1 AND account_id = $2`, [sha256, accountId])).rowCount ?? 0) > 0;
  }

  async adjustReputation(proverId: string, delta: number): Promise<void> {
    await this.q(`UPDATE provers SET reputation = reputation + $1 WHERE id = $2`, [delta, proverId]);
  }

  async setRouting(id: string, note: string, nowMs: number): Promise<JobRecord | null> {
    return this.tx(async (q) => {
      const r = await q<JobRow>(`UPDATE jobs SET routing = $1, updated_ms = $2 WHERE id = $3 AND routing <> $1 AND state IN ${LIVE} RETURNING ${JOB_COLS}`,
        [note, nowMs, id]);
      if (r.rowCount !== 1) return null;
      const job = toJob(r.rows[0]);
      this.event(q, job, 'routing', nowMs);
      return job;
    });
  }

  async raiseOffer(id: string, from: string, to: bigint, note: string, nowMs: number): Promise<JobRecord | null> {
    return this.tx(async (q) => {
      const j = await this.job(q, id, 'FOR UPDATE');
      if (!j || !offerRaise(j, from, to)) return null;
      const r = await q<JobRow>(`UPDATE jobs SET offer = $1, routing = $2, updated_ms = $3 WHERE id = $4 AND offer = $5 AND state = 'QUEUED' RETURNING ${JOB_COLS}`,
        [to.toString(), note, nowMs, id, from]);
      if (r.rowCount !== 1) return null;
      const job = toJob(r.rows[0]);
      this.event(q, job, 'routing', nowMs);
      return job;
    });
  }

  async shortenLease(id: string, leaseToken: string, expiresMs: number): Promise<boolean> {
    const r = await this.q(`UPDATE jobs SET lease_expires_ms = $1 WHERE id = $2 AND lease_token = $3 AND lease_expires_ms > $1 AND state IN ${LEASED}`,
      [expiresMs, id, leaseToken]);
    return r.rowCount === 1;
  }

  // ---- outbox ----
  async readOutbox(afterSeq: number, limit: number): Promise<OutboxEvent[]> {
    // Slim rows (../outbox-row.ts): the job's unchanging fields come from its row, in the same query.
    return (await this.q<OutboxJoinedRow & { seq: number; created_ms: number }>(
      `SELECT o.*, ${JOB_FIXED_COLS} FROM outbox o LEFT JOIN jobs j ON j.id = o.job_id WHERE o.seq > $1 ORDER BY o.seq LIMIT $2`, [afterSeq, limit])).rows
      .map((r) => ({ seq: r.seq, jobId: r.job_id, kind: r.kind as OutboxEvent['kind'], job: decodeOutboxJob(r), createdMs: r.created_ms }));
  }

  async outboxHead(): Promise<number> { return (await this.q<{ seq: number }>(`SELECT COALESCE(MAX(seq), 0) AS seq FROM outbox`)).rows[0].seq; }

  async pruneOutbox(uptoSeq: number): Promise<void> { await this.q(`DELETE FROM outbox WHERE seq <= $1`, [uptoSeq]); }

  // ---- wake-ups ----
  /**
   * Calls `fn(seq, own)` after any broker on this database commits an outbox event (LISTEN on
   * pm_outbox through one dedicated connection, reconnected with backoff if it drops). A wake-up
   * is a hint: read the outbox from your last seq to see what happened. `own` is true when the
   * commit was this store's (a broker need not wake for its own writes). Returns an unsubscribe.
   */
  subscribe(fn: (seq: number, own: boolean) => void): () => void {
    this.subscribers.add(fn);
    void this.ensureListener();
    return () => { this.subscribers.delete(fn); };
  }

  private ensureListener(): Promise<void> {
    if (this.listener || this.closed) return Promise.resolve();
    if (this.listenerStarting) return this.listenerStarting;
    this.listenerStarting = (async () => {
      for (let delay = 100; !this.closed; delay = Math.min(delay * 2, 5000)) {
        const c = new Client({ connectionString: this.url, types: pgTypes });
        try {
          await c.connect();
          await c.query(`LISTEN ${OUTBOX_CHANNEL}`);
          c.on('notification', (m) => {
            const seq = Number(m.payload);
            const own = this.ownSeqs.delete(seq);
            for (const f of this.subscribers) f(seq, own);
          });
          c.on('error', () => {
            if (this.listener === c) this.listener = null;
            c.end().catch(() => {});
            // Events committed while we were away are in the outbox: wake everyone once to catch up.
            if (!this.closed) void this.ensureListener().then(() => { for (const f of this.subscribers) f(0, false); });
          });
          if (this.closed) { await c.end(); return; }
          this.listener = c;
          return;
        } catch {
          await c.end().catch(() => {});
          await new Promise((r) => setTimeout(r, delay));
        }
      }
    })().finally(() => { this.listenerStarting = null; });
    return this.listenerStarting;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.listenerStarting?.catch(() => {});
    const l = this.listener; this.listener = null;
    if (l) await l.end().catch(() => {});
    await this.pool.end();
  }
}

/** Connects, applies pending migrations and returns the store. `url`: postgres://user:pass@host:port/db. */
export async function openPostgresStore(url: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const s = new PostgresStore(url, opts);
  try { await s.migrate(); } catch (e) { await s.close(); throw e; }
  return s;
}
