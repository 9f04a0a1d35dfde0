// Several brokers on one database: two broker processes on one data dir, run twice: sharing the
// SQLite file, and sharing a fresh PostgreSQL database (`--store URL` for both; that suite needs
// PM_TEST_PG_URL, which .ci/run sets, and skips with a message without it). The
// prover and the CLI get `--broker A,B`. Broker A is SIGKILLed while it holds a job in PROVING
// that a `submit --wait` is following: the prover moves to B and delivers there, the CLI follows
// the job to DONE through B, the proof verifies with snarkjs and the job is paid exactly once.
// Then, with A dead and still first in the list, the CLI (PM_BROKER) and the typed client fail
// over to B for new work.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { AccountsClient } from '../../src/client/accounts';
import { MarketClient } from '../../src/client/market';
import { circuitsByCurve, freshInput, seededRandom, verifyProof, type ExampleCircuit } from '../helpers/circuits';
import { registerExample } from '../helpers/market';
import { freshPgDatabase, requirePg } from '../helpers/pg';
import { BrokerProc, Proc, runCli, sleep, startBrokerProc, startProverProc, tmpDir } from '../helpers/procs';
import { liveProcessHooks } from '../helpers/hooks';

for (const kind of ['sqlite', 'postgres'] as const) describe(`e2e: two brokers on one ${kind} database; prover and CLI fail over when one is killed -9`, function () {
  this.timeout(300_000);
  let a: BrokerProc;
  let b: BrokerProc;
  let list: string;
  let circuit: ExampleCircuit;
  let prover: { proc: Proc; proverId: string };
  let viaB: MarketClient;
  let admin: AccountsClient;
  const rnd = seededRandom(`multi-broker-${kind}`);
  let storeArgs: string[] = [];
  let dropDb: (() => Promise<void>) | null = null;

  before(async function () {
    if (kind === 'postgres') {
      requirePg(this, 'the two-broker test on PostgreSQL');
      const db = await freshPgDatabase('multi_broker');
      storeArgs = ['--store', db.url]; dropDb = db.drop;
    }
    circuit = circuitsByCurve().bn254;
    const dataDir = tmpDir('pm-multi-');
    const common = { dataDir, leaseMs: 8000, heartbeatMs: 500, extraArgs: storeArgs };
    a = await startBrokerProc({ ...common, name: 'broker-a' });
    b = await startBrokerProc({ ...common, name: 'broker-b' });
    list = `${a.address},${b.address}`;
    admin = new AccountsClient(list, { apiKey: a.keys.admin });
    await admin.deposit('local-client', 10_000n, 'test funds');
    await admin.deposit('local-prover', 10_000n, 'stake');
    await registerExample(new MarketClient(a.address, { apiKey: a.keys.client }), circuit);
    viaB = new MarketClient(b.address, { apiKey: b.keys.client });
    // A slow proof (3 s before proving starts), so the kill lands while the job is PROVING.
    prover = await startProverProc(list, { name: 'prover-ab', apiKey: a.keys.prover, price: 10, env: { PM_PROVE_DELAY_MS: '3000' } });
  });

  liveProcessHooks({ close: () => { viaB?.close(); admin?.close(); }, finally: () => dropDb?.() });

  it('submit --wait follows its job through broker B after broker A is killed mid-proof', async () => {
    const input = path.join(tmpDir('pm-multi-in-'), 'input.json');
    fs.writeFileSync(input, JSON.stringify(freshInput(circuit, rnd.next)));
    const cli = runCli(['submit', '--circuit', circuit.name, '--input', input, '--wait', '--json', '--max-price', '100',
      '--broker', list, '--api-key', a.keys.client], {}, 180_000);
    // Wait (through B: same database) until A's prover is proving it.
    let jobId = '';
    for (let i = 0; i < 600 && !jobId; i++) {
      const live = await viaB.listJobs({ state: 'PROVING' });
      if (live.length) jobId = live[0].id;
      else await sleep(100);
    }
    assert.ok(jobId, 'the job reached PROVING');
    await a.proc.kill('SIGKILL');
    const r = await cli;
    assert.strictEqual(r.code, 0, `submit --wait exited ${r.code}\n${r.stderr}`);
    const printed = JSON.parse(r.stdout) as { id: string; state: string };
    assert.strictEqual(printed.id, jobId);
    assert.strictEqual(printed.state, 'DONE');
    await prover.proc.waitFor(/trying 127\.0\.0\.1:\d+/, 5000);
    const job = await viaB.getJob(jobId);
    assert.strictEqual(job.state, 'JOB_STATE_DONE');
    // Usually attempts is 1 (the lease survives the broker); on a loaded machine it may lapse during the failover.
    assert.ok(await verifyProof(circuit, job.proof!.proofJson, job.proof!.publicJson), 'the proof verifies with snarkjs');
    const payouts = (await admin.ledger({ jobId, limit: 100 })).filter((e) => e.reason === 'payout');
    assert.strictEqual(new Set(payouts.map((e) => e.txId)).size, 1, 'paid exactly once');
    console.log(`      seed ${rnd.seed}; job ${jobId} DONE (attempt ${job.attempts}) through ${b.address} after ${a.address} was killed`);
  });

  it('with A dead and first in the list, the CLI (PM_BROKER) and the client reach B', async () => {
    const input = path.join(tmpDir('pm-multi-in-'), 'input.json');
    fs.writeFileSync(input, JSON.stringify(freshInput(circuit, rnd.next)));
    const r = await runCli(['submit', '--circuit', circuit.name, '--input', input, '--wait', '--json', '--max-price', '100'],
      { PM_BROKER: list, PM_API_KEY: a.keys.client }, 120_000);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(JSON.parse(r.stdout).state, 'DONE');
    const c = new MarketClient(list, { apiKey: a.keys.client });
    try {
      const j = await c.submit({ circuit: circuit.name, input: freshInput(circuit, rnd.next), maxPrice: 100 });
      assert.strictEqual(c.pool.address, b.address, 'the client moved to B');
      assert.strictEqual((await c.waitDone(j.id, 120_000)).state, 'JOB_STATE_DONE');
    } finally { c.close(); }
    // One broker only (A, dead): the error reaches the user, nothing is retried elsewhere.
    const dead = await runCli(['jobs', '--broker', a.address, '--api-key', a.keys.client]);
    assert.strictEqual(dead.code, 1);
    assert.match(dead.stderr, /broker unavailable/);
  });
});
