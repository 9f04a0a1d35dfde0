// Content-addressed artifact files: dataDir/artifacts/<sha256>. An upload goes to a temp file in
// dataDir/artifacts/tmp/, is hashed as it arrives, and is renamed into place only after its size
// and SHA-256 both match what the uploader declared (see Upload.verify / commit).
// With shared blobs (PostgreSQL store, blobs.ts) this directory is the broker's local cache: a
// committed file is published to the shared blobs (publish) before anything refers to it, and a
// file another broker received is pulled in on first use (ensure). With `--blob-dir` the
// directory itself is shared by several brokers.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { SHA256_RE } from '../src/common/hash';
import type { SharedBlobs } from './blobs';

export class UploadError extends Error {}

export interface ArtifactStoreOptions {
  /** A directory several brokers share (`broker --blob-dir`), used instead of DATA/artifacts. */
  sharedDir?: string;
  /** Blobs shared through the store (PostgreSQL); DATA/artifacts is then a local cache of them. */
  shared?: SharedBlobs | null;
}

export class ArtifactStore {
  readonly dir: string;
  readonly tmpDir: string;
  readonly shared: SharedBlobs | null;
  private readonly pulls = new Map<string, Promise<number | null>>();

  constructor(dataDir: string, opts: ArtifactStoreOptions = {}) {
    this.dir = opts.sharedDir ? path.resolve(opts.sharedDir) : path.join(dataDir, 'artifacts');
    // In a shared directory each broker (data dir) has its own temp folder, so that clearing its
    // leftovers at start never touches another broker's upload in progress.
    this.tmpDir = opts.sharedDir
      ? path.join(this.dir, 'tmp', crypto.createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16))
      : path.join(this.dir, 'tmp');
    this.shared = opts.shared ?? null;
    fs.mkdirSync(this.tmpDir, { recursive: true });
    // Leftovers of uploads interrupted by a crash are never valid: remove them.
    for (const f of fs.readdirSync(this.tmpDir)) fs.rmSync(path.join(this.tmpDir, f), { force: true });
  }

  /** Where the bytes live, for the start-up log. */
  describe(): string {
    return this.shared ? `${this.shared.description}, cached in ${this.dir}` : this.dir;
  }

  /**
   * Size of an artifact once it is on this broker's disk, pulling it from the shared blobs first
   * when only another broker received it (chunk by chunk into a temp file, SHA-256 checked, then
   * renamed into place; concurrent calls for one hash share one pull). Null when no complete copy
   * exists anywhere. A corrupt shared copy is an Error (nothing is cached).
   */
  async ensure(sha256: string): Promise<number | null> {
    const local = this.sizeOf(sha256);
    if (local !== null || !this.shared) return local;
    let p = this.pulls.get(sha256);
    if (!p) {
      p = this.pull(sha256).finally(() => this.pulls.delete(sha256));
      this.pulls.set(sha256, p);
    }
    return p;
  }

  private async pull(sha256: string): Promise<number | null> {
    const tmp = path.join(this.tmpDir, `${sha256.slice(0, 16)}-${crypto.randomBytes(6).toString('hex')}.pull`);
    const fh = await fs.promises.open(tmp, 'w');
    let size: number | null = null;
    try {
      size = await this.shared!.get(sha256, async (chunk) => { await fh.write(chunk); });
    } catch (e) {
      await fh.close(); fs.rmSync(tmp, { force: true });
      throw e;
    }
    await fh.close();
    if (size === null) { fs.rmSync(tmp, { force: true }); return null; }
    fs.renameSync(tmp, this.pathOf(sha256));
    return size;
  }

  /** Makes a committed artifact readable by every broker of the store (no-op without shared blobs). */
  async publish(sha256: string): Promise<void> {
    const size = this.sizeOf(sha256);
    if (size === null) throw new UploadError(`artifact ${sha256} is not on this broker's disk: nothing to publish`);
    if (this.shared) await this.shared.put(sha256, size, this.pathOf(sha256));
  }

  /** Moves a verified file (e.g. a c1 part under DATA/c1) into place; copies when it is on another filesystem. */
  adopt(src: string, sha256: string): void {
    try { fs.renameSync(src, this.pathOf(sha256)); return; } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    }
    const tmp = path.join(this.tmpDir, `${sha256.slice(0, 16)}-${crypto.randomBytes(6).toString('hex')}.copy`);
    fs.copyFileSync(src, tmp);
    fs.renameSync(tmp, this.pathOf(sha256));
    fs.rmSync(src, { force: true });
  }

  pathOf(sha256: string): string {
    if (!SHA256_RE.test(sha256)) throw new UploadError(`"${sha256}" is not a lowercase hex SHA-256`);
    return path.join(this.dir, sha256);
  }

  /** Size in bytes of a stored artifact, or null if absent. */
  sizeOf(sha256: string): number | null {
    try { return fs.statSync(this.pathOf(sha256)).size; } catch { return null; }
  }

  begin(label: string, size: number, sha256: string): Upload {
    return new Upload(this, label, size, sha256);
  }
}

/** One artifact being received. write() chunks in order; verify(); commit() or abort(). */
export class Upload {
  readonly tmpPath: string;
  private fd: number | null;
  private readonly hash = crypto.createHash('sha256');
  received = 0;
  private digest: string | null = null;

  constructor(private readonly store: ArtifactStore, readonly label: string, readonly size: number, readonly sha256: string) {
    this.tmpPath = path.join(store.tmpDir, `${sha256.slice(0, 16)}-${crypto.randomBytes(6).toString('hex')}.part`);
    this.fd = fs.openSync(this.tmpPath, 'w');
  }

  write(offset: number, data: Uint8Array): void {
    if (this.fd === null) throw new UploadError(`artifact ${this.label}: chunk after the upload was closed`);
    if (offset !== this.received) {
      throw new UploadError(`artifact ${this.label}: chunk at offset ${offset}, expected ${this.received} (chunks must arrive in order without gaps)`);
    }
    if (this.received + data.length > this.size) {
      throw new UploadError(`artifact ${this.label}: received more than the declared ${this.size} bytes`);
    }
    let done = 0;
    while (done < data.length) done += fs.writeSync(this.fd, data, done, data.length - done);
    this.hash.update(data);
    this.received += data.length;
  }

  /** Closes the temp file and checks size and hash; throws UploadError saying expected vs actual. */
  verify(): void {
    if (this.fd !== null) { fs.closeSync(this.fd); this.fd = null; }
    if (this.received !== this.size) {
      throw new UploadError(`artifact ${this.label}: upload truncated: declared ${this.size} bytes, received ${this.received}`);
    }
    this.digest = this.hash.digest('hex');
    if (this.digest !== this.sha256) {
      throw new UploadError(`artifact ${this.label}: sha256 mismatch: declared ${this.sha256}, received bytes hash to ${this.digest}`);
    }
  }

  /** Moves the verified temp file to artifacts/<sha256>. */
  commit(): string {
    if (this.digest !== this.sha256) throw new UploadError(`artifact ${this.label}: commit before a successful verify`);
    const dest = this.store.pathOf(this.sha256);
    fs.renameSync(this.tmpPath, dest);
    return dest;
  }

  abort(): void {
    if (this.fd !== null) { try { fs.closeSync(this.fd); } catch { /* already closed */ } this.fd = null; }
    fs.rmSync(this.tmpPath, { force: true });
  }
}
