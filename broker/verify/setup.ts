// Is a registered key sound? Two checks at registration, both from the zkey itself:
//  1. The verification key the broker will check proofs with is the zkey's own: alpha, beta,
//     gamma, delta and every IC point compared (a vkey exported from another contribution of the
//     same circuit shares alpha, beta, gamma and IC-less structure but not delta, and would make
//     every honest proof "fail").
//  2. The setup had at least one phase-2 contribution. `snarkjs groth16 setup` alone leaves
//     delta = gamma = the G2 generator and zero contributions in section 10; with such a key
//     anyone can forge a proof of any public values without a witness, so the key is refused
//     unless the owner says --allow-insecure-setup, and then flagged everywhere.
//
// zkey section 2 (Groth16 header) after nVars/nPublic/domainSize: alpha1, beta1 (G1), beta2,
// gamma2 (G2), delta1 (G1), delta2 (G2); section 3: nPublic+1 IC points (G1); section 10: 64-byte
// circuit hash, u32 number of contributions, then the contributions. Coordinates are n8q-byte
// little-endian Montgomery form (R = 2^(8·n8q)); G2 coordinates are (c0, c1); all-zero = infinity.
import { curveFromQ } from '../../src/common/curves';
import { FormatError, leToBig, modPow, readSections, withFile, type Reader, type Section } from '../formats';

/** Affine G1 point as canonical decimals, or null for the point at infinity. */
export type G1 = [string, string] | null;
/** Affine G2 point [[x.c0, x.c1], [y.c0, y.c1]], or null for the point at infinity. */
export type G2 = [[string, string], [string, string]] | null;

export interface ZkeyVerificationKey {
  alpha1: G1;
  beta1: G1;
  beta2: G2;
  gamma2: G2;
  delta1: G1;
  delta2: G2;
  /** nPublic + 1 points. */
  ic: G1[];
  /** Phase-2 contributions recorded in section 10; 0 when the section is missing. */
  contributions: number;
}

/** Reads the verification key points and the contribution count straight from a zkey. */
export function readZkeyVerificationKey(file: string): ZkeyVerificationKey {
  const what = 'zkey';
  return withFile(file, what, (r) => {
    const secs = readSections(r, 'zkey', what);
    const sec = (t: number): Section => {
      const s = secs.get(t);
      if (!s || s.length !== 1) throw new FormatError(`${what}: section ${t} ${s ? 'repeated' : 'missing'}`);
      return s[0];
    };
    const s2 = sec(2);
    let o = s2.offset;
    const n8q = r.u32(o); o += 4;
    const q = leToBig(r.bytes(o, n8q)); o += n8q;
    const n8r = r.u32(o); o += 4 + n8r;
    o += 4; // nVars
    const nPublic = r.u32(o); o += 4;
    o += 4; // domainSize
    const curve = curveFromQ(q);
    if (!curve) throw new FormatError('zkey: unknown curve');
    const R = 1n << BigInt(8 * n8q);
    const rInv = modPow(R % q, q - 2n, q);
    const fq = (rd: Reader, at: number) => (leToBig(rd.bytes(at, n8q)) * rInv) % q;
    const g1 = (at: number): G1 => {
      const x = fq(r, at); const y = fq(r, at + n8q);
      return x === 0n && y === 0n ? null : [x.toString(), y.toString()];
    };
    const g2 = (at: number): G2 => {
      const c = [0, 1, 2, 3].map((i) => fq(r, at + i * n8q));
      return c.every((v) => v === 0n) ? null : [[c[0].toString(), c[1].toString()], [c[2].toString(), c[3].toString()]];
    };
    const G1B = 2 * n8q; const G2B = 4 * n8q;
    if (o + 3 * G1B + 3 * G2B > s2.offset + s2.size) throw new FormatError(`${what}: Groth16 header section too short for the verification key`);
    const alpha1 = g1(o); o += G1B;
    const beta1 = g1(o); o += G1B;
    const beta2 = g2(o); o += G2B;
    const gamma2 = g2(o); o += G2B;
    const delta1 = g1(o); o += G1B;
    const delta2 = g2(o);
    const s3 = sec(3);
    if (s3.size !== (nPublic + 1) * G1B) throw new FormatError(`${what}: IC section holds ${s3.size} bytes, expected ${(nPublic + 1)} points of ${G1B}`);
    const ic: G1[] = [];
    for (let i = 0; i <= nPublic; i++) ic.push(g1(s3.offset + i * G1B));
    let contributions = 0;
    const s10 = secs.get(10)?.[0];
    if (s10 && s10.size >= 68) contributions = r.u32(s10.offset + 64);
    return { alpha1, beta1, beta2, gamma2, delta1, delta2, ic, contributions };
  });
}

