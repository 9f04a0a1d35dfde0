// The sweep: one timer reclaims lapsed leases (→ QUEUED, or FAILED at the attempt cap; the
// prover's stake is slashed for abandoning it), expires jobs past their deadline (refunded), and
// re-runs dispatch.
import type { Broker } from './broker';

export async function sweep(b: Broker): Promise<void> {
  if (b.closing) return;
  const now = Date.now();
  const lapsed = await b.store.reclaimLapsed(now);
  for (const p of lapsed.previous) {
    b.log.warn(`lease of prover ${p.proverId} on job ${p.id} lapsed`);
    b.sessions.revoke(p, 'lease_lost');
  }
  const ex = await b.store.expireOverdue(now);
  for (const p of ex.previous) b.sessions.revoke(p, 'expired');
  for (const j of ex.expired) b.log.info(`job ${j.id} expired`);
  if (lapsed.previous.length || ex.expired.length) b.notify();
  b.dispatch();
}
