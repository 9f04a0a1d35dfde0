// The prover daemon: registers with a broker, holds one Session stream open, and proves the jobs
// it is assigned. Artifacts come by hash from the broker and are cached on disk; the witness is
// computed here from the job's input signals (or taken as supplied); a Backend (native cuda/cpu
// or snarkjs) produces the proof. If the stream breaks or the broker goes away, the daemon
// re-registers with exponential backoff (capped, with jitter) and carries on with the leases it
// still holds: running jobs keep running, finished results are re-sent until acknowledged.

import * as grpc from '@grpc/grpc-js';
import * as os from 'os';
import * as path from 'path';
import {
  Assignment__Output, BrokerMessage__Output, Capabilities, Curve, ProverHubGrpcClient,
  ProverMessage, Result, channelCredentials, clientOptions, curveFromProto, makeLogger, newProverHubClient,
} from '../src/common';
import type { ClientTlsOptions, Logger } from '../src/common';
import { BrokerPool } from '../src/client/failover';
import { ArtifactCache } from './artifacts';
import { identityPath, readIdentity, writeIdentity, type ProverIdentity } from './identity';
import { Backend, ProveAbortedError, createBackends } from './backends';
import { ExternalC2Backend, ExternalProverError } from './backends/external';
import { WitnessError, computeWitness, retryableError } from './witness';
import { ProgressMeter, type ProgressReport } from './progress';
import { corruptProof, forgeProof, otherStatementInput, parseFault, swappedProof, wrongCurveProof, type Fault } from './faults';
import { ensureDataDir } from '../src/common/data-dir';

export { FAULTS, parseFault, corruptProof, type Fault } from './faults';

export interface ProverOptions {
  /** Broker address, HOST:PORT. */
  broker: string;
  /** Folder for the artifact cache (created if missing). */
  dataDir: string;
  /** Display name; also part of the stable prover key. Default: the host name. */
  name?: string;
  /** Restrict to these backends (e.g. ['snarkjs']); default: all available, best first. */
  backends?: string[];
  log?: (line: string) => void;
  /** Test-only misbehaviour. Default: the PM_FAULT environment variable. */
  fault?: Fault | null;
  /** Backoff cap for reconnects, ms (default 5000). */
  maxBackoffMs?: number;
  /** The operator's API key (role prover), sent on every call; null = none. */
  apiKey?: string | null;
  /** Asking price per proof, micro-credits (decimal string or bigint; default 0: proves for free). */
  price?: string | bigint;
  /** Extra asking price per million constraints of the circuit, micro-credits (default 0). */
  pricePerMConstraints?: string | bigint;
  /** TLS to the broker; null = plaintext. */
  tls?: ClientTlsOptions | null;
  /**
   * Run an operator's C2 command for filecoin-c2 jobs (prover/backends/EXTERNAL.md): advertised
   * with these sector sizes (bytes), time limit (ms, default 45 min), memory limit of the command
   * (bytes, 0 = none) and ask per job (micro-credits; default the per-proof price). Null = none.
   */
  c2?: { command: string | string[]; sectorSizes: number[]; timeoutMs?: number; memoryBytes?: number; price?: string | bigint } | null;
}

export interface ProverHandle {
  proverId: string;
  /** Backends in use, best first. */
  backends: string[];
  /**
   * Resolves if the daemon stops by itself, with the reason: its API key was refused or revoked,
   * or another process took over this prover's identity (then this one is fenced). Never rejects.
   */
  stopped: Promise<Error>;
  close(): Promise<void>;
}

/** gRPC statuses after which retrying cannot help: the daemon stops and says why. */
const FATAL_STATUSES = new Set([grpc.status.UNAUTHENTICATED, grpc.status.PERMISSION_DENIED, grpc.status.FAILED_PRECONDITION]);

interface RunningJob {
  jobId: string;
  token: string;
  abort: AbortController;
}



/** Starts a prover daemon; resolves once it has registered with the broker. */
export async function startProver(opts: ProverOptions): Promise<ProverHandle> {
  const p = new Prover(opts);
  await p.start();
  return {
    get proverId() { return p.proverId; },
    backends: p.backendNames(),
    stopped: p.stopped,
    close: () => p.close(),
  };
}

