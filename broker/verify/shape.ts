// Structural checks of a Groth16 proof and its public signals, run on the broker's thread before
// any pairing: malformed JSON, wrong shapes, coordinates outside the base field, public signals
// outside the scalar field and a signal count that differs from the circuit all get a reason a
// person can act on, and never reach a verifier.
import { CURVES, parseCurve, type CurveName } from '../../src/common/curves';

export interface Verdict { ok: boolean; reason: string }

/** An affine G1 point as decimal strings [x, y] (snarkjs' z = "1" dropped). */
export type G1Affine = [string, string];
/** An affine G2 point as decimal strings [[x.c0, x.c1], [y.c0, y.c1]]. */
export type G2Affine = [[string, string], [string, string]];

/** A proof after checkProofShape: affine points, coordinates < q, signals < r. */
export interface ParsedProof { a: G1Affine; b: G2Affine; c: G1Affine; pub: string[] }

const DEC = /^[0-9]{1,200}$/;
/**
 * A public signal as snarkjs writes it: canonical decimal, no sign, no leading zeros. A signal
 * written any other way ("007", "+7") denotes the same field element, so it would verify, but a
 * client comparing public.json as text would read another value: refused as malformed.
 */
const CANONICAL = /^(0|[1-9][0-9]{0,199})$/;

function isPointList(v: unknown, len: number, inner?: number): boolean {
  if (!Array.isArray(v) || v.length !== len) return false;
  return v.every((x) => inner ? (Array.isArray(x) && x.length === 2 && x.every((y) => typeof y === 'string' && DEC.test(y)))
    : (typeof x === 'string' && DEC.test(x)));
}

/**
 * Cheap structural checks, so garbage never reaches a pairing. Returns the parsed proof and
 * signals, or a reason. With `curve` given it also checks every coordinate is below the base
 * field modulus q, every public signal below the scalar field modulus r (snarkjs rejects those
 * too), and that the points are affine (z = 1, as snarkjs and our engine write them).
 */
export function checkProofShape(proofJson: string, publicJson: string, nPublic: number, curve?: CurveName):
  { proof: Record<string, unknown>; pub: string[]; parsed: ParsedProof } | string {
  let proof: Record<string, unknown>; let pub: unknown;
  try { proof = JSON.parse(proofJson); } catch { return 'proof_json is not valid JSON'; }
  try { pub = JSON.parse(publicJson); } catch { return 'public_json is not valid JSON'; }
  if (!proof || typeof proof !== 'object' || Array.isArray(proof)) return 'proof_json is not an object';
  if (proof.protocol !== undefined && proof.protocol !== 'groth16') return `proof protocol is ${String(proof.protocol)}, expected groth16`;
  if (!isPointList(proof.pi_a, 3) || !isPointList(proof.pi_c, 3) || !isPointList(proof.pi_b, 3, 2)) {
    return 'proof_json lacks well-formed pi_a / pi_b / pi_c';
  }
  if (!Array.isArray(pub) || !pub.every((x) => typeof x === 'string' && DEC.test(x))) return 'public_json is not an array of decimal strings';
  const nc = (pub as string[]).findIndex((x) => !CANONICAL.test(x));
  if (nc >= 0) return `public signal ${nc} (${(pub as string[])[nc].slice(0, 24)}) is not canonical decimal (no leading zeros)`;
  if (pub.length !== nPublic) return `public_json has ${pub.length} signals, the circuit has ${nPublic}`;
  const pa = proof.pi_a as string[]; const pb = proof.pi_b as string[][]; const pc = proof.pi_c as string[];
  const parsed: ParsedProof = { a: [pa[0], pa[1]], b: [[pb[0][0], pb[0][1]], [pb[1][0], pb[1][1]]], c: [pc[0], pc[1]], pub: pub as string[] };
  if (curve) {
    if (BigInt(pa[2]) !== 1n || BigInt(pc[2]) !== 1n || BigInt(pb[2][0]) !== 1n || BigInt(pb[2][1]) !== 0n) {
      return 'proof points must be affine (z = 1, as snarkjs writes them)';
    }
    const { q, r } = CURVES[curve];
    const coords = [pa[0], pa[1], pc[0], pc[1], ...pb[0], ...pb[1]];
    if (coords.some((x) => BigInt(x) >= q)) return `a proof coordinate is not below the ${CURVES[curve].label} base field modulus`;
    const i = (pub as string[]).findIndex((x) => BigInt(x) >= r);
    if (i >= 0) return `public signal ${i} is not below the ${CURVES[curve].label} scalar field modulus r`;
  }
  return { proof, pub: pub as string[], parsed };
}

/** A verification key's points in affine form, with its curve; throws an Error naming the defect. */
export interface ParsedVkey { curve: CurveName; nPublic: number; alpha: G1Affine; beta: G2Affine; gamma: G2Affine; delta: G2Affine; ic: G1Affine[] }

export function parseVkey(vkey: unknown): ParsedVkey {
  const v = vkey as Record<string, unknown>;
  if (!v || typeof v !== 'object') throw new Error('verification key is not an object');
  if (v.protocol !== undefined && v.protocol !== 'groth16') throw new Error(`verification key protocol is ${String(v.protocol)}, expected groth16`);
  const curve = parseCurve(String(v.curve));
  if (!curve) throw new Error(`verification key names an unknown curve "${String(v.curve)}"`);
  const g1 = (name: string, x: unknown): G1Affine => {
    if (!isPointList(x, 3)) throw new Error(`verification key ${name} is not a G1 point`);
    const p = x as string[];
    if (BigInt(p[2]) !== 1n) throw new Error(`verification key ${name} is not affine`);
    return [p[0], p[1]];
  };
  const g2 = (name: string, x: unknown): G2Affine => {
    if (!isPointList(x, 3, 2)) throw new Error(`verification key ${name} is not a G2 point`);
    const p = x as string[][];
    if (BigInt(p[2][0]) !== 1n || BigInt(p[2][1]) !== 0n) throw new Error(`verification key ${name} is not affine`);
    return [[p[0][0], p[0][1]], [p[1][0], p[1][1]]];
  };
  if (!Array.isArray(v.IC) || v.IC.length < 1) throw new Error('verification key lacks IC');
  const ic = (v.IC as unknown[]).map((p, i) => g1(`IC[${i}]`, p));
  const nPublic = Number(v.nPublic);
  if (nPublic !== ic.length - 1) throw new Error(`verification key has nPublic ${String(v.nPublic)} but ${ic.length} IC points`);
  return { curve, nPublic, alpha: g1('vk_alpha_1', v.vk_alpha_1), beta: g2('vk_beta_2', v.vk_beta_2),
    gamma: g2('vk_gamma_2', v.vk_gamma_2), delta: g2('vk_delta_2', v.vk_delta_2), ic };
}
