// Worker thread that verifies Groth16 proofs with snarkjs, so pairings never block the broker's
// event loop. ffjavascript caches each curve after first use, so curves are built once per worker.
import { parentPort } from 'worker_threads';

interface Snarkjs { groth16: { verify(vk: unknown, pub: unknown, proof: unknown, logger?: unknown): Promise<boolean> } }
// eslint-disable-next-line @typescript-eslint/no-require-imports
const snarkjs = require('snarkjs') as Snarkjs;

export interface VerifyRequest { id: number; vkey: unknown; publicSignals: unknown; proof: unknown }
export interface VerifyResponse { id: number; ok: boolean; reason: string }

parentPort!.on('message', (m: VerifyRequest | 'exit') => {
  if (m === 'exit') { process.exit(0); }
  const req = m as VerifyRequest;
  const errors: string[] = [];
  const logger = { error: (s: string) => errors.push(String(s)), info() {}, warn() {}, debug() {} };
  snarkjs.groth16.verify(req.vkey, req.publicSignals, req.proof, logger).then(
    (ok) => parentPort!.postMessage({ id: req.id, ok: ok === true, reason: ok ? '' : (errors.join('; ') || 'pairing check failed') } as VerifyResponse),
    (e: unknown) => parentPort!.postMessage({ id: req.id, ok: false, reason: `malformed proof: ${(e as Error)?.message ?? e}` } as VerifyResponse),
  );
});
