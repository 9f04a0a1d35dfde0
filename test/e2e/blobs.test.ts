// Artifact and c1 bytes shared through PostgreSQL (broker/blobs.ts): two broker processes with
// their own data dirs on one fresh database. Through broker A: a circuit is registered and a
// c1.json uploaded — first cut half-way (B shows it as not held and refuses a job on it with
// NOT_FOUND: a half upload is never served), then resumed on A to completion. A is killed -9. A
// prover connected only to B then fetches the circuit's zkey and wasm and the c1 from B (B pulls
// them from the database into its own cache), proves a Groth16 job submitted through B (verified
// here with snarkjs) and a filecoin-c2 job on the c1 (the stand-in C2 command; B's verifier command
// reads the c1 it pulled). Needs PM_TEST_PG_URL (.ci/run starts a server).

import * as assert from 'assert';
import * as crypto from 'crypto';
import * as grpc from '@grpc/grpc-js';
import * as fs from 'fs';
import * as path from 'path';
import { MarketClient, MarketError } from '../../src/client/market';
import { commit1Json, generateSector } from '../../src/porep/sector';
import { circuitsByCurve, freshInput, seededRandom, verifyProof } from '../helpers/circuits';
import { adminOf, registerExample, waitForJob } from '../helpers/market';
import { freshPgDatabase, requirePg } from '../helpers/pg';
import { ensurePmtool } from '../helpers/pmtool';
import { BrokerProc, ROOT, startBrokerProc, startProverProc, tmpDir } from '../helpers/procs';
import { liveProcessHooks } from '../helpers/hooks';

const STAND_IN = `${process.execPath} ${path.join(ROOT, 'scripts', 'porep-c2.js')}`;
const VERIFIER = `${process.execPath} ${path.join(ROOT, 'scripts', 'porep-c2-verify.js')}`;

