// A snarkjs user's habits (issue 8, items 5–9), through a real broker and prover processes:
// proof.json always in snarkjs's exact layout (even from a prover that sends it bare), progress
// that never goes back with a stage, `verify` and `circuit vkey`, a snarkjs shell script that runs
// unchanged but for the command name, the JS SDK (`import { groth16 } from 'proofmarket'`), and
// `jobs` showing circuit names.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { groth16, MarketClient, MarketError, type JobEvent } from 'proofmarket';
import { circuitsByCurve, ExampleCircuit, freshInput, seededRandom, verifyProof } from '../helpers/circuits';
import { registerExample } from '../helpers/market';
import { BrokerProc, CLI, Proc, ROOT, runCli, startBrokerProc, startProverProc, tmpDir } from '../helpers/procs';
import { liveProcessHooks } from '../helpers/hooks';

const SNARKJS_CLI = path.join(ROOT, 'node_modules', 'snarkjs', 'build', 'cli.cjs');

/** snarkjs's proof.json layout: these keys in this order, JSON.stringify(…, null, 1), no newline. */
function assertSnarkjsLayout(proofJson: string, curve: 'bn128' | 'bls12381'): void {
  const p = JSON.parse(proofJson) as Record<string, unknown>;
  assert.deepStrictEqual(Object.keys(p), ['pi_a', 'pi_b', 'pi_c', 'protocol', 'curve']);
  assert.strictEqual(p.protocol, 'groth16');
  assert.strictEqual(p.curve, curve);
  assert.strictEqual(proofJson, JSON.stringify(p, null, 1), 'not byte-for-byte what snarkjs writes');
}

