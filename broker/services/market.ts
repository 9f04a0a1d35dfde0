// The Market service (clients): circuits and jobs, each scoped to the calling account. Another
// tenant's job or private circuit is NOT_FOUND (its existence is not revealed).
import * as fs from 'fs';
import * as grpc from '@grpc/grpc-js';
import { CURVES, curveToProto } from '../../src/common/curves';
import type { ProverInfo } from '../../proto/gen/proofmarket/v1/ProverInfo';
import { newJobId, newRequestId, sha256Hex } from '../../src/common/hash';
import type { Job, MarketHandlers, SubmitJobRequest__Output } from '../../src/common/proto';
import type { Caller } from '../auth/caller';
import type { Broker } from '../broker';
import { circuitToProto, jobStateFromProto } from '../convert';
import { aborted, alreadyExists, exhausted, invalid, notFound, precondition, RpcError, toStatus } from '../errors';
import { watchJob } from '../events';
import { FormatError, readWtnsInfo } from '../formats';
import { InputError, validateInputJson } from '../inputs';
import { parseAmount } from '../money';
import { Registration } from '../registry';
import { groupViewOf, loadGroupView, MAX_PARTITIONS, openGroupView, watchGroup } from '../partitions';
import type { CircuitRecord, JobRecord, NewPartition } from '../store/types';
import { CLIENT_ROLES, unary } from './common';
import { PROVER_LIMITS } from './prover-hub';
import { cleanText } from '../../src/common/text';
import { C1Error, c2InputJson, isC2Circuit, type C1Status, type C1Upload, type C2Payload } from '../c2';
import type { C1Info, UploadC1Request__Output } from '../../src/common/proto';
import { arrivalOf, traceJob, tracing } from '../submit-trace';

/** The job if the caller owns it (admins see every job), else null. */
export async function ownJob(b: Broker, id: string, caller: Caller): Promise<JobRecord | null> {
  const j = await b.store.getJob(id);
  return j && (j.ownerAccountId === caller.accountId || caller.role === 'admin') ? j : null;
}

