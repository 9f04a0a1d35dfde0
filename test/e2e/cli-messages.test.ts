// What a CLI user reads when something is off: --deadline out of range in seconds (never the
// broker's ms-since-the-epoch wording, never a wrapped number), the circuit's name where `job`
// shows it, a PERMISSION_DENIED that says which key works, a requeued job not naming its last
// prover. One broker, no prover: nothing here needs a proof.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { circuitsByCurve, ExampleCircuit } from '../helpers/circuits';
import { BrokerProc, runCli, startBrokerProc, tmpDir } from '../helpers/procs';
import { liveProcessHooks } from '../helpers/hooks';
import { MarketClient } from '../../src/client/market';
import { jobDetails } from '../../src/cli/format';
import { ensureCircuit } from '../../src/client/groth16';
import type { Job__Output } from '../../src/common';

describe('e2e: CLI messages a user can act on', function () {
  this.timeout(120_000);
  let broker: BrokerProc;
  let c: ExampleCircuit;
  let inputFile: string;

  before(async () => {
    c = circuitsByCurve().bn254;
    broker = await startBrokerProc({ leaseMs: 5000, heartbeatMs: 500 });
    inputFile = path.join(tmpDir('pm-cli-msg-'), 'input.json');
    fs.writeFileSync(inputFile, JSON.stringify(c.input));
  });

  liveProcessHooks();

  const cli = (...args: string[]) => runCli([...args, '--broker', broker.address], { PM_API_KEY: broker.keys.client });

  it('--deadline is checked in seconds before anything is sent: too short, at most 365 days, no wrap-around', async () => {
    const add = await cli('circuit', 'add', 'msg-example', '--wasm', c.wasm, '--zkey', c.zkey, '--vkey', c.vkey, ...(c.sym ? ['--sym', c.sym] : []));
    assert.strictEqual(add.code, 0, add.stderr);
    for (const base of [['quote', '--circuit', 'msg-example'], ['submit', '--circuit', 'msg-example', '--input', inputFile]]) {
      for (const big of ['31536001', '1e17', '1e20']) {
        const r = await cli(...base, '--deadline', big);
        assert.strictEqual(r.code, 2, r.stderr);
        assert.match(r.stderr, new RegExp(`^error: --deadline ${Number(big)}: at most 31536000 seconds \\(365 days\\)`), r.stderr);
        assert.doesNotMatch(r.stderr, /deadline_ms|µs or ns/);
      }
      const tiny = await cli(...base, '--deadline', '0.001');
      assert.strictEqual(tiny.code, 2, tiny.stderr);
      assert.match(tiny.stderr, /^error: --deadline 0\.001: too short, at least 1 second/);
      assert.doesNotMatch(tiny.stderr, /in the past/);
    }
    // The limit itself is accepted (the broker's clock has moved on by the time it checks).
    const atLimit = await cli('quote', '--circuit', 'msg-example', '--deadline', '31536000');
    assert.strictEqual(atLimit.code, 0, atLimit.stderr);
    assert.strictEqual((JSON.parse((await cli('jobs', '--json')).stdout) as unknown[]).length, 0, 'no job was submitted');

    // The library refuses a deadline it cannot send exactly (1e20 would reach the broker as another number).
    const m = new MarketClient(broker.address, { apiKey: broker.keys.client });
    try {
      for (const bad of [1e20, 2 ** 64, -1, 1.5]) {
        await assert.rejects(m.quote({ circuit: 'msg-example', deadlineMs: bad }), (e: Error & { codeName?: string }) =>
          e.codeName === 'INVALID_ARGUMENT' && e.message.startsWith(`deadlineMs ${bad} is not a whole number of ms since the epoch`));
        await assert.rejects(m.submit({ circuit: 'msg-example', input: c.input, deadlineMs: bad }), /is not a whole number of ms/);
      }
    } finally {
      m.close();
    }
  });

  it('submit names the circuit like `job` does; another account\'s ledger says an admin key is needed', async () => {
    const sub = await cli('submit', '--circuit', 'msg-example', '--input', inputFile);
    assert.strictEqual(sub.code, 0, sub.stderr);
    assert.match(sub.stdout, /^job \S+ (QUEUED|SUBMITTED) \(circuit msg-example \(c_[^)]+\)\); follow it with: proofmarket job /);
    const id = /^job (\S+)/.exec(sub.stdout)![1];
    assert.strictEqual((await cli('cancel', id)).code, 0);

    // submit --wait with stderr not a terminal: the reason it waits as a plain line (no prover here), no redraws.
    const waiting = cli('submit', '--circuit', 'msg-example', '--input', inputFile, '--wait', '--request-id', 'msg-wait');
    let waitingId = '';
    const m = new MarketClient(broker.address, { apiKey: broker.keys.client });
    try {
      for (let i = 0; i < 600 && !waitingId; i++) {
        waitingId = (await m.listJobs({})).find((j) => j.requestId === 'msg-wait' && j.routing)?.id ?? '';
        if (!waitingId) await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      m.close();
    }
    assert.ok(waitingId, 'the waiting job got a routing note');
    await new Promise((r) => setTimeout(r, 500));
    assert.strictEqual((await cli('cancel', waitingId)).code, 0);
    const w = await waiting;
    assert.strictEqual(w.code, 1, w.stderr);
    assert.match(w.stderr, new RegExp(`^job ${waitingId}: no prover is connected$`, 'm'), w.stderr);
    assert.doesNotMatch(w.stderr, /\r|\x1b\[/);
    assert.match(w.stdout, /circuit {5}msg-example \(c_/);

    const denied = await cli('ledger', '--account', 'market');
    assert.strictEqual(denied.code, 1);
    assert.match(denied.stderr, /^error: PERMISSION_DENIED: .*another account's ledger needs an admin key: --api-key <admin key>/);
    const asAdmin = await runCli(['ledger', '--account', 'market', '--broker', broker.address], { PM_API_KEY: broker.keys.admin });
    assert.strictEqual(asAdmin.code, 0, asAdmin.stderr);
  });

  it('circuit add: an automatically picked wrong .r1cs is named with where it came from; --no-r1cs skips it; no R1CS warning before an unrelated refusal', async () => {
    // circom's layout: NAME_js/NAME.wasm, NAME.r1cs one folder up; here a .r1cs of another circuit (the 4k one).
    const other = circuitsByCurve().bn254.dir.replace(/example_bn254$/, 'example_bn254_4k');
    const dir = tmpDir('pm-cli-r1cs-');
    fs.mkdirSync(path.join(dir, 'ex_js'));
    const wasm = path.join(dir, 'ex_js', 'ex.wasm');
    fs.copyFileSync(c.wasm, wasm);
    fs.copyFileSync(path.join(other, 'example_bn254_4k.r1cs'), path.join(dir, 'ex.r1cs'));
    const wrong = await cli('circuit', 'add', 'wrong-r1cs', '--wasm', wasm, '--zkey', c.zkey, '--vkey', c.vkey);
    assert.strictEqual(wrong.code, 1, wrong.stderr);
    assert.match(wrong.stderr, /using --r1cs .*ex\.r1cs \(found one folder up from the wasm; --no-r1cs skips it\)/);
    assert.match(wrong.stderr, /error: INVALID_ARGUMENT: r1cs has \d+ (wires|public signals), the zkey .* \(the \.r1cs was picked up automatically: \S*ex\.r1cs, found one folder up from the wasm; pass --r1cs FILE for the right one, or --no-r1cs to register without it\)/);
    assert.doesNotMatch(wrong.stderr, /WARNING/);
    // --no-r1cs: this account registered the zkey already (as msg-example): refused for that, with no R1CS warning first.
    const again = await cli('circuit', 'add', 'wrong-r1cs', '--wasm', wasm, '--zkey', c.zkey, '--vkey', c.vkey, '--no-r1cs');
    assert.strictEqual(again.code, 1, again.stderr);
    assert.match(again.stderr, /^error: ALREADY_EXISTS: this zkey is already registered as circuit "msg-example"/);
    assert.doesNotMatch(again.stderr, /WARNING|using --r1cs/);
    // Another account: registered without the R1CS, and warned.
    const made = await runCli(['account', 'create', 'carol', '--role', 'client', '--json', '--broker', broker.address], { PM_API_KEY: broker.keys.admin });
    assert.strictEqual(made.code, 0, made.stderr);
    const carol = await runCli(['circuit', 'add', 'no-r1cs', '--wasm', wasm, '--zkey', c.zkey, '--vkey', c.vkey, '--no-r1cs', '--broker', broker.address],
      { PM_API_KEY: (JSON.parse(made.stdout) as { apiKey: string }).apiKey });
    assert.strictEqual(carol.code, 0, carol.stderr);
    assert.match(carol.stderr, /WARNING: registering without an R1CS/);
    assert.strictEqual((await cli('circuit', 'add', 'x', '--wasm', wasm, '--zkey', c.zkey, '--vkey', c.vkey, '--no-r1cs', '--r1cs', path.join(dir, 'ex.r1cs'))).code, 2);
  });

  it('groth16 fullprove\'s automatic registration takes the .r1cs/.sym beside the wasm, and says so', async () => {
    const made = await runCli(['account', 'create', 'dave', '--role', 'client', '--json', '--broker', broker.address], { PM_API_KEY: broker.keys.admin });
    assert.strictEqual(made.code, 0, made.stderr);
    const m = new MarketClient(broker.address, { apiKey: (JSON.parse(made.stdout) as { apiKey: string }).apiKey });
    try {
      const notices: string[] = [];
      const { circuit } = await ensureCircuit(m, c.zkey, c.wasm, false, (l) => notices.push(l));
      assert.deepStrictEqual(circuit.artifacts.map((a) => a.kind).sort(),
        ['ARTIFACT_KIND_R1CS', 'ARTIFACT_KIND_SYM', 'ARTIFACT_KIND_VKEY', 'ARTIFACT_KIND_WASM', 'ARTIFACT_KIND_ZKEY']);
      assert.deepStrictEqual(notices.map((l) => l.replace(/ \S+\/(example_bn254\.\w+) /, ' $1 ')),
        [`registering ${circuit.name} with r1cs example_bn254.r1cs (found next to the wasm)`, `registering ${circuit.name} with sym example_bn254.sym (found next to the wasm)`]);
      // A wasm with nothing beside it: registered without, and warned like `circuit add`.
      const lone = path.join(tmpDir('pm-cli-lone-'), 'lone.wasm');
      fs.copyFileSync(circuitsByCurve()['bls12-381'].wasm, lone);
      const bls: string[] = [];
      await ensureCircuit(m, circuitsByCurve()['bls12-381'].zkey, lone, false, (l) => bls.push(l));
      assert.strictEqual(bls.length, 1);
      assert.match(bls[0], /^WARNING: registering without an R1CS .*no \.r1cs beside the wasm/);
      // A stale .r1cs of another circuit beside the wasm: said so, and registered without it (the proof is still what snarkjs would make).
      const big = circuitsByCurve().bn254.dir.replace(/example_bn254$/, 'example_bn254_4k');
      const stale = tmpDir('pm-cli-stale-');
      fs.copyFileSync(path.join(big, 'example_bn254_4k.wasm'), path.join(stale, 'big.wasm'));
      fs.copyFileSync(c.r1cs!, path.join(stale, 'big.r1cs'));
      const st: string[] = [];
      const r = await ensureCircuit(m, path.join(big, 'example_bn254_4k.zkey'), path.join(stale, 'big.wasm'), false, (l) => st.push(l));
      assert.ok(!r.circuit.artifacts.some((a) => a.kind === 'ARTIFACT_KIND_R1CS'));
      assert.match(st.join('\n'), /big\.r1cs \(found next to the wasm\) is not this zkey's circuit: r1cs has \d+ .*; registering zkey-\w+ without it\nWARNING: registering without an R1CS/);
    } finally {
      m.close();
    }
  });

  it('start\'s usage lists the prover\'s C2 flags it takes, --c2-price included', async () => {
    const h = await runCli(['start', '--help']);
    assert.strictEqual(h.code, 0, h.stderr);
    for (const f of ['--http', '--c2-verifier', '--c2-command', '--c2-sector-sizes', '--c2-timeout', '--c2-memory', '--c2-price', '--max-c1-bytes']) assert.ok(h.stdout.includes(f), `${f} in ${h.stdout}`);
  });

  it('a requeued job does not show its last prover while it waits; a running one does', () => {
    const job = (state: string) => ({
      id: 'j_1', state, circuitId: 'c_1', requestId: 'r', attempts: 1, maxAttempts: 3, createdMs: '1', updatedMs: '2', deadlineMs: '0',
      proverId: 'p_old', maxPrice: '0', progress: 0, error: 'out of memory, try again', routing: 'operator a_x gave it back 3 times', partitions: [],
    } as unknown as Job__Output);
    const queued = jobDetails(job('JOB_STATE_QUEUED'), new Map([['c_1', 'example']]));
    assert.doesNotMatch(queued, /p_old/);
    assert.match(queued, /circuit {5}example \(c_1\)/);
    assert.match(queued, /routing {5}operator a_x gave it back/);
    assert.match(jobDetails(job('JOB_STATE_PROVING')), /prover {6}p_old/);
  });
});
