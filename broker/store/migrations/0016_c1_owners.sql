-- proofmarket store, migration 0016: who uploaded which c1.json (filecoin-c2 jobs). The c1 bytes
-- are content-addressed and shared (DATA/artifacts, or the blobs of migration 0015), but an upload
-- belongs to the account that sent it: GetC1, resuming an upload and a filecoin-c2 submit answer
-- only for a c1 the caller uploaded itself (another account's c1 reads exactly like an unknown
-- hash). Two accounts uploading the same bytes share the storage and get a row each.
CREATE TABLE c1_owners (
  sha256 TEXT NOT NULL,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  created_ms BIGINT NOT NULL,
  PRIMARY KEY (sha256, account_id)
);
-- c1s uploaded before this migration: each account that submitted a filecoin-c2 job on one keeps it.
INSERT INTO c1_owners (sha256, account_id, created_ms)
  SELECT payload_sha256, owner_account_id, MIN(created_ms) FROM jobs WHERE circuit_id LIKE 'fc2-%'
  GROUP BY payload_sha256, owner_account_id;
