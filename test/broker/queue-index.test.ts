// The broker's in-memory queue index (broker/queue-index.ts) against the store it stands in for:
// a randomized run of submits, claims, give-backs, lapsed leases, rejects, cancels, bad inputs,
// offer raises and routing notes, on two connections to one database (this broker's and
// "another broker's"), with the index fed only by this broker's outbox pump; after every step the
// index must equal a fresh queuedJobs read (or say it cannot vouch, and be rebuilt from one, as
// the broker does). A small pass limit exercises the partial mode. SQLite always; PostgreSQL with
// PM_TEST_PG_URL. Then two real brokers on one PostgreSQL database: jobs submitted through broker B
// are assigned to broker A's prover, planned from A's index (A reads no queue rows meanwhile).
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { startBroker, type RunningBroker } from '../../broker';
import { OutboxPump } from '../../broker/events';
import { QueueIndex } from '../../broker/queue-index';
import { SqliteStore } from '../../broker/store/sqlite';
import { openPostgresStore } from '../../broker/store/postgres/store';
import type { JobRecord, NewJob, OutboxEvent, ProverCaps, Store } from '../../broker/store/types';
import { nullLogger } from '../../src/common/log';
import { MarketClient } from '../../src/client/market';
import { freshPgDatabase, PG_URL, requirePg } from '../helpers/pg';
import { fixture, rmrf, sampleCircuit, tmpDir } from './helpers';
import { TestProver } from './driver';

const CAPS: ProverCaps = { curves: ['bn254'], backends: ['cpu'], maxConstraints: 0, slots: 1, price: '0', pricePerMConstraints: '0', devices: [], bench: [] };
const strip = (j: JobRecord) => ({ ...j, inputJson: null, witness: null });

function seeded(label: string): (n: number) => number {
  const seed = process.env.PM_TEST_SEED ?? Math.floor(Math.random() * 2 ** 32).toString(16);
  console.log(`      [${label}] seed ${seed} (replay with PM_TEST_SEED=${seed})`);
  let x = parseInt(seed, 16) >>> 0;
  return (n: number) => { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; return Math.floor((x / 2 ** 32) * n); };
}

