// Partitioned jobs as a client reads them, on both stores: WatchJob on a partitioned job reads the
// group whole once and then only the partition an event names, yet shows every partition's
// progress and proof; ListJobs lists single and partitioned jobs in one query, newest first, the
// limit counting entries (not partition rows), the state filter applied to a partitioned job's own
// state, tenants kept apart. sqlGroupState (the SQL of that state) is checked against groupState.
// A partition read that fails (a store hiccup) is read again, so the watch still ends DONE.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { startBroker, type RunningBroker } from '../../broker';
import { JOB_STATES, sqlGroupState, type JobStateName } from '../../broker/lifecycle';
import { EventEmitter } from 'events';
import { groupState, watchGroup, type GroupViewSource } from '../../broker/partitions';
import type { OutboxEvent } from '../../broker/store/types';
import { SqliteStore } from '../../broker/store/sqlite';
import { PostgresStore } from '../../broker/store/postgres/store';
import { AccountsClient } from '../../src/client/accounts';
import { MarketClient, type Job, type JobEvent } from '../../src/client/market';
import { circuitsByCurve, freshInput, releaseSnarkjs, seededRandom, type ExampleCircuit } from '../helpers/circuits';
import { instantProver, type Answer, type InstantProver } from '../helpers/instant-prover';
import { registerExample } from '../helpers/market';
import { freshPgDatabase, PG_URL } from '../helpers/pg';
import { sleep } from '../helpers/procs';
import { rmrf, tmpDir } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const snarkjs = require('snarkjs') as { groth16: { fullProve(i: unknown, w: string, z: string): Promise<{ proof: unknown; publicSignals: string[] }> } };