export function marketService(b: Broker): MarketHandlers {
  const watchCalls = b.watchCalls;
  return {
    RegisterCircuit: (call, cb) => {
      let failed = false;
      let reg: Registration | null = null;
      let owner = '';
      const pending: Parameters<Registration['onMessage']>[0][] = [];
      let ended = false;
      const fail = (e: unknown) => {
        if (failed) return;
        failed = true; reg?.abort(); cb(toStatus(e));
      };
      const finish = () => {
        reg!.finish(Date.now()).then((c) => { b.remember(c); cb(null, circuitToProto(c, owner)); }, fail);
      };
      b.auth.authenticate(call.metadata, CLIENT_ROLES, 'RegisterCircuit').then((caller) => {
        if (failed) return;
        owner = caller.accountId;
        reg = new Registration(b.store, b.artifacts, { maxArtifactBytes: b.cfg.maxArtifactBytes }, b.log, caller.accountId);
        try { for (const m of pending.splice(0)) reg.onMessage(m); } catch (e) { fail(e); return; }
        if (ended) finish();
      }, fail);
      call.on('data', (m) => {
        if (failed) return;
        if (!reg) { pending.push(m); return; }
        try { reg.onMessage(m); } catch (e) { fail(e); }
      });
      call.on('end', () => { if (failed) return; ended = true; if (reg) finish(); });
      call.on('cancelled', () => { failed = true; reg?.abort(); });
      call.on('error', () => { failed = true; reg?.abort(); });
    },
    GetCircuit: unary(b, 'GetCircuit', CLIENT_ROLES, async (req, caller) => {
      const c = await b.store.getCircuit(req.circuit, caller.accountId);
      if (!c) throw notFound(`unknown circuit "${req.circuit}" (see ListCircuits, or \`proofmarket circuits\`)`);
      return circuitToProto(c, caller.accountId);
    }),
    ListCircuits: unary(b, 'ListCircuits', CLIENT_ROLES, async (_req, caller) =>
      ({ circuits: (await b.store.listCircuits(caller.accountId)).map((c) => circuitToProto(c, caller.accountId)) })),
    SubmitJob: unary(b, 'SubmitJob', CLIENT_ROLES, async (req, caller) => {
      if (req.partitions?.length) return submitPartitioned(b, req, caller);
      const j = await submit(b, req, caller);
      if (tracing) traceJob(j.id, 'arrive', arrivalOf(req));
      return b.jobOut(j);
    }),
    GetJob: unary(b, 'GetJob', CLIENT_ROLES, async (req, caller) => {
      const g = await ownGroup(b, req.jobId, caller);
      if (g) return g;
      const j = await ownJob(b, req.jobId, caller);
      if (!j) throw notFound(`unknown job "${req.jobId}"`);
      return b.jobOut(j);
    }),
    ListJobs: unary(b, 'ListJobs', CLIENT_ROLES, async (req, caller) => {
      let state = null;
      if (req.state && req.state !== 'JOB_STATE_UNSPECIFIED') {
        state = jobStateFromProto(req.state);
        if (!state) throw invalid(`unknown job state ${req.state}`);
      }
      let circuitId: string | undefined;
      if (req.circuit) {
        const c = await b.store.getCircuit(req.circuit, caller.accountId);
        if (!c) throw notFound(`unknown circuit "${req.circuit}" (see ListCircuits, or \`proofmarket circuits\`)`);
        circuitId = c.id;
      }
      if (req.limit > 1000) throw invalid(`limit ${req.limit} is above the maximum of 1000`);
      const limit = req.limit || 100;
      // One query: single jobs and partitioned jobs (listed once, as themselves: their partitions
      // are their units, not jobs of their own), newest first, `limit` entries, the state filter
      // applied to a partitioned job's own state.
      const views = await b.store.listJobViews({ ownerAccountId: caller.accountId, state: state ?? undefined, circuitId, limit });
      return { jobs: await Promise.all(views.map((v) => (v.group ? groupViewOf(b, v.group, v.partitions) : b.jobOut(v.job)))) };
    }),
    CancelJob: unary(b, 'CancelJob', CLIENT_ROLES, async (req, caller) => {
      if (await ownGroup(b, req.jobId, caller)) return cancelPartitioned(b, req.jobId, caller);
      const own = await ownJob(b, req.jobId, caller);
      if (!own) throw notFound(`unknown job "${req.jobId}"`);
      if (own.groupId) throw precondition(`${req.jobId} is partition ${own.partitionIndex} of job ${own.groupId}: cancel the job (cancel ${own.groupId}), not one partition`);
      const r = await b.store.cancel(req.jobId, 'cancelled by the client', Date.now());
      b.notify();
      if (r.outcome === 'not_found') throw notFound(`unknown job "${req.jobId}"`);
      if (r.outcome === 'terminal') throw precondition(`job ${req.jobId} is already ${r.job!.state} and cannot be cancelled`);
      if (r.previous) b.sessions.revoke(r.previous, 'cancelled');
      b.routing.forget(req.jobId);
      b.log.info(`job ${req.jobId} cancelled by the client (was ${r.previous?.state})`);
      b.dispatch();
      return b.jobOut(r.job!);
    }),
    Quote: unary(b, 'Quote', CLIENT_ROLES, async (req, caller) => {
      if (!req.circuit) throw invalid('circuit (id or name) is required');
      const c = await b.store.getCircuit(req.circuit, caller.accountId);
      if (!c) throw notFound(`unknown circuit "${req.circuit}" (see ListCircuits, or \`proofmarket circuits\`)`);
      const now = Date.now();
      const deadline = deadlineOf(req.deadlineMs, now);
      let maxPrice: bigint | null = null;
      try { if (req.maxPrice && req.maxPrice !== '0') maxPrice = parseAmount(req.maxPrice, 'max_price'); } catch (e) { throw invalid((e as Error).message); }
      const q = b.routing.quote(c, await b.routeProvers(now), deadline, maxPrice, now, b.cfg.money);
      return {
        circuitId: c.id, constraints: String(c.constraints), note: q.note,
        offers: q.offers.map((o) => ({
          proverId: o.prover.proverId, proverName: cleanText(o.prover.name, PROVER_LIMITS.nameChars), price: String(o.price), etaP50Ms: String(Math.round(o.p50Ms)),
          etaP90Ms: String(Math.round(o.p90Ms)), queueMs: String(Math.round(o.queueMs)), onTimeProbability: o.onTime, samples: o.samples,
          state: o.prover.state,
        })),
      };
    }),
    ListProvers: unary(b, 'ListProvers', CLIENT_ROLES, async () => ({ provers: await listProvers(b) })),
    Verify: unary(b, 'Verify', CLIENT_ROLES, async (req, caller) => {
      const c = await b.store.getCircuit(req.circuit, caller.accountId);
      if (!c) throw notFound(`unknown circuit "${req.circuit}" (see ListCircuits, or \`proofmarket circuits\`)`);
      if (isC2Circuit(c)) throw precondition(`${c.name} is the broker's filecoin-c2 pseudo-circuit: it has no verification key (the broker's C2 verifier command checks its proofs)`);
      await b.localArtifacts(c);
      return verifyForClient(b, c, req.proofJson, req.publicJson);
    }),
    GetVerificationKey: unary(b, 'GetVerificationKey', CLIENT_ROLES, async (req, caller) => {
      const c = await b.store.getCircuit(req.circuit, caller.accountId);
      if (!c) throw notFound(`unknown circuit "${req.circuit}" (see ListCircuits, or \`proofmarket circuits\`)`);
      if (isC2Circuit(c)) throw precondition(`${c.name} is the broker's filecoin-c2 pseudo-circuit: it has no verification key`);
      await b.localArtifacts(c);
      return { circuitId: c.id, vkeyJson: fs.readFileSync(b.artifactPath(c, 'VKEY'), 'utf8') };
    }),
    // Per account: another account's c1 (partial or complete) reads exactly like an unknown hash.
    GetC1: unary(b, 'GetC1', CLIENT_ROLES, async (req, caller) => {
      const sha = String(req.sha256 ?? '').toLowerCase();
      try { return c1Info(await b.c1.statusFor(sha, caller.accountId)); } catch (e) { throw c1Status(e); }
    }),
    UploadC1: (call, cb) => uploadC1(b, call, cb),
    WatchJob: (call) => {
      watchCalls.add(call);
      b.track(b.auth.authenticate(call.metadata, CLIENT_ROLES, 'WatchJob').then(
        async (caller) => {
          // The key is checked again while the stream is open: revoked, the stream ends UNAUTHENTICATED.
          const authorize = async () => { await b.auth.authenticate(call.metadata, CLIENT_ROLES, 'WatchJob'); };
          if (await b.store.getGroup(call.request.jobId)) {
            return watchGroup(b.events, call, () => openGroupView(b, call.request.jobId, mayView(caller)),
              () => watchCalls.delete(call), authorize);
          }
          return watchJob(b.events, call, (id) => ownJob(b, id, caller), () => watchCalls.delete(call), (j) => b.jobOut(j), authorize);
        },
        (e) => { watchCalls.delete(call); call.emit('error', toStatus(e)); }));
    },
  };
}

