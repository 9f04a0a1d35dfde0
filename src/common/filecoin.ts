// Filecoin's 192-byte Groth16 proof encoding for BLS12-381 (what bellperson writes and the chain
// takes): A (48 bytes, compressed G1) ‖ B (96 bytes, compressed G2) ‖ C (48 bytes, compressed G1),
// each point in the zcash serialization:
//   - big-endian coordinates; G2's x = x0 + x1·u is written x1 ‖ x0;
//   - the three top bits of the first byte are flags: 0x80 compressed (always set here),
//     0x40 point at infinity (all other bits zero), 0x20 "y is the larger of ±y"
//     (for Fp2, y1 decides, or y0 when y1 = 0: lexicographic order on (y1, y0)).
// Conversion to and from snarkjs's proof.json (decimal strings, projective triples with z = 1, or
// the zero triple [0, 1, 0] for infinity). Decoding checks that every point is on the curve and in
// the prime-order subgroup, as bellperson does, so a decoded proof is a well-formed one.
//
// Plain bigint arithmetic: a proof takes a few milliseconds to decode, negligible next to proving.

import { CURVES } from './curves';

const P = CURVES['bls12-381'].q;
const R = CURVES['bls12-381'].r;
const HALF_P = (P - 1n) / 2n;

/** Bytes of one compressed G1 point, one compressed G2 point and one Groth16 proof. */
export const G1_COMPRESSED_BYTES = 48;
export const G2_COMPRESSED_BYTES = 96;
export const FILECOIN_PROOF_BYTES = 192;

const FLAG_COMPRESSED = 0x80;
const FLAG_INFINITY = 0x40;
const FLAG_SIGN = 0x20;

// ---------------------------------------------------------------------------------------------
// Fp and Fp2 = Fp[u]/(u² + 1)

const mod = (a: bigint): bigint => { const r = a % P; return r < 0n ? r + P : r; };

function pow(b: bigint, e: bigint): bigint {
  let r = 1n; b = mod(b);
  while (e > 0n) { if (e & 1n) r = (r * b) % P; b = (b * b) % P; e >>= 1n; }
  return r;
}

function inv(a: bigint): bigint {
  // extended Euclid (a ≠ 0 mod P)
  let [r0, r1, s0, s1] = [mod(a), P, 1n, 0n];
  if (r0 === 0n) throw new Error('inverse of zero');
  while (r1 !== 0n) { const q = r0 / r1; [r0, r1] = [r1, r0 - q * r1]; [s0, s1] = [s1, s0 - q * s1]; }
  return mod(s0);
}

/** A square root in Fp (P ≡ 3 mod 4), or null when a is not a square. */
function sqrtFp(a: bigint): bigint | null {
  const s = pow(a, (P + 1n) / 4n);
  return (s * s) % P === mod(a) ? s : null;
}

type Fp2 = [bigint, bigint];
const f2add = (a: Fp2, b: Fp2): Fp2 => [mod(a[0] + b[0]), mod(a[1] + b[1])];
const f2sub = (a: Fp2, b: Fp2): Fp2 => [mod(a[0] - b[0]), mod(a[1] - b[1])];
const f2mul = (a: Fp2, b: Fp2): Fp2 => [mod(a[0] * b[0] - a[1] * b[1]), mod(a[0] * b[1] + a[1] * b[0])];
const f2eq = (a: Fp2, b: Fp2): boolean => a[0] === b[0] && a[1] === b[1];
const f2zero = (a: Fp2): boolean => a[0] === 0n && a[1] === 0n;
function f2inv(a: Fp2): Fp2 {
  const t = inv(mod(a[0] * a[0] + a[1] * a[1]));
  return [mod(a[0] * t), mod(-a[1] * t)];
}

/** A square root in Fp2, or null when a is not a square (via the norm: |a| = a0² + a1²). */
function sqrtFp2(a: Fp2): Fp2 | null {
  const [a0, a1] = a;
  if (a1 === 0n) {
    const s = sqrtFp(a0);
    if (s !== null) return [s, 0n];
    const t = sqrtFp(mod(-a0)); // -1 = u², so sqrt(a0) = u·sqrt(-a0)
    return t === null ? null : [0n, t];
  }
  const n = sqrtFp(mod(a0 * a0 + a1 * a1));
  if (n === null) return null;
  const half = inv(2n);
  let x0 = sqrtFp(mod((a0 + n) * half));
  if (x0 === null) x0 = sqrtFp(mod((a0 - n) * half));
  if (x0 === null || x0 === 0n) return null;
  const r: Fp2 = [x0, mod(a1 * inv(2n * x0))];
  return f2eq(f2mul(r, r), [mod(a0), mod(a1)]) ? r : null;
}

