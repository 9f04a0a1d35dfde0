// Witness generation with the circuit's circom wasm, in memory (snarkjs wtns.calculate into a
// mem file). A failure here means the input itself is bad (missing signal, failed constraint
// assert), which is not worth retrying on another prover.

interface SnarkjsWtns {
  wtns: {
    calculate(input: unknown, wasm: string, out: { type: 'mem'; data?: Uint8Array }): Promise<void>;
  };
}

export class WitnessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WitnessError';
  }
}

/** Returns the bytes of a snarkjs .wtns file for `inputJson` (a JSON object of input signals). */
export async function computeWitness(inputJson: string, wasmPath: string): Promise<Uint8Array> {
  let input: unknown;
  try {
    input = JSON.parse(inputJson);
  } catch (err) {
    throw new WitnessError(`input is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new WitnessError('input must be a JSON object of signal names to values');
  }
  const snarkjs = require('snarkjs') as SnarkjsWtns;
  const out: { type: 'mem'; data?: Uint8Array } = { type: 'mem' };
  try {
    await snarkjs.wtns.calculate(input, wasmPath, out);
  } catch (err) {
    const msg = String((err as Error).message ?? err).replace(/\s+/g, ' ').trim();
    throw new WitnessError(`witness generation failed: ${msg}`);
  }
  if (!out.data) throw new WitnessError('witness generation produced no output');
  return out.data;
}

/**
 * Whether a proving error is worth retrying (on this or another prover). A WitnessError is the
 * input's fault; so is a witness whose length is not the zkey's (snarkjs: "Invalid witness length.
 * Circuit: 380, witness: 3980"; the native engine: "witness has 3980 values but the circuit of …
 * has 380 signals"): every prover would fail the same way, so it is reported as non-retryable (the
 * broker checks the claim against its own witness computation). Anything else (out of memory, a
 * lost device) may pass elsewhere.
 */
export function retryableError(err: unknown): boolean {
  if (err instanceof WitnessError) return false;
  const m = String((err as Error)?.message ?? err);
  return !/invalid witness length|witness has \d+ values but the circuit/i.test(m);
}
