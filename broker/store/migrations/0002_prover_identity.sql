-- proofmarket store, migration 0002: a prover daemon's identity (see broker/prover-identity.ts).
-- secret_sha256: sha256 (hex) of the secret issued at its first Register ('' for a prover from
-- before secrets: the next Register binds one). session_epoch: bumped by every Register; a Session
-- hello must carry the current one, which fences older sessions.
ALTER TABLE provers ADD COLUMN secret_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE provers ADD COLUMN session_epoch BIGINT NOT NULL DEFAULT 0;
