// The benchmark chain circuit and bench/prepare.ts's pipeline, at a tiny size: compile with
// circom2, witness, key (native dev setup, or a snarkjs ceremony without the engine), vkey;
// a snarkjs proof with a fresh random input verifies; the cache makes the second run a no-op.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { prepareChain } from '../../bench/prepare';
import { BN254_R, SeededRng, newSeed } from './examples';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const snarkjs: any = require('snarkjs');

describe('benchmark chain circuit (bench/prepare)', function () {
  this.timeout(300_000);
  const seed = newSeed();
  before(() => console.log(`    chain circuit: random input seed ${seed} (set PM_TEST_SEED to replay)`));
  // No curve.terminate() here: snarkjs and ffjavascript share one curve per process on
  // globalThis, which other test files may still hold; mocha exits with `exit: true`.

  it('builds 2^4 - 3 constraints whose output is a·b^N, proves and verifies, and caches', async () => {
    const a = await prepareChain({ curve: 'bn254', k: 4 });
    assert.equal(a.constraints, 13);
    const info = await snarkjs.r1cs.info(a.r1cs);
    assert.equal(info.nConstraints, 13, 'constraint count');
    assert.equal(info.nPubInputs, 1);
    assert.equal(info.nOutputs, 1);

    const rng = new SeededRng(`${seed}/chain`);
    const x = rng.below(BN254_R), y = rng.below(BN254_R);
    let want = x;
    for (let i = 0; i < 13; i++) want = (want * y) % BN254_R;
    const { proof, publicSignals } = await snarkjs.groth16.fullProve({ a: x.toString(), b: y.toString() }, a.wasm, a.zkey);
    assert.deepEqual(publicSignals, [want.toString(), x.toString()], 'public signals [out, a]');
    const vkey = JSON.parse(fs.readFileSync(a.vkey, 'utf8'));
    assert.equal(await snarkjs.groth16.verify(vkey, publicSignals, proof), true, `proof with a ${a.keySource} key rejected`);
    const bad = [((want + 1n) % BN254_R).toString(), x.toString()];
    assert.equal(await snarkjs.groth16.verify(vkey, bad, proof), false, 'tampered output accepted');

    // The prepared witness is for the fixed bench input and satisfies the circuit.
    const quiet = { info: () => {}, warn: () => {}, debug: () => {}, error: () => {} };
    assert.equal(await snarkjs.wtns.check(a.r1cs, a.wtns, quiet), true, 'prepared witness does not satisfy the r1cs');

    // Second run: nothing rebuilt (same files, same modification times).
    const files = [a.r1cs, a.wasm, a.wtns, a.zkey, a.vkey];
    const before = files.map((f) => fs.statSync(f).mtimeMs);
    const t0 = Date.now();
    const again = await prepareChain({ curve: 'bn254', k: 4 });
    assert.deepEqual(files.map((f) => fs.statSync(f).mtimeMs), before, 'cached artifacts were rebuilt');
    assert.equal(path.resolve(again.zkey), path.resolve(a.zkey));
    console.log(`      (cached prepare took ${Date.now() - t0} ms; key: ${a.keySource})`);
  });
});
