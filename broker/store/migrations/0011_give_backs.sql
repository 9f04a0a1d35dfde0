-- proofmarket store, migration 0011: give-backs per operator (issue 7, griefing).
-- Per job, the operator accounts whose provers gave it back with a retryable error (JSON array of
-- account ids). Each operator's first give-back of a job uses an attempt; later ones do not (the
-- attempt is handed back), so one operator cannot run a job out of attempts; routing prefers
-- operators not on this list.
ALTER TABLE jobs ADD COLUMN given_back TEXT NOT NULL DEFAULT '[]';
