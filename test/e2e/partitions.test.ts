// Partitioned jobs end to end with real processes: a synthetic PoRep-shaped sector
// (circuits/build/porep_small, seed printed) submitted by the CLI as ONE partitioned job
// (`submit --inputs DIR --out DIR`, SubmitJob.partitions), proved by prover processes; one prover
// SIGKILLs itself mid-proof and a corrupting prover returns wrong proofs: only those partitions
// re-run, the cheat is slashed, each partition is paid once. The README's walkthrough (10
// partitions, `watch`, `job ID --out`) runs as written. Every proof is checked with snarkjs;
// proof.bin is the N × 192-byte concatenation, decoded by @noble/curves too.

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { MarketClient } from '../../src/client/market';
import { proofsFromFilecoin } from '../../src/common';
import { generateSector, writeSector } from '../../src/porep/sector';
import { readInputsDir } from '../../src/cli/partitions';
import { seededRandom } from '../helpers/circuits';
import { ROOT, runCli, startBrokerProc, startProverProc, tmpDir } from '../helpers/procs';
import { liveProcessHooks } from '../helpers/hooks';

const DIR = path.join(ROOT, 'circuits', 'build', 'porep_small');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const snarkjs = require('snarkjs');
const quiet = { info() {}, debug() {}, warn() {}, error() {} };

