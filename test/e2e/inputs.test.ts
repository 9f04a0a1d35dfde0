// What real circuits and inputs look like (issue 8, items 1–4): circom 2.2 bus inputs, inputs the
// compiler optimised away, a sym without an r1cs, and negative values — registered and proved
// through a real broker and prover process on each backend (native cpu, snarkjs), every proof
// verified here with snarkjs against the circuit's vkey.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import { MarketClient, MarketError } from '../../src/client/market';
import { CURVES } from '../../src/common/curves';
import { circuitsByCurve } from '../helpers/circuits';
import { BrokerProc, Proc, ROOT, startBrokerProc, startProverProc } from '../helpers/procs';
import { liveProcessHooks } from '../helpers/hooks';

const FIX = path.join(ROOT, 'test', 'broker', 'fixtures');
function fixture(dir: string, name: string) {
  const d = path.join(FIX, dir);
  return {
    name, wasm: path.join(d, `${name}.wasm`), zkey: path.join(d, `${name}.zkey`), vkey: path.join(d, `${name}.vkey.json`),
    r1cs: path.join(d, `${name}.r1cs`), sym: path.join(d, `${name}.sym`),
  };
}
const BUS = fixture('inputs/bus_points', 'bus_points');
const IGNORE = fixture('inputs/ignore_array', 'ignore_array');
const MUL3 = fixture('bn254', 'mul3');
const R_BN = CURVES.bn254.r;
const R_BLS = CURVES['bls12-381'].r;

// eslint-disable-next-line @typescript-eslint/no-var-requires
const snarkjs = require('snarkjs') as { groth16: { verify(vk: unknown, pub: unknown, proof: unknown): Promise<boolean> } };

async function expectInvalid(p: Promise<unknown>, re: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof MarketError, String(e));
    assert.strictEqual(e.code, grpc.status.INVALID_ARGUMENT, `${e.codeName}: ${e.message}`);
    assert.match(e.message, re);
    return true;
  });
}