describe('e2e: artifact and c1 bytes live in PostgreSQL; a broker killed -9 loses none of them', function () {
  this.timeout(600_000);
  let a: BrokerProc;
  let b: BrokerProc;
  let dropDb: (() => Promise<void>) | null = null;
  let c1File = '';
  const rnd = seededRandom('blobs e2e');

  before(async function () {
    requirePg(this, 'the shared-blobs test on PostgreSQL');
    const db = await freshPgDatabase('blobs_e2e');
    dropDb = db.drop;
    process.env.PM_PMTOOL = ensurePmtool(); // the stand-in C2 command and the verifier use it
    const sector = await generateSector({ size: 'small', partitions: 2, seed: rnd.seed });
    c1File = path.join(tmpDir('pm-blobs-e2e-'), 'c1.json');
    fs.writeFileSync(c1File, commit1Json(sector));
    const common = { leaseMs: 6000, heartbeatMs: 400, extraArgs: ['--store', db.url, '--c2-verifier', VERIFIER, '--c2-verifier-timeout', '120'] };
    a = await startBrokerProc({ ...common, name: 'broker-a', dataDir: tmpDir('pm-blobs-a-') });
    b = await startBrokerProc({ ...common, name: 'broker-b', dataDir: tmpDir('pm-blobs-b-') });
    assert.match(a.proc.tail(5000), /artifacts in PostgreSQL \(tables blobs, blob_chunks\), cached in /);
  });
  liveProcessHooks({ close: () => { delete process.env.PM_PMTOOL; }, finally: () => dropDb?.() });

  it('registered and uploaded through A, killed -9, fetched and proved through B; a half upload is never served', async () => {
    const keys = a.keys; // one set of accounts in the shared database (made by A's first start)
    const viaA = new MarketClient(a.address, { apiKey: keys.client });
    const viaB = new MarketClient(b.address, { apiKey: keys.client });
    try {
      const admin = adminOf(a);
      await admin.deposit('local-client', 1000n, 'test funds');
      await admin.deposit('local-prover', 1000n, 'stake');
      const otherKey = (await admin.createAccount('other-client', 'client')).apiKey;
      admin.close();
      const circuit = circuitsByCurve().bn254;
      const reg = await registerExample(viaA, circuit);

      // A c1 upload cut half-way on A: held by nobody as far as B is concerned.
      const bytes = fs.readFileSync(c1File);
      const sha = crypto.createHash('sha256').update(bytes).digest('hex');
      const half = Math.floor(bytes.length / 2);
      const cut = await new Promise<grpc.ServiceError | null>((resolve) => {
        const call = viaA.raw.uploadC1((err) => resolve(err));
        call.write({ header: { size: String(bytes.length), sha256: sha, offset: '0' } });
        call.write({ chunk: bytes.subarray(0, half) });
        call.end();
      });
      assert.strictEqual(cut?.code, grpc.status.INVALID_ARGUMENT);
      assert.strictEqual((await viaB.getC1(sha)).complete, false);
      const early = await viaB.submitC2({ c1Sha256: sha, maxPrice: 10 }).then(() => null, (e: MarketError) => e);
      assert.strictEqual(early?.codeName, 'NOT_FOUND', 'no job on a half-uploaded c1');
      // Resumed on A where it stopped: complete, and B sees it complete at once.
      assert.strictEqual((await viaA.getC1(sha)).received, String(half));
      assert.strictEqual((await viaA.uploadC1(c1File)).complete, true);
      assert.deepStrictEqual([(await viaB.getC1(sha)).complete, (await viaB.getC1(sha)).partitions], [true, 2]);
      // Uploads are per account in the shared store too (c1_owners): another account sees nothing through B, and cannot use it.
      const other = new MarketClient(b.address, { apiKey: otherKey });
      try {
        assert.deepStrictEqual([(await other.getC1(sha)).complete, (await other.getC1(sha)).received], [false, '0']);
        assert.strictEqual((await other.submitC2({ c1Sha256: sha, maxPrice: 0 }).then(() => null, (e: MarketError) => e))?.codeName, 'NOT_FOUND');
      } finally { other.close(); }

      await a.proc.kill('SIGKILL');
      // B pulled the c1 when asked about it (GetC1); it holds none of the circuit's artifacts yet.
      const held = () => fs.readdirSync(path.join(b.dataDir, 'artifacts')).filter((f) => f !== 'tmp');
      assert.deepStrictEqual(held(), [sha]);

      // A prover that knows only B: the zkey, wasm and c1 come from B (pulled from the database).
      const prover = await startProverProc(b.address, {
        name: 'prover-b', apiKey: keys.prover, price: 1,
        extraArgs: ['--c2-command', STAND_IN, '--c2-sector-sizes', '4KiB', '--c2-price', '2'],
      });
      const j = await viaB.submit({ circuit: circuit.name, input: freshInput(circuit, rnd.next), maxPrice: 10 });
      const done = await waitForJob(viaB, j.id, (x) => x.state === 'JOB_STATE_DONE' || x.state === 'JOB_STATE_FAILED', 'finished', 240_000);
      assert.strictEqual(done.state, 'JOB_STATE_DONE', done.error);
      assert.strictEqual(done.proverId, prover.proverId);
      assert.ok(await verifyProof(circuit, done.proof!.proofJson, done.proof!.publicJson), 'the proof verifies with snarkjs');
      const zkey = reg.artifacts.find((x) => x.kind === 'ARTIFACT_KIND_ZKEY')!;
      assert.ok(fs.readFileSync(path.join(b.dataDir, 'artifacts', zkey.sha256)).equals(fs.readFileSync(circuit.zkey)), 'B cached the zkey it served');

      const c2 = await viaB.submitC2({ c1Sha256: sha, maxPrice: 10 });
      const c2done = await waitForJob(viaB, c2.id, (x) => x.state === 'JOB_STATE_DONE' || x.state === 'JOB_STATE_FAILED', 'finished', 300_000);
      assert.strictEqual(c2done.state, 'JOB_STATE_DONE', c2done.error);
      assert.strictEqual(c2done.proofBin.length, 2 * 192, 'two partition proofs, accepted by B\'s verifier command');
      assert.ok(fs.readFileSync(path.join(b.dataDir, 'artifacts', sha)).equals(bytes), 'B cached the c1 it served');
      console.log(`      seed ${rnd.seed}; jobs ${j.id} (groth16) and ${c2.id} (filecoin-c2) DONE through ${b.address} after ${a.address} was killed`);
    } finally { viaA.close(); viaB.close(); }
  });
});
