// Resident proving keys (prover/backends/resident.ts): the native backends keep opened zkeys
// across jobs within a byte budget, least recently used out, never closing a key under a
// running proof, and reopening a key whose file changed. Real engine, real keys (development
// keys of the example circuit made here), proofs from resident keys verified by snarkjs.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ResidentZkeys } from '../../prover/backends/resident';
import { EXAMPLES, Rng, announceSeed, engine, releaseSnarkjsCurves, requireArtifacts, snarkjs, witnessFor } from './util';

describe('resident proving keys', function () {
  this.timeout(300000);
  const bn = EXAMPLES.find((c) => c.curve === 'bn254')!;
  const rng = new Rng(500);
  let tmp: string;
  let keyA: string;
  let keyB: string;
  let size: number;
  let wtns: Uint8Array;

  before(async () => {
    announceSeed();
    requireArtifacts(bn, ['r1cs', 'wasm', 'input']);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-resident-'));
    keyA = path.join(tmp, 'a.zkey');
    keyB = path.join(tmp, 'b.zkey');
    await engine().devSetupR1cs(keyA, bn.r1cs, BigInt(rng.u32()));
    await engine().devSetupR1cs(keyB, bn.r1cs, BigInt(rng.u32()));
    size = fs.statSync(keyA).size;
    assert.strictEqual(fs.statSync(keyB).size, size);
    wtns = await witnessFor(bn);
  });
  after(async () => {
    await releaseSnarkjsCurves();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the second job of a key reuses the opened key, and its proof verifies with snarkjs', async () => {
    const keys = new ResidentZkeys(engine(), 10 * size);
    try {
      const first = await keys.acquire(keyA);
      assert.strictEqual(first.resident, false);
      first.release();
      const second = await keys.acquire(keyA);
      assert.strictEqual(second.resident, true);
      assert.strictEqual(second.zkey, first.zkey, 'the same handle');
      assert.ok(!second.zkey.closed);
      const r = await engine().prove(second.zkey, wtns, { device: 'cpu' });
      second.release();
      second.release(); // twice is harmless
      const vkey = await snarkjs.zKey.exportVerificationKey(keyA, { info() {}, debug() {}, warn() {}, error() {} });
      assert.ok(await snarkjs.groth16.verify(vkey, r.publicSignals, r.proof, { info() {}, debug() {}, warn() {}, error() {} }));
      assert.deepStrictEqual(keys.stats(), {
        hits: 1, misses: 1, evictions: 0, residentBytes: size, budgetBytes: 10 * size, keys: [keyA],
      });
    } finally {
      await keys.close();
    }
  });

  it('over the budget, the least recently used idle key is closed; a key in use is closed only when released', async () => {
    const keys = new ResidentZkeys(engine(), size); // room for one key
    try {
      const a = await keys.acquire(keyA);
      a.release();
      const b = await keys.acquire(keyB); // A is idle and least recently used: out
      await new Promise((r) => setImmediate(r));
      assert.ok(a.zkey.closed, 'A was evicted and closed');
      assert.deepStrictEqual(keys.stats().keys, [keyB]);
      const a2 = await keys.acquire(keyA); // B is still in use: both stay over budget
      assert.strictEqual(a2.resident, false);
      assert.ok(!b.zkey.closed, 'B is in use and must stay open');
      const proving = engine().prove(b.zkey, wtns, { device: 'cpu' });
      b.release(); // B is now idle and LRU: closed; the engine lets the running proof finish
      const r = await proving;
      assert.ok(r.publicSignals.length > 0);
      await new Promise((res) => setImmediate(res));
      assert.ok(b.zkey.closed);
      assert.deepStrictEqual(keys.stats().keys, [keyA]);
      a2.release();
      assert.strictEqual(keys.stats().evictions, 2);
      // budget 0: nothing stays between jobs
      const none = new ResidentZkeys(engine(), 0);
      const l = await none.acquire(keyA);
      assert.ok(!l.zkey.closed);
      l.release();
      await new Promise((res) => setImmediate(res));
      assert.ok(l.zkey.closed);
      assert.deepStrictEqual(none.stats().keys, []);
      await none.close();
    } finally {
      await keys.close();
    }
  });

  it('a key file replaced on disk is opened afresh; a missing one rejects and is not kept', async () => {
    const p = path.join(tmp, 'replaced.zkey');
    fs.copyFileSync(keyA, p);
    const keys = new ResidentZkeys(engine(), 10 * size);
    try {
      const one = await keys.acquire(p);
      one.release();
      fs.copyFileSync(keyB, p);
      const t = new Date(Date.now() + 5000);
      fs.utimesSync(p, t, t); // a different mtime even on coarse file systems
      const two = await keys.acquire(p);
      assert.strictEqual(two.resident, false);
      assert.notStrictEqual(two.zkey, one.zkey);
      await new Promise((res) => setImmediate(res));
      assert.ok(one.zkey.closed, 'the stale handle is closed');
      two.release();
      await assert.rejects(keys.acquire(path.join(tmp, 'missing.zkey')), /ENOENT|no such file/);
      fs.writeFileSync(path.join(tmp, 'junk.zkey'), 'not a zkey');
      await assert.rejects(keys.acquire(path.join(tmp, 'junk.zkey')), /FORMAT|zkey/i);
      assert.deepStrictEqual(keys.stats().keys, [p]);
    } finally {
      await keys.close();
    }
    await assert.rejects(keys.acquire(keyA), /closed/);
  });
});
