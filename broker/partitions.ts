// Partitioned jobs (issue 11): N payloads for one circuit (a sector's partitions) submitted as ONE
// job (job_groups: one id, request id, deadline, max price per partition) that the broker runs as
// N units. Each partition is an ordinary job row (`<group id>.<K>`), so it has its own lease,
// attempts, statement check, verification, price, escrow hold and payout, all through the one
// lifecycle of ./lifecycle.ts; a failed or wrong partition is requeued alone by the ordinary
// transitions, never the whole job. This file holds what is specific to the group:
//   - the client's view (groupToProto): state, "k of N verified", who proved which, proof.bin;
//   - the group's end: when a partition ends without a proof for good (attempts exhausted, bad
//     input), its live siblings are cancelled and refunded (settlePartition), so the job ends and
//     the client pays only for verified partitions; a deadline expires every partition at once;
//   - WatchJob on a group (watchGroup) and the ledger of a group (groupLedger).
import * as grpc from '@grpc/grpc-js';
import type { CurveName } from '../src/common/curves';
import { proofsToFilecoin, type SnarkjsProof } from '../src/common/filecoin';
import type { Job, JobEvent, Partition } from '../src/common/proto';
import type { Broker } from './broker';
import { jobStateToProto } from './convert';
import { notFound, toStatus } from './errors';
import { streamGuard, WATCH_RECHECK_MS, type OutboxPump } from './events';
import { JOB_STATES, isTerminal, type JobStateName } from './lifecycle';
import type { JobGroupRecord, JobRecord, LedgerEntry, Store } from './store/types';

/** Most partitions one job may have. */
export const MAX_PARTITIONS = 1024;

/**
 * The group's state from its partitions: DONE when all are; once all have ended and one did not
 * verify, FAILED (or EXPIRED, or CANCELLED: the first present in that order); while any is live,
 * the furthest live state among them (QUEUED < ASSIGNED < PROVING < VERIFYING).
 */
export function groupState(parts: readonly { state: JobStateName }[]): JobStateName {
  if (parts.length === 0) return 'SUBMITTED';
  if (parts.every((p) => p.state === 'DONE')) return 'DONE';
  if (parts.every((p) => isTerminal(p.state))) {
    for (const s of ['FAILED', 'EXPIRED', 'CANCELLED'] as const) if (parts.some((p) => p.state === s)) return s;
  }
  let best = -1;
  for (const p of parts) if (!isTerminal(p.state)) best = Math.max(best, JOB_STATES.indexOf(p.state));
  return JOB_STATES[best] ?? 'QUEUED';
}

/** A partition as the API shows it; its proof only once verified. */
function partitionToProto(j: JobRecord): Partition {
  const done = j.state === 'DONE';
  return {
    index: j.partitionIndex ?? 0, unitId: j.id, state: jobStateToProto(j.state), proverId: j.proverId, attempts: j.attempts,
    progress: done ? 1 : j.progress, stage: isTerminal(j.state) ? '' : j.stage,
    proof: done ? { proofJson: j.proofJson, publicJson: j.publicJson } : null, error: j.error, price: j.price,
    backend: done ? j.backend : '', proveMs: String(done ? j.proveMs : 0),
  };
}

/**
 * The client's view of a partitioned job. `curve`: the circuit's; on BLS12-381 a DONE job carries
 * proof_bin, Filecoin's N × 192-byte encoding of its proofs in partition order.
 */
