// A minimal prover driven from the tests over the real ProverHub stream: it registers, says hello,
// and answers each assignment with a real snarkjs proof (groth16.fullProve with the wasm and zkey it
// fetched over FetchArtifact) — or, when told to, with a corrupted proof, an error, or nothing at all.
import * as grpc from '@grpc/grpc-js';
import { clientOptions } from '../../src/common/connect';
import { newProverHubClient, type Assignment__Output, type BrokerMessage__Output, type ProverHubGrpcClient, type ProverMessage } from '../../src/common/proto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sha256Hex } from '../../src/common/hash';

interface Snarkjs {
  groth16: {
    fullProve(input: unknown, wasm: string, zkey: string): Promise<{ proof: Record<string, unknown>; publicSignals: string[] }>;
    verify(vk: unknown, pub: unknown, proof: unknown): Promise<boolean>;
  };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const snarkjs = require('snarkjs') as Snarkjs;

export type Behaviour = 'honest' | 'corrupt' | 'silent' | 'fail-retryable' | 'fail-final';

export class TestProver {
  readonly hub: ProverHubGrpcClient;
  proverId = '';
  /** The secret the broker issued at the first Register (kept for reconnects, like the daemon's identity.json). */
  secret = '';
  leaseMs = 0;
  heartbeatMs = 0;
  readonly assignments: Assignment__Output[] = [];
  readonly acks: { jobId: string; status: string; message: string }[] = [];
  readonly cancels: { jobId: string; reason: string }[] = [];
  private call: grpc.ClientDuplexStream<ProverMessage, BrokerMessage__Output> | null = null;
  private hb: NodeJS.Timeout | null = null;
  private readonly held = new Set<string>();
  private waiters: (() => void)[] = [];

  /** The operator API key used when opts.apiKey is not given (tests set it once per broker). */
  static defaultApiKey: string | null = null;

  constructor(address: string, readonly key: string, public behaviour: Behaviour = 'honest',
    readonly opts: { curves?: ('CURVE_BN254' | 'CURVE_BLS12_381')[]; price?: number; slots?: number; heartbeat?: boolean; apiKey?: string } = {}) {
    this.hub = newProverHubClient(address, undefined, clientOptions({ apiKey: opts.apiKey ?? TestProver.defaultApiKey }));
  }

  async connect(): Promise<void> {
    const res = await new Promise<{ proverId: string; heartbeatMs: number; leaseMs: number; proverSecret: string; sessionEpoch: string }>((resolve, reject) => {
      this.hub.register({
        proverKey: this.key, name: this.key, proverSecret: this.secret,
        capabilities: {
          curves: this.opts.curves ?? ['CURVE_BN254', 'CURVE_BLS12_381'], backends: ['snarkjs'], maxConstraints: '0',
          slots: this.opts.slots ?? 1, price: String(this.opts.price ?? 0), devices: [{ name: 'test', memoryBytes: '0', backend: 'snarkjs' }],
        },
      }, (err, r) => err ? reject(err) : resolve(r as { proverId: string; heartbeatMs: number; leaseMs: number; proverSecret: string; sessionEpoch: string }));
    });
    this.proverId = res.proverId; this.leaseMs = res.leaseMs; this.heartbeatMs = res.heartbeatMs;
    if (res.proverSecret) this.secret = res.proverSecret;
    const call = this.hub.session();
    this.call = call;
    call.on('data', (m: BrokerMessage__Output) => this.onMessage(m));
    call.on('error', () => { /* session closed */ });
    call.write({ hello: { proverId: this.proverId, proverSecret: this.secret, sessionEpoch: res.sessionEpoch } });
    if (this.opts.heartbeat !== false) {
      // Like the real daemon: a heartbeat right after hello, then one per interval.
      const beat = () => this.call?.write({ heartbeat: { leaseTokens: [...this.held] } });
      beat();
      this.hb = setInterval(beat, Math.max(20, this.heartbeatMs));
    }
  }

  private notify(): void { const w = this.waiters; this.waiters = []; w.forEach((f) => f()); }

