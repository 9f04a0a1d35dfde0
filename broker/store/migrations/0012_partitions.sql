-- proofmarket store, migration 0012: partitioned jobs (issue 11).
-- A partitioned job is ONE job to its client (job_groups: one id, one request id, one deadline,
-- a max price per partition) run by the broker as N units: each partition is a row of `jobs`
-- (its own lease, attempts, verification, statement check, price, escrow hold and payout) that
-- names its group and its index. A single-payload job has group_id '' and is unchanged.
CREATE TABLE job_groups (
  id TEXT PRIMARY KEY,
  owner_account_id TEXT NOT NULL REFERENCES accounts(id),
  request_id TEXT NOT NULL,
  circuit_id TEXT NOT NULL REFERENCES circuits(id),
  -- number of partitions
  n INTEGER NOT NULL,
  -- sha256 over the partitions' payload hashes, in order (idempotent retries are recognised)
  payload_sha256 TEXT NOT NULL,
  deadline_ms BIGINT NOT NULL DEFAULT 0,
  -- micro-credits per partition: each partition's escrow hold; the job holds n × this at submit
  max_price BIGINT NOT NULL DEFAULT 0,
  created_ms BIGINT NOT NULL,
  UNIQUE (owner_account_id, request_id)
);
CREATE INDEX job_groups_owner ON job_groups(owner_account_id, created_ms);

ALTER TABLE jobs ADD COLUMN group_id TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN partition_index INTEGER NOT NULL DEFAULT 0;
CREATE INDEX jobs_group ON jobs(group_id, partition_index);
