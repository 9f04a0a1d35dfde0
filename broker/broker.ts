// The broker: Market (clients) and ProverHub (provers) services over one store.
//
// Moving parts:
//  - dispatch(): matches QUEUED jobs to connected provers with free slots (curve supported,
//    circuit within max_constraints, asking price within the job's max price, never a prover that
//    already returned a wrong proof for this job); cheapest price first, then reputation. The claim
//    is a guarded store write, so two brokers (or two loops) can never assign one job twice.
//  - sweep(): one timer reclaims lapsed leases (→ QUEUED, or FAILED at the attempt cap), expires
//    jobs past their deadline, and re-runs dispatch.
//  - results: proof → VERIFYING → snarkjs verify (worker thread) → DONE, or rejected: prover's
//    reputation down, job back to QUEUED excluding that prover.
//  - watchers: WatchJob subscribers get a snapshot, then every state/progress change.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as grpc from '@grpc/grpc-js';
import { CURVES, curveFromProto, curveToSnarkjs, type CurveName } from '../src/common/curves';
import { sha256Hex, SHA256_RE } from '../src/common/hash';
import type { Logger } from '../src/common/log';
import type {
  Assignment, BrokerMessage, FetchArtifactRequest__Output, JobEvent, MarketHandlers, ProverHubHandlers, ProverMessage__Output,
  RegisterProverRequest__Output, Result__Output,
} from '../src/common/proto';
import { ArtifactStore } from './artifacts';
import { circuitToProto, jobStateFromProto, jobToProto } from './convert';
import { invalid, notFound, precondition, RpcError, toStatus, alreadyExists } from './errors';
import { FormatError, readWtnsInfo } from './formats';
import { InputError, validateInputJson, WasmInputProbe } from './inputs';
import { ProgressThrottle } from './progress';
import { Registration } from './registry';
import { snarkjsProofJson, snarkjsPublicJson } from './snarkjs-json';
import type { CircuitRecord, JobRecord, ProverCaps, Store } from './store/types';
import { isTerminal } from './store/types';
import { Verifier } from './verify';

export interface BrokerConfig {
  dataDir: string;
  leaseMs: number;
  heartbeatMs: number;
  maxAttempts: number;
  sweepMs: number;
  maxArtifactBytes: number;
  /** Build each registered curve in the verifier process ahead of the first proof. */
  warmVerifier: boolean;
  log: Logger;
}

type SessionCall = grpc.ServerDuplexStream<ProverMessage__Output, BrokerMessage>;

interface ProverSession {
  proverId: string;
  name: string;
  call: SessionCall;
  caps: ProverCaps;
  reputation: number;
  /** Jobs leased to this prover that still occupy one of its slots. */
  active: Set<string>;
  closed: boolean;
  /** Set at hello: the first heartbeat re-sends leases the prover does not know about. */
  resync: boolean;
  /** Jobs acknowledged on this session (recent ones), so a heartbeat racing an ack does not repeat it. */
  acked: Set<string>;
}

type Watcher = (ev: JobEvent) => void;

const CHUNK = 1 << 20;

export class Broker {
  readonly artifacts: ArtifactStore;
  private readonly verifier = new Verifier();
  private readonly sessions = new Map<string, ProverSession>();
  private readonly watchers = new Map<string, Set<Watcher>>();
  private readonly watchCalls = new Set<grpc.ServerWritableStream<unknown, JobEvent>>();
  private readonly circuits = new Map<string, CircuitRecord>();
  private readonly vkeys = new Map<string, unknown>();
  private readonly probes = new Map<string, WasmInputProbe>();
  private readonly progressEvents = new ProgressThrottle();
  private readonly inflight = new Set<Promise<unknown>>();
  private sweepTimer: NodeJS.Timeout | null = null;
  private dispatching = false;
  private dispatchAgain = false;
  private closing = false;

  constructor(readonly store: Store, readonly cfg: BrokerConfig) {
    this.artifacts = new ArtifactStore(cfg.dataDir);
  }

  private get log(): Logger { return this.cfg.log; }

