// A process writing job submits into a SQLite store with the checkpoint worker (../../broker/store/checkpoint.ts),
// for checkpoint.test.ts. Prints `ok <job id>` after each submit's promise resolved (= committed,
// as a broker answers only then). argv: FILE MODE [N]
//   load: submits (8 in flight, ~2 KB inputs) until killed
//   exit: submits N jobs, then returns without closing the store: the process must end by itself
import * as crypto from 'crypto';
import { SqliteStore } from '../../broker/store/sqlite';
import { sampleCircuit } from './helpers';

async function main(): Promise<void> {
  const [file, mode, nArg] = process.argv.slice(2);
  const st = new SqliteStore(file, { checkpoint: { intervalMs: 20, idleMs: 300, restartPages: 512, minPages: 256 } });
  const alice = (await st.createAccount('alice', 'client', 1)).account.id;
  const C = 'c_0000000000000001';
  await st.insertCircuit(sampleCircuit(C, 'sample', alice));
  const pad = 'x'.repeat(2000);
  let k = 0;
  const one = async () => {
    const id = `j_${process.pid}_${k++}`;
    const r = await st.submit({ id, ownerAccountId: alice, requestId: `req-${id}`, circuitId: C, inputJson: JSON.stringify({ a: crypto.randomBytes(16).toString('hex'), pad }),
      witness: null, payloadSha256: 'p'.repeat(64), maxAttempts: 3, deadlineMs: 0, maxPrice: 0n, nowMs: Date.now(), enqueue: true });
    if (r.outcome !== 'created') throw new Error(`submit ${id}: ${r.outcome}`);
    process.stdout.write(`ok ${id}\n`);
  };
  if (mode === 'exit') {
    const n = Number(nArg ?? 50);
    for (let i = 0; i < n; i += 8) await Promise.all(Array.from({ length: Math.min(8, n - i) }, one));
    process.stdout.write('done\n');
    return; // no close(): the worker thread must not keep this process alive
  }
  for (;;) await Promise.all(Array.from({ length: 8 }, one));
}

main().catch((e) => { process.stderr.write(`${(e as Error).stack}\n`); process.exit(1); });
