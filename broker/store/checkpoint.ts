// WAL checkpoints off the broker's main thread. SQLite's automatic checkpoint (every 1000 WAL
// pages by default) runs inside the COMMIT that crosses the threshold: it copies the WAL's pages
// into the database file and fsyncs it, on the event loop, so one transition in a few hundred
// waited ~10 ms for it (the p99 of submit → assignment). The store turns it off
// (wal_autocheckpoint=0) and this worker thread, with its own connection to the same file, runs
// PASSIVE checkpoints instead: they never take the writer's lock, so the broker keeps committing
// (appending to the WAL) while pages are copied and synced; once a checkpoint has copied
// everything, the broker's next write starts the WAL over from its beginning (and truncates the
// file to journal_size_limit). When the store has been idle a while, one TRUNCATE checkpoint
// empties the -wal file. Durability is unchanged: a committed transaction is in the WAL whether
// or not it was checkpointed yet.
//
// Safety valve: if the worker falls behind (the WAL past `valvePages` frames) or stops reporting
// (crashed, stalled for `staleMs`), the store checkpoints on its own thread as before (see
// WalCheckpointer.valve); a worker that exits unexpectedly turns SQLite's own auto-checkpoint back on.
import { Worker, isMainThread, parentPort, workerData } from 'worker_threads';

/** What the worker shares with the store, updated after every checkpoint (Float64Array slots). */
const SLOT = { tickMs: 0, logFrames: 1, checkpointed: 2, checkpoints: 3, truncates: 4, busy: 5, closed: 6, fulls: 7 } as const;
const SLOTS = 8;

export interface CheckpointOptions {
  /** How often the worker checkpoints while the WAL has frames, ms (default 50). */
  intervalMs?: number;
  /**
   * WAL frames not yet copied into the database that start a PASSIVE checkpoint (default 1000, as
   * SQLite's own auto-checkpoint; fewer frames are copied once no commit came for 4 intervals).
   * Checkpointing less often copies a page rewritten by many commits once rather than each time.
   */
  minPages?: number;
  /**
   * WAL frames past which the worker runs a FULL checkpoint (default 16384, 64 MiB at 4 KiB pages).
   * A PASSIVE checkpoint only lets the WAL start over when no commit landed while it ran; under a
   * steady stream of commits that never happens, so now and then the worker takes the writer's
   * lock to copy the few frames the last PASSIVE left (a commit arriving meanwhile waits a few ms).
   * At 4096 that was ~2 FULLs a second at 1,000 submissions/s; 16384 cut the broker's BEGIN lock
   * waits over 0.3 ms from 14-21 to 6-8 per 5 s row (48/35/47 ms to 17/18/21 ms in all, 3 pairs).
   */
  restartPages?: number;
  /** No new frames for this long → one TRUNCATE checkpoint empties the -wal file (default 1000 ms). */
  idleMs?: number;
  /** The store checkpoints on its own thread when the WAL holds more frames than this (default 20,000 ≈ 80 MB at 4 KiB pages). */
  valvePages?: number;
  /** The store checkpoints on its own thread when the worker has not reported for this long (default 5000 ms). */
  staleMs?: number;
}

export interface CheckpointStats {
  /** PASSIVE/TRUNCATE checkpoints the worker ran that found frames to copy. */
  checkpoints: number;
  /** TRUNCATE checkpoints (idle) that emptied the -wal file. */
  truncates: number;
  /** FULL checkpoints (the WAL past restartPages under a steady stream of commits) that completed. */
  fulls: number;
  /** FULL/TRUNCATE checkpoints that found the lock or a reader in the way, and errors (next tick). */
  busy: number;
  /** Frames in the WAL at the worker's last look, and of those already copied into the database. */
  logFrames: number;
  checkpointed: number;
  /** Checkpoints the store ran on its own thread (the valve: the worker behind, stalled or gone). */
  inline: number;
  /** Whether the worker is running. */
  running: boolean;
}