  /** Brings live jobs back after a restart, then starts the sweep timer. */
  async start(): Promise<void> {
    const live = await this.store.liveJobs();
    const counts: Record<string, number> = {};
    for (const j of live) counts[j.state] = (counts[j.state] ?? 0) + 1;
    if (live.length) this.log.info(`recovered ${live.length} live jobs: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
    for (const j of live) {
      if (j.state === 'SUBMITTED') await this.store.enqueue(j.id, Date.now());
      // A proof that was being checked when the broker stopped is checked again.
      if (j.state === 'VERIFYING') this.track(this.verifyAndFinish(j, null));
    }
    if (this.cfg.warmVerifier) {
      for (const c of await this.store.listCircuits()) this.verifier.warm(curveToSnarkjs(c.curve));
    }
    this.sweepTimer = setInterval(() => { this.track(this.sweep()); }, this.cfg.sweepMs);
    await this.sweep();
  }

  private track<T>(p: Promise<T>): void {
    const q = p.catch((e) => this.log.error(`background task failed: ${(e as Error)?.stack ?? e}`));
    this.inflight.add(q);
    void q.finally(() => this.inflight.delete(q));
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    for (const s of this.sessions.values()) { s.closed = true; try { s.call.end(); } catch { /* gone */ } }
    this.sessions.clear();
    for (const c of this.watchCalls) { try { c.end(); } catch { /* gone */ } }
    this.watchCalls.clear();
    this.watchers.clear();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.inflight]), new Promise((r) => { timer = setTimeout(r, 5000); })]);
    clearTimeout(timer);
    await this.verifier.close();
  }

  // ------------------------------------------------------------------ helpers

  private async circuit(idOrName: string): Promise<CircuitRecord | null> {
    const hit = this.circuits.get(idOrName);
    if (hit) return hit;
    const c = await this.store.getCircuit(idOrName);
    if (c) { this.circuits.set(c.id, c); }
    return c;
  }

  private artifactPath(c: CircuitRecord, kind: 'WASM' | 'ZKEY' | 'VKEY' | 'R1CS' | 'SYM'): string {
    const a = c.artifacts.find((x) => x.kind === kind);
    if (!a) throw new Error(`circuit ${c.id} has no ${kind} artifact`);
    return this.artifacts.pathOf(a.sha256);
  }

  private vkey(c: CircuitRecord): unknown {
    let v = this.vkeys.get(c.id);
    if (!v) { v = JSON.parse(fs.readFileSync(this.artifactPath(c, 'VKEY'), 'utf8')); this.vkeys.set(c.id, v); }
    return v;
  }

  private probe(c: CircuitRecord): WasmInputProbe {
    let p = this.probes.get(c.id);
    if (!p) { p = WasmInputProbe.fromFile(this.artifactPath(c, 'WASM')); this.probes.set(c.id, p); }
    return p;
  }

  private emit(job: JobRecord, kind: 'state' | 'progress'): void {
    if (isTerminal(job.state)) this.progressEvents.forget(job.id);
    const set = this.watchers.get(job.id);
    if (!set) return;
    const ev: JobEvent = { job: jobToProto(job), kind };
    for (const w of [...set]) w(ev);
  }

  /** A progress event for watchers, throttled (see progress.ts); the store has the latest either way. */
  private emitProgress(job: JobRecord, nowMs: number): void {
    if (this.progressEvents.shouldEmit(job.id, job.attempts, job.stage, job.progress, nowMs)) this.emit(job, 'progress');
  }

  private ack(s: ProverSession, jobId: string, status: 'accepted' | 'rejected' | 'stale' | 'recorded', message: string): void {
    s.acked.add(jobId);
    if (s.acked.size > 1000) s.acked.delete(s.acked.values().next().value as string);
    this.send(s, { ack: { jobId, status, message } });
  }

  private send(s: ProverSession, m: BrokerMessage): void {
    if (s.closed) return;
    try { s.call.write(m); } catch (e) { this.log.warn(`write to prover ${s.proverId} failed: ${(e as Error).message}`); }
  }

  /** Tells the prover holding a job (if connected) to stop, and frees its slot. */
  private revoke(prev: JobRecord, reason: 'cancelled' | 'expired' | 'lease_lost'): void {
    if (!prev.proverId || !prev.leaseToken) return;
    const s = this.sessions.get(prev.proverId);
    if (!s) return;
    s.active.delete(prev.id);
    this.send(s, { cancel: { jobId: prev.id, leaseToken: prev.leaseToken, reason } });
  }

  // ------------------------------------------------------------------ matching

  dispatch(): void {
    if (this.closing) return;
    if (this.dispatching) { this.dispatchAgain = true; return; }
    this.dispatching = true;
    this.track((async () => {
      try {
        do { this.dispatchAgain = false; await this.dispatchOnce(); } while (this.dispatchAgain && !this.closing);
      } finally { this.dispatching = false; }
    })());
  }

  private freeSessions(): ProverSession[] {
    return [...this.sessions.values()].filter((s) => !s.closed && s.active.size < Math.max(1, s.caps.slots));
  }

  private async dispatchOnce(): Promise<void> {
    if (this.freeSessions().length === 0) return;
    const queued = await this.store.queuedJobs(500);
    for (const job of queued) {
      const free = this.freeSessions();
      if (free.length === 0) return;
      const c = await this.circuit(job.circuitId);
      if (!c) continue;
      const cands = free.filter((s) =>
        s.caps.curves.includes(c.curve)
        && (s.caps.maxConstraints === 0 || c.constraints <= s.caps.maxConstraints)
        && (job.maxPrice === 0 || s.caps.price <= job.maxPrice)
        && !job.excluded.includes(s.proverId));
      if (cands.length === 0) continue;
      // The prover whose lease on this job just lapsed goes last (it may be hung), then
      // cheapest asking price, then reputation, then the least loaded.
      const lapsedOn = (s: ProverSession) => (job.attempts > 0 && s.proverId === job.proverId ? 1 : 0);
      cands.sort((a, b) => (lapsedOn(a) - lapsedOn(b)) || (a.caps.price - b.caps.price) || (b.reputation - a.reputation)
        || (a.active.size / a.caps.slots - b.active.size / b.caps.slots));
      const s = cands[0];
      const now = Date.now();
      const token = crypto.randomUUID();
      const expires = now + this.cfg.leaseMs;
      const r = await this.store.claim(job.id, s.proverId, token, expires, now);
      if (r.outcome !== 'claimed' || !r.job) continue;
      if (s.closed) continue; // it went away while we claimed: the lease will lapse and requeue
      s.active.add(job.id);
      const j = r.job;
      this.log.info(`assigned job ${j.id} (attempt ${j.attempts}/${j.maxAttempts}) to prover ${s.proverId}, lease until ${new Date(expires).toISOString()}`);
      this.send(s, { assignment: this.assignment(j, c, token, expires) });
      this.emit(j, 'state');
    }
  }

  /** Lapsed leases and deadlines; then new matches. */
  private async sweep(): Promise<void> {
    if (this.closing) return;
    const now = Date.now();
    const lapsed = await this.store.reclaimLapsed(now);
    for (const p of lapsed.previous) {
      this.log.warn(`lease of prover ${p.proverId} on job ${p.id} lapsed`);
      this.revoke(p, 'lease_lost');
    }
    for (const j of [...lapsed.requeued, ...lapsed.failed]) this.emit(j, 'state');
    const ex = await this.store.expireOverdue(now);
    for (const p of ex.previous) this.revoke(p, 'expired');
    for (const j of ex.expired) { this.log.info(`job ${j.id} expired`); this.emit(j, 'state'); }
    this.dispatch();
  }

  // ------------------------------------------------------------------ results

  private async verifyAndFinish(job: JobRecord, sender: ProverSession | null): Promise<void> {
    const c = await this.circuit(job.circuitId);
    if (!c) throw new Error(`job ${job.id} refers to unknown circuit ${job.circuitId}`);
    let v = await this.verifier.verify(this.vkey(c), job.proofJson, job.publicJson, c.nPublic);
    // A verifier process that died is restarted once; only a shutdown leaves the job VERIFYING.
    if (!v.ok && v.reason.startsWith('verifier unavailable') && !this.closing) {
      this.log.warn(`job ${job.id}: ${v.reason}; retrying with a fresh verifier`);
      v = await this.verifier.verify(this.vkey(c), job.proofJson, job.publicJson, c.nPublic);
    }
    if (!v.ok && v.reason.startsWith('verifier unavailable')) {
      // The check did not run (broker shutting down): the job stays VERIFYING and is checked on restart.
      this.log.warn(`job ${job.id}: ${v.reason}`);
      return;
    }
    const now = Date.now();
    // Ack on the prover's current session: it may have reconnected while its proof was checked.
    const s = this.sessions.get(job.proverId) ?? sender;
    if (v.ok) {
      const r = await this.store.complete(job.id, job.leaseToken, now);
      if (r.outcome === 'ok' && r.job) {
        await this.store.recordVerdict(job.proverId, true);
        if (s) s.reputation += 1;
        this.log.info(`job ${job.id} DONE (prover ${job.proverId}, ${job.backend}, ${job.proveMs} ms)`);
        if (s) this.ack(s, job.id, 'accepted', 'proof verified');
        this.emit(r.job, 'state');
      } else if (s) {
        this.send(s, { ack: { jobId: job.id, status: 'stale', message: 'the job was cancelled or expired while its proof was checked' } });
      }
      return;
    }
    const reason = `prover ${job.proverId} returned a proof that failed verification (${v.reason})`;
    const r = await this.store.reject(job.id, job.leaseToken, reason, now);
    if (r.outcome === 'stale' || r.outcome === 'not_found') {
      if (s) this.send(s, { ack: { jobId: job.id, status: 'stale', message: 'the job was cancelled or expired while its proof was checked' } });
      return;
    }
    await this.store.recordVerdict(job.proverId, false);
    if (s) s.reputation -= 10;
    this.log.warn(`job ${job.id}: ${reason}; ${r.outcome === 'failed' ? 'attempts exhausted, job FAILED' : 'requeued'}`);
    if (s) this.send(s, { ack: { jobId: job.id, status: 'rejected', message: `proof failed verification: ${v.reason}` } });
    if (r.job) this.emit(r.job, 'state');
    this.dispatch();
  }

  private async onResult(s: ProverSession, res: Result__Output): Promise<void> {
    const now = Date.now();
    const job = await this.store.getJob(res.jobId);
    if (job && job.state === 'DONE' && job.leaseToken === res.leaseToken && job.proverId === s.proverId && res.leaseToken) {
      // A result re-sent after a reconnect, already verified: acknowledge it again.
      s.active.delete(job.id);
      this.ack(s, job.id, 'accepted', 'proof already verified');
      return;
    }
    if (job && job.state === 'VERIFYING' && job.leaseToken === res.leaseToken && job.proverId === s.proverId && res.leaseToken) {
      return; // the same result again while its proof is being checked: the verdict's ack will follow
    }
    if (!job || job.leaseToken !== res.leaseToken || job.proverId !== s.proverId || !res.leaseToken) {
      s.active.delete(res.jobId);
      this.send(s, { ack: { jobId: res.jobId, status: 'stale', message: 'lease lost: another prover owns this job now, or it ended' } });
      return;
    }
    if (res.outcome === 'error' || !res.proof) {
      const msg = res.error || 'prover returned neither a proof nor an error';
      const r = await this.store.release(job.id, res.leaseToken, `prover ${s.proverId}: ${msg}`, res.retryable, now);
      s.active.delete(job.id);
      if (r.outcome === 'stale' || r.outcome === 'not_found') {
        this.send(s, { ack: { jobId: job.id, status: 'stale', message: 'lease lost' } });
      } else {
        this.log.warn(`job ${job.id}: prover ${s.proverId} failed (${res.retryable ? 'retryable' : 'final'}): ${msg}`);
        this.send(s, { ack: { jobId: job.id, status: 'recorded', message: r.outcome === 'failed' ? 'job FAILED' : 'job requeued' } });
        if (r.job) this.emit(r.job, 'state');
      }
      this.dispatch();
      return;
    }
    const { proofJson, publicJson } = await this.snarkjsLayout(job, res.proof.proofJson, res.proof.publicJson);
    const r = await this.store.beginVerify(job.id, res.leaseToken, proofJson, publicJson,
      res.backend || 'unknown', Number(res.proveMs) || 0, now);
    s.active.delete(job.id); // the prover is done with it either way: its slot is free
    if (r.outcome !== 'ok' || !r.job) {
      this.send(s, { ack: { jobId: job.id, status: 'stale', message: 'lease lost' } });
      this.dispatch();
      return;
    }
    this.emit(r.job, 'state');
    this.dispatch();
    // Not awaited: the session's later messages (heartbeats for its next job) must not queue
    // behind a pairing check, or their leases could lapse meanwhile.
    this.track(this.verifyAndFinish(r.job, s));
  }

  /** A prover's proof/public JSON in snarkjs's exact layout (what the client gets); unparsable text is kept for the verifier to refuse. */
  private async snarkjsLayout(job: JobRecord, proofJson: string, publicJson: string): Promise<{ proofJson: string; publicJson: string }> {
    const c = await this.circuit(job.circuitId);
    return {
      proofJson: (c && snarkjsProofJson(proofJson, c.curve)) ?? proofJson,
      publicJson: snarkjsPublicJson(publicJson) ?? publicJson,
    };
  }

  private async onHeartbeat(s: ProverSession, tokens: string[]): Promise<void> {
    const now = Date.now();
    for (const t of tokens) {
      const job = await this.store.getJobByLeaseToken(t);
      const mine = !!job && job.proverId === s.proverId && job.leaseToken === t;
      // A result whose proof is being checked: nothing to extend, nothing to cancel.
      if (mine && job!.state === 'VERIFYING') continue;
      // A result that verified but whose ack was lost (e.g. the broker restarted): ack it now.
      if (mine && job!.state === 'DONE') {
        s.active.delete(job!.id);
        if (!s.acked.has(job!.id)) this.ack(s, job!.id, 'accepted', 'proof verified');
        continue;
      }
      const ok = mine && (await this.store.heartbeat(job!.id, t, now + this.cfg.leaseMs, now)).outcome === 'ok';
      if (!ok) {
        if (job) s.active.delete(job.id);
        this.send(s, { cancel: { jobId: job?.id ?? '', leaseToken: t, reason: 'lease_lost' } });
      } else if (!s.active.has(job!.id)) s.active.add(job!.id);
    }
    if (s.resync) {
      // First heartbeat after hello: a lease the prover does not mention was assigned while it was
      // away (or the assignment was lost with a broker crash). Send it again rather than let it lapse.
      s.resync = false;
      const held = new Set(tokens);
      for (const j of await this.store.leasedTo(s.proverId)) {
        if (held.has(j.leaseToken)) continue;
        const c = await this.circuit(j.circuitId);
        if (!c) continue;
        this.log.info(`re-sending assignment of job ${j.id} to reconnected prover ${s.proverId}`);
        s.active.add(j.id);
        this.send(s, { assignment: this.assignment(j, c, j.leaseToken, j.leaseExpiresMs) });
      }
    }
  }

  private assignment(j: JobRecord, c: CircuitRecord, token: string, expires: number): Assignment {
    return {
      jobId: j.id, leaseToken: token, leaseExpiresMs: String(expires), circuit: circuitToProto(c),
      ...(j.witness ? { witness: j.witness } : { inputJson: j.inputJson ?? '{}' }),
      deadlineMs: String(j.deadlineMs), attempt: j.attempts,
    };
  }

  private async onProverMessage(state: { s: ProverSession | null }, call: SessionCall, m: ProverMessage__Output): Promise<void> {
    if (m.hello) {
      if (state.s) throw invalid('Session: hello sent twice');
      const p = await this.store.getProver(m.hello.proverId);
      if (!p) throw notFound(`unknown prover id "${m.hello.proverId}": call Register first`);
      const old = this.sessions.get(p.id);
      if (old) { old.closed = true; try { old.call.end(); } catch { /* gone */ } }
      const leased = await this.store.leasedTo(p.id);
      const s: ProverSession = {
        proverId: p.id, name: p.name, call, caps: p.caps, reputation: p.reputation,
        active: new Set(leased.map((j) => j.id)), closed: false, resync: leased.length > 0, acked: new Set(),
      };
      state.s = s;
      this.sessions.set(p.id, s);
      this.log.info(`prover ${p.id} (${p.name}) connected: ${p.caps.curves.join('+')}, ${p.caps.slots} slot(s)${leased.length ? `, still holds ${leased.length} lease(s)` : ''}`);
      this.dispatch();
      return;
    }
    const s = state.s;
    if (!s) throw precondition('Session: the first message must be hello with the prover id');
    if (m.heartbeat) await this.onHeartbeat(s, m.heartbeat.leaseTokens);
    else if (m.progress) {
      const p = m.progress; const now = Date.now();
      const r = await this.store.progress(p.jobId, p.leaseToken, p.fraction, p.stage, now + this.cfg.leaseMs, now);
      if (r.outcome === 'ok' && r.job) this.emitProgress(r.job, now);
      else { s.active.delete(p.jobId); this.send(s, { cancel: { jobId: p.jobId, leaseToken: p.leaseToken, reason: 'lease_lost' } }); }
    } else if (m.result) await this.onResult(s, m.result);
  }

  // ------------------------------------------------------------------ services

  proverHub(): ProverHubHandlers {
    return {
      Register: (call, cb) => {
        this.register(call.request).then((r) => cb(null, r), (e) => cb(toStatus(e)));
      },
      Session: (call) => {
        const state: { s: ProverSession | null } = { s: null };
        let chain: Promise<void> = Promise.resolve();
        let ended = false;
        const cleanup = () => {
          if (ended) return;
          ended = true;
          const s = state.s;
          if (s) {
            s.closed = true;
            if (this.sessions.get(s.proverId) === s) this.sessions.delete(s.proverId);
            this.log.info(`prover ${s.proverId} disconnected${s.active.size ? ` holding ${s.active.size} lease(s) (kept until they lapse)` : ''}`);
          }
        };
        call.on('data', (m: ProverMessage__Output) => {
          // Messages are handled strictly in order.
          chain = chain.then(() => this.onProverMessage(state, call, m)).catch((e) => {
            const st = toStatus(e);
            this.log.warn(`prover session error: ${st.details}`);
            cleanup();
            try { call.emit('error', st); } catch { /* already closed */ }
          });
          this.track(chain);
        });
        call.on('end', () => { cleanup(); try { call.end(); } catch { /* closed */ } });
        call.on('error', cleanup);
        call.on('cancelled', cleanup);
        call.on('close', cleanup);
      },
      FetchArtifact: (call) => { this.track(this.fetchArtifact(call)); },
    };
  }

  private async register(req: RegisterProverRequest__Output) {
    const key = req.proverKey?.trim();
    if (!key) throw invalid('prover_key is required (a stable identity such as hostname + data dir)');
    if (key.length > 256) throw invalid('prover_key is longer than 256 characters');
    const c = req.capabilities;
    if (!c) throw invalid('capabilities are required');
    const curves: CurveName[] = [];
    for (const pc of c.curves) {
      const cv = curveFromProto(pc);
      if (!cv) throw invalid(`capabilities.curves: ${pc} is not a supported curve`);
      if (!curves.includes(cv)) curves.push(cv);
    }
    if (curves.length === 0) throw invalid('capabilities.curves is empty: a prover must support at least one curve');
    const caps: ProverCaps = {
      curves, backends: c.backends, maxConstraints: Number(c.maxConstraints) || 0, slots: Math.max(1, c.slots || 1),
      price: Number(c.price) || 0,
      devices: c.devices.map((d) => ({ name: d.name, memoryBytes: String(d.memoryBytes), backend: d.backend })),
      bench: c.bench.map((b) => ({ curve: curveFromProto(b.curve), backend: b.backend, log2Constraints: b.log2Constraints, proveMs: b.proveMs })),
    };
    const p = await this.store.upsertProver(key, req.name || key, caps, Date.now());
    this.log.info(`prover registered: ${p.id} "${p.name}" curves=${curves.join(',')} backends=${caps.backends.join(',')} slots=${caps.slots}`);
    return { proverId: p.id, heartbeatMs: this.cfg.heartbeatMs, leaseMs: this.cfg.leaseMs };
  }

  private async fetchArtifact(call: grpc.ServerWritableStream<FetchArtifactRequest__Output, { offset: string; data: Buffer; size: string }>): Promise<void> {
    const sha = String(call.request.sha256 ?? '').toLowerCase();
    try {
      if (!SHA256_RE.test(sha)) throw invalid(`"${call.request.sha256}" is not a lowercase hex SHA-256`);
      const size = this.artifacts.sizeOf(sha);
      if (size === null) throw notFound(`no artifact with sha256 ${sha} on this broker`);
      const start = Number(call.request.offset) || 0;
      if (start > size) throw invalid(`offset ${start} is beyond the artifact's ${size} bytes`);
      let cancelled = false;
      call.on('cancelled', () => { cancelled = true; });
      const fd = await fs.promises.open(this.artifacts.pathOf(sha), 'r');
      try {
        let off = start;
        if (size === 0 || start === size) call.write({ offset: String(off), data: Buffer.alloc(0), size: String(size) });
        while (off < size && !cancelled) {
          const buf = Buffer.alloc(Math.min(CHUNK, size - off));
          const { bytesRead } = await fd.read(buf, 0, buf.length, off);
          if (bytesRead <= 0) throw new Error(`short read of artifact ${sha} at ${off}`);
          const ok = call.write({ offset: String(off), data: buf.subarray(0, bytesRead), size: String(size) });
          off += bytesRead;
          if (!ok && !cancelled) {
            await new Promise<void>((r) => {
              const go = () => { call.off('drain', go); call.off('cancelled', go); r(); };
              call.on('drain', go); call.on('cancelled', go);
            });
          }
        }
      } finally { await fd.close(); }
      if (!cancelled) call.end();
    } catch (e) {
      call.emit('error', toStatus(e));
    }
  }

