// Shared pieces of the native cross-check tests: the seeded random source (seed printed once,
// PM_TEST_SEED=<n> replays a run), ffjavascript curves as the reference, byte helpers.

import * as fs from 'fs';
import * as path from 'path';
import { Curve, NativeEngine, loadNative } from '../../native/binding/native';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const ffjs: any = require('ffjavascript');

export const SEED: number = process.env.PM_TEST_SEED
  ? Number(process.env.PM_TEST_SEED) >>> 0
  : (Math.floor(Math.random() * 0x100000000) >>> 0);
let announced = false;
/** Prints the seed once per process, so a failing run can be replayed. */
export function announceSeed(): void {
  if (!announced) {
    announced = true;
    console.log(`      native tests: seed ${SEED} (replay with PM_TEST_SEED=${SEED})`);
  }
}

/** sfc32: a small, fast, seedable generator; one stream per test file (seeded from SEED + salt). */
export class Rng {
  private a: number; private b: number; private c: number; private d: number;
  constructor(salt: number) {
    this.a = 0x9e3779b9; this.b = 0x243f6a88; this.c = 0xb7e15162; this.d = (SEED ^ Math.imul(salt, 0x85ebca6b)) >>> 0;
    for (let i = 0; i < 20; i++) this.u32();
  }
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  int(n: number): number { return this.u32() % n; }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }
  /** Uniform-ish in [0, m): 64 extra bits then reduce. */
  below(m: bigint): bigint {
    const bits = m.toString(2).length + 64;
    let v = 0n;
    for (let i = 0; i < bits; i += 32) v = (v << 32n) | BigInt(this.u32());
    return v % m;
  }
}

export function leBytes(v: bigint, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) { out[i] = Number(v & 0xffn); v >>= 8n; }
  return out;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return out;
}

export function hex(b: Uint8Array): string { return Buffer.from(b).toString('hex'); }

/** Asserts byte equality with a message that says where the first difference is. */
export function assertSameBytes(got: Uint8Array, want: Uint8Array, what: string): void {
  if (got.length !== want.length) {
    throw new Error(`${what}: ${got.length} bytes, expected ${want.length}`);
  }
  for (let i = 0; i < got.length; i++) {
    if (got[i] !== want[i]) {
      throw new Error(`${what}: differs at byte ${i}\n  got  ${hex(got)}\n  want ${hex(want)}`);
    }
  }
}

// ---- the reference: ffjavascript --------------------------------------------------------------

const curves = new Map<Curve, Promise<any>>();
/** ffjavascript's curve (single-threaded: this machine has 2 cores shared by everyone). */
export function refCurve(curve: Curve): Promise<any> {
  let c = curves.get(curve);
  if (!c) {
    c = curve === 'bn254' ? ffjs.buildBn128(true) : ffjs.buildBls12381(true);
    curves.set(curve, c!);
  }
  return c!;
}

export async function closeRefCurves(): Promise<void> {
  for (const c of curves.values()) await (await c).terminate();
  curves.clear();
}

export const CURVES: Curve[] = ['bn254', 'bls12-381'];

// ---- the engine and the repository ------------------------------------------------------------

/** The engine under test; a missing addon fails the test (never skipped). */
export function engine(): NativeEngine {
  return loadNative();
}

/** Repository root (tests run from dist/test/native). */
export const ROOT: string = (() => {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'native', 'CMakeLists.txt'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no repository root above ${__dirname}`);
    dir = up;
  }
})();

export interface ExampleCircuit {
  name: string;
  curve: Curve;
  dir: string;
  zkey: string;
  wasm: string;
  r1cs: string;
  vkey: string;
  input: string;
}

export const EXAMPLES: ExampleCircuit[] = [
  ['example_bn254', 'bn254'] as const,
  ['example_bls12381', 'bls12-381'] as const,
].map(([name, curve]) => {
  const dir = path.join(ROOT, 'circuits', 'build', name);
  return {
    name, curve, dir,
    zkey: path.join(dir, `${name}.zkey`),
    wasm: path.join(dir, `${name}.wasm`),
    r1cs: path.join(dir, `${name}.r1cs`),
    vkey: path.join(dir, 'verification_key.json'),
    input: path.join(dir, 'input.json'),
  };
});

/** Fails (does not skip) when the circuits engineer's artifacts are missing. */
export function requireArtifacts(c: ExampleCircuit, which: (keyof ExampleCircuit)[]): void {
  for (const k of which) {
    const p = c[k];
    if (!fs.existsSync(p)) {
      throw new Error(`missing example artifact ${path.relative(ROOT, p)} (run scripts/setup-circuits.sh ${c.name})`);
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-var-requires
export const snarkjs: any = require('snarkjs');

/** The witness (.wtns bytes) for a circuit's committed input.json, computed by snarkjs. */
export async function witnessFor(c: ExampleCircuit, input?: object): Promise<Uint8Array> {
  const inp = input ?? JSON.parse(fs.readFileSync(c.input, 'utf8'));
  const out: { type: 'mem'; data?: Uint8Array } = { type: 'mem' };
  await snarkjs.wtns.calculate(inp, c.wasm, out);
  if (!out.data) throw new Error(`snarkjs wrote no witness for ${c.name}`);
  return out.data;
}

/** snarkjs keeps curves (with worker threads) on globalThis; release them after a test file. */
export async function releaseSnarkjsCurves(): Promise<void> {
  const g = globalThis as unknown as Record<string, { terminate?: () => Promise<void> } | undefined>;
  for (const key of ['curve_bn128', 'curve_bls12381']) {
    const c = g[key];
    if (c && typeof c.terminate === 'function') {
      await c.terminate();
      g[key] = undefined;
    }
  }
}
