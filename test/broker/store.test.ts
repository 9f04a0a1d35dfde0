// The Store contract (store-contract.ts) on SQLite, plus what only SQLite has: its pragmas, its
// migrations, and a claim race across worker threads with their own connections.
import * as assert from 'assert';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { loadMigrations, SqliteStore } from '../../broker/store/sqlite';
import type { NewJob } from '../../broker/store/types';
import { rmrf, sampleCircuit, tmpDir } from './helpers';
import { CAPS, storeContract } from './store-contract';

let dir = '';
storeContract('SQLite', {
  open: async () => { dir = tmpDir('store'); return new SqliteStore(path.join(dir, 'broker.db')); },
  reopen: async (s) => { await s.close(); return new SqliteStore(path.join(dir, 'broker.db')); },
  second: async () => new SqliteStore(path.join(dir, 'broker.db')),
  destroy: async () => rmrf(dir),
});

describe('SQLite store specifics', () => {
  let d: string; let file: string; let st: SqliteStore;
  beforeEach(() => { d = tmpDir('store'); file = path.join(d, 'broker.db'); st = new SqliteStore(file); });
  afterEach(async () => { await st.close(); rmrf(d); });

  it('uses WAL and synchronous=NORMAL; applies every numbered migration once', async () => {
    assert.strictEqual(st.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.strictEqual(st.db.pragma('synchronous', { simple: true }), 1);
    const applied = (st.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
    assert.deepStrictEqual(applied, loadMigrations().map((m) => m.version));
    await st.close();
    st = new SqliteStore(file); // re-open: nothing re-applied (would fail on CREATE TABLE)
    assert.strictEqual((st.db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n, applied.length);
  });

  it('a balance can never go negative, even by a direct write (CHECK constraint)', () => {
    assert.throws(() => st.db.prepare(`INSERT INTO balances (account_id, book, amount) VALUES ('a_market', 'fees', -1)`).run(), /CHECK/);
  });

  it('race: 4 worker threads, each with its own connection, claim 60 jobs — each job won exactly once', async function () {
    this.timeout(60_000);
    const alice = (await st.createAccount('alice', 'client', 1)).account.id;
    const op = (await st.createAccount('op', 'prover', 1)).account.id;
    const prover = (await st.upsertProver(op, 'k', 'p', CAPS, 1)).id;
    await st.insertCircuit(sampleCircuit('c_1', 'sample', alice));
    const ids = Array.from({ length: 60 }, (_, i) => `r${i}`);
    for (const id of ids) {
      const j: NewJob = { id, ownerAccountId: alice, requestId: id, circuitId: 'c_1', inputJson: '{}', witness: null, payloadSha256: 'p',
        maxAttempts: 3, deadlineMs: 0, maxPrice: 0n, nowMs: 1 };
      await st.submit(j); await st.enqueue(id, 1);
    }
    const start = new SharedArrayBuffer(4);
    const workerFile = path.join(__dirname, 'claim-worker.js');
    const workers = [0, 1, 2, 3].map((w) => new Worker(workerFile, {
      workerData: { file, jobIds: ids.slice(w * 15).concat(ids.slice(0, w * 15)), worker: w, start, proverId: prover },
    }));
    const results = workers.map((w) => new Promise<string[]>((res, rej) => { w.once('message', res); w.once('error', rej); }));
    await new Promise((r) => setTimeout(r, 300));
    Atomics.store(new Int32Array(start), 0, 1); Atomics.notify(new Int32Array(start), 0);
    const won = await Promise.all(results);
    const all = won.flat();
    assert.strictEqual(all.length, ids.length, `claims won: ${won.map((w) => w.length).join('+')}`);
    assert.deepStrictEqual([...new Set(all)].sort(), [...ids].sort());
    for (const id of ids) {
      const j = (await st.getJob(id))!;
      assert.strictEqual(j.state, 'ASSIGNED'); assert.strictEqual(j.attempts, 1);
    }
  });
});