describe('e2e partitioned jobs (PoRep-shaped sector)', function () {
  this.timeout(600_000);
  const clients: MarketClient[] = [];

  liveProcessHooks({ perTest: true, close: () => { for (const c of clients.splice(0)) c.close(); } });

  it('a 4-partition job over two provers (one killed -9 mid-proof, one cheats): only those partitions re-run, the cheat is slashed; one payout per partition', async () => {
    const seed = seededRandom('partitioned sector').seed;
    const sector = await generateSector({ size: 'small', partitions: 4, seed });
    const work = tmpDir('pm-part-');
    const inputs = path.join(work, 'sector');
    writeSector(sector, inputs);

    const broker = await startBrokerProc({ leaseMs: 3000, heartbeatMs: 300, maxAttempts: 5 });
    const admin = { PM_API_KEY: broker.keys.admin };
    const client = { PM_API_KEY: broker.keys.client };
    const cli = (args: string[], env: NodeJS.ProcessEnv, ms = 120_000) => runCli([...args, '--broker', broker.address], env, ms);
    // paid work: the client's escrow pays each verified partition, the provers' operator stakes each lease
    assert.strictEqual((await cli(['deposit', 'local-client', '1000000'], admin)).code, 0);
    assert.strictEqual((await cli(['deposit', 'local-prover', '1000000'], admin)).code, 0);
    const reg = await cli(['circuit', 'add', 'porep_small', '--wasm', path.join(DIR, 'porep_small.wasm'), '--zkey', path.join(DIR, 'porep_small.zkey'),
      '--vkey', path.join(DIR, 'verification_key.json'), '--sym', path.join(DIR, 'porep_small.sym')], client);
    assert.strictEqual(reg.code, 0, reg.stderr);

    // The crasher is alone when the partitions arrive, so it takes one and dies (SIGKILL) mid-proof;
    // the cheat and the honest prover join after.
    const crasher = await startProverProc(broker, { name: 'crasher', fault: 'crash-mid-proof', price: 100 });
    const out = path.join(work, 'out');
    const submit = cli(['submit', '--circuit', 'porep_small', '--inputs', inputs, '--out', out, '--max-price', '1000'], client, 500_000);
    const exit = await crasher.proc.exited;
    assert.strictEqual(exit.signal, 'SIGKILL');
    const [cheat, honest] = await Promise.all([
      startProverProc(broker, { name: 'cheat', fault: 'corrupt-proof', price: 100 }),
      startProverProc(broker, { name: 'honest', price: 100 }),
    ]);
    const r = await submit;
    assert.strictEqual(r.code, 0, `submit exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /partitions \d\/4 verified/);
    const jobId = /^job (j_[0-9a-f]+): DONE/m.exec(r.stdout)?.[1];
    assert.ok(jobId, `one job id in the output:\n${r.stdout}`);
    assert.match(r.stdout, /partitions {2}4 of 4 verified/);

    // the result: proof.bin in partition order + per-partition snarkjs files that verify
    const vkey = JSON.parse(fs.readFileSync(path.join(DIR, 'verification_key.json'), 'utf8'));
    const bin = fs.readFileSync(path.join(out, 'proof.bin'));
    assert.strictEqual(bin.length, 4 * 192);
    const decoded = proofsFromFilecoin(bin);
    for (let k = 0; k < 4; k++) {
      const input = sector.inputs[k] as { challenge: string[]; parents: string[][] };
      const pub = JSON.parse(fs.readFileSync(path.join(out, `partition-${k}`, 'public.json'), 'utf8'));
      assert.deepStrictEqual(pub, [sector.replicaId, sector.commD, sector.commR, ...input.challenge, ...input.parents.flat()]);
      const proof = JSON.parse(fs.readFileSync(path.join(out, `partition-${k}`, 'proof.json'), 'utf8'));
      assert.strictEqual(await snarkjs.groth16.verify(vkey, pub, proof, quiet), true, `partition ${k}`);
      assert.strictEqual(await snarkjs.groth16.verify(vkey, pub, decoded[k], quiet), true, `proof.bin partition ${k}`);
    }

    // who proved what: ONE job whose partitions are all DONE by the honest prover; the crashed one
    // and any the cheat took ran again, the others exactly once
    const mc = new MarketClient(broker.address, { apiKey: broker.keys.client });
    clients.push(mc);
    const job = await mc.getJob(jobId!);
    assert.strictEqual(job.state, 'JOB_STATE_DONE');
    assert.strictEqual(job.partitions.length, 4);
    assert.strictEqual(job.partitionsDone, 4);
    assert.ok(Buffer.from(job.proofBin).equals(bin), 'the broker\'s proof_bin is what the CLI wrote');
    for (const p of job.partitions) {
      assert.strictEqual(p.state, 'JOB_STATE_DONE');
      assert.strictEqual(p.proverId, honest.proverId, `partition ${p.index} accepted from ${p.proverId}`);
    }
    assert.ok(job.partitions.some((p) => p.attempts >= 2), 'the crashed partition was re-run');
    const cheated = cheat.proc.lines.filter((l) => /: rejected — /.test(l)).length;
    const reruns = job.partitions.reduce((n, p) => n + p.attempts - 1, 0);
    // (≤ rather than =: on a very loaded machine a lease may also lapse and add a re-run)
    assert.ok(reruns >= 1 + cheated && reruns <= 1 + cheated + 1, `re-runs ${reruns} = crash (1) + wrong proofs (${cheated}): nothing else ran twice`);
    // `jobs` lists it once
    const listed = JSON.parse((await cli(['jobs', '--json'], client)).stdout) as { id: string; state: string }[];
    assert.deepStrictEqual(listed.map((j) => [j.id, j.state]), [[jobId, 'DONE']]);

    // the ledger of the job: exactly one payout per partition, to the honest prover; every wrong
    // proof slashed the cheat's stake; the client paid 4 × 100 and got the rest of 4 × 1000 back
    const ledger = JSON.parse((await cli(['ledger', '--job', jobId!, '--json'], admin)).stdout) as
      { txId: string; jobId: string; proverId: string; reason: string; book: string; amount: string }[];
    const payouts = ledger.filter((e) => e.reason === 'payout' && e.book === 'earnings');
    assert.deepStrictEqual(payouts.map((e) => e.jobId).sort(), job.partitions.map((p) => p.unitId).sort(), JSON.stringify(payouts));
    assert.ok(payouts.every((e) => e.proverId === honest.proverId && e.amount === '95'), JSON.stringify(payouts));
    const slashes = new Set(ledger.filter((e) => e.reason === 'slash_compensation' && e.proverId === cheat.proverId).map((e) => e.txId));
    assert.strictEqual(slashes.size, cheated, `one slash per wrong proof: ${JSON.stringify(ledger)}`);
    const bal = JSON.parse((await cli(['balance', '--json'], client)).stdout) as Record<string, string>;
    assert.strictEqual(bal.escrow, '0');
    const compensation = ledger.filter((e) => e.reason === 'slash_compensation' && e.book === 'available').reduce((a, e) => a + BigInt(e.amount), 0n);
    assert.strictEqual(BigInt(bal.available), 1_000_000n - 400n + compensation);
    if (cheated > 0) {
      const provers = await mc.listProvers();
      const c = provers.find((p) => p.id === cheat.proverId)!;
      assert.ok(c.reputation < 0 && c.successRate < 1, `the cheat is penalised: ${JSON.stringify(c)}`);
    }
    // the same output again later from the job id
    const again = await cli(['job', jobId!, '--out', path.join(work, 'again')], client);
    assert.strictEqual(again.code, 0, again.stderr);
    assert.match(again.stdout, /partitions {2}4 of 4 verified/);
    assert.ok(fs.readFileSync(path.join(work, 'again', 'proof.bin')).equals(bin), 'job ID --out writes the same proof.bin');
    console.log(`      attempts per partition: ${job.partitions.map((p) => p.attempts).join(', ')}; wrong proofs from the cheat: ${cheated}`);
  });

  it('the README walkthrough: a 10-partition synthetic sector, watched over two provers → proof.bin of 1,920 bytes + ten proofs that verify', async () => {
    const work = tmpDir('pm-part-readme-');
    const broker = await startBrokerProc();
    const env = { PM_API_KEY: broker.keys.client };
    const cli = (args: string[], ms = 300_000) => runCli([...args, '--broker', broker.address], env, ms);
    const [p1, p2] = await Promise.all([startProverProc(broker, { name: 'first' }), startProverProc(broker, { name: 'second' })]);
    // generate a synthetic sector (the README's command)
    const gen = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'src', 'porep', 'sector.js'), '--size', 'small', '--partitions', '10',
      '--seed', seededRandom('readme sector').seed, '--out', path.join(work, 'sector')], { encoding: 'utf8' });
    assert.strictEqual(gen.status, 0, gen.stderr);
    const reg = await cli(['circuit', 'add', 'porep_small', '--wasm', path.join(DIR, 'porep_small.wasm'), '--zkey', path.join(DIR, 'porep_small.zkey'),
      '--vkey', path.join(DIR, 'verification_key.json'), '--sym', path.join(DIR, 'porep_small.sym')]);
    assert.strictEqual(reg.code, 0, reg.stderr);
    const sub = await cli(['submit', '--circuit', 'porep_small', '--inputs', path.join(work, 'sector')]);
    assert.strictEqual(sub.code, 0, sub.stderr);
    const id = /^job (j_[0-9a-f]+) \w+: 10 partitions/m.exec(sub.stdout)?.[1];
    assert.ok(id, sub.stdout);
    const watch = await cli(['watch', id!]);
    assert.strictEqual(watch.code, 0, watch.stdout + watch.stderr);
    assert.match(watch.stdout, /DONE\s+partitions 10\/10 verified/);
    const provedBy = /proved by: (.*)$/m.exec(watch.stdout.trim().split('\n').pop()!)?.[1] ?? '';
    const provers = new Set(provedBy.split(', ').map((x) => x.split(' ')[1]));
    assert.deepStrictEqual([...provers].sort(), [p1.proverId, p2.proverId].sort(), `partitions spread over both provers: ${provedBy}`);
    const out = path.join(work, 'out');
    const got = await cli(['job', id!, '--out', out]);
    assert.strictEqual(got.code, 0, got.stderr);
    assert.match(got.stdout, /partitions {2}10 of 10 verified/);
    const bin = fs.readFileSync(path.join(out, 'proof.bin'));
    assert.strictEqual(bin.length, 1920);
    const vkey = JSON.parse(fs.readFileSync(path.join(DIR, 'verification_key.json'), 'utf8'));
    // proof.bin decoded by @noble/curves (independent of our filecoin.ts) equals each partition's proof.json
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { bls12_381 } = require('@noble/curves/bls12-381.js');
    const affine = (p: { toAffine(): unknown }) => p.toAffine() as { x: bigint | { c0: bigint; c1: bigint }; y: bigint | { c0: bigint; c1: bigint } };
    const decoded = proofsFromFilecoin(bin);
    for (let k = 0; k < 10; k++) {
      const pub = JSON.parse(fs.readFileSync(path.join(out, `partition-${k}`, 'public.json'), 'utf8'));
      const proof = JSON.parse(fs.readFileSync(path.join(out, `partition-${k}`, 'proof.json'), 'utf8'));
      assert.strictEqual(await snarkjs.groth16.verify(vkey, pub, proof, quiet), true, `partition ${k}`);
      const chunk = bin.subarray(k * 192, (k + 1) * 192);
      const a = affine(bls12_381.G1.Point.fromBytes(chunk.subarray(0, 48)));
      const b = affine(bls12_381.G2.Point.fromBytes(chunk.subarray(48, 144)));
      const c = affine(bls12_381.G1.Point.fromBytes(chunk.subarray(144, 192)));
      assert.deepStrictEqual([String(a.x), String(a.y)], proof.pi_a.slice(0, 2), `A of partition ${k}`);
      const bx = b.x as { c0: bigint; c1: bigint }; const by = b.y as { c0: bigint; c1: bigint };
      assert.deepStrictEqual([[String(bx.c0), String(bx.c1)], [String(by.c0), String(by.c1)]], proof.pi_b.slice(0, 2), `B of partition ${k}`);
      assert.deepStrictEqual([String(c.x), String(c.y)], proof.pi_c.slice(0, 2), `C of partition ${k}`);
      assert.strictEqual(await snarkjs.groth16.verify(vkey, pub, decoded[k], quiet), true, `proof.bin partition ${k}`);
    }
    console.log(`      proved by: ${provedBy}`);
  });

  it('escrow: a balance short of N × max price is refused with nothing held; cancel refunds every partition; the ledger shows N holds and N refunds', async () => {
    const sector = await generateSector({ size: 'small', partitions: 4, seed: seededRandom('partitioned funds').seed });
    const work = tmpDir('pm-part-funds-');
    writeSector(sector, path.join(work, 'sector'));
    const broker = await startBrokerProc({ extraArgs: ['--http', '127.0.0.1:0'] });
    const http = (await broker.proc.waitFor(/metrics on http:\/\/(\S+)\/metrics/, 30_000))[1];
    const admin = { PM_API_KEY: broker.keys.admin };
    const cli = (args: string[], env: NodeJS.ProcessEnv) => runCli([...args, '--broker', broker.address], env, 120_000);
    const acct = await cli(['account', 'create', 'sealer', '--role', 'client', '--json'], admin);
    assert.strictEqual(acct.code, 0, acct.stderr);
    const client = { PM_API_KEY: JSON.parse(acct.stdout).apiKey as string };
    assert.strictEqual((await cli(['deposit', 'sealer', '2500'], admin)).code, 0);
    const reg = await cli(['circuit', 'add', 'porep_small', '--wasm', path.join(DIR, 'porep_small.wasm'), '--zkey', path.join(DIR, 'porep_small.zkey'),
      '--vkey', path.join(DIR, 'verification_key.json')], client);
    assert.strictEqual(reg.code, 0, reg.stderr);
    const bal = async () => JSON.parse((await cli(['balance', '--json'], client)).stdout) as Record<string, string>;
    // no prover is running: nothing can be proved meanwhile
    let r = await cli(['submit', '--circuit', 'porep_small', '--inputs', path.join(work, 'sector'), '--max-price', '1000'], client);
    assert.strictEqual(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /^error: FAILED_PRECONDITION: .*2500 micro-credits available, the job holds 4 × 1000 = 4000 in escrow/m);
    assert.deepStrictEqual([(await bal()).available, (await bal()).escrow], ['2500', '0'], 'nothing held');
    assert.deepStrictEqual(JSON.parse((await cli(['jobs', '--json'], client)).stdout), []);

    r = await cli(['submit', '--circuit', 'porep_small', '--inputs', path.join(work, 'sector'), '--max-price', '500', '--request-id', 'sector-1'], client);
    assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    const id = /^job (j_[0-9a-f]+) /m.exec(r.stdout)![1];
    assert.deepStrictEqual([(await bal()).available, (await bal()).escrow], ['500', '2000'], 'N × max price held at submit');
    // an idempotent retry is the same job (nothing more held); another payload under that request id conflicts
    const retry = await cli(['submit', '--circuit', 'porep_small', '--inputs', path.join(work, 'sector'), '--max-price', '500', '--request-id', 'sector-1', '--json'], client);
    assert.strictEqual(JSON.parse(retry.stdout).id, id);
    assert.strictEqual((await bal()).escrow, '2000');
    const other = await cli(['submit', '--circuit', 'porep_small', '--input', path.join(work, 'sector', 'partition-0.json'), '--input',
      path.join(work, 'sector', 'partition-2.json'), '--max-price', '500', '--request-id', 'sector-1'], client);
    assert.match(other.stderr, /ALREADY_EXISTS: request_id "sector-1" was already used for job /);
    const cancel = await cli(['cancel', id], client);
    assert.strictEqual(cancel.code, 0, cancel.stderr);
    assert.deepStrictEqual([(await bal()).available, (await bal()).escrow], ['2500', '0'], 'every partition refunded');
    const job = JSON.parse((await cli(['job', id, '--json'], client)).stdout) as { state: string; partitions: { state: string }[] };
    assert.deepStrictEqual([job.state, ...job.partitions.map((p) => p.state)], ['CANCELLED', ...Array(4).fill('JOB_STATE_CANCELLED')]);
    const ledger = JSON.parse((await cli(['ledger', '--job', id, '--json'], client)).stdout) as { reason: string; book: string; amount: string }[];
    const count = (reason: string, book: string, amount: string) => ledger.filter((e) => e.reason === reason && e.book === book && e.amount === amount).length;
    assert.deepStrictEqual([count('escrow_hold', 'escrow', '500'), count('refund', 'escrow', '-500')], [4, 4], JSON.stringify(ledger));
    // the dashboard's data: one row for the job, its 4 partitions under it
    const ov = await (await fetch(`http://${http}/api/overview`, { headers: { authorization: `Bearer ${client.PM_API_KEY}` } })).json() as
      { jobs: { id: string; state: string; partitions: { index: number; state: string }[] | null }[] };
    assert.deepStrictEqual(ov.jobs.map((j) => [j.id, j.state, j.partitions?.map((p) => `${p.index}:${p.state}`)]),
      [[id, 'CANCELLED', ['0:CANCELLED', '1:CANCELLED', '2:CANCELLED', '3:CANCELLED']]]);
    // ... and the page draws them: the job's row, its partitions on the line under it
    const chromiumPath = process.env.PM_CHROMIUM ?? '/usr/bin/chromium';
    if (!fs.existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: apt-get install chromium (.ci/run installs it)`);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.goto(`http://${http}/#key=${encodeURIComponent(client.PM_API_KEY)}`);
      await page.waitForSelector(`tr[data-partitions-of="${id}"]`, { timeout: 30_000 });
      assert.strictEqual(await page.getAttribute(`tr[data-job="${id}"]`, 'data-state'), 'CANCELLED');
      assert.match((await page.textContent(`tr[data-job="${id}"]`))!, /\(0\/4 partitions\)/);
      assert.match((await page.textContent(`tr[data-partitions-of="${id}"]`))!, /0: CANCELLED · 1: CANCELLED · 2: CANCELLED · 3: CANCELLED/);
    } finally { await browser.close(); }
    const again = await cli(['cancel', id], client);
    assert.match(again.stderr, /FAILED_PRECONDITION: job .* is already CANCELLED/);
  });

  it('--inputs DIR takes partition-K.json in numeric order (partition-10 after partition-9), else every .json naturally', () => {
    const d = tmpDir('pm-part-order-');
    for (const k of [10, 2, 0, 11, 1, 9]) fs.writeFileSync(path.join(d, `partition-${k}.json`), JSON.stringify({ k }));
    fs.writeFileSync(path.join(d, 'sector.json'), '{}');
    fs.writeFileSync(path.join(d, 'c1.json'), '{}');
    assert.deepStrictEqual(readInputsDir(d).map((i) => JSON.parse(i.json).k), [0, 1, 2, 9, 10, 11]);
    const e = tmpDir('pm-part-order-');
    for (const n of ['b10', 'b9', 'a']) fs.writeFileSync(path.join(e, `${n}.json`), JSON.stringify({ n }));
    assert.deepStrictEqual(readInputsDir(e).map((i) => JSON.parse(i.json).n), ['a', 'b9', 'b10']);
  });

  it('usage errors: --inputs with --witness, a folder with no inputs, a bad JSON partition', async () => {
    const empty = tmpDir('pm-part-empty-');
    let r = await runCli(['submit', '--circuit', 'x', '--inputs', empty, '--witness', 'w.wtns', '--broker', '127.0.0.1:1']);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /--witness takes one witness/);
    r = await runCli(['submit', '--circuit', 'x', '--inputs', empty, '--broker', '127.0.0.1:1']);
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /holds no \.json input files/);
    fs.writeFileSync(path.join(empty, 'partition-0.json'), '{}');
    fs.writeFileSync(path.join(empty, 'partition-1.json'), '{oops');
    r = await runCli(['submit', '--circuit', 'x', '--inputs', empty, '--broker', '127.0.0.1:1']);
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /partition-1\.json is not valid JSON/);
  });
});
