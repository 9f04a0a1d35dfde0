// The example circuits (circuits/build/<name>/: wasm, zkey, vkey.json, input.json, r1cs, sym),
// fresh random inputs for them, and snarkjs verification of returned proofs.

import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './procs';

export interface ExampleCircuit {
  name: string;
  curve: 'bn254' | 'bls12-381';
  dir: string;
  wasm: string;
  zkey: string;
  vkey: string;
  r1cs: string | null;
  sym: string | null;
  input: Record<string, unknown>;
}

function pick(dir: string, test: (f: string) => boolean): string | null {
  const f = fs.readdirSync(dir).find(test);
  return f ? path.join(dir, f) : null;
}

/** Every complete example circuit under circuits/build (or $PM_TEST_CIRCUITS). */
export function exampleCircuits(): ExampleCircuit[] {
  const base = process.env.PM_TEST_CIRCUITS ?? path.join(ROOT, 'circuits', 'build');
  if (!fs.existsSync(base)) return [];
  const out: ExampleCircuit[] = [];
  for (const name of fs.readdirSync(base).sort()) {
    const dir = path.join(base, name);
    if (!fs.statSync(dir).isDirectory()) continue;
    const wasm = pick(dir, (f) => f.endsWith('.wasm'));
    const zkey = pick(dir, (f) => f.endsWith('.zkey'));
    const vkey = pick(dir, (f) => f === 'vkey.json' || f.endsWith('.vkey.json') || f === 'verification_key.json');
    const input = pick(dir, (f) => f === 'input.json');
    if (!wasm || !zkey || !vkey || !input) continue;
    const vk = JSON.parse(fs.readFileSync(vkey, 'utf8')) as { curve: string };
    const curve = /bls/i.test(vk.curve) ? 'bls12-381' : 'bn254';
    out.push({
      name, curve, dir, wasm, zkey, vkey,
      r1cs: pick(dir, (f) => f.endsWith('.r1cs')), sym: pick(dir, (f) => f.endsWith('.sym')),
      input: JSON.parse(fs.readFileSync(input, 'utf8')) as Record<string, unknown>,
    });
  }
  return out;
}

/** One circuit per curve, or throws saying what is missing. */
export function circuitsByCurve(): Record<'bn254' | 'bls12-381', ExampleCircuit> {
  const all = exampleCircuits();
  const bn = all.find((c) => c.curve === 'bn254');
  const bls = all.find((c) => c.curve === 'bls12-381');
  if (!bn || !bls) {
    throw new Error(`example circuits missing under circuits/build (need one BN254 and one BLS12-381 with wasm, zkey, vkey.json, input.json; found: ${all.map((c) => c.name).join(', ') || 'none'})`);
  }
  return { 'bn254': bn, 'bls12-381': bls };
}

/** A seeded PRNG so a failing run can be replayed: PM_TEST_SEED=<hex>. */
export function seededRandom(label: string): { seed: string; next: () => bigint } {
  const seed = process.env.PM_TEST_SEED ?? crypto.randomBytes(8).toString('hex');
  console.log(`    [${label}] seed ${seed} (replay with PM_TEST_SEED=${seed})`);
  let counter = 0;
  return {
    seed,
    next: () => BigInt('0x' + crypto.createHash('sha256').update(`${seed}:${counter++}`).digest('hex')),
  };
}

/**
 * A fresh valid input for the example circuit: the public `key` and the private vector `in` are
 * random, the factorisation is kept (it must stay valid).
 */
export function freshInput(c: ExampleCircuit, rnd: () => bigint): Record<string, unknown> {
  const input: Record<string, unknown> = { ...c.input };
  if ('key' in input) input.key = (rnd() % (1n << 200n)).toString();
  if (Array.isArray(input.in)) input.in = (input.in as unknown[]).map(() => (rnd() % (1n << 128n)).toString());
  return input;
}

interface SnarkjsGroth16 {
  groth16: { verify(vk: unknown, pub: unknown, proof: unknown): Promise<boolean> };
}

const vkCache = new Map<string, unknown>();

/** snarkjs groth16 verify of a proof.json/public.json pair against the circuit's vkey. */
export async function verifyProof(c: ExampleCircuit, proofJson: string, publicJson: string): Promise<boolean> {
  let vk = vkCache.get(c.vkey);
  if (!vk) {
    vk = JSON.parse(fs.readFileSync(c.vkey, 'utf8'));
    vkCache.set(c.vkey, vk);
  }
  const snarkjs = require('snarkjs') as SnarkjsGroth16;
  return snarkjs.groth16.verify(vk, JSON.parse(publicJson), JSON.parse(proofJson));
}

/** Releases snarkjs's curve worker threads. */
export async function releaseSnarkjs(): Promise<void> {
  const g = globalThis as unknown as Record<string, { terminate?: () => Promise<void> } | null>;
  for (const k of ['curve_bn128', 'curve_bls12381']) {
    const c = g[k];
    if (c?.terminate) await c.terminate();
  }
}
