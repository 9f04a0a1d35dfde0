// Attack suite: circuit and proof trust (attack report 2026-11-30, findings 1, 2, 3, 7). Real broker
// and prover processes on 127.0.0.1 over real gRPC; dishonest provers are raw ProverHub clients.
//   1. a tenant publishes a PUBLIC circuit named like the SDK's on-the-fly name ("zkey-<16 hex>")
//      with the genuine zkey and a patched wasm (one signal id moved): `groth16.fullProve` of another
//      tenant with the genuine wasm must still prove the caller's statement (its own circuit);
//   2. a wasm whose witness size differs from the zkey's is refused at registration;
//   3. without an R1CS, two operators answering with a broken proof (pi_a negated, right public
//      signals) end the job FAILED with a truthful reason (not "the witness does not satisfy the
//      circuit"), refunded, nobody slashed; with an R1CS the same proof is the prover's fault: slashed;
//   7. public signals with leading zeros (the same field elements) are a malformed proof: rejected,
//      slashed, and what the client gets is canonical.
// Circuit: example_bn254 (380 wires) and its 4k sibling's wasm for the size mismatch.
import * as assert from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import type { AccountsClient } from '../../src/client/accounts';
import { fullProveJob } from '../../src/client/groth16';
import { MarketClient, MarketError } from '../../src/client/market';
import type { BrokerMessage__Output, Job__Output } from '../../src/common';
import { decodeWtns } from '../../broker/verify/witness';
import { RawProver, type RawSession } from '../helpers/attack';
import { exampleCircuits, freshInput, seededRandom } from '../helpers/circuits';
import { adminOf, checkMoney, newOperator, waitForJob } from '../helpers/market';
import { restartBrokerProc, runCli, sleep, startBrokerProc, startProverProc, tmpDir, type BrokerProc } from '../helpers/procs';
import { liveProcessHooks } from '../helpers/hooks';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const snarkjs: any = require('snarkjs');
const Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

/** circom's FNV-1a 64 of a signal name (how its wasm finds an input signal). */
function fnv1a64(s: string): bigint {
  let h = 0xCBF29CE484222325n;
  for (const c of Buffer.from(s)) { h ^= BigInt(c); h = (h * 0x100000001B3n) & 0xFFFFFFFFFFFFFFFFn; }
  return h;
}

/** The wasm with input signal `name` written one signal further on: same size, another statement. */
function patchedWasm(wasm: string, name: string, out: string): string {
  const w = fs.readFileSync(wasm);
  const le = Buffer.alloc(8); le.writeBigUInt64LE(fnv1a64(name));
  const p = w.indexOf(le);
  assert.ok(p >= 0, `input ${name} not found in ${wasm}`);
  w.writeUInt32LE(w.readUInt32LE(p + 8) + 1, p + 8);
  fs.writeFileSync(out, w);
  return out;
}

async function publicOf(input: unknown, wasm: string, nPublic: number): Promise<string[]> {
  const out: { type: 'mem'; data?: Uint8Array } = { type: 'mem' };
  await snarkjs.wtns.calculate(input, wasm, out);
  return decodeWtns(out.data!).values.slice(1, 1 + nPublic).map(String);
}

const nPublicOf = (vkey: string): number => Number(JSON.parse(fs.readFileSync(vkey, 'utf8')).nPublic);

type Assignment = NonNullable<BrokerMessage__Output['assignment']>;

async function assignmentOf(s: RawSession, jobId: string, ms = 60_000): Promise<Assignment> {
  const until = Date.now() + ms;
  for (;;) {
    const a = s.messages.find((m) => m.assignment?.jobId === jobId)?.assignment;
    if (a) return a;
    if (Date.now() > until) throw new Error(`no assignment of ${jobId}: ${JSON.stringify(s.messages.map((m) => Object.keys(m)))}`);
    await sleep(100);
  }
}

async function ackOf(s: RawSession, jobId: string, ms = 60_000): Promise<NonNullable<BrokerMessage__Output['ack']>> {
  const until = Date.now() + ms;
  for (;;) {
    const a = s.messages.find((m) => m.ack?.jobId === jobId)?.ack;
    if (a) return a;
    if (Date.now() > until) throw new Error(`no ack of ${jobId}`);
    await sleep(100);
  }
}

