// The outbox row's `job` text, slim (both stores). An event carries the job as its transition
// left it (OutboxEvent.job, a whole JobRecord without the payload), but most of a job never changes
// after submit (owner, request id, circuit, payload hash, deadline, max price, …), and a DONE job's
// proof and public signals never change again. So the row holds only what a transition can change,
// as a JSON array in FIELDS order after a format tag (1), with the proof left out of DONE events;
// a reader joins the jobs row (JOB_FIXED_COLS, one primary-key lookup in the same query) for the
// rest. About 120 bytes instead of ~800 (more with a proof) per event, and no JSON.stringify of the
// whole job on the event loop. Rows written by an older broker (a JSON object: the whole snapshot)
// read as before. The events a store serves from memory (sqlite.ts `recent`) are the full records.
import type { JobRecord, JobStateName } from './types';

/** What a transition can change, in the row's order (after the format tag). */
const FIELDS = ['state', 'attempts', 'proverId', 'leaseToken', 'leaseExpiresMs', 'progress', 'stage', 'proofJson', 'publicJson',
  'backend', 'proveMs', 'error', 'excluded', 'price', 'stake', 'updatedMs', 'routing', 'givenBack', 'offer'] as const;
const TAG = 1;
/** Where a DONE event's proof and public signals would be: left out (null), the jobs row has them for good. */
const PROOF = FIELDS.indexOf('proofJson') + 1;
const PUBLIC = FIELDS.indexOf('publicJson') + 1;

/**
 * The columns of the jobs row `j` a reader joins to an outbox row `o` (SQL shared by both stores:
 * money as text; the proof only for a slim DONE event, whose row left it out).
 */
export const JOB_FIXED_COLS = `j.owner_account_id AS j_owner, j.request_id AS j_request, j.circuit_id AS j_circuit,
  j.payload_sha256 AS j_payload, j.max_attempts AS j_max_attempts, j.deadline_ms AS j_deadline, CAST(j.max_price AS TEXT) AS j_max_price,
  j.created_ms AS j_created, j.min_on_time AS j_min_on_time, j.group_id AS j_group, j.partition_index AS j_partition,
  CASE WHEN substr(o.job, 1, 9) = '[${TAG},"DONE"' THEN j.proof_json END AS j_proof,
  CASE WHEN substr(o.job, 1, 9) = '[${TAG},"DONE"' THEN j.public_json END AS j_public`;

/** An outbox row joined with JOB_FIXED_COLS (`j_*` null when the jobs row is missing). */
export interface OutboxJoinedRow {
  seq: number | string; job_id: string; kind: string; job: string; created_ms: number | string;
  j_owner: string | null; j_request: string | null; j_circuit: string | null; j_payload: string | null; j_max_attempts: number | null;
  j_deadline: number | string | null; j_max_price: string | null; j_created: number | string | null; j_min_on_time: number | null;
  j_group: string | null; j_partition: number | null; j_proof: string | null; j_public: string | null;
}

/** The row's `job` text for a job as a transition wrote it. */
export function encodeOutboxJob(j: JobRecord): string {
  const done = j.state === 'DONE';
  return JSON.stringify([TAG, j.state, j.attempts, j.proverId, j.leaseToken, j.leaseExpiresMs, j.progress, j.stage,
    done ? null : j.proofJson, done ? null : j.publicJson, j.backend, j.proveMs, j.error, j.excluded, j.price, j.stake,
    j.updatedMs, j.routing ?? '', j.givenBack ?? [], j.offer ?? '']);
}

/** The event's job (the whole record, payload null) from a row written by encodeOutboxJob or by an older broker. */
export function decodeOutboxJob(r: OutboxJoinedRow): JobRecord {
  if (r.job.charCodeAt(0) === 123 /* '{': a whole snapshot */) return JSON.parse(r.job) as JobRecord;
  const a = JSON.parse(r.job) as unknown[];
  if (a[0] !== TAG) throw new Error(`outbox event ${r.seq}: unknown row format ${JSON.stringify(a[0])} (written by a newer broker?)`);
  return {
    id: r.job_id, ownerAccountId: r.j_owner ?? '', requestId: r.j_request ?? '', circuitId: r.j_circuit ?? '',
    state: a[1] as JobStateName, inputJson: null, witness: null, payloadSha256: r.j_payload ?? '',
    attempts: a[2] as number, maxAttempts: Number(r.j_max_attempts ?? 0), proverId: a[3] as string, leaseToken: a[4] as string,
    leaseExpiresMs: a[5] as number, progress: a[6] as number, stage: a[7] as string,
    proofJson: (a[PROOF] ?? r.j_proof ?? '') as string, publicJson: (a[PUBLIC] ?? r.j_public ?? '') as string,
    backend: a[10] as string, proveMs: a[11] as number, error: a[12] as string, excluded: a[13] as string[],
    deadlineMs: Number(r.j_deadline ?? 0), maxPrice: r.j_max_price ?? '0', price: a[14] as string, stake: a[15] as string,
    createdMs: Number(r.j_created ?? 0), updatedMs: a[16] as number, minOnTime: Number(r.j_min_on_time ?? 0), routing: a[17] as string,
    givenBack: a[18] as string[], groupId: r.j_group ?? '', partitionIndex: Number(r.j_partition ?? 0), offer: a[19] as string,
  };
}
