// Native NTT (pm_ntt) against ffjavascript's Fr.fft / Fr.ifft, byte for byte, at 2^1..2^14 on
// both curves, fresh random Montgomery-form inputs every run.
//
// ffjavascript's Fr.fft takes and returns buffers of field elements in its internal form,
// Montgomery LE (engine_fft.js, groupName "Fr": sIn = sOut = n8, no conversion), natural order
// in and out; Fr.ifft also scales by 1/n. pm_ntt with montgomery = 1 (the default) is specified
// as the same transform.

import * as assert from 'assert';
import { NativeError } from '../../native/binding/native';
import { CURVES, Rng, announceSeed, assertSameBytes, closeRefCurves, concat, engine, leBytes, refCurve } from './util';

const MAX_LOG = 14;

describe('native NTT vs ffjavascript Fr.fft / Fr.ifft', function () {
  this.timeout(300000);
  before(() => announceSeed());
  after(() => closeRefCurves());

  let salt = 200;
  for (const curve of CURVES) {
    describe(curve, () => {
      let Fr: any;
      let r: bigint;
      let rng: Rng;
      const mySalt = salt++;
      before(async () => {
        Fr = (await refCurve(curve)).Fr;
        r = BigInt(Fr.p.toString());
        rng = new Rng(mySalt);
      });

      const randomData = (n: number): Uint8Array => {
        const parts: Uint8Array[] = [];
        for (let i = 0; i < n; i++) {
          const k = rng.int(20);
          const v = k === 0 ? 0n : k === 1 ? 1n : k === 2 ? r - 1n : rng.below(r);
          parts.push(new Uint8Array(Fr.e(v)));
        }
        return concat(parts);
      };

      for (let log = 1; log <= MAX_LOG; log++) {
        it(`2^${log}: forward and inverse match, and inverse(forward(x)) = x`, async () => {
          const n = 1 << log;
          const x = randomData(n);
          const xCopy = x.slice();
          const e = engine();

          const fwd = await e.ntt(curve, x, false, null);
          assertSameBytes(x, xCopy, 'ntt must not modify its input');
          assertSameBytes(fwd, new Uint8Array(await Fr.fft(x)), `${curve} NTT 2^${log}`);

          const inv = await e.ntt(curve, x, true, { device: 'cpu' });
          assertSameBytes(inv, new Uint8Array(await Fr.ifft(x)), `${curve} inverse NTT 2^${log}`);

          assertSameBytes(await e.ntt(curve, fwd, true, null), x, `${curve} inverse(forward(x)) 2^${log}`);
        });
      }

      it('fixed vectors: NTT of a constant is n·c at index 0, NTT of a delta is all ones', async () => {
        const n = 8;
        const one = new Uint8Array(Fr.e(1n));
        const c = new Uint8Array(Fr.e(7n));
        const constant = concat(Array.from({ length: n }, () => c));
        const got = await engine().ntt(curve, constant, false, null);
        const want = concat([new Uint8Array(Fr.e(7n * BigInt(n))), ...Array.from({ length: n - 1 }, () => new Uint8Array(32))]);
        assertSameBytes(got, want, 'NTT of a constant');
        const delta = concat([one, ...Array.from({ length: n - 1 }, () => new Uint8Array(32))]);
        assertSameBytes(await engine().ntt(curve, delta, false, null), concat(Array.from({ length: n }, () => one)),
          'NTT of a delta');
      });

      it('canonical-form data (montgomery: false) gives the canonical form of the same result', async () => {
        const n = 16;
        const vals = Array.from({ length: n }, () => rng.below(r));
        const mont = concat(vals.map((v) => new Uint8Array(Fr.e(v))));
        const canon = concat(vals.map((v) => leBytes(v, 32)));
        const wantMont = new Uint8Array(await Fr.fft(mont));
        const wantCanon = concat(Array.from({ length: n }, (_, i) =>
          leBytes(BigInt(Fr.toString(wantMont.subarray(i * 32, (i + 1) * 32))), 32)));
        assertSameBytes(await engine().ntt(curve, canon, false, { montgomery: false }), wantCanon,
          'NTT of canonical data');
      });
    });
  }

  it('rejects sizes that are not a power of two or not whole elements', async () => {
    const e = engine();
    await assert.rejects(e.ntt('bn254', new Uint8Array(3 * 32), false, null),
      (err: unknown) => err instanceof NativeError && err.code === 'INVALID_ARGUMENT' && /power of two/.test(err.message));
    await assert.rejects(e.ntt('bn254', new Uint8Array(33), false, null),
      (err: unknown) => err instanceof NativeError && /whole number/.test(err.message));
    await assert.rejects(e.ntt('bn254', new Uint8Array(0), false, null),
      (err: unknown) => err instanceof NativeError && err.code === 'INVALID_ARGUMENT');
  });
});
