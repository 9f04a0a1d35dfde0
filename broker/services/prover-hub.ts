// The ProverHub service: Register (prover operator accounts), the Session stream, FetchArtifact.
// A session's hello must name a prover registered by the same operator account.
import type { CurveName } from '../../src/common/curves';
import { curveFromProto } from '../../src/common/curves';
import type { ProverHubHandlers, ProverMessage__Output, RegisterProverRequest__Output } from '../../src/common/proto';
import type { Capabilities__Output } from '../../proto/gen/proofmarket/v1/Capabilities';
import { streamArtifact } from '../artifact-stream';
import { mayFetchArtifact } from '../auth/artifacts';
import type { Caller } from '../auth/caller';
import type { Broker } from '../broker';
import { invalid, permissionDenied, precondition, toStatus } from '../errors';
import { checkHello, newProverSecret, registerMismatchMessage, secretSha256 } from '../prover-identity';
import { parseAmount } from '../money';
import { onResult } from '../results';
import { sweep } from '../sweep';
import type { ProverSession, SessionCall } from '../sessions';
import type { ProverCaps } from '../store/types';
import { ANY_ROLE, PROVER_ROLES, boundedField, unary } from './common';
import { cleanText } from '../../src/common/text';

/**
 * Limits on what a prover registers (INVALID_ARGUMENT naming the limit beyond them): every prover
 * record is listed to every client (ListProvers), so none may be large; free-form text is stored
 * without control characters (src/common/text.ts).
 */
export const PROVER_LIMITS = {
  nameChars: 64, backends: 16, backendChars: 64, devices: 64, deviceNameChars: 128, bench: 256, benchLog2: 40, c2SectorSizes: 16,
  /** A give-back's error text and a progress stage, as other tenants see them in their job (cut, not refused). */
  errorChars: 1000, stageChars: 64,
  /** ListProvers answers at most this many provers (connected ones first). */
  listed: 1000,
} as const;

/** A uint64 count (constraints, bytes) as a number: INVALID_ARGUMENT past 2^53 - 1, where a number is no longer exact. */
function safeCount(v: string | number | undefined | null, what: string): number {
  const n = Number(v ?? 0) || 0;
  if (!Number.isSafeInteger(n) || n < 0) throw invalid(`${what} ${v} is out of range (at most ${Number.MAX_SAFE_INTEGER})`);
  return n;
}

/** A list field checked against its limit on entries. */
function boundedList<T>(v: T[], max: number, what: string): T[] {
  if (v.length > max) throw invalid(`${what} has ${v.length} entries, the limit is ${max}`);
  return v;
}

export function proverHubService(b: Broker): ProverHubHandlers {
  return {
    Register: unary(b, 'Register', PROVER_ROLES, (req, caller) => register(b, req, caller)),
    Session: (call) => {
      writeBatched(call);
      const state: { s: ProverSession | null; caller: Caller | null } = { s: null, caller: null };
      let ended = false;
      const cleanup = () => {
        if (ended) return;
        ended = true;
        const s = state.s;
        if (s) {
          b.sessions.closed(s);
          b.log.info(`prover ${s.proverId} disconnected${s.active.size ? ` holding ${s.active.size} lease(s) (requeued unless it is back within ${b.routing.cfg.graceMs} ms)` : ''}`);
          b.routing.sessionDropped(s, () => { const n = b.sessions.get(s.proverId); return !!n && !n.closed; },
            () => b.store.leasedTo(s.proverId), () => b.track(sweep(b)));
        }
      };
      const fail = (e: unknown) => {
        const st = toStatus(e);
        b.log.warn(`prover session error: ${st.details}`);
        cleanup();
        try { call.emit('error', st); } catch { /* already closed */ }
      };
      // Messages are handled strictly in order, after authentication.
      let chain: Promise<void> = b.auth.authenticate(call.metadata, PROVER_ROLES, 'Session').then((c) => { state.caller = c; });
      chain = chain.catch(fail);
      call.on('data', (m: ProverMessage__Output) => {
        chain = chain.then(async () => {
          if (ended || !state.caller) return;
          // The key is checked again on every message (a cache hit, mostly): a session outlives
          // the revocation of its operator's key by at most the cache's few seconds.
          await b.auth.authenticate(call.metadata, PROVER_ROLES, 'Session');
          const st = state as { s: ProverSession | null; caller: Caller };
          // A result is taken in beside the later messages, not before them: a prover with many
          // slots (or a burst of quick proofs) would otherwise have its results read, written
          // (VERIFYING) and queued for the pairing one at a time, each waiting for its own COMMIT.
          // Results of one job still go in order; the session fails on an error as before.
          if (m.result && st.s) { b.track(takeResult(st.s, m.result.jobId, () => onProverMessage(b, st, call, m)).catch(fail)); return; }
          return onProverMessage(b, st, call, m);
        }).catch(fail);
        b.track(chain);
      });
      call.on('end', () => { cleanup(); try { call.end(); } catch { /* closed */ } });
      call.on('error', cleanup);
      call.on('cancelled', cleanup);
      call.on('close', cleanup);
    },
    FetchArtifact: (call) => {
      b.track(b.auth.authenticate(call.metadata, ANY_ROLE, 'FetchArtifact').then(
        (caller) => streamArtifact(b.artifacts, call, (sha) => mayFetchArtifact(b, caller, sha)),
        (e) => call.emit('error', toStatus(e))));
    },
  };
}

