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
import { C1Error, C1Store, C1Upload, type C1Owners, C2Verifier, c2Circuit, c2InputJson, c2MemoryNeed, c2ShapeOf, type C2Payload } from '../../broker/c2';
import { proofsToFilecoin } from '../../src/common/filecoin';
import { makeLogger } from '../../src/common/log';
import { chooseProver, type MatchCandidate } from '../../broker/match';
import { DEFAULT_MONEY_POLICY, type JobRecord } from '../../broker/store/types';
import { commit1Json, generateSector } from '../../src/porep/sector';
import { prng, randomSeed } from './helpers';

const sha = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');

async function c1Error(f: () => Promise<unknown>, code: C1Error['code'], re: RegExp): Promise<void> {
  try { await f(); } catch (e) {
    assert.ok(e instanceof C1Error, `expected a C1Error, got ${(e as Error).stack}`);
    assert.strictEqual(e.code, code, e.message);
    assert.match(e.message, re);
    return;
  }
  assert.fail(`expected a ${code} C1Error`);
}

/** The store's c1_owners table (migration 0016) in memory; the e2e tests run the real one. */
function memoryOwners(): C1Owners & { rows: Set<string> } {
  const rows = new Set<string>();
  return {
    rows,
    addC1Owner: async (s, a) => { rows.add(`${a}/${s}`); },
    ownsC1: async (s, a) => rows.has(`${a}/${s}`),
  };
}

