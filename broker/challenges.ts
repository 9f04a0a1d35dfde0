// Admission challenges: unpaid proofs of calibration circuits the broker owns, with fresh random
// inputs, sent to a prover before it gets paid work (and again after a suspension). They are
// ordinary jobs of the market account (max price 0, request id "challenge:<prover>:<n>"),
// routed only to that prover, verified like any job; the service time is a latency sample.
// A wrong proof costs reputation (the usual reject); a challenge that expires counts as failed.
//
// Calibration circuits: the committed examples under circuits/build at two sizes per curve (the
// example circuit with 20/16 rounds: 374 constraints on BN254, 326 on BLS12-381; with 320 rounds:
// 3,974 on both, ~2^12), registered at start under the market account. A new prover gets one
// challenge of each (curve, size) it can take, so its latency model is fitted against constraint
// count from measurements at several sizes, not from one point; it is admitted once it passed
// `admissionChallenges` of them (more are sent when that number is larger).
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { CURVES, type CurveName } from '../src/common/curves';
import { newJobId } from '../src/common/hash';
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
  { name: 'calibration_bn254_4k', dir: 'example_bn254_4k', curve: 'bn254' },
  { name: 'calibration_bls12381_4k', dir: 'example_bls12381_4k', curve: 'bls12-381' },
];

/** A calibration circuit a challenge is sent on: (curve, its index among that curve's sizes). */
export interface Calibration { curve: CurveName; size: number }

/**
 * The (curve, size) pairs to challenge a prover on, in the order they are sent: every size of
 * every claimed curve that has calibration circuits, smallest sizes first, curves interleaved
 * (so the first challenges give each curve a point before any curve gets a second).
 */
export function calibrationOrder(curves: readonly CurveName[], sizesOf: (c: CurveName) => number): Calibration[] {
  const usable = curves.filter((c) => sizesOf(c) > 0);
  const out: Calibration[] = [];
  const most = Math.max(0, ...usable.map(sizesOf));
  for (let size = 0; size < most; size++) for (const curve of usable) if (size < sizesOf(curve)) out.push({ curve, size });
  return out;
}

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
  /** Per curve, its calibration circuits by ascending constraint count. */
  private circuits = new Map<CurveName, CircuitRecord[]>();
  /** (curve, size) pairs each prover was sent a challenge of (this broker run). */
  private readonly sent = new Map<string, Set<string>>();
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
      const missing = files.filter(([, f]) => !fs.existsSync(path.join(dir, c.dir, f)));
      if (missing.length) {
        this.b.log.warn(`calibration circuit ${c.name}: ${missing.map(([, f]) => f).join(', ')} missing under ${path.join(dir, c.dir)}: not used`);
        continue;
      }
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
      this.circuits.set(c.curve, [...(this.circuits.get(c.curve) ?? []), rec].sort((x, y) => x.constraints - y.constraints));
    }
  }

  get marketAccountId(): string { return this.marketId; }

  isChallenge(j: JobRecord): string | null { return challengeTarget(j, this.marketId); }

  /**
   * Sends the prover the challenges it still needs (admission or re-admission): first one of each
   * calibration (curve, size) it claims and was not sent yet, then more in turn while admission
   * needs more passes than are in flight.
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
    const order = this.order(curves);
    if (order.length === 0) return;
    // Every (curve, size) once, then round the list again while admission needs more passes.
    const sent = this.sent.get(proverId) ?? new Set<string>();
    this.sent.set(proverId, sent);
    const key = (c: Calibration) => `${c.curve}/${c.size}`;
    const fresh = order.filter((c) => !sent.has(key(c)));
    const more = Math.max(0, need - st.challengesPassed - live - fresh.length);
    const batch = [...fresh, ...Array.from({ length: more }, (_, i) => order[(st.challengesPassed + i) % order.length])];
    for (const c of batch) { sent.add(key(c)); await this.send(proverId, c, 'admission'); }
    this.last.set(proverId, Date.now());
    this.b.dispatch();
  }

  private order(curves: readonly CurveName[]): Calibration[] {
    const cap = this.b.routing.cfg.calibrationSizes;
    return calibrationOrder(curves, (c) => Math.min(this.circuits.get(c)?.length ?? 0, cap > 0 ? cap : Infinity));
  }

  private readonly last = new Map<string, number>();
  private rotation = 0;

  /** Submits one challenge job of the curve's calibration circuit for the prover. */
  private async send(proverId: string, at: Calibration, why: 'admission' | 'recheck'): Promise<void> {
    const curve = at.curve;
    const c = this.circuits.get(curve)![at.size];
    const now = Date.now();
    const inputJson = calibrationInput(curve);
    const id = newJobId();
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
      const order = this.order(s.caps.curves);
      if (order.length === 0) continue;
      this.last.set(s.proverId, nowMs);
      await this.send(s.proverId, order[this.rotation++ % order.length], 'recheck');
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
