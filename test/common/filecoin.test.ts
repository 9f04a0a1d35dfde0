// Filecoin's 192-byte proof encoding (src/common/filecoin.ts) against an independent, well-kept
// implementation of the zcash BLS12-381 serialization: @noble/curves. Random points (seeded,
// replay with PM_TEST_SEED) in both directions, both sign cases, the point at infinity, a real
// proof from the committed BLS12-381 example, and malformed encodings that must be refused.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  decodeG1, decodeG2, encodeG1, encodeG2, proofFromFilecoin, proofToFilecoin, proofsFromFilecoin,
  proofsToFilecoin, CURVES, SnarkjsProof,
} from '../../src/common';
import { circuitsByCurve, releaseSnarkjs, seededRandom, verifyProof } from '../helpers/circuits';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bls12_381 } = require('@noble/curves/bls12-381.js');
const G1 = bls12_381.G1.Point;
const G2 = bls12_381.G2.Point;
const R = CURVES['bls12-381'].r;
const P = CURVES['bls12-381'].q;
const HALF = (P - 1n) / 2n;

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

interface NobleG1 { x: bigint; y: bigint }
interface NobleG2 { x: { c0: bigint; c1: bigint }; y: { c0: bigint; c1: bigint } }

/** A noble point (non-zero) as a snarkjs JSON triple. */
function g1Json(p: { toAffine(): NobleG1; is0(): boolean }): string[] {
  if (p.is0()) return ['0', '1', '0'];
  const a = p.toAffine();
  return [a.x.toString(), a.y.toString(), '1'];
}
function g2Json(p: { toAffine(): NobleG2; is0(): boolean }): string[][] {
  if (p.is0()) return [['0', '0'], ['1', '0'], ['0', '0']];
  const a = p.toAffine();
  return [[a.x.c0.toString(), a.x.c1.toString()], [a.y.c0.toString(), a.y.c1.toString()], ['1', '0']];
}