class Prover {
  proverId = '';
  private log: Logger;
  /** The brokers (one, or several sharing a database: the daemon moves to the next when one fails). */
  private pool: BrokerPool<ProverHubGrpcClient>;
  private fault: Fault | null;
  private backends: Backend[] = [];
  /** The operator's C2 command for filecoin-c2 jobs, or null. */
  private c2: ExternalC2Backend | null = null;
  private cache: ArtifactCache;
  private stream: grpc.ClientDuplexStream<ProverMessage, BrokerMessage__Output> | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private heartbeatMs = 1000;
  private running = new Map<string, RunningJob>();
  /** Results sent (or waiting to be sent) but not yet acknowledged, by job id. */
  private unacked = new Map<string, Result>();
  private closed = false;
  private hung = false;
  private proveDelayMs = 0;
  /** Prove times (ms) seen on real jobs, by "curve/backend/log2(domain)"; last 15 kept. */
  private measured = new Map<string, number[]>();
  private slots = 1;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private firstRegistered: { resolve: () => void; reject: (e: Error) => void } | null = null;
  /** The secret kept in DATA/identity.json (null until the first Register issues one). */
  private identity: ProverIdentity | null;
  /** Session epoch of the latest Register; the hello carries it. */
  private sessionEpoch = '0';
  private stop!: (e: Error) => void;
  readonly stopped = new Promise<Error>((r) => { this.stop = r; });

  constructor(private opts: ProverOptions) {
    this.log = makeLogger(`prover${opts.name ? ':' + opts.name : ''}`, opts.log);
    this.fault = opts.fault !== undefined ? opts.fault : parseFault(process.env.PM_FAULT);
    this.proveDelayMs = Math.max(0, Number(process.env.PM_PROVE_DELAY_MS) || 0);
    ensureDataDir(opts.dataDir); // identity.json and tenants' artifacts: owner-only when made here
    this.identity = readIdentity(opts.dataDir);
    const connect = { apiKey: opts.apiKey, tls: opts.tls };
    const creds = channelCredentials(connect);
    const copts = clientOptions(connect, {
      'grpc.keepalive_time_ms': 10_000,
      'grpc.keepalive_timeout_ms': 5_000,
      'grpc.initial_reconnect_backoff_ms': 200,
      'grpc.max_reconnect_backoff_ms': 2_000,
    });
    this.pool = new BrokerPool(opts.broker, (a) => newProverHubClient(a, creds, copts),
      (from, to) => this.log.warn(`broker ${from} failed; trying ${to}`));
    this.cache = new ArtifactCache(opts.dataDir, () => this.client, (l) => this.log.warn(l));
  }

  private get client(): ProverHubGrpcClient { return this.pool.client; }
  private get address(): string { return this.pool.address; }

  backendNames(): string[] {
    return this.backends.map((b) => b.name);
  }

  async start(): Promise<void> {
    this.backends = await createBackends({ restrict: this.opts.backends ?? null, log: (l) => this.log.warn(l), info: (l) => this.log.info(l) });
    this.slots = Math.max(1, this.backends.filter((b) => b.name === 'cuda').length);
    const c2 = this.opts.c2;
    if (c2) {
      this.c2 = new ExternalC2Backend({
        command: c2.command, sectorSizes: c2.sectorSizes, timeoutMs: c2.timeoutMs, memoryBytes: c2.memoryBytes ?? 0,
        workDir: path.join(this.opts.dataDir, 'c2-work'),
        log: (level, line) => (level === 'debug' ? undefined : this.log[level](line)),
      });
      this.log.info(`filecoin-c2: command "${this.c2.config.command}" for sector sizes ${c2.sectorSizes.join(', ')} bytes`);
    }
    this.log.info(`backends: ${this.backendNames().join(' > ')}; slots ${this.slots}` +
      (this.fault ? `; FAULT INJECTION: ${this.fault}` : ''));
    const registered = new Promise<void>((resolve, reject) => { this.firstRegistered = { resolve, reject }; });
    this.loop = this.connectLoop();
    await registered;
  }

  private capabilities(): Capabilities {
    const devices = this.backends.flatMap((b) => b.devices.map((d) => ({
      name: d.name, memoryBytes: String(d.memoryBytes), backend: d.backend,
    })));
    const curves: Curve[] = ['CURVE_BN254', 'CURVE_BLS12_381'];
    // Bench figures: what this process has measured on real jobs so far (median per curve,
    // backend and circuit size), sent with every (re-)registration.
    const bench = [...this.measured.entries()].map(([k, xs]) => {
      const [curve, backend, log2] = k.split('/');
      const sorted = [...xs].sort((a, b) => a - b);
      return {
        curve: (curve === 'bn254' ? 'CURVE_BN254' : 'CURVE_BLS12_381') as Curve, backend,
        log2Constraints: Number(log2), proveMs: sorted[Math.floor(sorted.length / 2)],
      };
    });
    return {
      curves, backends: this.backendNames(), maxConstraints: '0', devices, bench, slots: this.slots,
      price: String(this.opts.price ?? '0'), pricePerMConstraints: String(this.opts.pricePerMConstraints ?? '0'),
      filecoinC2: this.opts.c2 ? {
        sectorSizes: this.opts.c2.sectorSizes.map(String), memoryBytes: String(this.opts.c2.memoryBytes ?? 0), price: String(this.opts.c2.price ?? '0'),
      } : null,
    };
  }

