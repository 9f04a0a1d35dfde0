// Worker thread for the claim race test: opens its own connection to the store file and tries to
// claim every listed job once, reporting which claims it won.
import { parentPort, workerData } from 'worker_threads';
import { SqliteStore } from '../../broker/store/sqlite';

interface Data { file: string; jobIds: string[]; worker: number; start: SharedArrayBuffer; proverId: string }

async function main(): Promise<void> {
  const d = workerData as Data;
  const store = new SqliteStore(d.file);
  // Wait on a shared flag so all workers start claiming together.
  const flag = new Int32Array(d.start);
  Atomics.wait(flag, 0, 0);
  const won: string[] = [];
  for (const id of d.jobIds) {
    const r = await store.claim(id, { proverId: d.proverId, leaseToken: `tok-${d.worker}-${id}`, leaseExpiresMs: Date.now() + 60_000, price: 0n }, Date.now());
    if (r.outcome === 'claimed') won.push(id);
  }
  await store.close();
  parentPort!.postMessage(won);
}
main().catch((e) => { throw e; });
