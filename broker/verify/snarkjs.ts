// Groth16 verification with snarkjs in a child process (snarkjs-worker.ts), one proof at a time:
// the broker's verifier before the mcl pool (index.ts), kept as the reference that tests and
// benchmarks compare the fast path against. Started lazily, restarted if it dies, ended by close().
import { fork, type ChildProcess } from 'child_process';
import * as path from 'path';
import type { VerifyRequest, VerifyResponse, WarmRequest } from './snarkjs-worker';
import { checkProofShape, type Verdict } from './shape';

export class SnarkjsVerifier {
  private worker: ChildProcess | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (v: Verdict) => void>();

  private ensure(): ChildProcess {
    if (this.worker) return this.worker;
    const w = fork(path.join(__dirname, 'snarkjs-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    w.on('message', (m: VerifyResponse | { ready: true }) => {
      if (!('id' in m)) return;
      const cb = this.pending.get(m.id);
      if (cb) { this.pending.delete(m.id); cb({ ok: m.ok, reason: m.reason }); }
    });
    const fail = (why: string) => {
      if (this.worker === w) { this.worker = null; this.warmed.clear(); }
      for (const [id, cb] of this.pending) { this.pending.delete(id); cb({ ok: false, reason: `verifier unavailable: ${why}` }); }
    };
    w.on('error', (e) => fail(e.message));
    w.on('exit', (code) => fail(`worker exited with code ${code}`));
    this.worker = w;
    return w;
  }

  /**
   * Verifies proof/public JSON against a vkey. A verdict of ok=false with a reason starting
   * "verifier unavailable" means the check did not run (not that the proof is wrong).
   */
  async verify(vkey: unknown, proofJson: string, publicJson: string, nPublic: number): Promise<Verdict> {
    const shape = checkProofShape(proofJson, publicJson, nPublic);
    if (typeof shape === 'string') return { ok: false, reason: shape };
    const id = this.nextId++;
    const w = this.ensure();
    return new Promise<Verdict>((resolve) => {
      this.pending.set(id, resolve);
      w.send({ id, vkey, publicSignals: shape.pub, proof: shape.proof } as VerifyRequest);
    });
  }

  /**
   * Starts the verifier process and builds a curve's tables in it now, so the first proof of that
   * curve is not delayed by it (measured: about 4 s cold vs 40-80 ms warm for a small BN254 proof).
   */
  warm(snarkjsCurve: 'bn128' | 'bls12381'): void {
    if (this.warmed.has(snarkjsCurve)) return;
    this.warmed.add(snarkjsCurve);
    this.ensure().send({ warm: snarkjsCurve } as WarmRequest);
  }
  private readonly warmed = new Set<string>();

  async close(): Promise<void> {
    const w = this.worker; this.worker = null;
    if (w && w.exitCode === null && w.signalCode === null) {
      const exited = new Promise<void>((r) => w.once('exit', () => r()));
      w.kill();
      await exited;
    }
  }
}