// ---------------------------------------------------------------------------------------------
// Affine points and the subgroup check (r·P = O), generic over Fp and Fp2.

interface Field<T> {
  add(a: T, b: T): T; sub(a: T, b: T): T; mul(a: T, b: T): T; inv(a: T): T;
  eq(a: T, b: T): boolean; isZero(a: T): boolean; fromInt(n: bigint): T;
}
const FP: Field<bigint> = {
  add: (a, b) => mod(a + b), sub: (a, b) => mod(a - b), mul: (a, b) => (a * b) % P, inv,
  eq: (a, b) => a === b, isZero: (a) => a === 0n, fromInt: (n) => mod(n),
};
const FP2: Field<Fp2> = {
  add: f2add, sub: f2sub, mul: f2mul, inv: f2inv, eq: f2eq, isZero: f2zero, fromInt: (n) => [mod(n), 0n],
};

type Affine<T> = { x: T; y: T } | null; // null = infinity

function addAffine<T>(F: Field<T>, p: Affine<T>, q: Affine<T>): Affine<T> {
  if (p === null) return q;
  if (q === null) return p;
  let l: T;
  if (F.eq(p.x, q.x)) {
    if (!F.eq(p.y, q.y) || F.isZero(p.y)) return null;
    const x2 = F.mul(p.x, p.x);
    l = F.mul(F.add(F.add(x2, x2), x2), F.inv(F.add(p.y, p.y)));
  } else {
    l = F.mul(F.sub(q.y, p.y), F.inv(F.sub(q.x, p.x)));
  }
  const x = F.sub(F.sub(F.mul(l, l), p.x), q.x);
  return { x, y: F.sub(F.mul(l, F.sub(p.x, x)), p.y) };
}

function mulAffine<T>(F: Field<T>, p: Affine<T>, k: bigint): Affine<T> {
  let acc: Affine<T> = null;
  for (let i = BigInt(k.toString(2).length - 1); i >= 0n; i--) {
    acc = addAffine(F, acc, acc);
    if ((k >> i) & 1n) acc = addAffine(F, acc, p);
  }
  return acc;
}

// y² = x³ + 4 on G1, y² = x³ + 4(1 + u) on G2
const B1 = 4n;
const B2: Fp2 = [4n, 4n];

function onCurve<T>(F: Field<T>, b: T, p: { x: T; y: T }): boolean {
  return F.eq(F.mul(p.y, p.y), F.add(F.mul(F.mul(p.x, p.x), p.x), b));
}

// ---------------------------------------------------------------------------------------------
// Compressed encodings

function fpToBytes(a: bigint, out: Uint8Array, at: number): void {
  for (let i = 47; i >= 0; i--) { out[at + i] = Number(a & 0xffn); a >>= 8n; }
}
function fpFromBytes(b: Uint8Array, at: number, what: string): bigint {
  let a = 0n;
  for (let i = 0; i < 48; i++) a = (a << 8n) | BigInt(b[at + i]);
  if (a >= P) throw new Error(`${what}: coordinate is not below the field modulus`);
  return a;
}

/** An affine G1 point (null = infinity) → 48 bytes, zcash compressed form. */
export function encodeG1(p: { x: bigint; y: bigint } | null): Uint8Array {
  const out = new Uint8Array(G1_COMPRESSED_BYTES);
  if (p === null) { out[0] = FLAG_COMPRESSED | FLAG_INFINITY; return out; }
  fpToBytes(p.x, out, 0);
  out[0] |= FLAG_COMPRESSED | (p.y > HALF_P ? FLAG_SIGN : 0);
  return out;
}

/** An affine G2 point (coordinates [c0, c1]; null = infinity) → 96 bytes, zcash compressed form. */
export function encodeG2(p: { x: Fp2; y: Fp2 } | null): Uint8Array {
  const out = new Uint8Array(G2_COMPRESSED_BYTES);
  if (p === null) { out[0] = FLAG_COMPRESSED | FLAG_INFINITY; return out; }
  fpToBytes(p.x[1], out, 0);
  fpToBytes(p.x[0], out, 48);
  const big = p.y[1] !== 0n ? p.y[1] > HALF_P : p.y[0] > HALF_P;
  out[0] |= FLAG_COMPRESSED | (big ? FLAG_SIGN : 0);
  return out;
}

