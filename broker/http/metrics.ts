// Prometheus metrics of a broker (prom-client), fed from the store's outbox rather than from
// in-process hooks: every transition writes one outbox event with the job as written, so the
// latencies come from the store's own timestamps, and with several brokers on one database each
// broker's /metrics sees the whole market (count one broker per market in dashboards).
//
// Metric names (all prefixed pm_; times in seconds, money in micro-credits):
//   pm_jobs{state}                          gauge    jobs in each state, from the store at scrape time
//   pm_queue_depth                          gauge    QUEUED jobs waiting for a prover
//   pm_job_transitions_total{state}         counter  job moves into each state seen since this broker started
//   pm_submit_rpc_seconds                   histogram SubmitJob RPC duration on this broker (validation + escrow + enqueue)
//   pm_submit_to_assign_seconds             histogram job created → first lease (ASSIGNED)
//   pm_assign_seconds                       histogram QUEUED → ASSIGNED of every attempt (wait in the queue)
//   pm_prove_seconds                        histogram ASSIGNED → VERIFYING (the prover's work incl. transfer)
//   pm_verify_seconds                       histogram VERIFYING → DONE / rejected (the broker's proof check)
//   pm_submit_to_done_seconds               histogram job created → DONE
//   pm_verifications_total{verdict}         counter  proofs checked: accepted | rejected
//   pm_verifications_per_second             gauge    proofs checked per second over the last 10 s
//   pm_verifier_proofs_total                gauge    proofs the pairing pool checked since start (this broker)
//   pm_verifier_checks_total                gauge    multi-pairings they took: batches of 2+ and single checks (proofs / checks = mean batch)
//   pm_provers_connected                    gauge    prover sessions open on this broker
//   pm_prover_slots{state}                  gauge    slots of connected provers: total | busy
//   pm_ledger_balance_microcredits{book}    gauge    sum over all accounts of each book (available, escrow, stake, earnings, fees, issued)
//   pm_ledger_sum_microcredits              gauge    sum of every book of every account: 0 unless money was created or lost
//   pm_dispatch_passes_total{outcome}       gauge    dispatch passes: planned | skipped (no prover had a free slot; the sweep still plans each period)
//   pm_dispatch_queue_reads_total{source}   gauge    where passes took the queue from: memory (queue index) | store (full read, reconciling it)
//   pm_dispatch_jobs_planned_total          gauge    queued jobs planned by those passes (summed over passes)
//   pm_outbox_lag_events                    gauge    outbox events written but not yet read by this metrics reader
//   pm_store_commit_ms{le}                  gauge    SQLite COMMITs (+ BEGIN's lock wait) that took at most le ms (cumulative buckets 0.25 … 50, +Inf)
//   pm_store_wal_checkpoints_total{where}   gauge    SQLite WAL checkpoints: worker (PASSIVE, checkpoint thread) | full (WAL past 16 MiB) | truncate (idle) | inline (valve: worker behind or gone)
//   pm_store_wal_frames                     gauge    frames (pages) in the SQLite WAL at the checkpoint worker's last look
// plus prom-client's default process metrics (pm_process_cpu_seconds_total, ...).
import * as client from 'prom-client';
import type { Broker } from '../broker';
import { JOB_STATES, isTerminal } from '../lifecycle';
import { COMMIT_MS_BUCKETS } from '../store/sqlite';
import type { CheckpointStats } from '../store/checkpoint';
import { BOOKS, MARKET_ACCOUNT, MINT_ACCOUNT, type JobRecord, type JobStateName, type OutboxEvent } from '../store/types';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/** One second of market activity, for the dashboard's charts. */
export interface SecondStats {
  /** Unix second. */
  t: number;
  submitted: number;
  done: number;
  verified: number;
  /** submit → first assignment of jobs assigned in this second, ms. */
  assignMs: number[];
  /** submit → DONE of jobs done in this second, ms. */
  totalMs: number[];
}