async function register(b: Broker, req: RegisterProverRequest__Output, caller: Caller) {
  const key = req.proverKey?.trim();
  if (!key) throw invalid('prover_key is required (a stable identity such as hostname + data dir)');
  if (key.length > 256) throw invalid('prover_key is longer than 256 characters');
  const c = req.capabilities;
  if (!c) throw invalid('capabilities are required');
  const curves: CurveName[] = [];
  for (const pc of c.curves) {
    const cv = curveFromProto(pc);
    if (!cv) throw invalid(`capabilities.curves: ${pc} is not a supported curve`);
    if (!curves.includes(cv)) curves.push(cv);
  }
  if (curves.length === 0) throw invalid('capabilities.curves is empty: a prover must support at least one curve');
  let price: bigint; let perM: bigint;
  try {
    price = parseAmount(c.price || '0', 'capabilities.price');
    perM = parseAmount(c.pricePerMConstraints || '0', 'capabilities.price_per_m_constraints');
  } catch (e) { throw invalid((e as Error).message); }
  const L = PROVER_LIMITS;
  const name = req.name ? boundedField(req.name, L.nameChars, 'name') : cleanText(key, L.nameChars);
  const backend = (v: string, what: string) => boundedField(v, L.backendChars, what);
  const caps: ProverCaps = {
    curves, backends: boundedList(c.backends, L.backends, 'capabilities.backends').map((x, i) => backend(x, `capabilities.backends[${i}]`)),
    maxConstraints: safeCount(c.maxConstraints, 'capabilities.max_constraints'), slots: Math.max(1, c.slots || 1),
    price: String(price), pricePerMConstraints: String(perM),
    devices: boundedList(c.devices, L.devices, 'capabilities.devices').map((d, i) => ({
      name: boundedField(d.name, L.deviceNameChars, `capabilities.devices[${i}].name`), memoryBytes: String(d.memoryBytes),
      backend: backend(d.backend, `capabilities.devices[${i}].backend`),
    })),
    bench: boundedList(c.bench, L.bench, 'capabilities.bench').map((x, i) => {
      // 2^log2 feeds the latency model: past 2^40 constraints it is no circuit, and 2^(2^32) is Infinity.
      if (x.log2Constraints > L.benchLog2) throw invalid(`capabilities.bench[${i}].log2_constraints ${x.log2Constraints} is over ${L.benchLog2}`);
      return { curve: curveFromProto(x.curve), backend: backend(x.backend, `capabilities.bench[${i}].backend`), log2Constraints: x.log2Constraints, proveMs: x.proveMs };
    }),
    c2: c2Caps(c.filecoinC2, price),
  };
  // The daemon presents the secret of its first Register; a first Register gets a fresh one.
  const presented = req.proverSecret?.trim() ?? '';
  const issued = presented ? '' : newProverSecret();
  const r = await b.store.registerProver({
    ownerAccountId: caller.accountId, key, name, caps, secretSha256: secretSha256(presented || issued), nowMs: Date.now(),
  });
  if (r.outcome === 'secret_mismatch' || !r.prover) {
    b.log.warn(`Register refused for prover key "${key}" of operator ${caller.name}: ${presented ? 'wrong' : 'no'} prover secret`);
    throw permissionDenied(registerMismatchMessage(key, !!presented));
  }
  const p = r.prover;
  b.log.info(`prover registered (${r.outcome}, epoch ${p.sessionEpoch}): ${p.id} "${p.name}" (operator ${caller.name}) curves=${curves.join(',')} backends=${caps.backends.join(',')} slots=${caps.slots} price=${price}${perM ? `+${perM}/M constraints` : ''}${caps.c2 ? ` filecoin-c2=${caps.c2.sectorSizes.join(',')} bytes at ${caps.c2.price}` : ''}`);
  return {
    proverId: p.id, heartbeatMs: b.cfg.heartbeatMs, leaseMs: b.cfg.leaseMs,
    proverSecret: r.outcome === 'created' || r.outcome === 'bound' ? issued : '', sessionEpoch: String(p.sessionEpoch),
  };
}

