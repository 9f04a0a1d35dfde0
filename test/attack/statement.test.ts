// The attack suite of issue 7 §3, with real broker and prover processes over real gRPC: a proof
// is accepted only for the job's statement, and nobody is blamed (or paid) for what they did not do.
//   - a prover replaying another job's (valid) proof
//   - a prover proving other public inputs than the job's (a valid proof of another statement)
//   - a wrong-curve / malformed proof
//   - a false "bad input" claim
//   - a client's witness that does not satisfy the circuit (with an R1CS: FAILED at submit; without:
//     FAILED after two operators' proofs failed, saying the broker cannot tell who is at fault), and an input whose witness generation fails (FAILED
//     at submit): the provers not blamed — not even once another prover's proof verifies (a client
//     and a prover in collusion could otherwise get an honest prover slashed)
//   - an un-contributed key (refused; accepted only with --allow-insecure-setup, then flagged, and a
//     proof forged without any witness goes through), a vkey of another contribution (refused)
// Each: the right status, the client never sees a wrong proof, the cheat is slashed with an
// explanation naming the job and the statement, and nobody is paid for a rejected result.
// Circuit: the tiny mul3 fixture (y = a·b0·b1·b2 + c, public [y, c]), BN254.
import * as assert from 'assert';
import * as fs from 'fs';
import * as grpc from '@grpc/grpc-js';
import type { AccountsClient } from '../../src/client/accounts';
import { MarketClient, MarketError } from '../../src/client/market';
import type { Job__Output } from '../../src/common';
import { decodeWtns } from '../../broker/verify/witness';
import { RawProver } from '../helpers/attack';
import { fixture } from '../broker/helpers';
import { exampleCircuits, seededRandom } from '../helpers/circuits';
import { adminOf, checkMoney, newOperator, registerExample, waitForJob } from '../helpers/market';
import { runCli, startBrokerProc, startProverProc, type BrokerProc } from '../helpers/procs';
import { mul3Setups } from '../helpers/setups';
import { liveProcessHooks } from '../helpers/hooks';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const snarkjs: any = require('snarkjs');
const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const f = fixture('bn254');

interface Mul3Input { a: string; b: string[]; c: string }
const publicOf = (i: Mul3Input) => [((BigInt(i.a) * BigInt(i.b[0]) * BigInt(i.b[1]) * BigInt(i.b[2]) + BigInt(i.c)) % R).toString(), i.c];

async function expectRpcError(p: Promise<unknown>, code: grpc.status, re: RegExp): Promise<MarketError> {
  try { await p; } catch (e) {
    assert.ok(e instanceof MarketError, String(e));
    assert.strictEqual(e.codeName, grpc.status[code], `${e.codeName}: ${e.message}`);
    assert.match(e.message, re);
    return e;
  }
  throw new Error('the call succeeded');
}

