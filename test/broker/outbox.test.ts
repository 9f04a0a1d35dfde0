// WatchJob events come from the store's outbox, so a watcher on one broker sees what another
// broker sharing the database did: two brokers on one data dir, a job submitted and cancelled on
// one, watched on the other.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { startBroker, type RunningBroker } from '../../broker';
import { MarketClient, type JobEvent } from '../../src/client/market';
import { fixture, rmrf, tmpDir } from './helpers';

const BN = fixture('bn254');

describe('outbox: WatchJob across brokers sharing one database', function () {
  this.timeout(60_000);
  let dir: string; const brokers: RunningBroker[] = []; const clients: MarketClient[] = [];
  before(() => { dir = tmpDir('outbox'); });
  after(async () => { for (const c of clients) c.close(); for (const b of brokers) await b.close(); rmrf(dir); });

  it('a watcher on broker A receives the states broker B writes', async () => {
    const start = () => startBroker({ listen: '127.0.0.1:0', dataDir: dir, localAccounts: true, sweepMs: 100, warmVerifier: false, log: () => {} });
    brokers.push(await start());
    brokers.push(await start());
    assert.deepStrictEqual(brokers[1].keyFiles, [], 'the second broker found the accounts the first made');
    const apiKey = fs.readFileSync(path.join(dir, 'client.key'), 'utf8').trim();
    const [a, b] = brokers.map((x) => { const c = new MarketClient(x.address, { apiKey }); clients.push(c); return c; });
    await b.registerCircuit({ name: 'mul3', wasm: BN.wasm, zkey: BN.zkey, vkey: BN.vkey, r1cs: BN.r1cs, sym: BN.sym });
    const job = await b.submit({ circuit: 'mul3', input: { a: 1, b: [2, 3, 4], c: 5 } });
    const seen: JobEvent[] = [];
    const w = a.watch(job.id, (ev) => seen.push(ev));
    while (seen.length === 0) await new Promise((r) => setTimeout(r, 20));
    assert.strictEqual(seen[0].kind, 'snapshot'); assert.strictEqual(seen[0].job!.state, 'JOB_STATE_QUEUED');
    await b.cancel(job.id);
    const last = await w.done;
    assert.strictEqual(last!.state, 'JOB_STATE_CANCELLED', 'broker A streamed the cancel broker B wrote');
    // Between the snapshot and the cancel, either broker's 100 ms sweep may write a routing note
    // ("no prover connected"): an event that leaves the job QUEUED. Those may appear; no other state may.
    const states = seen.map((e) => [e.kind, e.job!.state]);
    assert.deepStrictEqual(states[0], ['snapshot', 'JOB_STATE_QUEUED']);
    assert.deepStrictEqual(states[states.length - 1], ['state', 'JOB_STATE_CANCELLED']);
    assert.ok(states.slice(1, -1).every(([, st]) => st === 'JOB_STATE_QUEUED'), `only QUEUED notes between: ${JSON.stringify(states)}`);
  });
});