/** Whether `caller` may see a job of `owner`: its own, or any job for an admin. */
const mayView = (caller: Caller) => (owner: string): boolean => owner === caller.accountId || caller.role === 'admin';

/** A partitioned job's view if the caller owns it (admins see every job), else null. */
export function ownGroup(b: Broker, id: string, caller: Caller): Promise<Job | null> {
  return loadGroupView(b, id, mayView(caller));
}

/**
 * Checks input_json against the circuit; returns the normalised JSON the provers get (see
 * inputs.ts). FAILED_PRECONDITION for a witness-only circuit, INVALID_ARGUMENT naming the signal.
 */
function normalisedInput(b: Broker, c: CircuitRecord, inputJson: string): string {
  if (!c.artifacts.some((a) => a.kind === 'WASM')) {
    throw precondition(`circuit ${c.name} was registered without a wasm: submit a witness (.wtns), or register the circuit with its wasm`);
  }
  try { return validateInputJson(inputJson, c.curve, { spec: c.inputs, probe: () => b.probe(c) }); } catch (e) {
    if (e instanceof InputError) throw invalid(e.message);
    throw e;
  }
}

/** The Verify RPC: a client's proof against a circuit's vkey; an invalid proof is a verdict, not an error. */
async function verifyForClient(b: Broker, c: CircuitRecord, proofJson: string, publicJson: string): Promise<{ valid: boolean; reason: string }> {
  if (!proofJson || !publicJson) throw invalid('proof_json and public_json are both required');
  const v = await b.verifier.verify(b.vkey(c), proofJson, publicJson, c.nPublic);
  if (!v.ok && v.reason.startsWith('verifier unavailable')) throw new RpcError(grpc.status.UNAVAILABLE, `${v.reason}; retry`);
  return { valid: v.ok, reason: v.ok ? '' : v.reason };
}

