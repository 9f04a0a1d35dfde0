// Native field arithmetic (pm_field_batch) against ffjavascript, byte for byte, on Montgomery
// LE elements: base and scalar fields of BN254 and BLS12-381, fresh random values every run
// plus fixed edge values.

import * as assert from 'assert';
import { Curve, Field, FieldOp, NativeError, fqBytes, FR_BYTES } from '../../native/binding/native';
import { CURVES, Rng, announceSeed, assertSameBytes, closeRefCurves, concat, engine, leBytes, refCurve } from './util';

const N_RANDOM = 1000;
const OPS: FieldOp[] = ['add', 'sub', 'mul', 'sqr', 'neg', 'inv'];

describe('native field arithmetic vs ffjavascript', function () {
  this.timeout(120000);
  before(() => announceSeed());
  after(() => closeRefCurves());

  for (const curve of CURVES) {
    for (const field of ['fq', 'fr'] as Field[]) {
      describe(`${curve} ${field}`, () => {
        let F: any;
        let p: bigint;
        let el: number;
        let a: Uint8Array[];
        let b: Uint8Array[];

        before(async () => {
          const c = await refCurve(curve);
          F = field === 'fq' ? c.F1 : c.Fr;
          p = BigInt(F.p.toString());
          el = field === 'fq' ? fqBytes(curve) : FR_BYTES;
          assert.strictEqual(F.n8, el, 'ffjavascript element size');
          const rng = new Rng(curve.length * 31 + (field === 'fq' ? 1 : 2));
          // Fixed vectors: the edges of the field, then random values.
          const fixed = [0n, 1n, 2n, p - 1n, p - 2n, (p - 1n) / 2n, (p + 1n) / 2n, 1n << 64n,
            (1n << BigInt(8 * el)) % p, (1n << BigInt(8 * el - 1)) % p];
          const av: bigint[] = [...fixed, ...fixed.slice().reverse()];
          const bv: bigint[] = [...fixed, ...fixed];
          while (av.length < N_RANDOM) {
            av.push(rng.below(p));
            bv.push(rng.int(10) === 0 ? av[av.length - 1] : rng.below(p)); // some a == b
          }
          // F.e takes a canonical value and returns its Montgomery bytes.
          a = av.map((v) => new Uint8Array(F.e(v)));
          b = bv.map((v) => new Uint8Array(F.e(v)));
        });

        for (const op of OPS) {
          it(`${op} on ${N_RANDOM} values is byte-identical`, () => {
            const binary = op === 'add' || op === 'sub' || op === 'mul';
            const got = engine().fieldBatch(curve, field, op, concat(a), binary ? concat(b) : null);
            assert.strictEqual(got.length, a.length * el);
            for (let i = 0; i < a.length; i++) {
              let want: Uint8Array;
              switch (op) {
                case 'add': want = F.add(a[i], b[i]); break;
                case 'sub': want = F.sub(a[i], b[i]); break;
                case 'mul': want = F.mul(a[i], b[i]); break;
                case 'sqr': want = F.square(a[i]); break;
                case 'neg': want = F.neg(a[i]); break;
                case 'inv': want = F.isZero(a[i]) ? new Uint8Array(el) : F.inv(a[i]); break;
              }
              assertSameBytes(got.subarray(i * el, (i + 1) * el), new Uint8Array(want!),
                `${curve} ${field} ${op} #${i} (a=${F.toString(a[i])}${binary ? `, b=${F.toString(b[i])}` : ''})`);
            }
          });
        }

        it('rejects an element that is not below the modulus', () => {
          const bad = leBytes(p, el); // p itself
          assert.throws(() => engine().fieldBatch(curve, field, 'mul', bad, bad),
            (e: unknown) => e instanceof NativeError && e.code === 'INVALID_ARGUMENT');
        });

        it('rejects sizes that are not whole elements, before calling the engine', () => {
          assert.throws(() => engine().fieldBatch(curve, field, 'add', new Uint8Array(el + 1), new Uint8Array(el + 1)),
            (e: unknown) => e instanceof NativeError && e.code === 'INVALID_ARGUMENT' && /whole number/.test(e.message));
          assert.throws(() => engine().fieldBatch(curve, field, 'add', new Uint8Array(el), new Uint8Array(2 * el)),
            (e: unknown) => e instanceof NativeError && e.code === 'INVALID_ARGUMENT');
          assert.throws(() => engine().fieldBatch(curve, field, 'mul', new Uint8Array(el), null),
            (e: unknown) => e instanceof NativeError && /needs b/.test(e.message));
        });
      });
    }
  }

  it('an empty batch is an empty result', () => {
    for (const curve of CURVES as Curve[]) {
      assert.strictEqual(engine().fieldBatch(curve, 'fr', 'add', new Uint8Array(0), new Uint8Array(0)).length, 0);
    }
  });
});
