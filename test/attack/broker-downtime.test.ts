// The broker's own downtime is nobody's fault: a prover holding a lease while the broker is down
// cannot heartbeat, so a lease that "lapsed" meanwhile must not be slashed as abandoned at the
// restart. The restarted broker gives every lease one lease period to be picked up again.
// Real broker process (SIGKILLed and restarted on its data dir), a RawProver that holds the lease,
// the mul3 fixture circuit, a real snarkjs proof at the end.
import * as assert from 'assert';
import type { AccountsClient } from '../../src/client/accounts';
import { MarketClient } from '../../src/client/market';
import { fixture } from '../broker/helpers';
import { RawProver, type RawSession } from '../helpers/attack';
import { adminOf, checkMoney, newOperator, waitForJob } from '../helpers/market';
import { restartBrokerProc, startBrokerProc, type BrokerProc } from '../helpers/procs';
import { liveProcessHooks } from '../helpers/hooks';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const snarkjs: any = require('snarkjs');
const f = fixture('bn254');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function assignmentOf(s: RawSession, jobId: string, ms: number) {
  const until = Date.now() + ms;
  for (;;) {
    const a = s.messages.find((m) => m.assignment?.jobId === jobId)?.assignment;
    if (a) return a;
    if (Date.now() > until) throw new Error(`no assignment of ${jobId}: ${JSON.stringify(s.messages.map((m) => Object.keys(m)))}`);
    await sleep(100);
  }
}

describe('attack: the broker\'s downtime does not get a prover slashed', function () {
  this.timeout(200_000);
  let broker: BrokerProc; let client: MarketClient; let admin: AccountsClient;
  const raws: RawProver[] = [];

  liveProcessHooks({ close: () => { for (const r of raws) r.close(); client?.close(); admin?.close(); } });

  it('a lease that lapsed while the broker was down is kept for one lease period after the restart, then proved and paid', async function () {
    broker = await startBrokerProc({ leaseMs: 1500, heartbeatMs: 300 });
    admin = adminOf(broker);
    client = new MarketClient(broker.address, { apiKey: broker.keys.client });
    await admin.deposit('local-client', 1000n);
    const opKey = await newOperator(admin, 'op-patient', 1000n);
    await client.registerCircuit({ name: 'mul3', wasm: f.wasm, zkey: f.zkey, vkey: f.vkey, r1cs: f.r1cs });
    const raw = new RawProver(broker.address, { apiKey: opKey }); raws.push(raw);
    const reg = await raw.register({ key: 'patient', price: '10' });
    const s1 = raw.hello(reg.proverId, reg.proverSecret, reg.sessionEpoch);
    const input = { a: '3', b: ['5', '7', '11'], c: '13' };
    const j = await client.submit({ circuit: 'mul3', input, requestId: 'downtime', maxPrice: 20n });
    const a = await assignmentOf(s1, j.id, 60_000);
    s1.write({ heartbeat: { leaseTokens: [a.leaseToken] } });

    // The broker dies and stays down for longer than the lease; it comes back with a long lease.
    await broker.proc.kill('SIGKILL');
    s1.close(); raw.close();
    await sleep(2500);
    broker.opts.leaseMs = 60_000;
    broker = await restartBrokerProc(broker);
    admin.close(); client.close();
    admin = adminOf(broker);
    client = new MarketClient(broker.address, { apiKey: broker.keys.client });
    await sleep(1500); // past the restart's first sweep
    const es = await admin.ledger({ jobId: j.id });
    assert.ok(!es.some((e) => /slash/.test(e.reason)), `slashed for the broker's downtime: ${JSON.stringify(es.map((e) => [e.account, e.reason, e.amount, e.explanation]))}`);
    const held = await client.getJob(j.id);
    assert.strictEqual(held.state, 'JOB_STATE_ASSIGNED', `${held.state}: ${held.error}`);
    assert.strictEqual(held.attempts, 1);

    // The prover comes back, keeps its lease and is paid for its proof.
    const raw2 = new RawProver(broker.address, { apiKey: opKey }); raws.push(raw2);
    const reg2 = await raw2.register({ key: 'patient', secret: reg.proverSecret, price: '10' });
    assert.strictEqual(reg2.proverId, reg.proverId);
    const s2 = raw2.hello(reg2.proverId, reg.proverSecret, reg2.sessionEpoch);
    s2.write({ heartbeat: { leaseTokens: [a.leaseToken] } });
    const { proof, publicSignals } = await snarkjs.groth16.fullProve(input, f.wasm, f.zkey);
    s2.write({ result: { jobId: j.id, leaseToken: a.leaseToken, proof: { proofJson: JSON.stringify(proof), publicJson: JSON.stringify(publicSignals) }, backend: 'snarkjs', proveMs: 1 } });
    const done = await waitForJob(client, j.id, (x) => x.state === 'JOB_STATE_DONE' || x.state === 'JOB_STATE_FAILED', 'finished', 60_000);
    assert.strictEqual(done.state, 'JOB_STATE_DONE', done.error);
    assert.strictEqual(done.attempts, 1, 'proved on its first lease');
    const bal = await admin.balance('op-patient');
    assert.deepStrictEqual([bal.available, bal.stake, bal.earnings], ['1000', '0', '10'], 'whole stake back, paid the price (fee rounds to 0)');
    await checkMoney(admin, [done], 2000n);
  });
});