/** Reads and strips the flag bits of a compressed point; checks the infinity encoding. */
function readFlags(b: Uint8Array, len: number, what: string): { infinity: boolean; sign: boolean; body: Uint8Array } {
  if (b.length !== len) throw new Error(`${what}: expected ${len} bytes, got ${b.length}`);
  const f = b[0];
  if (!(f & FLAG_COMPRESSED)) throw new Error(`${what}: compression flag (0x80) not set; only compressed points are accepted`);
  const body = Uint8Array.from(b);
  body[0] &= 0x1f;
  if (f & FLAG_INFINITY) {
    if ((f & FLAG_SIGN) || body.some((x) => x !== 0)) throw new Error(`${what}: infinity flag set but the rest of the encoding is not zero`);
    return { infinity: true, sign: false, body };
  }
  return { infinity: false, sign: (f & FLAG_SIGN) !== 0, body };
}

/** 48 bytes, zcash compressed form → affine G1 point (null = infinity); throws if not in G1. */
export function decodeG1(b: Uint8Array, what = 'G1 point'): { x: bigint; y: bigint } | null {
  const { infinity, sign, body } = readFlags(b, G1_COMPRESSED_BYTES, what);
  if (infinity) return null;
  const x = fpFromBytes(body, 0, what);
  let y = sqrtFp(mod(x * x * x + B1));
  if (y === null) throw new Error(`${what}: x is not the abscissa of a curve point`);
  if ((y > HALF_P) !== sign) y = mod(-y);
  const p = { x, y };
  if (mulAffine(FP, p, R) !== null) throw new Error(`${what}: point is not in the prime-order subgroup`);
  return p;
}

/** 96 bytes, zcash compressed form → affine G2 point (null = infinity); throws if not in G2. */
export function decodeG2(b: Uint8Array, what = 'G2 point'): { x: Fp2; y: Fp2 } | null {
  const { infinity, sign, body } = readFlags(b, G2_COMPRESSED_BYTES, what);
  if (infinity) return null;
  const x: Fp2 = [fpFromBytes(body, 48, what), fpFromBytes(body, 0, what)];
  let y = sqrtFp2(f2add(f2mul(f2mul(x, x), x), B2));
  if (y === null) throw new Error(`${what}: x is not the abscissa of a curve point`);
  const big = y[1] !== 0n ? y[1] > HALF_P : y[0] > HALF_P;
  if (big !== sign) y = [mod(-y[0]), mod(-y[1])];
  const p = { x, y };
  if (mulAffine(FP2, p, R) !== null) throw new Error(`${what}: point is not in the prime-order subgroup`);
  return p;
}

// ---------------------------------------------------------------------------------------------
// snarkjs proof.json ⇄ 192 bytes

/** The proof part of snarkjs's proof.json (what `groth16 prove` writes). */
export interface SnarkjsProof {
  pi_a: string[];
  pi_b: string[][];
  pi_c: string[];
  protocol?: string;
  curve?: string;
}

function num(s: unknown, what: string): bigint {
  if (typeof s !== 'string' && typeof s !== 'number' && typeof s !== 'bigint') throw new Error(`${what}: expected a decimal string`);
  let v: bigint;
  try { v = BigInt(s); } catch { throw new Error(`${what}: "${String(s)}" is not an integer`); }
  if (v < 0n || v >= P) throw new Error(`${what}: ${v} is not a field element of BLS12-381's base field`);
  return v;
}

function g1FromJson(a: unknown, what: string): { x: bigint; y: bigint } | null {
  if (!Array.isArray(a) || a.length !== 3) throw new Error(`${what}: expected [x, y, z]`);
  const [x, y, z] = a.map((v, i) => num(v, `${what}[${i}]`));
  if (z === 0n) return null;
  if (z !== 1n) throw new Error(`${what}: z must be 1 (affine) or 0 (infinity), got ${z}`);
  const p = { x, y };
  if (!onCurve(FP, B1, p)) throw new Error(`${what}: not a point of BLS12-381's G1 curve`);
  return p;
}

