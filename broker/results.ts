// A prover's result: proof → VERIFYING → statement + pairing (verify/judge.ts) → accept (DONE,
// prover paid), reject (a wrong proof or a proof of another statement: requeued away from the
// prover or FAILED, its stake slashed), failInput (the client's input or witness is bad: FAILED,
// refunded, nobody blamed) or setAside (an unchecked witness may be at fault: requeued away from
// the prover, not blamed yet), each in one store call. A "the input is bad" error is checked the
// same way; any other error result releases the lease (stake unlocked, no slash). A retryable
// give-back uses an attempt only on its operator's first give-back of the job (lifecycle.ts giveBack).
import { snarkjsProofJson, snarkjsPublicJson } from './snarkjs-json';
import type { Result__Output } from '../src/common/proto';
import type { Broker } from './broker';
import type { ProverSession } from './sessions';
import type { CircuitRecord, JobRecord } from './store/types';
import { judgeBadInputClaim, judgeProof, type Decision, type PairingVerdict } from './verify/judge';
import { c2PayloadOf, c2ProofBytes, c2ProofJson, isC2Circuit, type C2Payload } from './c2';

const STALE = 'the job was cancelled or expired while its proof was checked';

/** The backend recorded for a VERIFYING job that holds a prover's "bad input" claim, not a proof. */
export const CLAIM_BACKEND = 'bad-input-claim';

/**
 * Checks a VERIFYING job's result against the job's statement and the pairing, and applies the
 * verdict in one store call (verify/judge.ts says who is at fault), then tells the prover.
 * `claim` is set when the result is a prover's "the input is bad" error rather than a proof.
 */
