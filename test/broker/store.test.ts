// State machine and store unit tests against a real SQLite file in a temp dir.
import * as assert from 'assert';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { SqliteStore, proverIdForKey } from '../../broker/store/sqlite';
import type { NewJob, ProverCaps } from '../../broker/store/types';
import { rmrf, sampleCircuit, tmpDir } from './helpers';

const CAPS: ProverCaps = { curves: ['bn254'], backends: ['snarkjs'], maxConstraints: 0, slots: 1, price: 0, devices: [], bench: [] };

function newJob(id: string, over: Partial<NewJob> = {}): NewJob {
  return {
    id, requestId: `req-${id}`, circuitId: 'c_0000000000000001', inputJson: '{"a":"1"}', witness: null,
    payloadSha256: 'p'.repeat(64), maxAttempts: 3, deadlineMs: 0, maxPrice: 0, nowMs: Date.now(), ...over,
  };
}

describe('broker store (SQLite)', () => {
  let dir: string; let file: string; let st: SqliteStore;
  beforeEach(async () => {
    dir = tmpDir('store'); file = path.join(dir, 'broker.db');
    st = new SqliteStore(file);
    assert.strictEqual((await st.insertCircuit(sampleCircuit())).outcome, 'inserted');
  });
  afterEach(async () => { await st.close(); rmrf(dir); });

  async function queued(id: string, over: Partial<NewJob> = {}) {
    assert.strictEqual((await st.submit(newJob(id, over))).outcome, 'created');
    assert.strictEqual((await st.enqueue(id, Date.now())).outcome, 'moved');
  }

  it('uses WAL and synchronous=NORMAL', () => {
    assert.strictEqual(st.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.strictEqual(st.db.pragma('synchronous', { simple: true }), 1);
  });

  it('walks every legal transition to DONE', async () => {
    const s = await st.submit(newJob('j1'));
    assert.strictEqual(s.outcome, 'created'); assert.strictEqual(s.job!.state, 'SUBMITTED');
    const q = await st.enqueue('j1', 2);
    assert.strictEqual(q.job!.state, 'QUEUED');
    const c = await st.claim('j1', 'p1', 'T1', 1000, 3);
    assert.strictEqual(c.outcome, 'claimed'); assert.strictEqual(c.job!.state, 'ASSIGNED');
    assert.strictEqual(c.job!.attempts, 1); assert.strictEqual(c.job!.proverId, 'p1'); assert.strictEqual(c.job!.leaseExpiresMs, 1000);
    const h = await st.heartbeat('j1', 'T1', 2000, 4);
    assert.strictEqual(h.outcome, 'ok'); assert.strictEqual(h.job!.leaseExpiresMs, 2000); assert.strictEqual(h.job!.state, 'ASSIGNED');
    const p = await st.progress('j1', 'T1', 0.5, 'proving', 3000, 5);
    assert.strictEqual(p.job!.state, 'PROVING'); assert.strictEqual(p.job!.progress, 0.5); assert.strictEqual(p.job!.stage, 'proving');
    const v = await st.beginVerify('j1', 'T1', '{"pi_a":[]}', '["1"]', 'snarkjs', 42, 6);
    assert.strictEqual(v.job!.state, 'VERIFYING'); assert.strictEqual(v.job!.proveMs, 42);
    const d = await st.complete('j1', 'T1', 7);
    assert.strictEqual(d.outcome, 'ok'); assert.strictEqual(d.job!.state, 'DONE');
    assert.strictEqual(d.job!.proofJson, '{"pi_a":[]}'); assert.strictEqual(d.job!.publicJson, '["1"]');
    assert.strictEqual(d.job!.leaseToken, 'T1', 'the last token is kept, powerless');
    assert.strictEqual((await st.heartbeat('j1', 'T1', 9999, 8)).outcome, 'stale');
  });

  it('ASSIGNED → VERIFYING directly (a prover that sends no progress)', async () => {
    await queued('j1');
    await st.claim('j1', 'p1', 'T1', Date.now() + 1000, 1);
    assert.strictEqual((await st.beginVerify('j1', 'T1', '{}', '[]', 'cpu', 1, 2)).job!.state, 'VERIFYING');
  });

  it('refuses illegal transitions', async () => {
    await st.submit(newJob('j1'));
    // SUBMITTED: cannot be claimed, heartbeated, verified, completed.
    assert.strictEqual((await st.claim('j1', 'p1', 'T1', 1, 1)).outcome, 'not_queued');
    assert.strictEqual((await st.heartbeat('j1', 'T1', 1, 1)).outcome, 'stale');
    assert.strictEqual((await st.complete('j1', 'T1', 1)).outcome, 'stale');
    await st.enqueue('j1', 1);
    assert.strictEqual((await st.enqueue('j1', 1)).outcome, 'wrong_state');
    // QUEUED: no token owns it.
    assert.strictEqual((await st.beginVerify('j1', 'T1', '{}', '[]', 'x', 1, 1)).outcome, 'stale');
    assert.strictEqual((await st.release('j1', 'T1', 'e', true, 1)).outcome, 'stale');
    await st.claim('j1', 'p1', 'T1', Date.now() + 1000, 1);
    // ASSIGNED: a second claim loses; a wrong token is stale; complete needs VERIFYING.
    assert.strictEqual((await st.claim('j1', 'p2', 'T2', 1, 1)).outcome, 'not_queued');
    assert.strictEqual((await st.progress('j1', 'WRONG', 0.1, 's', 1, 1)).outcome, 'stale');
    assert.strictEqual((await st.beginVerify('j1', 'WRONG', '{}', '[]', 'x', 1, 1)).outcome, 'stale');
    assert.strictEqual((await st.complete('j1', 'T1', 1)).outcome, 'stale');
    assert.strictEqual((await st.reject('j1', 'T1', 'bad', 1)).outcome, 'stale');
    await st.beginVerify('j1', 'T1', '{}', '[]', 'x', 1, 1);
    // VERIFYING: no more progress or results under the lease.
    assert.strictEqual((await st.progress('j1', 'T1', 0.1, 's', 1, 1)).outcome, 'stale');
    assert.strictEqual((await st.beginVerify('j1', 'T1', '{}', '[]', 'x', 1, 1)).outcome, 'stale');
    await st.complete('j1', 'T1', 1);
    // DONE is terminal.
    assert.strictEqual((await st.cancel('j1', 'x', 1)).outcome, 'terminal');
    assert.strictEqual((await st.complete('j1', 'T1', 1)).outcome, 'stale');
    assert.strictEqual((await st.getJob('j1'))!.state, 'DONE');
    assert.strictEqual((await st.claim('nope', 'p', 'T', 1, 1)).outcome, 'not_found');
    assert.strictEqual((await st.heartbeat('nope', 'T', 1, 1)).outcome, 'not_found');
  });

  it('rejects a wrong proof: requeued, prover excluded; capped attempts → FAILED', async () => {
    await queued('j1', { maxAttempts: 2 });
    await st.claim('j1', 'p1', 'T1', Date.now() + 1000, 1);
    await st.beginVerify('j1', 'T1', '{}', '[]', 'x', 1, 1);
    const r = await st.reject('j1', 'T1', 'proof failed verification', 2);
    assert.strictEqual(r.outcome, 'requeued'); assert.strictEqual(r.job!.state, 'QUEUED');
    assert.deepStrictEqual(r.job!.excluded, ['p1']); assert.strictEqual(r.job!.proofJson, '');
    await st.claim('j1', 'p2', 'T2', Date.now() + 1000, 3);
    await st.beginVerify('j1', 'T2', '{}', '[]', 'x', 1, 1);
    const r2 = await st.reject('j1', 'T2', 'proof failed verification', 4);
    assert.strictEqual(r2.outcome, 'failed'); assert.strictEqual(r2.job!.state, 'FAILED');
    assert.deepStrictEqual(r2.job!.excluded, ['p1', 'p2']);
    assert.match(r2.job!.error, /gave up after 2 attempts; last: proof failed verification/);
  });

  it('release: retryable → QUEUED, not retryable → FAILED', async () => {
    await queued('j1'); await queued('j2');
    await st.claim('j1', 'p1', 'T1', Date.now() + 1000, 1);
    await st.claim('j2', 'p1', 'T2', Date.now() + 1000, 1);
    const a = await st.release('j1', 'T1', 'out of memory', true, 2);
    assert.strictEqual(a.outcome, 'requeued'); assert.strictEqual(a.job!.error, 'out of memory');
    assert.strictEqual((await st.progress('j1', 'T1', 0.5, 'x', Date.now() + 1000, 3)).outcome, 'stale', 'released token is powerless');
    const b = await st.release('j2', 'T2', 'witness: assert failed', false, 2);
    assert.strictEqual(b.outcome, 'failed'); assert.strictEqual(b.job!.state, 'FAILED');
  });

  it('submit is idempotent on request_id (same payload → same job, different → conflict)', async () => {
    const a = await st.submit(newJob('j1'));
    const b = await st.submit(newJob('j2', { requestId: 'req-j1' }));
    assert.strictEqual(b.outcome, 'existing'); assert.strictEqual(b.job!.id, 'j1');
    const c = await st.submit(newJob('j3', { requestId: 'req-j1', payloadSha256: 'q'.repeat(64) }));
    assert.strictEqual(c.outcome, 'conflict'); assert.strictEqual(c.job!.id, a.job!.id);
    assert.strictEqual((await st.listJobs({})).length, 1);
  });

  it('a lapsed lease requeues the job and counts the attempt; the cap fails it', async () => {
    await queued('j1', { maxAttempts: 2 });
    const t0 = Date.now();
    await st.claim('j1', 'p1', 'T1', t0 + 100, t0);
    assert.strictEqual((await st.reclaimLapsed(t0 + 50)).requeued.length, 0, 'lease still valid');
    await st.heartbeat('j1', 'T1', t0 + 500, t0 + 60); // extended
    assert.strictEqual((await st.reclaimLapsed(t0 + 200)).requeued.length, 0, 'heartbeat extended the lease');
    const r = await st.reclaimLapsed(t0 + 600);
    assert.strictEqual(r.requeued.length, 1); assert.strictEqual(r.requeued[0].state, 'QUEUED');
    assert.strictEqual(r.requeued[0].attempts, 1); assert.match(r.requeued[0].error, /lease of prover p1 lapsed/);
    assert.strictEqual(r.previous[0].leaseToken, 'T1');
    // The old holder's token is now stale.
    assert.strictEqual((await st.beginVerify('j1', 'T1', '{}', '[]', 'x', 1, 1)).outcome, 'stale');
    await st.claim('j1', 'p2', 'T2', t0 + 700, t0 + 650);
    await st.progress('j1', 'T2', 0.3, 'proving', t0 + 800, t0 + 700);
    const f = await st.reclaimLapsed(t0 + 900);
    assert.strictEqual(f.failed.length, 1); assert.strictEqual(f.failed[0].state, 'FAILED');
    assert.match(f.failed[0].error, /gave up after 2 attempts/);
  });

  it('deadlines expire live jobs only', async () => {
    const t0 = Date.now();
    await queued('j1', { deadlineMs: t0 + 100 });
    await queued('j2', { deadlineMs: t0 + 100 }); await st.cancel('j2', 'by client', t0);
    await queued('j3', { deadlineMs: 0 });
    await queued('j4', { deadlineMs: t0 + 100 });
    await st.claim('j4', 'p1', 'T4', t0 + 10_000, t0);
    assert.strictEqual((await st.expireOverdue(t0 + 50)).expired.length, 0);
    const e = await st.expireOverdue(t0 + 100);
    assert.deepStrictEqual(e.expired.map((j) => j.id).sort(), ['j1', 'j4']);
    assert.strictEqual((await st.getJob('j4'))!.state, 'EXPIRED');
    assert.strictEqual(e.previous.find((j) => j.id === 'j4')!.leaseToken, 'T4');
    assert.strictEqual((await st.getJob('j2'))!.state, 'CANCELLED');
    assert.strictEqual((await st.getJob('j3'))!.state, 'QUEUED');
  });

  it('cancels from every live state, refuses from terminal ones', async () => {
    await st.submit(newJob('s')); // SUBMITTED
    await queued('q');
    await queued('a'); await st.claim('a', 'p', 'Ta', Date.now() + 1e4, 1);
    await queued('p'); await st.claim('p', 'p', 'Tp', Date.now() + 1e4, 1); await st.progress('p', 'Tp', 0.2, 'x', Date.now() + 1e4, 1);
    await queued('v'); await st.claim('v', 'p', 'Tv', Date.now() + 1e4, 1); await st.beginVerify('v', 'Tv', '{}', '[]', 'x', 1, 1);
    for (const id of ['s', 'q', 'a', 'p', 'v']) {
      const c = await st.cancel(id, 'cancelled by client', 5);
      assert.strictEqual(c.outcome, 'cancelled', id); assert.strictEqual(c.job!.state, 'CANCELLED');
      assert.strictEqual((await st.cancel(id, 'again', 6)).outcome, 'terminal');
    }
    assert.strictEqual((await st.cancel('missing', 'x', 1)).outcome, 'not_found');
    // A cancelled job's lease is gone: the prover's late result is stale.
    assert.strictEqual((await st.beginVerify('a', 'Ta', '{}', '[]', 'x', 1, 1)).outcome, 'stale');
  });

  it('provers: same key → same id; verdicts move reputation', async () => {
    const a = await st.upsertProver('host-a:/data', 'a', CAPS, 1);
    const b = await st.upsertProver('host-a:/data', 'a2', { ...CAPS, slots: 2 }, 2);
    assert.strictEqual(a.id, b.id); assert.strictEqual(a.id, proverIdForKey('host-a:/data'));
    assert.strictEqual(b.name, 'a2'); assert.strictEqual(b.caps.slots, 2);
    await st.recordVerdict(a.id, true); await st.recordVerdict(a.id, false);
    const p = (await st.getProver(a.id))!;
    assert.strictEqual(p.accepted, 1); assert.strictEqual(p.rejected, 1); assert.strictEqual(p.reputation, -9);
  });

  it('circuits: insert, identical re-insert, name conflict', async () => {
    const c = sampleCircuit('c_2', 'two');
    assert.strictEqual((await st.insertCircuit(c)).outcome, 'inserted');
    assert.strictEqual((await st.insertCircuit(c)).outcome, 'identical');
    assert.strictEqual((await st.insertCircuit({ ...c, id: 'c_3' })).outcome, 'name_taken');
    assert.strictEqual((await st.insertCircuit({ ...c, name: 'other' })).outcome, 'id_taken');
    assert.strictEqual((await st.getCircuit('two'))!.id, 'c_2');
    assert.strictEqual((await st.getCircuit('c_2'))!.name, 'two');
    assert.strictEqual((await st.listCircuits()).length, 2);
  });

  it('everything survives closing and reopening the store', async () => {
    await st.submit(newJob('s'));
    await queued('q');
    await queued('a'); await st.claim('a', 'p1', 'Ta', 123456, 1);
    await queued('d'); await st.claim('d', 'p1', 'Td', 1e15, 1); await st.beginVerify('d', 'Td', '{"x":1}', '["7"]', 'cpu', 9, 1); await st.complete('d', 'Td', 2);
    await st.submit(newJob('w', { inputJson: null, witness: Buffer.from([1, 2, 3]) }));
    await st.close();
    st = new SqliteStore(file);
    const live = await st.liveJobs();
    assert.deepStrictEqual(live.map((j) => [j.id, j.state]).sort(), [['a', 'ASSIGNED'], ['q', 'QUEUED'], ['s', 'SUBMITTED'], ['w', 'SUBMITTED']]);
    const a = (await st.getJob('a'))!;
    assert.strictEqual(a.leaseToken, 'Ta'); assert.strictEqual(a.leaseExpiresMs, 123456); assert.strictEqual(a.attempts, 1);
    assert.strictEqual((await st.getJobByLeaseToken('Ta'))!.id, 'a');
    assert.deepStrictEqual((await st.getJob('w'))!.witness, Buffer.from([1, 2, 3]));
    const d = (await st.getJob('d'))!;
    assert.strictEqual(d.state, 'DONE'); assert.strictEqual(d.publicJson, '["7"]');
    assert.strictEqual((await st.listCircuits()).length, 1);
  });

  it('race: two connections on one file claim one job — exactly one wins', async () => {
    await queued('j1');
    const other = new SqliteStore(file);
    try {
      const [x, y] = await Promise.all([
        st.claim('j1', 'pA', 'TA', Date.now() + 1e4, 1),
        other.claim('j1', 'pB', 'TB', Date.now() + 1e4, 1),
      ]);
      assert.deepStrictEqual([x.outcome, y.outcome].sort(), ['claimed', 'not_queued']);
      const j = (await other.getJob('j1'))!;
      assert.strictEqual(j.attempts, 1);
      assert.strictEqual(j.leaseToken, x.outcome === 'claimed' ? 'TA' : 'TB');
    } finally { await other.close(); }
  });

  it('race: 4 worker threads, each with its own connection, claim 60 jobs — each job won exactly once', async function () {
    this.timeout(60_000);
    const ids = Array.from({ length: 60 }, (_, i) => `r${i}`);
    for (const id of ids) await queued(id);
    const start = new SharedArrayBuffer(4);
    const workerFile = path.join(__dirname, 'claim-worker.js');
    const workers = [0, 1, 2, 3].map((w) => new Worker(workerFile, {
      // Each worker walks the list from a different offset so they really collide.
      workerData: { file, jobIds: ids.slice(w * 15).concat(ids.slice(0, w * 15)), worker: w, start },
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
