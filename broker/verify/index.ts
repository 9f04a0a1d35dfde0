// Groth16 verification for the broker: a pool of worker_threads running mcl (one per core and
// curve, started on demand), fed from one queue per verification key. Proofs of one circuit that
// wait together are sent to a worker as one batch and checked with one random linear combination
// (groth16-mcl.ts). Batches form by themselves under load: proofs asked for in one event-loop
// turn are handed out together (dispatch runs on setImmediate), and while a worker is busy a short
// queue (under minSplit proofs) waits for the first worker to come free rather than waking another
// worker on a batch of one or two. A single check costs ~3x a batched proof's share (bench:verify:
// 179 vs 491 proofs per CPU-second), and on a small machine the cores the verifiers do not burn
// are the broker's own; an idle pool still checks a lone proof at once.
//
// The broker calls verify() once per result, exactly as it called the snarkjs child before
// (snarkjs.ts, kept as the reference the tests and the benchmark compare against).
import * as crypto from 'crypto';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { parseCurve, type CurveName } from '../../src/common/curves';
import type { BatchMessage, BatchReply, VkeyMessage } from './mcl-worker';
import { checkProofShape, parseVkey, type ParsedProof, type ParsedVkey, type Verdict } from './shape';

export { checkProofShape, type Verdict } from './shape';
export { SnarkjsVerifier } from './snarkjs';

export interface VerifierOptions {
  /** Worker threads per curve (default: os.availableParallelism()). */
  threads?: number;
  /** Most proofs checked in one multi-pairing (default 64). */
  maxBatch?: number;
  /**
   * While a worker is busy, another one starts only on a queue of at least this many proofs
   * (default 16); shorter queues wait for the next free worker and go as one batch. 1 = the old
   * policy (every idle worker takes a share at once).
   */
  minSplit?: number;
}

/** Totals since start: proofs verified, batches, failed batches (each then checked one by one), single checks. */
export interface VerifierStats { proofs: number; batches: number; batchFailures: number; singles: number }

interface Item { proof: ParsedProof; resolve: (v: Verdict) => void }
interface VkeyEntry { key: number; vkey: ParsedVkey }
interface Slot { worker: Worker; busy: Item[] | null; keys: Set<number>; dead: boolean }
interface Pool { slots: Slot[]; queues: Map<number, Item[]>; vkeys: Map<number, ParsedVkey>; queued: number; pending: NodeJS.Immediate | null }

export class Verifier {
  private readonly threads: number;
  private readonly maxBatch: number;
  private readonly minSplit: number;
  private readonly vkeyIds = new WeakMap<object, VkeyEntry | string>();
  private readonly byDigest = new Map<string, VkeyEntry | string>();
  private readonly pools = new Map<CurveName, Pool>();
  private nextKey = 1;
  private nextId = 1;
  private closed = false;
  private readonly totals: VerifierStats = { proofs: 0, batches: 0, batchFailures: 0, singles: 0 };

  constructor(opts: VerifierOptions = {}) {
    this.threads = Math.max(1, opts.threads ?? os.availableParallelism());
    this.maxBatch = Math.max(1, opts.maxBatch ?? 64);
    this.minSplit = Math.max(1, opts.minSplit ?? 16);
  }

  /**
   * Verifies proof/public JSON (snarkjs format) against a parsed vkey.json object. Resolves
   * {ok: true} or {ok: false, reason}; a reason starting "verifier unavailable" means the check
   * did not run (a worker died or the verifier was closed), not that the proof is wrong.
   * Pass the same vkey object for proofs of one circuit: it is prepared once per worker and
   * proofs sharing it are batched.
   */
  async verify(vkey: unknown, proofJson: string, publicJson: string, nPublic: number): Promise<Verdict> {
    const entry = this.entry(vkey);
    if (typeof entry === 'string') return { ok: false, reason: entry };
    if (entry.vkey.nPublic !== nPublic) return { ok: false, reason: `verification key has ${entry.vkey.nPublic} public signals, the circuit has ${nPublic}` };
    const shape = checkProofShape(proofJson, publicJson, nPublic, entry.vkey.curve);
    // A proof that is not well formed is never the witness's fault: the judge (judge.ts) reads the prefix.
    if (typeof shape === 'string') return { ok: false, reason: `malformed proof: ${shape}` };
    if (this.closed) return { ok: false, reason: 'verifier unavailable: verifier closed' };
    const pool = this.pool(entry.vkey.curve);
    return new Promise<Verdict>((resolve) => {
      let q = pool.queues.get(entry.key);
      if (!q) { q = []; pool.queues.set(entry.key, q); pool.vkeys.set(entry.key, entry.vkey); }
      q.push({ proof: shape.parsed, resolve });
      pool.queued++;
      // Later in this turn: the proofs of results that settled together (one group commit) go as one batch.
      const curve = entry.vkey.curve;
      if (!pool.pending) pool.pending = setImmediate(() => { pool.pending = null; this.dispatch(pool, curve); });
    });
  }