describe('e2e attacks: a proof is accepted only for the job\'s statement', function () {
  this.timeout(300_000);
  const rnd = seededRandom('attacks');
  const input = (): Mul3Input => ({
    a: String(2n + rnd.next() % 1000n), b: [0, 1, 2].map(() => String(2n + rnd.next() % 1000n)), c: String(rnd.next() % R),
  });
  let broker: BrokerProc; let client: MarketClient; let admin: AccountsClient;
  let honestKey: string; let honest2Key: string;
  const jobs: Job__Output[] = [];
  const deposits = { total: 0n };
  const stopAfter: { kill(): Promise<void> }[] = [];

  before(async () => {
    broker = await startBrokerProc({ leaseMs: 20_000, heartbeatMs: 500, maxAttempts: 6 });
    client = new MarketClient(broker.address, { apiKey: broker.keys.client });
    admin = adminOf(broker);
    await admin.deposit('local-client', 10_000n); deposits.total += 10_000n;
    honestKey = await newOperator(admin, 'op-honest', 1000n); deposits.total += 1000n;
    honest2Key = await newOperator(admin, 'op-honest2', 1000n); deposits.total += 1000n;
    await client.registerCircuit({ name: 'mul3', wasm: f.wasm, zkey: f.zkey, vkey: f.vkey, r1cs: f.r1cs, sym: f.sym });
  });

  liveProcessHooks({ close: () => { client?.close(); admin?.close(); } });
  afterEach(async () => { for (const p of stopAfter.splice(0)) await p.kill(); });

  async function cheat(fault: 'replay-proof' | 'other-statement' | 'wrong-curve' | 'false-bad-input' | 'bad-pairing', name: string) {
    const key = await newOperator(admin, `op-${name}`, 1000n); deposits.total += 1000n;
    const p = await startProverProc(broker, { name, fault, apiKey: key, price: 10, backend: 'snarkjs' });
    stopAfter.push({ kill: () => p.proc.kill() });
    return p;
  }
  async function honest(name = 'honest', key = honestKey) {
    const p = await startProverProc(broker, { name, apiKey: key, price: 20, backend: 'snarkjs' });
    stopAfter.push({ kill: () => p.proc.kill() });
    return p;
  }
  async function submit(i: Mul3Input, label: string): Promise<Job__Output> {
    const j = await client.submit({ circuit: 'mul3', input: i, requestId: `${label}-${rnd.seed}`, maxPrice: 20n });
    jobs.push(j);
    return j;
  }
  /** Waits until the cheat's result for `jobId` was judged (the job moved past its first attempt). */
  async function rejectedOnce(jobId: string, proverId: string): Promise<void> {
    await waitForJob(client, jobId, (j) => j.attempts >= 1 && j.state === 'JOB_STATE_QUEUED' && j.proverId === proverId, 'rejected and requeued', 120_000);
  }
  async function assertSlashed(jobId: string, cheatOp: string, re: RegExp): Promise<void> {
    const es = await admin.ledger({ jobId });
    const slash = es.filter((e) => e.reason === 'slash_compensation' && e.account === 'local-client');
    assert.strictEqual(slash.length, 1, `one slash on job ${jobId}: ${JSON.stringify(es.map((e) => [e.account, e.reason, e.amount]))}`);
    assert.match(slash[0].explanation, re);
    assert.ok(!es.some((e) => e.reason === 'payout' && e.account === cheatOp), 'the cheat was paid');
  }

  it('a replayed proof of another job is rejected, slashed and never delivered; the job is proved again', async () => {
    const rep = await cheat('replay-proof', 'replayer');
    const ia = input(); const ib = input();
    const a = await client.waitDone((await submit(ia, 'replay-a')).id, 120_000);
    assert.strictEqual(a.proverId, rep.proverId, 'the first job (honestly proved) went to the cheap prover');
    assert.deepStrictEqual(JSON.parse(a.proof!.publicJson), publicOf(ia));
    const b = await submit(ib, 'replay-b');
    await rejectedOnce(b.id, rep.proverId);
    await rep.proc.waitFor(new RegExp(`job ${b.id}: rejected — .*another statement`), 30_000);
    await honest();
    const done = await client.waitDone(b.id, 120_000);
    assert.strictEqual(done.state, 'JOB_STATE_DONE', done.error);
    assert.deepStrictEqual(JSON.parse(done.proof!.publicJson), publicOf(ib), 'the client got a proof of its own statement');
    assert.notStrictEqual(done.proverId, rep.proverId);
    await assertSlashed(b.id, 'op-replayer', new RegExp(`slashed 10 .*job ${b.id}.*another statement: public signal y \\(#1\\) is ${publicOf(ia)[0].slice(0, 10)}.*the job's input gives ${publicOf(ib)[0].slice(0, 10)}`));
  });

  it('a valid proof of other public inputs is rejected and slashed', async () => {
    const oth = await cheat('other-statement', 'other');
    const i = input();
    const j = await submit(i, 'other');
    await rejectedOnce(j.id, oth.proverId);
    await honest();
    const done = await client.waitDone(j.id, 120_000);
    assert.deepStrictEqual(JSON.parse(done.proof!.publicJson), publicOf(i));
    await assertSlashed(j.id, 'op-other', /another statement: public signal y \(#1\) is \d.*the job's input gives/);
  });

  it('a wrong-curve (malformed) proof is rejected and slashed', async () => {
    const wc = await cheat('wrong-curve', 'wrongcurve');
    const i = input();
    const j = await submit(i, 'wrongcurve');
    await rejectedOnce(j.id, wc.proverId);
    await honest();
    const done = await client.waitDone(j.id, 120_000);
    assert.deepStrictEqual(JSON.parse(done.proof!.publicJson), publicOf(i));
    await assertSlashed(j.id, 'op-wrongcurve', /malformed proof/);
  });

  it('a false "bad input" claim fails nothing: the job is requeued elsewhere and the claimant slashed', async () => {
    const liar = await cheat('false-bad-input', 'liar');
    const i = input();
    const j = await submit(i, 'liar');
    await rejectedOnce(j.id, liar.proverId);
    await honest();
    const done = await client.waitDone(j.id, 120_000);
    assert.strictEqual(done.state, 'JOB_STATE_DONE', done.error);
    assert.deepStrictEqual(JSON.parse(done.proof!.publicJson), publicOf(i));
    await assertSlashed(j.id, 'op-liar', /false claim that the input of job .* is bad .*computed a witness/);
  });

  it('a client\'s witness that does not satisfy the circuit: FAILED at submit (R1CS), refunded, no prover blamed', async () => {
    const out: { type: 'mem'; data?: Uint8Array } = { type: 'mem' };
    await snarkjs.wtns.calculate(input(), f.wasm, out);
    const bad = Buffer.from(out.data!);
    const w = decodeWtns(bad);
    // Change the last wire (an intermediate product): public signals untouched, one constraint broken.
    const last = bad.length - 32;
    bad[last] ^= 1;
    assert.notDeepStrictEqual(decodeWtns(bad).values.at(-1), w.values.at(-1));
    const j = await client.submit({ circuit: 'mul3', witness: bad, requestId: `badwtns-${rnd.seed}`, maxPrice: 20n });
    jobs.push(j);
    const failed = await client.waitDone(j.id, 60_000);
    assert.strictEqual(failed.state, 'JOB_STATE_FAILED');
    assert.match(failed.error, /witness is bad: the witness does not satisfy the circuit: constraint #\d+ of \d+ is not satisfied/);
    assert.strictEqual(failed.proof, null);
    const es = await admin.ledger({ jobId: j.id });
    assert.ok(es.some((e) => e.reason === 'refund' && e.account === 'local-client'), 'refunded');
    assert.ok(!es.some((e) => /slash/.test(e.reason)), 'nobody slashed');
  });

  it('a client\'s input that fails witness generation: FAILED right after submit with the circuit\'s message, refunded, no prover blamed', async () => {
    const ex = exampleCircuits().find((c) => c.name === 'example_bn254')!;
    await registerExample(client, ex);
    await honest();
    const bad = { ...ex.input, n: (BigInt(String(ex.input.n)) + 1n).toString() }; // a · b ≠ n
    const j = await client.submit({ circuit: ex.name, input: bad, requestId: `badinput-${rnd.seed}`, maxPrice: 20n });
    jobs.push(j);
    const failed = await client.waitDone(j.id, 60_000);
    assert.strictEqual(failed.state, 'JOB_STATE_FAILED');
    assert.match(failed.error, /the job's input is bad: witness generation failed: .*Assert Failed/);
    const es = await admin.ledger({ jobId: j.id });
    assert.ok(es.some((e) => e.reason === 'refund' && e.account === 'local-client'), 'refunded');
    assert.ok(!es.some((e) => /slash|payout/.test(e.reason)), 'nobody slashed or paid');
  });

  it('without an R1CS, two independent provers failing a witness conclude it is bad; neither is blamed', async () => {
    const s = await mul3Setups();
    await client.registerCircuit({ name: 'mul3-nor1cs', wasm: s.wasm, zkey: s.zkey1, vkey: s.vkey1 });
    const out: { type: 'mem'; data?: Uint8Array } = { type: 'mem' };
    await snarkjs.wtns.calculate(input(), s.wasm, out);
    const bad = Buffer.from(out.data!);
    bad[bad.length - 32] ^= 1;
    await honest('honest-a', honestKey);
    await honest('honest-b', honest2Key);
    const j = await client.submit({ circuit: 'mul3-nor1cs', witness: bad, requestId: `nor1cs-${rnd.seed}`, maxPrice: 20n });
    jobs.push(j);
    const failed = await client.waitDone(j.id, 180_000);
    assert.strictEqual(failed.state, 'JOB_STATE_FAILED');
    assert.match(failed.error, /proofs from 2 operators failed verification on the job's witness .*without the circuit's R1CS the broker cannot tell a bad witness from dishonest provers \(register the circuit with --r1cs\)/);
    const es = await admin.ledger({ jobId: j.id });
    assert.ok(es.some((e) => e.reason === 'refund'), 'refunded');
    assert.ok(!es.some((e) => /slash/.test(e.reason)), 'no prover slashed for the client\'s witness');
    assert.ok(!es.some((e) => e.reason === 'payout'), 'nobody paid');
  });

  it('without an R1CS, a client and a prover in collusion cannot get an honest prover slashed: a verified proof does not show it proved the same witness', async () => {
    // The client submits a witness with one private wire flipped (public signals intact): the honest
    // prover's proof fails the pairing and is set aside. The colluding prover then proves the
    // unflipped witness, which has the same public signals and verifies. That proof says nothing
    // about the witness the honest prover was given, so nobody may be slashed for the first failure.
    const s = await mul3Setups();
    await client.registerCircuit({ name: 'mul3-nor1cs', wasm: s.wasm, zkey: s.zkey1, vkey: s.vkey1 }); // idempotent
    const i = input();
    const out: { type: 'mem'; data?: Uint8Array } = { type: 'mem' };
    await snarkjs.wtns.calculate(i, s.wasm, out);
    const good = Buffer.from(out.data!);
    const bad = Buffer.from(good); bad[bad.length - 32] ^= 1;
    const victimKey = await newOperator(admin, 'op-victim', 1000n); deposits.total += 1000n;
    const v = await startProverProc(broker, { name: 'victim', apiKey: victimKey, price: 10, backend: 'snarkjs' });
    stopAfter.push({ kill: () => v.proc.kill() });
    const j = await client.submit({ circuit: 'mul3-nor1cs', witness: bad, requestId: `collude-${rnd.seed}`, maxPrice: 20n });
    jobs.push(j);
    await rejectedOnce(j.id, v.proverId);
    await v.proc.kill(); stopAfter.pop();

    const colluderKey = await newOperator(admin, 'op-colluder', 1000n); deposits.total += 1000n;
    const raw = new RawProver(broker.address, { apiKey: colluderKey });
    stopAfter.push({ kill: async () => raw.close() });
    const reg = await raw.register({ key: `colluder-${rnd.seed}`, price: '10' });
    const sess = raw.hello(reg.proverId, reg.proverSecret, reg.sessionEpoch);
    const deadline = Date.now() + 60_000;
    let a: NonNullable<(typeof sess.messages)[number]['assignment']> | undefined;
    while (!(a = sess.messages.find((m) => m.assignment?.jobId === j.id)?.assignment ?? undefined) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(a, `the colluder got the job: ${JSON.stringify(sess.messages.map((m) => Object.keys(m)))}`);
    sess.write({ heartbeat: { leaseTokens: [a.leaseToken] } });
    const { proof, publicSignals } = await snarkjs.groth16.prove(s.zkey1, good);
    sess.write({ result: { jobId: j.id, leaseToken: a.leaseToken, proof: { proofJson: JSON.stringify(proof), publicJson: JSON.stringify(publicSignals) }, backend: 'snarkjs', proveMs: 1 } });
    const done = await client.waitDone(j.id, 120_000);
    assert.strictEqual(done.state, 'JOB_STATE_DONE', done.error);
    assert.deepStrictEqual(JSON.parse(done.proof!.publicJson), publicOf(i));
    const es = await admin.ledger({ jobId: j.id });
    assert.ok(!es.some((e) => /slash/.test(e.reason)), `the honest prover was slashed: ${JSON.stringify(es.map((e) => [e.account, e.reason, e.amount]))}`);
    assert.strictEqual((await admin.balance('op-victim')).available, '1000', 'the honest operator keeps its whole stake');
  });

  it('an un-contributed key is refused; with --allow-insecure-setup it is flagged everywhere (a forged proof goes through); a vkey of another contribution is refused', async () => {
    const s = await mul3Setups();
    await expectRpcError(client.registerCircuit({ name: 'mul3-z0', wasm: s.wasm, zkey: s.zkey0, vkey: s.vkey0, r1cs: s.r1cs }),
      grpc.status.FAILED_PRECONDITION, /no phase-2 contribution.*--allow-insecure-setup/);
    await expectRpcError(client.registerCircuit({ name: 'mul3-z12', wasm: s.wasm, zkey: s.zkey1, vkey: s.vkey2 }),
      grpc.status.INVALID_ARGUMENT, /vk_delta_2 differs from the zkey's/);
    assert.ok(!(await client.listCircuits()).some((c) => c.name === 'mul3-z0' || c.name === 'mul3-z12'), 'nothing registered');

    // The CLI says the same, and shows the mark.
    const cli = (extra: string[]) => runCli(['circuit', 'add', 'mul3-z0', '--wasm', s.wasm, '--zkey', s.zkey0, '--vkey', s.vkey0, '--r1cs', s.r1cs,
      '--broker', broker.address, '--api-key', broker.keys.client, ...extra]);
    const refused = await cli([]);
    assert.notStrictEqual(refused.code, 0);
    assert.match(refused.stderr, /FAILED_PRECONDITION.*no phase-2 contribution.*--allow-insecure-setup/s);
    const allowed = await cli(['--allow-insecure-setup']);
    assert.strictEqual(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stdout, /WARNING: INSECURE SETUP/);
    assert.match((await runCli(['circuits', '--broker', broker.address, '--api-key', broker.keys.client])).stdout, /mul3-z0 \(INSECURE SETUP\)/);

    // Registering the same again through the API is idempotent and says it too.
    const reg = await client.registerCircuit({ name: 'mul3-z0', wasm: s.wasm, zkey: s.zkey0, vkey: s.vkey0, r1cs: s.r1cs, allowInsecureSetup: true });
    assert.strictEqual(reg.insecure, true);
    assert.strictEqual((await client.getCircuit('mul3-z0')).insecure, true);
    assert.strictEqual((await client.listCircuits()).find((c) => c.name === 'mul3-z0')!.insecure, true);
    assert.strictEqual((await client.getCircuit('mul3')).insecure, false);
    const forgerKey = await newOperator(admin, 'op-forger', 1000n); deposits.total += 1000n;
    const forger = await startProverProc(broker, { name: 'forger', fault: 'forge', apiKey: forgerKey, price: 10, backend: 'snarkjs' });
    stopAfter.push({ kill: () => forger.proc.kill() });
    const i = input();
    const j = await client.submit({ circuit: 'mul3-z0', input: i, requestId: `forge-${rnd.seed}`, maxPrice: 20n });
    jobs.push(j);
    assert.strictEqual(j.circuitInsecure, true, 'the job says its circuit is insecure from the start');
    const done = await client.waitDone(j.id, 120_000);
    assert.strictEqual(done.state, 'JOB_STATE_DONE', done.error);
    assert.strictEqual(done.circuitInsecure, true);
    assert.match((await runCli(['jobs', '--broker', broker.address, '--api-key', broker.keys.client])).stdout, new RegExp(`${j.id} .*INSECURE SETUP`));
    assert.match((await runCli(['job', j.id, '--broker', broker.address, '--api-key', broker.keys.client])).stdout, /INSECURE SETUP: its proofs can be forged/);
    const vk0 = JSON.parse(fs.readFileSync(s.vkey0, 'utf8'));
    assert.deepStrictEqual(JSON.parse(done.proof!.proofJson).pi_a, vk0.vk_alpha_1, 'a forgery (A = alpha) was accepted: that is why the key is flagged');
    assert.deepStrictEqual(JSON.parse(done.proof!.publicJson), publicOf(i));
  });

  it('money: every transaction balances, every job ended paid once or refunded, nothing locked', async () => {
    const final = await Promise.all(jobs.map((j) => client.getJob(j.id)));
    await checkMoney(admin, final, deposits.total);
  });
});