/** Why filecoin-c2 jobs are refused here, or null when this broker takes them. */
function c2Refusal(b: Broker): string | null {
  return b.c2Verifier ? null : 'this broker takes no filecoin-c2 jobs: it has no C2 verifier to check their proofs before paying '
    + 'anyone (its operator starts it with --c2-verifier CMD; see prover/backends/EXTERNAL.md)';
}

function c1Info(st: C1Status): C1Info {
  return {
    sha256: st.sha256, size: String(st.size), received: String(st.received), complete: st.complete,
    proofType: st.info?.proofType ?? '', sectorSize: String(st.info?.sectorSize ?? 0), partitions: st.info?.partitions ?? 0,
  };
}

function c1Status(e: unknown): unknown {
  if (!(e instanceof C1Error)) return e;
  return e.code === 'invalid' ? invalid(e.message) : e.code === 'exhausted' ? exhausted(e.message) : e.code === 'aborted' ? aborted(e.message) : precondition(e.message);
}

/** UploadC1: header, then chunks in order (market.proto); messages are handled strictly in order after authentication. */
function uploadC1(b: Broker, call: Parameters<MarketHandlers['UploadC1']>[0], cb: Parameters<MarketHandlers['UploadC1']>[1]): void {
  let up: C1Upload | null = null;
  let done = false;
  const fail = (e: unknown) => { if (done) return; done = true; up?.abort(); up = null; cb(toStatus(c1Status(e))); };
  const answer = (st: C1Status) => { if (done) return; done = true; cb(null, c1Info(st)); };
  let accountId = '';
  let chain: Promise<unknown> = b.auth.authenticate(call.metadata, CLIENT_ROLES, 'UploadC1').then((caller) => {
    const why = c2Refusal(b);
    if (why) throw precondition(why);
    accountId = caller.accountId;
  });
  chain = chain.catch(fail);
  const onMessage = async (m: UploadC1Request__Output) => {
    if (done) return;
    if (m.header) {
      if (up) throw invalid('UploadC1: header sent twice');
      const sha = String(m.header.sha256 ?? '').toLowerCase();
      // The caller's own upload only: a c1 it sent before (on any broker of the store) completes at once.
      const r = await b.c1.begin(sha, accountId, Number(m.header.size), Number(m.header.offset ?? 0));
      if ('write' in r) { if (done) r.abort(); else up = r; } else answer(r);
    } else if (m.chunk) {
      if (!up) throw invalid('UploadC1: the first message must be the header (size, sha256, offset)');
      up.write(m.chunk);
    } else throw invalid('UploadC1: empty message (neither header nor chunk)');
  };
  call.on('data', (m: UploadC1Request__Output) => { chain = chain.then(() => onMessage(m)).catch(fail); });
  call.on('end', () => {
    chain = chain.then(async () => {
      if (done) return;
      if (!up) throw invalid('UploadC1: no header was sent');
      const u = up; up = null;
      const st = await u.finish();
      b.log.info(`c1 ${st.sha256} uploaded: ${st.size} bytes, ${st.info?.proofType}, sector ${st.info?.sectorSize} bytes, ${st.info?.partitions} partition(s)`);
      answer(st);
    }).catch(fail);
    b.track(chain);
  });
  const broke = () => { if (!done) { done = true; up?.abort(); up = null; } };
  call.on('cancelled', broke);
  call.on('error', broke);
}

/**
 * One payload (a job's, or a partition's) checked against the circuit: a witness must be over the
 * circuit's field and of its size, an input is validated and normalised (INVALID_ARGUMENT naming
 * the problem). The idempotency hash is of what the client sent; provers get the normalised input.
 */
