// Native MSM (pm_msm_g1 / pm_msm_g2) against ffjavascript's multiExpAffine, byte for byte:
// both curves, both groups, sizes 0..2^12, every Pippenger window size, with points at infinity,
// zero scalars, scalar 1, r-1, repeated points and cancelling pairs. Fresh random points (k·G)
// and scalars every run; the seed is printed.
//
// ffjavascript's formats (node_modules/ffjavascript/src/engine_multiexp.js): bases are affine
// points in its internal form (Montgomery x || y, F2 as c0 || c1 — the zkey "LEM" layout, all
// zero for infinity), scalars are plain little-endian integers (sScalar = bytes / nPoints, here
// 32). It returns a Jacobian point; G.toAffine turns it into the same LEM layout (zeros for
// infinity) as pm_msm_*'s output.

import * as assert from 'assert';
import { Curve, NativeError } from '../../native/binding/native';
import { CURVES, Rng, announceSeed, assertSameBytes, closeRefCurves, concat, engine, leBytes, refCurve } from './util';

type Group = 'G1' | 'G2';
const SIZES = [0, 1, 2, 7, 100, 1000, 1 << 12];
const WINDOW_N = 300;
const POOL = 128;

interface Fixture { G: any; Fr: any; r: bigint; pb: number; pool: Uint8Array[]; rng: Rng }

async function fixture(curve: Curve, group: Group, salt: number): Promise<Fixture> {
  const c = await refCurve(curve);
  const G = c[group];
  const r = BigInt(c.r.toString());
  const rng = new Rng(salt);
  const pool: Uint8Array[] = [];
  for (let i = 0; i < POOL; i++) {
    pool.push(new Uint8Array(G.toAffine(G.timesScalar(G.g, leBytes(rng.below(r - 1n) + 1n, 32)))));
  }
  return { G, Fr: c.Fr, r, pb: G.F.n8 * 2, pool, rng };
}

/** n random points k·G: the pool, then sums of two pool points (also k·G for a random k). */
function randomPoints(f: Fixture, n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    if (i < POOL) out.push(f.pool[(i * 37 + f.rng.int(POOL)) % POOL]);
    else out.push(new Uint8Array(f.G.toAffine(f.G.add(f.pool[f.rng.int(POOL)], f.pool[f.rng.int(POOL)]))));
  }
  return out;
}

/** Random points and scalars, with the special cases planted at random places. */
function instance(f: Fixture, n: number): { points: Uint8Array[]; scalars: bigint[] } {
  const points = randomPoints(f, n);
  const scalars: bigint[] = [];
  for (let i = 0; i < n; i++) scalars.push(f.rng.below(f.r));
  if (n >= 7) {
    const at = (): number => f.rng.int(n);
    points[at()] = new Uint8Array(f.pb);           // infinity
    scalars[at()] = 0n;                            // zero scalar
    scalars[at()] = 1n;                            // one
    scalars[at()] = f.r - 1n;                      // -1
    scalars[at()] = BigInt(f.rng.int(4));          // small
    const i = at(); const j = at();
    points[j] = points[i];                         // repeated point
    for (let k = 0; k < n / 10; k++) points[at()] = points[i];
  }
  return { points, scalars };
}

async function reference(f: Fixture, points: Uint8Array[], scalars: bigint[]): Promise<Uint8Array> {
  const res = await f.G.multiExpAffine(concat(points), concat(scalars.map((s) => leBytes(s, 32))));
  return new Uint8Array(f.G.toAffine(res));
}

async function native(curve: Curve, group: Group, points: Uint8Array[], scalars: Uint8Array[],
                      opts: { windowBits?: number; scalarsMontgomery?: boolean; threads?: number } = {}): Promise<Uint8Array> {
  const e = engine();
  const fn = group === 'G1' ? e.msmG1.bind(e) : e.msmG2.bind(e);
  return fn(curve, concat(points), concat(scalars), { device: 'cpu', ...opts });
}

