// End to end over real gRPC on 127.0.0.1: one broker and two provers, each its own process,
// 20 jobs across both curves (the two example circuits), every proof checked here with snarkjs.

import * as assert from 'assert';
import { MarketClient } from '../../src/client/market';
import { circuitsByCurve, ExampleCircuit, freshInput, seededRandom, verifyProof } from '../helpers/circuits';
import { BrokerProc, Proc, startBrokerProc, startProverProc } from '../helpers/procs';
import { registerExample } from '../helpers/market';
import { liveProcessHooks } from '../helpers/hooks';

describe('e2e: one broker, two provers, 20 jobs on both curves', function () {
  this.timeout(240_000);
  let broker: BrokerProc;
  let client: MarketClient;
  const provers: { proc: Proc; proverId: string }[] = [];
  let circuits: Record<'bn254' | 'bls12-381', ExampleCircuit>;

  before(async () => {
    circuits = circuitsByCurve();
    broker = await startBrokerProc({ leaseMs: 5000, heartbeatMs: 500 });
    provers.push(...await Promise.all([
      // One on the best backend it has (native when built), one on snarkjs: both must deliver.
      startProverProc(broker, { name: 'prover-a' }),
      startProverProc(broker, { name: 'prover-b', backend: 'snarkjs' }),
    ]));
    client = new MarketClient(broker.address, { apiKey: broker.keys.client });
    await registerExample(client, circuits.bn254);
    await registerExample(client, circuits['bls12-381']);
  });

  liveProcessHooks({ close: () => client?.close() });

  it('proves every job, each proof verifies with snarkjs, and both provers took part', async () => {
    const rnd = seededRandom('market-20');
    const specs: { circuit: ExampleCircuit; input: Record<string, unknown> }[] = [];
    for (let i = 0; i < 20; i++) {
      const c = i % 2 === 0 ? circuits.bn254 : circuits['bls12-381'];
      specs.push({ circuit: c, input: freshInput(c, rnd.next) });
    }
    const jobs = await Promise.all(specs.map((s, i) => client.submit({
      circuit: s.circuit.name, input: JSON.stringify(s.input), requestId: `e2e-${rnd.seed}-${i}`,
    })));
    assert.strictEqual(new Set(jobs.map((j) => j.id)).size, 20, 'twenty distinct jobs');

    const done = await Promise.all(jobs.map((j) => client.waitDone(j.id, 150_000)));
    const byProver = new Map<string, number>();
    const backends = new Set<string>();
    for (let i = 0; i < done.length; i++) {
      const j = done[i];
      assert.strictEqual(j.state, 'JOB_STATE_DONE', `job ${j.id}: ${j.state} ${j.error}`);
      assert.ok(j.proof, `job ${j.id} has a proof`);
      const ok = await verifyProof(specs[i].circuit, j.proof!.proofJson, j.proof!.publicJson);
      assert.ok(ok, `job ${j.id} (${specs[i].circuit.name}): snarkjs rejects the returned proof`);
      const pub = JSON.parse(j.proof!.publicJson) as string[];
      if ('key' in specs[i].input) {
        assert.ok(pub.includes(String(specs[i].input.key)), `job ${j.id}: public signals carry this job's key`);
      }
      byProver.set(j.proverId, (byProver.get(j.proverId) ?? 0) + 1);
      backends.add(j.backend);
    }
    const ids = provers.map((p) => p.proverId);
    for (const id of ids) {
      assert.ok((byProver.get(id) ?? 0) > 0, `prover ${id} proved no job (distribution: ${JSON.stringify([...byProver])})`);
    }
    console.log(`    jobs per prover: ${JSON.stringify([...byProver])}; backends used: ${[...backends].join(', ')}`);
    const listed = await client.listJobs({ state: 'JOB_STATE_DONE', limit: 1000 });
    assert.strictEqual(listed.length, 20);
  });

  it('a retried submit with the same request id returns the same job', async () => {
    const c = circuits.bn254;
    const rnd = seededRandom('idempotent');
    const input = JSON.stringify(freshInput(c, rnd.next));
    const a = await client.submit({ circuit: c.name, input: input, requestId: `dup-${rnd.seed}` });
    const b = await client.submit({ circuit: c.name, input: input, requestId: `dup-${rnd.seed}` });
    assert.strictEqual(a.id, b.id);
    const done = await client.waitDone(a.id, 150_000);
    assert.strictEqual(done.state, 'JOB_STATE_DONE');
  });

  it('an input that fails witness generation FAILS the job without retrying it', async () => {
    const c = circuits.bn254;
    // a = 0 violates the circuit's constraints (the example's range check on a - 2 wraps).
    const input = { ...c.input, a: '0' };
    const job = await client.submit({ circuit: c.name, input: JSON.stringify(input), requestId: `bad-${Date.now()}` });
    const done = await client.waitDone(job.id, 150_000);
    assert.strictEqual(done.state, 'JOB_STATE_FAILED', `state ${done.state}`);
    assert.strictEqual(done.attempts, 1, 'a non-retryable witness error is not retried');
    assert.match(done.error, /witness|assert/i);
  });
});
