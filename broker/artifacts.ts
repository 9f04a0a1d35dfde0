// Content-addressed artifact files: dataDir/artifacts/<sha256>. An upload goes to a temp file in
// dataDir/artifacts/tmp/, is hashed as it arrives, and is renamed into place only after its size
// and SHA-256 both match what the uploader declared (see Upload.verify / commit).
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { SHA256_RE } from '../src/common/hash';

export class UploadError extends Error {}

export class ArtifactStore {
  readonly dir: string;
  readonly tmpDir: string;
  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'artifacts');
    this.tmpDir = path.join(this.dir, 'tmp');
    fs.mkdirSync(this.tmpDir, { recursive: true });
    // Leftovers of uploads interrupted by a crash are never valid: remove them.
    for (const f of fs.readdirSync(this.tmpDir)) fs.rmSync(path.join(this.tmpDir, f), { force: true });
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