  market(): MarketHandlers {
    const unary = <Req, Res>(fn: (req: Req) => Promise<Res>) =>
      (call: grpc.ServerUnaryCall<Req, Res>, cb: grpc.sendUnaryData<Res>) => {
        fn(call.request).then((r) => cb(null, r), (e) => cb(toStatus(e)));
      };
    return {
      RegisterCircuit: (call, cb) => {
        const reg = new Registration(this.store, this.artifacts, { maxArtifactBytes: this.cfg.maxArtifactBytes }, this.log);
        let failed = false;
        const fail = (e: unknown) => {
          if (failed) return;
          failed = true; reg.abort(); cb(toStatus(e));
        };
        call.on('data', (m) => { if (failed) return; try { reg.onMessage(m); } catch (e) { fail(e); } });
        call.on('end', () => {
          if (failed) return;
          reg.finish(Date.now()).then((c) => {
            this.circuits.set(c.id, c);
            if (this.cfg.warmVerifier) this.verifier.warm(curveToSnarkjs(c.curve));
            cb(null, circuitToProto(c));
          }, fail);
        });
        call.on('cancelled', () => { failed = true; reg.abort(); });
        call.on('error', () => { failed = true; reg.abort(); });
      },
      GetCircuit: unary(async (req) => {
        const c = await this.circuit(req.circuit);
        if (!c) throw notFound(`unknown circuit "${req.circuit}" (list them with ListCircuits)`);
        return circuitToProto(c);
      }),
      ListCircuits: unary(async () => ({ circuits: (await this.store.listCircuits()).map(circuitToProto) })),
      SubmitJob: unary(async (req) => jobToProto(await this.submit(req))),
      GetJob: unary(async (req) => {
        const j = await this.store.getJob(req.jobId);
        if (!j) throw notFound(`unknown job "${req.jobId}"`);
        return jobToProto(j);
      }),
      ListJobs: unary(async (req) => {
        let state = null;
        if (req.state && req.state !== 'JOB_STATE_UNSPECIFIED') {
          state = jobStateFromProto(req.state);
          if (!state) throw invalid(`unknown job state ${req.state}`);
        }
        let circuitId: string | undefined;
        if (req.circuit) {
          const c = await this.circuit(req.circuit);
          if (!c) throw notFound(`unknown circuit "${req.circuit}"`);
          circuitId = c.id;
        }
        if (req.limit > 1000) throw invalid(`limit ${req.limit} is above the maximum of 1000`);
        const jobs = await this.store.listJobs({ state: state ?? undefined, circuitId, limit: req.limit || 100 });
        return { jobs: jobs.map(jobToProto) };
      }),
      CancelJob: unary(async (req) => {
        const r = await this.store.cancel(req.jobId, 'cancelled by the client', Date.now());
        if (r.outcome === 'not_found') throw notFound(`unknown job "${req.jobId}"`);
        if (r.outcome === 'terminal') throw precondition(`job ${req.jobId} is already ${r.job!.state} and cannot be cancelled`);
        if (r.previous) this.revoke(r.previous, 'cancelled');
        this.log.info(`job ${req.jobId} cancelled by the client (was ${r.previous?.state})`);
        this.emit(r.job!, 'state');
        this.dispatch();
        return jobToProto(r.job!);
      }),
      WatchJob: (call) => { this.track(this.watch(call)); },
      Verify: unary(async (req) => this.verifyForClient(req.circuit, req.proofJson, req.publicJson)),
      GetVerificationKey: unary(async (req) => {
        const c = await this.circuit(req.circuit);
        if (!c) throw notFound(`unknown circuit "${req.circuit}" (list them with ListCircuits)`);
        return { circuitId: c.id, vkeyJson: fs.readFileSync(this.artifactPath(c, 'VKEY'), 'utf8') };
      }),
    };
  }

