// Curve names in the three vocabularies we meet: ours ('bn254' | 'bls12-381'), the proto enum,
// and snarkjs/ffjavascript ("bn128" | "bls12381"), plus each curve's base and scalar moduli.
import type { Curve__Output } from './proto';

export type CurveName = 'bn254' | 'bls12-381';
export type ProtoCurve = Exclude<Curve__Output, 'CURVE_UNSPECIFIED'>;

export interface CurveInfo {
  name: CurveName;
  proto: ProtoCurve;
  /** Name used by snarkjs in vkey.json `curve` and by ffjavascript's getCurveFromName. */
  snarkjs: 'bn128' | 'bls12381';
  /** Human label used in error messages. */
  label: string;
  /** Base field modulus (zkey header `q`). */
  q: bigint;
  /** Scalar field modulus (zkey header `r`; inputs must be below it). */
  r: bigint;
}

export const CURVES: Record<CurveName, CurveInfo> = {
  'bn254': {
    name: 'bn254', proto: 'CURVE_BN254', snarkjs: 'bn128', label: 'BN254',
    q: 21888242871839275222246405745257275088696311157297823662689037894645226208583n,
    r: 21888242871839275222246405745257275088548364400416034343698204186575808495617n,
  },
  'bls12-381': {
    name: 'bls12-381', proto: 'CURVE_BLS12_381', snarkjs: 'bls12381', label: 'BLS12-381',
    q: 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaabn,
    r: 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n,
  },
};

const ALIASES: Record<string, CurveName> = {
  'bn254': 'bn254', 'bn128': 'bn254', 'alt_bn128': 'bn254', 'curve_bn254': 'bn254',
  'bls12-381': 'bls12-381', 'bls12381': 'bls12-381', 'bls12_381': 'bls12-381', 'curve_bls12_381': 'bls12-381',
};

/** Parses any known spelling ('bn128', 'BN254', 'CURVE_BLS12_381', 'bls12381', ...) or returns null. */
export function parseCurve(s: string | null | undefined): CurveName | null {
  if (!s) return null;
  return ALIASES[String(s).toLowerCase()] ?? null;
}

/** Like parseCurve but throws an Error naming the bad value. */
export function curveInfo(s: string): CurveInfo {
  const c = parseCurve(s);
  if (!c) throw new Error(`unknown curve "${s}" (expected bn254 or bls12-381)`);
  return CURVES[c];
}

export function curveFromProto(p: Curve__Output | string | number): CurveName | null {
  if (p === 1 || p === 'CURVE_BN254') return 'bn254';
  if (p === 2 || p === 'CURVE_BLS12_381') return 'bls12-381';
  return null;
}

export function curveToProto(c: CurveName): ProtoCurve { return CURVES[c].proto; }
export function curveToSnarkjs(c: CurveName): 'bn128' | 'bls12381' { return CURVES[c].snarkjs; }

/** The curve whose base field modulus is q (how a zkey header names its curve), or null. */
export function curveFromQ(q: bigint): CurveName | null {
  for (const c of Object.values(CURVES)) if (c.q === q) return c.name;
  return null;
}
