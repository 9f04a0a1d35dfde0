// Input values far too long to be field elements: refused by their length, before BigInt parses
// them. A tenant's 20 MB decimal string held the broker's event loop 5.5 s (found trying the
// README with bad input), long enough for every prover's keepalive (5 s) to drop its session.

import * as assert from 'assert';
import { CURVES } from '../../src/common/curves';
import { fieldValue, InputError } from '../../broker/inputs';

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
});