describe('Filecoin 192-byte proof encoding (zcash BLS12-381 compressed points)', function () {
  this.timeout(120_000);
  const rnd = seededRandom('filecoin encoding');
  const scalar = (): bigint => 1n + (rnd.next() % (R - 1n));

  after(releaseSnarkjs);

  it('G1: our encoding equals noble\'s on random points, both signs, and decodes noble\'s bytes', function () {
    const signs = new Set<boolean>();
    for (let i = 0; i < 24; i++) {
      let p = G1.BASE.multiply(scalar());
      if (i % 2 === 1) p = p.negate(); // both y and -y of the same x
      const a = p.toAffine() as NobleG1;
      signs.add(a.y > HALF);
      const ours = encodeG1({ x: a.x, y: a.y });
      const theirs = p.toBytes(true) as Uint8Array;
      assert.strictEqual(hex(ours), hex(theirs), `G1 point ${i}`);
      assert.deepStrictEqual(decodeG1(theirs), { x: a.x, y: a.y });
      assert.ok(G1.fromBytes(ours).equals(p));
    }
    assert.deepStrictEqual([...signs].sort(), [false, true], 'both sign cases were exercised');
  });

  it('G2: our encoding equals noble\'s on random points, both signs, and decodes noble\'s bytes', function () {
    const signs = new Set<boolean>();
    for (let i = 0; i < 12; i++) {
      let p = G2.BASE.multiply(scalar());
      if (i % 2 === 1) p = p.negate();
      const a = p.toAffine() as NobleG2;
      signs.add(a.y.c1 !== 0n ? a.y.c1 > HALF : a.y.c0 > HALF);
      const pt = { x: [a.x.c0, a.x.c1] as [bigint, bigint], y: [a.y.c0, a.y.c1] as [bigint, bigint] };
      const ours = encodeG2(pt);
      const theirs = p.toBytes(true) as Uint8Array;
      assert.strictEqual(hex(ours), hex(theirs), `G2 point ${i}`);
      assert.deepStrictEqual(decodeG2(theirs), pt);
      assert.ok(G2.fromBytes(ours).equals(p));
    }
    assert.deepStrictEqual([...signs].sort(), [false, true], 'both sign cases were exercised');
  });

  it('the point at infinity: 0xc0 then zeros, both ways', function () {
    assert.strictEqual(hex(encodeG1(null)), hex(G1.ZERO.toBytes(true)));
    assert.strictEqual(hex(encodeG2(null)), hex(G2.ZERO.toBytes(true)));
    assert.strictEqual(decodeG1(G1.ZERO.toBytes(true)), null);
    assert.strictEqual(decodeG2(G2.ZERO.toBytes(true)), null);
    const proof = { pi_a: g1Json(G1.ZERO), pi_b: g2Json(G2.ZERO), pi_c: g1Json(G1.BASE), protocol: 'groth16', curve: 'bls12381' };
    const bytes = proofToFilecoin(proof);
    assert.strictEqual(bytes[0], 0xc0);
    assert.strictEqual(bytes[48], 0xc0);
    assert.deepStrictEqual(proofFromFilecoin(bytes), proof);
  });

  it('random proofs: proof.json → 192 bytes equals noble\'s A‖B‖C, and back; N proofs concatenate in order', function () {
    const proofs: SnarkjsProof[] = [];
    const expected: string[] = [];
    for (let i = 0; i < 6; i++) {
      const a = G1.BASE.multiply(scalar()); const b = G2.BASE.multiply(scalar()); const c = G1.BASE.multiply(scalar());
      const proof = { pi_a: g1Json(a), pi_b: g2Json(b), pi_c: g1Json(c), protocol: 'groth16', curve: 'bls12381' };
      const bytes = proofToFilecoin(proof);
      assert.strictEqual(bytes.length, 192);
      const want = hex(a.toBytes(true)) + hex(b.toBytes(true)) + hex(c.toBytes(true));
      assert.strictEqual(hex(bytes), want, `proof ${i}`);
      // decode noble's bytes with ours, and ours with noble's
      assert.deepStrictEqual(proofFromFilecoin(Buffer.from(want, 'hex')), proof);
      assert.ok(G2.fromBytes(bytes.subarray(48, 144)).equals(b));
      proofs.push(proof); expected.push(want);
    }
    const all = proofsToFilecoin(proofs);
    assert.strictEqual(all.length, 6 * 192);
    assert.strictEqual(hex(all), expected.join(''));
    assert.deepStrictEqual(proofsFromFilecoin(all), proofs);
  });

  it('a real snarkjs proof of the BLS12-381 example survives the round trip and still verifies', async function () {
    const c = circuitsByCurve()['bls12-381'];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const snarkjs = require('snarkjs');
    const { proof, publicSignals } = await snarkjs.groth16.fullProve(c.input, c.wasm, c.zkey);
    const bytes = proofToFilecoin(proof);
    const back = proofFromFilecoin(bytes);
    assert.deepStrictEqual(back, { pi_a: proof.pi_a, pi_b: proof.pi_b, pi_c: proof.pi_c, protocol: 'groth16', curve: 'bls12381' });
    assert.strictEqual(await verifyProof(c, JSON.stringify(back), JSON.stringify(publicSignals)), true);
  });

  it('refuses malformed encodings with a message naming the problem', function () {
    const good = proofToFilecoin({ pi_a: g1Json(G1.BASE), pi_b: g2Json(G2.BASE), pi_c: g1Json(G1.BASE) });
    const bad = (mutate: (b: Uint8Array) => void, re: RegExp): void => {
      const b = Uint8Array.from(good); mutate(b);
      assert.throws(() => proofFromFilecoin(b), re);
    };
    assert.throws(() => proofFromFilecoin(good.subarray(0, 191)), /192 bytes/);
    bad((b) => { b[0] &= 0x7f; }, /A: compression flag/);
    bad((b) => { b[48] |= 0x40; }, /B: infinity flag set/);
    bad((b) => { b[144] = 0x9f; b.fill(0xff, 145, 192); }, /C: coordinate is not below the field modulus/);
    // an x with no curve point: search a small x whose x³ + 4 is not a square (noble agrees)
    for (let x = 1; ; x++) {
      const enc = encodeG1({ x: BigInt(x), y: 0n });
      let nobleOk = true;
      try { G1.fromBytes(enc); } catch { nobleOk = false; }
      let oursOk = true;
      try { decodeG1(enc); } catch { oursOk = false; }
      assert.strictEqual(oursOk, nobleOk, `x = ${x}: ours and noble disagree on validity`);
      if (!oursOk) {
        assert.throws(() => decodeG1(enc), /abscissa|subgroup/);
        break;
      }
    }
    // a G1 point on the curve but outside the prime-order subgroup: x = 0 (0³ + 4 = 2²)
    assert.throws(() => decodeG1(encodeG1({ x: 0n, y: 2n })), /subgroup/);
    assert.throws(() => G1.fromBytes(encodeG1({ x: 0n, y: 2n })));
    // snarkjs side: another curve, a point off the curve
    assert.throws(() => proofToFilecoin({ pi_a: ['1', '2', '1'], pi_b: g2Json(G2.BASE), pi_c: g1Json(G1.BASE) }), /pi_a: not a point/);
    assert.throws(() => proofToFilecoin({ pi_a: g1Json(G1.BASE), pi_b: g2Json(G2.BASE), pi_c: g1Json(G1.BASE), curve: 'bn128' }), /BLS12-381/);
  });

  it('proofmarket filecoin encode/decode: files in, files out, round trip', function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-fil-'));
    try {
      // exercised through the CLI module directly (no broker needed)
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { spawnSync } = require('child_process');
      const cli = path.resolve(__dirname, '..', '..', 'src', 'cli', 'main.js');
      const proofs = [0, 1].map(() => ({ pi_a: g1Json(G1.BASE.multiply(scalar())), pi_b: g2Json(G2.BASE.multiply(scalar())), pi_c: g1Json(G1.BASE.multiply(scalar())), protocol: 'groth16', curve: 'bls12381' }));
      proofs.forEach((p, i) => fs.writeFileSync(path.join(dir, `p${i}.json`), JSON.stringify(p)));
      const enc = spawnSync(process.execPath, [cli, 'filecoin', 'encode', path.join(dir, 'p0.json'), path.join(dir, 'p1.json'), '--out', path.join(dir, 'proof.bin')], { encoding: 'utf8' });
      assert.strictEqual(enc.status, 0, enc.stderr);
      assert.strictEqual(hex(fs.readFileSync(path.join(dir, 'proof.bin'))), hex(proofsToFilecoin(proofs)));
      const dec = spawnSync(process.execPath, [cli, 'filecoin', 'decode', path.join(dir, 'proof.bin'), '--out', path.join(dir, 'dec')], { encoding: 'utf8' });
      assert.strictEqual(dec.status, 0, dec.stderr);
      for (const i of [0, 1]) {
        assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(dir, 'dec', `partition-${i}`, 'proof.json'), 'utf8')), proofs[i]);
      }
      fs.writeFileSync(path.join(dir, 'short.bin'), Buffer.alloc(100));
      const badDec = spawnSync(process.execPath, [cli, 'filecoin', 'decode', path.join(dir, 'short.bin'), '--out', path.join(dir, 'x')], { encoding: 'utf8' });
      assert.strictEqual(badDec.status, 1);
      assert.match(badDec.stderr, /^error: .*multiple of 192 bytes/m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