  /** Resolves when pred() holds (checked after every broker message), or rejects after ms. */
  async until(pred: () => boolean, ms = 60_000, what = 'condition'): Promise<void> {
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end) throw new Error(`prover ${this.key}: timed out waiting for ${what}`);
      await new Promise<void>((r) => { this.waiters.push(r); setTimeout(r, 50); });
    }
  }

  private onMessage(m: BrokerMessage__Output): void {
    if (m.assignment) {
      const a = m.assignment;
      this.assignments.push(a);
      this.held.add(a.leaseToken);
      void this.work(a);
    } else if (m.ack) {
      this.acks.push({ jobId: m.ack.jobId, status: m.ack.status, message: m.ack.message });
    } else if (m.cancel) {
      this.cancels.push({ jobId: m.cancel.jobId, reason: m.cancel.reason });
      this.held.delete(m.cancel.leaseToken);
    }
    this.notify();
  }

  private async work(a: Assignment__Output): Promise<void> {
    if (this.behaviour === 'silent') return;
    const base = { jobId: a.jobId, leaseToken: a.leaseToken };
    if (this.behaviour === 'fail-retryable' || this.behaviour === 'fail-final') {
      this.call?.write({ result: { ...base, error: 'test failure', retryable: this.behaviour === 'fail-retryable', backend: 'snarkjs' } });
      this.held.delete(a.leaseToken);
      return;
    }
    this.call?.write({ progress: { ...base, fraction: 0.1, stage: 'witness' } });
    const t0 = Date.now();
    const [wasm, zkey] = await Promise.all([this.artifact(a, 'ARTIFACT_KIND_WASM'), this.artifact(a, 'ARTIFACT_KIND_ZKEY')]);
    const { proof, publicSignals } = await snarkjs.groth16.fullProve(JSON.parse(a.inputJson ?? '{}'), wasm, zkey);
    if (this.behaviour === 'corrupt') {
      // Swap pi_a for pi_c: well-formed points on the curve, but not a valid proof.
      const p = proof as { pi_a: string[]; pi_c: string[] };
      [p.pi_a, p.pi_c] = [p.pi_c, p.pi_a];
    }
    this.call?.write({ progress: { ...base, fraction: 0.9, stage: 'proving' } });
    this.call?.write({
      result: {
        ...base, proof: { proofJson: JSON.stringify(proof), publicJson: JSON.stringify(publicSignals) },
        backend: 'snarkjs', proveMs: String(Date.now() - t0),
      },
    });
    this.held.delete(a.leaseToken);
  }

  /** Downloads an artifact of the assignment's circuit over FetchArtifact (cached by hash), checking its hash. */
  async artifact(a: Assignment__Output, kind: 'ARTIFACT_KIND_WASM' | 'ARTIFACT_KIND_ZKEY'): Promise<string> {
    const ref = a.circuit!.artifacts.find((x) => x.kind === kind);
    if (!ref) throw new Error(`assignment ${a.jobId} has no ${kind}`);
    const file = path.join(TestProver.cacheDir, ref.sha256);
    if (fs.existsSync(file)) return file;
    const parts: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      const call = this.hub.fetchArtifact({ sha256: ref.sha256, offset: '0' });
      call.on('data', (d: { data: Buffer }) => parts.push(d.data));
      call.on('end', () => resolve());
      call.on('error', reject);
    });
    const buf = Buffer.concat(parts);
    if (sha256Hex(buf) !== ref.sha256) throw new Error(`artifact ${ref.sha256} downloaded with a different hash`);
    const tmp = `${file}.${process.pid}.${Math.random()}`;
    fs.writeFileSync(tmp, buf); fs.renameSync(tmp, file);
    return file;
  }

  static readonly cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-testprover-cache-'));

  /** Sends a raw message on the session (for stale-token tests). */
  write(m: ProverMessage): void { this.call?.write(m); }

  close(): void {
    if (this.hb) clearInterval(this.hb);
    this.hb = null;
    try { this.call?.cancel(); } catch { /* closed */ }
    this.call = null;
    this.hub.close();
  }
}
