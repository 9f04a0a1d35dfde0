// The broker's routing state around the pure planner (route.ts) and model (model.ts): latency
// samples (loaded from and written to the store), each prover's standing (admitting / active /
// demoted / suspended), the ETA quoted at each assignment (to notice provers that miss it), the
// session-drop grace, and quotes.
import type { Logger } from '../src/common/log';
import { LatencyModel, etaOf, type Eta, type LatencySample, type Prediction } from './model';
import { eligibility } from './match';
import { slotsFreeAt, type RouteProver, type RouteState } from './route';
import type { ProverSession } from './sessions';
import type { CircuitRecord, JobRecord, MoneyPolicy, ProverRecord, ProverRoutingRecord, Store } from './store/types';

export interface RoutingConfig {
  /** Target P(on time) for jobs that do not name one (0..1). */
  defaultMinOnTime: number;
  /** ms a disconnected prover's leases are kept before they are requeued. */
  graceMs: number;
  /** Consecutive late results (past the quoted p90) before a prover is demoted, and suspended. */
  demoteAfter: number;
  suspendAfter: number;
  /**
   * Kept before the deadline (ms) for what the latency samples do not cover: they run from
   * assignment to DONE (verification and the statement check included), so only the dispatch
   * (submit → assignment) is left. It was 250 ms when samples ended at the result: counting the
   * verification twice made every tight quote too cautious (bench:routing).
   */
  verifyMarginMs: number;
  /** Challenge proofs a new prover must pass before paid work (0 = admission off). */
  admissionChallenges: number;
  /** With admission on: one more challenge per admitted prover after this long without one (ms; 0 = never). */
  recheckMs: number;
  /** One step of an offer raise (ladder step 1), in basis points of the job's max price. */
  offerStepBps: number;
  /** Calibration sizes per curve challenges use (the smallest N; 0 = all there are). */
  calibrationSizes: number;
}

export const DEFAULT_ROUTING: RoutingConfig = {
  defaultMinOnTime: 0.9, graceMs: 3000, demoteAfter: 3, suspendAfter: 6, verifyMarginMs: 50, admissionChallenges: 0, recheckMs: 600_000,
  offerStepBps: 1000, calibrationSizes: 0,
};

interface Quoted {
  proverId: string; assignedMs: number; p90Ms: number; curve: string; constraints: number; challenge: boolean;
  deadlineMs: number; flagged: boolean;
  /** The client was told it is at risk by the progress/model check (sweep.ts moveAtRisk). */
  warned?: boolean;
  /** When its proof arrived (then only verification is pending). */
  resultMs?: number;
}

export class Routing {
  readonly model = new LatencyModel();
  private readonly standing = new Map<string, ProverRoutingRecord>();
  private readonly quoted = new Map<string, Quoted>();
  private readonly graceTimers = new Set<NodeJS.Timeout>();

  constructor(private readonly store: Store, readonly cfg: RoutingConfig, private readonly log: Logger) {}

  async load(): Promise<void> {
    if (!this.store.latencySamples) return;
    for (const s of await this.store.latencySamples(200)) this.model.add(s);
  }

  private closed = false;

  close(): void { this.closed = true; for (const t of this.graceTimers) clearTimeout(t); this.graceTimers.clear(); }

  predict = (proverId: string, curve: string, constraints: number): Prediction => this.model.predict(proverId, curve, constraints);

  /** At hello: the prover's standing (new provers start admitting when admission is on) and its bench prior. */
  async onHello(p: ProverRecord, nowMs: number, trusted = false): Promise<ProverRoutingRecord> {
    let r = this.standing.get(p.id) ?? (await this.store.getProverRouting?.(p.id)) ?? null;
    if (!r) {
      r = { proverId: p.id, state: this.cfg.admissionChallenges > 0 && !trusted ? 'admitting' : 'active', challengesPassed: 0, challengesFailed: 0, missedEta: 0, updatedMs: nowMs };
      await this.save(r);
    }
    if (r.state === 'admitting' && this.cfg.admissionChallenges === 0) { r.state = 'active'; await this.save(r); }
    this.standing.set(p.id, r);
    for (const curve of p.caps.curves) {
      const pts = p.caps.bench.filter((x) => x.curve === curve && x.proveMs > 0).map((x) => ({ constraints: 2 ** x.log2Constraints, ms: x.proveMs }));
      if (pts.length) this.model.setPrior(p.id, curve, pts, nowMs);
    }
    return r;
  }

  stateOf(proverId: string): RouteState { return this.standing.get(proverId)?.state ?? 'active'; }
  standingOf(proverId: string): ProverRoutingRecord | null { return this.standing.get(proverId) ?? null; }