export async function verifyAndSettle(b: Broker, job: JobRecord, sender: ProverSession | null, claim: string | null = null): Promise<void> {
  const c = await b.circuit(job.circuitId);
  if (!c) throw new Error(`job ${job.id} refers to unknown circuit ${job.circuitId}`);
  const source = job.witness ? 'witness' as const : 'input' as const;
  if (claim === null && job.backend === CLAIM_BACKEND && !job.proofJson) claim = '(the claim\'s text was lost in a broker restart)';
  const c2 = c2PayloadOf(job);
  let d: Decision;
  let waitedMs = 0;
  if (c2) {
    d = await judgeC2(b, job, c2, claim);
    if (d.kind === 'unavailable') { recheckC2Later(b, job, sender, d.reason); return; }
  } else {
    const sc = b.statementCircuit(c);
    const t0 = performance.now();
    const st = await b.statements.get(job, sc);
    waitedMs = performance.now() - t0; // what the statement check adds to submit → DONE (usually ~0: ready before the proof)
    if (st.kind === 'unavailable' && b.closing) { b.log.warn(`job ${job.id}: ${st.reason}; checked again after the restart`); return; }
    d = claim !== null
      ? judgeBadInputClaim(job.id, claim, st, source)
      : await judgeProof({
        jobId: job.id, statement: st, source, names: b.statements.publicNames(sc), nPublic: c.nPublic,
        proofJson: job.proofJson, publicJson: job.publicJson, pairing: () => pairing(b, job, c),
      });
    if (d.kind === 'unavailable' && st.kind === 'ok') { b.log.warn(`job ${job.id}: ${d.reason}`); return; } // verifier down: checked again later
  }
  const now = Date.now();
  // Ack on the prover's current session: it may have reconnected while its proof was checked.
  const s = b.sessions.get(job.proverId) ?? sender;
  const stale = () => { if (s) b.sessions.send(s, { ack: { jobId: job.id, status: 'stale', message: STALE } }); };
  const what = claim !== null ? 'claim' : 'proof';
  if (d.kind === 'accept') {
    const r = await b.store.accept(job.id, job.leaseToken, now);
    b.notify();
    if (r.outcome === 'ok' && r.job) {
      if (s) s.reputation += 1;
      b.statements.forget(job.id);
      // Provers set aside earlier on this witness are not penalised now: a verified proof shows only
      // that SOME witness with these public signals exists, not that its prover was given the same
      // one (a client and a colluding prover could otherwise get an honest prover slashed).
      b.suspicions.take(job.id);
      b.log.info(`job ${job.id} DONE (prover ${job.proverId}, ${job.backend}, ${job.proveMs} ms, paid ${r.job.price}; statement waited ${waitedMs.toFixed(1)} ms)`);
      if (s) b.sessions.ack(s, job.id, 'accepted', 'proof verified: pairing and statement');
      await b.routing.onDone(r.job, c, now);
      await b.challenges.settled(r.job, true);
    } else stale();
    return;
  }
  if (d.kind === 'wrong') {
    const verdict = `prover ${job.proverId}: ${d.reason}`;
    const r = await b.store.reject(job.id, job.leaseToken, verdict, now);
    b.notify();
    if (r.outcome === 'stale' || r.outcome === 'not_found') { stale(); return; }
    if (r.outcome === 'failed') { b.statements.forget(job.id); b.suspicions.take(job.id); }
    if (s) s.reputation -= 10;
    b.log.warn(`job ${job.id}: ${verdict}; ${r.outcome === 'failed' ? 'attempts exhausted, job FAILED' : 'requeued'}`);
    b.routing.forget(job.id);
    if (r.job) await b.challenges.settled(r.job, false, true);
    if (s) b.sessions.send(s, { ack: { jobId: job.id, status: 'rejected', message: d.reason } });
    b.dispatch();
    return;
  }
  // bad_input (or a statement the broker could not work out): the job fails, nobody is blamed.
  // inconclusive: set aside (requeued away from this prover, not blamed) until enough independent
  // provers agree that the client's witness is bad.
  let reason = d.kind === 'bad_input' ? `the job's ${source} is bad: ${d.reason}` : d.reason;
  let fail = d.kind !== 'inconclusive';
  if (d.kind === 'inconclusive') {
    // One voice per operator: its many daemons are not independent of each other.
    const who = (await b.store.getProver(job.proverId))?.ownerAccountId || job.proverId;
    if (b.suspicions.add(job.id, job.proverId, d.reason, who)) {
      const n = b.suspicions.voices(job.id);
      // Truthful: without an R1CS the broker cannot know whether the witness or the provers are at
      // fault (README, "Circuits without an R1CS"); the job ends refunded, nobody slashed.
      const seen = claim !== null
        ? `${n} operators claimed that the job's ${source} is bad`
        : `proofs from ${n} operators failed verification on the job's ${source} while matching its public signals`;
      reason = `${seen}; without the circuit's R1CS the broker cannot tell a bad witness from dishonest provers (register the circuit with --r1cs)`;
      fail = true;
    }
  }
  if (fail) {
    const failed = await b.failBadInput(job.id, reason);
    if (!failed) { stale(); return; }
    await b.challenges.settled({ ...job, error: reason }, false);
    if (s) b.sessions.send(s, { ack: { jobId: job.id, status: 'recorded', message: `job FAILED, not your fault: ${reason}` } });
    return;
  }
  const r = await b.store.setAside(job.id, job.leaseToken, `prover ${job.proverId}: ${reason}`, now);
  b.notify();
  if (r.outcome === 'stale' || r.outcome === 'not_found') { stale(); return; }
  b.log.warn(`job ${job.id}: ${what} of prover ${job.proverId} set aside, not blamed yet: ${reason}; ${r.outcome}`);
  if (s) b.sessions.send(s, { ack: { jobId: job.id, status: 'recorded', message: `set aside (not blamed unless a proof of this witness verifies): ${reason}` } });
  b.dispatch();
}