  private register(): Promise<void> {
    const key = `${os.hostname()}:${path.resolve(this.opts.dataDir)}`;
    return new Promise((resolve, reject) => {
      this.client.Register({
        proverKey: key, name: this.opts.name ?? os.hostname(), capabilities: this.capabilities(),
        proverSecret: this.identity?.secret ?? '',
      }, { deadline: Date.now() + 10_000 }, (err, res) => {
        if (err || !res) return reject(err ?? new Error('empty Register response'));
        if (this.proverId && this.proverId !== res.proverId) {
          this.log.warn(`broker gave a new prover id ${res.proverId} (was ${this.proverId})`);
        }
        if (res.proverSecret) {
          // A new secret: keep it before anything else, it is never shown again.
          this.identity = { secret: res.proverSecret, proverId: res.proverId, issuedMs: Date.now() };
          try {
            writeIdentity(this.opts.dataDir, this.identity);
          } catch (e) {
            return reject(new Error(`cannot keep the prover secret in ${identityPath(this.opts.dataDir)}: ${(e as Error).message}`));
          }
          this.log.info(`broker issued this prover's secret; kept in ${identityPath(this.opts.dataDir)}`);
        }
        this.sessionEpoch = String(res.sessionEpoch ?? '0');
        this.proverId = res.proverId;
        if (res.heartbeatMs > 0) this.heartbeatMs = res.heartbeatMs;
        resolve();
      });
    });
  }

  private async connectLoop(): Promise<void> {
    let failures = 0;
    const cap = this.opts.maxBackoffMs ?? 5000;
    while (!this.closed) {
      let sessionOpened = false;
      try {
        await this.register();
        if (this.firstRegistered) {
          this.firstRegistered.resolve();
          this.firstRegistered = null;
          this.log.info(`registered with ${this.address} as ${this.proverId} (heartbeat ${this.heartbeatMs} ms)`);
        } else {
          this.log.info(`reconnected to ${this.address} as ${this.proverId}; holding ${this.running.size} running, ${this.unacked.size} unacknowledged`);
        }
        sessionOpened = true;
        const fatal = await this.runSession();
        if (this.closed) break;
        if (fatal) { this.fail(fatal); break; }
        this.log.warn('session ended; reconnecting');
      } catch (err) {
        if (this.closed) break;
        const e = err as Error & { code?: number };
        // Register's INVALID_ARGUMENT is this daemon's own configuration (a --name over the limit, say):
        // retrying cannot cure it, and a daemon retrying forever looked alive while it never registered.
        if (typeof e.code === 'number' && (FATAL_STATUSES.has(e.code) || e.code === grpc.status.INVALID_ARGUMENT)) { this.fail(e); break; }
        if (failures === 0 || failures % 10 === 0) this.log.warn(`broker ${this.address} unreachable: ${e.message}`);
      }
      // With several brokers, the next attempt goes to the next one (a dead broker's peers share its database).
      this.pool.next();
      failures = sessionOpened ? 1 : failures + 1;
      // Exponential backoff, capped, with full jitter in the upper half so a fleet of provers
      // does not reconnect in lockstep after a broker restart.
      const base = Math.min(cap, 100 * 2 ** Math.min(failures, 16));
      const delay = base / 2 + Math.random() * (base / 2);
      await new Promise<void>((r) => {
        const t = setTimeout(r, delay);
        this.wake = () => { clearTimeout(t); r(); };
      });
      this.wake = null;
    }
  }

  /**
   * A refusal retrying cannot cure (key refused or revoked, identity taken over by another
   * process): stop working, let go of everything, and tell whoever waits on `stopped`.
   */
  private fail(e: Error & { code?: number; details?: string }): void {
    const why = new Error(`prover stopped: ${e.details || e.message}`);
    this.log.error(why.message);
    this.stop(why);
    if (this.firstRegistered) {
      this.firstRegistered.reject(why);
      this.firstRegistered = null;
    }
    void this.close();
  }