describe('attack: circuit and proof trust (fullprove hijack, wasm/zkey mismatch, no-R1CS verdicts, canonical signals)', function () {
  this.timeout(300_000);
  const rnd = seededRandom('circuit-trust');
  const ex = exampleCircuits().find((c) => c.name === 'example_bn254')!;
  const ex4k = exampleCircuits().find((c) => c.name === 'example_bn254_4k')!;
  let broker: BrokerProc; let charlie: MarketClient; let mallory: MarketClient; let admin: AccountsClient;
  // One circuit per account and zkey: the R1CS / no-R1CS cases register example_bn254 under their own accounts.
  let dana: MarketClient; let erin: MarketClient;
  const owners: MarketClient[] = [];
  const jobs: Job__Output[] = [];
  let deposited = 0n;
  const stopAfter: { kill(): Promise<void> | void }[] = [];

  before(async () => {
    broker = await startBrokerProc({ leaseMs: 20_000, heartbeatMs: 500, maxAttempts: 6 });
    admin = adminOf(broker);
    charlie = new MarketClient(broker.address, { apiKey: broker.keys.client });
    await admin.deposit('local-client', 10_000n); deposited += 10_000n;
    mallory = new MarketClient(broker.address, { apiKey: (await admin.createAccount('mallory', 'client')).apiKey });
    const client = async (name: string) => {
      const c = new MarketClient(broker.address, { apiKey: (await admin.createAccount(name, 'client')).apiKey });
      await admin.deposit(name, 1000n); deposited += 1000n;
      return c;
    };
    dana = await client('dana'); erin = await client('erin');
  });

  liveProcessHooks({ close: () => { for (const c of [charlie, mallory, dana, erin, ...owners]) c?.close(); admin?.close(); } });
  afterEach(async () => { for (const p of stopAfter.splice(0)) await p.kill(); });

  async function honest(name: string, price = 10): Promise<void> {
    const key = await newOperator(admin, `op-${name}`, 1000n); deposited += 1000n;
    const p = await startProverProc(broker, { name, apiKey: key, price, backend: 'snarkjs' });
    stopAfter.push({ kill: () => p.proc.kill() });
  }

  /** A raw prover of a fresh operator (stake 1000) at price 10, its session open. */
  async function raw(name: string): Promise<RawSession> {
    const key = await newOperator(admin, `op-${name}`, 1000n); deposited += 1000n;
    const r = new RawProver(broker.address, { apiKey: key });
    stopAfter.push({ kill: () => r.close() });
    const reg = await r.register({ key: name, price: '10' });
    return r.hello(reg.proverId, reg.proverSecret, reg.sessionEpoch);
  }

  function answer(s: RawSession, a: Assignment, proof: unknown, pub: unknown): void {
    s.write({ heartbeat: { leaseTokens: [a.leaseToken] } });
    s.write({ result: { jobId: a.jobId, leaseToken: a.leaseToken, proof: { proofJson: JSON.stringify(proof), publicJson: JSON.stringify(pub) }, backend: 'snarkjs', proveMs: '1' } });
  }

  const negA = (proof: { pi_a: string[] }) => ({ ...proof, pi_a: [proof.pi_a[0], String(Q - BigInt(proof.pi_a[1])), proof.pi_a[2]] });

  it('finding 1: fullProve never proves with another tenant\'s public circuit whose wasm differs: it registers the caller\'s own', async () => {
    const dir = tmpDir('pm-trust-');
    const evilWasm = patchedWasm(ex.wasm, 'in', path.join(dir, 'evil.wasm'));
    const sha = crypto.createHash('sha256').update(fs.readFileSync(ex.zkey)).digest('hex');
    // Mallory publishes the genuine zkey + vkey with her wasm, under the SDK's on-the-fly name.
    const trap = await mallory.registerCircuit({ name: `zkey-${sha.slice(0, 16)}`, public: true, wasm: evilWasm, zkey: ex.zkey, vkey: ex.vkey });
    assert.strictEqual(trap.mine, true);
    assert.strictEqual((await charlie.getCircuit(trap.id)).mine, false, 'charlie sees mallory\'s circuit as not his');
    const input = freshInput(ex, rnd.next);
    const genuine = await publicOf(input, ex.wasm, nPublicOf(ex.vkey));
    const evil = await publicOf(input, evilWasm, nPublicOf(ex.vkey));
    assert.notDeepStrictEqual(evil, genuine, 'the patched wasm proves another statement (else this test proves nothing)');
    await honest('honest-fp', 0); // the SDK's jobs carry no max price
    const { job, result } = await fullProveJob(input, ex.wasm, ex.zkey, { client: charlie, timeoutMs: 120_000 });
    jobs.push(job);
    assert.deepStrictEqual(result.publicSignals, genuine, 'the caller got a proof of its own statement');
    assert.notStrictEqual(job.circuitId, trap.id, 'proved on mallory\'s circuit');
    const used = await charlie.getCircuit(job.circuitId);
    assert.strictEqual(used.mine, true, 'proved on the caller\'s own circuit');
    const vk = JSON.parse(fs.readFileSync(ex.vkey, 'utf8'));
    assert.strictEqual(await snarkjs.groth16.verify(vk, result.publicSignals, result.proof), true);
    // Called again it reuses the caller's own circuit (same zkey, same wasm), registering nothing new.
    const again = await fullProveJob(freshInput(ex, rnd.next), ex.wasm, ex.zkey, { client: charlie, timeoutMs: 120_000 });
    jobs.push(again.job);
    assert.strictEqual(again.job.circuitId, job.circuitId);
    // A public circuit of another account with the same zkey AND wasm is safe to reuse.
    const pub4k = await mallory.registerCircuit({ name: 'shared-4k', public: true, wasm: ex4k.wasm, zkey: ex4k.zkey, vkey: ex4k.vkey });
    const shared = await fullProveJob(freshInput(ex4k, rnd.next), ex4k.wasm, ex4k.zkey, { client: charlie, timeoutMs: 120_000 });
    jobs.push(shared.job);
    assert.strictEqual(shared.job.circuitId, pub4k.id);
  });

  it('finding 2: a wasm whose witness size differs from the zkey\'s is refused at registration (INVALID_ARGUMENT naming both)', async () => {
    // A fresh account: the refusal must come from the mismatch, not from an account's earlier circuit of this zkey.
    const frank = new MarketClient(broker.address, { apiKey: (await admin.createAccount('frank', 'client')).apiKey });
    stopAfter.push({ kill: () => frank.close() });
    await assert.rejects(frank.registerCircuit({ name: 'mismatch', public: true, wasm: ex4k.wasm, zkey: ex.zkey, vkey: ex.vkey }),
      (e: MarketError) => e.code === grpc.status.INVALID_ARGUMENT
        && /wasm computes witnesses of 3980 wires, the zkey has 380 variables: the wasm is not the zkey's circuit/.test(e.message));
    assert.ok(!(await frank.listCircuits()).some((c) => c.name === 'mismatch'), 'nothing registered');
  });

  it('finding 3: without an R1CS, two operators\' broken proofs end the job FAILED with a truthful reason, refunded, nobody slashed', async () => {
    await dana.registerCircuit({ name: 'ex-nor1cs', wasm: ex.wasm, zkey: ex.zkey, vkey: ex.vkey });
    const input = freshInput(ex, rnd.next);
    const good = await snarkjs.groth16.fullProve(input, ex.wasm, ex.zkey);
    const a = await raw('nor1cs-a'); const b = await raw('nor1cs-b');
    const j = await dana.submit({ circuit: 'ex-nor1cs', input, requestId: `nor1cs-${rnd.seed}`, maxPrice: 20n });
    jobs.push(j);
    for (let k = 0; k < 2; k++) {
      // Whichever raw prover has the job next answers with pi_a negated and the right public signals.
      let s: RawSession | null = null; let as: Assignment | null = null;
      for (const until = Date.now() + 60_000; !as && Date.now() < until; await sleep(100)) {
        for (const x of [a, b]) {
          const m = x.messages.find((y) => y.assignment?.jobId === j.id && !(y as { used?: boolean }).used);
          if (m) { (m as { used?: boolean }).used = true; s = x; as = m.assignment!; break; }
        }
      }
      assert.ok(s && as, `assignment ${k + 1} of ${j.id}`);
      answer(s, as, negA(good.proof), good.publicSignals);
      await ackOf(s, j.id);
    }
    const failed = await waitForJob(dana, j.id, (x) => x.state === 'JOB_STATE_FAILED', 'FAILED', 60_000);
    assert.match(failed.error, /proofs from 2 operators failed verification on the job's input .*without the circuit's R1CS the broker cannot tell a bad witness from dishonest provers \(register the circuit with --r1cs\)/);
    assert.doesNotMatch(failed.error, /witness does not satisfy/, 'the broker claims what it cannot know');
    const es = await admin.ledger({ jobId: j.id });
    assert.ok(es.some((e) => e.reason === 'refund' && e.account === 'dana'), 'refunded');
    assert.ok(!es.some((e) => /slash|payout/.test(e.reason)), 'nobody slashed or paid');
  });

  it('finding 3: with an R1CS, a proof failing the pairing on the broker-checked witness is the prover\'s fault: rejected, slashed', async () => {
    await erin.registerCircuit({ name: 'ex-r1cs', wasm: ex.wasm, zkey: ex.zkey, vkey: ex.vkey, r1cs: ex.r1cs!, sym: ex.sym! });
    const input = freshInput(ex, rnd.next);
    const good = await snarkjs.groth16.fullProve(input, ex.wasm, ex.zkey);
    const s = await raw('r1cs-cheat');
    const j = await erin.submit({ circuit: 'ex-r1cs', input, requestId: `r1cs-${rnd.seed}`, maxPrice: 20n });
    answer(s, await assignmentOf(s, j.id), negA(good.proof), good.publicSignals);
    assert.strictEqual((await ackOf(s, j.id)).status, 'rejected');
    await waitForJob(erin, j.id, (x) => x.state === 'JOB_STATE_QUEUED' && x.attempts >= 1, 'requeued');
    const es = await admin.ledger({ jobId: j.id });
    const slash = es.filter((e) => e.reason === 'slash_compensation' && e.account === 'erin');
    assert.strictEqual(slash.length, 1, JSON.stringify(es.map((e) => [e.account, e.reason, e.amount])));
    assert.match(slash[0].explanation, new RegExp(`job ${j.id} failed verification .*although the job's witness satisfies the circuit`));
    await erin.cancel(j.id);
    jobs.push(await erin.getJob(j.id));
  });

  it('finding 7: public signals with leading zeros are a malformed proof (rejected, slashed); the client gets canonical public.json', async () => {
    const input = freshInput(ex, rnd.next);
    const good = await snarkjs.groth16.fullProve(input, ex.wasm, ex.zkey);
    const s = await raw('zeros');
    const j = await dana.submit({ circuit: 'ex-nor1cs', input, requestId: `zeros-${rnd.seed}`, maxPrice: 20n });
    jobs.push(j);
    answer(s, await assignmentOf(s, j.id), good.proof, good.publicSignals.map((x: string) => `000${x}`));
    const ack = await ackOf(s, j.id);
    assert.strictEqual(ack.status, 'rejected', `${ack.status}: ${ack.message}`);
    assert.match(ack.message, /malformed proof .*not canonical decimal/);
    const es = await admin.ledger({ jobId: j.id });
    assert.ok(es.some((e) => e.reason === 'slash_compensation' && /not canonical decimal/.test(e.explanation)), 'slashed, saying why');
    await honest('honest-zeros');
    const done = await dana.waitDone(j.id, 120_000);
    assert.strictEqual(done.state, 'JOB_STATE_DONE', done.error);
    assert.strictEqual(done.proof!.publicJson, JSON.stringify(good.publicSignals, null, 1), 'canonical, in snarkjs\'s layout');
    jobs.splice(jobs.indexOf(j), 1, done);
  });

  it('finding 3: `circuit add` registers the .r1cs/.sym lying next to the wasm, and warns loudly when it registers none', async () => {
    const keyOf = async (name: string) => (await admin.createAccount(name, 'client')).apiKey;
    const ginaKey = await keyOf('gina');
    const found = await runCli(['circuit', 'add', 'ex-cli', '--wasm', ex.wasm, '--zkey', ex.zkey, '--vkey', ex.vkey,
      '--broker', broker.address, '--api-key', ginaKey]);
    assert.strictEqual(found.code, 0, found.stderr);
    assert.match(found.stderr, /using --r1cs .*example_bn254\.r1cs \(found next to the wasm; --no-r1cs skips it\)/);
    assert.doesNotMatch(found.stderr, /WARNING/);
    const gina = new MarketClient(broker.address, { apiKey: ginaKey });
    stopAfter.push({ kill: () => gina.close() });
    // The circuit carries the R1CS and the sym: its witnesses are checked at submit.
    const arts = (await gina.getCircuit('ex-cli')).artifacts.map((a) => a.kind).sort();
    assert.deepStrictEqual(arts, ['ARTIFACT_KIND_R1CS', 'ARTIFACT_KIND_SYM', 'ARTIFACT_KIND_VKEY', 'ARTIFACT_KIND_WASM', 'ARTIFACT_KIND_ZKEY']);
    const lone = path.join(tmpDir('pm-trust-lone-'), 'lone.wasm');
    fs.copyFileSync(ex.wasm, lone);
    const none = await runCli(['circuit', 'add', 'lone', '--wasm', lone, '--zkey', ex.zkey, '--vkey', ex.vkey,
      '--broker', broker.address, '--api-key', await keyOf('hank')]);
    assert.strictEqual(none.code, 0, none.stderr);
    assert.match(none.stderr, /WARNING: registering without an R1CS \(--r1cs FILE\): the broker cannot check witnesses/);
  });

  it('finding 2: a circuit registered before the size check (wasm of another size) fails its jobs at once as bad input, refunded; no endless retries', async () => {
    const key = (await admin.createAccount('ivan', 'client')).apiKey;
    await admin.deposit('ivan', 1000n); deposited += 1000n;
    let ivan = new MarketClient(broker.address, { apiKey: key });
    const legacy = await ivan.registerCircuit({ name: 'legacy', wasm: ex.wasm, zkey: ex.zkey, vkey: ex.vkey });
    const big = await ivan.registerCircuit({ name: 'big', wasm: ex4k.wasm, zkey: ex4k.zkey, vkey: ex4k.vkey });
    ivan.close();
    // What an older broker accepted: the 4k wasm with the 380-variable zkey, written into the store.
    broker = await restartBrokerProc(broker, 'SIGTERM', async () => {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const Database = require('better-sqlite3');
      const db = new Database(path.join(broker.dataDir, 'broker.db'));
      try {
        const wasm4k = big.artifacts.find((a) => a.kind === 'ARTIFACT_KIND_WASM')!;
        const arts = legacy.artifacts.map((a) => ({ kind: a.kind.replace('ARTIFACT_KIND_', ''), size: Number(a.size), sha256: a.sha256 }))
          .map((a) => (a.kind === 'WASM' ? { ...a, size: Number(wasm4k.size), sha256: wasm4k.sha256 } : a));
        assert.strictEqual(db.prepare('UPDATE circuits SET artifacts = ? WHERE id = ?').run(JSON.stringify(arts), legacy.id).changes, 1);
      } finally { db.close(); }
    });
    ivan = new MarketClient(broker.address, { apiKey: key });
    owners.push(ivan);
    await honest('honest-legacy');
    const j = await ivan.submit({ circuit: 'legacy', input: freshInput(ex4k, rnd.next), requestId: `legacy-${rnd.seed}`, maxPrice: 20n });
    jobs.push(j);
    const failed = await waitForJob(ivan, j.id, (x) => x.state === 'JOB_STATE_FAILED', 'FAILED', 60_000);
    assert.match(failed.error, /the job's input is bad: the circuit's wasm computes a witness of 3980 wires, its zkey has 380 variables: the wasm is not the zkey's circuit/);
    assert.ok(failed.attempts <= 1, `attempts ${failed.attempts}`);
    const es = await admin.ledger({ jobId: j.id });
    assert.ok(es.some((e) => e.reason === 'refund' && e.account === 'ivan'), 'refunded');
    assert.ok(!es.some((e) => /slash|payout/.test(e.reason)), 'nobody slashed or paid');
  });

  it('money: every transaction balances, every job paid once or refunded, nothing locked', async () => {
    const byOwner = [charlie, dana, erin, ...owners];
    const final = await Promise.all(jobs.map(async (j) => {
      for (const c of byOwner) { try { return await c.getJob(j.id); } catch { /* another account's */ } }
      throw new Error(`job ${j.id} not found`);
    }));
    await checkMoney(admin, final, deposited);
  });
});