/** The store's side: starts the worker, reads what it shares, and opens the valve when needed. */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly shared: Float64Array;
  private readonly valvePages: number;
  private readonly staleMs: number;
  private running = true;
  private exited: Promise<void>;
  private inline = 0;
  private lastInlineMs = 0;

  /**
   * `file`: the database (WAL mode). `onGone(err)` runs if the worker exits without being asked
   * (the store then turns SQLite's auto-checkpoint back on).
   */
  constructor(file: string, opts: CheckpointOptions, onGone: (err: Error | null) => void) {
    this.valvePages = opts.valvePages ?? 20_000;
    this.staleMs = opts.staleMs ?? 5000;
    this.shared = new Float64Array(new SharedArrayBuffer(SLOTS * 8));
    this.shared[SLOT.tickMs] = Date.now();
    this.worker = new Worker(__filename, {
      workerData: { pmWalCheckpoint: true, file, shared: this.shared, intervalMs: opts.intervalMs ?? 50, idleMs: opts.idleMs ?? 1000,
        restartPages: opts.restartPages ?? 16_384, minPages: opts.minPages ?? 1000 },
      // Its own small heap: it only runs a PRAGMA now and then.
      resourceLimits: { maxOldGenerationSizeMb: 32 },
    });
    // Never keeps the broker's process alive.
    this.worker.unref();
    let lastErr: Error | null = null;
    this.worker.on('error', (e) => { lastErr = e; });
    this.exited = new Promise((resolve) => this.worker.once('exit', () => {
      const asked = !this.running;
      this.running = false;
      if (!asked) onGone(lastErr);
      resolve();
    }));
  }

  /**
   * Called by the store after a commit on its own thread: true when it should checkpoint there
   * itself (PASSIVE) because the worker is behind by more than valvePages frames or silent for
   * staleMs. At most once a second, so a wedged worker costs one inline checkpoint per second.
   */
  valve(nowMs: number): boolean {
    if (!this.running) return false;
    const behind = this.shared[SLOT.logFrames] - this.shared[SLOT.checkpointed] > this.valvePages;
    const stale = nowMs - this.shared[SLOT.tickMs] > this.staleMs;
    if (!(behind || stale) || nowMs - this.lastInlineMs < 1000) return false;
    this.lastInlineMs = nowMs;
    this.inline++;
    return true;
  }

  stats(): CheckpointStats {
    const s = this.shared;
    return { checkpoints: s[SLOT.checkpoints], truncates: s[SLOT.truncates], fulls: s[SLOT.fulls], busy: s[SLOT.busy], logFrames: s[SLOT.logFrames], checkpointed: s[SLOT.checkpointed], inline: this.inline, running: this.running };
  }

  /** Stops the worker (it closes its connection first); resolves when it has exited (at most ~2 s). */
  async close(): Promise<void> {
    if (!this.running) return this.exited;
    this.running = false;
    // Held while it shuts down, so an `await store.close()` in a process (or worker) with nothing
    // else to do still sees it finish instead of the event loop ending under it.
    this.worker.ref();
    this.worker.postMessage('close');
    const t = setTimeout(() => { void this.worker.terminate(); }, 2000);
    t.unref();
    await this.exited;
    clearTimeout(t);
  }
}

/**
 * The worker thread. Every intervalMs it peeks at the wal-index header in the -shm file (mxFrame:
 * frames in the WAL; nBackfill: those already copied into the database; layout in
 * https://sqlite.org/walformat.html, native byte order) and runs a PASSIVE checkpoint when
 * minPages frames wait, or any wait and no commit came for quietMs; FULL past restartPages;
 * TRUNCATE once idle. Without a readable header it checkpoints every tick.
 */