describe('e2e: input forms of real circuits (buses, optimised-away inputs, sym alone, negatives)', function () {
  this.timeout(240_000);
  let broker: BrokerProc;
  let client: MarketClient;

  before(async () => {
    broker = await startBrokerProc({ leaseMs: 10_000, heartbeatMs: 500 });
    client = new MarketClient(broker.address, { apiKey: broker.keys.client });
  });
  liveProcessHooks({ close: () => client?.close() });

  /** Submits, waits, checks DONE, the backend, the public signals and snarkjs's verdict. */
  async function prove(circuit: string, vkeyFile: string, input: unknown, backend: string, want: string[] | ((pub: string[]) => void)): Promise<void> {
    const j = await client.submit({ circuit, input: typeof input === 'string' ? input : JSON.stringify(input) });
    const done = await client.waitDone(j.id, 120_000);
    assert.strictEqual(done.state, 'JOB_STATE_DONE', `${circuit} ${JSON.stringify(input)}: ${done.state} ${done.error}`);
    assert.strictEqual(done.backend, backend);
    const pub = JSON.parse(done.proof!.publicJson) as string[];
    if (typeof want === 'function') want(pub); else assert.deepStrictEqual(pub, want);
    const vk = JSON.parse(fs.readFileSync(vkeyFile, 'utf8'));
    assert.ok(await snarkjs.groth16.verify(vk, pub, JSON.parse(done.proof!.proofJson)), `snarkjs rejects the ${backend} proof of ${circuit}`);
  }

  describe('registration', () => {
    it('a circuit with bus inputs registers with --r1cs --sym', async () => {
      const c = await client.registerCircuit({ ...BUS, name: 'bus' });
      assert.strictEqual(c.nPublic, 2);
    });

    it('inputs the compiler optimised away (sym wire -1) register with --sym', async () => {
      await client.registerCircuit({ ...IGNORE, name: 'ignore' });
    });

    it('mul3 with r1cs+sym; the BN254 and BLS12-381 examples with --sym alone (no r1cs)', async () => {
      await client.registerCircuit({ ...MUL3, name: 'mul3' });
      const ex = circuitsByCurve();
      for (const c of [ex.bn254, ex['bls12-381']]) {
        await client.registerCircuit({ name: c.name, wasm: c.wasm, zkey: c.zkey, vkey: c.vkey, sym: c.sym! });
      }
    });
  });

  describe('submit checks name the signals', () => {
    it('--sym alone names missing signals (from the wasm and the sym)', async () => {
      await expectInvalid(client.submit({ circuit: 'example_bn254', input: { a: '1' } }),
        /inputs "n", "key", "b", "in" \(an array of 4\) are missing \(7 values in all\)/);
      const { key: _k, ...noKey } = circuitsByCurve().bn254.input;
      await expectInvalid(client.submit({ circuit: 'example_bn254', input: noKey }), /input "key" is missing/);
    });

    it('bus fields are named in errors; a partial bus is named field by field', async () => {
      await expectInvalid(client.submit({ circuit: 'bus', input: { pts: [{ x: 1, y: 2 }, { x: 3 }], k: 5 } }), /input "pts\[1\]\.y" is missing/);
      await expectInvalid(client.submit({ circuit: 'bus', input: { pts: [{ x: 1, y: 2 }, { x: 3, y: 'z' }], k: 5 } }), /input "pts\[1\]\.y" is "z", not an integer/);
      await expectInvalid(client.submit({ circuit: 'bus', input: { pts: [{ x: 1, y: 2 }, { x: 3, y: 4, w: 1 }], k: 5 } }), /input "pts\[1\]\.w" is not an input/);
      await expectInvalid(client.submit({ circuit: 'bus', input: { pts: [1, 2, 3], k: 5 } }), /input "pts" has 3 values, the circuit expects 4/);
      await expectInvalid(client.submit({ circuit: 'bus', input: { pts: [{ x: 1, y: 2 }, 3], k: 5 } }), /input "pts" mixes objects and values/);
    });

    it('the bad-number message names every accepted form, and 2^53 + 1 is echoed as written', async () => {
      await expectInvalid(client.submit({ circuit: 'mul3', input: '{"a": 9007199254740993, "b": [1,2,3], "c": 1}' }),
        /input "a" is 9007199254740993: .*write it as a string: "9007199254740993"/);
      await expectInvalid(client.submit({ circuit: 'mul3', input: { a: '1e3', b: [1, 2, 3], c: 1 } }), /not an integer \(a decimal string .*0x-hex string/);
    });
  });

  for (const backend of ['cpu', 'snarkjs']) {
    describe(`proofs on the ${backend} backend`, () => {
      let prover: { proc: Proc; proverId: string } | null = null;
      before(async () => { prover = await startProverProc(broker, { name: `prover-${backend}`, backend }); });
      after(async () => {
        if (prover) await prover.proc.kill();
      });

      it('bus inputs: flat, nested and object forms all prove public ["20","6"]', async () => {
        for (const input of [
          { pts: ['1', '2', '3', '4'], k: '5' },
          { pts: [['1', '2'], ['3', '4']], k: '5' },
          { pts: [{ x: '1', y: '2' }, { x: '3', y: '4' }], k: '5' },
        ]) await prove('bus', BUS.vkey, input, backend, ['20', '6']);
      });

      it('optimised-away inputs: {"arr":["1","2","3","4"]} proves ["1"]', async () => {
        await prove('ignore', IGNORE.vkey, { arr: ['1', '2', '3', '4'] }, backend, ['1']);
      });

      it('negative inputs are r − v of the circuit\'s field (BN254 string and number, BLS12-381)', async () => {
        // mul3: y = a·b0·b1·b2 + c, public [y, c].
        await prove('mul3', MUL3.vkey, { a: '2', b: ['1', '1', '1'], c: '-1' }, backend, ['1', (R_BN - 1n).toString()]);
        await prove('mul3', MUL3.vkey, { a: -1, b: [1, 1, 1], c: 0 }, backend, [(R_BN - 1n).toString(), '0']);
        const bls = circuitsByCurve()['bls12-381'];
        await prove(bls.name, bls.vkey, { ...bls.input, key: '-1' }, backend, (pub) => assert.strictEqual(pub[2], (R_BLS - 1n).toString()));
      });
    });
  }
});