describe('queue index: order, late snapshots, reads racing events', () => {
  const job = (id: string, createdMs: number, state: JobRecord['state'] = 'QUEUED', updatedMs = createdMs) =>
    ({ id, state, createdMs, updatedMs } as JobRecord);
  const ev = (j: JobRecord): OutboxEvent => ({ seq: 1, jobId: j.id, kind: 'state', job: j, createdMs: j.updatedMs });

  it('serves queuedJobs order (created, then id) whatever the arrival order; a claimed job\'s late snapshot is not a requeue', async () => {
    const q = new QueueIndex(10);
    assert.equal(q.queued(), null, 'not complete before a full read');
    await q.reconcile(async () => [job('b', 5), job('c', 7)]);
    assert.equal(q.apply(ev(job('a', 5))), true);
    q.apply(ev(job('d', 1)));
    q.apply(ev(job('c', 7, 'ASSIGNED', 8)));
    assert.deepEqual(q.queued()!.map((j) => j.id), ['d', 'a', 'b']);
    q.drop('a', { ...job('a', 5, 'ASSIGNED', 9), leaseToken: 'T' });
    assert.equal(q.apply(ev(job('a', 5, 'QUEUED', 6))), false, 'the snapshot from before the claim is ignored');
    assert.equal(q.apply(ev({ ...job('a', 5, 'QUEUED', 9), leaseToken: 'T' })), true, 'a requeue in the claim\'s ms (its lease token) is taken');
    q.apply(ev(job('a', 5, 'ASSIGNED', 10)));
    assert.equal(q.apply(ev(job('a', 5, 'QUEUED', 20))), true, 'a later requeue is taken');
    assert.deepEqual(q.queued()!.map((j) => j.id), ['d', 'a', 'b']);
    q.drop('b');
    assert.equal(q.queued(), null, 'a lost claim: the next pass reads the store');
  });

  it('events applied while a full read is in flight are applied again on top of it', async () => {
    const q = new QueueIndex(10);
    let release!: () => void;
    const read = q.reconcile(() => new Promise<JobRecord[]>((r) => { release = () => r([job('x', 1), job('y', 2)]); }));
    q.apply(ev(job('x', 1, 'ASSIGNED', 3))); // committed after the read's snapshot
    q.apply(ev(job('z', 4)));                // queued after it
    release();
    await read;
    assert.deepEqual(q.queued()!.map((j) => j.id), ['y', 'z']);
  });

  it('an outbox read that fails while a full read is in flight leaves the index not complete', async () => {
    const q = new QueueIndex(10);
    let release!: () => void;
    const read = q.reconcile(() => new Promise<JobRecord[]>((r) => { release = () => r([job('x', 1)]); }));
    q.invalidate(); // the pump's read failed: events after the full read's snapshot may be gone (pruned)
    release();
    await read;
    assert.equal(q.queued(), null, 'the next pass reads the store again');
    await q.reconcile(async () => [job('x', 1)]);
    assert.deepEqual(q.queued()!.map((j) => j.id), ['x'], 'a full read with no failure during it vouches again');
  });

  it('at the limit (more may be queued) or above it, passes read the store', async () => {
    const q = new QueueIndex(2);
    await q.reconcile(async () => [job('a', 1), job('b', 2)]);
    assert.equal(q.queued(), null);
    await q.reconcile(async () => [job('a', 1)]);
    q.apply(ev(job('b', 2))); q.apply(ev(job('c', 3)));
    assert.equal(q.queued(), null);
    q.apply(ev(job('c', 3, 'CANCELLED', 4)));
    assert.deepEqual(q.queued()!.map((j) => j.id), ['a', 'b']);
  });
});

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`queue index on ${kind}: always what a fresh queuedJobs read says`, function () {
    this.timeout(120_000);
    let ours: Store; let theirs: Store; let cleanup: () => Promise<void> = async () => {};
    before(async function () {
      if (kind === 'postgres') {
        requirePg(this, 'the queue index on PostgreSQL');
        const db = await freshPgDatabase('queue_index');
        ours = await openPostgresStore(db.url, { poolSize: 4 });
        theirs = await openPostgresStore(db.url, { poolSize: 4 });
        cleanup = async () => { await ours.close(); await theirs.close(); await db.drop(); };
      } else {
        const dir = tmpDir('queue-index');
        ours = new SqliteStore(path.join(dir, 'pm.db'));
        theirs = new SqliteStore(path.join(dir, 'pm.db'));
        cleanup = async () => { await ours.close(); await theirs.close(); rmrf(dir); };
      }
    });
    after(async () => { await cleanup(); });

    it('randomized submit / claim / give-back / lapse / reject / cancel / bad input / raise / note on two brokers (seed printed)', async () => {
      const rnd = seeded(`queue-index-${kind}`);
      const client = (await ours.createAccount('alice', 'client', 1)).account.id;
      const op = (await ours.createAccount('op', 'prover', 1)).account.id;
      await ours.deposit(client, 10n ** 12n, 'test', 1); await ours.deposit(op, 10n ** 12n, 'stake', 1);
      const P = [(await ours.upsertProver(op, 'h:/p1', 'p1', CAPS, 1)).id, (await ours.upsertProver(op, 'h:/p2', 'p2', CAPS, 1)).id];
      const C = sampleCircuit('c_0000000000000001', 'sample', client);
      await ours.insertCircuit(C);
      const LIMIT = 6;
      const q = new QueueIndex(LIMIT);
      const pump = new OutboxPump(ours, nullLogger, 3_600_000);
      await pump.start();
      pump.tap((e) => { q.apply(e); }, () => q.invalidate());
      await q.reconcile((n) => ours.queuedJobs(n));
      const base = Date.now();
      const all: string[] = [];
      const counts: Record<string, number> = {};
      let served = 0; let reads = 0; let n = 0;
      const pick = async (st: Store, states: string[]) => {
        const live = (await st.liveJobs()).filter((j) => states.includes(j.state));
        return live.length ? live[rnd(live.length)] : null;
      };
      for (let step = 0; step < 160; step++) {
        const mine = rnd(3) > 0;
        const st = mine ? ours : theirs;
        const now = Date.now();
        const op_ = ['submit', 'submit', 'submit', 'claim', 'claim', 'release', 'lapse', 'reject', 'cancel', 'bad', 'raise', 'note', 'lost'][rnd(13)];
        counts[op_] = (counts[op_] ?? 0) + 1;
        if (op_ === 'submit') {
          const id = `j${n++}`; all.push(id);
          const maxPrice = BigInt(1 + rnd(1000));
          const nj: NewJob = {
            id, ownerAccountId: client, requestId: id, circuitId: C.id, inputJson: `{"a":"${rnd(1e6)}"}`, witness: null, payloadSha256: 'p'.repeat(64),
            maxAttempts: 1 + rnd(3), deadlineMs: rnd(2) ? now + 3_600_000 : 0, maxPrice, offer: rnd(2) ? BigInt(rnd(Number(maxPrice))) : null,
            nowMs: base + rnd(8), enqueue: rnd(4) > 0, // equal and out-of-order created times
          };
          const r = await st.submit(nj);
          assert.equal(r.outcome, 'created');
          if (!nj.enqueue) await st.enqueue(id, now);
          else if (mine) q.apply({ seq: 0, jobId: id, kind: 'state', job: r.job!, createdMs: now }); // Broker.queued
        } else if (op_ === 'claim' || op_ === 'lapse' || op_ === 'reject' || op_ === 'lost') {
          const j = await pick(st, ['QUEUED']);
          if (!j) continue;
          // A prover that returned a wrong proof for the job is never given it again (the claim says 'excluded').
          const free = P.filter((p) => !j.excluded.includes(p));
          if (free.length === 0) continue;
          const tok = `t${step}`;
          if (op_ === 'lost') {
            // Another broker claims first; ours then tries the job it still believes queued.
            await theirs.claim(j.id, { proverId: free[0], leaseToken: tok, leaseExpiresMs: now + 60_000, price: 0n }, now);
            const r = await ours.claim(j.id, { proverId: P[0], leaseToken: `${tok}x`, leaseExpiresMs: now + 60_000, price: 0n }, now);
            assert.equal(r.outcome, 'not_queued');
            q.drop(j.id);
          } else {
            const r = await st.claim(j.id, { proverId: free[rnd(free.length)], leaseToken: tok, leaseExpiresMs: op_ === 'lapse' ? now - 1 : now + 60_000, price: BigInt(rnd(Number(j.maxPrice) + 1)), note: `n${step}` }, now);
            assert.equal(r.outcome, 'claimed');
            if (mine) q.drop(j.id, r.job);
            if (op_ === 'lapse') await st.reclaimLapsed(now + 1);
            if (op_ === 'reject') {
              await st.beginVerify(j.id, tok, '{}', '[]', 'cpu', 1, now);
              await (rnd(2) ? st.reject(j.id, tok, 'wrong proof', now) : st.setAside(j.id, tok, 'inconclusive', now));
            }
          }
        } else if (op_ === 'release') {
          const j = await pick(st, ['ASSIGNED', 'PROVING']);
          if (j) await st.release(j.id, j.leaseToken, 'gave up', rnd(2) > 0, now);
        } else if (op_ === 'cancel' || op_ === 'bad') {
          const j = await pick(st, ['QUEUED', 'QUEUED', 'ASSIGNED', 'SUBMITTED']);
          if (j) await (op_ === 'cancel' ? st.cancel(j.id, 'client', now) : st.failInput(j.id, 'bad input', now));
        } else if (op_ === 'raise') {
          const j = await pick(st, ['QUEUED']);
          if (j?.offer) await st.raiseOffer!(j.id, j.offer, BigInt(j.offer) + 1n + BigInt(rnd(Number(BigInt(j.maxPrice) - BigInt(j.offer)))), 'raised', now);
        } else {
          const j = await pick(st, ['QUEUED']);
          if (j) await st.setRouting!(j.id, `waiting ${rnd(100)}`, now);
        }
        await pump.kick();
        const mem = q.queued();
        const db = await ours.queuedJobs(LIMIT);
        if (mem === null) { reads++; await q.reconcile((k) => ours.queuedJobs(k)); continue; }
        served++;
        assert.deepEqual(mem.map(strip), db.map(strip), `step ${step} (${op_} by ${mine ? 'this' : 'the other'} broker): the index differs from the store`);
      }
      console.log(`      ${kind}: ${all.length} jobs, steps ${JSON.stringify(counts)}; ${served} checks from memory, ${reads} store reads (partial or lost claim)`);
      assert.ok(served > 40, 'most steps were answered from memory');
      await pump.close();
    });
  });
}

