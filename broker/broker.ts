// The broker core: shared state (store, sessions, circuit cache, verifier, outbox pump) and
// dispatch. The concerns live one per file:
//   match.ts            which prover gets a queued job, at what price (pure)
//   sessions.ts         connected provers and what is sent to them
//   results.ts          a prover's result → verify → accept (pay) or reject (slash)
//   sweep.ts            lapsed leases and deadlines
//   events.ts           WatchJob streams fed from the store's outbox
//   artifact-stream.ts  FetchArtifact
//   services/*.ts       the gRPC services (Market, ProverHub, Accounts), authenticated
import * as fs from 'fs';
import * as path from 'path';
import { curveToSnarkjs } from '../src/common/curves';
import { newLeaseToken } from '../src/common/hash';
import type { Logger } from '../src/common/log';
import type { Assignment, Job } from '../src/common/proto';
import { ArtifactStore } from './artifacts';
import { C1Store, C2Verifier, c2Circuit, c2PayloadOf, isC2Circuit, type C2Payload, type C2VerifierConfig } from './c2';
import { Authenticator } from './auth/caller';
import { c2JobToProto, circuitToProto, jobToProto } from './convert';
import { OutboxPump } from './events';
import { QueueIndex } from './queue-index';
import { settlePartition } from './partitions';
import { onOtherBrokersWrite, sharedBlobsFor } from './store/open';
import { WasmInputProbe } from './inputs';
import { planDispatch, type RouteJob, type RouteProver } from './route';
import { Routing, type RoutingConfig } from './routing';
import { Challenges } from './challenges';
import { recheckVerifying } from './results';
import { Sessions } from './sessions';
import type { CircuitRecord, JobRecord, MoneyPolicy, Store } from './store/types';
import { sweep } from './sweep';
import { Verifier } from './verify';
import { Suspicions } from './verify/judge';
import { Statements, type StatementCircuit } from './verify/statement';
import { WitnessPool } from './verify/witness-pool';
import { traceJob, tracing } from './submit-trace';

export interface BrokerConfig {
  dataDir: string;
  leaseMs: number;
  heartbeatMs: number;
  maxAttempts: number;
  sweepMs: number;
  maxArtifactBytes: number;
  /** Build each registered curve in the verifier process ahead of the first proof. */
  warmVerifier: boolean;
  money: MoneyPolicy;
  routing: RoutingConfig;
  /** Operator account of the broker-local fallback prover ('' = none). */
  fallbackOperatorId?: string;
  /** Most live (not terminal) jobs one account may have; 0 = no cap. */
  maxLiveJobsPerAccount: number;
  /** Worker threads computing jobs' witnesses for the statement check (default: cores - 1, 1..4). */
  witnessWorkers?: number;
  /** Limit for one witness computation or R1CS check, ms (default 120 000). */
  witnessTimeoutMs?: number;
  /** The operator's verifier command for filecoin-c2 jobs (broker/c2.ts); without one such jobs are refused. */
  c2Verifier?: C2VerifierConfig | null;
  /** Largest c1.json accepted, bytes (default 128 MiB). */
  maxC1Bytes?: number;
  /** A directory of artifact bytes several brokers share (`--blob-dir`); default DATA/artifacts (+ the store's shared blobs). */
  blobDir?: string | null;
  log: Logger;
}

