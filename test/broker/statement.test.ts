// The statement check's parts, against references on fresh random inputs (seed printed):
// public signals read from a .wtns and computed in the witness pool vs the example circuits'
// bigint reference; our R1CS check vs `snarkjs wtns check` on valid and tampered witnesses;
// pool failures (bad input, timeout, worker replaced); the setup checks (un-contributed key,
// vkey of another contribution, tampered IC point) on keys made by snarkjs in the test.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { judgeBadInputClaim, judgeProof, Suspicions } from '../../broker/verify/judge';
import { compareVerificationKey, insecureSetupReason, readZkeyVerificationKey } from '../../broker/verify/setup';
import { statementMismatch, Statements, type StatementCircuit } from '../../broker/verify/statement';
import { checkR1cs, decodeWtns, parseR1cs, publicSignalsOf } from '../../broker/verify/witness';
import { WitnessPool } from '../../broker/verify/witness-pool';
import { checkProofShape } from '../../broker/verify/shape';
import { snarkjsPublicJson } from '../../broker/snarkjs-json';
import { EXAMPLE_CIRCUITS, examplePublicSignals, newSeed, randomExampleInput, SeededRng } from '../circuits/examples';
import { forgeProof } from '../../prover/faults';
import { mul3Setups } from '../helpers/setups';
import { fixture } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const snarkjs: any = require('snarkjs');
const quiet = { info() {}, warn() {}, debug() {}, error() {} };

async function wtnsOf(input: unknown, wasm: string): Promise<Buffer> {
  const out: { type: 'mem'; data?: Uint8Array } = { type: 'mem' };
  await snarkjs.wtns.calculate(input, wasm, out);
  return Buffer.from(out.data!);
}

/** Overwrites witness value `i` (n8 = 32 or 32 bytes LE) with `v`. */
function setValue(wtns: Buffer, i: number, v: bigint): Buffer {
  const b = Buffer.from(wtns);
  const n8 = b.readUInt32LE(12 + 12); // first section is the header: type, size, then n8
  const dataOff = b.length - decodeWtns(b).values.length * n8;
  for (let k = 0; k < n8; k++) { b[dataOff + i * n8 + k] = Number(v & 0xffn); v >>= 8n; }
  return b;
}

async function snarkjsCheck(r1cs: string, wtns: Buffer): Promise<boolean> {
  return snarkjs.wtns.check(r1cs, { type: 'mem', data: new Uint8Array(wtns) }, quiet);
}