export interface ProverSpeed { proofs: number; proveMsSum: number }

export class MarketMetrics {
  readonly registry = new client.Registry();
  private readonly transitions: client.Counter;
  readonly submitRpc: client.Histogram;
  private readonly submitToAssign: client.Histogram;
  private readonly assign: client.Histogram;
  private readonly prove: client.Histogram;
  private readonly verify: client.Histogram;
  private readonly submitToDone: client.Histogram;
  private readonly verifications: client.Counter;
  /** Last known state and the time it was entered, per live job (bounded). */
  private readonly live = new Map<string, { state: JobStateName; sinceMs: number }>();
  /** The last 180 seconds, oldest first. */
  readonly seconds: SecondStats[] = [];
  /** Measured prove time per prover id (accepted proofs seen by this broker). */
  readonly proverSpeed = new Map<string, ProverSpeed>();
  private seq = 0;
  private head = 0;
  private timer: NodeJS.Timeout | null = null;
  private reading: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly b: Broker, private readonly pollMs = 250) {
    const r = this.registry;
    client.collectDefaultMetrics({ register: r, prefix: 'pm_' });
    const self = this;
    // Job counts are read at scrape time so that they are right after a restart and across brokers.
    new client.Gauge({
      name: 'pm_jobs', help: 'Jobs in each state (from the store at scrape time)', labelNames: ['state'], registers: [r],
      async collect() { const c = await self.jobCounts(); for (const s of JOB_STATES) this.set({ state: s }, c[s] ?? 0); },
    });
    new client.Gauge({
      name: 'pm_queue_depth', help: 'QUEUED jobs waiting for a prover', registers: [r],
      async collect() { this.set((await self.jobCounts()).QUEUED ?? 0); },
    });
    this.transitions = new client.Counter({ name: 'pm_job_transitions_total', help: 'Job moves into each state seen since this broker started', labelNames: ['state'], registers: [r] });
    const h = (name: string, help: string) => new client.Histogram({ name, help, buckets: LATENCY_BUCKETS, registers: [r] });
    this.submitRpc = h('pm_submit_rpc_seconds', 'SubmitJob RPC duration on this broker, seconds');
    this.submitToAssign = h('pm_submit_to_assign_seconds', 'Job created to its first lease (ASSIGNED), seconds');
    this.assign = h('pm_assign_seconds', 'QUEUED to ASSIGNED of every attempt, seconds');
    this.prove = h('pm_prove_seconds', 'ASSIGNED to VERIFYING (proving incl. transfers), seconds');
    this.verify = h('pm_verify_seconds', 'VERIFYING to DONE or rejected (proof check), seconds');
    this.submitToDone = h('pm_submit_to_done_seconds', 'Job created to DONE, seconds');
    this.verifications = new client.Counter({ name: 'pm_verifications_total', help: 'Proofs checked by verdict', labelNames: ['verdict'], registers: [r] });
    new client.Gauge({
      name: 'pm_verifications_per_second', help: 'Proofs checked per second over the last 10 s', registers: [r],
      collect() { this.set(self.rate('verified', 10)); },
    });
    new client.Gauge({
      name: 'pm_verifier_proofs_total', help: 'Proofs the pairing pool checked since this broker started', registers: [r],
      collect() { this.set(self.b.verifier.stats().proofs); },
    });
    new client.Gauge({
      name: 'pm_verifier_checks_total', help: 'Multi-pairings those proofs took (batches of 2+ and single checks); proofs / checks = mean batch size', registers: [r],
      collect() { const v = self.b.verifier.stats(); this.set(v.batches + v.singles); },
    });
    new client.Gauge({
      name: 'pm_provers_connected', help: 'Prover sessions open on this broker', registers: [r],
      collect() { this.set(self.b.sessions.all().filter((s) => !s.closed).length); },
    });
    new client.Gauge({
      name: 'pm_prover_slots', help: 'Slots of connected provers (total | busy)', labelNames: ['state'], registers: [r],
      collect() {
        let total = 0; let busy = 0;
        for (const s of self.b.sessions.all()) { if (s.closed) continue; total += Math.max(1, s.caps.slots); busy += s.active.size; }
        this.set({ state: 'total' }, total); this.set({ state: 'busy' }, busy);
      },
    });
    new client.Gauge({
      name: 'pm_ledger_balance_microcredits', help: 'Sum over all accounts of each book, micro-credits', labelNames: ['book'], registers: [r],
      async collect() { const t = await self.ledgerTotals(); for (const k of BOOKS) this.set({ book: k }, Number(t.books[k])); },
    });
    new client.Gauge({
      name: 'pm_ledger_sum_microcredits', help: 'Sum of every book of every account (0 unless money was created or lost)', registers: [r],
      async collect() { this.set(Number((await self.ledgerTotals()).sum)); },
    });
    // Group commit (store/sqlite.ts tx, store/postgres submit): store transitions and the COMMITs that wrote them.
    const commits = () => (self.b.store as { commits?: { transactions: number; commits: number } }).commits ?? { transactions: 0, commits: 0 };
    new client.Gauge({
      name: 'pm_store_transactions_total', help: 'Store transitions (transactions) asked for since this broker started', registers: [r],
      collect() { this.set(commits().transactions); },
    });
    new client.Gauge({
      name: 'pm_store_commits_total', help: 'COMMITs that wrote them (group commit: several transitions per COMMIT)', registers: [r],
      collect() { this.set(commits().commits); },
    });
    // SQLite only (store/sqlite.ts commit, store/checkpoint.ts): COMMIT durations and the WAL checkpoint worker.
    const sq = () => self.b.store as { commits?: { commitMs?: number[] }; checkpointStats?: () => CheckpointStats | null };
    new client.Gauge({
      name: 'pm_store_commit_ms', help: 'SQLite COMMITs that took at most `le` ms with their BEGIN\'s wait for the write lock (cumulative, like a histogram\'s buckets; le="+Inf" counts all)',
      labelNames: ['le'], registers: [r],
      collect() {
        const b = sq().commits?.commitMs; if (!b) return;
        let n = 0;
        b.forEach((c, i) => { n += c; this.set({ le: i < COMMIT_MS_BUCKETS.length ? String(COMMIT_MS_BUCKETS[i]) : '+Inf' }, n); });
      },
    });
    new client.Gauge({
      name: 'pm_store_wal_checkpoints_total', help: 'SQLite WAL checkpoints by where they ran: the checkpoint worker thread (worker: PASSIVE; full: FULL when the WAL passed 16 MiB under steady commits; truncate: when idle) or the event loop (inline: the worker was behind or gone)',
      labelNames: ['where'], registers: [r],
      collect() {
        const c = sq().checkpointStats?.(); if (!c) return;
        this.set({ where: 'worker' }, c.checkpoints); this.set({ where: 'full' }, c.fulls); this.set({ where: 'truncate' }, c.truncates); this.set({ where: 'inline' }, c.inline);
      },
    });
    new client.Gauge({
      name: 'pm_store_wal_checkpoints_busy_total', help: 'SQLite FULL/TRUNCATE checkpoints the worker gave up on (a reader or the write lock in the way; each backs off 250 ms doubling to 5 s) and checkpoint errors; climbing steadily means a long read transaction is pinning the WAL',
      registers: [r],
      collect() { const c = sq().checkpointStats?.(); if (c) this.set(c.busy); },
    });
    new client.Gauge({
      name: 'pm_store_wal_frames', help: 'Frames (pages) in the SQLite WAL at the checkpoint worker\'s last look', registers: [r],
      collect() { const c = sq().checkpointStats?.(); if (c) this.set(c.logFrames); },
    });
    // Set-wise settlement (store/postgres acceptBatch; absent on SQLite, which settles one accept per statement).
    const settled = () => (self.b.store as { settled?: { batches: number; accepts: number; rerunBatches: number } }).settled ?? { batches: 0, accepts: 0, rerunBatches: 0 };
    new client.Gauge({
      name: 'pm_store_settle_batches_total', help: 'Batches of 2+ accepts settled set-wise in one transaction (set_wise), or that threw and were rerun one accept per transaction (rerun)',
      labelNames: ['outcome'], registers: [r],
      collect() { this.set({ outcome: 'set_wise' }, settled().batches); this.set({ outcome: 'rerun' }, settled().rerunBatches); },
    });
    new client.Gauge({
      name: 'pm_store_settled_set_wise_total', help: 'Accepts (jobs → DONE, paid) settled inside set-wise batches', registers: [r],
      collect() { this.set(settled().accepts); },
    });
    new client.Gauge({
      name: 'pm_dispatch_passes_total', help: 'Dispatch passes since the broker started: planned the queue, or skipped (no connected prover had a free slot)',
      labelNames: ['outcome'], registers: [r],
      collect() { this.set({ outcome: 'planned' }, self.b.plannedPasses); this.set({ outcome: 'skipped' }, self.b.skippedPasses); },
    });
    new client.Gauge({
      name: 'pm_dispatch_queue_reads_total', help: 'Where dispatch passes took the queued jobs from: memory (the queue index) or store (a full read that reconciles it: the sweep\'s pass, start, after a lost claim or a failed outbox read, over 500 queued)',
      labelNames: ['source'], registers: [r],
      collect() { this.set({ source: 'memory' }, self.b.queue.stats.served); this.set({ source: 'store' }, self.b.queue.stats.reads); },
    });
    new client.Gauge({
      name: 'pm_dispatch_jobs_planned_total', help: 'Queued jobs planned by dispatch passes (a job waiting with no prover to wait for is planned again only when something besides new jobs changed, and by the sweep)',
      registers: [r], collect() { this.set(self.b.plannedJobs); },
    });
    new client.Gauge({
      name: 'pm_outbox_lag_events', help: 'Outbox events written but not yet read by the metrics reader', registers: [r],
      collect() { this.set(Math.max(0, self.head - self.seq)); },
    });
  }

  async start(): Promise<void> {
    this.seq = await this.b.store.outboxHead();
    this.head = this.seq;
    this.timer = setInterval(() => { void this.poll(); }, this.pollMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.reading;
  }

  /** The Prometheus text exposition. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }

  /** Jobs per state, from the store (one GROUP BY on either store; it used to read every live row, payloads included, on PostgreSQL). */
  jobCounts(): Promise<Partial<Record<JobStateName, number>>> { return this.b.store.countJobsByState(); }

  /** Totals of every book over all accounts, market and mint included. */
  async ledgerTotals(): Promise<{ books: Record<string, bigint>; sum: bigint }> {
    const st = this.b.store;
    const accounts = await st.listAccounts();
    const ids = new Set(accounts.map((a) => a.id));
    for (const n of [MARKET_ACCOUNT, MINT_ACCOUNT]) { const a = await st.getAccount(n); if (a) ids.add(a.id); }
    const books: Record<string, bigint> = Object.fromEntries(BOOKS.map((k) => [k, 0n]));
    let sum = 0n;
    for (const id of ids) {
      const bal = await st.balances(id);
      for (const k of BOOKS) { books[k] += bal[k]; sum += bal[k]; }
    }
    return { books, sum };
  }

  /** Events per second of `field` over the last `windowS` complete seconds. */
  rate(field: 'submitted' | 'done' | 'verified', windowS: number): number {
    const now = Math.floor(Date.now() / 1000);
    let n = 0;
    for (const s of this.seconds) if (s.t >= now - windowS && s.t < now) n += s[field];
    return n / windowS;
  }

  private bucket(ms: number): SecondStats {
    const t = Math.floor(ms / 1000);
    let last = this.seconds[this.seconds.length - 1];
    if (!last || last.t < t) {
      last = { t, submitted: 0, done: 0, verified: 0, assignMs: [], totalMs: [] };
      this.seconds.push(last);
      while (this.seconds.length > 180) this.seconds.shift();
      return last;
    }
    // An event stamped in an earlier second (another broker's clock, a late read): find its bucket.
    for (let i = this.seconds.length - 1; i >= 0; i--) if (this.seconds[i].t === t) return this.seconds[i];
    return last;
  }

  /** Reads new outbox events (coalesced). */
  poll(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.reading) return this.reading;
    this.reading = (async () => {
      try {
        for (;;) {
          const evs = await this.b.store.readOutbox(this.seq, 1000);
          for (const ev of evs) { this.seq = ev.seq; this.observe(ev); }
          if (evs.length < 1000) break;
        }
        this.head = await this.b.store.outboxHead();
        if (this.head < this.seq) this.seq = this.head; // pruned or reset underneath: follow the head
      } catch (e) {
        if (!this.closed) this.b.log.warn(`metrics: outbox read failed: ${(e as Error).message}`);
      } finally { this.reading = null; }
    })();
    return this.reading;
  }

  private observe(ev: OutboxEvent): void {
    if (ev.kind !== 'state') return;
    const j: JobRecord = ev.job;
    const at = j.updatedMs || ev.createdMs;
    const prev = this.live.get(j.id);
    if (prev && prev.state === j.state) return;
    this.transitions.inc({ state: j.state });
    const sec = this.bucket(at);
    switch (j.state) {
      case 'SUBMITTED': sec.submitted++; break;
      case 'ASSIGNED':
        if (j.attempts === 1) { const ms = Math.max(0, at - j.createdMs); this.submitToAssign.observe(ms / 1000); sec.assignMs.push(ms); }
        if (prev?.state === 'QUEUED') this.assign.observe(Math.max(0, at - prev.sinceMs) / 1000);
        break;
      case 'VERIFYING':
        if (prev && (prev.state === 'ASSIGNED' || prev.state === 'PROVING')) {
          // prev.sinceMs is when PROVING began; use the prover's own figure when it reports one.
          this.prove.observe((j.proveMs > 0 ? j.proveMs : Math.max(0, at - prev.sinceMs)) / 1000);
        }
        break;
      case 'DONE': {
        sec.done++; sec.verified++;
        this.verifications.inc({ verdict: 'accepted' });
        if (prev?.state === 'VERIFYING') this.verify.observe(Math.max(0, at - prev.sinceMs) / 1000);
        const total = Math.max(0, at - j.createdMs);
        this.submitToDone.observe(total / 1000); sec.totalMs.push(total);
        if (j.proverId && j.proveMs > 0) {
          const p = this.proverSpeed.get(j.proverId) ?? { proofs: 0, proveMsSum: 0 };
          p.proofs++; p.proveMsSum += j.proveMs; this.proverSpeed.set(j.proverId, p);
        }
        break;
      }
      case 'QUEUED': case 'FAILED':
        if (prev?.state === 'VERIFYING') {
          sec.verified++;
          this.verifications.inc({ verdict: 'rejected' });
          this.verify.observe(Math.max(0, at - prev.sinceMs) / 1000);
        }
        break;
      default: break;
    }
    // PROVING keeps the ASSIGNED time as the start of proving.
    const since = j.state === 'PROVING' && prev?.state === 'ASSIGNED' ? prev.sinceMs : at;
    if (isTerminal(j.state)) this.live.delete(j.id);
    else {
      this.live.set(j.id, { state: j.state, sinceMs: since });
      if (this.live.size > 100_000) this.live.delete(this.live.keys().next().value as string);
    }
  }
}