describe('e2e: a snarkjs user\'s habits (layout, progress, verify, drop-in CLI and SDK)', function () {
  this.timeout(300_000);
  let broker: BrokerProc;
  let client: MarketClient;
  let circuits: Record<'bn254' | 'bls12-381', ExampleCircuit>;
  let prover: { proc: Proc; proverId: string } | null = null;
  const rnd = seededRandom('snarkjs-user');

  before(async () => {
    circuits = circuitsByCurve();
    broker = await startBrokerProc({ leaseMs: 10_000, heartbeatMs: 500 });
    client = new MarketClient(broker.address, { apiKey: broker.keys.client });
    await registerExample(client, circuits.bn254);
  });
  liveProcessHooks({ close: () => client?.close() });

  it('delivers proof.json in snarkjs\'s exact layout even when the prover sent it bare', async () => {
    const bare = await startProverProc(broker, { name: 'bare', fault: 'bare-proof' });
    try {
      const c = circuits.bn254;
      const j = await client.submit({ circuit: c.name, input: freshInput(c, rnd.next) });
      const done = await client.waitDone(j.id, 120_000);
      assert.strictEqual(done.state, 'JOB_STATE_DONE', done.error);
      assertSnarkjsLayout(done.proof!.proofJson, 'bn128');
      assert.strictEqual(done.proof!.publicJson, JSON.stringify(JSON.parse(done.proof!.publicJson), null, 1));
      assert.ok(await verifyProof(c, done.proof!.proofJson, done.proof!.publicJson));
    } finally { await bare.proc.kill(); }
    prover = await startProverProc(broker, { name: 'prover' });
  });

  it('progress never goes back within an attempt, carries a stage, and is throttled', async () => {
    const c = circuits.bn254;
    const events: JobEvent[] = [];
    const j = await client.submit({ circuit: c.name, input: freshInput(c, rnd.next) });
    const done = await client.waitDone(j.id, 120_000, (ev) => events.push(ev));
    assert.strictEqual(done.state, 'JOB_STATE_DONE', done.error);
    const progress = events.filter((e) => e.kind === 'progress').map((e) => e.job!);
    const trace = progress.map((p) => `${p.attempts}:${p.stage}:${p.progress.toFixed(3)}`).join(' ');
    console.log(`      ${progress.length} progress events (${done.backend}): ${trace}`);
    assert.ok(progress.length >= 1, 'no progress event at all');
    // The engine reports ~20 per-step fractions for one small proof; a watcher gets one per stage
    // change and otherwise at most one per 250 ms (a bound that holds however slow the machine is).
    const changes = progress.filter((p, i) => i === 0 || p.stage !== progress[i - 1].stage).length;
    const spanMs = Number(progress[progress.length - 1].updatedMs) - Number(progress[0].updatedMs);
    assert.ok(progress.length <= changes + Math.ceil(spanMs / 250) + 1, `not throttled (${changes} stage changes in ${spanMs} ms): ${trace}`);
    for (let i = 1; i < progress.length; i++) {
      if (progress[i].attempts === progress[i - 1].attempts) assert.ok(progress[i].progress >= progress[i - 1].progress, `went back: ${trace}`);
    }
    const known = ['fetching', 'witness', 'ntt', 'msm', 'proving', 'verifying'];
    for (const p of progress) assert.ok(known.includes(p.stage), `stage "${p.stage}" (${trace})`);
    if (done.backend === 'cpu' || done.backend === 'cuda') assert.ok(progress.some((p) => p.stage === 'msm'), `no msm stage from the native engine: ${trace}`);
    const states = events.filter((e) => e.kind === 'state').map((e) => e.job!);
    assert.ok(states.some((s) => s.state === 'JOB_STATE_VERIFYING' && s.stage === 'verifying'), 'VERIFYING without the verifying stage');
    assert.strictEqual(done.stage, '', 'a finished job has no stage');
  });

  it('verify (CLI and RPC) exits 0 for a good proof and 1 for a tampered one; circuit vkey fetches the key', async () => {
    const c = circuits.bn254;
    const done = await client.waitDone((await client.submit({ circuit: c.name, input: freshInput(c, rnd.next) })).id, 120_000);
    const dir = tmpDir('pm-verify-');
    const proofFile = path.join(dir, 'proof.json'); const pubFile = path.join(dir, 'public.json'); const badFile = path.join(dir, 'bad.json');
    fs.writeFileSync(proofFile, done.proof!.proofJson); fs.writeFileSync(pubFile, done.proof!.publicJson);
    const pub = JSON.parse(done.proof!.publicJson) as string[];
    fs.writeFileSync(badFile, JSON.stringify([(BigInt(pub[0]) + 1n).toString(), ...pub.slice(1)]));
    const env = { PM_BROKER: broker.address, PM_API_KEY: broker.keys.client };
    const ok = await runCli(['verify', '--circuit', c.name, proofFile, pubFile], env);
    assert.strictEqual(ok.code, 0, ok.stderr); assert.match(ok.stdout, /OK!/);
    const bad = await runCli(['verify', '--circuit', c.name, proofFile, badFile], env);
    assert.strictEqual(bad.code, 1, bad.stdout); assert.match(bad.stderr, /Invalid proof/);
    assert.deepStrictEqual(await client.verify(c.name, done.proof!.proofJson, done.proof!.publicJson), { valid: true, reason: '' });
    await assert.rejects(client.verify('no-such-circuit', done.proof!.proofJson, done.proof!.publicJson), (e: MarketError) => e.codeName === 'NOT_FOUND');
    const v = await runCli(['circuit', 'vkey', c.name], env);
    assert.strictEqual(v.code, 0, v.stderr);
    assert.deepStrictEqual(JSON.parse(v.stdout), JSON.parse(fs.readFileSync(c.vkey, 'utf8')));
  });

  it('a snarkjs shell script runs unchanged but for the command name, with the same outputs', async () => {
    const c = circuits['bls12-381'];
    const dir = tmpDir('pm-script-');
    fs.writeFileSync(path.join(dir, 'input.json'), JSON.stringify(freshInput(c, rnd.next)));
    // Written for snarkjs; the proofmarket run changes only the command name.
    const script = [
      'set -eu',
      `snarkjs wtns calculate "${c.wasm}" input.json witness.wtns`,
      `snarkjs groth16 prove "${c.zkey}" witness.wtns proof.json public.json`,
      `snarkjs zkey export verificationkey "${c.zkey}" verification_key.json`,
      'snarkjs groth16 verify verification_key.json public.json proof.json',
      `snarkjs groth16 fullprove input.json "${c.wasm}" "${c.zkey}" proof2.json public2.json`,
      'snarkjs groth16 verify verification_key.json public2.json proof2.json',
    ].join('\n');
    // Both commands as a user has them on PATH.
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    for (const [name, js] of [['snarkjs', SNARKJS_CLI], ['proofmarket', CLI]]) {
      fs.writeFileSync(path.join(bin, name), `#!/bin/sh\nexec "${process.execPath}" "${js}" "$@"\n`, { mode: 0o755 });
    }
    const outputs: Record<string, Record<string, string>> = {};
    for (const who of ['snarkjs', 'proofmarket']) {
      const wd = path.join(dir, who);
      fs.mkdirSync(wd);
      fs.copyFileSync(path.join(dir, 'input.json'), path.join(wd, 'input.json'));
      const text = who === 'snarkjs' ? script : script.replace(/^snarkjs /gm, 'proofmarket ');
      const r = spawnSync('bash', ['-c', text], {
        cwd: wd, encoding: 'utf8', timeout: 180_000,
        env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, PM_BROKER: broker.address, PM_API_KEY: broker.keys.client },
      });
      assert.strictEqual(r.status, 0, `${who}: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
      outputs[who] = Object.fromEntries(['proof.json', 'public.json', 'proof2.json', 'public2.json'].map((f) => [f, fs.readFileSync(path.join(wd, f), 'utf8')]));
    }
    for (const f of ['proof.json', 'proof2.json']) assertSnarkjsLayout(outputs.proofmarket[f], 'bls12381');
    // Same statement, same files: public signals byte-for-byte, proofs in the same layout and valid.
    assert.strictEqual(outputs.proofmarket['public.json'], outputs.snarkjs['public.json']);
    assert.strictEqual(outputs.proofmarket['public2.json'], outputs.snarkjs['public2.json']);
    assert.ok(await verifyProof(c, outputs.proofmarket['proof2.json'], outputs.proofmarket['public2.json']));
    // Registered once by content hash (prove), reused by fullprove.
    const onTheFly = (await client.listCircuits()).filter((x) => x.name.startsWith('zkey-'));
    assert.strictEqual(onTheFly.length, 1, onTheFly.map((x) => x.name).join(', '));
    // `groth16 prove` registered it without a wasm: it takes witnesses, and says so to an input.
    await assert.rejects(client.submit({ circuit: onTheFly[0].name, input: freshInput(c, rnd.next) }),
      (e: MarketError) => e.codeName === 'FAILED_PRECONDITION' && /registered without a wasm: submit a witness/.test(e.message));
  });

  it('the JS SDK: groth16.fullProve / groth16.prove from \'proofmarket\' return snarkjs\'s { proof, publicSignals }', async () => {
    const c = circuits.bn254;
    // A script switches by setting two variables.
    const prev = { PM_BROKER: process.env.PM_BROKER, PM_API_KEY: process.env.PM_API_KEY };
    process.env.PM_BROKER = broker.address;
    process.env.PM_API_KEY = broker.keys.client;
    try {
      const input = freshInput(c, rnd.next);
      const { proof, publicSignals } = await groth16.fullProve(input, c.wasm, c.zkey);
      const vk = JSON.parse(fs.readFileSync(c.vkey, 'utf8'));
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const snarkjs = require('snarkjs') as { groth16: { verify(vk: unknown, pub: unknown, proof: unknown): Promise<boolean>; prove(z: string, w: unknown): Promise<{ publicSignals: string[] }> }; wtns: { calculate(i: unknown, w: string, o: { type: 'mem'; data?: Uint8Array }): Promise<void> } };
      assert.strictEqual(await snarkjs.groth16.verify(vk, publicSignals, proof), true, 'snarkjs rejects the SDK proof');
      assert.strictEqual(proof.protocol, 'groth16'); assert.strictEqual(proof.curve, 'bn128');
      const w: { type: 'mem'; data?: Uint8Array } = { type: 'mem' };
      await snarkjs.wtns.calculate(input, c.wasm, w);
      const viaProve = await groth16.prove(c.zkey, w.data!);
      assert.deepStrictEqual(viaProve.publicSignals, (await snarkjs.groth16.prove(c.zkey, w)).publicSignals);
      assert.strictEqual(await snarkjs.groth16.verify(vk, viaProve.publicSignals, viaProve.proof), true);
    } finally {
      for (const [k, v] of Object.entries(prev)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
    }
  });

  it('jobs shows circuit names, not only ids', async () => {
    const r = await runCli(['jobs', '--limit', '3'], { PM_BROKER: broker.address, PM_API_KEY: broker.keys.client });
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`\\b${circuits.bn254.name}\\b`));
    assert.doesNotMatch(r.stdout, /\bc_[0-9a-f]{16}\b/);
  });
});