describe('dispatch: a job that waits with no prover to wait for is not re-planned on every submit', function () {
  this.timeout(120_000);
  let dir = ''; let broker: RunningBroker | null = null; const closers: (() => void)[] = [];
  after(async () => {
    for (const c of closers) { try { c(); } catch { /* gone */ } }
    await broker?.close();
    if (dir) rmrf(dir);
  });

  it('BLS12-381 jobs wait (no prover runs that curve) while BN254 jobs flow to a BN254-only prover: each submit plans its own job only', async () => {
    dir = tmpDir('dispatch-idle');
    broker = await startBroker({ listen: '127.0.0.1:0', dataDir: dir, localAccounts: true, sweepMs: 600_000, leaseMs: 2_400_000, warmVerifier: false,
      http: '127.0.0.1:0', log: () => {} });
    const metric = async (name: string) => {
      const text = await (await fetch(`http://${broker!.httpAddress}/metrics`)).text();
      return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    };
    const key = (n: string) => fs.readFileSync(path.join(dir, `${n}.key`), 'utf8').trim();
    const c = new MarketClient(broker.address, { apiKey: key('client') }); closers.push(() => c.close());
    const BN = fixture('bn254'); const BLS = fixture('bls12-381');
    await c.registerCircuit({ name: 'mul3', wasm: BN.wasm, zkey: BN.zkey, vkey: BN.vkey, r1cs: BN.r1cs, sym: BN.sym });
    await c.registerCircuit({ name: 'mul3-bls', wasm: BLS.wasm, zkey: BLS.zkey, vkey: BLS.vkey, r1cs: BLS.r1cs, sym: BLS.sym });
    const prover = new TestProver(broker.address, 'bn-only', 'silent', { slots: 64, curves: ['CURVE_BN254'], apiKey: key('prover') });
    closers.push(() => prover.close());
    await prover.connect();
    const K = 15; const N = 15;
    const waiting: string[] = [];
    for (let i = 0; i < K; i++) waiting.push((await c.submit({ circuit: 'mul3-bls', input: { a: i + 1, b: [2, 3, 4], c: 5 } })).id);
    await new Promise((r) => setTimeout(r, 500));
    const before = await metric('pm_dispatch_jobs_planned_total');
    for (let i = 0; i < N; i++) await c.submit({ circuit: 'mul3', input: { a: i + 1, b: [2, 3, 4], c: 5 } });
    await prover.until(() => prover.assignments.length === N, 60_000, `${N} BN254 assignments`);
    const planned = await metric('pm_dispatch_jobs_planned_total') - before;
    for (const id of waiting) assert.equal((await c.getJob(id)).state, 'JOB_STATE_QUEUED');
    console.log(`      ${N} BN254 submits beside ${K} waiting BLS12-381 jobs planned ${planned} jobs (re-planning the waiting ones on each would be ≥ ${N * (K + 1)})`);
    // Each BN254 job once, each waiting job at most once more (its routing note written, it is a new record).
    assert.ok(planned <= N + K, `planned ${planned} jobs for ${N} submits`);
    assert.ok(planned >= N);
  });
});