async function until<T>(what: string, f: () => T | undefined | Promise<T | undefined>, ms = 60_000): Promise<T> {
  for (const end = Date.now() + ms; ;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('sqlGroupState equals groupState', function () {
  this.timeout(60_000);
  const rnd = seededRandom('group-state-sql');
  // Random partition sets, weighted towards the mixes that decide the state (all ended, one live...).
  const cases: JobStateName[][] = [[]];
  for (let i = 0; i < 400; i++) {
    const n = 1 + Number(rnd.next() % 5n);
    const pool = i % 3 === 0 ? ['DONE', 'FAILED', 'EXPIRED', 'CANCELLED'] as JobStateName[] : [...JOB_STATES];
    cases.push(Array.from({ length: n }, () => pool[Number(rnd.next() % BigInt(pool.length))]));
  }
  const rows = cases.flatMap((states, g) => states.map((s) => [`g${g}`, s]));
  const want = cases.map((states) => groupState(states.map((state) => ({ state }))));

  it(`SQLite, ${cases.length} random partition sets`, () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE jobs (group_id TEXT, state TEXT); CREATE TABLE groups (id TEXT)');
    const ins = db.prepare('INSERT INTO jobs VALUES (?, ?)');
    for (const r of rows) ins.run(...r);
    const got = cases.map((_, g) => (db.prepare(`SELECT ${sqlGroupState('?')} AS s`).get(`g${g}`) as { s: string }).s);
    db.close();
    assert.deepStrictEqual(got, want);
  });

  it(`PostgreSQL, the same partition sets`, async function () {
    if (!PG_URL) { console.log('    (skipped: set PM_TEST_PG_URL)'); this.skip(); }
    const c = new Client({ connectionString: PG_URL! });
    await c.connect();
    try {
      await c.query('CREATE TEMP TABLE jobs (group_id TEXT, state TEXT)');
      await c.query('INSERT INTO jobs SELECT * FROM unnest($1::text[], $2::text[])', [rows.map((r) => r[0]), rows.map((r) => r[1])]);
      const r = await c.query<{ g: string; s: string }>(`SELECT g, ${sqlGroupState('g')} AS s FROM unnest($1::text[]) AS g`, [cases.map((_, g) => `g${g}`)]);
      assert.deepStrictEqual(r.rows.map((x) => x.s), want);
    } finally { await c.end(); }
  });
});

describe('watchGroup: a partition read that fails is read again', function () {
  this.timeout(30_000);
  // The stream, the pump and the group's rows in memory: what is under test is watchGroup's
  // bookkeeping of which partitions to re-read, with one failed read (a store hiccup) among them.
  const run = async (events: string[][], u1 = 'PROVING') => {
    const rows = new Map([['u0', 'PROVING'], ['u1', u1]]); // the store
    const seen = new Map(rows); // what the stream has read of it
    let failNext = true; let reads = 0;
    const view = () => ({ state: [...seen.values()].every((st) => st === 'DONE') ? 'JOB_STATE_DONE' : 'JOB_STATE_PROVING',
      partitionsDone: [...seen.values()].filter((st) => st === 'DONE').length,
      partitions: [...seen.entries()].map(([id, st]) => ({ unitId: id, state: `JOB_STATE_${st}`, proverId: 'p', attempts: 1, progress: 0 })) });
    const src: GroupViewSource = {
      view: () => view() as unknown as Job,
      refresh: async (ids) => {
        reads++;
        if (failNext) { failNext = false; throw new Error('connection reset'); }
        for (const id of ids) seen.set(id, rows.get(id)!);
      },
    };
    let deliver: (ev: OutboxEvent) => void = () => {};
    const pump = { subscribe: (_id: string, fn: (ev: OutboxEvent) => void) => { deliver = fn; return () => {}; } };
    const call = Object.assign(new EventEmitter(), { request: { jobId: 'g' }, written: [] as unknown[], ended: false,
      write(m: unknown) { this.written.push(m); return true; }, end() { this.ended = true; } });
    await watchGroup(pump as never, call as never, async () => src, () => {});
    for (const ids of events) {
      for (const id of ids) { rows.set(id, 'DONE'); deliver({ seq: 1, jobId: id, kind: 'state', job: {} as never, createdMs: 0 }); }
      await sleep(50);
    }
    await until('the stream to end with the job DONE', () => (call.ended ? true : undefined), 10_000);
    call.emit('close');
    return reads;
  };

  it('a later event of another partition reads the failed one too', async () => {
    await run([['u0'], ['u1']]); // u0's DONE read fails; u1's DONE follows
  });

  it('with no later event, the failed read is retried', async () => {
    const reads = await run([['u0']], 'DONE'); // u0's DONE, the group's last event: its read fails, nothing else comes
    assert.ok(reads >= 2, `reads: ${reads}`);
  });
});

for (const store of ['sqlite', 'postgres'] as const) {
  describe(`partitioned jobs in WatchJob and ListJobs (${store})`, function () {
    this.timeout(180_000);
    let dir = ''; let broker: RunningBroker | null = null; let drop: (() => Promise<void>) | null = null;
    let client: MarketClient; let bob: MarketClient; let admin: AccountsClient;
    let prover: InstantProver | null = null;
    let c: ExampleCircuit;
    const rnd = seededRandom(`partition-views-${store}`);
    const proofs = new Map<string, Answer>(); // by input JSON

    before(async function () {
      let url = '';
      if (store === 'postgres') {
        if (!PG_URL) { console.log('    (skipped on PostgreSQL: set PM_TEST_PG_URL; .ci/run starts a throwaway server)'); this.skip(); }
        const db = await freshPgDatabase('partition_views');
        drop = db.drop; url = db.url;
      }
      dir = tmpDir('partition-views');
      broker = await startBroker({ listen: '127.0.0.1:0', dataDir: dir, store: url, localAccounts: true, sweepMs: 100, warmVerifier: false, log: () => {} });
      const key = (n: string) => fs.readFileSync(path.join(dir, `${n}.key`), 'utf8').trim();
      client = new MarketClient(broker.address, { apiKey: key('client') });
      admin = new AccountsClient(broker.address, { apiKey: key('admin') });
      bob = new MarketClient(broker.address, { apiKey: (await admin.createAccount('bob', 'client')).apiKey });
      c = circuitsByCurve().bn254;
      await registerExample(client, c);
      prover = await instantProver(broker.address, key('prover'), { answer: (inputJson) => proofs.get(inputJson) });
      prover.hold = true; // every proof is sent by hand
    });

    after(async () => {
      prover?.stop();
      for (const x of [client, bob, admin]) x?.close();
      await broker?.close();
      if (dir) rmrf(dir);
      await drop?.();
      await releaseSnarkjs();
    });

    /** N fresh inputs with their proofs (the instant prover answers an input with its proof). */
    async function inputs(n: number): Promise<string[]> {
      const out: string[] = [];
      for (let i = 0; i < n; i++) {
        const input = freshInput(c, rnd.next);
        const { proof, publicSignals } = await snarkjs.groth16.fullProve(input, c.wasm, c.zkey);
        const json = JSON.stringify(input);
        proofs.set(json, { proofJson: JSON.stringify(proof), publicJson: JSON.stringify(publicSignals) });
        out.push(json);
      }
      return out;
    }
    const lease = (unitId: string) => prover!.assigned.get(unitId)!.leaseToken;
    const assigned = (ids: string[]) => until('assignments', () => (ids.every((id) => prover!.assigned.has(id)) ? true : undefined));

    it('WatchJob on a 4-partition job shows each partition\'s progress and proof; the group is read whole once, then one partition per event', async () => {
      const job = await client.submitPartitioned({ circuit: c.name, inputs: await inputs(4) });
      const units = job.partitions.map((p) => p.unitId);
      await assigned(units);
      const Store = store === 'sqlite' ? SqliteStore : PostgresStore;
      const whole = Store.prototype.groupPartitions; const one = Store.prototype.getJob;
      const reads = { whole: 0, one: 0 };
      Store.prototype.groupPartitions = function (this: InstanceType<typeof Store>, ...a: Parameters<typeof whole>) { reads.whole++; return whole.apply(this, a); };
      Store.prototype.getJob = function (this: InstanceType<typeof Store>, ...a: Parameters<typeof one>) { reads.one++; return one.apply(this, a); };
      try {
        const seen: JobEvent[] = [];
        const w = client.watch(job.id, (ev) => seen.push(ev));
        const shows = (k: number, pred: (p: Job['partitions'][number], j: Job) => boolean, what: string) =>
          until(`partition ${k}: ${what} (seen: ${JSON.stringify(seen.map((e) => e.job!.partitions.map((p) => [p.state, p.progress])))})`,
            () => (seen.some((e) => pred(e.job!.partitions[k], e.job!)) ? true : undefined));
        await until('snapshot', () => seen[0]);
        assert.strictEqual(seen[0].kind, 'snapshot');
        for (let k = 0; k < units.length; k++) {
          prover!.progress(units[k], lease(units[k]), 0.5, 'proving');
          await shows(k, (p) => p.state === 'JOB_STATE_PROVING' && Math.abs(Number(p.progress) - 0.5) < 1e-9 && p.stage === 'proving', 'PROVING at 50%');
          prover!.send(units[k], lease(units[k]), proofs.get(prover!.assigned.get(units[k])!.inputJson)!);
          await shows(k, (p, j) => p.state === 'JOB_STATE_DONE' && j.partitionsDone === k + 1, `DONE, ${k + 1} of 4 verified`);
        }
        const last = await w.done;
        assert.strictEqual(last!.state, 'JOB_STATE_DONE');
        assert.strictEqual(last!.partitionsDone, 4);
        assert.ok(last!.partitions.every((p) => p.proof?.proofJson), 'every partition carries its proof');
        // The watch read the group's partitions once (its snapshot); each event re-read one row.
        assert.strictEqual(reads.whole, 1, `groupPartitions calls: ${reads.whole}`);
        assert.ok(reads.one >= 8, `one partition re-read per event (got ${reads.one})`);
        console.log(`      ${seen.length} events; partitions read whole ${reads.whole}×, one partition ${reads.one}×`);
      } finally {
        Store.prototype.groupPartitions = whole; Store.prototype.getJob = one;
      }
    });

    it('ListJobs: one entry per job (partitions are not entries), newest first, every limit, the state filter on a partitioned job\'s own state, tenants apart', async () => {
      const before = (await client.listJobs({ limit: 1000 })).map((j) => j.id);
      // Interleaved: single, partitioned (8), single, single, partitioned (3), single.
      const made: Job[] = [];
      const single = async () => { const [i] = await inputs(1); made.push(await client.submit({ circuit: c.name, input: i })); };
      const group = async (n: number) => { made.push(await client.submitPartitioned({ circuit: c.name, inputs: await inputs(n) })); };
      await single(); await group(8); await single(); await single(); await group(3); await single();
      await bob.submit({ circuit: c.name, input: (await inputs(1))[0] }).catch(() => null); // bob's own job (or refusal) never shows to alice
      // The first single job and the 3-partition job reach DONE; the rest stay ASSIGNED.
      const doneIds = [made[0].id, made[4].id];
      const units = (j: Job) => (j.partitions.length ? j.partitions.map((p) => p.unitId) : [j.id]);
      await assigned(made.flatMap(units));
      for (const id of doneIds.flatMap((id) => units(made.find((m) => m.id === id)!))) {
        prover!.send(id, lease(id), proofs.get(prover!.assigned.get(id)!.inputJson)!);
      }
      for (const id of doneIds) await until(`${id} DONE`, async () => ((await client.getJob(id)).state === 'JOB_STATE_DONE' ? true : undefined));

      const all = [...made.map((j) => ({ id: j.id, created: Number(j.createdMs) })),
        ...(await Promise.all(before.map((id) => client.getJob(id)))).map((j) => ({ id: j.id, created: Number(j.createdMs) }))];
      const order = all.sort((x, y) => y.created - x.created || (y.id < x.id ? -1 : y.id > x.id ? 1 : 0)).map((x) => x.id);
      for (let limit = 1; limit <= order.length + 1; limit++) {
        const got = await client.listJobs({ limit });
        assert.deepStrictEqual(got.map((j) => j.id), order.slice(0, limit), `limit ${limit}`);
      }
      const listed = await client.listJobs({ limit: 1000 });
      // Each entry is what GetJob shows (but updatedMs, which a heartbeat may move meanwhile).
      const bare = (j: Job) => ({ ...j, updatedMs: '' });
      for (const m of made) assert.deepStrictEqual(bare(listed.find((j) => j.id === m.id)!), bare(await client.getJob(m.id)), `${m.id} listed as GetJob shows it`);
      const g8 = listed.find((j) => j.id === made[1].id)!;
      assert.strictEqual(g8.partitions.length, 8, 'a partitioned job is listed with its partitions');
      assert.strictEqual(g8.state, 'JOB_STATE_ASSIGNED');
      assert.ok(!listed.some((j) => made.some((m) => m.partitions.some((p) => p.unitId === j.id))), 'no partition is listed as a job of its own');

      const done = (await client.listJobs({ state: 'DONE', limit: 1000 })).map((j) => j.id);
      assert.deepStrictEqual(done.filter((id) => made.some((m) => m.id === id)), [made[4].id, made[0].id], 'DONE: the 3-partition job (all verified) and the first single job, newest first');
      const assignedNow = (await client.listJobs({ state: 'ASSIGNED', limit: 2 })).map((j) => j.id);
      assert.deepStrictEqual(assignedNow, [made[5].id, made[3].id], 'ASSIGNED, limit 2: the two newest ASSIGNED entries');
      assert.deepStrictEqual((await client.listJobs({ state: 'ASSIGNED', limit: 1000 })).filter((j) => j.partitions.length).map((j) => j.id), [made[1].id],
        'the 8-partition job is ASSIGNED (its furthest live state), the DONE 3-partition job is not');
      const bobs = (await bob.listJobs({ limit: 1000 })).map((j) => j.id);
      assert.ok(!bobs.some((id) => order.includes(id)), 'bob sees none of alice\'s jobs');
    });
  });
}
