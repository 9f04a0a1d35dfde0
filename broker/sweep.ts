// The sweep: one timer reclaims lapsed leases (→ QUEUED, or FAILED at the attempt cap; the
// prover's stake is slashed for abandoning it), expires jobs past their deadline (refunded), sends
// recheck challenges that are due, moves leased jobs whose prover is predicted to finish past the
// deadline to a faster one (or tells the client early), tells leased jobs whose prover is past its
// ETA that they are at risk, and re-runs dispatch.
import type { Broker } from './broker';
import { leaseAtRisk, type RouteProver } from './route';

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
  if (await moveAtRisk(b, now)) b.notify();
  if ((await b.routing.flagAtRisk(now, (id) => b.sessions.get(id)?.name ?? id)).length) b.notify();
  b.dispatch(true); // a full pass: waiting notes and offer raises even while every prover is busy
}

/**
 * Leased jobs whose holder is predicted to finish past the deadline (route.ts leaseAtRisk): moved
 * to a faster free prover when one is likely on time (the lease is given back without blame: no
 * slash, no reputation change, an attempt only as a give-back uses one; the holder goes last when
 * it is re-planned), else the client is told early with the best ETA on offer. A job on its last
 * attempt is not moved (the give-back would fail it). Returns whether anything was written.
 */
export async function moveAtRisk(b: Broker, now: number): Promise<boolean> {
  const cands = b.routing.leaseCandidates(now);
  if (cands.length === 0) return false;
  let wrote = false;
  let provers: RouteProver[] | null = null;
  for (const cand of cands) {
    const job = await b.store.getJob(cand.jobId);
    if (!job || !['ASSIGNED', 'PROVING'].includes(job.state) || job.proverId !== cand.proverId) continue;
    const c = await b.circuit(job.circuitId);
    if (!c) continue;
    provers ??= await b.routeProvers(now);
    const holder = provers.find((p) => p.proverId === cand.proverId) ?? { proverId: cand.proverId, name: cand.proverId };
    const r = leaseAtRisk({ job, circuit: c, minOnTime: job.minOnTime || b.routing.cfg.defaultMinOnTime, holder, elapsedMs: cand.elapsedMs },
      provers, b.routing.predict, now, { policy: b.cfg.money, verifyMarginMs: b.routing.cfg.verifyMarginMs, offerStepBps: b.routing.cfg.offerStepBps });
    if (!r) continue;
    if (r.kind === 'move' && job.attempts < job.maxAttempts) {
      const rel = await b.store.release(job.id, job.leaseToken, r.note, true, now);
      if (!rel.job) continue;
      b.log.warn(`job ${job.id}: ${r.note}`);
      b.sessions.revoke(job, 'moved');
      await b.routing.moved(job.id, now);
      await b.store.setRouting?.(job.id, r.note, now);
      provers = null; // a slot freed up, another was promised
      wrote = true;
      continue;
    }
    b.routing.warned(job.id);
    if (await b.store.setRouting?.(job.id, r.kind === 'move' ? `${r.note.replace(/^moved: /, 'at risk: ')} (not moved: it is on its last attempt)` : r.note, now)) wrote = true;
  }
  return wrote;
}