describe('filecoin-c2: the c1 store', function () {
  this.timeout(60_000);
  let dir: string;
  let store: C1Store;
  let c1: Buffer;
  const owners = memoryOwners();
  const A = 'a_alice';
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-c1-'));
    store = new C1Store(dir, new ArtifactStore(dir), 1 << 20, owners);
    c1 = Buffer.from(commit1Json(await generateSector({ size: 'small', partitions: 3, seed: 'c1-store' })));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('an interrupted upload resumes where it stopped; the complete c1 is parsed, stored by hash and deduplicated', async () => {
    const h = sha(c1);
    const half = Math.floor(c1.length / 2);
    const u1 = await store.begin(h, A, c1.length, 0) as C1Upload;
    u1.write(c1.subarray(0, 1000));
    await c1Error(() => store.begin(h, A, c1.length, 0), 'aborted', /in progress/);
    u1.write(c1.subarray(1000, half));
    u1.abort(); // the call broke off
    assert.deepStrictEqual({ ...await store.statusFor(h, A), info: null }, { sha256: h, size: 0, received: half, complete: false, info: null });
    await c1Error(() => store.begin(h, A, c1.length, 10), 'precondition', new RegExp(`holds ${half} bytes of it`));
    const u2 = await store.begin(h, A, c1.length, half) as C1Upload;
    u2.write(c1.subarray(half));
    const st = await u2.finish();
    assert.deepStrictEqual(st.info, { proofType: 'PoRepShapedSmallV1', sectorSize: 4096, partitions: 3, sectorNum: 1 });
    assert.strictEqual(st.complete, true);
    assert.deepStrictEqual(fs.readFileSync(store.path(h)), c1, 'stored byte for byte under its hash');
    const again = await store.begin(h, A, c1.length, 0);
    assert.ok(!('write' in again) && again.complete, 'a c1 already held completes at once');
    // a fresh store on the same folder (a broker restart) still knows it
    const restarted = new C1Store(dir, new ArtifactStore(dir), 1 << 20, owners);
    assert.strictEqual(restarted.status(h).complete, true);
    assert.strictEqual((await restarted.statusFor(h, A)).complete, true);
  });

  it('uploads are per account: another account sees an unknown hash, cannot resume, block or overwrite, and must send the bytes itself', async () => {
    const sector = Buffer.from(commit1Json(await generateSector({ size: 'small', partitions: 2, seed: 'c1-accounts' })));
    const h = sha(sector);
    const half = Math.floor(sector.length / 2);
    const B = 'a_bob';
    const unknown = async (acct: string) => assert.deepStrictEqual(await store.statusFor(h, acct), { sha256: h, size: 0, received: 0, complete: false, info: null });
    const a1 = await store.begin(h, A, sector.length, 0) as C1Upload;
    a1.write(sector.subarray(0, half));
    await unknown(B); // alice's upload in progress: nothing seen, nothing blocked
    await c1Error(() => store.begin(h, B, sector.length, half), 'precondition', /holds 0 bytes of it/);
    const b1 = await store.begin(h, B, sector.length, 0) as C1Upload;
    b1.write(Buffer.alloc(half, 0x20)); // bob's garbage goes to bob's own part
    b1.abort();
    a1.abort();
    assert.strictEqual((await store.statusFor(h, A)).received, half, 'alice\'s part is untouched');
    assert.strictEqual((await store.statusFor(h, B)).received, half, 'bob sees only his own part');
    const a2 = await store.begin(h, A, sector.length, half) as C1Upload;
    a2.write(sector.subarray(half));
    assert.strictEqual((await a2.finish()).complete, true);
    await c1Error(() => store.begin(h, B, sector.length, 7), 'precondition', new RegExp(`holds ${half} bytes of it`));
    await unknown('a_carol'); // complete for alice; still unknown to anyone else
    const headerOnly = await store.begin(h, 'a_carol', sector.length, 0);
    assert.ok('write' in headerOnly, 'a header alone does not make another account an owner');
    await assert.rejects((headerOnly as C1Upload).finish(), /truncated: 0 of/);
    // bob sends the genuine bytes himself: he owns it too, the storage is shared
    const b2 = await store.begin(h, B, sector.length, 0) as C1Upload;
    b2.write(sector);
    assert.strictEqual((await b2.finish()).complete, true);
    assert.deepStrictEqual([...owners.rows].filter((r) => r.endsWith(h)).sort(), [`${A}/${h}`, `${B}/${h}`]);
    assert.deepStrictEqual(fs.readFileSync(store.path(h)), sector);
    await unknown('a_carol');
  });

  it('refuses: over the size cap, a hash mismatch, a truncated upload (kept to resume), a malformed c1 (discarded, field named)', async () => {
    await c1Error(() => store.begin('ab'.repeat(32), A, (1 << 20) + 1, 0), 'exhausted', /over this broker's limit of 1048576 bytes.*--max-c1-bytes/);
    await c1Error(() => store.begin('not-a-hash', A, 10, 0), 'invalid', /not 64 lowercase hex/);
    const other = Buffer.from(c1); other[5] ^= 1;
    const u = await store.begin(sha(other), A, c1.length, 0) as C1Upload;
    u.write(c1); // declared the hash of `other`, sent `c1`
    await assert.rejects(u.finish(), (e: C1Error) => e.code === 'invalid' && /sha256 mismatch/.test(e.message));
    const t = await store.begin(sha(other), A, other.length, 0) as C1Upload;
    t.write(other.subarray(0, 100));
    await assert.rejects(t.finish(), (e: C1Error) => e.code === 'invalid' && /truncated: 100 of \d+ bytes received; resume with offset 100/.test(e.message));
    assert.strictEqual((await store.statusFor(sha(other), A)).received, 100);
    const bad = Buffer.from(JSON.stringify({ SectorNum: 1, SectorSize: 4096, Phase1Out: Buffer.from('{"registered_proof":"StackedDrg9GiBV1"}').toString('base64') }));
    const b = await store.begin(sha(bad), A, bad.length, 0) as C1Upload;
    b.write(bad);
    await assert.rejects(b.finish(), (e: C1Error) => e.code === 'invalid' && /no "vanilla_proofs"/.test(e.message));
    const st = await store.statusFor(sha(bad), A);
    assert.deepStrictEqual([st.received, st.complete], [0, false], 'a malformed c1 is not kept');
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
    assert.deepStrictEqual(c2ShapeOf(circuit), { proofType: 'StackedDrg32GiBV1_1', partitions: 10, sectorSize: 32 * 2 ** 30 });
    assert.deepStrictEqual(c2ShapeOf(c2Circuit({ proofType: 'PoRepShapedSmallV1', partitions: 2, sectorSize: 4096 }, 'm', 0)), { proofType: 'PoRepShapedSmallV1', partitions: 2, sectorSize: 4096 });
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
      const w = Math.floor(rnd() * sizes.length);
      const size = sizes[w];
      const pj = { ...p, sectorSize: size, proofType: `StackedDrg${['2KiB', '8MiB', '512MiB', '32GiB', '64GiB'][w]}V1_1`, partitions: size >= 32 * 2 ** 30 ? 10 : 1 };
      const cj = c2Circuit(pj, 'market', 0);
      const jb = { ...job, circuitId: cj.id, inputJson: c2InputJson(pj) };
      const cs = Array.from({ length: 1 + Math.floor(rnd() * 5) }, (_, k) => cand(`p${k}`, rnd() < 0.2 ? null : {
        sectorSizes: sizes.filter(() => rnd() < 0.5), memoryBytes: rnd() < 0.3 ? 0 : Math.floor(rnd() * 300 * 2 ** 30), price: BigInt(Math.floor(rnd() * 150)),
      }));
      const ok = cs.filter((c) => c.c2 && c.c2.sectorSizes.includes(size) && (!c.c2.memoryBytes || c.c2.memoryBytes >= c2MemoryNeed(size)) && c.c2.price <= 100n);
      const m = chooseProver(jb, cj, cs, DEFAULT_MONEY_POLICY);
      if ('none' in m) assert.strictEqual(ok.length, 0, `seed ${seed} case ${i}: ${ok.map((c) => c.proverId)} qualify but none was chosen (${m.none})`);
      else {
        const best = ok.reduce((a, c) => (c.c2!.price < a ? c.c2!.price : a), 1n << 62n);
        assert.ok(ok.some((c) => c.proverId === m.proverId), `seed ${seed} case ${i}: ${m.proverId} does not qualify`);
        assert.strictEqual(m.price, best, `seed ${seed} case ${i}: not the cheapest C2 ask`);
      }
    }
  });
});