export class Broker {
  readonly artifacts: ArtifactStore;
  readonly verifier = new Verifier();
  readonly sessions: Sessions;
  readonly auth: Authenticator;
  readonly events: OutboxPump;
  readonly routing: Routing;
  readonly challenges: Challenges;
  /** Witness computations and R1CS checks, off the event loop (verify/witness-pool.ts). */
  readonly witnesses: WitnessPool;
  /** Each live job's statement: the public signals a proof must have (verify/statement.ts). */
  readonly statements: Statements;
  /** Inconclusive failures of unchecked client witnesses, per job (verify/judge.ts). */
  readonly suspicions = new Suspicions(2);
  /** The QUEUED jobs, in memory (fed by the outbox, reconciled by the sweep's full pass): what a dispatch pass plans. */
  readonly queue = new QueueIndex(500);
  /** Uploaded c1.json files of filecoin-c2 jobs (c2.ts). */
  readonly c1: C1Store;
  /** The operator's C2 verifier command, or null: then filecoin-c2 jobs are refused. */
  readonly c2Verifier: C2Verifier | null;
  /** C2 proofs whose verifier could not decide, checked again later (cleared at close). */
  readonly c2Rechecks = new Set<NodeJS.Timeout>();
  private readonly circuits = new Map<string, CircuitRecord>();
  /** Circuits whose broker-side artifacts are known to be on this broker's disk (localArtifacts). */
  private readonly local = new Set<string>();
  private readonly vkeys = new Map<string, unknown>();
  private readonly probes = new Map<string, WasmInputProbe>();
  private readonly inflight = new Set<Promise<unknown>>();
  /** Open WatchJob streams, ended at close. */
  readonly watchCalls = new Set<{ end(): void }>();
  private sweepTimer: NodeJS.Timeout | null = null;
  private dispatching = false;
  private dispatchAgain = false;
  /** The next pass plans the queue even when no prover has a free slot (the sweep asks for one each period). */
  private dispatchFull = true;
  closing = false;
  private stopWake: (() => void) | null = null;

  constructor(readonly store: Store, readonly cfg: BrokerConfig) {
    this.artifacts = new ArtifactStore(cfg.dataDir, cfg.blobDir ? { sharedDir: cfg.blobDir } : { shared: sharedBlobsFor(store) });
    this.sessions = new Sessions(cfg.log);
    this.auth = new Authenticator(store);
    this.events = new OutboxPump(store, cfg.log, Math.max(50, Math.min(250, cfg.sweepMs)));
    // Every transition (this broker's or another's) reaches the queue index in commit order; a job
    // newly QUEUED (a requeue, another broker's submit) asks for a pass. The first (full) pass reads the store.
    this.events.tap((ev) => { if (this.queue.apply(ev)) this.dispatchNew(); }, () => this.queue.invalidate());
    this.routing = new Routing(store, cfg.routing, cfg.log);
    this.challenges = new Challenges(this);
    this.witnesses = new WitnessPool({ size: cfg.witnessWorkers, taskTimeoutMs: cfg.witnessTimeoutMs, gatherMs: 5 });
    this.statements = new Statements(this.witnesses);
    this.c1 = new C1Store(cfg.dataDir, this.artifacts, cfg.maxC1Bytes ?? 128 * 2 ** 20, store);
    this.c2Verifier = cfg.c2Verifier ? new C2Verifier(cfg.c2Verifier, path.join(cfg.dataDir, 'c2-verify'), cfg.log) : null;
  }

  get log(): Logger { return this.cfg.log; }

