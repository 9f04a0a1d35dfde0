// Shared facts about the example circuits in circuits/build/, and a generator of random valid
// inputs for them (used by test/circuits and usable by other tests and benches).
import * as crypto from 'crypto';
import * as path from 'path';

export type ExampleCurve = 'bn254' | 'bls12-381';

export interface ExampleCircuit {
  name: string;
  curve: ExampleCurve;
  /** snarkjs's curve name, as written in verification_key.json */
  snarkjsCurve: 'bn128' | 'bls12381';
  /** scalar field order r */
  prime: bigint;
  /** mixing rounds per vector element (parameter of Example(ROUNDS) in circuits/src) */
  rounds: number;
  dir: string;
  wasm: string;
  zkey: string;
  vkey: string;
  r1cs: string;
  sym: string;
  input: string;
}

export const BN254_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
export const BLS12_381_R = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;

/** repo root, from dist/test/circuits/*.js or test/circuits/*.ts */
export function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (require('fs').existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`cannot find the repo root above ${__dirname}`);
}

function circuit(name: string, curve: ExampleCurve, rounds: number): ExampleCircuit {
  const dir = path.join(repoRoot(), 'circuits', 'build', name);
  return {
    name, curve, rounds, dir,
    snarkjsCurve: curve === 'bn254' ? 'bn128' : 'bls12381',
    prime: curve === 'bn254' ? BN254_R : BLS12_381_R,
    wasm: path.join(dir, `${name}.wasm`),
    zkey: path.join(dir, `${name}.zkey`),
    vkey: path.join(dir, 'verification_key.json'),
    r1cs: path.join(dir, `${name}.r1cs`),
    sym: path.join(dir, `${name}.sym`),
    input: path.join(dir, 'input.json'),
  };
}

export const EXAMPLE_CIRCUITS: ExampleCircuit[] = [
  circuit('example_bn254', 'bn254', 20),
  circuit('example_bls12381', 'bls12-381', 16),
];

/** The same circuit at ~2^12 constraints: the broker's second calibration size (broker/challenges.ts). */
export const CALIBRATION_CIRCUITS: ExampleCircuit[] = [
  circuit('example_bn254_4k', 'bn254', 320),
  circuit('example_bls12381_4k', 'bls12-381', 320),
];

/** Deterministic byte stream from a seed (SHA-256 in counter mode). */
export class SeededRng {
  private counter = 0;
  constructor(readonly seed: string) {}
  bytes(n: number): Buffer {
    const out: Buffer[] = [];
    let have = 0;
    while (have < n) {
      const b = crypto.createHash('sha256').update(`${this.seed}/${this.counter++}`).digest();
      out.push(b);
      have += b.length;
    }
    return Buffer.concat(out).subarray(0, n);
  }
  /** uniform-ish bigint in [0, bound) (64 extra bits make the modulo bias negligible) */
  below(bound: bigint): bigint {
    const len = Math.ceil(bound.toString(16).length / 2) + 8;
    return BigInt('0x' + this.bytes(len).toString('hex')) % bound;
  }
}

export function newSeed(): string {
  return process.env.PM_TEST_SEED ?? crypto.randomBytes(8).toString('hex');
}

export interface ExampleInput {
  n: string;
  key: string;
  a: string;
  b: string;
  in: string[];
}

/** A random valid input: factors a, b in [2, 2^40), n = a*b, random field elements elsewhere. */
export function randomExampleInput(c: ExampleCircuit, rng: SeededRng): ExampleInput {
  const a = 2n + rng.below((1n << 40n) - 2n);
  const b = 2n + rng.below((1n << 40n) - 2n);
  return {
    n: (a * b).toString(),
    key: rng.below(c.prime).toString(),
    a: a.toString(),
    b: b.toString(),
    in: [0, 1, 2, 3].map(() => rng.below(c.prime).toString()),
  };
}

/** Round constant r, exactly as roundConstant(r) in circuits/src/example.circom. */
export function roundConstant(r: number): bigint {
  let c = 0x5a17n;
  for (let i = 0; i <= r; i++) c = (c * 1103515245n + 12345n) % 2147483648n;
  return c;
}

/** The circuit's output computed in plain bigint arithmetic (the reference for `out`). */
export function exampleOutput(c: ExampleCircuit, input: ExampleInput): bigint {
  const p = c.prime;
  const pow5 = (t: bigint) => { const t2 = (t * t) % p; return (((t2 * t2) % p) * t) % p; };
  let x = BigInt(input.key) % p;
  for (const v of input.in) {
    for (let r = 0; r < c.rounds; r++) x = pow5((x + BigInt(v) + roundConstant(r)) % p);
  }
  return (x + BigInt(input.n)) % p;
}

/** Public signals in snarkjs order: outputs, then public inputs as declared (n, key). */
export function examplePublicSignals(c: ExampleCircuit, input: ExampleInput): string[] {
  return [exampleOutput(c, input).toString(), BigInt(input.n).toString(), BigInt(input.key).toString()];
}
