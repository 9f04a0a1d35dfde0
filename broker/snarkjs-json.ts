// proof.json and public.json exactly as snarkjs writes them (`snarkjs groth16 prove` uses bfj with
// space 1, which is JSON.stringify(x, null, 1) without a trailing newline): keys pi_a, pi_b, pi_c,
// protocol, curve in that order. The broker re-serialises whatever a prover sent into this layout,
// so a client always gets the same bytes snarkjs would have written.
import { curveToSnarkjs, type CurveName } from '../src/common/curves';

/** The snarkjs layout of a Groth16 proof, or null when proofJson is not a JSON object. */
export function snarkjsProofJson(proofJson: string, curve: CurveName): string | null {
  let p: Record<string, unknown>;
  try { p = JSON.parse(proofJson) as Record<string, unknown>; } catch { return null; }
  if (!p || typeof p !== 'object' || Array.isArray(p)) return null;
  return JSON.stringify({ pi_a: p.pi_a, pi_b: p.pi_b, pi_c: p.pi_c, protocol: 'groth16', curve: curveToSnarkjs(curve) }, null, 1);
}

/**
 * The snarkjs layout of public signals, or null when publicJson is not a JSON array of canonical
 * decimal strings (as snarkjs writes them: no sign, no leading zeros). Such text is kept as sent,
 * for the verifier to refuse as malformed (verify/shape.ts): what a client gets is always canonical.
 */
export function snarkjsPublicJson(publicJson: string): string | null {
  let p: unknown;
  try { p = JSON.parse(publicJson); } catch { return null; }
  if (!Array.isArray(p) || !p.every((x) => typeof x === 'string' && /^(0|[1-9][0-9]*)$/.test(x))) return null;
  return JSON.stringify(p, null, 1);
}
