// Fault tests with real processes: a prover SIGKILLed mid-proof, a prover returning corrupted
// proofs, a broker SIGKILLed and restarted on its data dir, a prover that hangs. Each test runs
// its own broker and provers and kills them all afterwards.

import * as assert from 'assert';
import { MarketClient } from '../../src/client/market';
import type { Job__Output } from '../../src/common';
import { circuitsByCurve, ExampleCircuit, freshInput, seededRandom, verifyProof } from '../helpers/circuits';
import { restartBrokerProc, startBrokerProc, startProverProc } from '../helpers/procs';
import { adminOf, checkMoney, newOperator, registerExample, slashesOf, waitForJob } from '../helpers/market';
import { liveProcessHooks } from '../helpers/hooks';
import type { AccountsClient } from '../../src/client/accounts';

const LIVE = ['JOB_STATE_ASSIGNED', 'JOB_STATE_PROVING', 'JOB_STATE_VERIFYING'];

describe('e2e faults', function () {
  this.timeout(200_000);
  let circuits: Record<'bn254' | 'bls12-381', ExampleCircuit>;
  const clients: { close(): void }[] = [];

  before(() => {
    circuits = circuitsByCurve();
  });

  liveProcessHooks({ perTest: true, close: () => { for (const c of clients.splice(0)) c.close(); } });

  const inputs = new Map<string, string>();
  async function submitMany(client: MarketClient, c: ExampleCircuit, n: number, label: string, maxPrice = 0n): Promise<Job__Output[]> {
    const rnd = seededRandom(label);
    const jobs: Job__Output[] = [];
    for (let i = 0; i < n; i++) {
      const input = JSON.stringify(freshInput(c, rnd.next));
      const job = await client.submit({ circuit: c.name, input, requestId: `${label}-${rnd.seed}-${i}`, maxPrice });
      inputs.set(job.id, input);
      jobs.push(job);
    }
    return jobs;
  }

  async function assertVerified(c: ExampleCircuit, j: Job__Output): Promise<void> {
    assert.strictEqual(j.state, 'JOB_STATE_DONE', `job ${j.id}: ${j.state} ${j.error}`);
    assert.ok(j.proof, `job ${j.id} has no proof`);
    assert.ok(await verifyProof(c, j.proof!.proofJson, j.proof!.publicJson), `job ${j.id}: snarkjs rejects the proof`);
  }

  /** An admin client, the local client funded with `funds`; returns the admin. */
  async function fund(broker: { address: string; keys: { admin: string } }, funds: bigint): Promise<AccountsClient> {
    const admin = adminOf(broker);
    clients.push(admin);
    await admin.deposit('local-client', funds);
    return admin;
  }

  it('a prover SIGKILLed mid-proof: the job is reassigned to the other prover and finishes', async () => {
    const c = circuits['bls12-381'];
    const broker = await startBrokerProc({ leaseMs: 2000, heartbeatMs: 300 });
    const client = new MarketClient(broker.address, { apiKey: broker.keys.client });
    clients.push(client);
    await registerExample(client, c);
    const admin = await fund(broker, 1000n);
    const crashKey = await newOperator(admin, 'op-crash', 100n);
    const honestKey = await newOperator(admin, 'op-honest', 100n);
    // Only the crashing prover is up when the job arrives, so it is the one that takes it.
    const crasher = await startProverProc(broker, { name: 'crasher', fault: 'crash-mid-proof', apiKey: crashKey, price: 30 });
    const [job] = await submitMany(client, c, 1, 'crash', 100n);
    const exit = await crasher.proc.exited;
    assert.strictEqual(exit.signal, 'SIGKILL', `crasher exited with ${JSON.stringify(exit)}`);
    assert.ok(crasher.proc.lines.some((l) => /FAULT crash-mid-proof/.test(l)), 'the crash happened mid-proof');
    const honest = await startProverProc(broker, { name: 'honest', apiKey: honestKey, price: 50 });
    const done = await client.waitDone(job.id, 150_000);
    await assertVerified(c, done);
    assert.strictEqual(done.proverId, honest.proverId, 'the honest prover finished it');
    assert.ok(done.attempts >= 2, `attempts ${done.attempts}: the killed attempt counts`);
    // Money: the crasher abandoned its lease (stake 30 slashed: 15 to the client, 15 to the market);
    // the honest prover was paid its price 50 less the 5% fee. (Should the honest lease lapse too on
    // a loaded machine, its slashes of 50 are counted from the ledger.)
    const m = await checkMoney(admin, [done], 1200n);
    const sc = await slashesOf(admin, 'op-crash'); const sh = await slashesOf(admin, 'op-honest');
    assert.strictEqual(sc.count, 1, 'the crasher was slashed once for abandoning its lease');
    assert.strictEqual(done.price, '50');
    const toClient = sc.total / 2n + sh.total / 2n;
    assert.deepStrictEqual([m['local-client'].available, m['op-crash'].available, m['op-honest'].earnings, m['op-honest'].available, m.market.fees],
      [String(1000n - 50n + toClient), '70', '48', String(100n - sh.total), String(2n + sc.total + sh.total - toClient)]);
  });

  it('a prover returning corrupted proofs: none reaches the client, the jobs finish on the honest prover', async () => {
    const c = circuits.bn254;
    const broker = await startBrokerProc({ leaseMs: 3000, heartbeatMs: 300, maxAttempts: 10 });
    const client = new MarketClient(broker.address, { apiKey: broker.keys.client });
    clients.push(client);
    await registerExample(client, c);
    const admin = await fund(broker, 1000n);
    const cheatKey = await newOperator(admin, 'op-cheat', 1000n);
    const honestKey = await newOperator(admin, 'op-honest', 1000n);
    const [cheat, honest] = await Promise.all([
      startProverProc(broker, { name: 'cheat', fault: 'corrupt-proof', apiKey: cheatKey, price: 10 }),
      startProverProc(broker, { name: 'honest', apiKey: honestKey, price: 20 }),
    ]);
    const jobs = await submitMany(client, c, 4, 'corrupt', 20n);
    const done = await Promise.all(jobs.map((j) => client.waitDone(j.id, 150_000)));
    for (const j of done) {
      await assertVerified(c, j);
      assert.strictEqual(j.proverId, honest.proverId, `job ${j.id} was finished by ${j.proverId}`);
    }
    // The cheat did take work and had its proofs rejected (so this test exercised the fault).
    const retried = done.filter((j) => j.attempts > 1);
    const rejectedLines = cheat.proc.lines.filter((l) => /rejected/.test(l));
    assert.ok(retried.length > 0 || rejectedLines.length > 0,
      'the corrupting prover never had a proof rejected; the fault was not exercised');
    // Money: each rejected proof cost the cheat its stake (10: 5 to the client); the honest prover
    // earned 4 × (20 − 1 fee); every extra attempt was a slash of one of them.
    const m = await checkMoney(admin, done, 3000n);
    const sc = await slashesOf(admin, 'op-cheat'); const sh = await slashesOf(admin, 'op-honest');
    assert.ok(sc.count > 0 || rejectedLines.length === 0, 'a rejected proof was slashed');
    assert.strictEqual(sc.count + sh.count, done.reduce((a, j) => a + (j.attempts - 1), 0), 'one slash per failed attempt');
    assert.strictEqual(m['op-cheat'].available, String(1000 - 10 * sc.count));
    assert.strictEqual(m['op-cheat'].earnings, '0');
    assert.strictEqual(m['op-honest'].earnings, String(4 * 19));
    assert.strictEqual(BigInt(m['local-client'].available), 1000n - 4n * 20n + 5n * BigInt(sc.count) + sh.total / 2n);
  });

  it('a broker SIGKILLed with jobs queued and leased: after restart on its data dir all finish, none lost or doubled', async () => {
    const c = circuits['bls12-381'];
    // Leases longer than the broker's downtime, so provers that reconnect can still deliver on them.
    let broker = await startBrokerProc({ leaseMs: 8000, heartbeatMs: 300 });
    let client = new MarketClient(broker.address, { apiKey: broker.keys.client });
    clients.push(client);
    await registerExample(client, c);
    const admin = await fund(broker, 1000n);
    await admin.deposit('local-prover', 500n, 'stake');
    await Promise.all([
      startProverProc(broker, { name: 'p1', price: 40 }),
      startProverProc(broker, { name: 'p2', price: 40 }),
    ]);
    const jobs = await submitMany(client, c, 6, 'restart', 50n);
    // Wait until at least one job is leased to a prover, then pull the plug.
    await waitForJob(client, jobs[0].id, (j) => LIVE.includes(j.state) || j.state === 'JOB_STATE_DONE', 'leased');
    const before = await Promise.all(jobs.map((j) => client.getJob(j.id)));
    const states = before.map((j) => j.state);
    assert.ok(states.some((s) => LIVE.includes(s)), `some job leased at kill time: ${states.join(',')}`);
    assert.ok(states.some((s) => s === 'JOB_STATE_QUEUED' || s === 'JOB_STATE_SUBMITTED'), `some job queued at kill time: ${states.join(',')}`);
    client.close();
    broker = await restartBrokerProc(broker, 'SIGKILL');
    client = new MarketClient(broker.address, { apiKey: broker.keys.client });
    clients.push(client);

    const done = await Promise.all(jobs.map((j) => client.waitDone(j.id, 150_000)));
    for (const j of done) await assertVerified(c, j);
    const all = await client.listJobs({ limit: 1000 });
    assert.strictEqual(all.length, jobs.length, `job count changed across the restart: ${all.length}`);
    assert.deepStrictEqual(all.map((j) => j.id).sort(), jobs.map((j) => j.id).sort());
    // Re-submitting with the same request ids after the restart finds the same jobs.
    for (let i = 0; i < jobs.length; i++) {
      const again = await client.submit({ circuit: c.name, input: inputs.get(jobs[i].id)!, requestId: jobs[i].requestId });
      assert.strictEqual(again.id, jobs[i].id, 'idempotent across the restart');
      assert.strictEqual(again.state, 'JOB_STATE_DONE');
      assert.strictEqual(again.proof?.proofJson, done[i].proof?.proofJson, 'exactly one proof per job');
    }
    // Money across the SIGKILL: each job paid exactly once (40 less a 2 fee), the rest of every
    // hold released; leases got one lease period after the restart (the downtime slashes nobody;
    // a lease that lapsed after that was slashed), and the books still add up.
    const admin2 = adminOf(broker);
    clients.push(admin2);
    const m = await checkMoney(admin2, done, 1500n);
    const slashes = (await admin2.ledger({ account: 'local-prover' })).filter((e) => e.reason === 'slash_compensation');
    const slashed = slashes.reduce((a, e) => a - BigInt(e.amount), 0n);
    assert.strictEqual(m['local-prover'].earnings, String(6 * 38));
    assert.strictEqual(BigInt(m['local-prover'].available), 500n - slashed);
  });

  it('a job cancelled mid-proof: the prover drops it and is free for the next job', async () => {
    const c = circuits.bn254;
    const broker = await startBrokerProc({ leaseMs: 5000, heartbeatMs: 300 });
    const client = new MarketClient(broker.address, { apiKey: broker.keys.client });
    clients.push(client);
    await registerExample(client, c);
    const admin = await fund(broker, 100n);
    await admin.deposit('local-prover', 100n, 'stake');
    const slow = await startProverProc(broker, { name: 'slow', env: { PM_PROVE_DELAY_MS: '3000' }, price: 25 });
    const [job, next] = await submitMany(client, c, 2, 'cancel', 30n);
    await waitForJob(client, job.id, (j) => j.state === 'JOB_STATE_PROVING' && j.proverId === slow.proverId, 'proving');
    const cancelled = await client.cancel(job.id);
    assert.strictEqual(cancelled.state, 'JOB_STATE_CANCELLED');
    await slow.proc.waitFor(new RegExp(`job ${job.id}: cancelled by broker`), 10_000);
    const done = await client.waitDone(next.id, 150_000);
    await assertVerified(c, done);
    assert.strictEqual(done.proverId, slow.proverId);
    const after = await client.getJob(job.id);
    assert.strictEqual(after.state, 'JOB_STATE_CANCELLED', 'no late result revived the cancelled job');
    assert.ok(!slow.proc.lines.some((l) => new RegExp(`job ${job.id}: proved`).test(l)), 'the cancelled job was not proved');
    // Money: the cancelled job refunded in full, its stake unlocked (not slashed); the next one paid 25 less 1.
    const m = await checkMoney(admin, [after, done], 200n);
    const sl = await slashesOf(admin, 'local-prover'); // none unless a lease lapsed on a loaded machine
    assert.deepStrictEqual([m['local-client'].available, m['local-prover'].available, m['local-prover'].earnings],
      [String(75n + sl.total / 2n), String(100n - sl.total), '24']);
  });

  it('a prover that hangs: its lease lapses and the job is reassigned', async () => {
    const c = circuits.bn254;
    const broker = await startBrokerProc({ leaseMs: 1500, heartbeatMs: 300, maxAttempts: 10 });
    const client = new MarketClient(broker.address, { apiKey: broker.keys.client });
    clients.push(client);
    await registerExample(client, c);
    const admin = await fund(broker, 100n);
    const hangKey = await newOperator(admin, 'op-hang', 100n);
    const hanger = await startProverProc(broker, { name: 'hanger', fault: 'hang', apiKey: hangKey, price: 10 });
    const [job] = await submitMany(client, c, 1, 'hang', 10n);
    await waitForJob(client, job.id, (j) => j.proverId === hanger.proverId, 'assigned to the hanging prover');
    const honest = await startProverProc(broker, { name: 'honest' });
    const done = await client.waitDone(job.id, 150_000);
    await assertVerified(c, done);
    assert.strictEqual(done.proverId, honest.proverId);
    assert.ok(done.attempts >= 2, `attempts ${done.attempts}`);
    assert.ok(hanger.proc.alive, 'the hanging prover is still running; only its lease lapsed');
    // Money: each lapsed lease of the hanging prover slashed its stake of 10 for abandonment.
    const m = await checkMoney(admin, [done], 200n);
    const sl = await slashesOf(admin, 'op-hang');
    assert.ok(sl.count >= 1 && sl.count <= done.attempts - 1, `${sl.count} slashes, ${done.attempts} attempts`);
    assert.strictEqual(m['op-hang'].available, String(100 - 10 * sl.count));
    assert.ok((await admin.ledger({ jobId: job.id })).some((e) => e.reason === 'slash_market' && /abandoned/.test(e.explanation)));
  });
});
