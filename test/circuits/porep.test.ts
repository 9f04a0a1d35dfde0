// The PoRep-shaped circuit at the small size (circuits/build/porep_small, committed): a fresh
// synthetic sector (seed printed, PM_TEST_SEED replays it) whose partitions prove on snarkjs and
// on the native engine's cpu backend and verify with snarkjs; the public signals are the sector's
// commitments and challenges; a tampered input has no witness; the native proof survives the
// Filecoin 192-byte encoding and still verifies.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { generateSector, parentsOf, POREP_SIZES, PoRepHasher, Sector } from '../../src/porep/sector';
import { proofFromFilecoin, proofToFilecoin } from '../../src/common';
import { createNativeBackends } from '../../prover/backends/native';
import type { Backend } from '../../prover/backends/types';
import { computeWitness } from '../../prover/witness';
import { EXAMPLES, engine, witnessFor } from '../native/util';
import { releaseSnarkjs, seededRandom } from '../helpers/circuits';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const DIR = path.join(ROOT, 'circuits', 'build', 'porep_small');
const WASM = path.join(DIR, 'porep_small.wasm');
const ZKEY = path.join(DIR, 'porep_small.zkey');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const snarkjs = require('snarkjs');
const quiet = { info() {}, debug() {}, warn() {}, error() {} };

/** snarkjs's public-signal order: the public inputs in declaration order, arrays flattened. */
function expectedPublic(s: Sector, input: Record<string, unknown>): string[] {
  return [s.replicaId, s.commD, s.commR, ...(input.challenge as string[]), ...(input.parents as string[][]).flat()];
}

