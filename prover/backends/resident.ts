// Resident proving keys: the native backends keep opened zkeys across jobs of the same circuit,
// so the second proof pays no open, mapping or point validation (pm_zkey_open checks every point
// of the key once; a proof then uses them as they are). Bounded by a memory budget in bytes (a key
// counts its file size: the engine maps the whole file and the validation pages it all in); the
// least recently used idle key is closed first. A key in use by a running proof is never closed
// under it: it is closed when its last user releases it. A file replaced on disk (other size or
// mtime) is opened afresh; the old handle is closed once idle.

import * as fs from 'fs';
import * as os from 'os';
import { NativeEngine, Zkey } from '../../native/binding/native';

/** Default budget: PM_RESIDENT_ZKEY_BYTES when set (0 keeps no key between jobs), else a quarter
 * of the machine's memory. */
export function defaultResidentBudget(): number {
  const env = process.env.PM_RESIDENT_ZKEY_BYTES;
  if (env !== undefined && env !== '') {
    const v = Number(env);
    if (!Number.isFinite(v) || v < 0) {
      throw new Error(`PM_RESIDENT_ZKEY_BYTES must be a number of bytes >= 0, got "${env}"`);
    }
    return Math.floor(v);
  }
  return Math.floor(os.totalmem() / 4);
}

interface Entry {
  path: string;
  stamp: string;     // size:mtimeMs of the file that was opened
  bytes: number;     // file size: what the mapping holds in memory
  zkey: Promise<Zkey>;
  users: number;
  retired: boolean;  // out of the map (evicted or replaced): close when the last user is done
}

/** A key lent to one job: call release() exactly once when the proof is done. */
export interface ZkeyLease {
  readonly zkey: Zkey;
  /** true when the key was already open (no open, no validation for this job). */
  readonly resident: boolean;
  release(): void;
}

export interface ResidentStats {
  hits: number;
  misses: number;
  evictions: number;
  /** bytes of the keys kept (in use or idle), by file size */
  residentBytes: number;
  budgetBytes: number;
  /** paths, least recently used first */
  keys: string[];
}

export class ResidentZkeys {
  private readonly entries = new Map<string, Entry>(); // insertion order = LRU first
  private hits = 0;
  private misses = 0;
  private evictions = 0;
  private closed = false;
  private owners = 0;

  /** budgetBytes: how many bytes of keys to keep open between jobs (>= 0). */
  constructor(private readonly engine: Pick<NativeEngine, 'openZkey'>, readonly budgetBytes: number) {
    if (!(budgetBytes >= 0)) throw new Error(`resident key budget must be >= 0 bytes, got ${budgetBytes}`);
  }

  /** The opened key for a path, opening it when it is not resident (rejects as openZkey does). */
  async acquire(zkeyPath: string): Promise<ZkeyLease> {
    if (this.closed) throw new Error('the resident key cache is closed');
    const st = fs.statSync(zkeyPath);
    const stamp = `${st.size}:${st.mtimeMs}`;
    let e = this.entries.get(zkeyPath);
    let resident = true;
    if (e && e.stamp !== stamp) {
      this.retire(e);
      e = undefined;
    }
    if (e) {
      this.hits++;
      this.entries.delete(zkeyPath); // most recently used goes last
      this.entries.set(zkeyPath, e);
    } else {
      this.misses++;
      resident = false;
      e = { path: zkeyPath, stamp, bytes: st.size, zkey: this.engine.openZkey(zkeyPath), users: 0, retired: false };
      this.entries.set(zkeyPath, e);
    }
    e.users++;
    const entry = e;
    let zkey: Zkey;
    try {
      zkey = await entry.zkey;
    } catch (err) {
      entry.users--;
      if (this.entries.get(zkeyPath) === entry) this.entries.delete(zkeyPath);
      throw err;
    }
    this.evict();
    let released = false;
    return {
      zkey,
      resident,
      release: () => {
        if (released) return;
        released = true;
        entry.users--;
        if (entry.retired) this.closeIfIdle(entry);
        this.evict();
      },
    };
  }

  stats(): ResidentStats {
    let bytes = 0;
    for (const e of this.entries.values()) bytes += e.bytes;
    return {
      hits: this.hits, misses: this.misses, evictions: this.evictions,
      residentBytes: bytes, budgetBytes: this.budgetBytes, keys: [...this.entries.keys()],
    };
  }

  /** For backends sharing this cache: the returned function closes the cache when the last
   * backend that attached calls it. */
  attach(): () => Promise<void> {
    this.owners++;
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      if (--this.owners === 0) await this.close();
    };
  }

  /** Closes every key now (proofs still running finish first: the engine defers the close). */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const e of all) {
      e.retired = true;
      try { (await e.zkey).close(); } catch { /* it never opened */ }
    }
  }

  // Least recently used idle keys out until the kept keys fit the budget.
  private evict(): void {
    let bytes = 0;
    for (const e of this.entries.values()) bytes += e.bytes;
    for (const e of [...this.entries.values()]) {
      if (bytes <= this.budgetBytes) break;
      if (e.users > 0) continue;
      bytes -= e.bytes;
      this.evictions++;
      this.retire(e);
    }
  }

  private retire(e: Entry): void {
    if (this.entries.get(e.path) === e) this.entries.delete(e.path);
    e.retired = true;
    this.closeIfIdle(e);
  }

  private closeIfIdle(e: Entry): void {
    if (e.users > 0) return;
    e.zkey.then((z) => z.close(), () => {});
  }
}
