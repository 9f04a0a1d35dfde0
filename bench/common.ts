// Shared helpers for the benchmarks: paths, the untyped snarkjs/ffjavascript modules, hashing,
// timing and the optional native engine.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { NativeEngine } from '../native/binding/native';

export type BenchCurve = 'bn254' | 'bls12-381';

/** snarkjs / ffjavascript ship no type declarations. */
// eslint-disable-next-line @typescript-eslint/no-var-requires
export const snarkjs: any = require('snarkjs');
// eslint-disable-next-line @typescript-eslint/no-var-requires
export const ffjavascript: any = require('ffjavascript');

/** The repository root (the first ancestor of this file that has package.json). */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'circuits'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the proofmarket repository root above ${__dirname}`);
    dir = up;
  }
}

export const ROOT = repoRoot();
/** Git-ignored cache of compiled circuits, keys, witnesses and random points. */
export const WORK = path.join(ROOT, 'bench', 'work');
export const RESULTS = path.join(ROOT, 'bench', 'results');

export function sha256(...parts: (string | Uint8Array)[]): string {
  const h = crypto.createHash('sha256');
  for (const p of parts) { h.update(p); h.update('\0'); }
  return h.digest('hex');
}

export function snarkjsCurveName(c: BenchCurve): string {
  return c === 'bn254' ? 'bn128' : 'bls12381';
}

export function circomPrime(c: BenchCurve): string {
  return c === 'bn254' ? 'bn128' : 'bls12381';
}

/** ffjavascript curve objects, built once (multi-threaded, as snarkjs uses them). */
const curves = new Map<BenchCurve, any>();
export async function ffCurve(c: BenchCurve): Promise<any> {
  let curve = curves.get(c);
  if (!curve) {
    curve = c === 'bn254' ? await ffjavascript.buildBn128() : await ffjavascript.buildBls12381();
    curves.set(c, curve);
  }
  return curve;
}

/** Stop ffjavascript's and snarkjs's worker threads so the process can exit. */
export async function terminateCurves(): Promise<void> {
  for (const curve of curves.values()) await curve.terminate();
  curves.clear();
  for (const k of ['curve_bn128', 'curve_bls12381']) {
    const c = (globalThis as any)[k];
    if (c && typeof c.terminate === 'function') await c.terminate();
    delete (globalThis as any)[k];
  }
}

/** The native engine, or null with the reason it is unavailable. */
export function tryNative(): { engine: NativeEngine | null; reason: string | null } {
  try {
    // Loaded lazily so the snarkjs-only path works when native/binding is absent or broken.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod = require('../native/binding/native') as typeof import('../native/binding/native');
    return mod.tryLoadNative();
  } catch (err) {
    return { engine: null, reason: `cannot load native/binding/native: ${(err as Error).message}` };
  }
}

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function fmtRatio(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return '—';
  return `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

export function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

export function ensureDir(d: string): string {
  fs.mkdirSync(d, { recursive: true });
  return d;
}

/** Atomic-ish write: write to a temp name then rename, so a killed run never leaves a half file
 * that a later run would trust. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
