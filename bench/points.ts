// Random MSM bases for the benchmarks, cached in bench/work/ because making them in JS is slow:
// point i = (first · inc^i) · G for random first, inc (ffjavascript's batchApplyKey, the same
// multi-threaded kernel snarkjs's powers-of-tau uses). Affine, Montgomery form, x || y: the
// layout of zkey point sections, ffjavascript's multiExpAffine and the native msmG1.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { BenchCurve, WORK, ensureDir, ffCurve, log, nowMs, writeFileAtomic } from './common';

/** Bytes of one affine G1 point. */
export function g1AffineBytes(c: BenchCurve): number {
  return c === 'bn254' ? 64 : 96;
}

/** The first 2^logN cached points (generated up to at least 2^logN on first use). */
export async function randomG1Points(c: BenchCurve, logN: number): Promise<Uint8Array> {
  const dir = ensureDir(WORK);
  const n = 1 << logN;
  const sz = g1AffineBytes(c);
  // Reuse any cached file at least as large.
  for (let l = logN; l <= 26; l++) {
    const f = path.join(dir, `points_${c}_${l}.bin`);
    if (fs.existsSync(f) && fs.statSync(f).size === (1 << l) * sz) {
      const fd = fs.openSync(f, 'r');
      try {
        const buf = new Uint8Array(n * sz);
        fs.readSync(fd, buf, 0, buf.length, 0);
        return buf;
      } finally { fs.closeSync(fd); }
    }
  }
  const curve = await ffCurve(c);
  const t0 = nowMs();
  log(`generating 2^${logN} random ${c} G1 points (cached in bench/work) …`);
  const g = curve.G1.toAffine(curve.G1.g);
  const base = new Uint8Array(n * sz);
  for (let i = 0; i < n; i++) base.set(g, i * sz);
  const first = BigInt('0x' + crypto.randomBytes(31).toString('hex'));
  const inc = BigInt('0x' + crypto.randomBytes(31).toString('hex'));
  const pts: Uint8Array = await curve.G1.batchApplyKey(base, first, inc, 'affine', 'affine');
  if (pts.byteLength !== n * sz) throw new Error(`batchApplyKey returned ${pts.byteLength} bytes, expected ${n * sz}`);
  // Spot check: point 1 is (first · inc) · G.
  const want = curve.G1.toAffine(curve.G1.timesScalar(curve.G1.g, curve.Fr.toObject(curve.Fr.mul(curve.Fr.e(first), curve.Fr.e(inc)))));
  if (Buffer.compare(Buffer.from(want), Buffer.from(pts.subarray(sz, 2 * sz))) !== 0) {
    throw new Error('random point generation self-check failed: point 1 != (first·inc)·G');
  }
  writeFileAtomic(path.join(dir, `points_${c}_${logN}.bin`), pts);
  log(`  … ${((nowMs() - t0) / 1000).toFixed(1)} s`);
  return pts;
}

/** 2^logN random canonical scalars (32-byte LE, below 2^253 so below r on both curves). */
export function randomScalars(logN: number, seed: string): Uint8Array {
  const n = 1 << logN;
  const out = new Uint8Array(n * 32);
  let off = 0, ctr = 0;
  while (off < out.length) {
    const chunk = crypto.createHash('sha512').update(`${seed}/${ctr++}`).digest();
    out.set(chunk.subarray(0, Math.min(chunk.length, out.length - off)), off);
    off += chunk.length;
  }
  for (let i = 0; i < n; i++) out[i * 32 + 31] &= 0x1f;
  return out;
}

/** 2^logN random scalar-field elements used as Montgomery representations (any value < r is
 * one), for the NTT comparison. */
export function randomFrMont(logN: number, seed: string): Uint8Array {
  return randomScalars(logN, `fr/${seed}`);
}
