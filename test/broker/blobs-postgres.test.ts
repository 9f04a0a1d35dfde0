// The PostgreSQL blob store (broker/blobs.ts, migration 0015) on a real server: chunked both ways
// (random sizes around the chunk boundary, a small chunk size so a few KiB make many rows), a file
// that does not hash to its declared sha256 stores nothing, a put that dies half-way leaves nothing
// visible, identical puts from two "brokers" at once store one copy, and an ArtifactStore on
// another data dir pulls a blob into its cache with the hash checked (a corrupted row is refused).
// Needs PM_TEST_PG_URL (.ci/run starts a server). Last, without PostgreSQL: `--blob-dir`, one
// directory several brokers share.
import { strict as assert } from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ArtifactStore } from '../../broker/artifacts';
import { BlobError, PgBlobs } from '../../broker/blobs';
import { openPostgresStore, type PostgresStore } from '../../broker/store/postgres/store';
import { seededRandom } from '../helpers/circuits';
import { freshPgDatabase, requirePg } from '../helpers/pg';
import { tmpDir } from '../helpers/procs';

const CHUNK = 4096;
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

describe('PostgreSQL blobs (artifacts and c1 files shared by brokers)', function () {
  this.timeout(120_000);
  let db: Awaited<ReturnType<typeof freshPgDatabase>> | null = null;
  let a: PostgresStore; let b: PostgresStore;
  let blobsA: PgBlobs; let blobsB: PgBlobs;
  // made in before(), not when the file loads: another file's after() clears every tmpDir made so far
  let dir = '';
  const rnd = seededRandom('pg-blobs');
  const file = (name: string, bytes: Buffer) => { const p = path.join(dir, name); fs.writeFileSync(p, bytes); return p; };
  const rows = async (h: string) => Number((await a.pool.query('SELECT count(*) AS n FROM blob_chunks WHERE sha256 = $1', [h])).rows[0].n);
  const read = async (blobs: PgBlobs, h: string) => {
    const parts: Buffer[] = [];
    const size = await blobs.get(h, async (c) => { parts.push(c); });
    return size === null ? null : Buffer.concat(parts);
  };

  before(async function () {
    requirePg(this, 'the PostgreSQL blob store tests');
    dir = tmpDir('pm-blobs-');
    db = await freshPgDatabase('blobs');
    [a, b] = await Promise.all([openPostgresStore(db.url, { poolSize: 4 }), openPostgresStore(db.url, { poolSize: 4 })]);
    blobsA = new PgBlobs(a.pool, CHUNK); blobsB = new PgBlobs(b.pool, CHUNK);
  });
  after(async () => { await a?.close(); await b?.close(); await db?.drop(); if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  it('stores in chunks and reads back the same bytes, for sizes around the chunk boundary', async () => {
    const sizes = [1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 1 + Number(rnd.next() % BigInt(10 * CHUNK))];
    for (const n of sizes) {
      const bytes = crypto.randomBytes(n);
      const h = sha(bytes);
      assert.equal(await blobsB.size(h), null);
      await blobsA.put(h, n, file(`f${n}`, bytes));
      assert.equal(await blobsB.size(h), n);
      assert.equal(await rows(h), Math.ceil(n / CHUNK), `${n} bytes in ${Math.ceil(n / CHUNK)} rows`);
      const back = await read(blobsB, h);
      assert.ok(back && back.equals(bytes), `${n} bytes read back through the other store`);
      await blobsB.put(h, n, file(`f${n}`, bytes)); // already complete: a no-op
      assert.equal(await rows(h), Math.ceil(n / CHUNK));
    }
    console.log(`      seed ${rnd.seed}; sizes ${sizes.join(', ')} (chunk ${CHUNK} bytes)`);
  });

  it('refuses bytes that do not hash to the declared sha256, and a short file, storing nothing', async () => {
    const bytes = crypto.randomBytes(3 * CHUNK + 7);
    const wrong = sha(Buffer.from('something else'));
    await assert.rejects(blobsA.put(wrong, bytes.length, file('wrong', bytes)), (e: Error) => e instanceof BlobError && /sha256 mismatch/.test(e.message));
    assert.equal(await blobsA.size(wrong), null);
    assert.equal(await rows(wrong), 0, 'the chunks written before the check were rolled back');
    // Declared longer than the file: the put stops half-way (as a broker dying mid-upload would).
    const h = sha(bytes);
    await assert.rejects(blobsA.put(h, bytes.length + CHUNK, file('short', bytes)), /shorter than the declared/);
    assert.equal(await blobsA.size(h), null, 'a half-written blob is not visible');
    assert.equal(await read(blobsB, h), null);
    assert.equal(await rows(h), 0);
  });

  it('two brokers putting the same blob at once store one copy', async () => {
    const bytes = crypto.randomBytes(20 * CHUNK + 11);
    const h = sha(bytes);
    const p = file('same', bytes);
    await Promise.all([blobsA.put(h, bytes.length, p), blobsB.put(h, bytes.length, p), blobsA.put(h, bytes.length, p)]);
    assert.equal(await rows(h), 21);
    assert.equal(Number((await a.pool.query('SELECT count(*) AS n FROM blobs WHERE sha256 = $1', [h])).rows[0].n), 1);
    assert.ok((await read(blobsA, h))!.equals(bytes));
  });

  it('an ArtifactStore on another data dir pulls a blob into its cache, hash checked; a corrupt row is refused', async () => {
    const bytes = crypto.randomBytes(5 * CHUNK + 3);
    const h = sha(bytes);
    const storeA = new ArtifactStore(tmpDir('pm-blobs-a-'), { shared: blobsA });
    fs.writeFileSync(storeA.pathOf(h), bytes);
    await storeA.publish(h);
    const storeB = new ArtifactStore(tmpDir('pm-blobs-b-'), { shared: blobsB });
    assert.equal(storeB.sizeOf(h), null);
    const [s1, s2] = await Promise.all([storeB.ensure(h), storeB.ensure(h)]);
    assert.equal(s1, bytes.length); assert.equal(s2, bytes.length);
    assert.ok(fs.readFileSync(storeB.pathOf(h)).equals(bytes), 'cached on B\'s disk');
    assert.equal(await storeB.ensure(sha(Buffer.from('absent'))), null);
    // A corrupted chunk in the database: a third broker refuses it and caches nothing.
    await a.pool.query('UPDATE blob_chunks SET bytes = $3 WHERE sha256 = $1 AND idx = $2', [h, 2, crypto.randomBytes(CHUNK)]);
    const storeC = new ArtifactStore(tmpDir('pm-blobs-c-'), { shared: blobsB });
    await assert.rejects(storeC.ensure(h), /hash to .*corrupt/);
    assert.equal(storeC.sizeOf(h), null);
    assert.deepEqual(fs.readdirSync(storeC.tmpDir), [], 'no temp file left');
  });
});

describe('broker --blob-dir: one artifact directory shared by several brokers', () => {
  it('an upload committed by one broker is served by another; a broker starting never removes another\'s upload in progress', async () => {
    const shared = tmpDir('pm-blobdir-');
    const one = new ArtifactStore(tmpDir('pm-blobdir-a-'), { sharedDir: shared });
    const bytes = crypto.randomBytes(3 * CHUNK + 5);
    const h = sha(bytes);
    const up = one.begin('ZKEY', bytes.length, h);
    up.write(0, bytes.subarray(0, CHUNK));
    // A second broker starts (clearing its own temp folder) while the first is mid-upload.
    const two = new ArtifactStore(tmpDir('pm-blobdir-b-'), { sharedDir: shared });
    assert.notEqual(two.tmpDir, one.tmpDir);
    assert.ok(fs.existsSync(up.tmpPath), 'the first broker\'s part survives the second broker\'s start');
    assert.equal(await two.ensure(h), null, 'a partial upload is not served');
    up.write(CHUNK, bytes.subarray(CHUNK));
    up.verify(); up.commit();
    await one.publish(h); // nothing to publish to: a no-op
    assert.equal(await two.ensure(h), bytes.length);
    assert.ok(fs.readFileSync(two.pathOf(h)).equals(bytes));
    fs.rmSync(shared, { recursive: true, force: true });
  });
});
