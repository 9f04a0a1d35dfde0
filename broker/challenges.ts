// Admission challenges: unpaid proofs of calibration circuits the broker owns, with fresh random
// inputs, sent to a prover before it gets paid work (and again after a suspension). They are
// ordinary jobs of the market account (max price 0, request id "challenge:<prover>:<n>"),
// routed only to that prover, verified like any job; the service time is a latency sample.
// A wrong proof costs reputation (the usual reject); a challenge that expires counts as failed.
//
// Calibration circuits: the committed examples under circuits/build (one small size per curve:
// 374 constraints on BN254, 326 on BLS12-381), registered at start under the market account.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { CURVES, type CurveName } from '../src/common/curves';
import type { ArtifactKind } from '../src/common/proto';
import type { Broker } from './broker';
import { Registration } from './registry';
import type { CircuitRecord, JobRecord } from './store/types';
import { MARKET_ACCOUNT } from './store/types';

export const CHALLENGE_PREFIX = 'challenge:';
/** How long a prover has for a challenge before it counts as failed (ms). */
export const CHALLENGE_TIMEOUT_MS = 120_000;
/** Reputation a challenge that fails without a wrong proof costs (an expired or abandoned one; a wrong proof costs the usual 10). */
export const CHALLENGE_FAIL_REPUTATION = -5;
/** After this many failures per required pass, no more challenges are sent (the prover stays out of paid work). */
export const MAX_FAILS_PER_PASS = 3;

const CALIBRATION: { name: string; dir: string; curve: CurveName }[] = [
  { name: 'calibration_bn254', dir: 'example_bn254', curve: 'bn254' },
  { name: 'calibration_bls12381', dir: 'example_bls12381', curve: 'bls12-381' },
];

function buildDir(): string | null {
  let d = __dirname;
  for (;;) {
    const cand = path.join(d, 'circuits', 'build');
    if (fs.existsSync(cand)) return cand;
    const up = path.dirname(d);
    if (up === d) return null;
    d = up;
  }
}

/** The prover a challenge job is for, or null for an ordinary job. */
export function challengeTarget(j: JobRecord, marketAccountId: string): string | null {
  if (j.ownerAccountId !== marketAccountId || !j.requestId.startsWith(CHALLENGE_PREFIX)) return null;
  return j.requestId.slice(CHALLENGE_PREFIX.length).split(':')[0] || null;
}

/** Random valid input of the Example circuit (circuits/src/example.circom): a·b = n with a, b in [2, 2^64+1]. */
export function calibrationInput(curve: CurveName): string {
  const r = CURVES[curve].r;
  const rand = (bytes: number) => BigInt('0x' + crypto.randomBytes(bytes).toString('hex'));
  const a = 2n + rand(8); const b = 2n + rand(8);
  return JSON.stringify({
    n: String(a * b), key: String(rand(32) % r), a: String(a), b: String(b),
    in: [0, 1, 2, 3].map(() => String(rand(32) % r)),
  });
}

export class Challenges {
  private circuits = new Map<CurveName, CircuitRecord>();
  private marketId = '';
  private seq = 0;

  constructor(private readonly b: Broker) {}

  /** Registers the calibration circuits under the market account (idempotent). */
  async start(): Promise<void> {
    const acct = await this.b.store.getAccount(MARKET_ACCOUNT);
    if (!acct) throw new Error('the market account is missing from the store');
    this.marketId = acct.id;
    if (this.b.routing.cfg.admissionChallenges <= 0) return;
    const dir = buildDir();
    if (!dir) {
      // Without calibration circuits nobody could ever be admitted: turn admission off, loudly.
      this.b.log.warn('circuits/build (the calibration circuits) not found: admission challenges are off');
      this.b.routing.cfg.admissionChallenges = 0;
      return;
    }
    for (const c of CALIBRATION) {
      const files: [ArtifactKind, string][] = [
        ['ARTIFACT_KIND_WASM', `${c.dir}.wasm`], ['ARTIFACT_KIND_ZKEY', `${c.dir}.zkey`], ['ARTIFACT_KIND_VKEY', 'verification_key.json'],
        ['ARTIFACT_KIND_R1CS', `${c.dir}.r1cs`], ['ARTIFACT_KIND_SYM', `${c.dir}.sym`],
      ];
      const data = files.map(([k, f]) => [k, fs.readFileSync(path.join(dir, c.dir, f))] as const);
      const reg = new Registration(this.b.store, this.b.artifacts, { maxArtifactBytes: this.b.cfg.maxArtifactBytes }, this.b.log, this.marketId);
      reg.onMessage({
        header: { name: c.name, description: `calibration circuit (${c.curve}) for admission challenges`, public: false,
          artifacts: data.map(([kind, buf]) => ({ kind, size: String(buf.length), sha256: crypto.createHash('sha256').update(buf).digest('hex') })) },
        msg: 'header',
      } as never);
      for (const [kind, buf] of data) reg.onMessage({ chunk: { kind, offset: '0', data: buf }, msg: 'chunk' } as never);
      const rec = await reg.finish(Date.now());
      this.b.remember(rec);
      this.circuits.set(c.curve, rec);
    }
  }