function workerMain(): void {
  // Loaded here, in the worker only.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require('fs') as typeof import('fs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const le = (require('os') as typeof import('os')).endianness() === 'LE';
  const { file, shared, intervalMs, idleMs, restartPages, minPages } = workerData as
    { file: string; shared: Float64Array; intervalMs: number; idleMs: number; restartPages: number; minPages: number };
  const quietMs = 4 * intervalMs;
  // FULL and TRUNCATE wait up to 20 ms for the broker's write transaction in progress (they are
  // short) rather than failing at once; a busy one backs off (below). PASSIVE never waits.
  const db = new Database(file, { timeout: 20 });
  db.pragma('wal_autocheckpoint = 0');
  type Result = { busy: number; log: number; checkpointed: number };
  const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  const full = db.prepare('PRAGMA wal_checkpoint(FULL)');
  const truncate = db.prepare('PRAGMA wal_checkpoint(TRUNCATE)');
  let shm = -1; const hdr = Buffer.alloc(100);
  const peek = (): { mxFrame: number; nBackfill: number } | null => {
    try {
      if (shm < 0) shm = fs.openSync(`${file}-shm`, 'r');
      if (fs.readSync(shm, hdr, 0, 100, 0) < 100) return null;
      return le ? { mxFrame: hdr.readUInt32LE(16), nBackfill: hdr.readUInt32LE(96) } : { mxFrame: hdr.readUInt32BE(16), nBackfill: hdr.readUInt32BE(96) };
    } catch { return null; }
  };
  let lastMx = -1; let lastChangeMs = Date.now(); let truncated = false;
  // FULL and TRUNCATE hold the writer's lock while they wait (20 ms) for readers: to reach the
  // WAL's end (FULL) or to end (TRUNCATE). A reader pinned on an old snapshot, or a read
  // transaction left open (another process's long read, a backup), fails them every time, and
  // retrying every tick would hold the broker's COMMITs off most of the time (its event loop
  // waiting in BEGIN IMMEDIATE, or failing with SQLITE_BUSY). After a busy one neither runs for
  // 250 ms, doubling to 5 s; PASSIVE keeps copying meanwhile.
  let fullAfterMs = 0; let fullBackoffMs = 0;
  const locked = (r: Result, now: number): boolean => {
    if (r.busy === 0) { fullBackoffMs = 0; return true; }
    shared[SLOT.busy]++;
    fullBackoffMs = Math.min(5000, Math.max(250, 2 * fullBackoffMs));
    fullAfterMs = now + fullBackoffMs;
    return false;
  };
  let timer: NodeJS.Timeout | null = null;
  const tick = () => {
    const now = Date.now();
    try {
      const p = peek();
      if (p && p.mxFrame !== lastMx) { lastMx = p.mxFrame; lastChangeMs = now; if (p.mxFrame > 0) truncated = false; }
      const pending = p ? p.mxFrame - p.nBackfill : Infinity;
      if (pending >= minPages || (pending > 0 && now - lastChangeMs >= quietMs)) {
        let r = passive.get() as Result;
        if (r.log > 0 && r.checkpointed > 0) shared[SLOT.checkpoints]++;
        if (r.log > restartPages && now >= fullAfterMs) {
          // Commits kept landing during PASSIVE checkpoints, so the WAL never started over: FULL
          // copies the few frames left under the writer's lock.
          r = full.get() as Result;
          if (locked(r, now)) shared[SLOT.fulls]++;
        }
        shared[SLOT.logFrames] = Math.max(0, r.log); shared[SLOT.checkpointed] = Math.max(0, r.checkpointed);
      } else if (p) {
        shared[SLOT.logFrames] = p.mxFrame; shared[SLOT.checkpointed] = p.nBackfill;
        if (!truncated && p.mxFrame > 0 && pending === 0 && now - lastChangeMs >= idleMs && now >= fullAfterMs) {
          // Idle: empty the -wal file (takes the writer's lock briefly, and waits for readers to end).
          if (locked(truncate.get() as Result, now)) { truncated = true; shared[SLOT.truncates]++; }
        }
      }
    } catch {
      shared[SLOT.busy]++; // SQLITE_BUSY (another checkpointer) and the like: next tick
    }
    shared[SLOT.tickMs] = now;
  };
  timer = setInterval(tick, intervalMs);
  parentPort!.on('message', (m) => {
    if (m !== 'close') return;
    if (timer) clearInterval(timer);
    timer = null;
    try { db.close(); } catch { /* closing anyway */ }
    if (shm >= 0) fs.closeSync(shm);
    shared[SLOT.closed] = 1;
    parentPort!.close();
  });
}

if (!isMainThread && (workerData as { pmWalCheckpoint?: boolean } | null)?.pmWalCheckpoint === true) workerMain();
