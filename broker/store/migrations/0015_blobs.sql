-- proofmarket store, migration 0015: content-addressed blobs (circuit artifacts, c1.json files)
-- held in the database, so that every broker on one PostgreSQL store can serve bytes another broker
-- received (issue 12). Used only by PostgreSQL stores (broker/blobs.ts); the SQLite store keeps its
-- files in DATA/artifacts and leaves these tables empty.
-- A blob is its chunks of up to 1 MiB (idx 0, 1, …, in order) plus one `blobs` row. The row and all
-- the chunks are written in ONE transaction after the broker checked the bytes' SHA-256, and the
-- row is marked complete last: a half-written blob is never visible, let alone served.
CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY,
  -- bytes
  size BIGINT NOT NULL,
  -- 1 once every chunk is in (written in the same transaction as the chunks)
  complete INTEGER NOT NULL DEFAULT 0,
  created_ms BIGINT NOT NULL
);
CREATE TABLE blob_chunks (
  sha256 TEXT NOT NULL,
  idx INTEGER NOT NULL,
  -- PostgreSQL: BYTEA (rewritten from BLOB)
  bytes BLOB NOT NULL,
  PRIMARY KEY (sha256, idx)
);
