// WatchJob events come from the store's outbox, not from memory: every transition appends its
// event in its own transaction, and this pump reads them in seq order and hands them to the
// subscribers of that job. The broker kicks the pump after its own writes (no waiting); a timer
// also polls, so events written by another broker sharing the database arrive too.
import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../src/common/log';
import type { Job, JobEvent } from '../src/common/proto';
import { jobToProto } from './convert';
import { toStatus, notFound } from './errors';
import { isTerminal } from './lifecycle';
import { ProgressThrottle } from './progress';
import type { JobRecord, OutboxEvent, Store } from './store/types';

type Subscriber = (ev: OutboxEvent) => void;

export class OutboxPump {
  private seq = 0;
  private readonly subs = new Map<string, Set<Subscriber>>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private pumped = 0;
  private readonly progress = new ProgressThrottle();
  private readonly listeners = new Set<Subscriber>();

  constructor(private readonly store: Store, private readonly log: Logger, private readonly pollMs: number,
    /** Keep at most this many events in the outbox (older ones are pruned). */
    private readonly keep = 10_000) {}

  async start(): Promise<void> {
    this.seq = await this.store.outboxHead();
    this.timer = setInterval(() => this.kick(), this.pollMs);
  }

  /** The last seq delivered. */
  get position(): number { return this.seq; }

  /** The newest seq written to the outbox (by any broker). */
  head(): Promise<number> { return this.store.outboxHead(); }

  subscribe(jobId: string, fn: Subscriber): () => void {
    let set = this.subs.get(jobId);
    if (!set) { set = new Set(); this.subs.set(jobId, set); }
    set.add(fn);
    return () => { const s = this.subs.get(jobId); if (s) { s.delete(fn); if (s.size === 0) this.subs.delete(jobId); } };
  }

  /** Every state event (of any job), after its subscribers have had it. */
  onStateEvent(fn: Subscriber): void { this.listeners.add(fn); }

  /**
   * Every event read (any kind, throttled progress too), in seq order, before its subscribers;
   * `onMiss` when a read failed (events may have been skipped by a prune meanwhile). One tap: the
   * broker's queue index (queue-index.ts).
   */
  tap(onEvent: Subscriber, onMiss: () => void): void { this.tapEvent = onEvent; this.tapMiss = onMiss; }
  private tapEvent: Subscriber | null = null;
  private tapMiss: (() => void) | null = null;

  /** Reads and delivers new events now (coalesced: one reader at a time). */
  kick(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) { this.again = true; return this.running; }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          for (;;) {
            const evs = await this.store.readOutbox(this.seq, 500);
            for (const ev of evs) {
              this.seq = ev.seq;
              if (this.tapEvent) { try { this.tapEvent(ev); } catch (e) { this.tapMiss?.(); this.log.warn(`queue index failed: ${(e as Error).message}`); } }
              if (!this.passes(ev)) continue;
              // A partition's events also go to the watchers of its partitioned job (partitions.ts).
              for (const key of ev.job.groupId ? [ev.jobId, ev.job.groupId] : [ev.jobId]) {
                const set = this.subs.get(key);
                if (set) for (const fn of [...set]) { try { fn(ev); } catch (e) { this.log.warn(`watcher failed: ${(e as Error).message}`); } }
              }
              if (ev.kind === 'state') for (const fn of this.listeners) { try { fn(ev); } catch (e) { this.log.warn(`listener failed: ${(e as Error).message}`); } }
            }
            this.pumped += evs.length;
            if (evs.length < 500) break;
          }
        } while (this.again && !this.closed);
        if (this.pumped > this.keep / 2 && this.seq > this.keep) { this.pumped = 0; await this.store.pruneOutbox(this.seq - this.keep); }
      } catch (e) {
        this.tapMiss?.();
        if (!this.closed) this.log.warn(`outbox read failed: ${(e as Error).message}`);
      } finally { this.running = null; }
    })();
    return this.running;
  }

  /** Progress events are throttled (see progress.ts); state events always pass. */
  private passes(ev: OutboxEvent): boolean {
    if (isTerminal(ev.job.state)) { this.progress.forget(ev.jobId); return true; }
    if (ev.kind !== 'progress') return true;
    if (!this.subs.has(ev.jobId) && !(ev.job.groupId && this.subs.has(ev.job.groupId))) return false;
    return this.progress.shouldEmit(ev.jobId, ev.job.attempts, ev.job.stage, ev.job.progress, Date.now());
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.subs.clear();
    await this.running;
  }
}

