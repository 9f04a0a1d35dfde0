// Typed client for the broker's Market service, used by the CLI and the tests.
// Errors are Error objects with `.code` (the gRPC status number), `.codeName` ('NOT_FOUND', ...)
// and the server's message as `.message`.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as grpc from '@grpc/grpc-js';
import { channelCredentials, clientOptions, type ConnectOptions } from '../common/connect';
import { newRequestId, sha256File } from '../common/hash';
import { BrokerPool } from './failover';
import { TERMINAL_PROTO } from '../../broker/lifecycle';
import {
  newMarketClient,
  type Circuit__Output, type Job__Output, type JobEvent__Output, type JobState__Output, type MarketGrpcClient,
  type RegisterCircuitRequest, type C1Info__Output, type UploadC1Request,
} from '../common/proto';

export type { C1Info__Output as C1Info } from '../common/proto';
export type { Circuit__Output as Circuit, Job__Output as Job, JobEvent__Output as JobEvent, JobState__Output as JobState };

import type { QuoteResponse__Output } from '../../proto/gen/proofmarket/v1/QuoteResponse';
import type { ProverInfo__Output } from '../../proto/gen/proofmarket/v1/ProverInfo';
export type { QuoteResponse__Output as QuoteResponse, ProverInfo__Output as ProverInfo };

export const CHUNK_BYTES = 1 << 20;

export class MarketError extends Error {
  constructor(readonly code: grpc.status, readonly codeName: string, message: string) { super(message); this.name = 'MarketError'; }
}

export function wrap(e: unknown): MarketError {
  const se = e as Partial<grpc.ServiceError>;
  if (se && typeof se.code === 'number') {
    return new MarketError(se.code, grpc.status[se.code] ?? String(se.code), se.details || se.message || 'unknown error');
  }
  return new MarketError(grpc.status.UNKNOWN, 'UNKNOWN', (e as Error)?.message ?? String(e));
}

/**
 * A deadline (ms since the epoch; 0 or absent = none) as the proto's uint64 decimal string. Only
 * a whole number up to 2^53 − 1 is sent: a larger JS number (1e20) would be rounded, and past
 * 2^64 wrapped on the wire, so the broker would see, and name in its error, a different number.
 * Throws INVALID_ARGUMENT otherwise.
 */
export function deadlineField(ms: number | undefined): string {
  const n = ms ?? 0;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new MarketError(grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT',
      `deadlineMs ${n} is not a whole number of ms since the epoch (at most ${Number.MAX_SAFE_INTEGER}; 0 = none)`);
  }
  return String(n);
}

/** The largest value a proto uint64 carries. */
const UINT64_MAX = (1n << 64n) - 1n;

/**
 * A micro-credit amount as the proto's uint64 decimal string: decimal digits, a bigint or a whole
 * number, from 0 to 2^64 − 1 (SubmitJob's and Quote's max price and offer, Deposit, Withdraw). Anything else would be wrapped or cut on the wire (2^64 + 100 sent as 100, "1e3" as
 * 1, "12.5" as 12), so the broker would move another amount than the one asked. Whether the
 * broker takes it (at most 2^63 − 1, a deposit's cap, ...) is the broker's to say. Throws
 * INVALID_ARGUMENT otherwise.
 */
export function amountField(v: string | bigint | number, what = 'amount'): string {
  const s = typeof v === 'bigint' ? (v >= 0n ? v.toString() : '-') : String(v);
  if (!/^\d{1,20}$/.test(s) || BigInt(s) > UINT64_MAX) {
    throw new MarketError(grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT',
      `${what} must be a whole number of micro-credits (decimal digits, at most ${UINT64_MAX}), got "${String(v).slice(0, 40)}": nothing was sent`);
  }
  return s;
}

export const TERMINAL: readonly JobState__Output[] = TERMINAL_PROTO;
export function isTerminalState(s: JobState__Output | string): boolean { return (TERMINAL as readonly string[]).includes(s); }

