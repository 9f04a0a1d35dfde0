// Fault tests with real processes: a prover SIGKILLed mid-proof, a prover returning corrupted
// proofs, a broker SIGKILLed and restarted on its data dir, a prover that hangs. Each test runs
// its own broker and provers and kills them all afterwards.

import * as assert from 'assert';
import { MarketClient } from '../../src/client/market';
import type { Job__Output } from '../../src/common';
import { circuitsByCurve, ExampleCircuit, freshInput, releaseSnarkjs, seededRandom, verifyProof } from '../helpers/circuits';
import { dumpLive, killAll, restartBrokerProc, startBrokerProc, startProverProc } from '../helpers/procs';
import { registerExample, waitForJob } from '../helpers/market';

const LIVE = ['JOB_STATE_ASSIGNED', 'JOB_STATE_PROVING', 'JOB_STATE_VERIFYING'];

describe('e2e faults', function () {
  this.timeout(200_000);
  let circuits: Record<'bn254' | 'bls12-381', ExampleCircuit>;
  const clients: MarketClient[] = [];

  before(() => {
    circuits = circuitsByCurve();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(dumpLive());
    for (const c of clients.splice(0)) c.close();
    await killAll();
  });

  after(async () => {
    await releaseSnarkjs();
  });

  const inputs = new Map<string, string>();
  async function submitMany(client: MarketClient, c: ExampleCircuit, n: number, label: string): Promise<Job__Output[]> {
    const rnd = seededRandom(label);
    const jobs: Job__Output[] = [];
    for (let i = 0; i < n; i++) {
      const input = JSON.stringify(freshInput(c, rnd.next));
      const job = await client.submit({ circuit: c.name, input, requestId: `${label}-${rnd.seed}-${i}` });
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

  it('a prover SIGKILLed mid-proof: the job is reassigned to the other prover and finishes', async () => {
    const c = circuits['bls12-381'];
    const broker = await startBrokerProc({ leaseMs: 2000, heartbeatMs: 300 });
    const client = new MarketClient(broker.address);
    clients.push(client);
    await registerExample(client, c);
    // Only the crashing prover is up when the job arrives, so it is the one that takes it.
    const crasher = await startProverProc(broker.address, { name: 'crasher', fault: 'crash-mid-proof' });
    const [job] = await submitMany(client, c, 1, 'crash');
    const exit = await crasher.proc.exited;
    assert.strictEqual(exit.signal, 'SIGKILL', `crasher exited with ${JSON.stringify(exit)}`);
    assert.ok(crasher.proc.lines.some((l) => /FAULT crash-mid-proof/.test(l)), 'the crash happened mid-proof');
    const honest = await startProverProc(broker.address, { name: 'honest' });
    const done = await client.waitDone(job.id, 150_000);
    await assertVerified(c, done);
    assert.strictEqual(done.proverId, honest.proverId, 'the honest prover finished it');
    assert.ok(done.attempts >= 2, `attempts ${done.attempts}: the killed attempt counts`);
  });

  it('a prover returning corrupted proofs: none reaches the client, the jobs finish on the honest prover', async () => {
    const c = circuits.bn254;
    const broker = await startBrokerProc({ leaseMs: 3000, heartbeatMs: 300, maxAttempts: 10 });
    const client = new MarketClient(broker.address);
    clients.push(client);
    await registerExample(client, c);
    const [cheat, honest] = await Promise.all([
      startProverProc(broker.address, { name: 'cheat', fault: 'corrupt-proof' }),
      startProverProc(broker.address, { name: 'honest' }),
    ]);
    const jobs = await submitMany(client, c, 4, 'corrupt');
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
  });

  it('a broker SIGKILLed with jobs queued and leased: after restart on its data dir all finish, none lost or doubled', async () => {
    const c = circuits['bls12-381'];
    // Leases longer than the broker's downtime, so provers that reconnect can still deliver on them.
    let broker = await startBrokerProc({ leaseMs: 8000, heartbeatMs: 300 });
    let client = new MarketClient(broker.address);
    clients.push(client);
    await registerExample(client, c);
    await Promise.all([
      startProverProc(broker.address, { name: 'p1' }),
      startProverProc(broker.address, { name: 'p2' }),
    ]);
    const jobs = await submitMany(client, c, 6, 'restart');
    // Wait until at least one job is leased to a prover, then pull the plug.
    await waitForJob(client, jobs[0].id, (j) => LIVE.includes(j.state) || j.state === 'JOB_STATE_DONE', 'leased');
    const before = await Promise.all(jobs.map((j) => client.getJob(j.id)));
    const states = before.map((j) => j.state);
    assert.ok(states.some((s) => LIVE.includes(s)), `some job leased at kill time: ${states.join(',')}`);
    assert.ok(states.some((s) => s === 'JOB_STATE_QUEUED' || s === 'JOB_STATE_SUBMITTED'), `some job queued at kill time: ${states.join(',')}`);
    client.close();
    broker = await restartBrokerProc(broker, 'SIGKILL');
    client = new MarketClient(broker.address);
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
  });

  it('a job cancelled mid-proof: the prover drops it and is free for the next job', async () => {
    const c = circuits.bn254;
    const broker = await startBrokerProc({ leaseMs: 5000, heartbeatMs: 300 });
    const client = new MarketClient(broker.address);
    clients.push(client);
    await registerExample(client, c);
    const slow = await startProverProc(broker.address, { name: 'slow', env: { PM_PROVE_DELAY_MS: '3000' } });
    const [job, next] = await submitMany(client, c, 2, 'cancel');
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
  });

  it('a prover that hangs: its lease lapses and the job is reassigned', async () => {
    const c = circuits.bn254;
    const broker = await startBrokerProc({ leaseMs: 1500, heartbeatMs: 300, maxAttempts: 10 });
    const client = new MarketClient(broker.address);
    clients.push(client);
    await registerExample(client, c);
    const hanger = await startProverProc(broker.address, { name: 'hanger', fault: 'hang' });
    const [job] = await submitMany(client, c, 1, 'hang');
    await waitForJob(client, job.id, (j) => j.proverId === hanger.proverId, 'assigned to the hanging prover');
    const honest = await startProverProc(broker.address, { name: 'honest' });
    const done = await client.waitDone(job.id, 150_000);
    await assertVerified(c, done);
    assert.strictEqual(done.proverId, honest.proverId);
    assert.ok(done.attempts >= 2, `attempts ${done.attempts}`);
    assert.ok(hanger.proc.alive, 'the hanging prover is still running; only its lease lapsed');
  });
});
