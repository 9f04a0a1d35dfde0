// A bounded pool of worker threads that compute witnesses with circuits' wasm and check
// witnesses against R1CS files (witness-worker.ts), off the broker's event loop. At most `size`
// tasks run at once; the rest wait in FIFO order. A task that runs past `taskTimeoutMs` has its
// worker terminated (a fresh one replaces it) and answers { ok: false, bad: false }.
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { WitnessReply, WitnessTask } from './witness-worker';

export interface WitnessPoolOptions {
  /** Worker threads; default: cores - 1, at least 1, at most 4. */
  size?: number;
  /** Per-task limit, ms (default 120 000). */
  taskTimeoutMs?: number;
}

type Pending = { task: WitnessTask; resolve: (r: WitnessReply) => void };
type Slot = { worker: Worker; busy: Pending | null; timer: NodeJS.Timeout | null };

/** What a caller passes: a task without its id (the pool numbers them). */
export type WitnessRequest = WitnessTask extends infer T ? T extends WitnessTask ? Omit<T, 'id'> : never : never;

export class WitnessPool {
  readonly size: number;
  private readonly timeoutMs: number;
  private readonly slots: (Slot | null)[];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(opts: WitnessPoolOptions = {}) {
    this.size = Math.max(1, opts.size ?? Math.min(4, Math.max(1, os.cpus().length - 1)));
    this.timeoutMs = opts.taskTimeoutMs ?? 120_000;
    this.slots = new Array(this.size).fill(null);
  }

  /** Tasks waiting for a free worker. */
  get queued(): number { return this.queue.length; }

  /** Runs one task; never rejects (a pool failure is a reply with ok: false, bad: false). */
  run(req: WitnessRequest): Promise<WitnessReply> {
    const task = { ...req, id: this.nextId++ } as WitnessTask;
    if (this.closed) return Promise.resolve({ id: task.id, ok: false, bad: false, reason: 'witness pool closed', ms: 0 });
    return new Promise((resolve) => { this.queue.push({ task, resolve }); this.pump(); });
  }

  private pump(): void {
    for (let i = 0; i < this.size && this.queue.length > 0; i++) {
      let s = this.slots[i];
      if (s?.busy) continue;
      if (!s) s = this.slots[i] = this.spawn(i);
      const p = this.queue.shift()!;
      s.busy = p;
      s.timer = setTimeout(() => this.fail(i, `witness computation ran past ${this.timeoutMs} ms`), this.timeoutMs);
      s.timer.unref();
      s.worker.postMessage(p.task);
    }
  }

  private spawn(i: number): Slot {
    const worker = new Worker(path.join(__dirname, 'witness-worker.js'));
    worker.unref();
    const slot: Slot = { worker, busy: null, timer: null };
    worker.on('message', (r: WitnessReply) => {
      if (!slot.busy || slot.busy.task.id !== r.id) return;
      const p = slot.busy;
      slot.busy = null;
      if (slot.timer) clearTimeout(slot.timer);
      p.resolve(r);
      this.pump();
    });
    const gone = (why: string) => { if (this.slots[i] === slot) this.fail(i, why); };
    worker.on('error', (e) => gone(`witness worker error: ${e.message}`));
    worker.on('exit', (code) => gone(`witness worker exited with code ${code}`));
    return slot;
  }

  /** Ends slot i's task with an internal failure and drops its worker. */
  private fail(i: number, reason: string): void {
    const s = this.slots[i];
    if (!s) return;
    this.slots[i] = null;
    if (s.timer) clearTimeout(s.timer);
    void s.worker.terminate();
    if (s.busy) s.busy.resolve({ id: s.busy.task.id, ok: false, bad: false, reason, ms: 0 });
    if (!this.closed) this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.resolve({ id: p.task.id, ok: false, bad: false, reason: 'witness pool closed', ms: 0 });
    await Promise.all(this.slots.map(async (s, i) => {
      if (!s) return;
      this.slots[i] = null;
      if (s.timer) clearTimeout(s.timer);
      if (s.busy) s.busy.resolve({ id: s.busy.task.id, ok: false, bad: false, reason: 'witness pool closed', ms: 0 });
      await s.worker.terminate();
    }));
  }
}
