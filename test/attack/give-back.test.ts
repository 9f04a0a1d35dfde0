// Attack suite: an operator that gives every job back. Real broker and prover processes on
// 127.0.0.1 over real gRPC. The griefer is one operator account with no stake running two raw
// ProverHub daemons (two prover keys) at price 0, each answering every assignment at once with a
// retryable error ("out of memory, try again"): a give-back costs no stake and is never slashed.
// Before the fix the job was FAILED ("gave up after 3 attempts") within ~100 ms. Now one operator
// uses up at most one attempt of a job (lifecycle.ts giveBack), and after 3 give-backs the job is no
// longer offered to it (no endless bouncing): the job stays live, and an honest prover that connects
// later proves it and is paid once.

import * as assert from 'assert';
import { MarketClient } from '../../src/client/market';
import { AccountsClient } from '../../src/client/accounts';
import { circuitsByCurve, freshInput, seededRandom, verifyProof } from '../helpers/circuits';
import { RawProver } from '../helpers/attack';
import { adminOf, checkMoney, newOperator, registerExample, waitForJob } from '../helpers/market';
import { BrokerProc, sleep, startBrokerProc, startProverProc } from '../helpers/procs';
import { liveProcessHooks } from '../helpers/hooks';

describe('attack: an operator gives every job back (retryable errors)', function () {
  this.timeout(180_000);
  let broker: BrokerProc;
  let client: MarketClient;
  let admin: AccountsClient;
  const raws: RawProver[] = [];

  before(async () => {
    broker = await startBrokerProc({ leaseMs: 4000, heartbeatMs: 400, maxAttempts: 3 });
    client = new MarketClient(broker.address, { apiKey: broker.keys.client });
    admin = adminOf(broker);
  });

  liveProcessHooks({ close: () => { for (const r of raws.splice(0)) r.close(); client.close(); admin.close(); } });

  it('two daemons of one 0-stake operator cannot FAIL the job; an honest prover that connects later proves it, paid once', async () => {
    const c = circuitsByCurve().bn254;
    const rnd = seededRandom('give-back');
    await admin.deposit('local-client', 1000n);
    const griefKey = await newOperator(admin, 'griefer', 0n);
    await registerExample(client, c);
    let assignments = 0;
    for (const k of ['grief-1', 'grief-2']) {
      const raw = new RawProver(broker.address, { apiKey: griefKey });
      raws.push(raw);
      const reg = await raw.register({ key: k, price: '0' });
      const s = raw.hello(reg.proverId, reg.proverSecret, reg.sessionEpoch);
      s.call.on('data', (m: { assignment?: { jobId: string; leaseToken: string } }) => {
        if (!m.assignment) return;
        assignments++;
        s.write({ result: { jobId: m.assignment.jobId, leaseToken: m.assignment.leaseToken, error: 'out of memory, try again', retryable: true } });
      });
    }
    const job = await client.submit({ circuit: c.name, input: freshInput(c, rnd.next), maxPrice: 100n });
    // The griefer gets the job back MAX_GIVE_BACKS (3) times over its two daemons, then no more: the
    // job neither bounces for ever nor FAILS; it waits for another operator.
    const until = Date.now() + 60_000;
    while (assignments < 3 && Date.now() < until) {
      const j = await client.getJob(job.id);
      assert.ok(!['JOB_STATE_FAILED', 'JOB_STATE_EXPIRED', 'JOB_STATE_CANCELLED'].includes(j.state as string),
        `the griefer ended the job after ${assignments} assignment(s): ${j.state} ${j.error}`);
      await sleep(100);
    }
    assert.strictEqual(assignments, 3, `the griefer got ${assignments} assignments in 60 s`);
    await sleep(4000); // several sweeps and dispatches (lease 4 s): the job is not offered to the griefer again
    assert.strictEqual(assignments, 3, 'the job kept bouncing between the griefer\'s daemons');
    let j = await client.getJob(job.id);
    assert.strictEqual(j.state, 'JOB_STATE_QUEUED');
    assert.ok(!['JOB_STATE_FAILED', 'JOB_STATE_DONE'].includes(j.state as string), `${j.state} ${j.error}`);
    assert.ok(j.attempts <= 1, `one operator used ${j.attempts} attempts`);
    assert.match(j.error, /out of memory, try again/);

    // An honest operator connects: the job goes to it (the griefer is passed over), DONE, verified, paid once.
    const honestKey = await newOperator(admin, 'honest', 1000n);
    const honest = await startProverProc(broker, { name: 'honest', apiKey: honestKey, price: 10 });
    const done = await client.waitDone(job.id, 120_000);
    assert.strictEqual(done.state, 'JOB_STATE_DONE', `${done.state} ${done.error}`);
    assert.strictEqual(done.proverId, honest.proverId);
    assert.ok(await verifyProof(c, done.proof!.proofJson, done.proof!.publicJson));
    j = await waitForJob(client, job.id, (x) => x.state === 'JOB_STATE_DONE', 'DONE');
    const balances = await checkMoney(admin, [j], 1000n + 1000n);
    assert.strictEqual(balances.griefer.earnings, '0');
    assert.ok(BigInt(balances.honest.earnings) > 0n, `honest earned ${balances.honest.earnings}`);
    const slashes = (await admin.ledger({ jobId: job.id })).filter((e) => /slash/.test(e.reason));
    assert.strictEqual(slashes.length, 0, 'nobody held stake on the give-backs: nothing to slash');
  });
});
