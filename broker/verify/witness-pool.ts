// A bounded pool of worker threads that compute witnesses with circuits' wasm and check
// witnesses against R1CS files (witness-worker.ts), off the broker's event loop. Tasks wait in
// FIFO order; a free worker takes the waiting ones in one message (a batch, at most `batchMax`)
// and answers them all in one message: a postMessage each way costs ~0.1–0.2 ms of CPU, as much as
// computing a small circuit's witness, so at a high submit rate per-task messages would double
// the pool's cost. A worker runs its batch's tasks one at a time and marks in shared memory which
// one it is on and since when; a task that runs past `taskTimeoutMs` has its worker terminated (a
// fresh one replaces it) and answers { ok: false, bad: false }; the batch's other unanswered
// tasks go back to the head of the queue (a worker that dies does the same to its current task's
// batch-mates), so one bad task fails only itself.
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { WitnessReply, WitnessTask } from './witness-worker';

export interface WitnessPoolOptions {
  /** Worker threads; default: cores - 1, at least 1, at most 4. */
  size?: number;
  /** Per-task limit, ms (default 120 000). */
  taskTimeoutMs?: number;
  /** Most tasks in one message to a worker (default 32). */
  batchMax?: number;
  /**
   * Hold a new task up to this many ms before handing it to an idle worker, so the tasks of a
   * burst go in one message (default 0: at once). The broker's statements are needed only when a
   * proof comes back, so it waits a few ms: at 1,000 submissions/s one message per ~5 tasks
   * instead of one each way per task (a postMessage costs the main thread ~0.1–0.2 ms).
   */
  gatherMs?: number;
}

type Pending = { task: WitnessTask; resolve: (r: WitnessReply) => void };
/**
 * `progress` (shared with the worker): [0] the id of the task it is on (0: none), [1] when that
 * task started, ms after `base` (Date.now() when the slot was made).
 */
type Slot = { worker: Worker; busy: Map<number, Pending> | null; timer: NodeJS.Timeout | null; progress: Int32Array; base: number };

/** What a caller passes: a task without its id (the pool numbers them). */
export type WitnessRequest = WitnessTask extends infer T ? T extends WitnessTask ? Omit<T, 'id'> : never : never;

export class WitnessPool {
  readonly size: number;
  private readonly timeoutMs: number;
  private readonly batchMax: number;
  private readonly gatherMs: number;
  private gathering: NodeJS.Timeout | null = null;
  private readonly slots: (Slot | null)[];
  private queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(opts: WitnessPoolOptions = {}) {
    this.size = Math.max(1, opts.size ?? Math.min(4, Math.max(1, os.cpus().length - 1)));
    this.timeoutMs = opts.taskTimeoutMs ?? 120_000;
    this.batchMax = Math.max(1, opts.batchMax ?? 32);
    this.gatherMs = Math.max(0, opts.gatherMs ?? 0);
    this.slots = new Array(this.size).fill(null);
  }

  /** Tasks waiting for a free worker. */
  get queued(): number { return this.queue.length; }

  /** Runs one task; never rejects (a pool failure is a reply with ok: false, bad: false). */
  run(req: WitnessRequest): Promise<WitnessReply> {
    const task = { ...req, id: this.nextId++ } as WitnessTask;
    if (this.closed) return Promise.resolve({ id: task.id, ok: false, bad: false, reason: 'witness pool closed', ms: 0 });
    return new Promise((resolve) => {
      this.queue.push({ task, resolve });
      // A full batch goes at once; otherwise wait for more (a busy worker takes them all when it is done anyway).
      if (this.gatherMs === 0 || this.queue.length >= this.batchMax) this.pump();
      else if (!this.gathering) this.gathering = setTimeout(() => this.pump(), this.gatherMs);
    });
  }

  private pump(): void {
    if (this.gathering) { clearTimeout(this.gathering); this.gathering = null; }
    if (this.closed || this.queue.length === 0) return;
    const free = this.slots.filter((s) => !s?.busy).length;
    if (free === 0) return;
    const per = Math.min(this.batchMax, Math.ceil(this.queue.length / free));
    for (let i = 0; i < this.size && this.queue.length > 0; i++) {
      let s = this.slots[i];
      if (s?.busy) continue;
      if (!s) s = this.slots[i] = this.spawn(i);
      const batch = this.queue.splice(0, per);
      s.busy = new Map(batch.map((p) => [p.task.id, p]));
      this.watch(i, s, this.timeoutMs);
      s.worker.postMessage(batch.map((p) => p.task));
    }
  }

  /** Checks slot i's current task after `ms`: past the limit it fails, else the check comes again at its deadline. */
  private watch(i: number, s: Slot, ms: number): void {
    s.timer = setTimeout(() => {
      s.timer = null;
      if (this.slots[i] !== s || !s.busy) return;
      const id = Atomics.load(s.progress, 0);
      const ran = id ? Date.now() - (s.base + Atomics.load(s.progress, 1)) : 0;
      if (id && ran >= this.timeoutMs) this.fail(i, `witness computation ran past ${this.timeoutMs} ms`);
      else this.watch(i, s, id ? this.timeoutMs - ran : this.timeoutMs);
    }, Math.max(1, ms));
    s.timer.unref();
  }

  private spawn(i: number): Slot {
    const progress = new Int32Array(new SharedArrayBuffer(8));
    const base = Date.now();
    const worker = new Worker(path.join(__dirname, 'witness-worker.js'), { workerData: { progress, base } });
    worker.unref();
    const slot: Slot = { worker, busy: null, timer: null, progress, base };
    worker.on('message', (rs: WitnessReply[]) => {
      if (!slot.busy) return;
      const got = slot.busy;
      slot.busy = null;
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      for (const r of rs) { const p = got.get(r.id); if (p) { got.delete(r.id); p.resolve(r); } }
      // Not answered (cannot happen with a sound worker): back to the queue's head.
      if (got.size) this.queue.unshift(...got.values());
      this.pump();
    });
    const gone = (why: string) => { if (this.slots[i] === slot) this.fail(i, why); };
    worker.on('error', (e) => gone(`witness worker error: ${e.message}`));
    worker.on('exit', (code) => gone(`witness worker exited with code ${code}`));
    return slot;
  }

  /**
   * Ends slot i's current task with an internal failure and drops its worker; the batch's other
   * tasks go back to the head of the queue.
   */
  private fail(i: number, reason: string): void {
    const s = this.slots[i];
    if (!s) return;
    this.slots[i] = null;
    if (s.timer) clearTimeout(s.timer);
    void s.worker.terminate();
    if (s.busy) {
      const cur = Atomics.load(s.progress, 0);
      const victim = s.busy.get(cur) ?? s.busy.values().next().value;
      if (victim) { s.busy.delete(victim.task.id); victim.resolve({ id: victim.task.id, ok: false, bad: false, reason, ms: 0 }); }
      this.queue.unshift(...s.busy.values());
      s.busy = null;
    }
    if (!this.closed) this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.gathering) { clearTimeout(this.gathering); this.gathering = null; }
    for (const p of this.queue.splice(0)) p.resolve({ id: p.task.id, ok: false, bad: false, reason: 'witness pool closed', ms: 0 });
    await Promise.all(this.slots.map(async (s, i) => {
      if (!s) return;
      this.slots[i] = null;
      if (s.timer) clearTimeout(s.timer);
      for (const p of s.busy?.values() ?? []) p.resolve({ id: p.task.id, ok: false, bad: false, reason: 'witness pool closed', ms: 0 });
      s.busy = null;
      await s.worker.terminate();
    }));
  }
}
