// The native engine's prover backends: `cpu` (the C++ engine) and `cuda` (one per card), behind
// the same Backend interface as snarkjs. createNativeBackends() loads the addon, runs a quick
// self-test (a tiny MSM on both curves, checked against point arithmetic done here in BigInt),
// and returns the backends that passed, or none plus a warning that says why — the caller then
// falls back to snarkjs. Importing this module never throws.

import * as os from 'os';
import {
  Curve, Device, NativeEngine, NativeError, Zkey, fqBytes, loadNative,
} from '../../native/binding/native';
import { ResidentZkeys, defaultResidentBudget } from './resident';
import { Backend, DeviceDescription, ProveAbortedError, ProveJob, ProveOutput } from './types';

// ---- self-test: sum [3]G + [5]G + [7]O against 8G computed here -------------------------

interface CurveConst { p: bigint; limbs: number; gx: bigint; gy: bigint }
const CURVES: Record<Curve, CurveConst> = {
  'bn254': {
    p: 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47n,
    limbs: 4, gx: 1n, gy: 2n,
  },
  'bls12-381': {
    p: 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaabn,
    limbs: 6,
    gx: 0x17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bbn,
    gy: 0x08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1n,
  },
};

function mod(a: bigint, p: bigint): bigint { const r = a % p; return r < 0n ? r + p : r; }
function inv(a: bigint, p: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(a, p), p, 1n, 0n];
  while (r1 !== 0n) { const q = r0 / r1; [r0, r1] = [r1, r0 - q * r1]; [s0, s1] = [s1, s0 - q * s1]; }
  return mod(s0, p);
}
type Aff = [bigint, bigint] | null;
/** Affine addition on y^2 = x^3 + b (short Weierstrass, a = 0). */
function addAff(P: Aff, Q: Aff, p: bigint): Aff {
  if (!P) return Q;
  if (!Q) return P;
  let l: bigint;
  if (P[0] === Q[0]) {
    if (mod(P[1] + Q[1], p) === 0n) return null;
    l = mod(3n * P[0] * P[0] * inv(2n * P[1], p), p);
  } else {
    l = mod((Q[1] - P[1]) * inv(Q[0] - P[0], p), p);
  }
  const x = mod(l * l - P[0] - Q[0], p);
  return [x, mod(l * (P[0] - x) - P[1], p)];
}
function mulAff(P: Aff, k: bigint, p: bigint): Aff {
  let r: Aff = null;
  for (let b = P; k > 0n; k >>= 1n, b = addAff(b, b, p)) if (k & 1n) r = addAff(r, b, p);
  return r;
}
function leBytes(v: bigint, n: number, out: Uint8Array, off: number): void {
  for (let i = 0; i < n; i++) { out[off + i] = Number(v & 0xffn); v >>= 8n; }
}
/** An affine point as the engine stores it: Montgomery x || y, all zeros for infinity. */
function pointLEM(P: Aff, c: CurveConst): Uint8Array {
  const n = c.limbs * 8;
  const out = new Uint8Array(2 * n);
  if (!P) return out;
  const R = (1n << BigInt(64 * c.limbs)) % c.p;
  leBytes(mod(P[0] * R, c.p), n, out, 0);
  leBytes(mod(P[1] * R, c.p), n, out, n);
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Throws (with what differed) unless the engine's G1 MSM gets 3G + 5G + 7·O = 8G on every curve,
 * and an empty MSM gives infinity. */
export async function selfTest(engine: NativeEngine, device: Device): Promise<void> {
  for (const curve of Object.keys(CURVES) as Curve[]) {
    const c = CURVES[curve];
    const G: Aff = [c.gx, c.gy];
    const g = pointLEM(G, c);
    const pb = g.length;
    if (pb !== 2 * fqBytes(curve)) throw new Error(`self-test: wrong point size for ${curve}`);
    const points = new Uint8Array(3 * pb);
    points.set(g, 0);
    points.set(g, pb); // third point stays all zero: infinity
    const scalars = new Uint8Array(3 * 32);
    scalars[0] = 3; scalars[32] = 5; scalars[64] = 7;
    const got = await engine.msmG1(curve, points, scalars, { device, threads: 0 });
    const want = pointLEM(mulAff(G, 8n, c.p), c);
    if (!sameBytes(got, want)) {
      throw new Error(`self-test failed on ${device}: ${curve} G1 MSM 3G+5G+7·O gave ` +
        `${Buffer.from(got).toString('hex')}, expected 8G = ${Buffer.from(want).toString('hex')}`);
    }
    const empty = await engine.msmG1(curve, new Uint8Array(0), new Uint8Array(0), { device, threads: 0 });
    if (!empty.every((v) => v === 0)) {
      throw new Error(`self-test failed on ${device}: ${curve} empty MSM is not the point at infinity`);
    }
  }
}

// ---- the backend --------------------------------------------------------------------------

export class NativeBackend implements Backend {
  private closed = false;
  private readonly detach: () => Promise<void>;

  /** keys: the resident-key cache, shared by all native backends of one engine (a cuda backend
   * per card and the cpu backend prove with the same opened keys). */
  constructor(
    readonly name: 'cpu' | 'cuda',
    readonly devices: DeviceDescription[],
    private readonly engine: NativeEngine,
    private readonly device: Device,
    readonly keys: ResidentZkeys,
  ) {
    this.detach = keys.attach();
  }

  async prove(job: ProveJob): Promise<ProveOutput> {
    if (this.closed) throw new Error(`the ${this.name} backend is closed`);
    if (job.signal.aborted) throw new ProveAbortedError();
    const lease = await this.keys.acquire(job.zkeyPath);
    const zkey = lease.zkey;
    try {
      if (zkey.info.curve !== job.curve) {
        throw new NativeError('MISMATCH', `${job.zkeyPath} is a ${zkey.info.curve} zkey but the job is for ${job.curve}`);
      }
      if (job.signal.aborted) throw new ProveAbortedError();
      const r = await this.engine.prove(zkey, job.wtns, {
        device: this.device, threads: 0, onProgress: job.onProgress, signal: job.signal,
      });
      if (job.signal.aborted) throw new ProveAbortedError();
      return { proof: r.proof as object, publicSignals: r.publicSignals, backend: this.name };
    } catch (err) {
      if (err instanceof NativeError && err.code === 'CANCELLED' && job.signal.aborted) {
        throw new ProveAbortedError();
      }
      throw err;
    } finally {
      lease.release();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.detach();
  }
}

/**
 * The native backends that work on this machine: `cuda` (one per card, when the build has CUDA
 * and cards are found, after a self-test on the card) and `cpu` (after its self-test). On any
 * failure, the backends that did pass, plus a warning saying what failed.
 */
export async function createNativeBackends(log: (line: string) => void):
    Promise<{ backends: Backend[]; warning: string | null }> {
  let engine: NativeEngine;
  try {
    engine = loadNative();
  } catch (err) {
    return { backends: [], warning: (err as Error).message };
  }
  const warnings: string[] = [];
  const backends: Backend[] = [];
  let info;
  try {
    info = engine.info();
  } catch (err) {
    return { backends: [], warning: `native engine info failed: ${(err as Error).message}` };
  }
  log(`native engine: ${info.build}, ${info.cpuThreads} threads, CUDA ${info.cudaCompiled ? 'compiled' : 'not compiled'}, ${info.cudaDevices} card(s)`);
  let keys: ResidentZkeys;
  try {
    keys = new ResidentZkeys(engine, defaultResidentBudget());
  } catch (err) {
    return { backends: [], warning: (err as Error).message };
  }
  log(`native engine: resident proving keys up to ${Math.round(keys.budgetBytes / 2 ** 20)} MiB (PM_RESIDENT_ZKEY_BYTES)`);

  if (info.cudaDevices > 0) {
    try {
      const cards = engine.cudaDevices();
      await selfTest(engine, 'cuda');
      // The C ABI has no card index: every `cuda` backend runs on the engine's current card.
      for (const card of cards) {
        backends.push(new NativeBackend('cuda', [{
          name: `${card.name} (#${card.index}, ${card.smCount} SMs)`,
          memoryBytes: Number(card.memoryBytes),
          backend: 'cuda',
        }], engine, 'cuda', keys));
      }
      log(`native engine: cuda self-test passed on ${cards.map((c) => c.name).join(', ')}`);
    } catch (err) {
      warnings.push(`cuda backend disabled: ${(err as Error).message}`);
    }
  } else if (info.cudaCompiled) {
    log('native engine: CUDA compiled in but no card found');
  }

  try {
    await selfTest(engine, 'cpu');
    backends.push(new NativeBackend('cpu', [{
      name: `cpu: ${info.cpuThreads} threads (native ${info.build})`,
      memoryBytes: os.totalmem(),
      backend: 'cpu',
    }], engine, 'cpu', keys));
    log('native engine: cpu self-test passed');
  } catch (err) {
    warnings.push(`cpu backend disabled: ${(err as Error).message}`);
  }
  return { backends, warning: warnings.length > 0 ? warnings.join('; ') : null };
}