describe('PoRep-shaped circuit (small size, BLS12-381)', function () {
  this.timeout(600_000);
  const seed = seededRandom('porep sector').seed;
  let sector: Sector;
  let vkey: object;
  let hasher: PoRepHasher;

  before(async () => {
    hasher = await PoRepHasher.load();
    sector = await generateSector({ size: 'small', partitions: 3, seed }, hasher);
    vkey = JSON.parse(fs.readFileSync(path.join(DIR, 'verification_key.json'), 'utf8'));
  });
  after(releaseSnarkjs);

  it('the sector is consistent: labels from parents, replica = data + label, the public challenge set', async () => {
    const { depth, challenges } = POREP_SIZES.small;
    assert.strictEqual(sector.nodes, 1 << depth);
    assert.strictEqual(sector.inputs.length, 3);
    assert.strictEqual(sector.commR, (await hasher.h2(BigInt(sector.commC), BigInt(sector.commRLast))).toString());
    for (const input of sector.inputs) {
      const ch = (input.challenge as string[]).map(Number);
      assert.strictEqual(ch.length, challenges);
      ch.forEach((c, j) => {
        assert.ok(c >= 1 && c < sector.nodes);
        assert.deepStrictEqual((input.parents as string[][])[j].map(Number), parentsOf(seed, c));
      });
    }
    // partitions challenge different nodes (derived from the partition number)
    assert.notDeepStrictEqual(sector.inputs[0].challenge, sector.inputs[1].challenge);
  });

  it('partition 0 proves with snarkjs and verifies; a changed public signal does not', async () => {
    const input = sector.inputs[0];
    const { proof, publicSignals } = await snarkjs.groth16.fullProve(input, WASM, ZKEY, quiet);
    assert.deepStrictEqual(publicSignals, expectedPublic(sector, input));
    assert.strictEqual(await snarkjs.groth16.verify(vkey, publicSignals, proof, quiet), true);
    const bad = publicSignals.slice();
    bad[2] = (BigInt(bad[2]) + 1n).toString(); // commR
    assert.strictEqual(await snarkjs.groth16.verify(vkey, bad, proof, quiet), false);
  });

  it('partitions 1 and 2 prove on the native cpu engine, verify with snarkjs, and survive the 192-byte encoding', async () => {
    const { backends, warning } = await createNativeBackends(() => {});
    const cpu = backends.find((b) => b.name === 'cpu') as Backend | undefined;
    assert.ok(cpu, `no native cpu backend: ${warning}`);
    try {
      for (const k of [1, 2]) {
        const input = sector.inputs[k];
        const wtns = await computeWitness(JSON.stringify(input), WASM);
        const out = await cpu.prove({
          curve: 'bls12-381', zkeyPath: ZKEY, wtns, onProgress: () => {}, signal: new AbortController().signal,
        });
        assert.deepStrictEqual(out.publicSignals, expectedPublic(sector, input));
        assert.strictEqual(await snarkjs.groth16.verify(vkey, out.publicSignals, out.proof, quiet), true, `partition ${k}`);
        const back = proofFromFilecoin(proofToFilecoin(out.proof as never));
        assert.strictEqual(await snarkjs.groth16.verify(vkey, out.publicSignals, back, quiet), true, `partition ${k} after 192-byte round trip`);
      }
    } finally {
      for (const b of backends) await b.close();
    }
  });

  it('the engine itself writes the 192-byte encoding of its BLS12-381 proofs (none for BN254), byte-equal to ours and to noble\'s', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { bls12_381 } = require('@noble/curves/bls12-381.js');
    const z = await engine().openZkey(ZKEY);
    try {
      const input = sector.inputs[0];
      const r = await engine().prove(z, await computeWitness(JSON.stringify(input), WASM), { device: 'cpu' });
      assert.ok(r.filecoin, 'a BLS12-381 proof carries its Filecoin encoding');
      assert.strictEqual(Buffer.from(r.filecoin).toString('hex'), Buffer.from(proofToFilecoin(r.proof)).toString('hex'));
      const a = bls12_381.G1.Point.fromBytes(r.filecoin.subarray(0, 48)).toAffine();
      assert.deepStrictEqual([a.x.toString(), a.y.toString(), '1'], r.proof.pi_a);
      const b = bls12_381.G2.Point.fromBytes(r.filecoin.subarray(48, 144)).toAffine();
      assert.deepStrictEqual([[b.x.c0.toString(), b.x.c1.toString()], [b.y.c0.toString(), b.y.c1.toString()], ['1', '0']], r.proof.pi_b);
      assert.strictEqual(await snarkjs.groth16.verify(vkey, r.publicSignals, proofFromFilecoin(r.filecoin), quiet), true);
    } finally {
      z.close();
    }
    const bn = EXAMPLES.find((c) => c.curve === 'bn254')!;
    const zb = await engine().openZkey(bn.zkey);
    try {
      const r = await engine().prove(zb, await witnessFor(bn), { device: 'cpu' });
      assert.strictEqual(r.filecoin, undefined);
    } finally {
      zb.close();
    }
  });

  it('a tampered partition input has no witness (data, replica, parent label, challenge out of range)', async () => {
    const base = sector.inputs[0];
    const bump = (v: string): string => (BigInt(v) + 1n).toString();
    const cases: [string, (i: Record<string, any>) => void][] = [
      ['data', (i) => { i.data[0] = bump(i.data[0]); }],
      ['replica', (i) => { i.replica[1] = bump(i.replica[1]); }],
      ['parent label', (i) => { i.parentLabel[0][1] = bump(i.parentLabel[0][1]); }],
      ['challenge swapped for another node', (i) => { i.challenge[0] = String((Number(i.challenge[0]) % (sector.nodes - 1)) + 1); }],
      ['challenge out of range', (i) => { i.challenge[0] = String(Number(i.challenge[0]) + sector.nodes); }],
      ['commR', (i) => { i.commR = bump(i.commR); }],
    ];
    for (const [what, mutate] of cases) {
      const input = JSON.parse(JSON.stringify(base));
      mutate(input);
      await assert.rejects(computeWitness(JSON.stringify(input), WASM), /witness generation failed/, what);
    }
  });
});
