// gRPC integration tests: the real broker on 127.0.0.1 with the real client library, and a prover
// driven from the test over the real ProverHub stream producing real snarkjs proofs.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import { startBroker, type RunningBroker } from '../../broker';
import { MarketClient, MarketError, type Job } from '../../src/client/market';
import { sha256Hex } from '../../src/common/hash';
import { AccountsClient } from '../../src/client/accounts';
import { clientOptions } from '../../src/common/connect';
import { newMarketClient, newProverHubClient } from '../../src/common/proto';
import { snarkjs, TestProver } from './driver';
import { fixture, prng, randomSeed, rmrf, tmpDir } from './helpers';
import { waitForJob } from '../helpers/market';

const BN = fixture('bn254');
const BLS = fixture('bls12-381');
const R_BN254 = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

async function rejects(p: Promise<unknown>, code: grpc.status, re: RegExp): Promise<MarketError> {
  try { await p; } catch (e) {
    assert.ok(e instanceof MarketError, `expected MarketError, got ${e}`);
    assert.strictEqual(e.codeName, grpc.status[code], `code of "${e.message}"`);
    assert.match(e.message, re);
    return e;
  }
  assert.fail(`expected ${grpc.status[code]} matching ${re}`);
}

function artifactFiles(dataDir: string): string[] {
  const d = path.join(dataDir, 'artifacts');
  const top = fs.readdirSync(d).filter((f) => f !== 'tmp');
  return [...top, ...fs.readdirSync(path.join(d, 'tmp')).map((f) => `tmp/${f}`)];
}