describe('filecoin-c2: the verifier command contract', function () {
  this.timeout(60_000);
  const p: C2Payload = { c1Sha256: '00'.repeat(32), c1Size: 10, proofType: 'PoRepShapedSmallV1', sectorSize: 4096, partitions: 1 };
  let dir: string;
  let proof: Uint8Array;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-c2v-'));
    // a well-formed 192-byte proof (the generators, from @noble/curves): it decodes, so only the command can judge it
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { bls12_381 } = require('@noble/curves/bls12-381.js');
    const a = bls12_381.G1.Point.BASE.toAffine();
    const b = bls12_381.G2.Point.BASE.toAffine();
    const g1 = [a.x.toString(), a.y.toString(), '1'];
    proof = proofsToFilecoin([{ pi_a: g1, pi_b: [[b.x.c0.toString(), b.x.c1.toString()], [b.y.c0.toString(), b.y.c1.toString()], ['1', '0']], pi_c: g1 }]);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const verifier = (script: string, timeoutMs = 30_000) =>
    new C2Verifier({ command: ['sh', '-c', script, 'sh'], timeoutMs }, dir, makeLogger('test', () => {}));

  it('exit 0 valid, 1 invalid (with its stderr), other exits and timeouts undecided; the paths and environment are passed', async () => {
    const seen = path.join(dir, 'seen');
    const v0 = await verifier(`echo "$1|$(wc -c < "$2")|$PM_PROOF_TYPE|$PM_PARTITIONS|$PM_SECTOR_SIZE" > '${seen}'; exit 0`).verify('j1', p, '/the/c1.json', proof);
    assert.deepStrictEqual(v0, { kind: 'valid' });
    assert.strictEqual(fs.readFileSync(seen, 'utf8').trim(), '/the/c1.json|192|PoRepShapedSmallV1|1|4096');
    const v1 = await verifier('echo "partition 0 does not verify" >&2; exit 1').verify('j1', p, '/c1', proof);
    assert.deepStrictEqual(v1, { kind: 'invalid', reason: 'the C2 verifier rejected the proof: partition 0 does not verify' });
    const v3 = await verifier('echo "vkey missing" >&2; exit 3').verify('j1', p, '/c1', proof);
    assert.strictEqual(v3.kind, 'error');
    assert.match((v3 as { reason: string }).reason, /could not decide \(exit 3\): vkey missing/);
    const vt = await verifier('sleep 30', 300).verify('j1', p, '/c1', proof);
    assert.deepStrictEqual(vt, { kind: 'error', reason: 'the C2 verifier ran past its 300 ms limit' });
    assert.deepStrictEqual(fs.readdirSync(dir).filter((f) => f.startsWith('verify-')), [], 'per-run folders are removed');
  });

  it('a proof of the wrong length or with undecodable points is invalid without running the command', async () => {
    const marker = path.join(dir, 'ran');
    const v = verifier(`touch '${marker}'; exit 0`);
    assert.match((await v.verify('j1', p, '/c1', proof.subarray(0, 191)) as { reason: string }).reason, /191 bytes, PoRepShapedSmallV1 needs 1 × 192/);
    const garbage = new Uint8Array(192).fill(0xff);
    assert.match((await v.verify('j1', p, '/c1', garbage) as { reason: string }).reason, /does not decode/);
    assert.strictEqual(fs.existsSync(marker), false);
  });
});