function checkPayload(b: Broker, c: CircuitRecord, p: { payload?: string; inputJson?: string; witness?: Buffer | Uint8Array }): NewPartition {
  let inputJson: string | null = null; let witness: Buffer | null = null;
  if (p.payload === 'witness' && p.witness) {
    witness = Buffer.from(p.witness);
    try {
      const w = readWtnsInfo(witness);
      if (w.prime !== CURVES[c.curve].r) throw invalid(`witness is over a different field than circuit ${c.name} (${CURVES[c.curve].label})`);
      if (w.nWitness !== c.nVars) throw invalid(`witness has ${w.nWitness} values, circuit ${c.name} needs ${c.nVars}: it is for another circuit`);
    } catch (e) { if (e instanceof FormatError) throw invalid(e.message); throw e; }
  } else if (p.payload === 'inputJson' || p.inputJson) {
    inputJson = normalisedInput(b, c, p.inputJson ?? '');
  } else {
    throw invalid('either input_json or witness is required');
  }
  return { inputJson, witness, payloadSha256: sha256Hex(witness ?? p.inputJson ?? '') };
}

/** How far ahead a deadline may be (365 days): further is a unit mistake (µs or ns for ms), not a deadline. */
export const MAX_DEADLINE_AHEAD_MS = 365 * 24 * 3600 * 1000;

/**
 * A request's deadline_ms (uint64, ms since the epoch; 0 or absent = none), checked: a safe
 * integer, in the future, at most MAX_DEADLINE_AHEAD_MS ahead; else INVALID_ARGUMENT saying what
 * a valid one looks like.
 */
export function deadlineOf(raw: string | number | undefined | null, now: number): number {
  const text = String(raw ?? '0').trim() || '0';
  const d = /^\d+$/.test(text) ? Number(text) : NaN;
  const example = `e.g. ${now + 600_000} for 10 minutes from now, or 0 for none`;
  if (!Number.isSafeInteger(d)) throw invalid(`deadline_ms ${text} is not a time in ms since the epoch (${example})`);
  if (d === 0) return 0;
  if (d <= now) throw invalid(`deadline_ms ${d} is already in the past (now ${now}; ${example})`);
  if (d - now > MAX_DEADLINE_AHEAD_MS) {
    // Exact numbers: rounded days read "365 days away, more than the 365 allowed" just past the limit.
    throw invalid(`deadline_ms ${d} is ${d - now} ms (${((d - now) / 86_400_000).toFixed(2)} days) from now, more than the `
      + `${MAX_DEADLINE_AHEAD_MS} ms (365 days) allowed: is it in µs or ns rather than ms? (${example})`);
  }
  return d;
}

/** The job fields every kind shares (request id, deadline, max price, on-time target), checked. */
function commonJobFields(b: Broker, req: SubmitJobRequest__Output) {
  let requestId = req.requestId ?? '';
  if (requestId.length > 128) throw invalid('request_id is longer than 128 characters');
  if (!requestId) requestId = `auto-${newRequestId()}`;
  const now = Date.now();
  const deadline = deadlineOf(req.deadlineMs, now);
  let maxPrice: bigint;
  try { maxPrice = parseAmount(req.maxPrice || '0', 'max_price'); } catch (e) { throw invalid((e as Error).message); }
  const minOnTime = Number(req.minOnTime) || 0;
  if (!(minOnTime >= 0 && minOnTime < 1)) throw invalid(`min_on_time ${req.minOnTime} must be a probability in [0, 1) (0 = the default ${b.routing.cfg.defaultMinOnTime})`);
  let offer: bigint | null = null;
  try { if (req.offer && req.offer !== '0') offer = parseAmount(req.offer, 'offer'); } catch (e) { throw invalid((e as Error).message); }
  if (offer !== null && offer > maxPrice) throw invalid(`offer ${offer} is above max_price ${maxPrice}: the offer is raised towards the max, never past it`);
  return { requestId, now, deadline, maxPrice, minOnTime, offer };
}

/**
 * The offer of a job with a deadline whose client named none: the cheapest ask among the connected
 * market provers likely (≥ minOnTime) to finish it in time, as a quote would show it now; null
 * (= the max price) when none is. The ladder raises it later if that prover's queue grows.
 */