function g2FromJson(a: unknown, what: string): { x: Fp2; y: Fp2 } | null {
  if (!Array.isArray(a) || a.length !== 3 || !a.every((c) => Array.isArray(c) && c.length === 2)) {
    throw new Error(`${what}: expected [[x0, x1], [y0, y1], [z0, z1]]`);
  }
  const [x, y, z] = (a as unknown[][]).map((c, i) => [num(c[0], `${what}[${i}][0]`), num(c[1], `${what}[${i}][1]`)] as Fp2);
  if (f2zero(z)) return null;
  if (!f2eq(z, [1n, 0n])) throw new Error(`${what}: z must be [1, 0] (affine) or [0, 0] (infinity)`);
  const p = { x, y };
  if (!onCurve(FP2, B2, p)) throw new Error(`${what}: not a point of BLS12-381's G2 curve`);
  return p;
}

/**
 * snarkjs proof.json (a BLS12-381 Groth16 proof) → Filecoin's 192 bytes A ‖ B ‖ C.
 * Throws (naming the field) when the proof is for another curve or a coordinate is not a point.
 */
export function proofToFilecoin(proof: SnarkjsProof): Uint8Array {
  if (proof.curve !== undefined && proof.curve !== 'bls12381') {
    throw new Error(`the Filecoin encoding is for BLS12-381 proofs; this proof is on "${proof.curve}"`);
  }
  if (proof.protocol !== undefined && proof.protocol !== 'groth16') {
    throw new Error(`the Filecoin encoding is for Groth16 proofs; this proof is "${proof.protocol}"`);
  }
  const out = new Uint8Array(FILECOIN_PROOF_BYTES);
  out.set(encodeG1(g1FromJson(proof.pi_a, 'pi_a')), 0);
  out.set(encodeG2(g2FromJson(proof.pi_b, 'pi_b')), 48);
  out.set(encodeG1(g1FromJson(proof.pi_c, 'pi_c')), 144);
  return out;
}

function g1ToJson(p: { x: bigint; y: bigint } | null): string[] {
  return p === null ? ['0', '1', '0'] : [p.x.toString(), p.y.toString(), '1'];
}
function g2ToJson(p: { x: Fp2; y: Fp2 } | null): string[][] {
  if (p === null) return [['0', '0'], ['1', '0'], ['0', '0']];
  return [[p.x[0].toString(), p.x[1].toString()], [p.y[0].toString(), p.y[1].toString()], ['1', '0']];
}

/**
 * Filecoin's 192 bytes → snarkjs proof.json (with protocol "groth16", curve "bls12381").
 * Throws when a point is malformed, off the curve or outside the prime-order subgroup.
 */
export function proofFromFilecoin(bytes: Uint8Array): Required<SnarkjsProof> {
  if (bytes.length !== FILECOIN_PROOF_BYTES) {
    throw new Error(`a Filecoin Groth16 proof is ${FILECOIN_PROOF_BYTES} bytes, got ${bytes.length}`);
  }
  return {
    pi_a: g1ToJson(decodeG1(bytes.subarray(0, 48), 'A')),
    pi_b: g2ToJson(decodeG2(bytes.subarray(48, 144), 'B')),
    pi_c: g1ToJson(decodeG1(bytes.subarray(144, 192), 'C')),
    protocol: 'groth16',
    curve: 'bls12381',
  };
}

/** N proofs → their N × 192-byte concatenation, in order (a partitioned proof as the chain takes it). */
export function proofsToFilecoin(proofs: SnarkjsProof[]): Uint8Array {
  const out = new Uint8Array(proofs.length * FILECOIN_PROOF_BYTES);
  proofs.forEach((p, i) => {
    try { out.set(proofToFilecoin(p), i * FILECOIN_PROOF_BYTES); } catch (e) {
      throw new Error(`proof ${i}: ${(e as Error).message}`);
    }
  });
  return out;
}

/** N × 192 bytes → N snarkjs proofs. */
export function proofsFromFilecoin(bytes: Uint8Array): Required<SnarkjsProof>[] {
  if (bytes.length % FILECOIN_PROOF_BYTES !== 0) {
    throw new Error(`expected a multiple of ${FILECOIN_PROOF_BYTES} bytes, got ${bytes.length}`);
  }
  const out: Required<SnarkjsProof>[] = [];
  for (let i = 0; i < bytes.length; i += FILECOIN_PROOF_BYTES) {
    try { out.push(proofFromFilecoin(bytes.subarray(i, i + FILECOIN_PROOF_BYTES))); } catch (e) {
      throw new Error(`proof ${i / FILECOIN_PROOF_BYTES}: ${(e as Error).message}`);
    }
  }
  return out;
}