describe('statement check: witnesses, R1CS, witness pool', function () {
  this.timeout(300_000);
  const seed = newSeed();
  const pool = new WitnessPool({ size: 2 });
  before(() => console.log(`    statement: seed ${seed} (replay with PM_TEST_SEED=${seed})`));
  after(() => pool.close());

  for (const c of EXAMPLE_CIRCUITS) {
    it(`${c.name}: public signals and R1CS verdicts match snarkjs and the bigint reference`, async () => {
      const rng = new SeededRng(`${seed}/${c.name}`);
      const input = randomExampleInput(c, rng);
      const want = examplePublicSignals(c, input);
      const wtns = await wtnsOf(input, c.wasm);
      const w = decodeWtns(wtns);
      assert.deepEqual(publicSignalsOf(w.values, 3), want, 'public signals read from the .wtns');
      const r1cs = parseR1cs(fs.readFileSync(c.r1cs));
      assert.deepEqual(checkR1cs(r1cs, w), { ok: true });
      assert.equal(await snarkjsCheck(c.r1cs, wtns), true);
      // Tamper with one random wire past the public ones: both checks must say no.
      for (let t = 0; t < 3; t++) {
        const i = 4 + Number(rng.below(BigInt(w.values.length - 4)));
        const bad = setValue(wtns, i, (w.values[i] + 1n + rng.below(1000n)) % w.prime);
        const ours = checkR1cs(r1cs, decodeWtns(bad));
        const ref = await snarkjsCheck(c.r1cs, bad);
        assert.equal(ours.ok, ref, `wire ${i}: ours ${JSON.stringify(ours)} vs snarkjs ${ref}`);
        assert.equal(ours.ok, false, `tampered wire ${i} accepted`);
      }
      // The pool computes the same public signals from the input, with and without the R1CS.
      const r = await pool.run({ op: 'compute', wasmPath: c.wasm, inputJson: JSON.stringify(input), r1csPath: c.r1cs, nPublic: 3 });
      assert.ok(r.ok, JSON.stringify(r));
      assert.deepEqual(r.ok && r.publicSignals, want);
      assert.equal(r.ok && r.r1cs, 'satisfied');
      const k = await pool.run({ op: 'check', witness: wtns, r1csPath: null, nPublic: 3 });
      assert.deepEqual(k.ok && [k.publicSignals, k.r1cs], [want, 'unchecked']);
    });
  }

  it('the pool blames the input for a failed assert and a non-satisfying witness, and survives a timeout', async () => {
    const c = EXAMPLE_CIRCUITS[0];
    const rng = new SeededRng(`${seed}/bad`);
    const input = randomExampleInput(c, rng);
    const wrong = { ...input, n: (BigInt(input.n) + 1n).toString() }; // a * b !== n
    const r = await pool.run({ op: 'compute', wasmPath: c.wasm, inputJson: JSON.stringify(wrong), r1csPath: null, nPublic: 3 });
    assert.ok(!r.ok && r.bad && /witness generation failed/.test(r.reason), JSON.stringify(r));
    const wtns = await wtnsOf(input, c.wasm);
    const bad = setValue(wtns, 10, 12345n);
    const k = await pool.run({ op: 'check', witness: bad, r1csPath: c.r1cs, nPublic: 3 });
    assert.ok(!k.ok && k.bad && /does not satisfy the circuit: constraint #\d+/.test(k.reason), JSON.stringify(k));
    const m = await pool.run({ op: 'check', witness: Buffer.from('not a witness'), r1csPath: null, nPublic: 3 });
    assert.ok(!m.ok && m.bad, JSON.stringify(m));
    const missing = await pool.run({ op: 'compute', wasmPath: '/nonexistent.wasm', inputJson: '{}', r1csPath: null, nPublic: 3 });
    assert.ok(!missing.ok && !missing.bad, 'a missing wasm is the broker\'s problem, not the client\'s');

    const tiny = new WitnessPool({ size: 1, taskTimeoutMs: 1 });
    try {
      const t = await tiny.run({ op: 'compute', wasmPath: c.wasm, inputJson: JSON.stringify(input), r1csPath: c.r1cs, nPublic: 3 });
      assert.ok(!t.ok && !t.bad && /ran past 1 ms/.test(t.reason), JSON.stringify(t));
    } finally { await tiny.close(); }
    // The shared pool still answers after all that.
    const again = await pool.run({ op: 'compute', wasmPath: c.wasm, inputJson: JSON.stringify(input), r1csPath: null, nPublic: 3 });
    assert.deepEqual(again.ok && again.publicSignals, examplePublicSignals(c, input));
  });

  it('a witness whose length is not the zkey\'s nVars is the job\'s bad input (computed by a wasm of another size, or sent as a .wtns)', async () => {
    const c = EXAMPLE_CIRCUITS[0];
    const rng = new SeededRng(`${seed}/nvars`);
    const input = randomExampleInput(c, rng);
    const wtns = await wtnsOf(input, c.wasm);
    const wires = decodeWtns(wtns).values.length;
    // The right size passes, with and without the R1CS (the fast path reads only the public wires).
    for (const r1csPath of [null, c.r1cs]) {
      const ok = await pool.run({ op: 'compute', wasmPath: c.wasm, inputJson: JSON.stringify(input), r1csPath, nPublic: 3, nVars: wires });
      assert.deepEqual(ok.ok && ok.publicSignals, examplePublicSignals(c, input));
      const other = await pool.run({ op: 'compute', wasmPath: c.wasm, inputJson: JSON.stringify(input), r1csPath, nPublic: 3, nVars: wires + 3 });
      assert.ok(!other.ok && other.bad, JSON.stringify(other));
      assert.equal(!other.ok && other.reason, `the circuit's wasm computes a witness of ${wires} wires, its zkey has ${wires + 3} variables: the wasm is not the zkey's circuit`);
    }
    const k = await pool.run({ op: 'check', witness: wtns, r1csPath: null, nPublic: 3, nVars: wires - 1 });
    assert.ok(!k.ok && k.bad && k.reason === `the witness has ${wires} wires, the circuit's zkey has ${wires - 1} variables: a witness of another circuit`, JSON.stringify(k));
  });

  it('public signals are compared as canonical decimal text: leading zeros, a sign or hex are another statement / malformed', () => {
    assert.equal(statementMismatch(['42', '7'], '["42","7"]', null, 'input'), null);
    for (const bad of ['["042","7"]', '["+42","7"]', '["0x2a","7"]', '[42,"7"]']) {
      assert.match(statementMismatch(['42', '7'], bad, null, 'input') ?? 'equal', /public signal #1 is/, bad);
    }
    const proof = JSON.stringify({ pi_a: ['1', '2', '1'], pi_b: [['1', '2'], ['3', '4'], ['1', '0']], pi_c: ['1', '2', '1'], protocol: 'groth16' });
    assert.equal(typeof checkProofShape(proof, '["42","0"]', 2), 'object');
    assert.equal(checkProofShape(proof, '["0042","0"]', 2), 'public signal 0 (0042) is not canonical decimal (no leading zeros)');
    assert.equal(checkProofShape(proof, '["42","00"]', 2), 'public signal 1 (00) is not canonical decimal (no leading zeros)');
    assert.equal(snarkjsPublicJson('["42","0"]'), '[\n "42",\n "0"\n]');
    assert.equal(snarkjsPublicJson('["042","0"]'), null, 'kept as sent, for the verifier to refuse');
  });

  it('tasks asked for together go to a worker in batches: each gets its own answer, a timeout fails only its task', async () => {
    const c = EXAMPLE_CIRCUITS[0];
    const rng = new SeededRng(`${seed}/batch`);
    // One worker, batches of at most 4: 13 tasks, every third one an input the circuit refuses;
    // all asked for at once, then (gatherMs: held a few ms to be sent together) one per event-loop turn.
    for (const gatherMs of [0, 20]) {
      const one = new WitnessPool({ size: 1, batchMax: 4, gatherMs });
      try {
        const inputs = Array.from({ length: 13 }, (_, i) => {
          const input = randomExampleInput(c, rng);
          return i % 3 === 1 ? { input: { ...input, n: (BigInt(input.n) + 1n).toString() }, good: false } : { input, good: true };
        });
        // With and without an R1CS (without one, the worker reads only the public wires).
        const asked = [];
        for (const [i, x] of inputs.entries()) {
          asked.push(one.run({ op: 'compute', wasmPath: c.wasm, inputJson: JSON.stringify(x.input), r1csPath: i % 2 ? c.r1cs : null, nPublic: 3 }));
          if (gatherMs) await new Promise((r) => setImmediate(r));
        }
        const rs = await Promise.all(asked);
        rs.forEach((r, i) => {
          if (inputs[i].good) assert.deepEqual(r.ok && r.publicSignals, examplePublicSignals(c, inputs[i].input), `task ${i} (gatherMs ${gatherMs})`);
          else assert.ok(!r.ok && r.bad && /witness generation failed/.test(r.reason), `task ${i} (gatherMs ${gatherMs}): ${JSON.stringify(r)}`);
        });
      } finally { await one.close(); }
    }
    // A limit so short that a task sent with others runs past it: that task fails as the broker's
    // problem (not the input's), the batch's others go to a fresh worker and fail the same way one
    // at a time, never with another task's answer.
    const tiny = new WitnessPool({ size: 1, taskTimeoutMs: 1 });
    try {
      const rs = await Promise.all([0, 1, 2].map(() => tiny.run({ op: 'compute', wasmPath: c.wasm, inputJson: JSON.stringify(randomExampleInput(c, rng)), r1csPath: c.r1cs, nPublic: 3 })));
      for (const r of rs) assert.ok(r.ok || (!r.bad && /ran past 1 ms/.test(r.reason)), JSON.stringify(r));
      assert.ok(rs.some((r) => !r.ok), 'a 1 ms limit caught none of three witness computations');
    } finally { await tiny.close(); }
  });

  it('Statements memoises per job, names public signals from the .sym and explains a mismatch', async () => {
    const f = fixture('bn254');
    const circuit: StatementCircuit = { id: 'c_mul3', nPublic: 2, wasmPath: f.wasm, r1csPath: f.r1cs, symPath: f.sym };
    const st = new Statements(pool);
    const job = { id: 'j_1', inputJson: JSON.stringify({ a: 2, b: [3, 5, 7], c: 11 }), witness: null };
    const p1 = st.start(job, circuit);
    assert.equal(st.start(job, circuit), p1, 'a second start reuses the computation');
    const s = await st.get(job, circuit);
    assert.deepEqual(s.kind === 'ok' && s.publicSignals, ['221', '11']);
    const names = st.publicNames(circuit);
    assert.deepEqual(names, ['y', 'c']);
    assert.equal(statementMismatch(['221', '11'], '["221","11"]', names, 'input'), null);
    assert.equal(statementMismatch(['221', '11'], '["221","12"]', names, 'input'), 'public signal c (#2) is 12, the job\'s input gives 11');
    assert.match(statementMismatch(['221', '11'], '["221"]', names, 'witness')!, /has 1 signals, the job's witness gives 2/);
    st.forget('j_1');
    assert.equal(st.has('j_1'), false);
  });
});

describe('setup soundness: whole verification key, phase-2 contribution', function () {
  this.timeout(300_000);

  it('example keys: the vkey is the zkey\'s own and the setup had a contribution', () => {
    for (const c of EXAMPLE_CIRCUITS) {
      const zk = readZkeyVerificationKey(c.zkey);
      const vk = JSON.parse(fs.readFileSync(path.join(path.dirname(c.zkey), 'verification_key.json'), 'utf8'));
      assert.equal(compareVerificationKey(vk, zk), null, c.name);
      assert.equal(insecureSetupReason(zk), null, c.name);
      assert.ok(zk.contributions >= 1);
    }
  });

  it('un-contributed key flagged; another contribution\'s vkey and a tampered IC point refused; a forged proof verifies only without a contribution', async () => {
    const s = await mul3Setups();
    const z0 = readZkeyVerificationKey(s.zkey0); const z1 = readZkeyVerificationKey(s.zkey1); const z2 = readZkeyVerificationKey(s.zkey2);
    assert.equal(z0.contributions, 0);
    assert.match(insecureSetupReason(z0)!, /no phase-2 contribution/);
    assert.deepEqual(z0.delta2, z0.gamma2, 'groth16 setup leaves delta = gamma');
    assert.equal(insecureSetupReason(z1), null);
    assert.equal(insecureSetupReason(z2), null);
    const v1 = JSON.parse(fs.readFileSync(s.vkey1, 'utf8')); const v2 = JSON.parse(fs.readFileSync(s.vkey2, 'utf8'));
    assert.equal(compareVerificationKey(v1, z1), null);
    assert.equal(compareVerificationKey(v2, z2), null);
    // Same circuit, other contribution: alpha (what was checked before) is the same, delta is not.
    assert.deepEqual(v1.vk_alpha_1, v2.vk_alpha_1);
    assert.match(compareVerificationKey(v2, z1)!, /vk_delta_2 differs/);
    const tampered = JSON.parse(JSON.stringify(v1));
    tampered.IC[1] = tampered.IC[2];
    assert.match(compareVerificationKey(tampered, z1)!, /IC\[1\] differs/);
    tampered.IC = tampered.IC.slice(1);
    assert.match(compareVerificationKey(tampered, z1)!, /IC has 2 points, the zkey 3/);

    // Why it matters: with delta = gamma, a proof of any public values verifies.
    const v0 = JSON.parse(fs.readFileSync(s.vkey0, 'utf8'));
    const pub = ['123456789', '42'];
    assert.equal(await snarkjs.groth16.verify(v0, pub, await forgeProof(s.zkey0, 'bn254', pub), quiet), true, 'forgery against the un-contributed key');
    assert.equal(await snarkjs.groth16.verify(v1, pub, await forgeProof(s.zkey1, 'bn254', pub), quiet), false, 'forgery against a contributed key');
  });
});

describe('judge: who is at fault', () => {
  const ok = (r1cs: 'satisfied' | 'unchecked') => ({ kind: 'ok' as const, publicSignals: ['221', '11'], r1cs, ms: 1 });
  const proof = JSON.stringify({ pi_a: ['1', '2', '1'], pi_b: [['1', '2'], ['3', '4'], ['1', '0']], pi_c: ['1', '2', '1'], protocol: 'groth16' });
  const base = { jobId: 'j_x', names: ['y', 'c'], nPublic: 2, proofJson: proof, publicJson: '["221","11"]' };
  const pairing = (ok: boolean, reason = '') => async () => ({ ok, reason });
  let calls = 0;
  const counted = async () => { calls++; return { ok: true, reason: '' }; };

  it('decides from statement, public signals and pairing, in that order', async () => {
    assert.deepEqual(await judgeProof({ ...base, source: 'input', statement: ok('unchecked'), pairing: pairing(true) }), { kind: 'accept' });
    calls = 0;
    const other = await judgeProof({ ...base, source: 'input', statement: ok('unchecked'), publicJson: '["221","12"]', pairing: counted });
    assert.equal(other.kind, 'wrong');
    assert.match((other as { reason: string }).reason, /job j_x is for another statement: public signal c \(#2\) is 12, the job's input gives 11/);
    assert.equal(calls, 0, 'no pairing for a proof of another statement');
    const bad = await judgeProof({ ...base, source: 'input', statement: { kind: 'bad_input', reason: 'witness generation failed: x', ms: 1 }, pairing: counted });
    assert.deepEqual(bad, { kind: 'bad_input', reason: 'witness generation failed: x' });
    const un = await judgeProof({ ...base, source: 'input', statement: { kind: 'unavailable', reason: 'pool closed', ms: 1 }, pairing: counted });
    assert.equal(un.kind, 'unavailable');
    assert.equal((await judgeProof({ ...base, source: 'input', statement: ok('unchecked'), proofJson: '{"pi_a":1}', pairing: counted })).kind, 'wrong');
    assert.equal((await judgeProof({ ...base, source: 'input', statement: ok('unchecked'), pairing: pairing(false, 'verifier unavailable: exited') })).kind, 'unavailable');
  });

  it('a failed pairing blames the prover only when the witness was checked against the R1CS', async () => {
    const f = pairing(false, 'pairing check failed');
    assert.equal((await judgeProof({ ...base, source: 'input', statement: ok('satisfied'), pairing: f })).kind, 'wrong');
    assert.equal((await judgeProof({ ...base, source: 'input', statement: ok('unchecked'), pairing: f })).kind, 'inconclusive', 'a wasm of another circuit would make every proof fail');
    assert.equal((await judgeProof({ ...base, source: 'witness', statement: ok('satisfied'), pairing: f })).kind, 'wrong');
    assert.equal((await judgeProof({ ...base, source: 'witness', statement: ok('unchecked'), pairing: f })).kind, 'inconclusive');
    // A malformed proof is never the witness's fault.
    const m = pairing(false, 'Proofs are not well constructed');
    assert.equal((await judgeProof({ ...base, source: 'witness', statement: ok('unchecked'), pairing: m })).kind, 'wrong');
    const m2 = pairing(false, 'Proof commitments are not valid.'); // snarkjs 0.7.6: a point off the curve
    assert.match((await judgeProof({ ...base, source: 'witness', statement: ok('unchecked'), pairing: m2 }) as { reason: string }).reason, /^malformed proof/);
  });

  it('a "bad input" claim is confirmed only by the broker\'s own check', () => {
    assert.equal(judgeBadInputClaim('j', 'witness generation failed', ok('unchecked'), 'input').kind, 'wrong');
    assert.equal(judgeBadInputClaim('j', 'bad', ok('satisfied'), 'witness').kind, 'wrong');
    assert.equal(judgeBadInputClaim('j', 'bad', ok('unchecked'), 'witness').kind, 'inconclusive');
    assert.equal(judgeBadInputClaim('j', 'bad', { kind: 'bad_input', reason: 'r', ms: 0 }, 'input').kind, 'bad_input');
    assert.equal(judgeBadInputClaim('j', 'bad', { kind: 'unavailable', reason: 'r', ms: 0 }, 'input').kind, 'inconclusive');
  });

  it('Suspicions concludes after enough distinct provers', () => {
    const s = new Suspicions(2);
    assert.equal(s.add('j', 'p1', 'a'), false);
    assert.equal(s.add('j', 'p1', 'again'), false, 'the same prover twice is one voice');
    assert.equal(s.add('j', 'p1b', 'same operator', 'p1'), false, 'two daemons of one operator are one voice');
    assert.equal(s.add('j', 'p2', 'b', 'p2'), true);
    assert.deepEqual(s.take('j').map((x) => x.prover), ['p1', 'p1b', 'p2']);
    assert.deepEqual(s.of('j'), []);
  });
});