async function defaultOffer(b: Broker, c: CircuitRecord, deadline: number, maxPrice: bigint, minOnTime: number, now: number): Promise<bigint | null> {
  const q = b.routing.quote(c, (await b.routeProvers(now)).filter((p) => !p.fallback), deadline, maxPrice, now, b.cfg.money);
  const ok = q.offers.find((o) => o.onTime >= minOnTime);
  return ok ? ok.price : null;
}

/** The request's common terms (request id, circuit, deadline, max price, on-time target), checked. */
async function submitTerms(b: Broker, req: SubmitJobRequest__Output, caller: Caller) {
  if (!req.circuit) throw invalid('circuit (id or name) is required');
  const c = await b.visibleCircuit(req.circuit, caller.accountId);
  if (!c) throw notFound(`unknown circuit "${req.circuit}": register it first (proofmarket circuit add)`);
  if (isC2Circuit(c)) throw invalid(`${c.name} is the broker's filecoin-c2 pseudo-circuit: submit a c1.json instead (filecoin_c2; proofmarket submit --c2 FILE)`);
  await b.localArtifacts(c);
  return { ...commonJobFields(b, req), c };
}

/** A filecoin-c2 job on an uploaded c1.json: only where a verifier command can check its proof. */
async function submitC2(b: Broker, req: SubmitJobRequest__Output, caller: Caller): Promise<JobRecord> {
  const why = c2Refusal(b);
  if (why) throw precondition(why);
  const f = commonJobFields(b, req);
  const sha = String(req.filecoinC2?.c1Sha256 ?? '').toLowerCase();
  let st: C1Status;
  // Only a c1 the caller uploaded itself: another account's reads like an unknown hash (NOT_FOUND).
  try { st = await b.c1.statusFor(sha, caller.accountId); } catch (e) { throw c1Status(e); }
  if (!st.complete || !st.info) {
    throw notFound(`no complete c1.json upload with sha256 ${sha}${st.received ? ` (${st.received} bytes of it are held: resume the upload)` : ''}: upload it first (UploadC1; \`proofmarket submit --c2 c1.json\` does both)`);
  }
  const p: C2Payload = { c1Sha256: sha, c1Size: st.size, proofType: st.info.proofType, sectorSize: st.info.sectorSize, partitions: st.info.partitions };
  const c = await b.c2Circuit(p);
  // payloadSha256 = the c1's hash (Broker.c2PayloadFor reads it back for outbox snapshots)
  return enqueueNew(b, caller, { ...f, c }, { inputJson: c2InputJson(p), witness: null, payloadSha256: sha });
}

/**
 * A partitioned job: every partition's payload checked (INVALID_ARGUMENT naming the partition),
 * then the group and its N partitions written and N × max_price held in escrow in one store
 * transaction; each partition is then queued and its statement worked out like a job's.
 */