function sameG2(a: G2, b: G2): boolean { return JSON.stringify(a) === JSON.stringify(b); }

/** Why a key has no trusted phase 2, or null if it had at least one contribution that moved delta. */
export function insecureSetupReason(vk: ZkeyVerificationKey): string | null {
  if (vk.contributions === 0) return 'the zkey records no phase-2 contribution (snarkjs groth16 setup output without `zkey contribute`)';
  if (sameG2(vk.delta2, vk.gamma2)) return 'the zkey\'s delta equals gamma (no phase-2 contribution took effect)';
  return null;
}

function dec(v: unknown): string | null {
  if (typeof v === 'string' && /^[0-9]{1,200}$/.test(v)) return BigInt(v).toString();
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  return null;
}

/** A vkey JSON G1 point ([x, y, z] projective as snarkjs exports it, z = 1 or 0 for infinity). */
function vkG1(v: unknown): G1 | 'bad' {
  if (!Array.isArray(v) || v.length !== 3) return 'bad';
  const [x, y, z] = v.map(dec);
  if (x === null || y === null || z === null) return 'bad';
  if (z === '0') return null;
  if (z !== '1') return 'bad';
  return [x, y];
}

function vkG2(v: unknown): G2 | 'bad' {
  if (!Array.isArray(v) || v.length !== 3 || !v.every((c) => Array.isArray(c) && c.length === 2)) return 'bad';
  const c = (v as unknown[][]).map((p) => p.map(dec));
  if (c.some((p) => p.some((x) => x === null))) return 'bad';
  if (c[2][0] === '0' && c[2][1] === '0') return null;
  if (c[2][0] !== '1' || c[2][1] !== '0') return 'bad';
  return [[c[0][0]!, c[0][1]!], [c[1][0]!, c[1][1]!]];
}

/**
 * Compares a verification key JSON (snarkjs `zkey export verificationkey`) with the zkey's own
 * points. Returns null when they are the same key, else a sentence naming the first difference.
 */
export function compareVerificationKey(vkJson: Record<string, unknown>, zk: ZkeyVerificationKey): string | null {
  const hint = 'the vkey was exported from a different zkey (another contribution or another circuit); export it again with `snarkjs zkey export verificationkey` from this zkey';
  const g1s: [string, unknown, G1][] = [['vk_alpha_1', vkJson.vk_alpha_1, zk.alpha1]];
  const g2s: [string, unknown, G2][] = [
    ['vk_beta_2', vkJson.vk_beta_2, zk.beta2], ['vk_gamma_2', vkJson.vk_gamma_2, zk.gamma2], ['vk_delta_2', vkJson.vk_delta_2, zk.delta2],
  ];
  for (const [name, v, want] of g1s) {
    const got = vkG1(v);
    if (got === 'bad') return `vkey ${name} is not a G1 point [x, y, "1"] of decimal strings`;
    if (JSON.stringify(got) !== JSON.stringify(want)) return `vkey ${name} differs from the zkey's: ${hint}`;
  }
  for (const [name, v, want] of g2s) {
    const got = vkG2(v);
    if (got === 'bad') return `vkey ${name} is not a G2 point [[x0, x1], [y0, y1], ["1", "0"]] of decimal strings`;
    if (!sameG2(got, want)) return `vkey ${name} differs from the zkey's: ${hint}`;
  }
  const ic = vkJson.IC;
  if (!Array.isArray(ic) || ic.length !== zk.ic.length) {
    return `vkey IC has ${Array.isArray(ic) ? ic.length : 0} points, the zkey ${zk.ic.length} (nPublic + 1)`;
  }
  for (let i = 0; i < ic.length; i++) {
    const got = vkG1(ic[i]);
    if (got === 'bad') return `vkey IC[${i}] is not a G1 point [x, y, "1"] of decimal strings`;
    if (JSON.stringify(got) !== JSON.stringify(zk.ic[i])) return `vkey IC[${i}] differs from the zkey's: ${hint}`;
  }
  return null;
}