  private async save(r: ProverRoutingRecord): Promise<void> {
    this.standing.set(r.proverId, r);
    await this.store.putProverRouting?.(r);
  }

  /** The planner's view of a connected prover. */
  routeProver(s: ProverSession, freeStake: bigint, nowMs: number, fallback: boolean): RouteProver {
    // `running` (one entry per lease) is built only if the planner reads it: a prover with many
    // slots and thousands of leases made every dispatch pass walk them all.
    let running: RouteProver['running'] | null = null;
    const build = (): RouteProver['running'] => {
      const out: RouteProver['running'] = [];
      for (const id of s.active) {
        const q = this.quoted.get(id);
        if (q) out.push({ curve: q.curve, constraints: q.constraints, elapsedMs: nowMs - q.assignedMs });
        else out.push({ curve: s.caps.curves[0], constraints: 1 << 12, elapsedMs: 0 });
      }
      return out;
    };
    const p: RouteProver = {
      proverId: s.proverId, operatorId: s.operatorId, name: s.name, curves: s.caps.curves, maxConstraints: s.caps.maxConstraints, price: BigInt(s.caps.price),
      pricePerMConstraints: BigInt(s.caps.pricePerMConstraints), reputation: s.reputation, slots: s.caps.slots, freeStake,
      memoryBytes: Math.max(0, ...s.caps.devices.map((d) => Number(d.memoryBytes) || 0)),
      c2: s.caps.c2 ? { sectorSizes: s.caps.c2.sectorSizes, memoryBytes: s.caps.c2.memoryBytes, price: BigInt(s.caps.c2.price) } : null,
      state: this.stateOf(s.proverId), fallback, running: [], leases: s.active.size,
    };
    Object.defineProperty(p, 'running', { enumerable: false, get: () => (running ??= build()) });
    return p;
  }

  /** An assignment was made: remember the ETA it was made on. */
  assigned(job: JobRecord, c: CircuitRecord, proverId: string, eta: Eta, nowMs: number, challenge: boolean): void {
    this.quoted.set(job.id, {
      proverId, assignedMs: nowMs, p90Ms: eta.p90Ms - eta.queueMs, curve: c.curve, constraints: c.constraints, challenge,
      deadlineMs: job.deadlineMs, flagged: false,
    });
  }

  forget(jobId: string): void { this.quoted.delete(jobId); }

  /**
   * Leased paid jobs with a deadline worth an at-risk check (route.ts leaseAtRisk) now: no result
   * yet, not warned already, and run for at least half their predicted median (before that
   * nothing says they are slow). Returns (job id, prover, ms run).
   */
  leaseCandidates(nowMs: number): { jobId: string; proverId: string; elapsedMs: number }[] {
    const out: { jobId: string; proverId: string; elapsedMs: number }[] = [];
    for (const [id, q] of this.quoted) {
      if (q.challenge || q.resultMs || q.warned || q.deadlineMs <= nowMs) continue;
      const elapsed = nowMs - q.assignedMs;
      if (elapsed < 0.5 * this.predict(q.proverId, q.curve, q.constraints).medianMs) continue;
      out.push({ jobId: id, proverId: q.proverId, elapsedMs: elapsed });
    }
    return out;
  }

  /** The client was told the leased job is at risk (one warning per lease; the p90 note is then redundant). */
  warned(jobId: string): void { const q = this.quoted.get(jobId); if (q) { q.warned = true; q.flagged = true; } }

  /**
   * A lease was moved off a slow prover. The model update is its only consequence (no missed ETA
   * is counted, no reputation, no slash): a censored sample — the job took at least the time it ran
   * (never an extrapolation), and no less than the model's median (it was moved because the model
   * expected it late) — so the prover is not chosen again at once on the speed that failed. This
   * also turns an unmeasured prover's bench claim into a measurement of what it did.
   */
  async moved(jobId: string, nowMs: number): Promise<void> {
    const q = this.quoted.get(jobId);
    this.quoted.delete(jobId);
    if (!q) return;
    const ran = nowMs - q.assignedMs;
    const ms = Math.max(ran, this.predict(q.proverId, q.curve, q.constraints).medianMs);
    await this.sample({ proverId: q.proverId, curve: q.curve, constraints: q.constraints, ms, kind: 'job', createdMs: nowMs });
  }

