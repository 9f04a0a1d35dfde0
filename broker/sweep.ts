// The sweep: one timer reclaims lapsed leases (→ QUEUED, or FAILED at the attempt cap; the
// prover's stake is slashed for abandoning it), expires jobs past their deadline (refunded), sends
// recheck challenges that are due, tells leased jobs whose prover is past its ETA that they are
// at risk, and re-runs dispatch.
import type { Broker } from './broker';

export async function sweep(b: Broker): Promise<void> {
  if (b.closing) return;
  const now = Date.now();
  const lapsed = await b.store.reclaimLapsed(now);
  for (const p of lapsed.previous) {
    b.log.warn(`lease of prover ${p.proverId} on job ${p.id} lapsed`);
    b.sessions.revoke(p, 'lease_lost');
    b.routing.forget(p.id);
  }
  const ex = await b.store.expireOverdue(now);
  for (const p of ex.previous) { b.sessions.revoke(p, 'expired'); b.routing.forget(p.id); }
  for (const j of ex.expired) { b.log.info(`job ${j.id} expired`); await b.challenges.settled(j, false); }
  for (const j of lapsed.failed) await b.challenges.settled(j, false);
  if (lapsed.previous.length || ex.expired.length) b.notify();
  await b.challenges.recheckDue(now);
  if ((await b.routing.flagAtRisk(now, (id) => b.sessions.get(id)?.name ?? id)).length) b.notify();
  b.dispatch();
}
