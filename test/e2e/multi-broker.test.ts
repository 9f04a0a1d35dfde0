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
import * as net from 'net';
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

  it('a Withdraw whose broker commits it and is killed -9 before answering is retried on B, which answers the same tx: paid once', async () => {
    // A fresh broker A2 on the same database, reached through a proxy that stops passing A2's
    // replies on: A2 commits the withdrawal (it logs it), the answer never arrives, A2 dies, the
    // connection drops (UNAVAILABLE), and the client repeats the call on B with the same request id.
    const a2 = await startBrokerProc({ ...a.opts, dataDir: a.dataDir, name: 'broker-a2' });
    const [host, port] = [a2.address.split(':')[0], Number(a2.address.split(':')[1])];
    let hold = false;
    const proxy = net.createServer((down) => {
      const up = net.connect(port, host);
      down.on('data', (d) => up.write(d)); up.on('data', (d) => { if (!hold) down.write(d); });
      const end = () => { up.destroy(); down.destroy(); };
      down.on('close', end); up.on('close', end); down.on('error', end); up.on('error', end);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const c = new AccountsClient(`127.0.0.1:${(proxy.address() as net.AddressInfo).port},${b.address}`, { apiKey: a.keys.admin });
    try {
      const before = BigInt((await c.balance('local-client')).available); // the connection is up
      hold = true;
      const rid = `payout-${kind}-${rnd.seed}`;
      const call = c.withdraw('local-client', 7n, { requestId: rid, note: 'kill -9 before the answer' });
      const logged = await a2.proc.waitFor(new RegExp(`withdrawal of 7 from local-client's available by admin \\(request ${rid}, tx (t_\\w+)\\)`), 30_000);
      await a2.proc.kill('SIGKILL');
      const r = await call;
      assert.strictEqual(c.pool.address, b.address, 'the retry went to B');
      assert.deepStrictEqual([r.repeat, r.txId], [true, logged[1]], 'B answered the withdrawal A2 committed');
      assert.strictEqual(BigInt(r.balance!.available), before - 7n);
      const again = await c.withdraw('local-client', 7n, { requestId: rid });
      assert.deepStrictEqual([again.repeat, again.txId, again.balance?.available], [true, logged[1], String(before - 7n)]);
      const ws = (await admin.ledger({ account: 'local-client', limit: 1000 })).filter((e) => e.reason === 'withdrawal');
      assert.deepStrictEqual(ws.map((e) => [e.txId, e.amount]), [[logged[1], '-7']], 'one withdrawal in the ledger');
    } finally { c.close(); proxy.close(); }
  });
});
