// worker_thread that verifies Groth16 proofs of one curve with mcl (groth16-mcl.ts), so pairings
// never block the broker's event loop. Started by the Verifier pool (index.ts) with
// workerData = { curve }. Messages are handled in arrival order.
import { parentPort, workerData } from 'worker_threads';
import type { CurveName } from '../../src/common/curves';
import { initMcl, prepareVkey, verifyBatch, type BatchStats, type PreparedVkey } from './groth16-mcl';
import type { ParsedProof, ParsedVkey, Verdict } from './shape';

/** Registers a verification key under a number the pool chose; sent once per worker per key. */
export interface VkeyMessage { op: 'vkey'; key: number; vkey: ParsedVkey }
/** Verifies proofs of one registered key together (a batch of one is a single check). */
export interface BatchMessage { op: 'verify'; id: number; key: number; proofs: ParsedProof[] }
export interface BatchReply { id: number; verdicts: Verdict[]; stats: BatchStats }

if (parentPort) {
  const port = parentPort;
  const curve = (workerData as { curve: CurveName }).curve;
  const ready = initMcl(curve);
  const vkeys = new Map<number, PreparedVkey | string>();
  port.on('message', (m: VkeyMessage | BatchMessage) => {
    ready.then(() => {
      if (m.op === 'vkey') {
        try { vkeys.set(m.key, prepareVkey(m.vkey)); } catch (e) { vkeys.set(m.key, `bad verification key: ${(e as Error).message}`); }
        return;
      }
      const stats: BatchStats = { batches: 0, batchFailures: 0, singles: 0 };
      const vk = vkeys.get(m.key);
      let verdicts: Verdict[];
      if (vk === undefined) verdicts = m.proofs.map(() => ({ ok: false, reason: 'verifier unavailable: verification key not registered' }));
      else if (typeof vk === 'string') verdicts = m.proofs.map(() => ({ ok: false, reason: vk }));
      else {
        try { verdicts = verifyBatch(vk, m.proofs, stats); } catch {
          // Not expected (verifyBatch reports bad points per proof), but one proof that makes mcl
          // throw must not fail the others of its batch: check each alone.
          verdicts = m.proofs.map((p) => {
            try { return verifyBatch(vk, [p], stats)[0]; } catch (e) { return { ok: false, reason: `malformed proof: ${(e as Error).message}` }; }
          });
        }
      }
      port.postMessage({ id: m.id, verdicts, stats } as BatchReply);
    }, (e: unknown) => {
      if (m.op === 'verify') {
        port.postMessage({ id: m.id, verdicts: m.proofs.map(() => ({ ok: false, reason: `verifier unavailable: mcl failed to load: ${(e as Error).message}` })),
          stats: { batches: 0, batchFailures: 0, singles: 0 } } as BatchReply);
      }
    });
  });
}