  /** The Verify RPC: a client's proof against a registered circuit's vkey; an invalid proof is a verdict, not an error. */
  private async verifyForClient(circuit: string, proofJson: string, publicJson: string): Promise<{ valid: boolean; reason: string }> {
    const c = await this.circuit(circuit);
    if (!c) throw notFound(`unknown circuit "${circuit}" (list them with ListCircuits)`);
    if (!proofJson || !publicJson) throw invalid('proof_json and public_json are both required');
    const v = await this.verifier.verify(this.vkey(c), proofJson, publicJson, c.nPublic);
    if (!v.ok && v.reason.startsWith('verifier unavailable')) throw new RpcError(grpc.status.UNAVAILABLE, `${v.reason}; retry`);
    return { valid: v.ok, reason: v.ok ? '' : v.reason };
  }

  private async submit(req: import('../src/common/proto').SubmitJobRequest__Output): Promise<JobRecord> {
    let requestId = req.requestId ?? '';
    if (requestId.length > 128) throw invalid('request_id is longer than 128 characters');
    if (!requestId) requestId = `auto-${crypto.randomUUID()}`;
    if (!req.circuit) throw invalid('circuit (id or name) is required');
    const c = await this.circuit(req.circuit);
    if (!c) throw notFound(`unknown circuit "${req.circuit}": register it first (proofmarket circuit add)`);
    const now = Date.now();
    const deadline = Number(req.deadlineMs) || 0;
    if (deadline !== 0 && deadline <= now) throw invalid(`deadline_ms ${deadline} is already in the past (now ${now})`);
    let inputJson: string | null = null; let witness: Buffer | null = null;
    if (req.payload === 'witness' && req.witness) {
      witness = Buffer.from(req.witness);
      try {
        const w = readWtnsInfo(witness);
        if (w.prime !== CURVES[c.curve].r) throw invalid(`witness is over a different field than circuit ${c.name} (${CURVES[c.curve].label})`);
        if (w.nWitness !== c.nVars) throw invalid(`witness has ${w.nWitness} values, circuit ${c.name} needs ${c.nVars}: it is for another circuit`);
      } catch (e) { if (e instanceof FormatError) throw invalid(e.message); throw e; }
    } else if (req.payload === 'inputJson' || req.inputJson) {
      if (!c.artifacts.some((a) => a.kind === 'WASM')) {
        throw precondition(`circuit ${c.name} was registered without a wasm: submit a witness (.wtns), or register the circuit with its wasm`);
      }
      inputJson = this.normalisedInput(c, req.inputJson ?? '');
    } else {
      throw invalid('either input_json or witness is required');
    }
    // The idempotency hash is of what the client sent; the provers get the normalised input.
    const payloadSha256 = sha256Hex(witness ?? req.inputJson ?? '');
    const r = await this.store.submit({
      id: 'j_' + crypto.randomBytes(8).toString('hex'), requestId, circuitId: c.id, inputJson, witness, payloadSha256,
      maxAttempts: this.cfg.maxAttempts, deadlineMs: deadline, maxPrice: Number(req.maxPrice) || 0, nowMs: now,
    });
    if (r.outcome === 'conflict') throw alreadyExists(`request_id "${requestId}" was already used for job ${r.job!.id} with a different circuit or payload`);
    if (r.outcome === 'existing') return r.job!;
    const q = await this.store.enqueue(r.job!.id, Date.now());
    const job = q.job ?? r.job!;
    this.log.info(`job ${job.id} submitted for circuit ${c.name}`);
    this.emit(job, 'state');
    this.dispatch();
    return job;
  }

