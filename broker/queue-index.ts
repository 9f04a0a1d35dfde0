// The broker's in-memory index of QUEUED jobs, so that a dispatch pass after a submit plans from
// memory instead of re-reading (and re-parsing) up to 500 job rows from the store.
//
// Fed by the outbox (events.ts OutboxPump): every transition of any job, by this broker or another
// one sharing the database, appends an event carrying the job's snapshot, in commit (seq) order; the
// snapshot's state says whether the job is QUEUED (kept, with its latest fields: offer raises,
// routing notes, exclusions) or not (dropped). Seeded and reconciled by a full store read
// (queuedJobs): at the broker's start and at every full pass (the sweep's, each sweepMs), and
// whenever the index cannot vouch for itself: an outbox read failed (events may have been missed),
// or more jobs are queued than one pass plans (LIMIT; the store's read then stays the source, as
// before). A claim that loses a race (another broker claimed it first, the job was cancelled)
// drops the job here, and the next pass reads the store.
//
// Why the outbox and not each call site: it is the one ordered log of every transition on every
// broker; an index fed by it cannot miss a path to or from QUEUED (submit, requeue, give-back,
// lapsed lease, reject, set-aside, cancel, expiry, bad input, partition cancel, raise).
import type { JobRecord, OutboxEvent } from './store/types';

/** The store's queuedJobs order: created_ms, then id. */
function before(a: JobRecord, b: JobRecord): boolean {
  return a.createdMs < b.createdMs || (a.createdMs === b.createdMs && a.id < b.id);
}

/** How many of its own claims the index remembers, to tell a late snapshot from a requeue. */
const CLAIMED_KEPT = 8192;

export class QueueIndex {
  /** QUEUED jobs (snapshots: inputJson and witness null), kept in queuedJobs order while `sorted`. */
  private jobs = new Map<string, JobRecord>();
  private sorted = true;
  private last: JobRecord | null = null;
  /** Whether `jobs` holds every QUEUED job of the store (a full read returned fewer than `limit` and nothing was missed since). */
  private whole = false;
  /** Events applied while a full read was in flight: applied again on top of what it read. */
  private during: OutboxEvent[] | null = null;
  /** Counters (tests, bench): passes answered from memory, full reads, jobs dropped after a lost claim. */
  readonly stats = { served: 0, reads: 0, lostClaims: 0 };

  /** @param limit the most jobs one dispatch pass plans (the store read's LIMIT). */
  constructor(readonly limit = 500) {}

  get size(): number { return this.jobs.size; }

  /** Whether passes can be planned from memory now (else the store is read, and the index reconciled). */
  get complete(): boolean { return this.whole && this.jobs.size <= this.limit; }

  /**
   * One outbox event (any kind, any broker), in seq order. Returns true when it puts a job in the
   * queue (new, or requeued): a dispatch pass should plan it. A change to a waiting job (a routing
   * note, an offer raise) is kept but asks for nothing: the pass that wrote it planned it.
   */
  apply(ev: OutboxEvent): boolean {
    if (this.during) this.during.push(ev);
    return this.put(ev.job);
  }

  private put(j: JobRecord): boolean {
    if (j.state !== 'QUEUED') { this.jobs.delete(j.id); if (this.last?.id === j.id) this.last = null; return false; }
    // A snapshot from before this broker's own claim of the job (an outbox read that was still in
    // flight when the claim committed): the claim's own event follows it; not a requeue. A requeue
    // after the claim keeps the claim's lease token (the last lease's), or is later than it.
    const claimed = this.claimed.get(j.id) ?? this.claimedBefore.get(j.id);
    if (claimed && j.leaseToken !== claimed.token && j.updatedMs <= claimed.ms) return false;
    const fresh = !this.jobs.has(j.id);
    if (fresh) {
      // A new key goes to the end of the map: still in order when it sorts after the last one
      // added (unknown once that one left: then the next pass sorts).
      if (this.jobs.size > 0 && (!this.last || before(j, this.last))) this.sorted = false;
      this.last = j;
    }
    this.jobs.set(j.id, j);
    return fresh;
  }

  /**
   * Jobs this broker claimed → the claimed job's lease token and updatedMs: the most recent
   * CLAIMED_KEPT to 2 × CLAIMED_KEPT, in two generations (deleting a Map's oldest key one at a
   * time makes V8 skip ever more deleted entries to find the next).
   */
  private claimed = new Map<string, { token: string; ms: number }>();
  private claimedBefore = new Map<string, { token: string; ms: number }>();

  /**
   * The job left the queue: this broker's claim committed (`claimed`: the job as the claim left
   * it), or it was not there (no `claimed`: a claim lost to another broker, or to a cancel).
   */
  drop(jobId: string, claimed?: JobRecord | null): void {
    if (!claimed) {
      // Lost: most likely claimed elsewhere (its event follows), but a PostgreSQL claim also answers
      // 'not_queued' for a row another broker holds locked for a moment (a note, a raise): the next
      // pass reads the store rather than trust the index.
      this.stats.lostClaims++;
      this.whole = false;
    } else {
      this.claimed.set(jobId, { token: claimed.leaseToken, ms: claimed.updatedMs });
      if (this.claimed.size >= CLAIMED_KEPT) { this.claimedBefore = this.claimed; this.claimed = new Map(); }
    }
    this.jobs.delete(jobId);
    if (this.last?.id === jobId) this.last = null;
  }

  /** Events may have been missed (an outbox read failed): the next pass reads the store. */
  invalidate(): void { this.whole = false; this.misses++; }
  /** invalidate() calls so far: a full read that one happened during cannot vouch for the index (see reconcile). */
  private misses = 0;

  /**
   * The jobs a pass plans, in queuedJobs order: the oldest `limit` QUEUED jobs, as a store read would
   * return them (their payloads left out), or null when the index cannot vouch for that (not
   * complete): the caller reads the store (reconcile).
   */
  queued(): JobRecord[] | null {
    if (!this.complete) return null;
    this.stats.served++;
    if (!this.sorted) {
      const all = [...this.jobs.values()].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
      this.jobs = new Map(all.map((j) => [j.id, j]));
      this.last = all.length ? all[all.length - 1] : null;
      this.sorted = true;
    }
    return [...this.jobs.values()];
  }

  /**
   * A full store read (`read`: queuedJobs(limit)) that the index is rebuilt from; returns what was
   * read. Events applied while it was in flight are applied again on top: each is committed and
   * carries its job's state as of then, so the index ends at the state of the newest event or read
   * for every job, and later events (seq after the pump's position) follow in order. A read that
   * fails leaves the index not complete (and throws).
   */
  async reconcile(read: (limit: number) => Promise<JobRecord[]>): Promise<JobRecord[]> {
    this.stats.reads++;
    const misses = this.misses;
    const during: OutboxEvent[] = [];
    this.during = during;
    let rows: JobRecord[];
    try { rows = await read(this.limit); } catch (e) { this.whole = false; throw e; } finally { if (this.during === during) this.during = null; }
    this.jobs = new Map();
    this.last = null;
    this.sorted = true;
    for (const j of rows) this.put(j);
    for (const ev of during) this.put(ev.job);
    // Fewer rows than the limit: that was every QUEUED job. At the limit there may be more, unseen.
    // An outbox read that failed while this read was in flight may have skipped events committed
    // after its snapshot (invalidate): then this read does not cover them, and the next pass reads again.
    this.whole = rows.length < this.limit && this.misses === misses;
    return rows;
  }
}