/** One artifact to upload: a path on disk or bytes in memory. */
export type ArtifactSource = string | Uint8Array;

export interface RegisterCircuitOptions {
  name: string;
  /** The circom witness generator; without it the circuit takes witnesses only. */
  wasm?: ArtifactSource;
  zkey: ArtifactSource;
  vkey: ArtifactSource;
  r1cs?: ArtifactSource;
  sym?: ArtifactSource;
  description?: string;
  /** Let every account see and use the circuit (default: private). */
  public?: boolean;
  /**
   * Register even a zkey without a phase-2 contribution (anyone can forge its proofs); the circuit
   * is then marked insecure everywhere. Default false: such a key is refused (FAILED_PRECONDITION).
   */
  allowInsecureSetup?: boolean;
  /** Called after each chunk: bytes sent so far and in total, and the artifact being sent. */
  onProgress?: (sent: number, total: number, kind: string) => void;
}

export interface SubmitOptions {
  /** Idempotency key; a fresh (time-ordered, random) one if omitted (then a retry is a new job). */
  requestId?: string;
  /** Circuit id or name. */
  circuit: string;
  /** Input signals: an object (serialised to JSON) or a JSON string. */
  input?: object | string;
  /** A complete snarkjs .wtns file for this circuit. */
  witness?: Uint8Array;
  /** Absolute deadline, ms since epoch. */
  deadlineMs?: number;
  /** Highest price in micro-credits (decimal string or bigint; a number only if it is a safe integer), held in escrow. */
  maxPrice?: number | string | bigint;
  /** Probability (0..1) of finishing before the deadline the broker should aim for (0 = its default, 0.9). */
  minOnTime?: number;
  /** The price offered now (micro-credits, ≤ maxPrice; raised towards it when at risk). 0/absent = the broker picks. */
  offer?: bigint | number | string;
}

export interface QuoteOptions { circuit: string; deadlineMs?: number; maxPrice?: number | string | bigint }

export interface ListJobsOptions { state?: JobState__Output | string; circuit?: string; limit?: number }

type Kind = 'WASM' | 'ZKEY' | 'VKEY' | 'R1CS' | 'SYM';

interface Prepared<K = Kind> { kind: K; size: number; sha256: string; path: string | null; bytes: Uint8Array | null }