  /**
   * Opens the Session stream and resolves when it ends (error, broker gone, or close()): with the
   * error when the broker refused the session for good (bad secret, superseded), else null.
   */
  private runSession(): Promise<(Error & { code?: number }) | null> {
    return new Promise((resolve) => {
      const stream = this.client.Session();
      this.stream = stream;
      let ended = false;
      const end = (why: string, err: (Error & { code?: number }) | null = null): void => {
        if (ended) return;
        ended = true;
        if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
        this.heartbeatTimer = null;
        if (this.stream === stream) this.stream = null;
        const fatal = err && typeof err.code === 'number' && FATAL_STATUSES.has(err.code) ? err : null;
        if (!this.closed && why && !fatal) this.log.warn(`session: ${why}`);
        resolve(fatal);
      };
      stream.on('data', (msg: BrokerMessage__Output) => this.onMessage(msg));
      stream.on('error', (err: Error) => end(err.message, err));
      stream.on('end', () => end('broker closed the stream'));
      stream.on('close', () => end(''));
      this.send({ hello: { proverId: this.proverId, proverSecret: this.identity?.secret ?? '', sessionEpoch: this.sessionEpoch } });
      this.sendHeartbeat();
      // Results finished while we were disconnected (or never acknowledged) go out again.
      for (const r of this.unacked.values()) this.send({ result: r });
      this.heartbeatTimer = setInterval(() => this.sendHeartbeat(), this.heartbeatMs);
    });
  }

  private send(msg: ProverMessage): boolean {
    const s = this.stream;
    if (!s || this.closed) return false;
    if (this.crashing && msg.result) return false; // fault injection: about to die mid-proof
    try {
      s.write(msg);
      return true;
    } catch (err) {
      this.log.warn(`write failed: ${(err as Error).message}`);
      return false;
    }
  }

  private sendHeartbeat(): void {
    if (this.hung) return;
    const tokens = [...this.running.values()].map((j) => j.token)
      .concat([...this.unacked.values()].map((r) => r.leaseToken ?? ''));
    this.send({ heartbeat: { leaseTokens: tokens } });
  }

  private onMessage(msg: BrokerMessage__Output): void {
    if (msg.assignment) {
      const a = msg.assignment;
      if (this.fault === 'hang') {
        // Test fault: go silent. No heartbeat, no progress, no result — the lease must lapse.
        this.hung = true;
        this.log.warn(`FAULT hang: ignoring job ${a.jobId} and stopping heartbeats`);
        return;
      }
      if (this.running.has(a.jobId)) {
        const cur = this.running.get(a.jobId)!;
        if (cur.token === a.leaseToken) return; // re-sent after reconnect; already on it
        cur.abort.abort();
      }
      const done = this.unacked.get(a.jobId);
      if (done && done.leaseToken === a.leaseToken) {
        // The broker re-sent a lease we already finished (it missed our result): send it again.
        this.send({ result: done });
        return;
      }
      this.unacked.delete(a.jobId);
      void this.runJob(a);
    } else if (msg.cancel) {
      const c = msg.cancel;
      const job = this.running.get(c.jobId);
      if (job && (!c.leaseToken || c.leaseToken === job.token)) {
        this.log.info(`job ${c.jobId}: cancelled by broker (${c.reason || 'no reason'})`);
        job.abort.abort();
        this.running.delete(c.jobId);
      }
      const r = this.unacked.get(c.jobId);
      if (r && (!c.leaseToken || c.leaseToken === r.leaseToken)) this.unacked.delete(c.jobId);
    } else if (msg.ack) {
      const a = msg.ack;
      this.unacked.delete(a.jobId);
      const level = a.status === 'accepted' ? 'info' : 'warn';
      this.log[level](`job ${a.jobId}: ${a.status}${a.message ? ' — ' + a.message : ''}`);
    }
  }

