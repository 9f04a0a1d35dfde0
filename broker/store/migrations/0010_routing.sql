-- proofmarket store, migration 0010: routing by measured speed (issue 10).
-- Latency samples per prover and curve (assignment → result as the broker measured it, and
-- admission challenges), each prover's routing standing, and per job the client's on-time target
-- and the latest routing note (why it waits, or the escalation step) shown by GetJob/WatchJob.

CREATE TABLE latency_samples (
  id INTEGER PRIMARY KEY AUTOINCREMENT, -- PostgreSQL: BIGSERIAL
  prover_id TEXT NOT NULL,
  curve TEXT NOT NULL,
  constraints BIGINT NOT NULL,
  ms BIGINT NOT NULL,
  -- 'job' (a paid job's result) or 'challenge' (an unpaid admission/recheck proof)
  kind TEXT NOT NULL,
  created_ms BIGINT NOT NULL
);
CREATE INDEX latency_samples_prover ON latency_samples(prover_id, curve, id);

CREATE TABLE prover_routing (
  prover_id TEXT PRIMARY KEY,
  -- 'admitting' (challenges pending), 'active', 'demoted', 'suspended' (until it passes challenges again)
  state TEXT NOT NULL,
  challenges_passed INTEGER NOT NULL DEFAULT 0,
  challenges_failed INTEGER NOT NULL DEFAULT 0,
  -- consecutive results later than the p90 ETA quoted at assignment
  missed_eta INTEGER NOT NULL DEFAULT 0,
  updated_ms BIGINT NOT NULL
);

ALTER TABLE jobs ADD COLUMN min_on_time DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN routing TEXT NOT NULL DEFAULT '';
