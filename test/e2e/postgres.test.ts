// End to end on PostgreSQL: `proofmarket broker --store postgres://…` as a real process, a prover
// process, jobs proved and verified; the broker killed with -9 and restarted on the same database
// keeps every job and serves new ones. Needs PM_TEST_PG_URL (.ci/run starts a server).
import * as assert from 'assert';
import { MarketClient } from '../../src/client/market';
import { circuitsByCurve, freshInput, seededRandom, verifyProof } from '../helpers/circuits';
import { registerExample } from '../helpers/market';
import { freshPgDatabase, requirePg } from '../helpers/pg';
import { BrokerProc, restartBrokerProc, startBrokerProc, startProverProc, tmpDir } from '../helpers/procs';
import { liveProcessHooks } from '../helpers/hooks';

describe('e2e: broker on PostgreSQL (--store), killed -9 and restarted', function () {
  this.timeout(300_000);
  let db: Awaited<ReturnType<typeof freshPgDatabase>> | null = null;
  let broker: BrokerProc;
  let client: MarketClient | null = null;

  before(async function () {
    requirePg(this, 'the PostgreSQL e2e test');
    db = await freshPgDatabase('e2e');
    const dataDir = tmpDir('pm-broker-pg-');
    broker = await startBrokerProc({ dataDir, leaseMs: 5000, heartbeatMs: 500, extraArgs: ['--store', db.url] });
    assert.match(broker.proc.tail(), /store postgres:\/\//, 'the broker says it uses PostgreSQL');
    await startProverProc(broker.address, { name: 'pg-prover', apiKey: broker.keys.prover });
    client = new MarketClient(broker.address, { apiKey: broker.keys.client });
    await registerExample(client, circuitsByCurve().bn254);
  });
  liveProcessHooks({ close: () => client?.close(), finally: () => db?.drop() });

  it('proves jobs, survives kill -9 with every job kept, and proves more after the restart', async () => {
    const c = circuitsByCurve().bn254;
    const rnd = seededRandom('pg-e2e');
    const submitAndWait = async (n: number, tag: string) => {
      const specs = Array.from({ length: n }, () => freshInput(c, rnd.next));
      const jobs = await Promise.all(specs.map((input, i) => client!.submit({ circuit: c.name, input: JSON.stringify(input), requestId: `${tag}-${rnd.seed}-${i}` })));
      const done = await Promise.all(jobs.map((j) => client!.waitDone(j.id, 200_000)));
      for (const j of done) {
        assert.strictEqual(j.state, 'JOB_STATE_DONE', `job ${j.id}: ${j.state} ${j.error}`);
        assert.ok(await verifyProof(c, j.proof!.proofJson, j.proof!.publicJson), `job ${j.id}: snarkjs rejects the proof`);
      }
      return done.map((j) => j.id);
    };
    const before = await submitAndWait(3, 'before');
    broker = await restartBrokerProc(broker, 'SIGKILL');
    client!.close();
    client = new MarketClient(broker.address, { apiKey: broker.keys.client });
    const listed = await client.listJobs({ state: 'JOB_STATE_DONE', limit: 100 });
    for (const id of before) assert.ok(listed.some((j) => j.id === id), `job ${id} lost across kill -9`);
    const after = await submitAndWait(2, 'after');
    assert.strictEqual(new Set([...before, ...after]).size, 5);
  });

  it('a second broker on the same database streams the events of a job proved through the first', async () => {
    const c = circuitsByCurve().bn254;
    const rnd = seededRandom('pg-two-brokers');
    const other = await startBrokerProc({ leaseMs: 5000, heartbeatMs: 500, name: 'broker-b', extraArgs: ['--store', db!.url] });
    // Keys live in the database: the first broker's client key works on the second.
    const clientB = new MarketClient(other.address, { apiKey: broker.keys.client });
    try {
      const j = await client!.submit({ circuit: c.name, input: JSON.stringify(freshInput(c, rnd.next)), requestId: `two-${rnd.seed}` });
      const states: string[] = [];
      const done = await clientB.waitDone(j.id, 200_000, (ev) => states.push(String(ev.job?.state)));
      assert.strictEqual(done.state, 'JOB_STATE_DONE', `${done.state} ${done.error}`);
      assert.ok(states.includes('JOB_STATE_DONE'), `broker B streamed ${states.join(' → ')}`);
      assert.ok(await verifyProof(c, done.proof!.proofJson, done.proof!.publicJson));
      assert.ok((await clientB.listJobs({ limit: 100 })).some((x) => x.id === j.id), 'broker B lists the job');
    } finally { clientB.close(); await other.proc.kill('SIGTERM'); }
  });
});