async function submitPartitioned(b: Broker, req: SubmitJobRequest__Output, caller: Caller): Promise<Job> {
  if (req.payload) throw invalid('a partitioned job carries its payloads in partitions, not in input_json/witness: send one or the other');
  const n = req.partitions.length;
  if (n < 2) throw invalid(`a partitioned job needs at least 2 partitions (got ${n}); submit a single payload as input_json or witness`);
  if (n > MAX_PARTITIONS) throw invalid(`a partitioned job may have at most ${MAX_PARTITIONS} partitions (got ${n})`);
  const t = await submitTerms(b, req, caller);
  if (t.requestId.length + 1 + String(n - 1).length > 128) throw invalid(`request_id is too long for ${n} partitions (128 characters with "#K")`);
  const parts = req.partitions.map((p, k) => {
    try { return checkPayload(b, t.c, p); } catch (e) {
      if (e instanceof RpcError) throw new RpcError(e.code, `partition ${k}: ${e.message}`);
      throw e;
    }
  });
  const id = newJobId();
  const r = await b.store.submitGroup({
    id, ownerAccountId: caller.accountId, requestId: t.requestId, circuitId: t.c.id, partitions: parts,
    payloadSha256: sha256Hex(parts.map((p) => p.payloadSha256).join('\n')), maxAttempts: b.cfg.maxAttempts, deadlineMs: t.deadline,
    maxPrice: t.maxPrice, nowMs: t.now, minOnTime: t.minOnTime, maxLiveJobs: b.cfg.maxLiveJobsPerAccount,
  });
  if (r.outcome === 'too_many_live') {
    throw exhausted(`account "${caller.name}" has ${r.live} live jobs (a partition counts as one), the limit per account is `
      + `${b.cfg.maxLiveJobsPerAccount}: this job's ${n} partitions do not fit; wait for some to finish (or cancel them) and submit again`);
  }
  if (r.outcome === 'insufficient_funds') {
    throw precondition(`account "${caller.name}" has ${r.available} micro-credits available, the job holds ${n} × ${t.maxPrice} = `
      + `${BigInt(n) * t.maxPrice} in escrow: ask an admin to deposit more (proofmarket deposit) or lower --max-price`);
  }
  if (r.outcome === 'conflict') {
    throw alreadyExists(`request_id "${t.requestId}" was already used for job ${r.group?.id ?? r.jobs[0]?.id} with a different circuit or payload`);
  }
  if (r.outcome === 'created') {
    for (const j of r.jobs) {
      const q = await b.store.enqueue(j.id, Date.now());
      if (q.job) b.queued(q.job);
      b.startStatement(q.job ?? j, t.c);
    }
    b.notify();
    b.log.info(`job ${id} submitted for circuit ${t.c.name} by ${caller.name}: ${n} partitions (max price ${t.maxPrice} each)`);
    b.dispatch();
  }
  return (await loadGroupView(b, r.group!.id, () => true))!;
}

/** CancelJob on a partitioned job: every live partition cancelled and refunded in one transaction. */
async function cancelPartitioned(b: Broker, id: string, caller: Caller): Promise<Job> {
  const r = await b.store.cancelGroup(id, 'cancelled by the client', Date.now());
  b.notify();
  if (r.outcome === 'not_found') throw notFound(`unknown job "${id}"`);
  if (r.outcome === 'terminal') {
    const v = await ownGroup(b, id, caller);
    throw precondition(`job ${id} is already ${v ? String(v.state).replace(/^JOB_STATE_/, '') : 'ended'} and cannot be cancelled`);
  }
  for (const p of r.previous) { b.sessions.revoke(p, 'cancelled'); b.routing.forget(p.id); }
  b.log.info(`job ${id} cancelled by the client (${r.previous.length} live partitions refunded)`);
  b.dispatch();
  return (await ownGroup(b, id, caller))!;
}

async function submit(b: Broker, req: SubmitJobRequest__Output, caller: Caller): Promise<JobRecord> {
  if (req.payload === 'filecoinC2' || req.filecoinC2) return submitC2(b, req, caller);
  const t = await submitTerms(b, req, caller);
  return enqueueNew(b, caller, t, checkPayload(b, t.c, req));
}