  /**
   * Leased jobs whose prover is past the p90 ETA it was assigned on while their deadline is still
   * ahead: each gets one routing note (a job event) saying it is at risk, so the client hears it
   * before the deadline rather than at it. Returns the jobs noted.
   */
  async flagAtRisk(nowMs: number, nameOf: (proverId: string) => string): Promise<string[]> {
    const out: string[] = [];
    for (const [id, q] of this.quoted) {
      // An assignment a day old that never reported back (its end went unseen): forget it.
      if (nowMs - q.assignedMs > 86_400_000) { this.quoted.delete(id); continue; }
      if (q.flagged || q.challenge || q.resultMs || q.deadlineMs <= 0 || nowMs <= q.assignedMs + q.p90Ms || nowMs >= q.deadlineMs) continue;
      q.flagged = true;
      const note = `at risk: prover ${nameOf(q.proverId)} is past the ETA it was given (p90 ${(q.p90Ms / 1000).toFixed(1)} s, `
        + `running ${((nowMs - q.assignedMs) / 1000).toFixed(1)} s) with ${((q.deadlineMs - nowMs) / 1000).toFixed(1)} s to the deadline`;
      if (await this.store.setRouting?.(id, note, nowMs)) out.push(id);
    }
    return out;
  }

  /**
   * A result arrived for a job (proof or error): records the service time as a sample (proofs
   * only) and counts a result later than the quoted p90 against the prover; enough of them in a
   * row demote it, then suspend it from paid work.
   */
  async onResult(job: JobRecord, c: CircuitRecord, proverId: string, proveMsReported: number, gotProof: boolean, nowMs: number): Promise<void> {
    const q = this.quoted.get(job.id);
    const mine = !!q && q.proverId === proverId;
    if (!mine && gotProof && proveMsReported > 0) {
      // No ETA on record (e.g. assigned before a broker restart): the prover's own figure is all there is.
      await this.sample({ proverId, curve: c.curve, constraints: c.constraints, ms: proveMsReported, kind: 'job', createdMs: nowMs });
    }
    if (!mine) return;
    // With a proof, the sample is taken when it is accepted (onDone: verification and the statement
    // check are part of what the client waits for); without one, the quoted ETA is done with.
    if (gotProof) q!.resultMs = nowMs; else this.quoted.delete(job.id);
    if (q!.challenge) return;
    const ms = nowMs - q!.assignedMs;
    const r = this.standing.get(proverId);
    if (!r) return;
    const late = ms > q!.p90Ms;
    const was = r.state; const wasMissed = r.missedEta;
    r.missedEta = late ? r.missedEta + 1 : 0;
    if (late && r.missedEta >= this.cfg.suspendAfter && r.state !== 'suspended' && this.cfg.admissionChallenges > 0) {
      r.state = 'suspended'; r.challengesPassed = 0; // it has to pass them again
    }
    else if (late && r.missedEta >= this.cfg.demoteAfter && r.state === 'active') r.state = 'demoted';
    else if (!late && r.state === 'demoted') r.state = 'active';
    r.updatedMs = nowMs;
    if (r.state !== was) this.log.warn(`prover ${proverId} is now ${r.state}: ${r.missedEta} result(s) in a row later than the quoted ETA`);
    // An on-time result of a prover that was on time changes nothing worth a write per result.
    if (r.state !== was || r.missedEta !== wasMissed) await this.save(r);
  }

  /** A job's proof was accepted: assignment → DONE is a latency sample of its prover. */
  async onDone(job: JobRecord, c: CircuitRecord, nowMs: number): Promise<void> {
    const q = this.quoted.get(job.id);
    this.quoted.delete(job.id);
    if (!q || q.proverId !== job.proverId) return;
    await this.sample({ proverId: q.proverId, curve: c.curve, constraints: c.constraints, ms: nowMs - q.assignedMs,
      kind: q.challenge ? 'challenge' : 'job', createdMs: nowMs });
  }

  /**
   * A latency sample: in the model at once; in the store with the others taken in the same
   * event-loop turn (one write for a batch of DONE jobs). Resolves once written.
   */
  private sample(s: LatencySample): Promise<void> {
    if (!(s.ms > 0)) return Promise.resolve();
    this.model.add(s);
    if (!this.store.addLatencySample && !this.store.addLatencySamples) return Promise.resolve();
    if (!this.samples) {
      const batch: LatencySample[] = [];
      const written = new Promise<void>((resolve, reject) => setImmediate(() => {
        this.samples = null;
        const w = this.store.addLatencySamples ? this.store.addLatencySamples(batch)
          : batch.reduce((p, x) => p.then(() => this.store.addLatencySample!(x)), Promise.resolve());
        w.then(resolve, reject);
      }));
      this.samples = { batch, written };
    }
    this.samples.batch.push(s);
    return this.samples.written;
  }

