// Input specs and input normalisation without a server (issue 8, items 1–4 and 9): what the broker
// learns from r1cs+sym, from sym+wasm, and what it forwards to the provers.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CURVES } from '../../src/common/curves';
import { inputSpecFromR1csSym, inputSpecFromSymWasm, InputError, validateInputJson, WasmInputProbe } from '../../broker/inputs';
import { Statements } from '../../broker/verify/statement';
import { WitnessPool } from '../../broker/verify/witness-pool';
import { fixture, repoRoot } from './helpers';

const FIX = path.join(repoRoot(), 'test', 'broker', 'fixtures', 'inputs');
const file = (name: string, ext: string) => path.join(FIX, name, `${name}.${ext}`);
const sym = (name: string) => fs.readFileSync(file(name, 'sym'), 'utf8');

describe('input specs and normalisation', () => {
  it('bus inputs: r1cs+sym and sym+wasm give the same spec, with bus fields as leaves', () => {
    const want = [{ name: 'pts', size: 4, leaves: ['[0].x', '[0].y', '[1].x', '[1].y'] }, { name: 'k', size: 1 }];
    assert.deepStrictEqual(inputSpecFromR1csSym(file('bus_points', 'r1cs'), sym('bus_points')), want);
    assert.deepStrictEqual(inputSpecFromSymWasm(sym('bus_points'), WasmInputProbe.fromFile(file('bus_points', 'wasm'))), want);
  });

  it('inputs optimised away (wire -1) are still inputs, found by label', () => {
    const want = [{ name: 'arr', size: 4 }];
    assert.deepStrictEqual(inputSpecFromR1csSym(file('ignore_array', 'r1cs'), sym('ignore_array')), want);
    assert.deepStrictEqual(inputSpecFromSymWasm(sym('ignore_array'), WasmInputProbe.fromFile(file('ignore_array', 'wasm'))), want);
  });

  it('public signals that are bus fields are named too (statement messages)', async () => {
    const pool = new WitnessPool({ size: 1, taskTimeoutMs: 10_000 });
    try {
      const st = new Statements(pool);
      const c = { id: 'c_bus', nPublic: 2, wasmPath: file('bus_points', 'wasm'), r1csPath: null, symPath: file('bus_points', 'sym') };
      assert.deepStrictEqual(st.publicNames(c), ['s.x', 's.y']);
    } finally { await pool.close(); }
  });

  it('a sym of another circuit is refused', () => {
    assert.throws(() => inputSpecFromR1csSym(file('bus_points', 'r1cs'), sym('ignore_array')), /sym file names 3 of the r1cs's 5 input signals/);
    const mul3 = fixture('bn254');
    assert.throws(() => inputSpecFromSymWasm(sym('ignore_array'), WasmInputProbe.fromFile(mul3.wasm)), /does the sym belong to this wasm/);
  });

  it('normalises every accepted form to circom\'s qualified keys and canonical values in [0, r)', () => {
    const spec = inputSpecFromR1csSym(file('bus_points', 'r1cs'), sym('bus_points'));
    const src = { spec, probe: () => WasmInputProbe.fromFile(file('bus_points', 'wasm')) };
    const r = CURVES.bn254.r;
    assert.strictEqual(validateInputJson('{"pts":[[1,"0x2"],[3,4]],"k":"-1"}', 'bn254', src),
      JSON.stringify({ pts: ['1', '2', '3', '4'], k: (r - 1n).toString() }));
    assert.strictEqual(validateInputJson('{"pts":[{"x":1,"y":2},{"x":3,"y":-4}],"k":5}', 'bn254', src),
      JSON.stringify({ 'pts[0].x': '1', 'pts[0].y': '2', 'pts[1].x': '3', 'pts[1].y': (r - 4n).toString(), k: '5' }));
    // The wasm alone (no spec) accepts and checks the same forms.
    const wasmOnly = { spec: null, probe: src.probe };
    assert.strictEqual(validateInputJson('{"pts":[{"x":1,"y":2},{"x":3,"y":4}],"k":5}', 'bn254', wasmOnly),
      JSON.stringify({ 'pts[0].x': '1', 'pts[0].y': '2', 'pts[1].x': '3', 'pts[1].y': '4', k: '5' }));
    assert.throws(() => validateInputJson('{"pts":[{"x":1,"y":2},{"x":3}],"k":5}', 'bn254', wasmOnly), /1 input value is missing \(the circuit takes \d+; it was registered without its \.sym, so they cannot be named; a circuit registered with one names them: `circuit add NAME … --sym FILE`, or NAME\.sym beside NAME\.wasm for `groth16 fullprove`\)/);
    // Overlapping keys are refused, not silently merged.
    assert.throws(() => validateInputJson('{"pts":[1,2,3,4],"pts[0].x":1,"k":5}', 'bn254', src),
      (e: Error) => e instanceof InputError && /input "pts\[0\]\.x" is given twice/.test(e.message));
  });

  it('missing inputs are named, arrays with their size, and the missing values counted in all', () => {
    const spec = [{ name: 'n', size: 1 }, { name: 'key', size: 1 }, { name: 'a', size: 1 }, { name: 'b', size: 1 }, { name: 'in', size: 4 }];
    const src = { spec, probe: () => { throw new Error('unused'); } };
    assert.throws(() => validateInputJson('{"a": 1}', 'bn254', src), (e: Error) => e instanceof InputError
      && e.message === 'inputs "n", "key", "b", "in" (an array of 4) are missing (7 values in all)');
    assert.throws(() => validateInputJson('{"n": 1, "key": 2, "a": 3, "b": 4}', 'bn254', src), /input "in" \(an array of 4\) is missing/);
  });

  it('negative values: −v is r − v of each curve\'s own field; −r and beyond are refused', () => {
    for (const curve of ['bn254', 'bls12-381'] as const) {
      const r = CURVES[curve].r;
      const src = { spec: [{ name: 'x', size: 3 }], probe: () => { throw new Error('unused'); } };
      assert.strictEqual(validateInputJson(`{"x": [-1, "-2", "${-(r - 1n)}"]}`, curve, src),
        JSON.stringify({ x: [(r - 1n).toString(), (r - 2n).toString(), '1'] }));
      assert.throws(() => validateInputJson(`{"x": [0, 0, "-${r}"]}`, curve, src), new RegExp(`input "x\\[2\\]" is not above −r of the ${CURVES[curve].label}`));
    }
  });
});