/** A daemon's filecoin-c2 capability, checked: positive integer sector sizes; its ask defaults to its per-proof price. */
function c2Caps(c: Capabilities__Output['filecoinC2'], price: bigint): ProverCaps['c2'] {
  if (!c || c.sectorSizes.length === 0) return null;
  boundedList(c.sectorSizes, PROVER_LIMITS.c2SectorSizes, 'capabilities.filecoin_c2.sector_sizes');
  const sizes = c.sectorSizes.map(Number);
  for (const s of sizes) if (!Number.isSafeInteger(s) || s <= 0) throw invalid(`capabilities.filecoin_c2.sector_sizes: ${s} is not a sector size in bytes`);
  let ask: bigint;
  try { ask = parseAmount(c.price || '0', 'capabilities.filecoin_c2.price'); } catch (e) { throw invalid((e as Error).message); }
  return { sectorSizes: [...new Set(sizes)], memoryBytes: safeCount(c.memoryBytes, 'capabilities.filecoin_c2.memory_bytes'), price: String(ask || price) };
}

/** Runs `fn` after the results of the same job already being taken in on this session. */
function takeResult(s: ProverSession, jobId: string, fn: () => Promise<void>): Promise<void> {
  const m = s.results ??= new Map();
  const run = (m.get(jobId) ?? Promise.resolve()).then(fn);
  const tail = run.catch(() => {}).then(() => { if (m.get(jobId) === tail) m.delete(jobId); });
  m.set(jobId, tail);
  return run;
}

/**
 * Lets the messages written to a Session stream while one is being sent go out together. grpc-js's
 * server stream sends one message per write and takes the next only when the HTTP/2 write of the
 * previous one has completed (a later event-loop turn), so a prover with many slots got at most
 * one assignment per turn of the broker's loop: at a high submit rate, when turns are long, its
 * assignments fell seconds behind the claims. With `_writev`, Node's Writable hands every buffered
 * message over at once (in order); HTTP/2 then writes them together.
 */
function writeBatched(call: object): void {
  const c = call as { call?: { sendMessage?: (m: unknown, cb: (e?: Error | null) => void) => void }; _writev?: unknown };
  const inner = c.call;
  if (!inner || typeof inner.sendMessage !== 'function') return; // another grpc-js layout: keep one write at a time
  c._writev = (chunks: { chunk: unknown }[], done: (e?: Error | null) => void) => {
    let left = chunks.length;
    for (const { chunk } of chunks) inner.sendMessage!(chunk, (e) => { if (--left === 0) done(e ?? null); });
  };
}