describe('native MSM vs ffjavascript multiExpAffine', function () {
  this.timeout(300000);
  before(() => announceSeed());
  after(() => closeRefCurves());

  let salt = 100;
  for (const curve of CURVES) {
    for (const group of ['G1', 'G2'] as Group[]) {
      describe(`${curve} ${group}`, () => {
        let f: Fixture;
        const mySalt = salt++;
        before(async () => { f = await fixture(curve, group, mySalt); });

        for (const n of SIZES) {
          it(`n = ${n}: random points, planted infinity/zero/one/-1/repeats`, async () => {
            const { points, scalars } = instance(f, n);
            const want = await reference(f, points, scalars);
            const got = await native(curve, group, points, scalars.map((s) => leBytes(s, 32)));
            assertSameBytes(got, want, `${curve} ${group} MSM n=${n}`);
          });
        }

        it(`every window size 2..16 at n = ${WINDOW_N}`, async () => {
          const { points, scalars } = instance(f, WINDOW_N);
          const want = await reference(f, points, scalars);
          const sc = scalars.map((s) => leBytes(s, 32));
          for (let w = 2; w <= 16; w++) {
            const got = await native(curve, group, points, sc, { windowBits: w });
            assertSameBytes(got, want, `${curve} ${group} MSM n=${WINDOW_N} window ${w}`);
          }
        });

        it('Montgomery-form scalars and a single thread give the same point', async () => {
          const { points, scalars } = instance(f, 100);
          const want = await reference(f, points, scalars);
          const mont = scalars.map((s) => new Uint8Array(f.Fr.e(s)));
          assertSameBytes(await native(curve, group, points, mont, { scalarsMontgomery: true }), want,
            `${curve} ${group} MSM with Montgomery scalars`);
          assertSameBytes(await native(curve, group, points, scalars.map((s) => leBytes(s, 32)), { threads: 1 }),
            want, `${curve} ${group} MSM on one thread`);
        });

        it('fixed cases: infinity, zero scalar, scalar 1, r-1, P·k + P·(r-k) = O, all-infinity', async () => {
          const P = f.pool[0];
          const O = new Uint8Array(f.pb);
          const k = f.rng.below(f.r);
          const negP = new Uint8Array(f.G.toAffine(f.G.neg(P)));
          const cases: [string, Uint8Array[], bigint[], Uint8Array][] = [
            ['1·O', [O], [1n], O],
            ['0·P', [P], [0n], O],
            ['1·P', [P], [1n], P],
            ['(r-1)·P', [P], [f.r - 1n], negP],
            ['k·P + (r-k)·P', [P, P], [k, f.r - k], O],
            ['k·P + k·(-P)', [P, negP], [k, k], O],
            ['all infinity', [O, O, O, O, O, O, O], [1n, 2n, 3n, 4n, 5n, 6n, 7n], O],
            ['all zero scalars', [P, f.pool[1], f.pool[2]], [0n, 0n, 0n], O],
          ];
          for (const [name, pts, sc, want] of cases) {
            assertSameBytes(await reference(f, pts, sc), want, `reference ${name}`); // the vector itself
            assertSameBytes(await native(curve, group, pts, sc.map((s) => leBytes(s, 32))), want,
              `${curve} ${group} ${name}`);
          }
        });
      });
    }
  }

  it('rejects mismatched sizes before calling the engine', async () => {
    const e = engine();
    await assert.rejects(e.msmG1('bn254', new Uint8Array(65), new Uint8Array(32), null),
      (err: unknown) => err instanceof NativeError && err.code === 'INVALID_ARGUMENT' && /64-byte/.test(err.message));
    await assert.rejects(e.msmG1('bn254', new Uint8Array(128), new Uint8Array(32), null),
      (err: unknown) => err instanceof NativeError && err.code === 'INVALID_ARGUMENT' && /scalars/.test(err.message));
    await assert.rejects(e.msmG2('bls12-381', new Uint8Array(96), new Uint8Array(32), null),
      (err: unknown) => err instanceof NativeError && /192-byte/.test(err.message));
    await assert.rejects(e.msmG1('secp256k1' as Curve, new Uint8Array(0), new Uint8Array(0), null),
      (err: unknown) => err instanceof NativeError && /unknown curve/.test(err.message));
    await assert.rejects(e.msmG1('bn254', new Uint8Array(0), new Uint8Array(0), { device: 'tpu' as 'cpu' }),
      (err: unknown) => err instanceof NativeError && /unknown device/.test(err.message));
  });

  it('a point that is not on the curve, or a coordinate not below p, is an error, not a crash', async () => {
    // Not asserting which: the engine may check points or not, but must answer (no crash, no hang).
    const bad = new Uint8Array(64).fill(0xff);
    let outcome = 'resolved';
    try { await engine().msmG1('bn254', bad, leBytes(5n, 32), null); } catch (err) { outcome = (err as NativeError).code; }
    assert.ok(['resolved', 'INVALID_ARGUMENT'].includes(outcome), outcome);
  });

  it('device cuda: matches ffjavascript where there is a card, UNSUPPORTED where there is none', async () => {
    const e = engine();
    if (e.info().cudaDevices === 0) {
      await assert.rejects(e.msmG1('bn254', new Uint8Array(0), new Uint8Array(0), { device: 'cuda' }),
        (err: unknown) => err instanceof NativeError && err.code === 'UNSUPPORTED');
      return;
    }
    // On a GPU machine: the same cross-checks, on the card.
    let salt = 150;
    for (const curve of CURVES) {
      for (const group of ['G1', 'G2'] as Group[]) {
        const f = await fixture(curve, group, salt++);
        for (const n of [1, 7, 1000, 1 << 12]) {
          const { points, scalars } = instance(f, n);
          const want = await reference(f, points, scalars);
          const fn = group === 'G1' ? e.msmG1.bind(e) : e.msmG2.bind(e);
          const got = await fn(curve, concat(points), concat(scalars.map((x) => leBytes(x, 32))), { device: 'cuda' });
          assertSameBytes(got, want, `${curve} ${group} CUDA MSM n=${n}`);
        }
      }
    }
  });
});
