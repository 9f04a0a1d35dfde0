// Shared helpers for the broker tests: temp dirs, fixture circuits, a sample circuit record.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { CircuitRecord } from '../../broker/store/types';

export function tmpDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `pm-${tag}-`));
}

export function rmrf(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function sampleCircuit(id = 'c_0000000000000001', name = 'sample', ownerAccountId = 'a_market'): CircuitRecord {
  return {
    id, name, ownerAccountId, public: false, insecure: false, curve: 'bn254', protocol: 'groth16', constraints: 4, nPublic: 2, nVars: 10, domainLog2: 4,
    artifacts: [{ kind: 'ZKEY', size: 1, sha256: 'a'.repeat(64) }], description: '', inputs: [{ name: 'a', size: 1 }],
    createdMs: 1,
  };
}

/** Repository root (works from test/broker and dist/test/broker). */
export function repoRoot(): string {
  let d = __dirname;
  while (!fs.existsSync(path.join(d, 'package.json'))) d = path.dirname(d);
  return d;
}

export interface FixtureCircuit { dir: string; name: string; curve: 'bn254' | 'bls12-381'; wasm: string; zkey: string; vkey: string; r1cs: string; sym: string }

/**
 * The tiny test circuit y = a*b[0]*b[1]*b[2] + c (c public) committed under test/broker/fixtures,
 * built with circom2 + a 2^6 snarkjs ceremony by test/broker/fixtures/build.sh.
 */
export function fixture(curve: 'bn254' | 'bls12-381'): FixtureCircuit {
  const dir = path.join(repoRoot(), 'test', 'broker', 'fixtures', curve);
  return {
    dir, name: 'mul3', curve,
    wasm: path.join(dir, 'mul3.wasm'), zkey: path.join(dir, 'mul3.zkey'), vkey: path.join(dir, 'mul3.vkey.json'),
    r1cs: path.join(dir, 'mul3.r1cs'), sym: path.join(dir, 'mul3.sym'),
  };
}

export function randomSeed(): number {
  const seed = Number(process.env.PM_SEED ?? Math.floor(Math.random() * 2 ** 31));
  return seed;
}

/** mulberry32: small seeded PRNG so a failing run can be replayed with PM_SEED. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
