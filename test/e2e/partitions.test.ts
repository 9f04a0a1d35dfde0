// Partitioned submissions end to end with real processes: a synthetic PoRep-shaped sector
// (circuits/build/porep_small, seed printed) submitted by the CLI as one partitioned job
// (`submit --inputs DIR --out DIR`), proved by two prover processes; one prover crashes mid-proof
// on its first partition and a corrupting prover returns a wrong proof: only those partitions
// re-run. Every proof is checked with snarkjs, proof.bin is the N × 192-byte concatenation.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { MarketClient } from '../../src/client/market';
import { proofsFromFilecoin } from '../../src/common';
import { generateSector, writeSector } from '../../src/porep/sector';
import { readInputsDir } from '../../src/cli/partitions';
import { releaseSnarkjs, seededRandom } from '../helpers/circuits';
import { dumpLive, killAll, ROOT, runCli, startBrokerProc, startProverProc, tmpDir } from '../helpers/procs';

const DIR = path.join(ROOT, 'circuits', 'build', 'porep_small');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const snarkjs = require('snarkjs');
const quiet = { info() {}, debug() {}, warn() {}, error() {} };

describe('e2e partitioned jobs (PoRep-shaped sector)', function () {
  this.timeout(600_000);
  const clients: MarketClient[] = [];

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(dumpLive());
    for (const c of clients.splice(0)) c.close();
    await killAll();
  });
  after(releaseSnarkjs);

  it('a 4-partition sector over two provers (one crashes, one cheats): only those partitions re-run; proof.bin + 4 verified proofs', async () => {
    const seed = seededRandom('partitioned sector').seed;
    const sector = await generateSector({ size: 'small', partitions: 4, seed });
    const work = tmpDir('pm-part-');
    const inputs = path.join(work, 'sector');
    writeSector(sector, inputs);

    const broker = await startBrokerProc({ leaseMs: 3000, heartbeatMs: 300, maxAttempts: 5 });
    const apiKey = fs.readFileSync(path.join(broker.dataDir, 'admin.key'), 'utf8').trim();
    const env = { PM_API_KEY: apiKey };
    const reg = await runCli(['circuit', 'add', 'porep_small', '--broker', broker.address,
      '--wasm', path.join(DIR, 'porep_small.wasm'), '--zkey', path.join(DIR, 'porep_small.zkey'),
      '--vkey', path.join(DIR, 'verification_key.json'), '--sym', path.join(DIR, 'porep_small.sym')], env, 120_000);
    assert.strictEqual(reg.code, 0, reg.stderr);

    // The crasher is alone when the partitions arrive, so it takes one and dies mid-proof; the
    // cheat and the honest prover join after.
    const crasher = await startProverProc(broker.address, { name: 'crasher', fault: 'crash-mid-proof', apiKey });
    const out = path.join(work, 'out');
    const submit = runCli(['submit', '--circuit', 'porep_small', '--inputs', inputs, '--out', out, '--broker', broker.address], env, 500_000);
    const exit = await crasher.proc.exited;
    assert.strictEqual(exit.signal, 'SIGKILL');
    const [cheat, honest] = await Promise.all([
      startProverProc(broker.address, { name: 'cheat', fault: 'corrupt-proof', apiKey }),
      startProverProc(broker.address, { name: 'honest', apiKey }),
    ]);
    const r = await submit;
    assert.strictEqual(r.code, 0, `submit exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /partitions \d\/4 verified/);

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

    // who proved what: every partition DONE; the crashed one and any the cheat took ran again,
    // the others exactly once; no accepted proof came from the crasher or the cheat
    const ids = JSON.parse(fs.readFileSync(path.join(out, 'jobs.json'), 'utf8')) as string[];
    const client = new MarketClient(broker.address, { apiKey });
    clients.push(client);
    const jobs = await Promise.all(ids.map((id) => client.getJob(id)));
    const crashed = jobs.filter((j) => j.attempts >= 2);
    assert.ok(crashed.length >= 1, 'the crashed partition was re-run');
    for (const j of jobs) {
      assert.strictEqual(j.state, 'JOB_STATE_DONE');
      assert.strictEqual(j.proverId, honest.proverId, `partition job ${j.id} accepted from ${j.proverId}`);
    }
    const cheated = cheat.proc.lines.filter((l) => /: rejected — /.test(l)).length;
    const reruns = jobs.reduce((n, j) => n + j.attempts - 1, 0);
    // (≤ rather than =: on a very loaded machine a lease may also lapse and add a re-run)
    assert.ok(reruns >= 1 + cheated && reruns <= 1 + cheated + 1, `re-runs ${reruns} = crash (1) + wrong proofs (${cheated}): nothing else ran twice`);
    // the same output again later from the partition job ids
    const again = await runCli(['job', ...ids, '--out', path.join(work, 'again'), '--broker', broker.address], env);
    assert.strictEqual(again.code, 0, again.stderr);
    assert.match(again.stdout, /partitions 4\/4 verified/);
    assert.ok(fs.readFileSync(path.join(work, 'again', 'proof.bin')).equals(bin), 'job IDs --out writes the same proof.bin');
    console.log(`      attempts per partition: ${jobs.map((j) => j.attempts).join(', ')}; wrong proofs from the cheat: ${cheated}`);
  });

  it('a balance that covers only 2 of 4 partitions: FAILED_PRECONDITION, the 2 submitted are cancelled and refunded', async () => {
    const sector = await generateSector({ size: 'small', partitions: 4, seed: seededRandom('partitioned funds').seed });
    const work = tmpDir('pm-part-funds-');
    writeSector(sector, path.join(work, 'sector'));
    const broker = await startBrokerProc();
    const admin = { PM_API_KEY: fs.readFileSync(path.join(broker.dataDir, 'admin.key'), 'utf8').trim() };
    const cli = (args: string[], env: NodeJS.ProcessEnv) => runCli([...args, '--broker', broker.address], env, 120_000);
    const acct = await cli(['account', 'create', 'sealer', '--role', 'client', '--json'], admin);
    assert.strictEqual(acct.code, 0, acct.stderr);
    const client = { PM_API_KEY: JSON.parse(acct.stdout).apiKey as string };
    assert.strictEqual((await cli(['deposit', 'sealer', '2500'], admin)).code, 0);
    const reg = await cli(['circuit', 'add', 'porep_small', '--wasm', path.join(DIR, 'porep_small.wasm'), '--zkey', path.join(DIR, 'porep_small.zkey'),
      '--vkey', path.join(DIR, 'verification_key.json')], client);
    assert.strictEqual(reg.code, 0, reg.stderr);
    // no prover is running: nothing can be proved meanwhile
    const r = await cli(['submit', '--circuit', 'porep_small', '--inputs', path.join(work, 'sector'), '--max-price', '1000'], client);
    assert.strictEqual(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /^error: FAILED_PRECONDITION: partition 2 \(.*partition-2\.json\): .*500 micro-credits available.*; the 2 partitions already submitted were cancelled/m);
    const bal = await cli(['balance', '--json'], client);
    const b = JSON.parse(bal.stdout);
    assert.strictEqual(b.available, '2500', `everything refunded: ${bal.stdout}`);
    assert.strictEqual(b.escrow, '0');
    const jobs = await cli(['jobs', '--json'], client);
    const states = (JSON.parse(jobs.stdout) as { state: string }[]).map((j) => j.state);
    assert.deepStrictEqual(states.sort(), ['CANCELLED', 'CANCELLED'], jobs.stdout);
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