export function groupToProto(g: JobGroupRecord, parts: JobRecord[], circuitInsecure: boolean, curve: CurveName | null): Job {
  const state = groupState(parts);
  const done = parts.filter((p) => p.state === 'DONE').length;
  const sum = (f: (p: JobRecord) => bigint) => parts.reduce((a, p) => a + f(p), 0n);
  // Agreed so far: what verified partitions were paid at, plus the price of each live lease.
  const price = sum((p) => (p.state === 'DONE' || (!isTerminal(p.state) && p.proverId) ? BigInt(p.price) : 0n));
  const failed = parts.find((p) => p.state === 'FAILED') ?? parts.find((p) => isTerminal(p.state) && p.state !== 'DONE');
  const provers = [...new Set(parts.filter((p) => p.proverId && (p.state === 'DONE' || !isTerminal(p.state))).map((p) => p.proverId))];
  let proofBin: Buffer | undefined;
  if (state === 'DONE' && curve === 'bls12-381') {
    proofBin = Buffer.from(proofsToFilecoin(parts.map((p) => JSON.parse(p.proofJson) as SnarkjsProof)));
  }
  const waiting = parts.find((p) => p.state === 'QUEUED' && p.routing);
  return {
    id: g.id, requestId: g.requestId, circuitId: g.circuitId, state: jobStateToProto(state),
    attempts: parts.reduce((a, p) => a + p.attempts, 0), maxAttempts: parts[0]?.maxAttempts ?? 0, proverId: provers.join(','),
    progress: parts.length ? parts.reduce((a, p) => a + (p.state === 'DONE' ? 1 : isTerminal(p.state) ? 0 : p.progress), 0) / parts.length : 0,
    proof: null, error: failed ? `partition ${failed.partitionIndex}: ${failed.error}` : '',
    createdMs: String(g.createdMs), updatedMs: String(Math.max(g.createdMs, ...parts.map((p) => p.updatedMs))), deadlineMs: String(g.deadlineMs),
    backend: state === 'DONE' ? [...new Set(parts.map((p) => p.backend))].join(',') : '',
    proveMs: String(state === 'DONE' ? parts.reduce((a, p) => a + p.proveMs, 0) : 0), maxPrice: g.maxPrice, price: String(price),
    stage: '', routing: waiting?.routing ?? '', minOnTime: parts[0]?.minOnTime ?? 0, circuitInsecure,
    partitions: parts.map(partitionToProto), partitionsDone: done, ...(proofBin ? { proofBin } : {}),
  };
}

/** A group and its partitions (e.g. a listJobViews entry) as the client sees the job. */
export async function groupViewOf(b: Broker, g: JobGroupRecord, parts: JobRecord[]): Promise<Job> {
  const c = await b.circuit(g.circuitId);
  return groupToProto(g, parts, c?.insecure ?? false, c?.curve ?? null);
}

/**
 * A partitioned job held for one reader (a WatchJob stream): the group, its circuit and its
 * partitions read once; after that `refresh` re-reads only the partitions named (one row each by
 * id), so an event of one partition costs one read, not N.
 */
export interface GroupViewSource {
  /** The client's view of what was read so far. */
  view(): Job;
  /** Re-reads these partitions (ids of the group's partitions; others are ignored). */
  refresh(partitionIds: Iterable<string>): Promise<void>;
}

/** Reads a group whole for `GroupViewSource`, or null when `id` is not a group the caller may see. */
export async function openGroupView(b: Broker, id: string, canSee: (owner: string) => boolean): Promise<GroupViewSource | null> {
  const g = await b.store.getGroup(id);
  if (!g || !canSee(g.ownerAccountId)) return null;
  const c = await b.circuit(g.circuitId);
  const parts = await b.store.groupPartitions(g.id);
  return {
    view: () => groupToProto(g, parts, c?.insecure ?? false, c?.curve ?? null),
    refresh: async (ids) => {
      const fresh = await Promise.all([...ids].map((pid) => b.store.getJob(pid)));
      for (const j of fresh) {
        if (!j || j.groupId !== g.id) continue;
        const i = parts.findIndex((p) => p.id === j.id);
        if (i >= 0) parts[i] = j;
      }
    },
  };
}

/** The group's view by id, or null when `id` is not a group the caller may see. */
export async function loadGroupView(b: Broker, id: string, canSee: (owner: string) => boolean): Promise<Job | null> {
  return (await openGroupView(b, id, canSee))?.view() ?? null;
}

/**
 * After a partition's state event: when it ended without a proof (FAILED: attempts exhausted or a
 * bad input; CANCELLED/EXPIRED need nothing, they cancel or expire the rest themselves), the job
 * cannot complete, so every live sibling is cancelled and refunded in one transaction. Idempotent
 * (several brokers may see the same event: cancelGroup finds them ended).
 */