describe('broker over gRPC', function () {
  this.timeout(120_000);
  const seed = randomSeed();
  const rnd = prng(seed);
  const small = () => String(1 + Math.floor(rnd() * 1e9));
  const input = () => ({ a: small(), b: [small(), small(), small()], c: small() });
  let dir: string; let broker: RunningBroker; let client: MarketClient; let admin: AccountsClient;
  const key = (name: string) => fs.readFileSync(path.join(dir, `${name}.key`), 'utf8').trim();
  /** Options for a raw gRPC client of the local client account. */
  const auth = () => clientOptions({ apiKey: key('client') });
  const provers: TestProver[] = [];
  const logs: string[] = [];
  before(() => { console.log(`      seed ${seed} (replay with PM_SEED=${seed})`); });
  after(() => rmrf(TestProver.cacheDir));

  async function start(extra: Partial<Parameters<typeof startBroker>[0]> = {}) {
    // Leases long enough that an in-process snarkjs proof (which blocks this event loop for a while,
    // broker included) never lapses by accident; the lease tests restart with short ones.
    broker = await startBroker({ listen: '127.0.0.1:0', dataDir: dir, leaseMs: 10_000, sweepMs: 100, localAccounts: true, log: (l) => logs.push(l), ...extra });
    client = new MarketClient(broker.address, { apiKey: key('client') });
    admin = new AccountsClient(broker.address, { apiKey: key('admin') });
    TestProver.defaultApiKey = key('prover');
  }
  function prover(key: string, ...rest: ConstructorParameters<typeof TestProver> extends [string, string, ...infer R] ? R : never) {
    const p = new TestProver(broker.address, key, ...rest);
    provers.push(p);
    return p;
  }
  const regBn = (name = 'mul3') => client.registerCircuit({ name, wasm: BN.wasm, zkey: BN.zkey, vkey: BN.vkey, r1cs: BN.r1cs, sym: BN.sym, description: 'test bn254' });
  const regBls = (name = 'mul3-bls') => client.registerCircuit({ name, wasm: BLS.wasm, zkey: BLS.zkey, vkey: BLS.vkey });

  beforeEach(async () => { dir = tmpDir('grpc'); logs.length = 0; await start(); });
  afterEach(async function () {
    for (const p of provers.splice(0)) p.close();
    client.close(); admin.close();
    await broker.close();
    if (this.currentTest?.state === 'failed') console.log(logs.slice(-40).join('\n'));
    rmrf(dir);
  });

  async function verifyDone(j: Job, vkeyPath: string) {
    assert.strictEqual(j.state, 'JOB_STATE_DONE', `job ${j.id}: ${j.error}`);
    assert.ok(j.proof, 'DONE job carries its proof');
    const ok = await snarkjs.groth16.verify(JSON.parse(fs.readFileSync(vkeyPath, 'utf8')), JSON.parse(j.proof.publicJson), JSON.parse(j.proof.proofJson));
    assert.strictEqual(ok, true, 'snarkjs accepts the returned proof');
  }

  describe('registration', () => {
    it('registers the example circuits and reads their zkey headers', async () => {
      const progress: number[] = [];
      const c = await client.registerCircuit({ name: 'mul3', wasm: BN.wasm, zkey: BN.zkey, vkey: BN.vkey, r1cs: BN.r1cs, sym: BN.sym, onProgress: (s) => progress.push(s) });
      assert.strictEqual(c.curve, 'CURVE_BN254'); assert.strictEqual(c.protocol, 'groth16');
      assert.strictEqual(c.nPublic, 2); assert.strictEqual(c.constraints, '4'); assert.strictEqual(c.domainLog2, 3);
      // Circuit ids are per owner: sha256(owner account id, zkey sha256).
      const owner = (await admin.listAccounts()).find((a) => a.name === 'local-client')!.id;
      assert.strictEqual(c.id, 'c_' + sha256Hex(Buffer.from(`${owner}\n${sha256Hex(fs.readFileSync(BN.zkey))}`)).slice(0, 16));
      assert.deepStrictEqual(c.artifacts.map((a) => a.kind), ['ARTIFACT_KIND_WASM', 'ARTIFACT_KIND_ZKEY', 'ARTIFACT_KIND_VKEY', 'ARTIFACT_KIND_R1CS', 'ARTIFACT_KIND_SYM']);
      assert.ok(progress.length >= 5 && progress[progress.length - 1] === c.artifacts.reduce((s, a) => s + Number(a.size), 0));
      for (const a of c.artifacts) assert.ok(fs.existsSync(path.join(dir, 'artifacts', a.sha256)), `artifact ${a.kind} stored by hash`);
      const b = await regBls();
      assert.strictEqual(b.curve, 'CURVE_BLS12_381'); assert.strictEqual(b.nPublic, 2);
      // Same name, same artifacts: idempotent.
      assert.strictEqual((await regBn()).id, c.id);
      assert.strictEqual((await client.getCircuit('mul3')).id, c.id);
      assert.strictEqual((await client.getCircuit(c.id)).name, 'mul3');
      assert.deepStrictEqual((await client.listCircuits()).map((x) => x.name).sort(), ['mul3', 'mul3-bls']);
      await rejects(client.getCircuit('nope'), grpc.status.NOT_FOUND, /unknown circuit "nope"/);
      // Same name, different artifacts.
      await rejects(client.registerCircuit({ name: 'mul3', wasm: BLS.wasm, zkey: BLS.zkey, vkey: BLS.vkey }), grpc.status.ALREADY_EXISTS, /already registered/);
    });

    it('rejects an artifact whose bytes do not match its declared sha256 — nothing registered', async () => {
      // Flip one byte of the zkey after the client hashed it, by sending bytes and lying in the header.
      const raw = newMarketClient(broker.address, undefined, auth());
      const zkey = fs.readFileSync(BN.zkey); const bad = Buffer.from(zkey); bad[100] ^= 1;
      const wasm = fs.readFileSync(BN.wasm); const vkey = fs.readFileSync(BN.vkey);
      const err = await new Promise<grpc.ServiceError>((resolve) => {
        const call = raw.registerCircuit((e) => resolve(e!));
        call.write({ header: { name: 'bad', artifacts: [
          { kind: 'ARTIFACT_KIND_WASM', size: String(wasm.length), sha256: sha256Hex(wasm) },
          { kind: 'ARTIFACT_KIND_ZKEY', size: String(zkey.length), sha256: sha256Hex(zkey) },
          { kind: 'ARTIFACT_KIND_VKEY', size: String(vkey.length), sha256: sha256Hex(vkey) }] } });
        call.write({ chunk: { kind: 'ARTIFACT_KIND_WASM', offset: '0', data: wasm } });
        call.write({ chunk: { kind: 'ARTIFACT_KIND_ZKEY', offset: '0', data: bad } });
        call.write({ chunk: { kind: 'ARTIFACT_KIND_VKEY', offset: '0', data: vkey } });
        call.end();
      });
      raw.close();
      assert.strictEqual(err.code, grpc.status.INVALID_ARGUMENT);
      assert.match(err.details, /artifact ZKEY: sha256 mismatch: declared [0-9a-f]{64}, received bytes hash to [0-9a-f]{64}/);
      assert.deepStrictEqual(await client.listCircuits(), []);
      assert.deepStrictEqual(artifactFiles(dir), [], 'no artifact file left behind');
    });

    it('rejects a truncated upload — nothing half-registered', async () => {
      const raw = newMarketClient(broker.address, undefined, auth());
      const zkey = fs.readFileSync(BN.zkey); const wasm = fs.readFileSync(BN.wasm); const vkey = fs.readFileSync(BN.vkey);
      const err = await new Promise<grpc.ServiceError>((resolve) => {
        const call = raw.registerCircuit((e) => resolve(e!));
        call.write({ header: { name: 'trunc', artifacts: [
          { kind: 'ARTIFACT_KIND_WASM', size: String(wasm.length), sha256: sha256Hex(wasm) },
          { kind: 'ARTIFACT_KIND_ZKEY', size: String(zkey.length), sha256: sha256Hex(zkey) },
          { kind: 'ARTIFACT_KIND_VKEY', size: String(vkey.length), sha256: sha256Hex(vkey) }] } });
        call.write({ chunk: { kind: 'ARTIFACT_KIND_WASM', offset: '0', data: wasm } });
        call.write({ chunk: { kind: 'ARTIFACT_KIND_ZKEY', offset: '0', data: zkey.subarray(0, 3000) } });
        call.write({ chunk: { kind: 'ARTIFACT_KIND_VKEY', offset: '0', data: vkey } });
        call.end();
      });
      raw.close();
      assert.strictEqual(err.code, grpc.status.INVALID_ARGUMENT);
      assert.match(err.details, new RegExp(`artifact ZKEY: upload truncated: declared ${zkey.length} bytes, received 3000`));
      assert.deepStrictEqual(await client.listCircuits(), []);
      assert.deepStrictEqual(artifactFiles(dir), []);
      await rejects(client.getCircuit('trunc'), grpc.status.NOT_FOUND, /unknown circuit/);
    });

    it('rejects an upload cut off mid-stream by the client', async () => {
      const raw = newMarketClient(broker.address, undefined, auth());
      const zkey = fs.readFileSync(BN.zkey);
      const call = raw.registerCircuit(() => { /* cancelled */ });
      call.write({ header: { name: 'cut', artifacts: [
        { kind: 'ARTIFACT_KIND_WASM', size: '10', sha256: 'a'.repeat(64) },
        { kind: 'ARTIFACT_KIND_ZKEY', size: String(zkey.length), sha256: sha256Hex(zkey) },
        { kind: 'ARTIFACT_KIND_VKEY', size: '10', sha256: 'b'.repeat(64) }] } });
      call.write({ chunk: { kind: 'ARTIFACT_KIND_ZKEY', offset: '0', data: zkey.subarray(0, 1000) } });
      await new Promise((r) => setTimeout(r, 200));
      call.cancel();
      await new Promise((r) => setTimeout(r, 300));
      raw.close();
      assert.deepStrictEqual(artifactFiles(dir), []);
      assert.deepStrictEqual(await client.listCircuits(), []);
    });

    it('rejects a zkey that is not Groth16 (PLONK)', async () => {
      await rejects(client.registerCircuit({ name: 'plonk', wasm: BN.wasm, zkey: path.join(BN.dir, 'mul3.plonk.zkey'), vkey: BN.vkey }),
        grpc.status.INVALID_ARGUMENT, /zkey is not a Groth16 key: its protocol is plonk/);
      assert.deepStrictEqual(artifactFiles(dir), []);
    });

    it('rejects a vkey whose curve does not match the zkey', async () => {
      await rejects(client.registerCircuit({ name: 'mixed', wasm: BN.wasm, zkey: BN.zkey, vkey: BLS.vkey }),
        grpc.status.INVALID_ARGUMENT, /vkey curve "bls12381" does not match the zkey's curve BN254/);
      // Same curve, but exported from another zkey: caught by vk_alpha_1.
      const other = JSON.parse(fs.readFileSync(BN.vkey, 'utf8'));
      other.vk_alpha_1 = other.IC[0];
      await rejects(client.registerCircuit({ name: 'mixed2', wasm: BN.wasm, zkey: BN.zkey, vkey: Buffer.from(JSON.stringify(other)) }),
        grpc.status.INVALID_ARGUMENT, /vk_alpha_1 differs/);
      assert.deepStrictEqual(await client.listCircuits(), []);
    });

    it('rejects bad names, missing artifacts and oversized uploads', async () => {
      await rejects(client.registerCircuit({ name: 'bad name!', wasm: BN.wasm, zkey: BN.zkey, vkey: BN.vkey }), grpc.status.INVALID_ARGUMENT, /circuit name "bad name!" is invalid/);
      // Refused at the header while the client still has megabytes to stream: the client stops, no hang.
      await rejects(client.registerCircuit({ name: 'bad name!', wasm: BN.wasm, zkey: BN.zkey, vkey: Buffer.alloc(6 << 20, 0x20) }), grpc.status.INVALID_ARGUMENT, /is invalid/);
      const raw = newMarketClient(broker.address, undefined, auth());
      const send = (artifacts: { kind: 'ARTIFACT_KIND_WASM' | 'ARTIFACT_KIND_ZKEY' | 'ARTIFACT_KIND_VKEY'; size: string; sha256: string }[]) =>
        new Promise<grpc.ServiceError>((resolve) => {
          const call = raw.registerCircuit((e) => resolve(e!));
          call.write({ header: { name: 'x', artifacts } }); call.end();
        });
      const e1 = await send([{ kind: 'ARTIFACT_KIND_WASM', size: '1', sha256: 'a'.repeat(64) }]);
      assert.strictEqual(e1.code, grpc.status.INVALID_ARGUMENT); assert.match(e1.details, /artifact ZKEY is required/);
      const e2 = await send([{ kind: 'ARTIFACT_KIND_WASM', size: String(5 * 1024 ** 3), sha256: 'a'.repeat(64) }]);
      assert.strictEqual(e2.code, grpc.status.RESOURCE_EXHAUSTED); assert.match(e2.details, /exceeds this broker's limit/);
      raw.close();
    });
  });

  describe('submit validation', () => {
    it('unknown circuit → NOT_FOUND', async () => {
      await rejects(client.submit({ circuit: 'no-such-circuit', input: input() }), grpc.status.NOT_FOUND, /unknown circuit "no-such-circuit"/);
    });

    it('missing / extra / out-of-field / malformed signals → INVALID_ARGUMENT naming the signal (r1cs+sym circuit)', async () => {
      await regBn();
      const ok = input();
      const { c: _c, ...noC } = ok;
      await rejects(client.submit({ circuit: 'mul3', input: noC }), grpc.status.INVALID_ARGUMENT, /input "c" is missing/);
      await rejects(client.submit({ circuit: 'mul3', input: { ...ok, d: '1' } }), grpc.status.INVALID_ARGUMENT, /input "d" is not an input of this circuit/);
      await rejects(client.submit({ circuit: 'mul3', input: { ...ok, b: [ok.b[0], ok.b[1], R_BN254.toString()] } }), grpc.status.INVALID_ARGUMENT,
        /input "b\[2\]" is not below the BN254 scalar field modulus/);
      // −v is r − v (as circom and snarkjs read it); −r and below are refused like r and above.
      await rejects(client.submit({ circuit: 'mul3', input: { ...ok, a: '-' + R_BN254.toString() } }), grpc.status.INVALID_ARGUMENT, /input "a" is not above −r of the BN254/);
      await rejects(client.submit({ circuit: 'mul3', input: { ...ok, a: 'abc' } }), grpc.status.INVALID_ARGUMENT, /input "a" is "abc", not an integer/);
      await rejects(client.submit({ circuit: 'mul3', input: { ...ok, b: [1, 2] } }), grpc.status.INVALID_ARGUMENT, /input "b" has 2 values, the circuit expects 3/);
      await rejects(client.submit({ circuit: 'mul3', input: '{"a": 1,' }), grpc.status.INVALID_ARGUMENT, /input_json is not valid JSON/);
      // Just below r is fine.
      const j = await client.submit({ circuit: 'mul3', input: { ...ok, c: (R_BN254 - 1n).toString() } });
      assert.strictEqual(j.state, 'JOB_STATE_QUEUED');
    });

    it('same checks from the wasm alone when no r1cs/sym was registered', async () => {
      await regBls();
      const ok = input();
      const { b: _b, ...noB } = ok;
      await rejects(client.submit({ circuit: 'mul3-bls', input: noB }), grpc.status.INVALID_ARGUMENT, /3 input values are missing/);
      await rejects(client.submit({ circuit: 'mul3-bls', input: { ...ok, zz: 1 } }), grpc.status.INVALID_ARGUMENT, /input "zz" is not an input/);
      const rBls = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;
      await rejects(client.submit({ circuit: 'mul3-bls', input: { ...ok, b: [1, rBls.toString(), 3] } }), grpc.status.INVALID_ARGUMENT,
        /input "b\[1\]" is not below the BLS12-381 scalar field modulus/);
      // A value fine for BLS12-381 but above BN254's r is accepted here (field of the circuit's curve).
      assert.strictEqual((await client.submit({ circuit: 'mul3-bls', input: { ...ok, c: R_BN254.toString() } })).state, 'JOB_STATE_QUEUED');
    });

    it('checks a supplied witness: header, field, length', async () => {
      await regBn(); await regBls();
      const wtnsFile = path.join(dir, 'w.wtns');
      await (require('snarkjs') as { wtns: { calculate(i: unknown, w: string, o: string): Promise<void> } }).wtns.calculate(input(), BN.wasm, wtnsFile);
      const w = fs.readFileSync(wtnsFile);
      const j = await client.submit({ circuit: 'mul3', witness: w });
      assert.strictEqual(j.state, 'JOB_STATE_QUEUED');
      await rejects(client.submit({ circuit: 'mul3', witness: Buffer.from('not a witness file') }), grpc.status.INVALID_ARGUMENT, /bad magic, expected "wtns"/);
      await rejects(client.submit({ circuit: 'mul3', witness: w.subarray(0, w.length - 32) }), grpc.status.INVALID_ARGUMENT, /truncated/);
      await rejects(client.submit({ circuit: 'mul3-bls', witness: w }), grpc.status.INVALID_ARGUMENT, /different field/);
    });

    it('duplicate request_id → the same job; reused with a different payload → ALREADY_EXISTS', async () => {
      await regBn();
      const inp = input();
      const a = await client.submit({ requestId: 'req-1', circuit: 'mul3', input: inp });
      const b = await client.submit({ requestId: 'req-1', circuit: 'mul3', input: inp });
      assert.strictEqual(b.id, a.id);
      assert.strictEqual((await client.listJobs()).length, 1);
      await rejects(client.submit({ requestId: 'req-1', circuit: 'mul3', input: { ...inp, c: '999' } }), grpc.status.ALREADY_EXISTS, /request_id "req-1" was already used/);
    });

    it('partitioned: the payloads are checked one by one (the error names the partition); nothing is held for a refused job', async () => {
      await regBn();
      const raw = (o: object) => new Promise<unknown>((resolve, reject) => {
        const c = newMarketClient(broker.address, undefined, auth());
        c.submitJob({ circuit: 'mul3', maxPrice: '0', ...o }, (e: Error | null, r: unknown) => { c.close(); if (e) reject(e); else resolve(r); });
      });
      const code = async (o: object, c: grpc.status, re: RegExp) => {
        const e = await raw(o).then(() => null, (x: grpc.ServiceError) => x);
        assert.ok(e, 'refused'); assert.strictEqual(e!.code, c, e!.message); assert.match(e!.details, re);
      };
      const js = (i: object) => ({ inputJson: JSON.stringify(i) });
      await code({ partitions: [js(input())] }, grpc.status.INVALID_ARGUMENT, /at least 2 partitions/);
      await code({ inputJson: JSON.stringify(input()), partitions: [js(input()), js(input())] }, grpc.status.INVALID_ARGUMENT, /not in input_json\/witness/);
      await code({ partitions: [js(input()), js(input()), js({ a: '1', b: ['1', '2'], c: '3' })] }, grpc.status.INVALID_ARGUMENT, /^partition 2: .*\bb\b/);
      await code({ partitions: [js(input()), {}] }, grpc.status.INVALID_ARGUMENT, /^partition 1: either input_json or witness is required/);
      assert.deepStrictEqual(await client.listJobs(), []);
      const g = await client.submitPartitioned({ requestId: 'sector-7', circuit: 'mul3', inputs: [input(), input()] });
      await rejects(client.submit({ requestId: 'sector-7', circuit: 'mul3', input: input() }), grpc.status.ALREADY_EXISTS,
        new RegExp(`request_id "sector-7" was already used for job ${g.id} \\(a partitioned job of 2 partitions\\)`));
      await rejects(client.cancel(`${g.id}.1`), grpc.status.FAILED_PRECONDITION, new RegExp(`partition 1 of job ${g.id}: cancel the job`));
      assert.strictEqual((await client.cancel(g.id)).state, 'JOB_STATE_CANCELLED');
      await admin.deposit('local-client', 250n);
      await rejects(client.submitPartitioned({ circuit: 'mul3', inputs: [input(), input(), input()], maxPrice: 100n }), grpc.status.FAILED_PRECONDITION,
        /250 micro-credits available, the job holds 3 × 100 = 300 in escrow/);
      assert.strictEqual((await admin.balance('local-client')).escrow, '0');
    });

    it('partitioned: a partition that fails for good ends the job FAILED, the other partitions cancelled and refunded', async () => {
      await broker.close();
      await start({ maxAttempts: 1 });
      await regBn();
      await admin.deposit('local-client', 1000n); await admin.deposit('local-prover', 1000n, 'stake');
      const bad = prover('cheat', 'corrupt', { price: 40 });
      await bad.connect();
      const j = await client.submitPartitioned({ circuit: 'mul3', inputs: [input(), input(), input()], maxPrice: 100n });
      assert.strictEqual(j.partitions.length, 3);
      assert.strictEqual((await admin.balance('local-client')).escrow, '300', 'N × max price held at submit');
      const done = await client.waitDone(j.id, 60_000);
      assert.strictEqual(done.state, 'JOB_STATE_FAILED', done.error);
      assert.match(done.error, /^partition \d: gave up after 1 attempts/);
      assert.deepStrictEqual(done.partitions.map((p) => p.state).sort(), ['JOB_STATE_CANCELLED', 'JOB_STATE_CANCELLED', 'JOB_STATE_FAILED']);
      assert.strictEqual(done.partitionsDone, 0); assert.strictEqual(done.proof, null);
      const cl = await admin.balance('local-client');
      // everything refunded, plus the client's half of the cheat's slashed stake (40)
      assert.deepStrictEqual([cl.escrow, cl.available], ['0', String(1000 + 20)]);
      // (it may have taken a second partition while its first was being verified: that lease was cancelled, unslashed)
      assert.ok(bad.assignments.length < 3, `a partition not started when the job failed never ran (${bad.assignments.length} assignments)`);
    });

    it('deadline in the past → INVALID_ARGUMENT; a passed deadline → EXPIRED', async () => {
      await regBn();
      await rejects(client.submit({ circuit: 'mul3', input: input(), deadlineMs: Date.now() - 1000 }), grpc.status.INVALID_ARGUMENT, /deadline_ms .* in the past/);
      const j = await client.submit({ circuit: 'mul3', input: input(), deadlineMs: Date.now() + 300 });
      const done = await client.waitDone(j.id, 10_000);
      assert.strictEqual(done.state, 'JOB_STATE_EXPIRED'); assert.match(done.error, /deadline .* passed/);
    });
  });

  describe('jobs', () => {
    it('cancel: CANCELLED, then FAILED_PRECONDITION; unknown → NOT_FOUND', async () => {
      await regBn();
      const j = await client.submit({ circuit: 'mul3', input: input() });
      const c = await client.cancel(j.id);
      assert.strictEqual(c.state, 'JOB_STATE_CANCELLED'); assert.match(c.error, /cancelled by the client/);
      await rejects(client.cancel(j.id), grpc.status.FAILED_PRECONDITION, /already CANCELLED/);
      await rejects(client.cancel('j_nope'), grpc.status.NOT_FOUND, /unknown job/);
      await rejects(client.getJob('j_nope'), grpc.status.NOT_FOUND, /unknown job/);
      // The held lease of a cancelled job is revoked at the prover.
      const j2 = await client.submit({ circuit: 'mul3', input: input() });
      const p = prover('silent-1', 'silent');
      await p.connect();
      await p.until(() => p.assignments.length === 1, 10_000, 'assignment');
      await client.cancel(j2.id);
      await p.until(() => p.cancels.some((x) => x.jobId === j2.id && x.reason === 'cancelled'), 10_000, 'cancel');
    });

    it('watch: snapshot, then state changes and progress, ending at DONE with a verified proof (BN254 and BLS12-381)', async () => {
      await regBn(); await regBls();
      const p = prover('honest-1');
      await p.connect();
      for (const [name, fx] of [['mul3', BN], ['mul3-bls', BLS]] as const) {
        const j = await client.submit({ circuit: name, input: input() });
        const events: { kind: string; state: string }[] = [];
        const w = client.watch(j.id, (ev) => events.push({ kind: ev.kind, state: ev.job!.state }));
        const last = await w.done;
        assert.strictEqual(events[0].kind, 'snapshot');
        assert.strictEqual(last!.state, 'JOB_STATE_DONE');
        const states = events.map((e) => e.state);
        assert.ok(states.includes('JOB_STATE_VERIFYING'), `saw ${states.join(',')}`);
        assert.ok(events.some((e) => e.kind === 'progress'), 'progress events reach the watcher');
        await verifyDone(last!, fx.vkey);
        const got = await client.getJob(j.id);
        assert.strictEqual(got.backend, 'snarkjs'); assert.strictEqual(got.attempts, 1); assert.strictEqual(got.proverId, p.proverId);
        // Watching a finished job: one snapshot and the end.
        const again: string[] = [];
        await client.watch(j.id, (ev) => again.push(ev.kind)).done;
        assert.deepStrictEqual(again, ['snapshot']);
      }
      assert.ok(p.acks.every((a) => a.status === 'accepted') && p.acks.length === 2);
      await rejects(client.watch('j_nope', () => {}).done, grpc.status.NOT_FOUND, /unknown job/);
      assert.strictEqual((await client.listJobs({ state: 'DONE' })).length, 2);
      assert.strictEqual((await client.listJobs({ circuit: 'mul3-bls' })).length, 1);
    });

    it('a corrupted proof never reaches the client: rejected, prover marked, job finished by an honest prover', async () => {
      await regBn();
      await admin.deposit('local-client', 1000n); await admin.deposit('local-prover', 100n, 'stake');
      const bad = prover('cheat', 'corrupt', { price: 40 }); // cheapest: gets the job first
      await bad.connect();
      const j = await client.submit({ circuit: 'mul3', input: input(), maxPrice: 100n });
      assert.strictEqual((await admin.balance('local-client')).escrow, '100');
      await bad.until(() => bad.acks.length === 1, 60_000, 'ack');
      assert.strictEqual(bad.acks[0].status, 'rejected');
      const mid = await client.getJob(j.id);
      assert.strictEqual(mid.state, 'JOB_STATE_QUEUED', 'back in the queue, the cheater excluded');
      assert.strictEqual(mid.proof, null);
      const good = prover('honest-2', 'honest', { price: 50 });
      await good.connect();
      const done = await client.waitDone(j.id, 60_000);
      await verifyDone(done, BN.vkey);
      assert.strictEqual(done.proverId, good.proverId); assert.strictEqual(done.attempts, 2);
      assert.strictEqual(bad.assignments.length, 1, 'never reassigned to the prover that cheated');
      // Money: the cheater's stake (40) slashed, 20 to the client; the honest price 50 paid less the 5% fee.
      assert.strictEqual(done.price, '50');
      const cl = await admin.balance('local-client'); const op = await admin.balance('local-prover'); const mk = await admin.balance('market');
      assert.deepStrictEqual([cl.available, cl.escrow], [String(1000 - 50 + 20), '0']);
      assert.deepStrictEqual([op.available, op.stake, op.earnings], [String(100 - 40), '0', String(50 - 2)]);
      assert.strictEqual(mk.fees, String(20 + 2));
      const mine = new AccountsClient(broker.address, { apiKey: key('client') });
      const led = await mine.ledger({ jobId: j.id });
      mine.close();
      assert.ok(led.some((e) => e.reason === 'slash_compensation' && e.account === 'local-client' && e.explanation.includes(bad.proverId)));
    });

    it('a lapsed lease (silent prover) requeues the job; it finishes elsewhere; stale results are refused', async () => {
      await broker.close(); client.close(); admin.close();
      await start({ leaseMs: 1500 });
      await regBn();
      await admin.deposit('local-client', 100n); await admin.deposit('local-prover', 50n, 'stake');
      const silent = prover('silent-2', 'silent', { heartbeat: false, price: 2 });
      await silent.connect();
      const j = await client.submit({ circuit: 'mul3', input: input(), maxPrice: 10n });
      await silent.until(() => silent.assignments.length === 1, 10_000, 'assignment');
      const honest = prover('honest-3', 'honest', { price: 9 });
      await honest.connect();
      const done = await client.waitDone(j.id, 60_000);
      await verifyDone(done, BN.vkey);
      assert.strictEqual(done.proverId, honest.proverId);
      assert.strictEqual(done.attempts, 2);
      assert.ok(silent.cancels.some((c) => c.jobId === j.id && c.reason === 'lease_lost'), 'old holder told its lease is lost');
      // Abandonment: the silent prover's stake (2) slashed, 1 to the client; honest paid 9 (fee rounds to 0).
      const cl = await admin.balance('local-client'); const op = await admin.balance('local-prover');
      assert.deepStrictEqual([cl.available, cl.escrow], ['92', '0']);
      assert.deepStrictEqual([op.available, op.stake, op.earnings], ['48', '0', '9']);
      // The silent prover's late result with its old token is answered "stale".
      const a = silent.assignments[0];
      silent.write({ result: { jobId: a.jobId, leaseToken: a.leaseToken, proof: done.proof!, backend: 'x' } });
      await silent.until(() => silent.acks.some((x) => x.status === 'stale'), 10_000, 'stale ack');
    });

    it('attempts are capped: a job whose every lease lapses ends FAILED with the reason', async () => {
      await broker.close(); client.close(); admin.close();
      await start({ maxAttempts: 2, leaseMs: 400 });
      await regBn();
      const silent = prover('silent-3', 'silent', { heartbeat: false });
      await silent.connect();
      const j = await client.submit({ circuit: 'mul3', input: input() });
      const done = await client.waitDone(j.id, 20_000);
      assert.strictEqual(done.state, 'JOB_STATE_FAILED');
      assert.match(done.error, /gave up after 2 attempts; last: lease of prover .* lapsed/);
    });

    it('a non-retryable "bad input" claim decides nothing: checked, found false, requeued away from the claimant; a retryable error requeues', async () => {
      await regBn();
      const p = prover('flaky', 'fail-final');
      await p.connect();
      const j = await client.submit({ circuit: 'mul3', input: input() });
      // The broker computes the witness itself: the input is fine, so the claim counts against the prover.
      const back = await waitForJob(client, j.id, (x) => x.state === 'JOB_STATE_QUEUED' && x.attempts === 1, 'requeued after the false claim', 20_000);
      assert.match(back.error, /false claim that the input of job .* is bad \(test failure\)/);
      const honest = prover('honest-after-claim', 'honest');
      await honest.connect();
      const done = await client.waitDone(j.id, 20_000);
      assert.strictEqual(done.state, 'JOB_STATE_DONE', done.error);
      honest.close();
      // Retryable errors, this prover alone: retried on it (a transient error), but one operator's
      // give-backs use at most one attempt, so they never FAIL the job, and after 3 of them the job is
      // no longer offered to that operator (no endless bouncing); it ends by its deadline.
      p.behaviour = 'fail-retryable';
      const j2 = await client.submit({ circuit: 'mul3', input: input(), deadlineMs: Date.now() + 4000 });
      const d2 = await client.waitDone(j2.id, 20_000);
      assert.strictEqual(d2.state, 'JOB_STATE_EXPIRED', `${d2.state} ${d2.error}`); assert.strictEqual(d2.attempts, 1);
      const tries = p.assignments.filter((a) => a.jobId === j2.id).length;
      assert.strictEqual(tries, 3, `retried ${tries} time(s) on the only prover`);
    });

    it('a backlog is not re-planned on every submit: with every slot busy, passes are skipped; the sweep still says why jobs wait; a free slot takes the next job', async () => {
      client.close(); admin.close();
      await broker.close();
      const SWEEP_MS = 700;
      await start({ sweepMs: SWEEP_MS, http: '127.0.0.1:0' });
      await regBn();
      const busy = prover('busy', 'silent', { curves: ['CURVE_BN254'] }); // one slot, held
      await busy.connect();
      await client.submit({ circuit: 'mul3', input: input() });
      await busy.until(() => busy.assignments.length === 1, 30_000, 'the first assignment');
      const passes = async () => {
        const text = await (await fetch(`http://${broker.httpAddress}/metrics`)).text();
        const v = (o: string) => Number(new RegExp(`^pm_dispatch_passes_total\\{outcome="${o}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
        return { planned: v('planned'), skipped: v('skipped') };
      };
      const p0 = await passes();
      const t0 = Date.now();
      const waiting = [];
      for (let i = 0; i < 20; i++) waiting.push(await client.submit({ circuit: 'mul3', input: input() }));
      const elapsed = Date.now() - t0;
      const p1 = await passes();
      // Each submit asked for a pass; with no free slot only the sweep's (one per SWEEP_MS) plan the queue.
      assert.ok(p1.skipped - p0.skipped >= 10, `passes skipped while every slot was busy: ${JSON.stringify([p0, p1])}`);
      assert.ok(p1.planned - p0.planned <= Math.ceil(elapsed / SWEEP_MS) + 1, `planned passes in ${elapsed} ms: ${JSON.stringify([p0, p1])}`);
      // The sweep's pass writes why they wait.
      const last = waiting[waiting.length - 1].id;
      for (const end = Date.now() + 20_000; !(await client.getJob(last)).routing && Date.now() < end;) await new Promise((r) => setTimeout(r, 100));
      assert.match((await client.getJob(last)).routing, /.+/, 'a waiting job says why');
      // A prover with a free slot gets the oldest waiting job at once (its hello asks for a pass).
      const free = prover('free', 'silent', { curves: ['CURVE_BN254'] });
      await free.connect();
      await free.until(() => free.assignments.length === 1, 30_000, 'an assignment for the free slot');
      assert.strictEqual(free.assignments[0].jobId, waiting[0].id, 'the oldest waiting job goes first');
    });

    it('a prover with many slots gets a burst of assignments, each exactly once, all on its one stream', async () => {
      await regBn();
      const many = prover('many', 'silent', { curves: ['CURVE_BN254'], slots: 100 });
      await many.connect();
      // Submitted together: their claims commit together and their assignments are written in one turn (batched writes).
      const jobs = await Promise.all(Array.from({ length: 60 }, () => client.submit({ circuit: 'mul3', input: input() })));
      await many.until(() => many.assignments.length >= 60, 60_000, '60 assignments');
      const got = many.assignments.map((a) => a.jobId);
      assert.strictEqual(new Set(got).size, 60, 'no assignment twice');
      assert.deepStrictEqual([...got].sort(), jobs.map((j) => j.id).sort(), 'every job assigned, none other');
      for (const a of many.assignments) assert.ok(a.leaseToken && a.inputJson, `assignment ${a.jobId} is whole`);
    });

    it('restart: queued and leased jobs survive; a reconnecting prover delivers with its old lease token', async () => {
      await regBn();
      const holder = prover('holder', 'silent'); // heartbeats, never answers
      await holder.connect();
      const leased = await client.submit({ circuit: 'mul3', input: input() });
      await holder.until(() => holder.assignments.length === 1, 10_000, 'assignment');
      holder.close();
      const queued = [await client.submit({ circuit: 'mul3', input: input() }), await client.submit({ circuit: 'mul3', input: input() })];
      const address = broker.address;
      client.close();
      await broker.close();
      broker = await startBroker({ listen: address, dataDir: dir, leaseMs: 5000, sweepMs: 100, localAccounts: true, log: (l) => logs.push(l) });
      client = new MarketClient(broker.address, { apiKey: key('client') });
      assert.strictEqual((await client.getJob(leased.id)).state, 'JOB_STATE_ASSIGNED', 'lease kept across the restart');
      // The same prover (same key → same id) comes back and delivers under its old token.
      const back = prover('holder', 'silent');
      back.secret = holder.secret; // the daemon's identity.json, kept across its restart
      await back.connect();
      assert.strictEqual(back.proverId, holder.proverId);
      const a = holder.assignments[0];
      // It did not mention the lease in its first heartbeat, so the broker sends the assignment again.
      await back.until(() => back.assignments.some((x) => x.jobId === a.jobId && x.leaseToken === a.leaseToken), 10_000, 're-sent assignment');
      const { proof, publicSignals } = await snarkjs.groth16.fullProve(JSON.parse(a.inputJson!), BN.wasm, BN.zkey);
      back.write({ result: { jobId: a.jobId, leaseToken: a.leaseToken, proof: { proofJson: JSON.stringify(proof), publicJson: JSON.stringify(publicSignals) }, backend: 'snarkjs' } });
      const d = await client.waitDone(leased.id, 30_000);
      await verifyDone(d, BN.vkey);
      assert.strictEqual(d.attempts, 1, 'proved once');
      assert.ok(back.acks.some((x) => x.jobId === leased.id && x.status === 'accepted'));
      // The same result sent again (a prover that missed the ack) is acknowledged, not proved twice.
      const nAcks = back.acks.length;
      back.write({ result: { jobId: a.jobId, leaseToken: a.leaseToken, proof: { proofJson: JSON.stringify(proof), publicJson: JSON.stringify(publicSignals) }, backend: 'snarkjs' } });
      await back.until(() => back.acks.length > nAcks, 10_000, 'second ack');
      assert.strictEqual(back.acks[nAcks].status, 'accepted');
      assert.strictEqual((await client.getJob(leased.id)).attempts, 1);
      back.close(); // it never proves anything else; whatever it grabbed meanwhile lapses to the honest prover
      const honest = prover('honest-4');
      await honest.connect();
      for (const q of queued) await verifyDone(await client.waitDone(q.id, 60_000), BN.vkey);
    });
  });

  describe('committed example circuits (circuits/build)', () => {
    const root = path.join(__dirname, '..', '..', '..', 'circuits', 'build');
    for (const name of ['example_bn254', 'example_bls12381']) {
      it(`registers ${name}, names its signals, and proves its sample input`, async function () {
        const d = path.join(root, name);
        if (!fs.existsSync(path.join(d, `${name}.zkey`))) this.skip();
        const c = await client.registerCircuit({
          name, wasm: path.join(d, `${name}.wasm`), zkey: path.join(d, `${name}.zkey`), vkey: path.join(d, 'verification_key.json'),
          r1cs: path.join(d, `${name}.r1cs`), sym: path.join(d, `${name}.sym`),
        });
        assert.strictEqual(c.curve, name.endsWith('bn254') ? 'CURVE_BN254' : 'CURVE_BLS12_381');
        assert.strictEqual(c.nPublic, 3);
        const sample = JSON.parse(fs.readFileSync(path.join(d, 'input.json'), 'utf8'));
        const { key: _k, ...noKey } = sample;
        await rejects(client.submit({ circuit: name, input: noKey }), grpc.status.INVALID_ARGUMENT, /input "key" is missing/);
        const r = name.endsWith('bn254') ? R_BN254 : 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;
        await rejects(client.submit({ circuit: name, input: { ...sample, in: [...sample.in.slice(0, 3), r.toString()] } }),
          grpc.status.INVALID_ARGUMENT, /input "in\[3\]" is not below the/);
        const p = prover(`ex-${name}`); await p.connect();
        const j = await client.submit({ circuit: name, input: sample });
        await verifyDone(await client.waitDone(j.id, 90_000), path.join(d, 'verification_key.json'));
      });
    }
  });

  describe('prover hub', () => {
    it('FetchArtifact streams by hash with offset resume; unknown hash → NOT_FOUND', async () => {
      const c = await regBn();
      // The circuit's owner may fetch its artifacts (a prover operator only while it holds a lease: test/attack/tenancy).
      const hub = newProverHubClient(broker.address, undefined, clientOptions({ apiKey: key('client') }));
      const fetch = (sha256: string, offset: number) => new Promise<Buffer>((resolve, reject) => {
        const parts: Buffer[] = [];
        const call = hub.fetchArtifact({ sha256, offset: String(offset) });
        call.on('data', (d: { data: Buffer; offset: string }) => parts.push(d.data));
        call.on('end', () => resolve(Buffer.concat(parts)));
        call.on('error', reject);
      });
      const z = c.artifacts.find((a) => a.kind === 'ARTIFACT_KIND_ZKEY')!;
      const whole = fs.readFileSync(BN.zkey);
      assert.ok((await fetch(z.sha256, 0)).equals(whole));
      assert.ok((await fetch(z.sha256, 1234)).equals(whole.subarray(1234)));
      // A multi-chunk artifact both ways: a vkey padded with whitespace to 2.5 MiB (still valid JSON).
      const big = Buffer.concat([fs.readFileSync(BN.vkey), Buffer.alloc(Math.floor(2.5 * 1024 * 1024), 0x20)]);
      const c2 = await client.registerCircuit({ name: 'mul3-bigvkey', wasm: BLS.wasm, zkey: BLS.zkey, vkey: Buffer.concat([fs.readFileSync(BLS.vkey), big.subarray(fs.readFileSync(BN.vkey).length)]) });
      const v = c2.artifacts.find((a) => a.kind === 'ARTIFACT_KIND_VKEY')!;
      assert.ok(Number(v.size) > 2 * 1024 * 1024);
      const got = await fetch(v.sha256, 0);
      assert.strictEqual(sha256Hex(got), v.sha256);
      const off = 1024 * 1024 + 12345;
      assert.strictEqual(sha256Hex(Buffer.concat([got.subarray(0, off), await fetch(v.sha256, off)])), v.sha256, 'resume from an offset');
      await assert.rejects(fetch('0'.repeat(64), 0), (e: grpc.ServiceError) => e.code === grpc.status.NOT_FOUND);
      await assert.rejects(fetch(z.sha256, whole.length + 1), (e: grpc.ServiceError) => e.code === grpc.status.INVALID_ARGUMENT);
      hub.close();
    });

    it('Register: same key and its secret → same id; a session without hello, or an unknown id, is refused', async () => {
      const a = prover('same-key'); await a.connect();
      assert.match(a.secret, /^pms_/, 'the first Register issues a secret');
      const b = prover('same-key'); b.secret = a.secret; await b.connect();
      assert.strictEqual(a.proverId, b.proverId);
      await assert.rejects(prover('same-key').connect(), (e: grpc.ServiceError) => e.code === grpc.status.PERMISSION_DENIED);
      const hub = newProverHubClient(broker.address, undefined, clientOptions({ apiKey: key('prover') }));
      const err = await new Promise<grpc.ServiceError>((resolve) => {
        const call = hub.session();
        call.on('error', resolve); call.on('data', () => {});
        call.write({ hello: { proverId: 'p_unknown' } });
      });
      assert.strictEqual(err.code, grpc.status.NOT_FOUND); assert.match(err.details, /call Register first/);
      const err2 = await new Promise<grpc.ServiceError>((resolve) => {
        const call = hub.session();
        call.on('error', resolve); call.on('data', () => {});
        call.write({ heartbeat: { leaseTokens: [] } });
      });
      assert.strictEqual(err2.code, grpc.status.FAILED_PRECONDITION);
      const err3 = await new Promise<grpc.ServiceError | null>((resolve) => {
        hub.register({ proverKey: 'k', capabilities: { curves: [] } }, (e) => resolve(e));
      });
      assert.strictEqual(err3!.code, grpc.status.INVALID_ARGUMENT);
      hub.close();
    });

    it('routes by curve: a BN254-only prover never gets BLS12-381 jobs', async () => {
      await regBn(); await regBls();
      const bnOnly = prover('bn-only', 'honest', { curves: ['CURVE_BN254'] });
      await bnOnly.connect();
      const jb = await client.submit({ circuit: 'mul3-bls', input: input() });
      const jn = await client.submit({ circuit: 'mul3', input: input() });
      await verifyDone(await client.waitDone(jn.id, 60_000), BN.vkey);
      assert.strictEqual((await client.getJob(jb.id)).state, 'JOB_STATE_QUEUED');
      const any = prover('any-curve'); await any.connect();
      await verifyDone(await client.waitDone(jb.id, 60_000), BLS.vkey);
      assert.ok(bnOnly.assignments.every((a) => a.circuit!.curve === 'CURVE_BN254'));
    });
  });
});