/** How often an open watch stream checks that its caller's key still holds (when nothing else happens), ms. */
export const WATCH_RECHECK_MS = 1000;

/**
 * Keeps a stream's caller authorised: `authorize` (which throws e.g. UNAUTHENTICATED once the key
 * is revoked) runs before each event is written (`guard`) and every WATCH_RECHECK_MS meanwhile; when
 * it throws, `fail` ends the stream with its status. Returns the guard and a stop for the timer.
 */
export function streamGuard(authorize: (() => Promise<void>) | undefined, fail: (e: unknown) => void):
  { guard: (then: () => void | Promise<void>) => void; stop: () => void } {
  let chain: Promise<void> = Promise.resolve();
  const guard = (then: () => void | Promise<void>) => {
    chain = chain.then(async () => { if (authorize) await authorize(); await then(); }).catch(fail);
  };
  const timer = authorize ? setInterval(() => guard(() => {}), WATCH_RECHECK_MS) : null;
  timer?.unref();
  return { guard, stop: () => { if (timer) clearInterval(timer); } };
}

/**
 * One WatchJob stream: the job's snapshot, then every event from the outbox, ending after a
 * terminal state. `load` returns the job if the caller may see it (else the stream fails NOT_FOUND).
 * `authorize`, when given, is checked again before every event and every WATCH_RECHECK_MS: a key
 * revoked while the stream is open ends it with the error it throws (UNAUTHENTICATED).
 */
export async function watchJob(pump: OutboxPump, call: grpc.ServerWritableStream<{ jobId: string }, JobEvent>,
  load: (id: string) => Promise<JobRecord | null>, onEnd: () => void, toProto: (j: JobRecord) => Job = jobToProto,
  authorize?: () => Promise<void>): Promise<void> {
  const id = call.request.jobId;
  let done = false; let ready = false;
  const early: OutboxEvent[] = [];
  let unsubscribe = () => {};
  let head = Number.MAX_SAFE_INTEGER;
  let snap: JobRecord | null = null;
  const finish = () => { if (done) return; done = true; unsubscribe(); checks.stop(); onEnd(); };
  const checks = streamGuard(authorize, (e) => { if (done) return; finish(); call.emit('error', toStatus(e)); });
  const write = (job: JobRecord, kind: string) => {
    if (done) return;
    call.write({ job: toProto(job), kind });
    if (isTerminal(job.state)) { finish(); call.end(); }
  };
  const deliver = (job: JobRecord, kind: string) => checks.guard(() => write(job, kind));
  // Events up to `head` are already in the snapshot; a later one identical to it is skipped too.
  // (The pump may still be catching up on older events, e.g. written by another broker.)
  const fresh = (ev: OutboxEvent) => ev.seq > head && !(snap && (ev.job.updatedMs < snap.updatedMs
    || (ev.job.state === snap.state && ev.job.updatedMs === snap.updatedMs && ev.job.progress === snap.progress)));
  // Subscribe before reading the snapshot so no change falls in between.
  unsubscribe = pump.subscribe(id, (ev) => { if (!ready) early.push(ev); else if (fresh(ev)) deliver(ev.job, ev.kind); });
  call.on('cancelled', finish);
  call.on('close', finish);
  try {
    head = await pump.head();
    snap = await load(id);
    if (!snap) throw notFound(`unknown job "${id}"`);
    write(snap, 'snapshot'); // the caller was authenticated just now
    ready = true;
    for (const ev of early) if (fresh(ev)) deliver(ev.job, ev.kind);
  } catch (e) {
    finish();
    call.emit('error', toStatus(e));
  }
}