/** Records a new job (escrow held) and queues it; a retry with the same request id returns the first job. */
async function enqueueNew(b: Broker, caller: Caller, t: Awaited<ReturnType<typeof submitTerms>>, p: NewPartition): Promise<JobRecord> {
  const { requestId, c, now, deadline, maxPrice, minOnTime } = t;
  const offer = t.offer ?? (deadline > 0 ? await defaultOffer(b, c, deadline, maxPrice, minOnTime || b.routing.cfg.defaultMinOnTime, now) : null);
  // A request id is one job: a partitioned job's cannot name a single-payload one too ('group_taken', checked in the submit's transaction).
  const r = await b.store.submit({
    id: newJobId(), ownerAccountId: caller.accountId, requestId, circuitId: c.id, inputJson: p.inputJson, witness: p.witness,
    payloadSha256: p.payloadSha256, maxAttempts: b.cfg.maxAttempts, deadlineMs: deadline, maxPrice, nowMs: now, minOnTime, offer,
    maxLiveJobs: b.cfg.maxLiveJobsPerAccount, enqueue: true,
  });
  if (tracing && r.job) traceJob(r.job.id, 'committed');
  if (r.outcome === 'too_many_live') {
    throw exhausted(`account "${caller.name}" has ${r.live} live jobs, the limit per account is ${b.cfg.maxLiveJobsPerAccount}: `
      + 'wait for some to finish (or cancel them) and submit again');
  }
  if (r.outcome === 'insufficient_funds') {
    throw precondition(`account "${caller.name}" has ${r.available} micro-credits available, the job's max price is ${maxPrice}: `
      + 'ask an admin to deposit more (proofmarket deposit) or lower --max-price');
  }
  if (r.outcome === 'group_taken') throw alreadyExists(`request_id "${requestId}" was already used for job ${r.group!.id} (a partitioned job of ${r.group!.n} partitions)`);
  if (r.outcome === 'conflict') throw alreadyExists(`request_id "${requestId}" was already used for job ${r.job!.id} with a different circuit or payload`);
  if (r.outcome === 'existing') return r.job!;
  // Created and QUEUED in one transaction (enqueue: true); a store that left it SUBMITTED is asked again.
  const job = r.job!.state === 'SUBMITTED' ? ((await b.store.enqueue(r.job!.id, Date.now())).job ?? r.job!) : r.job!;
  b.notify();
  // The job's statement (its public signals; the witness checked against the R1CS) is worked out
  // in the witness pool from now on, not awaited here: its result is needed only when a proof arrives.
  b.startStatement(job, c);
  b.log.info(`job ${job.id} submitted for circuit ${c.name} by ${caller.name} (max price ${maxPrice}${job.offer ? `, offer ${job.offer}` : ''})`);
  b.queued(job); // into the queue index, and a pass for it
  return job;
}

/**
 * Every known prover with its measured speed and standing; connected ones first, at most
 * PROVER_LIMITS.listed of them, each field cut to its Register limit (records stored before those
 * limits existed cannot make the answer too large for a client to receive).
 */
async function listProvers(b: Broker): Promise<ProverInfo[]> {
  const L = PROVER_LIMITS;
  const online = (id: string) => { const s = b.sessions.get(id); return !!s && !s.closed; };
  const all = ((await b.store.listProvers?.()) ?? []).sort((x, y) => Number(online(y.id)) - Number(online(x.id))).slice(0, L.listed);
  const out: ProverInfo[] = [];
  for (const p of all) {
    const s = b.sessions.get(p.id);
    const st = b.routing.standingOf(p.id) ?? (await b.store.getProverRouting?.(p.id)) ?? null;
    const curve = p.caps.curves[0] ?? 'bn254';
    const fit = b.routing.model.fit(p.id, curve);
    // Measured ms where measurements back the fit (a sample within a factor 4 of the size); '0' = not known.
    const at = (log2: number) => String(Math.round(b.routing.model.measuredAt(p.id, curve, 2 ** log2) ?? 0));
    const verdicts = p.accepted + p.rejected;
    out.push({
      id: p.id, name: cleanText(p.name, L.nameChars), curves: p.caps.curves.map(curveToProto),
      backends: p.caps.backends.slice(0, L.backends).map((x) => cleanText(x, L.backendChars)),
      devices: p.caps.devices.slice(0, L.devices).map((d) => cleanText(`${d.name} (${d.backend})`, L.deviceNameChars + L.backendChars + 3)), price: p.caps.price, pricePerMConstraints: p.caps.pricePerMConstraints,
      ms_2_12: at(12), ms_2_16: at(16), ms_2_20: at(20), reputation: s ? s.reputation : p.reputation,
      successRate: verdicts ? p.accepted / verdicts : 1, state: !s || s.closed ? 'offline' : (st?.state ?? 'active'),
      slots: p.caps.slots, active: s ? s.active.size : 0, samples: fit?.samples ?? 0,
      challengesPassed: st?.challengesPassed ?? 0, challengesFailed: st?.challengesFailed ?? 0, missedEta: st?.missedEta ?? 0,
      c2SectorSizes: (p.caps.c2?.sectorSizes ?? []).slice(0, L.c2SectorSizes).map(String),
    });
  }
  return out.sort((x, y) => (x.state === 'offline' ? 1 : 0) - (y.state === 'offline' ? 1 : 0) || ((x.name ?? '') < (y.name ?? '') ? -1 : 1));
}
