// Content-addressed blobs (circuit artifacts, c1.json files) shared by every broker on one store.
//
// Where the bytes live:
// - SQLite store (one broker): the broker's own DATA/artifacts directory only (ArtifactStore, no
//   shared blobs), as before.
// - PostgreSQL store: in the database (PgBlobs: `blobs` + `blob_chunks`, migration 0015), with each
//   broker's DATA/artifacts as its local cache: an upload is verified on the receiving broker's
//   disk, then published; a broker that lacks a blob streams it from the database into its cache
//   (SHA-256 checked again) the first time it needs it, and serves it from disk afterwards.
// - `broker --blob-dir PATH` (any store): a directory several brokers share (NFS, a mounted object
//   store), used in place of DATA/artifacts; nothing goes into the database. For keys of many GiB.
import * as crypto from 'crypto';
import * as fs from 'fs';
import type { Pool } from 'pg';

/** Bytes per blob_chunks row (and per query, both ways). */
export const BLOB_CHUNK = 1 << 20;

export class BlobError extends Error {}

/** Blobs every broker of a store can read. Bytes move chunk by chunk, never a whole blob at once. */
export interface SharedBlobs {
  /** Where the blobs are, for logs. */
  readonly description: string;
  /** Size in bytes of a complete blob, or null when there is none (a half-written one counts as none). */
  size(sha256: string): Promise<number | null>;
  /**
   * Stores the file at `file` (`size` bytes) as blob `sha256`; a no-op when it is already complete.
   * Throws BlobError, storing nothing, when the file does not hash to `sha256` or is not `size` bytes.
   */
  put(sha256: string, size: number, file: string): Promise<void>;
  /**
   * Streams a complete blob to `sink`, chunk by chunk in order (awaiting each). Returns the size, or
   * null when there is no complete blob. Throws BlobError when the stored chunks are short or do not
   * hash to `sha256` (the caller must then discard what it was given).
   */
  get(sha256: string, sink: (chunk: Buffer) => Promise<void>): Promise<number | null>;
}

/** PostgreSQL blobs (migration 0015): see the migration for the layout and its guarantees. */
export class PgBlobs implements SharedBlobs {
  readonly description = 'PostgreSQL (tables blobs, blob_chunks)';
  constructor(private readonly pool: Pool, private readonly chunkBytes = BLOB_CHUNK) {}

  async size(sha256: string): Promise<number | null> {
    const r = await this.pool.query<{ size: string }>('SELECT size FROM blobs WHERE sha256 = $1 AND complete = 1', [sha256]);
    return r.rows.length ? Number(r.rows[0].size) : null;
  }

  /**
   * One transaction: the chunks, the hash check, then the complete row. A broker killed half-way
   * leaves nothing (its connection drops, PostgreSQL rolls back). Two brokers putting the same blob
   * at once: the second's inserts wait on the first's rows, then skip them (ON CONFLICT DO NOTHING).
   */
  async put(sha256: string, size: number, file: string): Promise<void> {
    if ((await this.size(sha256)) !== null) return;
    const c = await this.pool.connect();
    const fd = await fs.promises.open(file, 'r');
    try {
      await c.query('BEGIN');
      const hash = crypto.createHash('sha256');
      let off = 0;
      for (let idx = 0; off < size; idx++) {
        const buf = Buffer.alloc(Math.min(this.chunkBytes, size - off));
        const { bytesRead } = await fd.read(buf, 0, buf.length, off);
        if (bytesRead !== buf.length) throw new BlobError(`blob ${sha256}: file ${file} is shorter than the declared ${size} bytes (at ${off + bytesRead})`);
        hash.update(buf);
        await c.query('INSERT INTO blob_chunks (sha256, idx, bytes) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [sha256, idx, buf]);
        off += buf.length;
      }
      const { bytesRead: extra } = await fd.read(Buffer.alloc(1), 0, 1, size);
      if (extra) throw new BlobError(`blob ${sha256}: file ${file} is longer than the declared ${size} bytes`);
      const digest = hash.digest('hex');
      if (digest !== sha256) throw new BlobError(`blob ${sha256}: sha256 mismatch: the ${size} bytes hash to ${digest}; nothing was stored`);
      await c.query(`INSERT INTO blobs (sha256, size, complete, created_ms) VALUES ($1, $2, 1, $3)
        ON CONFLICT (sha256) DO UPDATE SET complete = 1 WHERE blobs.size = excluded.size`, [sha256, size, Date.now()]);
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      await fd.close();
      c.release();
    }
  }

  async get(sha256: string, sink: (chunk: Buffer) => Promise<void>): Promise<number | null> {
    const size = await this.size(sha256);
    if (size === null) return null;
    const hash = crypto.createHash('sha256');
    let got = 0;
    for (let idx = 0; got < size; idx++) {
      const r = await this.pool.query<{ bytes: Buffer }>('SELECT bytes FROM blob_chunks WHERE sha256 = $1 AND idx = $2', [sha256, idx]);
      if (!r.rows.length || r.rows[0].bytes.length === 0) throw new BlobError(`blob ${sha256}: chunk ${idx} is missing (${got} of ${size} bytes read)`);
      const b = r.rows[0].bytes;
      got += b.length;
      if (got > size) throw new BlobError(`blob ${sha256}: chunks hold more than its ${size} bytes`);
      hash.update(b);
      await sink(b);
    }
    const digest = hash.digest('hex');
    if (digest !== sha256) throw new BlobError(`blob ${sha256}: the stored bytes hash to ${digest}: corrupt in the database`);
    return size;
  }
}