  /** Brings live jobs back after a restart, then starts the sweep timer. */
  async start(): Promise<void> {
    await this.events.start();
    // A partition that FAILED for good ends its partitioned job: the live siblings are cancelled (partitions.ts).
    this.events.onStateEvent((ev) => { if (ev.job.groupId && ev.job.state === 'FAILED') this.track(settlePartition(this, ev.job)); });
    await this.routing.load();
    await this.challenges.start();
    // Several brokers on one PostgreSQL database: another broker's transition wakes watchers and matching here at once.
    this.stopWake = onOtherBrokersWrite(this.store, () => { this.notify(); this.dispatch(); });
    const live = await this.store.liveJobs();
    const counts: Record<string, number> = {};
    for (const j of live) counts[j.state] = (counts[j.state] ?? 0) + 1;
    if (live.length) this.log.info(`recovered ${live.length} live jobs: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
    for (const c of await this.store.listCircuits()) this.circuits.set(c.id, c);
    // Leases could not be heartbeated while the broker was down: that is nobody's fault. Give their
    // provers one lease period to reconnect before any lease counts as abandoned (and slashed).
    const extended = await this.store.extendLeases(Date.now() + this.cfg.leaseMs, Date.now());
    if (extended) this.log.info(`extended ${extended} lease(s) by ${this.cfg.leaseMs} ms for their provers to reconnect`);
    // A partition that FAILED while no broker was pumping events: its partitioned job still ends (partitions.ts).
    for (const g of new Set(live.filter((j) => j.groupId).map((j) => j.groupId!))) {
      const failed = (await this.store.groupPartitions(g)).find((p) => p.state === 'FAILED');
      if (failed) await settlePartition(this, failed);
    }
    for (const j of live) {
      if (j.state === 'SUBMITTED') await this.store.enqueue(j.id, Date.now());
      // Statements are not stored: work them out again (a bad input still fails before any proof).
      if (j.state !== 'VERIFYING') { const c = await this.circuit(j.circuitId); if (c) this.startStatement(j, c); }
      // A proof that was being checked when the broker stopped is checked again.
      if (j.state === 'VERIFYING') this.track(recheckVerifying(this, j));
    }
    if (this.cfg.warmVerifier) {
      for (const c of await this.store.listCircuits()) this.verifier.warm(curveToSnarkjs(c.curve));
    }
    this.sweepTimer = setInterval(() => { this.track(sweep(this)); }, this.cfg.sweepMs);
    await sweep(this);
  }

  /** Runs a background task; its failure is logged, and close() waits for it. */
  track<T>(p: Promise<T>): void {
    const q = p.catch((e) => this.log.error(`background task failed: ${(e as Error)?.stack ?? e}`));
    this.inflight.add(q);
    void q.finally(() => this.inflight.delete(q));
  }

  /** After a store write: deliver its outbox event to watchers now. */
  notify(): void { this.track(this.events.kick()); }

  async close(): Promise<void> {
    this.closing = true;
    this.stopWake?.();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    this.sessions.closeAll();
    this.routing.close();
    for (const c of this.watchCalls) { try { c.end(); } catch { /* gone */ } }
    this.watchCalls.clear();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.inflight]), new Promise((r) => { timer = setTimeout(r, 5000); })]);
    clearTimeout(timer);
    await this.events.close();
    for (const t of this.c2Rechecks) clearTimeout(t);
    this.c2Rechecks.clear();
    this.c2Verifier?.close();
    await this.verifier.close();
    await this.witnesses.close();
  }

  // ------------------------------------------------------------------ circuits

  /** Any circuit by id (internal use: no tenancy check). */
  async circuit(id: string): Promise<CircuitRecord | null> {
    const c = this.circuits.get(id) ?? await this.store.getCircuit(id);
    if (c) { this.circuits.set(c.id, c); await this.localArtifacts(c); }
    return c;
  }

  /**
   * Makes sure the artifacts this broker reads itself (vkey, wasm, r1cs, sym; not the zkey, which
   * only provers fetch) are on its disk: with a PostgreSQL store another broker may have received
   * them (broker/blobs.ts). Cheap after the first call per circuit; an Error when none is held anywhere.
   */
  async localArtifacts(c: CircuitRecord): Promise<void> {
    if (this.local.has(c.id)) return;
    for (const a of c.artifacts) {
      if (a.kind !== 'ZKEY' && (await this.artifacts.ensure(a.sha256)) === null) {
        throw new Error(`artifact ${a.kind} (${a.sha256}) of circuit ${c.name} is held neither here nor in the store's shared blobs`);
      }
    }
    this.local.add(c.id);
  }

  /** Circuit references (id or name) the submit path resolved, per viewer: key `account\nref` → circuit id. */
  private readonly refs = new Map<string, { id: string; until: number }>();

  /**
   * The circuit `ref` (id or name) names for `accountId` (its own, or a public one), as
   * store.getCircuit resolves it, remembered for 2 s: submits resolve their circuit without a
   * store round trip (two queries on PostgreSQL). Circuits never change or go away, so a cached
   * answer is never a wrong circuit; a circuit registered since (on another broker sharing the
   * database) that would take the name over is seen within 2 s (at once on this broker).
   */
  async visibleCircuit(ref: string, accountId: string): Promise<CircuitRecord | null> {
    const k = `${accountId}\n${ref}`;
    const now = Date.now();
    const hit = this.refs.get(k);
    if (hit && hit.until > now) { const c = this.circuits.get(hit.id); if (c) return c; }
    const c = await this.store.getCircuit(ref, accountId);
    if (!c) return null;
    this.circuits.set(c.id, c);
    this.refs.set(k, { id: c.id, until: now + 2000 });
    if (this.refs.size > 10_000) this.refs.delete(this.refs.keys().next().value as string);
    return c;
  }

  remember(c: CircuitRecord): void {
    this.refs.clear(); // a new circuit may take over a name
    this.circuits.set(c.id, c);
    if (this.cfg.warmVerifier) this.verifier.warm(curveToSnarkjs(c.curve));
  }

  artifactPath(c: CircuitRecord, kind: 'WASM' | 'ZKEY' | 'VKEY' | 'R1CS' | 'SYM'): string {
    const a = c.artifacts.find((x) => x.kind === kind);
    if (!a) throw new Error(`circuit ${c.id} has no ${kind} artifact`);
    return this.artifacts.pathOf(a.sha256);
  }

  vkey(c: CircuitRecord): unknown {
    let v = this.vkeys.get(c.id);
    if (!v) { v = JSON.parse(fs.readFileSync(this.artifactPath(c, 'VKEY'), 'utf8')); this.vkeys.set(c.id, v); }
    return v;
  }

  probe(c: CircuitRecord): WasmInputProbe {
    let p = this.probes.get(c.id);
    if (!p) { p = WasmInputProbe.fromFile(this.artifactPath(c, 'WASM')); this.probes.set(c.id, p); }
    return p;
  }

  /** The pseudo-circuit of a filecoin-c2 payload's proof type, created on first use (public, owned by the market). */
  async c2Circuit(p: C2Payload): Promise<CircuitRecord> {
    const rec = c2Circuit(p, this.challenges.marketAccountId, Date.now());
    const hit = await this.circuit(rec.id);
    if (hit) return hit;
    const r = await this.store.insertCircuit(rec);
    const c = r.outcome === 'inserted' ? rec : (r.existing ?? await this.store.getCircuit(rec.id));
    if (!c) throw new Error(`cannot record the filecoin-c2 pseudo-circuit ${rec.id}: ${r.outcome}`);
    this.circuits.set(c.id, c);
    return c;
  }

  /** A job as the API shows it: flagged when its circuit's setup is insecure. */
  jobOut(j: JobRecord): Job {
    return jobToProto(j, this.circuits.get(j.circuitId)?.insecure ?? false, this.c2PayloadFor(j));
  }

  /** A filecoin-c2 job's payload: from its inputJson, else (an outbox snapshot) from its c1 (payloadSha256 is the c1's hash). */
  c2PayloadFor(j: JobRecord): C2Payload | null {
    if (!isC2Circuit(j.circuitId)) return null;
    const p = c2PayloadOf(j);
    if (p) return p;
    try {
      const st = this.c1.status(j.payloadSha256);
      return st.info ? { c1Sha256: st.sha256, c1Size: st.size, proofType: st.info.proofType, sectorSize: st.info.sectorSize, partitions: st.info.partitions } : null;
    } catch { return null; }
  }

  // ------------------------------------------------------------------ statements

  private readonly stmtCircuits = new Map<string, StatementCircuit>();

  /** What the witness pool needs of a circuit (its artifacts' paths), worked out once per circuit (circuits never change). */
  statementCircuit(c: CircuitRecord): StatementCircuit {
    let sc = this.stmtCircuits.get(c.id);
    if (!sc) { sc = this.statementCircuitOf(c); this.stmtCircuits.set(c.id, sc); }
    return sc;
  }

  private statementCircuitOf(c: CircuitRecord): StatementCircuit {
    const has = (k: 'WASM' | 'R1CS' | 'SYM') => c.artifacts.some((a) => a.kind === k);
    return {
      // A witness-only circuit (no wasm) never has an input job, so its wasm path is never used.
      id: c.id, nPublic: c.nPublic, nVars: c.nVars || undefined, wasmPath: has('WASM') ? this.artifactPath(c, 'WASM') : '',
      r1csPath: has('R1CS') ? this.artifactPath(c, 'R1CS') : null, symPath: has('SYM') ? this.artifactPath(c, 'SYM') : null,
    };
  }

  /**
   * Starts working out the job's statement in the witness pool (not awaited). If the broker finds
   * the client's input or witness bad, the job FAILS now, refunded, before any prover is blamed.
   */
  startStatement(j: JobRecord, c: CircuitRecord): void {
    if (isC2Circuit(c)) return; // a C2 job's statement is its c1.json: the verifier command checks it
    this.track(this.statements.start(j, this.statementCircuit(c)).then(async (st) => {
      if (st.kind === 'bad_input') await this.failBadInput(j.id, `the job's ${j.witness ? 'witness' : 'input'} is bad: ${st.reason}`);
    }));
  }

  /** Any live job → FAILED, refunded, nobody's stake slashed; the prover holding it is told to stop. */
  async failBadInput(jobId: string, reason: string): Promise<boolean> {
    const r = await this.store.failInput(jobId, reason, Date.now());
    this.notify();
    this.statements.forget(jobId);
    this.suspicions.take(jobId);
    if (r.outcome !== 'failed') return false;
    if (r.previous) this.sessions.revoke(r.previous, 'cancelled');
    this.log.warn(`job ${jobId} FAILED: ${reason}`);
    this.dispatch();
    return true;
  }

  assignment(j: JobRecord, c: CircuitRecord, token: string, expires: number): Assignment {
    const c2 = c2PayloadOf(j);
    return {
      jobId: j.id, leaseToken: token, leaseExpiresMs: String(expires), circuit: circuitToProto(c),
      ...(c2 ? { filecoinC2: c2JobToProto(c2) } : j.witness ? { witness: j.witness } : { inputJson: j.inputJson ?? '{}' }),
      deadlineMs: String(j.deadlineMs), attempt: j.attempts,
    };
  }

  // ------------------------------------------------------------------ dispatch

  /**
   * Matches queued jobs to free provers (coalesced: one pass at a time, re-run if asked meanwhile).
   * A pass asked for while no connected prover has a free slot assigns nothing, and would only
   * re-plan the whole queue (up to 500 jobs) to rewrite its waiting notes: it is skipped unless
   * `full` (the sweep's pass each sweepMs, which also raises offers on the deadline ladder). So a
   * backlog costs each submit O(1), not a re-plan of the queue.
   */
  dispatch(full = false): void {
    if (full) this.dispatchFull = true;
    this.replanAll = true;
    this.runDispatch();
  }

  /**
   * A pass for jobs newly QUEUED (a submit, a requeue, another broker's job) while nothing else
   * changed: the jobs the last pass left waiting with no prover to wait for (no eligible one, none
   * connected: nothing reserved for them) are not planned again. Any other dispatch() (a prover
   * came, went or freed a slot, stake moved, a result came in) and the sweep's pass plan them all.
   */
  dispatchNew(): void { this.runDispatch(); }

  private runDispatch(): void {
    if (this.closing) return;
    if (this.dispatching) { this.dispatchAgain = true; return; }
    this.dispatching = true;
    this.track((async () => {
      try {
        do { this.dispatchAgain = false; await this.dispatchOnce(); } while (this.dispatchAgain && !this.closing);
      } finally { this.dispatching = false; }
    })());
  }

  /** Whether the next pass plans every queued job (see dispatchNew). */
  private replanAll = true;
  /** Jobs the last passes left waiting with no prover to wait for, as planned (the index's object: a changed job is a new one). */
  private readonly idle = new Map<string, JobRecord>();

  private readonly noteAt = new Map<string, number>();
  /** A waiting job's note is rewritten when it says something new, or its figures are 5 s old (no event per sweep). */
  private noteChanged(job: JobRecord, note: string): boolean {
    const old = job.routing ?? '';
    if (old === note) return false;
    const shape = (x: string) => x.replace(/[0-9.]+/g, '#');
    const now = Date.now();
    if (shape(old) === shape(note) && now - (this.noteAt.get(job.id) ?? 0) < 5000) return false;
    this.noteAt.set(job.id, now);
    if (this.noteAt.size > 10_000) this.noteAt.delete(this.noteAt.keys().next().value as string);
    return true;
  }

  isFallback(operatorId: string): boolean { return !!this.cfg.fallbackOperatorId && operatorId === this.cfg.fallbackOperatorId; }

  /** Dispatch passes planned and skipped (no free slot) so far (tests), and the jobs those passes planned. */
  plannedPasses = 0;
  plannedJobs = 0;
  skippedPasses = 0;

  /** Whether a connected prover holds fewer leases than its slots (0 slots counts as 1, as in match.ts). */
  private anyFreeSlot(): boolean {
    for (const s of this.sessions.all()) if (!s.closed && s.active.size < Math.max(1, s.caps.slots)) return true;
    return false;
  }

  /** The planner's view of every connected prover (free stake from the operators' balances). */
  async routeProvers(nowMs: number): Promise<RouteProver[]> {
    const stakeOf = new Map<string, bigint>();
    const out: RouteProver[] = [];
    for (const s of this.sessions.all()) {
      if (s.closed) continue;
      let st = stakeOf.get(s.operatorId);
      if (st === undefined) { st = (await this.store.balances(s.operatorId)).available; stakeOf.set(s.operatorId, st); }
      out.push(this.routing.routeProver(s, st, nowMs, this.isFallback(s.operatorId)));
    }
    return out;
  }

  /**
   * A job this broker just queued itself (a submit's own transaction answered QUEUED): into the
   * queue index now, so the pass it asks for plans it without waiting for the outbox pump to read
   * its event (which follows and changes nothing).
   */
  queued(j: JobRecord): void {
    if (j.state !== 'QUEUED') { this.dispatch(); return; }
    // Without the payload, as the outbox's events carry it: the index never holds a witness.
    this.queue.apply({ seq: 0, jobId: j.id, kind: 'state', job: { ...j, inputJson: null, witness: null }, createdMs: j.updatedMs });
    this.dispatchNew();
  }

  /** The circuit from memory when its artifacts are known to be here (no await per job of a pass), else as circuit() finds it. */
  private circuitOf(id: string): CircuitRecord | null | Promise<CircuitRecord | null> {
    const c = this.circuits.get(id);
    return c && this.local.has(id) ? c : this.circuit(id);
  }

  /**
   * Plans the queue against the connected provers (route.ts), claims the assignments, writes why the others wait.
   * The queue comes from the index (queue-index.ts); a full pass (the sweep's) reads the store
   * instead and reconciles the index with it, and so does any pass while the index cannot vouch
   * for itself (at start, after a failed outbox read, more than 500 jobs queued).
   */
  private async dispatchOnce(): Promise<void> {
    const full = this.dispatchFull;
    this.dispatchFull = false;
    if (!full && !this.anyFreeSlot()) { this.skippedPasses++; return; }
    const all = full || this.replanAll;
    this.replanAll = false;
    this.plannedPasses++;
    const queued = (!full && this.queue.queued()) || await this.queue.reconcile((n) => this.store.queuedJobs(n));
    if (all) this.idle.clear();
    const now = Date.now();
    const jobs: RouteJob[] = [];
    for (const job of queued) {
      if (!all && this.idle.get(job.id) === job) continue;
      const known = this.circuitOf(job.circuitId);
      const c = known instanceof Promise ? await known : known;
      if (!c) continue;
      const challengeFor = this.challenges.isChallenge(job);
      jobs.push({ job, circuit: c, minOnTime: job.minOnTime || this.routing.cfg.defaultMinOnTime, ...(challengeFor ? { challengeFor } : {}) });
    }
    if (jobs.length === 0) return;
    this.plannedJobs += jobs.length;
    const provers = await this.routeProvers(now);
    const plan = planDispatch(jobs, provers, this.routing.predict, now,
      { policy: this.cfg.money, verifyMarginMs: this.routing.cfg.verifyMarginMs, offerStepBps: this.routing.cfg.offerStepBps });
    const byId = new Map(jobs.map((j) => [j.job.id, j]));
    // Every claim and note of the pass is asked for at once: the store commits them together
    // (group commit: SQLite one COMMIT, PostgreSQL one batched claim transaction), each still its
    // own guarded transition. The claim writes the assignment's routing note in its transaction.
    const t = Date.now();
    const work: Promise<void>[] = [];
    for (const d of plan) {
      const rj = byId.get(d.jobId)!;
      if (d.raise) {
        // Ladder step 1: the raise is recorded (a job event) before anything is done at the new offer;
        // a job that moved on, or whose offer changed meanwhile, is left to the next pass.
        if (!this.store.raiseOffer) continue;
        const raised = await this.store.raiseOffer(d.jobId, d.raise.from, d.raise.to, d.raise.note, Date.now());
        if (!raised) continue;
        this.log.info(`job ${d.jobId}: ${d.raise.note}`);
        rj.job = raised;
        this.notify();
      }
      if (d.kind === 'wait') {
        if (d.bestEta === null && !d.raise) this.idle.set(d.jobId, rj.job); else this.idle.delete(d.jobId);
        if (this.noteChanged(rj.job, d.note)) work.push(this.store.setRouting?.(d.jobId, d.note, t).then((j) => { if (j) this.notify(); }) ?? Promise.resolve());
        continue;
      }
      const s = this.sessions.get(d.proverId);
      if (!s || s.closed) continue;
      const token = newLeaseToken();
      const expires = t + this.cfg.leaseMs;
      if (tracing) traceJob(d.jobId, 'claim');
      work.push(this.store.claim(d.jobId, { proverId: s.proverId, leaseToken: token, leaseExpiresMs: expires, price: d.price, note: d.note }, t).then((r) => {
        if (tracing) traceJob(d.jobId, 'claimed');
        this.notify();
        // Claimed: it left the queue. Not queued (any more): lost to another broker or a cancel.
        if (r.outcome === 'claimed' || r.outcome === 'not_queued' || r.outcome === 'not_found' || r.outcome === 'excluded') this.queue.drop(d.jobId, r.job);
        if (r.outcome !== 'claimed' || !r.job) return;
        if (s.closed) return; // it went away while we claimed: the grace or the lease requeues it
        s.active.add(d.jobId);
        this.routing.assigned(r.job, rj.circuit, s.proverId, d.eta, t, !!rj.challengeFor);
        const j = r.job;
        this.log.info(`assigned job ${j.id} (attempt ${j.attempts}/${j.maxAttempts}) to prover ${s.proverId} at price ${j.price}: ${d.note}`);
        this.sessions.send(s, { assignment: this.assignment(j, rj.circuit, token, expires) });
        if (tracing) traceJob(d.jobId, 'sent');
      }));
    }
    await Promise.all(work);
  }
}
