// A prover's result: proof → VERIFYING → checkProof → accept (DONE, prover paid, in one store call)
// or reject (requeued away from the prover or FAILED, its stake slashed, in one store call).
// An error result releases the lease (stake unlocked, no slash). Each outcome is one transition.
import type { Result__Output } from '../src/common/proto';
import type { Broker } from './broker';
import type { ProverSession } from './sessions';
import type { CircuitRecord, JobRecord } from './store/types';

/**
 * The verdict on a candidate proof. `ok: false` rejects it and charges the prover (slash,
 * reputation); `reason` is a sentence naming what was wrong ("the proof failed verification
 * (...)", "public signal c=15, the job's input gives 77"), written into the job's error and the
 * slash's ledger explanation. `unavailable` means the check could not run (the job stays VERIFYING
 * and is checked again after a restart). More checks (e.g. the job's statement) plug in here.
 */
export type ProofVerdict = { ok: true } | { ok: false; reason: string } | { unavailable: string };

export async function checkProof(b: Broker, job: JobRecord, c: CircuitRecord): Promise<ProofVerdict> {
  let v = await b.verifier.verify(b.vkey(c), job.proofJson, job.publicJson, c.nPublic);
  // A verifier process that died is restarted once; only a shutdown leaves the job VERIFYING.
  if (!v.ok && v.reason.startsWith('verifier unavailable') && !b.closing) {
    b.log.warn(`job ${job.id}: ${v.reason}; retrying with a fresh verifier`);
    v = await b.verifier.verify(b.vkey(c), job.proofJson, job.publicJson, c.nPublic);
  }
  if (v.ok) return { ok: true };
  if (v.reason.startsWith('verifier unavailable')) return { unavailable: v.reason };
  return { ok: false, reason: `the proof failed verification (${v.reason})` };
}

const STALE = 'the job was cancelled or expired while its proof was checked';

/** Checks a VERIFYING job's proof and applies the verdict (one store call), then tells the prover. */
export async function verifyAndSettle(b: Broker, job: JobRecord, sender: ProverSession | null): Promise<void> {
  const c = await b.circuit(job.circuitId);
  if (!c) throw new Error(`job ${job.id} refers to unknown circuit ${job.circuitId}`);
  const v = await checkProof(b, job, c);
  if ('unavailable' in v) { b.log.warn(`job ${job.id}: ${v.unavailable}`); return; }
  const now = Date.now();
  // Ack on the prover's current session: it may have reconnected while its proof was checked.
  const s = b.sessions.get(job.proverId) ?? sender;
  if (v.ok) {
    const r = await b.store.accept(job.id, job.leaseToken, now);
    b.notify();
    if (r.outcome === 'ok' && r.job) {
      if (s) s.reputation += 1;
      b.log.info(`job ${job.id} DONE (prover ${job.proverId}, ${job.backend}, ${job.proveMs} ms, paid ${r.job.price})`);
      if (s) b.sessions.ack(s, job.id, 'accepted', 'proof verified');
    } else if (s) {
      b.sessions.send(s, { ack: { jobId: job.id, status: 'stale', message: STALE } });
    }
    return;
  }
  const verdict = `prover ${job.proverId}: ${v.reason}`;
  const r = await b.store.reject(job.id, job.leaseToken, verdict, now);
  b.notify();
  if (r.outcome === 'stale' || r.outcome === 'not_found') {
    if (s) b.sessions.send(s, { ack: { jobId: job.id, status: 'stale', message: STALE } });
    return;
  }
  if (s) s.reputation -= 10;
  b.log.warn(`job ${job.id}: ${verdict}; ${r.outcome === 'failed' ? 'attempts exhausted, job FAILED' : 'requeued'}`);
  if (s) b.sessions.send(s, { ack: { jobId: job.id, status: 'rejected', message: v.reason } });
  b.dispatch();
}

/** After a restart: a job left VERIFYING is checked again. */
export function recheckVerifying(b: Broker, job: JobRecord): Promise<void> { return verifyAndSettle(b, job, null); }

export async function onResult(b: Broker, s: ProverSession, res: Result__Output): Promise<void> {
  const now = Date.now();
  const job = await b.store.getJob(res.jobId);
  const mine = !!job && !!res.leaseToken && job.leaseToken === res.leaseToken && job.proverId === s.proverId;
  if (mine && job!.state === 'DONE') {
    // A result re-sent after a reconnect, already verified: acknowledge it again.
    s.active.delete(job!.id);
    b.sessions.ack(s, job!.id, 'accepted', 'proof already verified');
    return;
  }
  if (mine && job!.state === 'VERIFYING') return; // the same result again while its proof is checked: the verdict's ack follows
  if (!mine) {
    s.active.delete(res.jobId);
    b.sessions.send(s, { ack: { jobId: res.jobId, status: 'stale', message: 'lease lost: another prover owns this job now, or it ended' } });
    return;
  }
  if (res.outcome === 'error' || !res.proof) {
    const msg = res.error || 'prover returned neither a proof nor an error';
    const r = await b.store.release(job!.id, res.leaseToken, `prover ${s.proverId}: ${msg}`, res.retryable, now);
    b.notify();
    s.active.delete(job!.id);
    if (r.outcome === 'stale' || r.outcome === 'not_found') {
      b.sessions.send(s, { ack: { jobId: job!.id, status: 'stale', message: 'lease lost' } });
    } else {
      b.log.warn(`job ${job!.id}: prover ${s.proverId} failed (${res.retryable ? 'retryable' : 'final'}): ${msg}`);
      b.sessions.send(s, { ack: { jobId: job!.id, status: 'recorded', message: r.outcome === 'failed' ? 'job FAILED' : 'job requeued' } });
    }
    b.dispatch();
    return;
  }
  const r = await b.store.beginVerify(job!.id, res.leaseToken, res.proof.proofJson, res.proof.publicJson,
    res.backend || 'unknown', Number(res.proveMs) || 0, now);
  b.notify();
  s.active.delete(job!.id); // the prover is done with it either way: its slot is free
  if (r.outcome !== 'ok' || !r.job) {
    b.sessions.send(s, { ack: { jobId: job!.id, status: 'stale', message: 'lease lost' } });
    b.dispatch();
    return;
  }
  b.dispatch();
  // Not awaited: the session's later messages (heartbeats for its next job) must not queue
  // behind a pairing check, or their leases could lapse meanwhile.
  b.track(verifyAndSettle(b, r.job, s));
}
