// The CLI as a user runs it: `circuit add`, then `submit --wait --json` returns a proof that
// snarkjs verifies; --out writes proof.json/public.json; errors are one line and the right code.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { circuitsByCurve, ExampleCircuit, freshInput, seededRandom, verifyProof } from '../helpers/circuits';
import { BrokerProc, Proc, runCli, startBrokerProc, startProverProc, tmpDir } from '../helpers/procs';
import { liveProcessHooks } from '../helpers/hooks';

describe('e2e: the proofmarket CLI', function () {
  this.timeout(120_000);
  let broker: BrokerProc;
  let c: ExampleCircuit;
  let work: string;

  before(async () => {
    c = circuitsByCurve().bn254;
    work = tmpDir('pm-cli-');
    broker = await startBrokerProc({ leaseMs: 5000, heartbeatMs: 500 });
    await startProverProc(broker, { name: 'cli-prover' });
  });

  liveProcessHooks();

  const cli = (...args: string[]) => runCli([...args, '--broker', broker.address], { PM_API_KEY: broker.keys.client });

  it('circuit add, then submit --wait --json gives a proof snarkjs verifies', async () => {
    const add = await cli('circuit', 'add', 'cli-example', '--wasm', c.wasm, '--zkey', c.zkey, '--vkey', c.vkey,
      ...(c.sym ? ['--sym', c.sym] : []), '--json');
    assert.strictEqual(add.code, 0, add.stderr);
    const circuit = JSON.parse(add.stdout) as { id: string; name: string; curve: string };
    assert.strictEqual(circuit.name, 'cli-example');
    assert.strictEqual(circuit.curve, c.curve);

    const listed = await cli('circuits');
    assert.strictEqual(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /cli-example/);

    const rnd = seededRandom('cli');
    const inputFile = path.join(work, 'input.json');
    fs.writeFileSync(inputFile, JSON.stringify(freshInput(c, rnd.next)));
    const outDir = path.join(work, 'out');
    const sub = await cli('submit', '--circuit', 'cli-example', '--input', inputFile, '--wait', '--json', '--out', outDir);
    assert.strictEqual(sub.code, 0, sub.stderr);
    const job = JSON.parse(sub.stdout) as { id: string; state: string; proof: { proofJson: string; publicJson: string } };
    assert.strictEqual(job.state, 'DONE');
    assert.ok(await verifyProof(c, job.proof.proofJson, job.proof.publicJson), 'snarkjs verifies the CLI result');
    const proofFile = fs.readFileSync(path.join(outDir, 'proof.json'), 'utf8');
    const publicFile = fs.readFileSync(path.join(outDir, 'public.json'), 'utf8');
    assert.ok(await verifyProof(c, proofFile, publicFile), 'snarkjs verifies --out files');

    const show = await cli('job', job.id);
    assert.strictEqual(show.code, 0, show.stderr);
    assert.match(show.stdout, new RegExp(`job ${job.id}: DONE`));
    const jobs = await cli('jobs', '--state', 'done', '--json');
    assert.strictEqual(jobs.code, 0, jobs.stderr);
    assert.ok((JSON.parse(jobs.stdout) as { id: string }[]).some((j) => j.id === job.id));
  });

  it('submit --witness with a .wtns computed here gives a verified proof', async () => {
    const snarkjs = require('snarkjs') as { wtns: { calculate(i: unknown, w: string, o: string): Promise<void> } };
    const input = freshInput(c, seededRandom('cli-witness').next);
    const wtnsFile = path.join(work, 'witness.wtns');
    await snarkjs.wtns.calculate(input, c.wasm, wtnsFile);
    const sub = await cli('submit', '--circuit', 'cli-example', '--witness', wtnsFile, '--wait', '--json');
    assert.strictEqual(sub.code, 0, sub.stderr);
    const job = JSON.parse(sub.stdout) as { state: string; proof: { proofJson: string; publicJson: string } };
    assert.strictEqual(job.state, 'DONE');
    assert.ok(await verifyProof(c, job.proof.proofJson, job.proof.publicJson));
    assert.ok((JSON.parse(job.proof.publicJson) as string[]).includes(String(input.key)), 'proof is for this witness');
  });

  it('submit without --wait prints the job; cancel of a finished job is refused', async () => {
    const inputFile = path.join(work, 'input2.json');
    fs.writeFileSync(inputFile, JSON.stringify(freshInput(c, seededRandom('cli-nowait').next)));
    const sub = await cli('submit', '--circuit', 'cli-example', '--input', inputFile, '--json');
    assert.strictEqual(sub.code, 0, sub.stderr);
    const job = JSON.parse(sub.stdout) as { id: string };
    // Wait for it to finish through the CLI itself, then try to cancel it.
    for (let i = 0; i < 300; i++) {
      const r = await cli('job', job.id, '--json');
      if ((JSON.parse(r.stdout) as { state: string }).state === 'DONE') break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const cancel = await cli('cancel', job.id);
    assert.strictEqual(cancel.code, 1);
    assert.match(cancel.stderr, /^error: FAILED_PRECONDITION/);
  });

  it('errors: unknown circuit is NOT_FOUND (exit 1), bad usage exits 2, missing files are named', async () => {
    const inputFile = path.join(work, 'input3.json');
    fs.writeFileSync(inputFile, JSON.stringify(c.input));
    const nf = await cli('submit', '--circuit', 'no-such-circuit', '--input', inputFile);
    assert.strictEqual(nf.code, 1);
    assert.match(nf.stderr, /^error: NOT_FOUND/);
    const nq = await cli('quote', '--circuit', 'no-such-circuit');
    assert.strictEqual(nq.code, 1);
    assert.match(nq.stderr, /^error: NOT_FOUND: unknown circuit "no-such-circuit" \(see ListCircuits, or `proofmarket circuits`\)/);
    assert.strictEqual(nf.stderr.trim().split('\n').length, 1, 'one line');

    const usage = await cli('submit', '--input', inputFile);
    assert.strictEqual(usage.code, 2);
    assert.match(usage.stderr, /^error: "submit" needs --circuit/);

    const unknown = await cli('submit', '--circuit', 'x', '--input', inputFile, '--bogus');
    assert.strictEqual(unknown.code, 2);
    assert.match(unknown.stderr, /unknown option --bogus/);

    const missing = await cli('circuit', 'add', 'x', '--wasm', '/nonexistent.wasm', '--zkey', c.zkey, '--vkey', c.vkey);
    assert.strictEqual(missing.code, 1);
    assert.match(missing.stderr, /--wasm file not found: \/nonexistent\.wasm/);

    // An --out folder that cannot be created is refused BEFORE the job is submitted (and paid).
    const before = (JSON.parse((await cli('jobs', '--json')).stdout) as unknown[]).length;
    const aFile = path.join(work, 'afile');
    fs.writeFileSync(aFile, 'not a folder');
    const notDir = await cli('submit', '--circuit', 'cli-example', '--input', inputFile, '--out', path.join(aFile, 'sub'));
    assert.strictEqual(notDir.code, 2, notDir.stderr);
    assert.match(notDir.stderr, /^error: --out .*afile.* is not a directory/);
    const proc = await cli('submit', '--circuit', 'cli-example', '--input', inputFile, '--out', '/proc/nope/');
    assert.strictEqual(proc.code, 2, proc.stderr);
    const jobOut = await cli('job', 'no-such-job', '--out', path.join(aFile, 'sub'));
    assert.strictEqual(jobOut.code, 2, jobOut.stderr);
    assert.strictEqual((JSON.parse((await cli('jobs', '--json')).stdout) as unknown[]).length, before, 'no job was submitted');

    const down = await runCli(['jobs', '--broker', '127.0.0.1:1']);
    assert.strictEqual(down.code, 1);
    assert.match(down.stderr, /^error: broker unavailable/);
  });
});

describe('e2e: proofmarket start (npm start)', function () {
  this.timeout(120_000);

  liveProcessHooks();

  it('runs a broker and a local prover in one process, proves a job, and shuts down cleanly on SIGTERM', async () => {
    const c = circuitsByCurve()['bls12-381'];
    const data = tmpDir('pm-start-');
    const proc = new Proc('start', ['start', '--listen', '127.0.0.1:0', '--data', data, '--http', '127.0.0.1:0']);
    const address = (await proc.waitFor(/broker listening on (\S+)/, 60_000))[1];
    await proc.waitFor(/local prover (\S+) ready/, 60_000);
    // The dashboard line is a URL to open as is, the local client's key in its fragment (not a shell expression).
    const dash = (await proc.waitFor(/dashboard on (\S+#key=\S*)/, 10_000))[1];
    assert.strictEqual(dash.replace(/^http:\/\/[^/]+\//, ''), `#key=${encodeURIComponent(fs.readFileSync(path.join(data, 'client.key'), 'utf8').trim())}`, dash);
    // start wrote DATA/client.key (the quick start finds ./.data/client.key; this test's DATA is elsewhere).
    const run = (...args: string[]) => runCli([...args, '--broker', address], { PM_API_KEY: fs.readFileSync(path.join(data, 'client.key'), 'utf8').trim() });
    const add = await run('circuit', 'add', c.name, '--wasm', c.wasm, '--zkey', c.zkey, '--vkey', c.vkey);
    assert.strictEqual(add.code, 0, add.stderr);
    const inputFile = path.join(data, 'input.json');
    fs.writeFileSync(inputFile, JSON.stringify(freshInput(c, seededRandom('start').next)));
    const sub = await run('submit', '--circuit', c.name, '--input', inputFile, '--wait', '--json');
    assert.strictEqual(sub.code, 0, sub.stderr);
    const job = JSON.parse(sub.stdout) as { state: string; proof: { proofJson: string; publicJson: string } };
    assert.strictEqual(job.state, 'DONE');
    assert.ok(await verifyProof(c, job.proof.proofJson, job.proof.publicJson));
    assert.ok(fs.existsSync(path.join(data, 'broker', 'broker.db')), 'the broker keeps its SQLite store under --data');
    proc.child.kill('SIGTERM');
    const exit = await proc.exited;
    assert.deepStrictEqual(exit, { code: 0, signal: null });
  });
});

describe('e2e: two tenants and a paid prover (the README walk-through)', function () {
  this.timeout(180_000);
  liveProcessHooks();

  it('accounts, deposits, a prover with a price, a paid job, balances and ledger; tenants see only their own', async () => {
    const c = circuitsByCurve().bn254;
    const broker = await startBrokerProc({ leaseMs: 5000, heartbeatMs: 500, localAccounts: false });
    assert.ok(broker.proc.lines.some((l) => /wrote API key .*admin\.key/.test(l)), broker.proc.tail());
    const as = (key: string) => (...args: string[]) => runCli([...args, '--broker', broker.address], { PM_API_KEY: key });
    const admin = as(broker.keys.admin);
    const created: Record<string, string> = {};
    for (const [name, role] of [['alice', 'client'], ['bob', 'client'], ['gpu-farm', 'prover']]) {
      const r = await admin('account', 'create', name, '--role', role, '--json');
      assert.strictEqual(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout) as { account: { id: string; name: string; role: string }; apiKey: string };
      assert.deepStrictEqual([j.account.name, j.account.role], [name, role]);
      assert.match(j.account.id, /^a_/); assert.match(j.apiKey, /^pm_/);
      created[name] = j.apiKey;
    }
    assert.strictEqual((await admin('deposit', 'alice', '1000000')).code, 0);
    const dep = await admin('deposit', 'gpu-farm', '500000');
    assert.match(dep.stdout, /deposited 500000 to gpu-farm/);
    const denied = await as(created.alice)('deposit', 'alice', '5');
    assert.strictEqual(denied.code, 1); assert.match(denied.stderr, /PERMISSION_DENIED/);
    await startProverProc(broker, { name: 'farm', apiKey: created['gpu-farm'], price: 2000 });

    const alice = as(created.alice); const bob = as(created.bob);
    const add = await alice('circuit', 'add', 'mine', '--wasm', c.wasm, '--zkey', c.zkey, '--vkey', c.vkey);
    assert.strictEqual(add.code, 0, add.stderr);
    const inputFile = path.join(tmpDir('pm-tenants-'), 'input.json');
    fs.writeFileSync(inputFile, JSON.stringify(freshInput(c, seededRandom('tenants').next)));
    // Bob cannot use Alice's private circuit, and has no money for a paid proof anyway.
    const bobSub = await bob('submit', '--circuit', 'mine', '--input', inputFile);
    assert.strictEqual(bobSub.code, 1); assert.match(bobSub.stderr, /NOT_FOUND: unknown circuit "mine"/);
    const sub = await alice('submit', '--circuit', 'mine', '--input', inputFile, '--max-price', '5000', '--wait', '--json');
    assert.strictEqual(sub.code, 0, sub.stderr);
    const job = JSON.parse(sub.stdout) as { id: string; state: string; price: string; maxPrice: string; proof: { proofJson: string; publicJson: string } };
    assert.deepStrictEqual([job.state, job.price, job.maxPrice], ['DONE', '2000', '5000']);
    assert.ok(await verifyProof(c, job.proof.proofJson, job.proof.publicJson));
    const nf = await bob('job', job.id);
    assert.strictEqual(nf.code, 1); assert.match(nf.stderr, /NOT_FOUND: unknown job/);
    assert.deepStrictEqual(JSON.parse((await bob('jobs', '--json')).stdout), []);

    const bal = async (run: ReturnType<typeof as>) => JSON.parse((await run('balance', '--json')).stdout) as Record<string, string>;
    const a = await bal(alice); const f = await bal(as(created['gpu-farm']));
    assert.deepStrictEqual([a.available, a.escrow], ['998000', '0']);
    assert.deepStrictEqual([f.available, f.stake, f.earnings], ['500000', '0', '1900']);
    const m = JSON.parse((await admin('balance', '--account', 'market', '--json')).stdout) as Record<string, string>;
    assert.strictEqual(m.fees, '100');
    const human = await alice('balance');
    assert.match(human.stdout, /available\s+998000/);
    const led = JSON.parse((await alice('ledger', '--job', job.id, '--json')).stdout) as { txId: string; account: string; amount: string; reason: string; jobId: string; explanation: string }[];
    assert.ok(led.length >= 3 && led.every((e) => e.account === 'alice' && e.jobId === job.id && e.txId && e.explanation.includes(job.id)), JSON.stringify(led));
    assert.deepStrictEqual(led.map((e) => e.reason).sort(), ['escrow_hold', 'escrow_hold', 'escrow_release', 'payout'].sort());
    const all = JSON.parse((await admin('ledger', '--job', job.id, '--json')).stdout) as { account: string; amount: string; reason: string }[];
    assert.ok(all.some((e) => e.account === 'gpu-farm' && e.reason === 'payout' && e.amount === '1900'));
    assert.ok(all.some((e) => e.account === 'market' && e.reason === 'market_fee' && e.amount === '100'));
    const table = await admin('ledger', '--account', 'gpu-farm');
    assert.match(table.stdout, /stake_lock/); assert.match(table.stdout, /payout/);

    // Paying out: the operator's earnings and the market's fees go back to the mint, once per --request-id.
    const noId = await admin('withdraw', 'gpu-farm', '1900', '--book', 'earnings');
    assert.strictEqual(noId.code, 2); assert.match(noId.stderr, /--request-id ID is required/);
    const wd = await admin('withdraw', 'gpu-farm', '1900', '--book', 'earnings', '--request-id', 'bank-1', '--note', 'transfer 1');
    assert.strictEqual(wd.code, 0, wd.stderr); assert.match(wd.stdout, /withdrew 1900 from gpu-farm \(tx \S+\); now available 500000, earnings 0/);
    const wd2 = await admin('withdraw', 'gpu-farm', '1900', '--book', 'earnings', '--request-id', 'bank-1');
    assert.strictEqual(wd2.code, 0, wd2.stderr); assert.match(wd2.stdout, /^request bank-1 was already paid out \(tx \S+; .*\): nothing moved this time; now available 500000, earnings 0, fees 0$/m);
    const over = await admin('withdraw', 'gpu-farm', '1', '--book', 'earnings', '--request-id', 'bank-2');
    assert.strictEqual(over.code, 1); assert.match(over.stderr, /FAILED_PRECONDITION: gpu-farm's earnings holds 0 micro-credits/);
    assert.strictEqual((await admin('withdraw', 'market', '100', '--book', 'fees', '--request-id', 'fees-1')).code, 0);
    assert.deepStrictEqual([(await bal(as(created['gpu-farm']))).earnings, JSON.parse((await admin('balance', '--account', 'market', '--json')).stdout).fees], ['0', '0']);
    assert.match((await admin('ledger', '--account', 'gpu-farm')).stdout, /withdrawal/);

    // Without --max-price (max 0) no prover takes the job: the CLI says so, the job is unchanged.
    const zero = await alice('submit', '--circuit', 'mine', '--input', inputFile, '--json');
    assert.strictEqual(zero.code, 0, zero.stderr);
    assert.match(zero.stderr, /warning: no prover asks ≤ max price 0 micro-credits \(cheapest 2000\); pass --max-price/);
    const queued = JSON.parse(zero.stdout) as { id: string; maxPrice: string };
    assert.strictEqual(queued.maxPrice, '0');
    assert.strictEqual((await alice('cancel', queued.id)).code, 0);
  });
});