export async function settlePartition(b: Broker, job: JobRecord): Promise<void> {
  if (!job.groupId || job.state !== 'FAILED') return;
  const r = await b.store.cancelGroup(job.groupId, `partition ${job.partitionIndex} failed (${job.error}); the job cannot complete`, Date.now());
  if (r.outcome !== 'cancelled') return;
  b.notify();
  for (const p of r.previous) { b.sessions.revoke(p, 'cancelled'); b.routing.forget(p.id); }
  b.log.warn(`partitioned job ${job.groupId}: partition ${job.partitionIndex} FAILED; cancelled its ${r.previous.length} live partition(s)`);
  b.dispatch();
}

/**
 * WatchJob on a partitioned job: its view now, then again after every event of any of its
 * partitions (the pump delivers them under the group id), ending once the group is terminal.
 * `open` reads the group whole once (null: not a job the caller may see → NOT_FOUND); each event
 * then re-reads only the partition it names (GroupViewSource.refresh).
 */
export async function watchGroup(pump: OutboxPump, call: grpc.ServerWritableStream<{ jobId: string }, JobEvent>,
  open: () => Promise<GroupViewSource | null>, onEnd: () => void, authorize?: () => Promise<void>): Promise<void> {
  const id = call.request.jobId;
  let done = false; let busy = false; let again = false; let last = '';
  let src: GroupViewSource | null = null;
  // Partitions whose events arrived since they were last read (marked at delivery, so a read in
  // flight is followed by another). An event before the first read is covered by that read.
  const dirty = new Set<string>();
  let unsubscribe = () => {};
  // A partition read that failed (a store hiccup) is read again at the next event or within
  // WATCH_RECHECK_MS: its event may have been the partition's last (its DONE), and the group would
  // then never show DONE, nor the stream end.
  let retry: NodeJS.Timeout | null = null;
  const retryLater = () => {
    if (retry || done) return;
    retry = setTimeout(() => { retry = null; checks.guard(() => push('state').catch(() => {})); }, WATCH_RECHECK_MS);
    retry.unref();
  };
  const finish = () => { if (done) return; done = true; if (retry) clearTimeout(retry); unsubscribe(); checks.stop(); onEnd(); };
  const fail = (e: unknown) => { if (done) return; finish(); call.emit('error', toStatus(e)); };
  // A key revoked while the stream is open ends it (UNAUTHENTICATED) before its next event, or within WATCH_RECHECK_MS.
  const checks = streamGuard(authorize, fail);
  const terminal = (j: Job) => isTerminal(String(j.state).replace(/^JOB_STATE_/, '') as JobStateName);
  // Re-reads the view (coalesced) and writes it when something a watcher sees changed.
  const push = async (kind: string): Promise<void> => {
    if (busy) { again = true; return; }
    busy = true;
    try {
      do {
        again = false;
        if (!src) {
          dirty.clear();
          src = await open();
          if (!src) { if (done) return; throw notFound(`unknown job "${id}"`); }
        } else if (dirty.size) {
          const ids = [...dirty]; dirty.clear();
          try { await src.refresh(ids); } catch (e) { for (const pid of ids) dirty.add(pid); retryLater(); throw e; }
        }
        if (done) return;
        const v = src.view();
        const key = JSON.stringify([v.state, v.partitionsDone, v.partitions?.map((p) => [p.state, p.proverId, p.attempts, Math.round(Number(p.progress ?? 0) * 100)])]);
        if (key !== last) { last = key; call.write({ job: v, kind }); }
        if (terminal(v)) { finish(); call.end(); return; }
        kind = 'state';
      } while (again && !done);
    } finally { busy = false; }
  };
  unsubscribe = pump.subscribe(id, (ev) => { dirty.add(ev.jobId); checks.guard(() => push(ev.kind).catch(() => {})); });
  call.on('cancelled', finish);
  call.on('close', finish);
  try { await push('snapshot'); } catch (e) { fail(e); }
}

/** The ledger entries of a partitioned job: every partition's, newest first. */
export async function groupLedger(store: Store, groupId: string, accountId: string | undefined, limit: number): Promise<LedgerEntry[]> {
  const out: LedgerEntry[] = [];
  for (const p of await store.groupPartitions(groupId)) out.push(...await store.ledger({ jobId: p.id, accountId, limit }));
  return out.sort((x, y) => y.seq - x.seq).slice(0, limit);
}
