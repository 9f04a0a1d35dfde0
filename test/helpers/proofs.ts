// Fresh Groth16 proofs of the example circuits (snarkjs fullProve on random inputs) and tampered
// variants of them, for the verifier tests and the verification benchmark.
import * as mcl from 'mcl-wasm';
import { CURVES } from '../../src/common/curves';
import { freshInput, type ExampleCircuit } from './circuits';

interface Snarkjs { groth16: { fullProve(input: unknown, wasm: string, zkey: string): Promise<{ proof: Record<string, unknown>; publicSignals: string[] }> } }
// eslint-disable-next-line @typescript-eslint/no-require-imports
const snarkjs = require('snarkjs') as Snarkjs;

export interface ProofCase {
  name: string;
  proofJson: string;
  publicJson: string;
  /** What a correct verifier must answer. */
  valid: boolean;
  /** snarkjs's answer where it differs from `valid` (it reduces coordinates >= q instead of rejecting them). */
  snarkjs?: boolean;
}

/** `count` valid proofs of `c` on fresh random inputs (snarkjs fullProve). */
export async function freshProofs(c: ExampleCircuit, count: number, rnd: () => bigint): Promise<ProofCase[]> {
  const out: ProofCase[] = [];
  for (let i = 0; i < count; i++) {
    const { proof, publicSignals } = await snarkjs.groth16.fullProve(freshInput(c, rnd), c.wasm, c.zkey);
    out.push({ name: `valid #${i}`, proofJson: JSON.stringify(proof), publicJson: JSON.stringify(publicSignals), valid: true });
  }
  return out;
}

/**
 * Points on the curve (or its twist) that are NOT in the prime-order subgroup, as snarkjs JSON
 * coordinates: a G2 point for both curves and a G1 point for BLS12-381 (BN254's G1 has cofactor 1).
 * Made with mcl in this thread: y = sqrt(x^3 + b) for x = 1, 2, ... until a root exists.
 */
export async function offSubgroupPoints(curve: 'bn254' | 'bls12-381'): Promise<{ g1: string[] | null; g2: string[][] }> {
  await mcl.init(curve === 'bn254' ? mcl.BN_SNARK1 : mcl.BLS12_381);
  mcl.verifyOrderG1(false); mcl.verifyOrderG2(false);
  const fp2 = (a: number, b: number) => { const x = new mcl.Fp2(); x.setInt(a, b); return x; };
  const bTwist = curve === 'bn254' ? mcl.div(fp2(3, 0), fp2(9, 1)) : fp2(4, 4);
  let g2: string[][] | null = null;
  for (let i = 1; !g2; i++) {
    const x = fp2(i, 1);
    const [ok, y] = mcl.squareRoot(mcl.add(mcl.mul(mcl.sqr(x), x), bTwist));
    if (!ok) continue;
    const Q = new mcl.G2(); Q.setStr(`1 ${x.getStr(10)} ${y.getStr(10)}`, 10);
    if (!Q.isValid() || Q.isValidOrder()) continue;
    const [x0, x1] = x.getStr(10).split(' '); const [y0, y1] = y.getStr(10).split(' ');
    g2 = [[x0, x1], [y0, y1], ['1', '0']];
  }
  let g1: string[] | null = null;
  if (curve === 'bls12-381') {
    for (let i = 1; !g1; i++) {
      const x = new mcl.Fp(); x.setInt(i);
      const four = new mcl.Fp(); four.setInt(4);
      const [ok, y] = mcl.squareRoot(mcl.add(mcl.mul(mcl.sqr(x), x), four));
      if (!ok) continue;
      const P = new mcl.G1(); P.setStr(`1 ${x.getStr(10)} ${y.getStr(10)}`, 10);
      if (!P.isValid() || P.isValidOrder()) continue;
      g1 = [x.getStr(10), y.getStr(10), '1'];
    }
  }
  return { g1, g2 };
}

/**
 * Tampered variants of valid proofs (which must have at least 2 entries): a changed public
 * signal, swapped proof points, a point off the curve, points off the subgroup, a signal >= r,
 * a wrong signal count, malformed JSON. Which proof each one starts from is drawn with `rnd`.
 */
export async function tamperedProofs(curve: 'bn254' | 'bls12-381', valid: ProofCase[], rnd: () => bigint): Promise<ProofCase[]> {
  const pick = () => valid[Number(rnd() % BigInt(valid.length))];
  const other = (p: ProofCase) => valid.find((q) => q !== p)!;
  const r = CURVES[curve].r; const q = CURVES[curve].q;
  const out: ProofCase[] = [];
  const mutate = (name: string, f: (proof: any, pub: string[], base: ProofCase) => void, snarkjsAccepts = false): void => {
    const base = pick();
    const proof = JSON.parse(base.proofJson); const pub = JSON.parse(base.publicJson) as string[];
    f(proof, pub, base);
    out.push({ name, proofJson: JSON.stringify(proof), publicJson: JSON.stringify(pub), valid: false, ...(snarkjsAccepts ? { snarkjs: true } : {}) });
  };
  mutate('public signal + 1', (_p, pub) => { const i = Number(rnd() % BigInt(pub.length)); pub[i] = ((BigInt(pub[i]) + 1n) % r).toString(); });
  mutate('pi_a of another proof', (p, _pub, b) => { p.pi_a = JSON.parse(other(b).proofJson).pi_a; });
  mutate('pi_b of another proof', (p, _pub, b) => { p.pi_b = JSON.parse(other(b).proofJson).pi_b; });
  mutate('pi_c of another proof', (p, _pub, b) => { p.pi_c = JSON.parse(other(b).proofJson).pi_c; });
  mutate('public signals of another proof', (_p, pub, b) => { pub.splice(0, pub.length, ...JSON.parse(other(b).publicJson)); });
  mutate('pi_a off the curve (y + 1)', (p) => { p.pi_a[1] = ((BigInt(p.pi_a[1]) + 1n) % q).toString(); });
  mutate('pi_b off the twist (y.c0 + 1)', (p) => { p.pi_b[1][0] = ((BigInt(p.pi_b[1][0]) + 1n) % q).toString(); });
  mutate('public signal + r (same residue, not reduced)', (_p, pub) => { pub[0] = (BigInt(pub[0]) + r).toString(); });
  // A second encoding of a valid proof: snarkjs reduces it mod q and accepts; we reject
  // non-canonical coordinates so a proof has one encoding.
  mutate('pi_a x + q (not reduced)', (p) => { p.pi_a[0] = (BigInt(p.pi_a[0]) + q).toString(); }, true);
  mutate('one public signal too many', (_p, pub) => { pub.push('1'); });
  mutate('pi_a at infinity', (p) => { p.pi_a = ['0', '1', '0']; });
  const off = await offSubgroupPoints(curve);
  mutate('pi_b on the twist, off the subgroup', (p) => { p.pi_b = off.g2; });
  if (off.g1) mutate('pi_a on the curve, off the subgroup', (p) => { p.pi_a = off.g1; });
  const base = pick();
  out.push({ name: 'proof JSON cut short', proofJson: base.proofJson.slice(0, 40), publicJson: base.publicJson, valid: false });
  out.push({ name: 'public JSON not an array', proofJson: base.proofJson, publicJson: '{"0":"1"}', valid: false });
  out.push({ name: 'pi_b missing', proofJson: JSON.stringify({ ...JSON.parse(base.proofJson), pi_b: undefined }), publicJson: base.publicJson, valid: false });
  return out;
}
