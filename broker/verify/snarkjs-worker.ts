// Child process that verifies Groth16 proofs with snarkjs, so pairings never block the broker's
// event loop. (A worker_thread cannot load snarkjs: its web-worker dependency treats any
// non-main thread as one of its own workers.) ffjavascript caches each curve after first use,
// so curves are built once per process.
interface Snarkjs { groth16: { verify(vk: unknown, pub: unknown, proof: unknown, logger?: unknown): Promise<boolean> } }
// eslint-disable-next-line @typescript-eslint/no-require-imports
const snarkjs = require('snarkjs') as Snarkjs;

interface Ffjavascript { getCurveFromName(name: string): Promise<unknown> }
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ffjavascript = require('ffjavascript') as Ffjavascript;

export interface VerifyRequest { id: number; vkey: unknown; publicSignals: unknown; proof: unknown }
/** Builds a curve ahead of the first proof ("bn128" | "bls12381"); snarkjs then finds it cached. */
export interface WarmRequest { warm: string }
export interface VerifyResponse { id: number; ok: boolean; reason: string }

if (require.main === module) {
  if (!process.send) throw new Error('snarkjs-worker must be started with child_process.fork');
  const reply = (r: VerifyResponse) => process.send!(r);
  process.on('disconnect', () => process.exit(0));
  process.on('message', (m: VerifyRequest | WarmRequest) => {
    if ('warm' in m) { ffjavascript.getCurveFromName(m.warm).catch(() => { /* the real verify reports it */ }); return; }
    const req = m;
    const errors: string[] = [];
    const logger = { error: (s: string) => errors.push(String(s)), info() {}, warn() {}, debug() {} };
    snarkjs.groth16.verify(req.vkey, req.publicSignals, req.proof, logger).then(
      (ok) => reply({ id: req.id, ok: ok === true, reason: ok ? '' : (errors.join('; ') || 'pairing check failed') }),
      (e: unknown) => reply({ id: req.id, ok: false, reason: `malformed proof: ${(e as Error)?.message ?? e}` }),
    );
  });
  process.send({ ready: true });
}