  private samples: { batch: LatencySample[]; written: Promise<void> } | null = null;

  /** A challenge's verdict. Enough passes admit (or re-admit) the prover; a failure costs reputation (by the caller). */
  async onChallenge(proverId: string, passed: boolean, nowMs: number): Promise<void> {
    const r = this.standing.get(proverId);
    if (!r) return;
    if (passed) r.challengesPassed++; else r.challengesFailed++;
    if (passed && (r.state === 'admitting' || r.state === 'suspended') && r.challengesPassed >= this.cfg.admissionChallenges) {
      this.log.info(`prover ${proverId} passed ${r.challengesPassed} challenge(s): admitted to paid work`);
      r.state = 'active'; r.missedEta = 0;
    } else if (!passed && r.state === 'active') {
      this.log.warn(`prover ${proverId} failed a recheck challenge: demoted`);
      r.state = 'demoted';
    }
    r.updatedMs = nowMs;
    await this.save(r);
  }

  /**
   * A prover's session dropped: after the grace, unless it reconnected, its leases are made to
   * lapse now (the sweep requeues them and slashes the abandoned stake) rather than at lease end.
   */
  sessionDropped(s: ProverSession, isBack: () => boolean, leases: () => Promise<JobRecord[]>, sweep: () => void): void {
    if (s.active.size === 0 || this.closed) return;
    const t = setTimeout(() => {
      this.graceTimers.delete(t);
      if (this.closed || isBack()) return;
      void (async () => {
        let n = 0;
        for (const j of await leases()) {
          if (this.store.shortenLease) { if (await this.store.shortenLease(j.id, j.leaseToken, Date.now() - 1)) n++; }
          // A store without shortenLease: give the job back (no slash) rather than wait for the lease.
          else if ((await this.store.release(j.id, j.leaseToken, `prover ${s.proverId} disconnected`, true, Date.now())).job) n++;
        }
        if (n) { this.log.warn(`prover ${s.proverId} did not come back within ${this.cfg.graceMs} ms: ${n} lease(s) requeued`); sweep(); }
      })().catch((e) => this.log.warn(`grace of prover ${s.proverId}: ${(e as Error).message}`));
    }, this.cfg.graceMs);
    t.unref();
    this.graceTimers.add(t);
  }

  /** Quote offers for a circuit from the connected provers (cheapest first, then most likely on time). */
  quote(c: CircuitRecord, provers: readonly RouteProver[], deadlineMs: number, maxPrice: bigint | null, nowMs: number, policy: MoneyPolicy):
    { offers: (Eta & { prover: RouteProver; price: bigint; samples: number })[]; note: string } {
    const budget = deadlineMs > 0 ? deadlineMs - nowMs - this.cfg.verifyMarginMs : null;
    const probe: JobRecord = {
      id: 'quote', ownerAccountId: '', requestId: '', circuitId: c.id, state: 'QUEUED', inputJson: null, witness: null, payloadSha256: '',
      attempts: 0, maxAttempts: 1, proverId: '', leaseToken: '', leaseExpiresMs: 0, progress: 0, stage: '', proofJson: '', publicJson: '',
      backend: '', proveMs: 0, error: '', excluded: [], deadlineMs, maxPrice: String(maxPrice ?? 2n ** 63n), price: '0', stake: '0', createdMs: nowMs, updatedMs: nowMs,
    };
    const offers: (Eta & { prover: RouteProver; price: bigint; samples: number })[] = [];
    const why = new Set<string>();
    for (const p of provers) {
      if (p.state === 'suspended' || p.state === 'admitting') { why.add(`${p.name} is ${p.state}`); continue; }
      const e = eligibility(probe, c, { ...p, freeStake: 2n ** 63n }, policy);
      if ('none' in e) { why.add(`${p.name}: ${e.none === 'price' ? `ask ${e.ask} over ${maxPrice ?? 'the largest price a job can hold (2^63 - 1)'}` : e.none}`); continue; }
      const pred = this.predict(p.proverId, c.curve, c.constraints);
      // Its queue: the earliest of its slots to free up.
      offers.push({ ...etaOf(pred, slotsFreeAt(p, this.predict)[0], budget), prover: p, price: e.ask, samples: pred.samples });
    }
    offers.sort((a, b) => (a.price < b.price ? -1 : a.price > b.price ? 1 : 0) || (b.onTime - a.onTime));
    const note = offers.length ? '' : provers.length === 0 ? 'no prover is connected' : `no eligible prover: ${[...why].join('; ')}`;
    return { offers, note };
  }
}