  /** Starts one worker for a curve now ("bn128" | "bls12381" | "bn254" | "bls12-381"), so the first proof does not wait for mcl to load. */
  warm(curve: string): void {
    const c = parseCurve(curve);
    if (!c || this.closed) return;
    const pool = this.pool(c);
    if (pool.slots.length === 0) this.spawn(pool, c);
  }

  stats(): VerifierStats { return { ...this.totals }; }

  async close(): Promise<void> {
    this.closed = true;
    const all: Promise<number>[] = [];
    for (const pool of this.pools.values()) {
      for (const q of pool.queues.values()) for (const it of q) it.resolve({ ok: false, reason: 'verifier unavailable: verifier closed' });
      pool.queues.clear(); pool.queued = 0;
      if (pool.pending) { clearImmediate(pool.pending); pool.pending = null; }
      for (const s of pool.slots) { s.dead = true; this.fail(s, 'verifier closed'); all.push(s.worker.terminate()); }
      pool.slots = [];
    }
    await Promise.all(all);
  }

  /**
   * The pool's entry for a vkey object: cached per object, and shared by objects with the same
   * content (sha256 of its JSON), so callers that parse the vkey again still batch together and
   * workers prepare each distinct key once.
   */
  private entry(vkey: unknown): VkeyEntry | string {
    if (!vkey || typeof vkey !== 'object') return 'verification key is not an object';
    let e = this.vkeyIds.get(vkey);
    if (!e) {
      const digest = crypto.createHash('sha256').update(JSON.stringify(vkey)).digest('hex');
      e = this.byDigest.get(digest);
      if (!e) {
        try { e = { key: this.nextKey++, vkey: parseVkey(vkey) }; } catch (err) { e = `bad verification key: ${(err as Error).message}`; }
        this.byDigest.set(digest, e);
      }
      this.vkeyIds.set(vkey, e);
    }
    return e;
  }

  private pool(curve: CurveName): Pool {
    let p = this.pools.get(curve);
    if (!p) { p = { slots: [], queues: new Map(), vkeys: new Map(), queued: 0, pending: null }; this.pools.set(curve, p); }
    return p;
  }

  private spawn(pool: Pool, curve: CurveName): Slot {
    const worker = new Worker(path.join(__dirname, 'mcl-worker.js'), { workerData: { curve } });
    const slot: Slot = { worker, busy: null, keys: new Set(), dead: false };
    worker.unref();
    worker.on('message', (m: BatchReply) => {
      const items = slot.busy;
      slot.busy = null; worker.unref();
      if (!items) return;
      this.totals.proofs += items.length; this.totals.batches += m.stats.batches;
      this.totals.batchFailures += m.stats.batchFailures; this.totals.singles += m.stats.singles;
      items.forEach((it, i) => it.resolve(m.verdicts[i] ?? { ok: false, reason: 'verifier unavailable: no verdict' }));
      this.dispatch(pool, curve);
    });
    const die = (why: string) => {
      if (slot.dead) return;
      slot.dead = true;
      pool.slots = pool.slots.filter((s) => s !== slot);
      this.fail(slot, why);
      if (!this.closed) this.dispatch(pool, curve);
    };
    worker.on('error', (e) => die(`verifier thread failed: ${e.message}`));
    worker.on('exit', (code) => die(`verifier thread exited with code ${code}`));
    pool.slots.push(slot);
    return slot;
  }

  private fail(slot: Slot, why: string): void {
    const items = slot.busy; slot.busy = null;
    if (items) for (const it of items) it.resolve({ ok: false, reason: `verifier unavailable: ${why}` });
  }

  /**
   * Hands queued proofs to idle workers: one key per batch (keys take turns). The queue is split
   * among idle workers only in shares of at least minSplit proofs; while any worker is busy, a
   * queue shorter than minSplit waits for the next one to come free.
   */
  private dispatch(pool: Pool, curve: CurveName): void {
    while (!this.closed && pool.queues.size > 0) {
      const busy = pool.slots.some((s) => s.busy);
      if (busy && pool.queued < this.minSplit) return;
      let idle = pool.slots.filter((s) => !s.busy);
      if (idle.length === 0 && pool.slots.length < this.threads) idle = [this.spawn(pool, curve)];
      if (idle.length === 0) return;
      const free = idle.length + (this.threads - pool.slots.length);
      const [key, q] = pool.queues.entries().next().value as [number, Item[]];
      const n = Math.min(this.maxBatch, q.length, Math.max(this.minSplit, Math.ceil(q.length / free)));
      const items = q.splice(0, n);
      pool.queued -= items.length;
      const vkey = pool.vkeys.get(key)!;
      pool.queues.delete(key);
      if (q.length > 0) pool.queues.set(key, q); // to the back: keys take turns
      else pool.vkeys.delete(key); // re-added with the next proof of this key
      const slot = idle[0];
      if (!slot.keys.has(key)) {
        slot.worker.postMessage({ op: 'vkey', key, vkey } as VkeyMessage);
        slot.keys.add(key);
      }
      slot.busy = items; slot.worker.ref();
      slot.worker.postMessage({ op: 'verify', id: this.nextId++, key, proofs: items.map((it) => it.proof) } as BatchMessage);
    }
  }
}
