// The committed example circuits (circuits/build/*) prove and verify with snarkjs, on the sample
// input and on a fresh random valid input; tampered public signals and invalid witnesses fail.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import {
  CALIBRATION_CIRCUITS, EXAMPLE_CIRCUITS, ExampleInput, SeededRng, newSeed, randomExampleInput, examplePublicSignals,
} from './examples';

// snarkjs ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const snarkjs: any = require('snarkjs');

describe('example circuits (snarkjs)', function () {
  this.timeout(300_000);
  const seed = newSeed();
  before(() => console.log(`    example circuits: random input seed ${seed} (set PM_TEST_SEED to replay)`));
  // No curve.terminate() here: snarkjs and ffjavascript share one curve per process on
  // globalThis, which other test files may still hold; mocha exits with `exit: true`.

  for (const c of [...EXAMPLE_CIRCUITS, ...CALIBRATION_CIRCUITS]) {
    // The ~2^12 calibration instances: their key and one fresh random proof (CI time), against the same reference.
    const full = EXAMPLE_CIRCUITS.includes(c);
    describe(c.name, () => {
      let vkey: any;
      before(() => {
        for (const f of [c.wasm, c.zkey, c.vkey, c.r1cs, c.sym, c.input]) {
          assert.ok(fs.existsSync(f), `missing artifact ${f} (run scripts/setup-circuits.sh)`);
        }
        vkey = JSON.parse(fs.readFileSync(c.vkey, 'utf8'));
      });

      it('has a Groth16 verification key on the right curve with 3 public signals', () => {
        assert.equal(vkey.protocol, 'groth16');
        assert.equal(vkey.curve, c.snarkjsCurve);
        assert.equal(vkey.nPublic, 3);
      });

      async function proveAndCheck(input: ExampleInput): Promise<void> {
        const { proof, publicSignals } = await snarkjs.groth16.fullProve(input, c.wasm, c.zkey);
        assert.deepEqual(publicSignals, examplePublicSignals(c, input),
          'public signals differ from the bigint reference [out, n, key]');
        assert.equal(await snarkjs.groth16.verify(vkey, publicSignals, proof), true, 'valid proof rejected');
        for (let i = 0; i < publicSignals.length; i++) {
          const tampered = publicSignals.slice();
          tampered[i] = ((BigInt(tampered[i]) + 1n) % c.prime).toString();
          assert.equal(await snarkjs.groth16.verify(vkey, tampered, proof), false,
            `proof still verifies with public signal ${i} changed`);
        }
      }

      if (full) it('proves and verifies the committed input.json', async () => {
        const input = JSON.parse(fs.readFileSync(c.input, 'utf8')) as ExampleInput;
        await proveAndCheck(input);
      });

      it('proves and verifies a fresh random valid input', async () => {
        const input = randomExampleInput(c, new SeededRng(`${seed}/${c.name}`));
        await proveAndCheck(input);
      });

      if (!full) return;
      it('cannot produce a witness for a trivial factorisation (a = 1)', async () => {
        const input = randomExampleInput(c, new SeededRng(`${seed}/${c.name}/bad`));
        input.a = '1';
        input.n = input.b;
        await assert.rejects(snarkjs.groth16.fullProve(input, c.wasm, c.zkey), /Assert Failed|Error/);
      });

      it('cannot produce a witness when n is not a * b', async () => {
        const input = randomExampleInput(c, new SeededRng(`${seed}/${c.name}/bad2`));
        input.n = (BigInt(input.n) + 1n).toString();
        await assert.rejects(snarkjs.groth16.fullProve(input, c.wasm, c.zkey), /Assert Failed|Error/);
      });
    });
  }
});