  private async runJob(a: Assignment__Output): Promise<void> {
    const job: RunningJob = { jobId: a.jobId, token: a.leaseToken, abort: new AbortController() };
    this.running.set(a.jobId, job);
    const signal = job.abort.signal;
    const started = Date.now();
    const meter = new ProgressMeter();
    const send = (r: ProgressReport | null): void => {
      if (r && !signal.aborted) this.send({ progress: { jobId: a.jobId, leaseToken: a.leaseToken, fraction: r.fraction, stage: r.stage } });
    };
    const progress = (stage: string, fraction: number): void => send(meter.step(stage, fraction, Date.now()));
    const finish = (r: Result): void => {
      if (signal.aborted || this.running.get(a.jobId) !== job) return;
      this.running.delete(a.jobId);
      this.unacked.set(a.jobId, r);
      this.send({ result: r });
    };
    if (a.payload === 'filecoinC2' && a.filecoinC2) { await this.runC2Job(a, signal, started, progress, send, meter, finish); return; }
    try {
      const circuit = a.circuit;
      if (!circuit) throw new Error('assignment carries no circuit');
      const curve = curveFromProto(circuit.curve);
      if (!curve) throw new Error(`unsupported curve ${circuit.curve}`);
      const art = (kind: string) => circuit.artifacts.find((x) => x.kind === kind);
      const zkeyArt = art('ARTIFACT_KIND_ZKEY');
      if (!zkeyArt) throw new Error(`circuit ${circuit.id} has no zkey artifact`);
      this.log.info(`job ${a.jobId}: attempt ${a.attempt} on ${circuit.name} (${curve})`);
      progress('fetching', 0);
      const zkeyPath = await this.cache.get(zkeyArt.sha256, { size: Number(zkeyArt.size), signal });
      let wtns: Uint8Array;
      if (a.payload === 'witness' && a.witness && a.witness.length > 0) {
        wtns = a.witness;
      } else {
        const wasmArt = art('ARTIFACT_KIND_WASM');
        if (!wasmArt) throw new Error(`circuit ${circuit.id} has no wasm artifact`);
        const wasmPath = await this.cache.get(wasmArt.sha256, { size: Number(wasmArt.size), signal });
        progress('fetching', 1);
        progress('witness', 0);
        if (this.fault === 'false-bad-input') throw new WitnessError('witness generation failed: FAULT false-bad-input (claimed without trying)');
        const input = this.fault === 'other-statement' ? otherStatementInput(a.inputJson ?? '{}') : (a.inputJson ?? '');
        wtns = await computeWitness(input, wasmPath);
        progress('witness', 1);
      }
      if (signal.aborted) return;
      if (this.proveDelayMs > 0) {
        // Test knob (PM_PROVE_DELAY_MS): a slow proof, so a test can act while the job is PROVING.
        progress('proving', 0);
        await abortableSleep(this.proveDelayMs, signal);
        if (signal.aborted) return;
      }
      const proveStart = Date.now();
      const { output, backend } = await this.prove(curve, zkeyPath, wtns, signal, (stage, f) => {
        send(meter.backend(stage, f, Date.now()));
        if (this.fault === 'crash-mid-proof' && f > 0) this.crashSoon();
      });
      if (this.fault === 'crash-mid-proof') this.crashSoon();
      const key = `${curve}/${backend}/${circuit.domainLog2}`;
      const xs = this.measured.get(key) ?? [];
      xs.push(Date.now() - proveStart);
      this.measured.set(key, xs.slice(-15));
      let proof = output.proof as Record<string, unknown>;
      if (this.fault === 'corrupt-proof') proof = corruptProof(proof);
      if (this.fault === 'wrong-curve') proof = wrongCurveProof(proof, curve);
      if (this.fault === 'bad-pairing') proof = swappedProof(proof);
      if (this.fault === 'forge') proof = await forgeProof(zkeyPath, curve, output.publicSignals);
      let out = { proofJson: JSON.stringify(proof, null, 1), publicJson: JSON.stringify(output.publicSignals, null, 1) };
      if (this.fault === 'bare-proof') {
        out = { proofJson: JSON.stringify({ pi_c: proof.pi_c, pi_b: proof.pi_b, pi_a: proof.pi_a }), publicJson: JSON.stringify(output.publicSignals) };
      }
      if (this.fault === 'replay-proof') {
        if (this.replayed) { this.log.warn(`FAULT replay-proof: answering job ${a.jobId} with the proof of ${this.replayed.jobId}`); out = this.replayed.out; }
        else this.replayed = { jobId: a.jobId, out };
      }
      finish({ jobId: a.jobId, leaseToken: a.leaseToken, backend, proof: out, proveMs: String(Date.now() - started) });
      this.log.info(`job ${a.jobId}: proved with ${backend} in ${Date.now() - started} ms`);
    } catch (err) {
      if (signal.aborted || err instanceof ProveAbortedError) return;
      const message = (err as Error).message;
      // A bad input, or a witness whose length differs from the zkey's, fails on every prover: the
      // job's bad input (the broker checks it too), never a give-back to retry (witness.ts).
      const retryable = retryableError(err);
      this.log.warn(`job ${a.jobId}: ${retryable ? '' : 'non-retryable '}error: ${message}`);
      finish({ jobId: a.jobId, leaseToken: a.leaseToken, error: message, retryable, proveMs: String(Date.now() - started) });
    }
  }