/** The pairing check; a verifier process that died is restarted once. */
async function pairing(b: Broker, job: JobRecord, c: CircuitRecord): Promise<PairingVerdict> {
  let v = await b.verifier.verify(b.vkey(c), job.proofJson, job.publicJson, c.nPublic);
  if (!v.ok && v.reason.startsWith('verifier unavailable') && !b.closing) {
    b.log.warn(`job ${job.id}: ${v.reason}; retrying with a fresh verifier`);
    v = await b.verifier.verify(b.vkey(c), job.proofJson, job.publicJson, c.nPublic);
  }
  return v;
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
  const circuit = await b.circuit(job!.circuitId);
  // A filecoin-c2 run (an external command, often minutes on a GPU) is no sample of the prover's
  // Groth16 speed: it would skew the latency model of its BLS12-381 jobs, so C2 results feed neither
  // the model nor the missed-ETA count (their ETA is the model's Groth16 figure at the pseudo-circuit's size).
  if (circuit && isC2Circuit(circuit)) b.routing.forget(job!.id);
  else if (circuit) await b.routing.onResult(job!, circuit, s.proverId, Number(res.proveMs) || 0, res.outcome !== 'error' && !!res.proof, now);
  if ((res.outcome === 'error' || !res.proof) && !res.retryable) {
    // "The input is bad": decides nothing by itself. The job waits in VERIFYING (its lease can no
    // longer lapse) while the broker checks the claim against its own computation of the witness.
    const r = await b.store.beginVerify(job!.id, res.leaseToken, '', '', CLAIM_BACKEND, Number(res.proveMs) || 0, now);
    b.notify();
    s.active.delete(job!.id);
    if (r.outcome !== 'ok' || !r.job) { b.sessions.send(s, { ack: { jobId: job!.id, status: 'stale', message: 'lease lost' } }); return; }
    const claim = res.error || 'a non-retryable result with neither a proof nor a reason';
    b.log.info(`job ${job!.id}: prover ${s.proverId} claims the input is bad (${claim}); checking`);
    b.dispatch();
    b.track(verifyAndSettle(b, r.job, s, claim));
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
      if (r.outcome === 'failed' && r.job) await b.challenges.settled(r.job, false);
    }
    // A give-back that used no attempt (its operator gave the job back before, lifecycle.ts
    // giveBack) waits for the next sweep or dispatch rather than bouncing straight back: an
    // operator answering every assignment with "retry" cannot spin the broker in a tight loop.
    if (r.job && r.outcome === 'requeued' && r.job.attempts < job!.attempts) return;
    b.dispatch();
    return;
  }
  // A filecoin-c2 proof (N × 192 bytes) is kept as hex in proofJson; the verifier command checks it.
  const { proofJson, publicJson } = c2PayloadOf(job!)
    ? { proofJson: c2ProofJson(res.proof.filecoinProof ?? new Uint8Array(0)), publicJson: '' }
    : await snarkjsLayout(b, job!, res.proof.proofJson, res.proof.publicJson);
  const r = await b.store.beginVerify(job!.id, res.leaseToken, proofJson, publicJson,
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

/** A prover's proof/public JSON in snarkjs's exact layout (what the client gets); unparsable text is kept for the verifier to refuse. */
async function snarkjsLayout(b: Broker, job: JobRecord, proofJson: string, publicJson: string): Promise<{ proofJson: string; publicJson: string }> {
  const c = await b.circuit(job.circuitId);
  return {
    proofJson: (c && snarkjsProofJson(proofJson, c.curve)) ?? proofJson,
    publicJson: snarkjsPublicJson(publicJson) ?? publicJson,
  };
}

/**
 * A filecoin-c2 result, judged by the operator's verifier command (broker/c2.ts): valid → accept;
 * invalid → the prover is wrong; a "bad input" claim (the prover's C2 command exited 2) → the
 * c1.json is bad: the job fails, refunded, nobody blamed (the broker cannot check a c1 itself);
 * a verifier that could not decide → unavailable (checked again later).
 */
async function judgeC2(b: Broker, job: JobRecord, p: C2Payload, claim: string | null): Promise<Decision> {
  if (claim !== null) return { kind: 'bad_input', reason: `prover ${job.proverId}'s C2 command rejected the c1.json (exit 2): ${claim}` };
  if (!b.c2Verifier) return { kind: 'unavailable', reason: 'this broker has no C2 verifier configured any more (start it with --c2-verifier CMD)' };
  const proof = c2ProofBytes(job.proofJson) ?? new Uint8Array(0);
  await b.c1.load(p.c1Sha256); // received by another broker of the store: its bytes are pulled here first
  const v = await b.c2Verifier.verify(job.id, p, b.c1.path(p.c1Sha256), proof);
  if (v.kind === 'valid') return { kind: 'accept' };
  if (v.kind === 'invalid') return { kind: 'wrong', reason: `${p.proofType} proof of c1 ${p.c1Sha256.slice(0, 12)}…: ${v.reason}` };
  return { kind: 'unavailable', reason: v.reason };
}

/** The C2 verifier could not decide: the job stays VERIFYING and is checked again in 5 s (nobody blamed meanwhile). */
function recheckC2Later(b: Broker, job: JobRecord, sender: ProverSession | null, reason: string): void {
  if (b.closing) return;
  b.log.warn(`job ${job.id}: ${reason}; checked again in 5 s`);
  const t = setTimeout(() => {
    b.c2Rechecks.delete(t);
    b.track(b.store.getJob(job.id).then((j) => (j && j.state === 'VERIFYING' && j.leaseToken === job.leaseToken ? verifyAndSettle(b, j, sender) : undefined)));
  }, 5000);
  b.c2Rechecks.add(t);
}