  /** Checks input_json against the circuit; returns the normalised JSON (see inputs.ts) or throws INVALID_ARGUMENT. */
  private normalisedInput(c: CircuitRecord, inputJson: string): string {
    try { return validateInputJson(inputJson, c.curve, { spec: c.inputs, probe: () => this.probe(c) }); } catch (e) {
      if (e instanceof InputError) throw invalid(e.message);
      throw e;
    }
  }

  private async watch(call: grpc.ServerWritableStream<{ jobId: string }, JobEvent>): Promise<void> {
    const id = call.request.jobId;
    let done = false;
    let ready = false;
    const early: JobEvent[] = [];
    const finish = () => {
      if (done) return;
      done = true;
      const set = this.watchers.get(id);
      if (set) { set.delete(w); if (set.size === 0) this.watchers.delete(id); }
      this.watchCalls.delete(call as grpc.ServerWritableStream<unknown, JobEvent>);
    };
    const deliver = (ev: JobEvent) => {
      if (done) return;
      call.write(ev);
      const st = jobStateFromProto(String(ev.job?.state));
      if (st && isTerminal(st)) { finish(); call.end(); }
    };
    const w: Watcher = (ev) => { if (ready) deliver(ev); else early.push(ev); };
    // Subscribe before reading the snapshot so no change falls in between.
    if (!this.watchers.has(id)) this.watchers.set(id, new Set());
    this.watchers.get(id)!.add(w);
    this.watchCalls.add(call as grpc.ServerWritableStream<unknown, JobEvent>);
    call.on('cancelled', finish);
    call.on('close', finish);
    try {
      const j = await this.store.getJob(id);
      if (!j) throw notFound(`unknown job "${id}"`);
      deliver({ job: jobToProto(j), kind: 'snapshot' });
      ready = true;
      for (const ev of early) if (Number(ev.job?.updatedMs) >= j.updatedMs) deliver(ev);
    } catch (e) {
      finish();
      call.emit('error', toStatus(e));
    }
  }
}

export { RpcError };