async function onHeartbeat(b: Broker, s: ProverSession, tokens: string[]): Promise<void> {
  const now = Date.now();
  for (const t of tokens) {
    const job = await b.store.getJobByLeaseToken(t);
    const mine = !!job && job.proverId === s.proverId && job.leaseToken === t;
    // A result whose proof is being checked (or still being taken in): nothing to extend, nothing to cancel.
    if (mine && (job!.state === 'VERIFYING' || s.results?.has(job!.id))) continue;
    // A result that verified but whose ack was lost (e.g. the broker restarted): ack it now.
    if (mine && job!.state === 'DONE') {
      s.active.delete(job!.id);
      if (!s.acked.has(job!.id)) b.sessions.ack(s, job!.id, 'accepted', 'proof verified');
      continue;
    }
    const ok = mine && (await b.store.heartbeat(job!.id, t, now + b.cfg.leaseMs, now)).outcome === 'ok';
    if (!ok) {
      if (job) s.active.delete(job.id);
      b.sessions.send(s, { cancel: { jobId: job?.id ?? '', leaseToken: t, reason: 'lease_lost' } });
    } else if (!s.active.has(job!.id)) s.active.add(job!.id);
  }
  if (s.resync) {
    // First heartbeat after hello: a lease the prover does not mention was assigned while it was
    // away (or the assignment was lost with a broker crash). Send it again rather than let it lapse.
    s.resync = false;
    const held = new Set(tokens);
    for (const j of await b.store.leasedTo(s.proverId)) {
      if (held.has(j.leaseToken)) continue;
      const c = await b.circuit(j.circuitId);
      if (!c) continue;
      b.log.info(`re-sending assignment of job ${j.id} to reconnected prover ${s.proverId}`);
      s.active.add(j.id);
      b.sessions.send(s, { assignment: b.assignment(j, c, j.leaseToken, j.leaseExpiresMs) });
    }
  }
}

async function onProverMessage(b: Broker, state: { s: ProverSession | null; caller: Caller }, call: SessionCall, m: ProverMessage__Output): Promise<void> {
  if (m.hello) {
    if (state.s) throw invalid('Session: hello sent twice');
    const found = await b.store.getProver(m.hello.proverId);
    // Another operator's prover is answered exactly like one that does not exist.
    const p = found && found.ownerAccountId === state.caller.accountId ? found : null;
    checkHello(p, m.hello);
    if (!p) return;
    const leased = await b.store.leasedTo(p.id);
    const s: ProverSession = {
      proverId: p.id, operatorId: p.ownerAccountId, name: cleanText(p.name, PROVER_LIMITS.nameChars), call, caps: p.caps, reputation: p.reputation,
      active: new Set(leased.map((j) => j.id)), closed: false, resync: leased.length > 0, acked: new Set(), epoch: p.sessionEpoch,
    };
    await b.routing.onHello(p, Date.now(), b.isFallback(p.ownerAccountId));
    b.sessions.open(s);
    state.s = s;
    b.log.info(`prover ${p.id} (${p.name}) connected: ${p.caps.curves.join('+')}, ${p.caps.slots} slot(s)${leased.length ? `, still holds ${leased.length} lease(s)` : ''}`);
    await b.challenges.ensure(p.id, p.caps.curves);
    b.dispatch();
    return;
  }
  const s = state.s;
  if (!s) throw precondition('Session: the first message must be hello with the prover id, its secret and session epoch');
  // A fenced session (superseded by a newer one of the same prover) has no say any more.
  if (!b.sessions.isCurrent(s)) return;
  if (m.heartbeat) await onHeartbeat(b, s, m.heartbeat.leaseTokens);
  else if (m.progress) {
    const p = m.progress; const now = Date.now();
    const stage = cleanText(p.stage ?? '', PROVER_LIMITS.stageChars);
    const r = await b.store.progress(p.jobId, p.leaseToken, p.fraction, stage, now + b.cfg.leaseMs, now);
    if (r.outcome === 'ok' && r.job) b.notify();
    else { s.active.delete(p.jobId); b.sessions.send(s, { cancel: { jobId: p.jobId, leaseToken: p.leaseToken, reason: 'lease_lost' } }); }
  } else if (m.result) {
    // Its error text and backend name reach the job's owner (another tenant): bounded and without control characters.
    // Its prove_ms is shown too and may become a latency sample: a safe integer of at most 30 days, else 0 (unknown).
    const ms = Number(m.result.proveMs ?? 0);
    const proveMs = Number.isSafeInteger(ms) && ms >= 0 && ms <= 30 * 86_400_000 ? String(ms) : '0';
    await onResult(b, s, {
      ...m.result, error: cleanText(m.result.error ?? '', PROVER_LIMITS.errorChars), backend: cleanText(m.result.backend ?? '', PROVER_LIMITS.backendChars), proveMs,
    });
  }
}
