// What only the PostgreSQL store has to show (the Store contract itself is the shared suite):
// several stores (= brokers) on one database apply migrations once, claim each job exactly once
// under concurrent claims, wake each other through LISTEN/NOTIFY, and keep the ledger summing to
// zero through every kind of transition. Needs PM_TEST_PG_URL (.ci/run starts a server).
import { strict as assert } from 'assert';
import { openPostgresStore, type PostgresStore } from '../../broker/store/postgres/store';
import type { CircuitRecord, ProverCaps } from '../../broker/store/types';
import { seededRandom } from '../helpers/circuits';
import { freshPgDatabase, PG_URL, requirePg } from '../helpers/pg';
import { checkLedger, storeContract } from './store-contract';

// The shared Store contract, each test on a fresh database.
if (PG_URL) {
  let db: Awaited<ReturnType<typeof freshPgDatabase>> | null = null;
  storeContract('PostgreSQL', {
    open: async () => { db = await freshPgDatabase('contract'); return openPostgresStore(db.url, { poolSize: 4 }); },
    reopen: async (s) => { await s.close(); return openPostgresStore(db!.url, { poolSize: 4 }); },
    second: async () => openPostgresStore(db!.url, { poolSize: 4 }),
    destroy: async () => { await db?.drop(); db = null; },
  });
} else {
  describe('Store contract: PostgreSQL', () => {
    before(function () { requirePg(this, 'the Store contract on PostgreSQL'); });
    it('runs with PM_TEST_PG_URL set', () => {});
  });
}

const CAPS: ProverCaps = { curves: ['bn254'], backends: ['cpu'], maxConstraints: 1 << 20, slots: 1, price: '10', pricePerMConstraints: '0', devices: [], bench: [] };

