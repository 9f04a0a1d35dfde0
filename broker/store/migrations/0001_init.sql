-- proofmarket store, migration 0001: accounts and keys, circuits and jobs owned by accounts,
-- provers owned by operator accounts, the double-entry ledger, the event outbox.
-- Written in the SQL subset SQLite and PostgreSQL share, except where noted; money columns are
-- 64-bit integers of micro-credits (read back as bigint, never as a JS number).

CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  -- 'system' is for the market's own books (the fee account "market" and the "mint"); they have no keys.
  role TEXT NOT NULL CHECK (role IN ('client', 'prover', 'admin', 'system')),
  created_ms BIGINT NOT NULL
);

-- The market's own accounts.
INSERT INTO accounts (id, name, role, created_ms) VALUES ('a_market', 'market', 'system', 0);
INSERT INTO accounts (id, name, role, created_ms) VALUES ('a_mint', 'mint', 'system', 0);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  -- sha256 of the whole key, lowercase hex; the key itself is never stored.
  key_sha256 TEXT NOT NULL UNIQUE,
  created_ms BIGINT NOT NULL,
  revoked_ms BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX api_keys_account ON api_keys(account_id);

CREATE TABLE circuits (
  id TEXT PRIMARY KEY,
  owner_account_id TEXT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  public INTEGER NOT NULL DEFAULT 0,
  insecure INTEGER NOT NULL DEFAULT 0,
  curve TEXT NOT NULL,
  protocol TEXT NOT NULL,
  constraints BIGINT NOT NULL,
  n_public INTEGER NOT NULL,
  n_vars BIGINT NOT NULL,
  domain_log2 INTEGER NOT NULL,
  artifacts TEXT NOT NULL,
  description TEXT NOT NULL,
  inputs TEXT,
  created_ms BIGINT NOT NULL,
  UNIQUE (owner_account_id, name)
);
CREATE INDEX circuits_public ON circuits(name) WHERE public = 1;

CREATE TABLE provers (
  id TEXT PRIMARY KEY,
  owner_account_id TEXT NOT NULL REFERENCES accounts(id),
  key TEXT NOT NULL,
  name TEXT NOT NULL,
  caps TEXT NOT NULL,
  reputation DOUBLE PRECISION NOT NULL DEFAULT 0,
  accepted BIGINT NOT NULL DEFAULT 0,
  rejected BIGINT NOT NULL DEFAULT 0,
  created_ms BIGINT NOT NULL,
  last_seen_ms BIGINT NOT NULL,
  UNIQUE (owner_account_id, key)
);

CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  owner_account_id TEXT NOT NULL REFERENCES accounts(id),
  request_id TEXT NOT NULL,
  circuit_id TEXT NOT NULL REFERENCES circuits(id),
  state TEXT NOT NULL,
  input_json TEXT,
  witness BLOB,
  payload_sha256 TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  prover_id TEXT NOT NULL DEFAULT '',
  lease_token TEXT NOT NULL DEFAULT '',
  lease_expires_ms BIGINT NOT NULL DEFAULT 0,
  progress DOUBLE PRECISION NOT NULL DEFAULT 0,
  stage TEXT NOT NULL DEFAULT '',
  proof_json TEXT NOT NULL DEFAULT '',
  public_json TEXT NOT NULL DEFAULT '',
  backend TEXT NOT NULL DEFAULT '',
  prove_ms BIGINT NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  excluded TEXT NOT NULL DEFAULT '[]',
  deadline_ms BIGINT NOT NULL DEFAULT 0,
  -- micro-credits: the most the client pays (held in escrow at submit)
  max_price BIGINT NOT NULL DEFAULT 0,
  -- micro-credits: the price agreed with the prover of the current/last lease
  price BIGINT NOT NULL DEFAULT 0,
  -- micro-credits of the current lease's prover stake that are locked for this job
  stake BIGINT NOT NULL DEFAULT 0,
  created_ms BIGINT NOT NULL,
  updated_ms BIGINT NOT NULL,
  UNIQUE (owner_account_id, request_id)
);
CREATE INDEX jobs_created ON jobs(created_ms);
CREATE INDEX jobs_owner ON jobs(owner_account_id, created_ms);
CREATE INDEX jobs_circuit ON jobs(circuit_id, created_ms);
CREATE INDEX jobs_state ON jobs(state, created_ms);
CREATE INDEX jobs_lease ON jobs(state, lease_expires_ms);
CREATE INDEX jobs_lease_token ON jobs(lease_token);
CREATE INDEX jobs_deadline ON jobs(deadline_ms);

-- Balances per (account, book). Books: available, escrow (clients), stake (locked collateral of
-- prover operators), earnings (operators), fees (market), issued (mint: minus everything deposited).
CREATE TABLE balances (
  account_id TEXT NOT NULL REFERENCES accounts(id),
  book TEXT NOT NULL CHECK (book IN ('available', 'escrow', 'stake', 'earnings', 'fees', 'issued')),
  amount BIGINT NOT NULL,
  PRIMARY KEY (account_id, book),
  CHECK (amount >= 0 OR book = 'issued')
);

-- One row per ledger transaction. `tx_key` makes every money movement happen at most once
-- (e.g. 'payout:<job>', 'refund:<job>', 'slash:<lease token>').
CREATE TABLE ledger_tx (
  id TEXT PRIMARY KEY,
  tx_key TEXT NOT NULL UNIQUE,
  reason TEXT NOT NULL,
  job_id TEXT NOT NULL DEFAULT '',
  prover_id TEXT NOT NULL DEFAULT '',
  explanation TEXT NOT NULL,
  created_ms BIGINT NOT NULL
);
CREATE TABLE ledger_entries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, -- PostgreSQL: BIGSERIAL
  tx_id TEXT NOT NULL REFERENCES ledger_tx(id),
  account_id TEXT NOT NULL REFERENCES accounts(id),
  book TEXT NOT NULL,
  amount BIGINT NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX ledger_entries_tx ON ledger_entries(tx_id);
CREATE INDEX ledger_entries_account ON ledger_entries(account_id, seq);
CREATE INDEX ledger_tx_job ON ledger_tx(job_id);

-- Every job transition appends one event here in its own transaction; brokers stream WatchJob
-- events from it (in order of seq).
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, -- PostgreSQL: BIGSERIAL
  job_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  job TEXT NOT NULL,
  created_ms BIGINT NOT NULL
);
CREATE INDEX outbox_job ON outbox(job_id, seq);