describe('queue index: two brokers on one PostgreSQL database', function () {
  this.timeout(180_000);
  const BN = fixture('bn254');
  let db: Awaited<ReturnType<typeof freshPgDatabase>> | null = null;
  let dir = ''; const brokers: RunningBroker[] = []; const closers: (() => void)[] = [];
  before(function () { requirePg(this, 'the queue index across brokers on PostgreSQL'); });
  after(async () => {
    for (const c of closers) { try { c(); } catch { /* gone */ } }
    for (const b of brokers) await b.close();
    await db?.drop();
    if (dir) rmrf(dir);
  });

  it('jobs queued through broker B are assigned to broker A\'s prover from A\'s index (A reads no queue rows meanwhile)', async () => {
    db = await freshPgDatabase('queue_index_brokers');
    dir = tmpDir('queue-index-brokers');
    // A long sweep: within the test only the outbox (NOTIFY, then A's pump) can tell A about B's jobs.
    const start = (name: string) => startBroker({ listen: '127.0.0.1:0', dataDir: path.join(dir, name), store: db!.url, blobDir: path.join(dir, 'blobs'),
      localAccounts: true, sweepMs: 600_000, leaseMs: 2_400_000, warmVerifier: false, http: '127.0.0.1:0', log: () => {} });
    const a = await start('a'); brokers.push(a);
    const b = await start('b'); brokers.push(b);
    const reads = async () => {
      const text = await (await fetch(`http://${a.httpAddress}/metrics`)).text();
      const v = (src: string) => Number(new RegExp(`^pm_dispatch_queue_reads_total\\{source="${src}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
      return { memory: v('memory'), store: v('store') };
    };
    const apiKey = fs.readFileSync(path.join(dir, 'a', 'client.key'), 'utf8').trim();
    const proverKey = fs.readFileSync(path.join(dir, 'a', 'prover.key'), 'utf8').trim();
    const cb = new MarketClient(b.address, { apiKey }); closers.push(() => cb.close());
    await cb.registerCircuit({ name: 'mul3', wasm: BN.wasm, zkey: BN.zkey, vkey: BN.vkey, r1cs: BN.r1cs, sym: BN.sym });
    const prover = new TestProver(a.address, 'dispatch-a', 'silent', { slots: 64, apiKey: proverKey });
    closers.push(() => prover.close());
    await prover.connect();
    // A's start and its prover's arrival are behind it: from here on, only what A learns from the outbox counts.
    await new Promise((r) => setTimeout(r, 500));
    const before = await reads();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await cb.submit({ circuit: 'mul3', input: { a: i + 1, b: [2, 3, 4], c: 5 } })).id);
    for (const id of ids) {
      let j = await cb.getJob(id);
      for (let t = 0; t < 600 && j.state === 'JOB_STATE_QUEUED'; t++) { await new Promise((r) => setTimeout(r, 100)); j = await cb.getJob(id); }
      assert.ok(['JOB_STATE_ASSIGNED', 'JOB_STATE_PROVING'].includes(j.state), `job ${id} submitted through B is ${j.state}, not assigned by A`);
    }
    assert.deepEqual(prover.assignments.map((x) => x.jobId).sort(), [...ids].sort(), 'A\'s prover holds every job B queued, each once');
    const after = await reads();
    assert.equal(after.store, before.store, 'A planned them from its index, without a queuedJobs read');
    assert.ok(after.memory > before.memory, 'A planned passes from memory');
  });
});