  get marketAccountId(): string { return this.marketId; }

  isChallenge(j: JobRecord): string | null { return challengeTarget(j, this.marketId); }

  /**
   * Sends the prover the challenges it still needs (admission or re-admission), one per claimed
   * curve in turn, unless it already has some in flight.
   */
  async ensure(proverId: string, curves: readonly CurveName[]): Promise<void> {
    const need = this.b.routing.cfg.admissionChallenges;
    const st = this.b.routing.standingOf(proverId);
    if (need <= 0 || !st || (st.state !== 'admitting' && st.state !== 'suspended')) return;
    if (st.challengesFailed >= MAX_FAILS_PER_PASS * need) {
      this.b.log.warn(`prover ${proverId} failed ${st.challengesFailed} challenges: no more are sent; it gets no paid work`);
      return;
    }
    const live = (await this.b.store.listJobs({ ownerAccountId: this.marketId, state: undefined, limit: 1000 }))
      .filter((j) => this.isChallenge(j) === proverId && !['DONE', 'FAILED', 'EXPIRED', 'CANCELLED'].includes(j.state)).length;
    const usable = curves.filter((c) => this.circuits.has(c));
    if (usable.length === 0) return;
    const now = Date.now();
    for (let i = live; i < need - st.challengesPassed; i++) {
      await this.send(proverId, usable[(st.challengesPassed + i) % usable.length], 'admission');
    }
    this.last.set(proverId, Date.now());
    this.b.dispatch();
  }

  private readonly last = new Map<string, number>();
  private rotation = 0;

  /** Submits one challenge job of the curve's calibration circuit for the prover. */
  private async send(proverId: string, curve: CurveName, why: 'admission' | 'recheck'): Promise<void> {
    const c = this.circuits.get(curve)!;
    const now = Date.now();
    const inputJson = calibrationInput(curve);
    const id = 'j_' + crypto.randomBytes(8).toString('hex');
    const r = await this.b.store.submit({
      id, ownerAccountId: this.marketId, requestId: `${CHALLENGE_PREFIX}${proverId}:${why}:${now}:${this.seq++}`, circuitId: c.id,
      inputJson, witness: null, payloadSha256: crypto.createHash('sha256').update(inputJson).digest('hex'), maxAttempts: 1,
      deadlineMs: now + CHALLENGE_TIMEOUT_MS, maxPrice: 0n, nowMs: now,
    });
    if (r.outcome === 'created') await this.b.store.enqueue(id, Date.now());
    this.b.log.info(`${why} challenge ${id} (${c.name}) sent to prover ${proverId}`);
  }

  /**
   * From time to time (routing.recheckMs, with admission on): one more challenge for each
   * connected, admitted prover that has had none for that long, so its measurements stay fresh
   * and a prover that stopped proving correctly is noticed between paid jobs.
   */
  async recheckDue(nowMs: number): Promise<void> {
    const every = this.b.routing.cfg.recheckMs;
    if (every <= 0 || this.b.routing.cfg.admissionChallenges <= 0 || this.circuits.size === 0) return;
    for (const s of this.b.sessions.all()) {
      if (s.closed || this.b.isFallback(s.operatorId)) continue;
      const st = this.b.routing.stateOf(s.proverId);
      if (st !== 'active' && st !== 'demoted') continue;
      const last = this.last.get(s.proverId);
      if (last === undefined) { this.last.set(s.proverId, nowMs); continue; }
      if (nowMs - last < every) continue;
      const usable = s.caps.curves.filter((c) => this.circuits.has(c));
      if (usable.length === 0) continue;
      this.last.set(s.proverId, nowMs);
      await this.send(s.proverId, usable[this.rotation++ % usable.length], 'recheck');
    }
    this.b.dispatch();
  }

  /**
   * A challenge ended (verified, wrong, failed or expired): counts for or against the prover.
   * `charged`: the failure already cost reputation (a wrong proof's reject).
   */
  async settled(j: JobRecord, passed: boolean, charged = false): Promise<void> {
    const p = this.isChallenge(j);
    if (!p) return;
    await this.b.routing.onChallenge(p, passed, Date.now());
    if (!passed && !charged) {
      await this.b.store.adjustReputation?.(p, CHALLENGE_FAIL_REPUTATION);
      const s = this.b.sessions.get(p);
      if (s) s.reputation += CHALLENGE_FAIL_REPUTATION;
    }
    this.b.log[passed ? 'info' : 'warn'](`prover ${p} ${passed ? 'passed' : 'failed'} admission challenge ${j.id}${passed ? '' : `: ${j.error}`}`);
    const s = this.b.sessions.get(p);
    if (s && !s.closed) await this.ensure(p, s.caps.curves);
    this.b.dispatch();
  }
}
