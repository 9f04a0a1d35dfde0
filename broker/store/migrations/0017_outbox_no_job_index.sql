-- Outbox rows are read by seq only (readOutbox, pruneOutbox): the (job_id, seq) index was never
-- used, and with random job ids each event wrote one more random page of it (~4 events per job).
DROP INDEX IF EXISTS outbox_job;