describe('PostgreSQL store: several brokers on one database', function () {
  this.timeout(120_000);
  let db: Awaited<ReturnType<typeof freshPgDatabase>> | null = null;
  const stores: PostgresStore[] = [];
  let a: PostgresStore; let b: PostgresStore;
  let client = ''; let operator = ''; let prover = '';
  const now = Date.now();

  before(async function () {
    requirePg(this, 'PostgreSQL store tests');
    db = await freshPgDatabase('store');
    // Two brokers starting at once: the migrations run once (advisory lock), both see the schema.
    [a, b] = await Promise.all([openPostgresStore(db.url), openPostgresStore(db.url)]);
    stores.push(a, b);
    client = (await a.createAccount('client', 'client', now)).account.id;
    operator = (await b.createAccount('operator', 'prover', now)).account.id;
    await a.deposit(client, 1_000_000n, 'test', now);
    await b.deposit(operator, 1_000_000n, 'test', now);
    prover = (await a.upsertProver(operator, 'key-1', 'p1', CAPS, now)).id;
    const c: CircuitRecord = {
      id: 'c_test', ownerAccountId: client, name: 'example', public: false, insecure: false, curve: 'bn254', protocol: 'groth16',
      constraints: 100, nPublic: 3, nVars: 10, domainLog2: 7, artifacts: [], description: '', inputs: null, createdMs: now,
    };
    assert.equal((await a.insertCircuit(c)).outcome, 'inserted');
    assert.equal((await b.insertCircuit(c)).outcome, 'identical');
  });
  after(async () => {
    for (const s of stores) await s.close();
    if (db) await db.drop();
  });

  it('applied every migration exactly once; reopening applies none', async () => {
    const rows = (await a.pool.query('SELECT version, count(*)::int AS n FROM schema_migrations GROUP BY version')).rows as { n: number }[];
    assert.ok(rows.length >= 1 && rows.every((r) => r.n === 1), JSON.stringify(rows));
    const again = await openPostgresStore(db!.url); stores.push(again);
    assert.deepEqual(await again.migrate(), []);
  });

  it('claims each job exactly once when two brokers race on every job', async () => {
    const rnd = seededRandom('pg-claims');
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const id = `j_race_${rnd.seed}_${i}`;
      const s = await (i % 2 ? a : b).submit({ id, ownerAccountId: client, requestId: id, circuitId: 'c_test', inputJson: '{}', witness: null,
        payloadSha256: 'x', maxAttempts: 3, deadlineMs: 0, maxPrice: 100n, nowMs: now });
      assert.equal(s.outcome, 'created');
      assert.equal((await (i % 2 ? b : a).enqueue(id, now)).outcome, 'moved');
      ids.push(id);
    }
    const results = await Promise.all(ids.flatMap((id) => [a, b, a, b].map((s, k) =>
      s.claim(id, { proverId: prover, leaseToken: `${id}:${k}`, leaseExpiresMs: now + 60_000, price: 40n + BigInt(Number(rnd.next() % 20n)) }, now))));
    for (let i = 0; i < ids.length; i++) {
      const won = results.slice(4 * i, 4 * i + 4).filter((r) => r.outcome === 'claimed');
      assert.equal(won.length, 1, `job ${ids[i]}: ${results.slice(4 * i, 4 * i + 4).map((r) => r.outcome).join(',')}`);
      const j = await a.getJob(ids[i]);
      assert.equal(j!.state, 'ASSIGNED'); assert.equal(j!.attempts, 1); assert.equal(j!.leaseToken, won[0].job!.leaseToken);
    }
    // One stake lock per job, not one per attempted claim.
    const locks = (await a.pool.query(`SELECT count(*)::int AS n FROM ledger_tx WHERE tx_key LIKE 'lock:j_race_%'`)).rows[0] as { n: number };
    assert.equal(locks.n, ids.length);
  });

  it('a transition committed through one broker wakes the other (LISTEN/NOTIFY) and is in its outbox', async () => {
    const head = await b.outboxHead();
    const woke = new Promise<number>((resolve) => { const off = b.subscribe((seq) => { if (seq > head) { off(); resolve(seq); } }); });
    await new Promise((r) => setTimeout(r, 200)); // the listener connects
    const id = `j_notify_${Date.now()}`;
    await a.submit({ id, ownerAccountId: client, requestId: id, circuitId: 'c_test', inputJson: '{}', witness: null,
      payloadSha256: 'x', maxAttempts: 1, deadlineMs: 0, maxPrice: 10n, nowMs: now });
    const seq = await woke;
    const ev = (await b.readOutbox(head, 100)).find((e) => e.seq === seq);
    assert.ok(ev, `event ${seq} not in the outbox`);
    assert.equal(ev!.jobId, id); assert.equal(ev!.job.state, 'SUBMITTED'); assert.equal(ev!.job.inputJson, null);
  });

  it('an outbox reader that advances past each seq it saw misses no event under concurrent writers', async () => {
    // Sequence numbers are drawn at insert, commits land in any order: without care a reader can
    // see seq 12 before 11 commits and skip 11 for ever. The store orders commits of events.
    const start = await a.outboxHead();
    let seen = start; const got: number[] = []; let stop = false;
    const reader = (async () => {
      while (!stop) {
        const evs = await b.readOutbox(seen, 500);
        for (const e of evs) { got.push(e.seq); seen = e.seq; }
        if (!evs.length) await new Promise((r) => setTimeout(r, 1));
      }
    })();
    const tag = `gap_${Date.now()}`; const N = 120;
    await Promise.all(Array.from({ length: N }, async (_, i) => {
      const s = i % 2 ? a : b; const id = `${tag}_${i}`;
      await s.submit({ id, ownerAccountId: client, requestId: id, circuitId: 'c_test', inputJson: '{}', witness: null,
        payloadSha256: 'x', maxAttempts: 1, deadlineMs: 0, maxPrice: 1n, nowMs: now });
      await (i % 3 ? a : b).enqueue(id, now);
      await (i % 5 ? b : a).cancel(id, 'done', now);
    }));
    await new Promise((r) => setTimeout(r, 300));
    stop = true; await reader;
    const all = (await a.readOutbox(start, 10_000)).map((e) => e.seq);
    assert.equal(all.length, 3 * N);
    assert.deepEqual(got.filter((x) => x > start), all, `the reader missed ${all.filter((x) => !got.includes(x)).length} events`);
  });

  it('a crash inside any transition rolls back the job move, its money and its event', async () => {
    let armed = '';
    const c = await openPostgresStore(db!.url, { failPoint: (t, id) => { if (armed === t) { armed = ''; throw new Error(`injected crash in ${t} of ${id}`); } } });
    stores.push(c);
    const snapshot = async (id: string) => JSON.stringify({
      job: await c.getJob(id), head: await c.outboxHead(), ledger: (await c.ledger({ limit: 10_000 })).length,
      client: String(Object.values(await c.balances(client))), operator: String(Object.values(await c.balances(operator))),
    });
    const crashOnce = async (t: string, id: string, run: () => Promise<unknown>) => {
      const before = await snapshot(id);
      armed = t;
      await assert.rejects(run, new RegExp(`injected crash in ${t}`));
      assert.equal(await snapshot(id), before, `${t} of ${id} left a trace after the crash`);
      await run(); // the same call then goes through
      assert.notEqual(await snapshot(id), before, `${t} of ${id} did nothing`);
    };
    const sub = (id: string, deadlineMs = 0) => () => c.submit({ id, ownerAccountId: client, requestId: id, circuitId: 'c_test', inputJson: '{}',
      witness: null, payloadSha256: 'x', maxAttempts: 3, deadlineMs, maxPrice: 100n, nowMs: now });
    const claim = (id: string, token: string) => () => c.claim(id, { proverId: prover, leaseToken: token, leaseExpiresMs: now + 1000, price: 70n }, now);
    await crashOnce('submit', 'k1', sub('k1'));
    await c.enqueue('k1', now);
    await crashOnce('claim', 'k1', claim('k1', 'k1:a'));
    await c.beginVerify('k1', 'k1:a', '{}', '[]', 'cpu', 1, now);
    await crashOnce('accept', 'k1', () => c.accept('k1', 'k1:a', now));
    await sub('k2')(); await c.enqueue('k2', now); await claim('k2', 'k2:a')();
    await crashOnce('release', 'k2', () => c.release('k2', 'k2:a', 'gpu fell off', true, now));
    await claim('k2', 'k2:b')();
    await crashOnce('reclaim', 'k2', () => c.reclaimLapsed(now + 2000));
    await crashOnce('cancel', 'k2', () => c.cancel('k2', 'no longer needed', now));
    await sub('k3', now + 100)();
    await crashOnce('expire', 'k3', () => c.expireOverdue(now + 200));
  });

  it('results and accepts asked for together are group-committed, each decided as alone: a crash fails only its job, a job twice or a stale token is answered alone, paid once, also when two brokers accept the same jobs', async () => {
    const c = await openPostgresStore(db!.url, { failPoint: (t, id) => { if (t === 'accept' && id === 'g3') throw new Error(`injected crash in ${t} of ${id}`); } });
    stores.push(c);
    const ids = ['g1', 'g2', 'g3', 'g4', 'g5', 'g6'];
    for (const id of ids) {
      await c.submit({ id, ownerAccountId: client, requestId: id, circuitId: 'c_test', inputJson: '{}', witness: null, payloadSha256: 'x', maxAttempts: 3, deadlineMs: 0, maxPrice: 100n, nowMs: now });
      await c.enqueue(id, now);
      assert.equal((await c.claim(id, { proverId: prover, leaseToken: `${id}:t`, leaseExpiresMs: now + 1e6, price: 70n }, now)).outcome, 'claimed');
    }
    const txs0 = c.commits.transactions; const commits0 = c.commits.commits;
    const v = await Promise.all(ids.map((id) => c.beginVerify(id, `${id}:t`, '{}', '[]', 'cpu', 1, now)));
    assert.deepEqual(v.map((x) => x.outcome), ids.map(() => 'ok'));
    const accepted0 = (await c.getProver(prover))!.accepted;
    const r = await Promise.allSettled([
      c.accept('g1', 'g1:t', now), c.accept('g2', 'g2:t', now), c.accept('g3', 'g3:t', now), c.accept('g1', 'g1:t', now),
      c.accept('g4', 'wrong-token', now), c.accept('nope', 'x', now),
    ]);
    const got = r.map((x) => (x.status === 'fulfilled' ? x.value.outcome : 'crash'));
    assert.equal(got[2], 'crash', 'the crash fails its own accept');
    assert.deepEqual([got[0], got[3]].sort(), ['ok', 'stale'], 'g1 twice: paid once');
    assert.deepEqual([got[1], got[4], got[5]], ['ok', 'stale', 'not_found']);
    assert.equal((await c.getJob('g3'))!.state, 'VERIFYING', 'the crashed accept left no trace');
    assert.ok(c.commits.commits - commits0 < c.commits.transactions - txs0, 'COMMITs were shared');
    // The rest through two brokers at once, each job asked of both: one accept each wins.
    const both = await Promise.all(['g4', 'g5', 'g6'].flatMap((id) => [a.accept(id, `${id}:t`, now), b.accept(id, `${id}:t`, now)]));
    for (let i = 0; i < 3; i++) assert.deepEqual([both[2 * i].outcome, both[2 * i + 1].outcome].sort(), ['ok', 'stale'], `job ${['g4', 'g5', 'g6'][i]} accepted by both brokers`);
    assert.equal((await c.getProver(prover))!.accepted, accepted0 + 5);
    for (const id of ['g1', 'g2', 'g4', 'g5', 'g6']) {
      const es = await c.ledger({ jobId: id, limit: 100 });
      assert.equal(new Set(es.filter((e) => e.reason === 'payout').map((e) => e.txId)).size, 1, `job ${id} paid once`);
    }
    await checkLedger(c);
  });

  it('every path (accept, reject, release, lapse, expire, cancel) across both brokers leaves the ledger summing to zero', async () => {
    const mk = async (id: string, maxAttempts: number, deadlineMs = 0) => {
      await a.submit({ id, ownerAccountId: client, requestId: id, circuitId: 'c_test', inputJson: null, witness: Buffer.from([1, 2, 3]),
        payloadSha256: 'w', maxAttempts, deadlineMs, maxPrice: 100n, nowMs: now });
      await b.enqueue(id, now);
      const c = await a.claim(id, { proverId: prover, leaseToken: `${id}:t`, leaseExpiresMs: now + 1000, price: 60n }, now);
      assert.equal(c.outcome, 'claimed');
      return `${id}:t`;
    };
    const t1 = await mk('j_accept', 2);
    assert.equal((await b.progress('j_accept', t1, 0.5, 'msm', now + 2000, now)).job!.state, 'PROVING');
    assert.equal((await a.beginVerify('j_accept', t1, '{}', '[]', 'cpu', 5, now)).outcome, 'ok');
    assert.equal((await b.accept('j_accept', t1, now)).outcome, 'ok');
    assert.equal((await a.accept('j_accept', t1, now)).outcome, 'stale', 'paid twice');
    const t2 = await mk('j_reject', 1);
    await b.beginVerify('j_reject', t2, '{}', '[]', 'cpu', 5, now);
    const rj = await a.reject('j_reject', t2, 'pairing check failed', now);
    assert.equal(rj.outcome, 'failed'); assert.deepEqual(rj.job!.excluded, [prover]);
    const t3 = await mk('j_release', 3);
    assert.equal((await b.release('j_release', t3, 'out of memory', true, now)).outcome, 'requeued');
    await mk('j_lapse', 3);
    const lapsed = await Promise.all([a.reclaimLapsed(now + 5000), b.reclaimLapsed(now + 5000)]);
    const reclaimed = [...lapsed[0].requeued, ...lapsed[1].requeued, ...lapsed[0].failed, ...lapsed[1].failed].map((j) => j.id);
    assert.deepEqual(reclaimed, ['j_lapse'], 'the lapsed lease is reclaimed by exactly one broker');
    await mk('j_expire', 3, now + 10_000);
    const ex = await Promise.all([a.expireOverdue(now + 20_000), b.expireOverdue(now + 20_000)]);
    assert.ok([...ex[0].expired, ...ex[1].expired].some((j) => j.id === 'j_expire'));
    assert.equal(new Set([...ex[0].expired, ...ex[1].expired].map((j) => j.id)).size, ex[0].expired.length + ex[1].expired.length, 'expired twice');
    assert.equal((await b.cancel('j_release', 'the client changed its mind', now)).outcome, 'cancelled');
    assert.equal((await a.cancel('j_release', 'again', now)).outcome, 'terminal');
    const sum = (await a.pool.query(`SELECT COALESCE(SUM(amount), 0)::text AS s FROM balances`)).rows[0] as { s: string };
    assert.equal(sum.s, '0');
    const entries = (await a.pool.query(`SELECT tx_id, SUM(amount)::text AS s FROM ledger_entries GROUP BY tx_id HAVING SUM(amount) <> 0`)).rows;
    assert.deepEqual(entries, [], 'a ledger transaction does not balance');
    const bal = await a.balances(client);
    assert.equal(bal.escrow, (await a.liveJobs()).reduce((s, j) => s + BigInt(j.maxPrice), 0n), 'escrow = max prices of live jobs');
  });
});
