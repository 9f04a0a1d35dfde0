-- proofmarket store, migration 0014: the offered price (issue 10, step 1 of the deadline ladder).
-- A job's offer is what it pays now (micro-credits, decimal text; '' = its max price): only
-- provers asking at most the offer are assigned it. When no prover at the offer is likely to meet
-- the deadline, the broker raises it in steps up to the max price (a 'routing' outbox event each
-- time). Escrow still holds the max; the prover is paid its ask (≤ the offer) at DONE, the rest
-- is refunded.
ALTER TABLE jobs ADD COLUMN offer TEXT NOT NULL DEFAULT '';
