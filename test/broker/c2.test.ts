// filecoin-c2 at the broker without a server: the c1.json store (chunked, hashed, resumable,
// size-capped, content-addressed; a malformed c1 discarded with the field named) and the matching
// rule (a C2 job goes only to a prover running a C2 command for its sector size, with the memory
// for it, at its C2 ask per job), on random sizes with the seed printed.
import * as assert from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ArtifactStore } from '../../broker/artifacts';
import { C1Error, C1Store, C1Upload, c2Circuit, c2InputJson, c2MemoryNeed, type C2Payload } from '../../broker/c2';
import { chooseProver, type MatchCandidate } from '../../broker/match';
import { DEFAULT_MONEY_POLICY, type JobRecord } from '../../broker/store/types';
import { commit1Json, generateSector } from '../../src/porep/sector';
import { prng, randomSeed } from './helpers';

const sha = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');

function c1Error(f: () => unknown, code: C1Error['code'], re: RegExp): void {
  try { f(); } catch (e) {
    assert.ok(e instanceof C1Error, `expected a C1Error, got ${(e as Error).stack}`);
    assert.strictEqual(e.code, code, e.message);
    assert.match(e.message, re);
    return;
  }
  assert.fail(`expected a ${code} C1Error`);
}

describe('filecoin-c2: the c1 store', function () {
  this.timeout(60_000);
  let dir: string;
  let store: C1Store;
  let c1: Buffer;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-c1-'));
    store = new C1Store(dir, new ArtifactStore(dir), 1 << 20);
    c1 = Buffer.from(commit1Json(await generateSector({ size: 'small', partitions: 3, seed: 'c1-store' })));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('an interrupted upload resumes where it stopped; the complete c1 is parsed, stored by hash and deduplicated', async () => {
    const h = sha(c1);
    const half = Math.floor(c1.length / 2);
    const u1 = store.begin(h, c1.length, 0) as C1Upload;
    u1.write(c1.subarray(0, 1000));
    c1Error(() => store.begin(h, c1.length, 0), 'aborted', /in progress/);
    u1.write(c1.subarray(1000, half));
    u1.abort(); // the call broke off
    assert.deepStrictEqual({ ...store.status(h), info: null }, { sha256: h, size: 0, received: half, complete: false, info: null });
    c1Error(() => store.begin(h, c1.length, 10), 'precondition', new RegExp(`holds ${half} bytes of it`));
    const u2 = store.begin(h, c1.length, half) as C1Upload;
    u2.write(c1.subarray(half));
    const st = await u2.finish();
    assert.deepStrictEqual(st.info, { proofType: 'PoRepShapedSmallV1', sectorSize: 4096, partitions: 3, sectorNum: 1 });
    assert.strictEqual(st.complete, true);
    assert.deepStrictEqual(fs.readFileSync(store.path(h)), c1, 'stored byte for byte under its hash');
    const again = store.begin(h, c1.length, 0);
    assert.ok(!('write' in again) && again.complete, 'a c1 already held completes at once');
    // a fresh store on the same folder (a broker restart) still knows it
    assert.strictEqual(new C1Store(dir, new ArtifactStore(dir), 1 << 20).status(h).complete, true);
  });

  it('refuses: over the size cap, a hash mismatch, a truncated upload (kept to resume), a malformed c1 (discarded, field named)', async () => {
    c1Error(() => store.begin('ab'.repeat(32), (1 << 20) + 1, 0), 'exhausted', /over this broker's limit of 1048576 bytes.*--max-c1-bytes/);
    c1Error(() => store.begin('not-a-hash', 10, 0), 'invalid', /not 64 lowercase hex/);
    const other = Buffer.from(c1); other[5] ^= 1;
    const u = store.begin(sha(other), c1.length, 0) as C1Upload;
    u.write(c1); // declared the hash of `other`, sent `c1`
    await assert.rejects(u.finish(), (e: C1Error) => e.code === 'invalid' && /sha256 mismatch/.test(e.message));
    const t = store.begin(sha(other), other.length, 0) as C1Upload;
    t.write(other.subarray(0, 100));
    await assert.rejects(t.finish(), (e: C1Error) => e.code === 'invalid' && /truncated: 100 of \d+ bytes received; resume with offset 100/.test(e.message));
    assert.strictEqual(store.status(sha(other)).received, 100);
    const bad = Buffer.from(JSON.stringify({ SectorNum: 1, SectorSize: 4096, Phase1Out: Buffer.from('{"registered_proof":"StackedDrg9GiBV1"}').toString('base64') }));
    const b = store.begin(sha(bad), bad.length, 0) as C1Upload;
    b.write(bad);
    await assert.rejects(b.finish(), (e: C1Error) => e.code === 'invalid' && /no "vanilla_proofs"/.test(e.message));
    assert.deepStrictEqual([store.status(sha(bad)).received, store.status(sha(bad)).complete], [0, false], 'a malformed c1 is not kept');
  });
});

describe('filecoin-c2: matching', () => {
  const p: C2Payload = { c1Sha256: '00'.repeat(32), c1Size: 100, proofType: 'StackedDrg32GiBV1_1', sectorSize: 32 * 2 ** 30, partitions: 10 };
  const circuit = c2Circuit(p, 'market', 0);
  const job: JobRecord = {
    id: 'j1', ownerAccountId: 'a', requestId: 'r', circuitId: circuit.id, state: 'QUEUED', inputJson: c2InputJson(p), witness: null, payloadSha256: p.c1Sha256,
    attempts: 0, maxAttempts: 3, proverId: '', leaseToken: '', leaseExpiresMs: 0, progress: 0, stage: '', proofJson: '', publicJson: '',
    backend: '', proveMs: 0, error: '', excluded: [], deadlineMs: 0, maxPrice: '100', price: '0', stake: '0', createdMs: 0, updatedMs: 0,
  };
  const cand = (id: string, c2: MatchCandidate['c2'], price = 1n): MatchCandidate => ({
    proverId: id, curves: ['bn254', 'bls12-381'], maxConstraints: 1000, price, pricePerMConstraints: 1000n, reputation: 0, active: 0, slots: 1,
    freeStake: 1000n, c2,
  });

  it('only provers running C2 for the sector size and with its memory; priced per job, not per constraint', () => {
    assert.deepStrictEqual(chooseProver(job, circuit, [cand('plain', null)], DEFAULT_MONEY_POLICY), { none: 'kind' });
    assert.deepStrictEqual(chooseProver(job, circuit, [cand('small-only', { sectorSizes: [2048], memoryBytes: 0, price: 5n })], DEFAULT_MONEY_POLICY), { none: 'sector_size' });
    assert.deepStrictEqual(chooseProver(job, circuit, [cand('tight', { sectorSizes: [p.sectorSize], memoryBytes: 64 * 2 ** 30, price: 5n })], DEFAULT_MONEY_POLICY), { none: 'memory' });
    assert.deepStrictEqual(chooseProver(job, circuit, [cand('dear', { sectorSizes: [p.sectorSize], memoryBytes: 0, price: 101n })], DEFAULT_MONEY_POLICY), { none: 'price' });
    // the plain prover is cheaper per proof and would be chosen for a Groth16 job; it never gets a C2 job
    const m = chooseProver(job, circuit, [cand('plain', null, 0n), cand('c2', { sectorSizes: [2048, p.sectorSize], memoryBytes: 512 * 2 ** 30, price: 40n }, 7n)], DEFAULT_MONEY_POLICY);
    assert.deepStrictEqual(m, { proverId: 'c2', price: 40n, stake: 40n });
  });

  it('random provers: the chosen one always runs C2 for the size with enough (or unstated) memory, and is the cheapest such', () => {
    const seed = randomSeed();
    console.log(`      c2 matching: seed ${seed} (replay with PM_SEED=${seed})`);
    const rnd = prng(seed);
    const sizes = [2048, 8 << 20, 512 << 20, 32 * 2 ** 30, 64 * 2 ** 30];
    for (let i = 0; i < 300; i++) {
      const size = sizes[Math.floor(rnd() * sizes.length)];
      const pj = { ...p, sectorSize: size };
      const jb = { ...job, inputJson: c2InputJson(pj) };
      const cs = Array.from({ length: 1 + Math.floor(rnd() * 5) }, (_, k) => cand(`p${k}`, rnd() < 0.2 ? null : {
        sectorSizes: sizes.filter(() => rnd() < 0.5), memoryBytes: rnd() < 0.3 ? 0 : Math.floor(rnd() * 300 * 2 ** 30), price: BigInt(Math.floor(rnd() * 150)),
      }));
      const ok = cs.filter((c) => c.c2 && c.c2.sectorSizes.includes(size) && (!c.c2.memoryBytes || c.c2.memoryBytes >= c2MemoryNeed(size)) && c.c2.price <= 100n);
      const m = chooseProver(jb, circuit, cs, DEFAULT_MONEY_POLICY);
      if ('none' in m) assert.strictEqual(ok.length, 0, `seed ${seed} case ${i}: ${ok.map((c) => c.proverId)} qualify but none was chosen (${m.none})`);
      else {
        const best = ok.reduce((a, c) => (c.c2!.price < a ? c.c2!.price : a), 1n << 62n);
        assert.ok(ok.some((c) => c.proverId === m.proverId), `seed ${seed} case ${i}: ${m.proverId} does not qualify`);
        assert.strictEqual(m.price, best, `seed ${seed} case ${i}: not the cheapest C2 ask`);
      }
    }
  });
});
