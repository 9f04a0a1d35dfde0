// Test-only misbehaviour of the prover daemon (PM_FAULT), so fault and attack tests run the real
// daemon against the real broker:
//   corrupt-proof     a proof whose pi_a is off by a little: parses, cannot verify
//   crash-mid-proof   SIGKILL itself while proving
//   hang              goes silent (no heartbeat, progress or result): the lease must lapse
//   replay-proof      answers every job after its first with the first job's (valid) proof
//   other-statement   proves the input with every scalar input value + 1: a valid proof of
//                     another statement
//   wrong-curve       a proof whose pi_a is the other curve's G1 generator (not on this curve)
//   false-bad-input   claims every input is bad (a non-retryable witness error) without trying
//   bad-pairing       swaps pi_a and pi_c: well-formed points, right public signals, fails the pairing
//   forge             with a key that had no phase-2 contribution (delta = gamma): a proof of the
//                     job's public signals made without the prover key, A = alpha, B = beta,
//                     C = -IC(x)
//   bare-proof        a valid proof sent without protocol/curve, keys reordered, unindented (the
//                     broker must still deliver snarkjs's exact layout)
export type Fault = 'corrupt-proof' | 'crash-mid-proof' | 'hang' | 'replay-proof' | 'other-statement' | 'wrong-curve'
  | 'false-bad-input' | 'bad-pairing' | 'forge' | 'bare-proof';
export const FAULTS: readonly Fault[] = ['corrupt-proof', 'crash-mid-proof', 'hang', 'replay-proof', 'other-statement',
  'wrong-curve', 'false-bad-input', 'bad-pairing', 'forge', 'bare-proof'];

export function parseFault(s: string | undefined | null): Fault | null {
  if (!s) return null;
  if ((FAULTS as readonly string[]).includes(s)) return s as Fault;
  throw new Error(`unknown fault "${s}" (expected one of: ${FAULTS.join(', ')})`);
}

/** Replaces pi_a's x coordinate with another number of the same size: parses, cannot verify. */
export function corruptProof(proof: Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(proof)) as Record<string, unknown>;
  const piA = copy.pi_a as string[];
  if (Array.isArray(piA) && typeof piA[0] === 'string') piA[0] = (BigInt(piA[0]) + 12345n).toString();
  return copy;
}

/** Swaps pi_a and pi_c: both valid G1 points, so the proof is well formed but wrong. */
export function swappedProof(proof: Record<string, unknown>): Record<string, unknown> {
  return { ...proof, pi_a: proof.pi_c, pi_c: proof.pi_a };
}

/** G1 generators in snarkjs projective JSON form. */
const BN254_G1 = ['1', '2', '1'];
const BLS12_381_G1 = [
  '3685416753713387016781088315183077757961620795782546409894578378688607592378376318836054947676345821548104185464507',
  '1339506544944476473020471379941921221584933875938349620426543736416511423956333506472724655353366534992391756441569',
  '1',
];

/** Puts the other curve's G1 generator in pi_a: well-formed JSON, not a point of this curve. */
export function wrongCurveProof(proof: Record<string, unknown>, curve: 'bn254' | 'bls12-381'): Record<string, unknown> {
  return { ...proof, pi_a: curve === 'bn254' ? BLS12_381_G1 : BN254_G1 };
}

/** Every scalar value of a top-level input signal + 1 (arrays untouched unless of scalars). */
export function otherStatementInput(inputJson: string): string {
  const o = JSON.parse(inputJson) as Record<string, unknown>;
  const bump = (v: unknown): unknown => Array.isArray(v) ? v.map(bump) : (BigInt(String(v)) + 1n).toString();
  for (const k of Object.keys(o)) o[k] = bump(o[k]);
  return JSON.stringify(o);
}

/**
 * A Groth16 "proof" of `publicSignals` made from the verification key alone; it verifies only
 * when delta = gamma (a key without a phase-2 contribution). BN254 and BLS12-381.
 */
export async function forgeProof(zkeyPath: string, curve: 'bn254' | 'bls12-381', publicSignals: string[]): Promise<Record<string, unknown>> {
  /* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-require-imports */
  const snarkjs: any = require('snarkjs');
  const ff: any = require('ffjavascript');
  const quiet = { info() {}, warn() {}, debug() {}, error() {} };
  const vk: any = await snarkjs.zKey.exportVerificationKey(zkeyPath, quiet);
  const c: any = curve === 'bn254' ? await ff.buildBn128(true) : await ff.buildBls12381(true);
  /* eslint-enable @typescript-eslint/no-explicit-any, @typescript-eslint/no-require-imports */
  const g1 = (p: string[]) => c.G1.fromObject(p.map(BigInt));
  let acc = g1(vk.IC[0]);
  publicSignals.forEach((s, i) => { acc = c.G1.add(acc, c.G1.timesScalar(g1(vk.IC[i + 1]), BigInt(s))); });
  const str = (o: unknown): unknown => Array.isArray(o) ? o.map(str) : String(o);
  const proof = {
    pi_a: str(c.G1.toObject(c.G1.toAffine(g1(vk.vk_alpha_1)))),
    pi_b: str(c.G2.toObject(c.G2.toAffine(c.G2.fromObject((vk.vk_beta_2 as string[][]).map((p) => p.map(BigInt)))))),
    pi_c: str(c.G1.toObject(c.G1.toAffine(c.G1.neg(acc)))),
    protocol: 'groth16', curve: curve === 'bn254' ? 'bn128' : 'bls12381',
  };
  await c.terminate?.();
  return proof;
}