async function prepare<K extends Kind | 'C1'>(kind: K, src: ArtifactSource): Promise<Prepared<K>> {
  if (typeof src === 'string') {
    try {
      const { sha256, size } = await sha256File(src);
      return { kind, size, sha256, path: src, bytes: null };
    } catch (e) {
      throw new MarketError(grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT', `cannot read ${kind.toLowerCase()} file ${src}: ${(e as Error).message}`);
    }
  }
  return { kind, size: src.length, sha256: crypto.createHash('sha256').update(src).digest('hex'), path: null, bytes: src };
}

/** How MarketClient reaches the broker: API key (`authorization: Bearer`) and TLS. */
export type MarketClientOptions = ConnectOptions;

/** The result of Verify: `valid` false with a reason for a proof that does not check. */
export interface VerifyResult { valid: boolean; reason: string }

export class MarketClient {
  readonly pool: BrokerPool<MarketGrpcClient>;

  /**
   * `address` is the broker's HOST:PORT, or a comma-separated list of brokers sharing one
   * database (calls move to the next one when a broker is UNAVAILABLE); `connect` carries the API
   * key (sent on every call) and TLS settings. Throws (synchronously) when a TLS file cannot be read.
   */
  constructor(readonly address: string, connect: ConnectOptions = {}, onFailover?: (from: string, to: string) => void) {
    const creds = channelCredentials(connect); const opts = clientOptions(connect);
    this.pool = new BrokerPool(address, (a) => newMarketClient(a, creds, opts), onFailover);
  }

  /** The gRPC client of the broker in use. */
  get raw(): MarketGrpcClient { return this.pool.client; }

  private unary<Req, Res>(method: (req: Req, cb: grpc.requestCallback<Res>) => unknown, req: Req): Promise<Res> {
    return this.pool.call((raw) => new Promise<Res>((resolve, reject) => {
      method.call(raw, req, (err: grpc.ServiceError | null, res?: Res) => err ? reject(wrap(err)) : resolve(res as Res));
    }));
  }

  /** Streams the artifacts in 1 MiB chunks after a header carrying each one's size and SHA-256. */
  async registerCircuit(o: RegisterCircuitOptions): Promise<Circuit__Output> {
    const parts: Prepared[] = [];
    if (o.wasm !== undefined) parts.push(await prepare('WASM', o.wasm));
    parts.push(await prepare('ZKEY', o.zkey), await prepare('VKEY', o.vkey));
    if (o.r1cs !== undefined) parts.push(await prepare('R1CS', o.r1cs));
    if (o.sym !== undefined) parts.push(await prepare('SYM', o.sym));
    const total = parts.reduce((a, p) => a + p.size, 0);
    return new Promise<Circuit__Output>((resolve, reject) => {
      let settled = false;
      const call = this.raw.registerCircuit((err, res) => {
        settled = true;
        if (err) reject(wrap(err)); else resolve(res as Circuit__Output);
      });
      const write = writerOf<RegisterCircuitRequest>(call);
      (async () => {
        await write({
          header: {
            name: o.name, description: o.description ?? '', public: !!o.public, allowInsecureSetup: !!o.allowInsecureSetup,
            artifacts: parts.map((p) => ({ kind: `ARTIFACT_KIND_${p.kind}` as const, size: String(p.size), sha256: p.sha256 })),
          },
        });
        let sent = 0;
        for (const p of parts) {
          if (settled) return;
          if (p.bytes) {
            for (let off = 0; off < p.size && !settled; off += CHUNK_BYTES) {
              const data = p.bytes.subarray(off, Math.min(p.size, off + CHUNK_BYTES));
              await write({ chunk: { kind: `ARTIFACT_KIND_${p.kind}`, offset: String(off), data: Buffer.from(data) } });
              sent += data.length; o.onProgress?.(sent, total, p.kind);
            }
          } else {
            let off = 0;
            for await (const chunk of fs.createReadStream(p.path!, { highWaterMark: CHUNK_BYTES })) {
              if (settled) return;
              const data = chunk as Buffer;
              await write({ chunk: { kind: `ARTIFACT_KIND_${p.kind}`, offset: String(off), data } });
              off += data.length; sent += data.length; o.onProgress?.(sent, total, p.kind);
            }
          }
        }
        call.end();
      })().catch((e) => { if (!settled) { settled = true; call.cancel(); reject(wrap(e)); } });
    });
  }

  getCircuit(circuit: string): Promise<Circuit__Output> {
    return this.unary(this.raw.getCircuit, { circuit });
  }

  async listCircuits(): Promise<Circuit__Output[]> {
    return (await this.unary(this.raw.listCircuits, {})).circuits;
  }

  async submit(o: SubmitOptions): Promise<Job__Output> {
    if ((o.input === undefined) === (o.witness === undefined)) {
      throw new MarketError(grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT', 'submit needs exactly one of input or witness');
    }
    const payload = o.witness !== undefined ? { witness: Buffer.from(o.witness) }
      : { inputJson: typeof o.input === 'string' ? o.input : JSON.stringify(o.input) };
    return this.unary(this.raw.submitJob, {
      requestId: o.requestId ?? newRequestId(), circuit: o.circuit, ...payload,
      deadlineMs: deadlineField(o.deadlineMs), maxPrice: amountField(o.maxPrice ?? 0, 'maxPrice'), minOnTime: o.minOnTime ?? 0, offer: amountField(o.offer ?? 0, 'offer'),
    });
  }

  /** What the broker holds of a c1.json by SHA-256 (complete, or how many bytes to resume from). */
  getC1(sha256: string): Promise<C1Info__Output> {
    return this.unary(this.raw.getC1, { sha256 });
  }

  /**
   * Uploads a Filecoin Commit1 output (c1.json) for filecoin-c2 jobs in 1 MiB chunks: asks the
   * broker what it holds first, so a c1 it has already is not sent again and an interrupted upload
   * resumes where it stopped. Resolves with what the broker read from it (proof type, sector size,
   * partitions). Errors: FAILED_PRECONDITION (the broker has no C2 verifier), INVALID_ARGUMENT
   * (malformed c1.json, naming the field), RESOURCE_EXHAUSTED (over its size cap).
   */
  async uploadC1(file: string, onProgress?: (sent: number, total: number) => void): Promise<C1Info__Output> {
    const { sha256, size } = await prepare('C1', file);
    const held = await this.getC1(sha256);
    if (held.complete) return held;
    const offset = Number(held.received) <= size ? Number(held.received) : 0;
    return this.pool.call((raw) => new Promise<C1Info__Output>((resolve, reject) => {
      let settled = false;
      const call = raw.uploadC1((err, res) => {
        settled = true;
        if (err) reject(wrap(err)); else resolve(res as C1Info__Output);
      });
      const write = writerOf<UploadC1Request>(call);
      (async () => {
        await write({ header: { size: String(size), sha256, offset: String(offset) } });
        let sent = offset;
        if (offset < size) {
          for await (const chunk of fs.createReadStream(file, { start: offset, highWaterMark: CHUNK_BYTES })) {
            if (settled) return;
            await write({ chunk: chunk as Buffer });
            sent += (chunk as Buffer).length; onProgress?.(sent, size);
          }
        }
        call.end();
      })().catch((e) => { if (!settled) { settled = true; call.cancel(); reject(wrap(e)); } });
    }));
  }

  /** Submits a filecoin-c2 job on a c1.json uploaded with uploadC1 (by its SHA-256). */
  async submitC2(o: Omit<SubmitOptions, 'circuit' | 'input' | 'witness'> & { c1Sha256: string }): Promise<Job__Output> {
    return this.unary(this.raw.submitJob, {
      requestId: o.requestId ?? newRequestId(), circuit: '', filecoinC2: { c1Sha256: o.c1Sha256 },
      deadlineMs: deadlineField(o.deadlineMs), maxPrice: amountField(o.maxPrice ?? 0, 'maxPrice'), minOnTime: o.minOnTime ?? 0,
    });
  }

  /**
   * A partitioned job: N ≥ 2 inputs (objects or JSON strings) for one circuit, ONE job whose
   * partitions the broker runs as separate units; `maxPrice` is per partition (N × it is held in
   * escrow). The returned job (and GetJob/WatchJob of its id) lists `partitions`.
   */
  async submitPartitioned(o: Omit<SubmitOptions, 'input' | 'witness'> & { inputs: (object | string)[] }): Promise<Job__Output> {
    return this.unary(this.raw.submitJob, {
      requestId: o.requestId ?? newRequestId(), circuit: o.circuit,
      partitions: o.inputs.map((i) => ({ inputJson: typeof i === 'string' ? i : JSON.stringify(i) })),
      deadlineMs: deadlineField(o.deadlineMs), maxPrice: amountField(o.maxPrice ?? 0, 'maxPrice'), minOnTime: o.minOnTime ?? 0,
    });
  }

  /** Price, ETA (p50/p90 ms from now) and P(on time) per eligible prover for a job of this circuit. */
  async quote(o: QuoteOptions): Promise<QuoteResponse__Output> {
    return this.unary(this.raw.quote, { circuit: o.circuit, deadlineMs: deadlineField(o.deadlineMs), maxPrice: amountField(o.maxPrice ?? 0, 'maxPrice') });
  }

  /** Known provers with their measured speed and standing. */
  async listProvers(): Promise<ProverInfo__Output[]> {
    return (await this.unary(this.raw.listProvers, {})).provers;
  }

  getJob(jobId: string): Promise<Job__Output> {
    return this.unary(this.raw.getJob, { jobId });
  }

  async listJobs(o: ListJobsOptions = {}): Promise<Job__Output[]> {
    const state = o.state ? (String(o.state).startsWith('JOB_STATE_') ? o.state : `JOB_STATE_${String(o.state).toUpperCase()}`) : 'JOB_STATE_UNSPECIFIED';
    return (await this.unary(this.raw.listJobs, { state: state as JobState__Output, circuit: o.circuit ?? '', limit: o.limit ?? 0 })).jobs;
  }

  cancel(jobId: string): Promise<Job__Output> {
    return this.unary(this.raw.cancelJob, { jobId });
  }

  /** Checks proof.json/public.json text (or objects) against a registered circuit's vkey on the broker. */
  verify(circuit: string, proof: string | object, publicSignals: string | unknown[]): Promise<VerifyResult> {
    const text = (v: string | object) => (typeof v === 'string' ? v : JSON.stringify(v));
    return this.unary(this.raw.verify, { circuit, proofJson: text(proof), publicJson: text(publicSignals) });
  }

  /** The circuit's verification_key.json text, exactly as registered. */
  async verificationKey(circuit: string): Promise<string> {
    return (await this.unary(this.raw.getVerificationKey, { circuit })).vkeyJson;
  }

  /**
   * Streams the job's events (first a snapshot) to onEvent. Resolves with the last job seen when
   * the stream ends (at a terminal state); rejects on error. `stop()` on the returned handle ends it early.
   */
  watch(jobId: string, onEvent: (ev: JobEvent__Output) => void): { done: Promise<Job__Output | null>; stop(): void } {
    const call = this.raw.watchJob({ jobId });
    let last: Job__Output | null = null;
    let stopped = false;
    const done = new Promise<Job__Output | null>((resolve, reject) => {
      call.on('data', (ev: JobEvent__Output) => { if (ev.job) last = ev.job; try { onEvent(ev); } catch { /* a watcher's bug is its own */ } });
      call.on('end', () => resolve(last));
      call.on('error', (e: grpc.ServiceError) => {
        if (stopped && e.code === grpc.status.CANCELLED) resolve(last); else reject(wrap(e));
      });
    });
    return { done, stop: () => { stopped = true; call.cancel(); } };
  }

  /** Waits until the job is terminal (DONE/FAILED/EXPIRED/CANCELLED) and returns it. */
  async waitDone(jobId: string, timeoutMs = 600_000, onEvent?: (ev: JobEvent__Output) => void): Promise<Job__Output> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new MarketError(grpc.status.DEADLINE_EXCEEDED, 'DEADLINE_EXCEEDED', `job ${jobId} not finished after ${timeoutMs} ms`);
      const w = this.watch(jobId, (ev) => onEvent?.(ev));
      const timer = setTimeout(() => w.stop(), left);
      try {
        const last = await w.done;
        if (last && isTerminalState(last.state)) return last;
      } catch (e) {
        // NOT_FOUND etc. are final; a dropped connection is retried until the deadline.
        if (!(e instanceof MarketError) || e.code !== grpc.status.UNAVAILABLE) throw e;
        this.pool.next(); // another broker on the same database follows the job as well
        await new Promise((r) => setTimeout(r, Math.min(500, Math.max(0, deadline - Date.now()))));
      } finally { clearTimeout(timer); }
      const j = await this.getJob(jobId).catch(() => null);
      if (j && isTerminalState(j.state)) return j;
    }
  }

  close(): void { this.pool.close(); }
}

/**
 * A write for a client-streaming upload that waits for 'drain' under backpressure; it is also
 * released if the call ends early (a server error), so a file being read is always closed.
 */
function writerOf<T>(call: grpc.ClientWritableStream<T>): (m: T) => Promise<void> {
  return (m) => new Promise<void>((r) => {
    if (call.write(m)) { r(); return; }
    const go = () => { call.off('drain', go); call.off('close', go); call.off('status', go); r(); };
    call.on('drain', go); call.on('close', go); call.on('status', go);
  });
}