  /**
   * A filecoin-c2 job: fetch its c1.json by hash (cached like artifacts), run the operator's C2
   * command under the external-prover contract, send the N × 192-byte proof. The command's "bad
   * input" (exit 2) is a non-retryable error (the job fails, refunded); any other failure retryable.
   */
  private async runC2Job(a: Assignment__Output, signal: AbortSignal, started: number, progress: (stage: string, f: number) => void,
    send: (r: ProgressReport | null) => void, meter: ProgressMeter, finish: (r: Result) => void): Promise<void> {
    const p = a.filecoinC2!;
    try {
      if (!this.c2) throw new Error('this prover runs no filecoin-c2 command (prover --c2-command CMD)');
      this.log.info(`job ${a.jobId}: attempt ${a.attempt}, filecoin-c2 ${p.proofType} (${p.partitions} partitions, c1 ${p.c1Sha256.slice(0, 12)}…)`);
      progress('fetching', 0);
      const c1Path = await this.cache.get(p.c1Sha256, { size: Number(p.c1Size), signal });
      progress('fetching', 1);
      if (signal.aborted) return;
      const res = await this.c2.run({
        jobId: a.jobId, c1: c1Path, sectorSize: Number(p.sectorSize), partitions: p.partitions, signal,
        onProgress: (_stage, f) => send(meter.backend('proving', f, Date.now())),
      });
      finish({
        jobId: a.jobId, leaseToken: a.leaseToken, backend: 'external', proveMs: String(Date.now() - started),
        proof: { proofJson: '', publicJson: '', filecoinProof: Buffer.from(res.proof) },
      });
      this.log.info(`job ${a.jobId}: C2 proved in ${res.ms} ms (peak RSS ${Math.round(res.peakRssBytes / 2 ** 20)} MB)`);
    } catch (err) {
      if (signal.aborted) return;
      const e = err as Error;
      const retryable = !(e instanceof ExternalProverError) || e.retryable;
      const message = e instanceof ExternalProverError ? `filecoin-c2 ${e.kind}: ${e.message}` : e.message;
      this.log.warn(`job ${a.jobId}: ${retryable ? '' : 'non-retryable '}error: ${message}`);
      finish({ jobId: a.jobId, leaseToken: a.leaseToken, error: message, retryable, proveMs: String(Date.now() - started) });
    }
  }

  /** Tries the backends best first; a backend that fails (not aborted) hands over to the next. */
  private async prove(curve: 'bn254' | 'bls12-381', zkeyPath: string, wtns: Uint8Array, signal: AbortSignal,
    onProgress: (stage: string, f: number) => void): Promise<{ output: { proof: object; publicSignals: string[] }; backend: string }> {
    let lastErr: Error | null = null;
    for (const b of this.backends) {
      try {
        const output = await b.prove({ curve, zkeyPath, wtns, signal, onProgress });
        return { output, backend: output.backend || b.name };
      } catch (err) {
        if (signal.aborted || err instanceof ProveAbortedError) throw err;
        lastErr = err as Error;
        this.log.warn(`backend ${b.name} failed: ${lastErr.message}` +
          (b !== this.backends[this.backends.length - 1] ? '; trying the next backend' : ''));
      }
    }
    throw lastErr ?? new Error('no backend available');
  }

  /** Fault replay-proof: the first proof this process made, sent again for every later job. */
  private replayed: { jobId: string; out: { proofJson: string; publicJson: string } } | null = null;

  private crashing = false;
  private crashSoon(): void {
    if (this.crashing) return;
    this.crashing = true;
    this.log.warn('FAULT crash-mid-proof: SIGKILL self');
    // Let the progress message reach the broker first, so the job is seen mid-proof.
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), 150);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const j of this.running.values()) j.abort.abort();
    this.running.clear();
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.firstRegistered) {
      this.firstRegistered.reject(new Error('prover closed before it registered'));
      this.firstRegistered = null;
    }
    this.wake?.();
    const s = this.stream;
    this.stream = null;
    if (s) {
      try { s.end(); } catch { /* already closed */ }
      s.cancel();
    }
    this.pool.close();
    await this.loop?.catch(() => {});
    for (const b of this.backends) await b.close().catch(() => {});
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
