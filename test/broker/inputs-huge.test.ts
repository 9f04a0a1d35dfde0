// Input values far too long to be field elements: refused by their length, before BigInt parses
// them. A tenant's 20 MB decimal string held the broker's event loop 5.5 s (found trying the
// README with bad input), long enough for every prover's keepalive (5 s) to drop its session.

import * as assert from 'assert';
import { CURVES } from '../../src/common/curves';
import { fieldValue, InputError, MAX_INPUT_JSON_BASE, MAX_INPUT_JSON_PER_VALUE, validateInputJson, WasmInputProbe } from '../../broker/inputs';

describe('input values too long for the field', () => {
  /** Runs fn with a global BigInt that refuses strings longer than `max` characters (a parse that would be slow). */
  function withShortBigInt<T>(max: number, fn: () => T): T {
    const real = globalThis.BigInt;
    const guarded = ((v: string | number | bigint | boolean) => {
      if (typeof v === 'string' && v.length > max) throw new Error(`BigInt called on a ${v.length}-character string`);
      return real(v);
    }) as BigIntConstructor;
    Object.assign(guarded, { asIntN: real.asIntN, asUintN: real.asUintN });
    globalThis.BigInt = guarded;
    try { return fn(); } finally { globalThis.BigInt = real; }
  }

  for (const curve of ['bn254', 'bls12-381'] as const) {
    const r = CURVES[curve].r;
    const label = CURVES[curve].label;

    it(`${curve}: decimal and hex values with more digits than r are refused without parsing them`, () => {
      const long = 200_000;
      const cases: [string, RegExp][] = [
        ['1'.repeat(long), /is not below the .* scalar field modulus r/],
        [`-${'9'.repeat(long)}`, /is not above −r of the .* scalar field/],
        [`0x${'f'.repeat(long)}`, /is not below the .* scalar field modulus r/],
        [`  ${'7'.repeat(long)}  `, /is not below the .* scalar field modulus r/],
      ];
      withShortBigInt(200, () => {
        for (const [v, re] of cases) {
          assert.throws(() => fieldValue('x', v, curve), (e: Error) => e instanceof InputError && re.test(e.message) && e.message.includes(label), v.slice(0, 20));
        }
      });
    });

    it(`${curve}: leading zeros do not count (snarkjs reads "000…01" as 1); values at the edges keep their answers`, () => {
      withShortBigInt(200, () => {
        assert.strictEqual(fieldValue('x', `${'0'.repeat(100_000)}1`, curve), '1');
        assert.strictEqual(fieldValue('x', `0x${'0'.repeat(100_000)}ff`, curve), '255');
        assert.strictEqual(fieldValue('x', `-${'0'.repeat(100_000)}2`, curve), (r - 2n).toString());
        assert.strictEqual(fieldValue('x', '-0', curve), '0');
        assert.strictEqual(fieldValue('x', '0x0', curve), '0');
      });
      assert.strictEqual(fieldValue('x', (r - 1n).toString(), curve), (r - 1n).toString());
      assert.strictEqual(fieldValue('x', `-${(r - 1n).toString()}`, curve), '1');
      assert.strictEqual(fieldValue('x', `0x${(r - 1n).toString(16)}`, curve), (r - 1n).toString());
      assert.throws(() => fieldValue('x', r.toString(), curve), /is not below/);
      assert.throws(() => fieldValue('x', `-${r.toString()}`, curve), /is not above −r/);
      assert.throws(() => fieldValue('x', `0x${r.toString(16)}`, curve), /is not below/);
      // One digit more than r, as the length check sees it.
      assert.throws(() => fieldValue('x', `1${'0'.repeat(r.toString().length)}`, curve), /is not below/);
      assert.throws(() => fieldValue('x', `0x1${'0'.repeat(r.toString(16).length)}`, curve), /is not below/);
    });
  }

  describe('input_json far larger than its circuit\'s inputs', () => {
    // The example's shape: 8 input values in 5 signals.
    const spec = [{ name: 'n', size: 1 }, { name: 'key', size: 1 }, { name: 'a', size: 1 }, { name: 'b', size: 1 }, { name: 'in', size: 4 }];
    const noProbe = { spec, probe: (): WasmInputProbe => { throw new Error('not asked for'); } };
    const room = MAX_INPUT_JSON_BASE + 8 * MAX_INPUT_JSON_PER_VALUE;

    it('is refused by its length before it is parsed, saying how much room the circuit gives', () => {
      // 1,000,000 values where 4 are wanted, and not even valid JSON at the end: the length decides first.
      const text = `{"n":"1","key":"2","a":"3","b":"4","in":[${'"1",'.repeat(1_000_000)}`;
      assert.throws(() => validateInputJson(text, 'bn254', noProbe), (e: Error) => e instanceof InputError
        && e.message === `input_json is ${text.length} characters, more than this circuit's 8 input values can take `
          + `(at most ${room}: ${MAX_INPUT_JSON_BASE} plus ${MAX_INPUT_JSON_PER_VALUE} per value); is it this circuit's input?`);
    });

    it('pretty-printed input well inside the room is unaffected; one character over is refused', () => {
      const input = { n: '1', key: '2', a: '3', b: '4', in: ['5', '6', '7', '8'] };
      const pretty = JSON.stringify(input, null, 2);
      assert.strictEqual(validateInputJson(pretty, 'bn254', noProbe), JSON.stringify(input));
      const padded = pretty + ' '.repeat(room - pretty.length);
      assert.strictEqual(validateInputJson(padded, 'bn254', noProbe), JSON.stringify(input));
      assert.throws(() => validateInputJson(`${padded} `, 'bn254', noProbe), /more than this circuit's 8 input values can take/);
    });
  });
});
