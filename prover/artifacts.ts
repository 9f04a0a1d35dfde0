// Content-addressed artifact cache: `dataDir/cache/<sha256>`. Downloads over ProverHub.FetchArtifact
// in chunks, resumes a broken download from the bytes already on disk (`<sha256>.part`), checks the
// SHA-256 of the whole file before it is renamed into place, and shares one download between
// concurrent callers asking for the same hash.

import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ProverHubGrpcClient } from '../src/common';

export interface FetchOptions {
  /** Expected size in bytes, when the caller knows it (from the circuit's artifact list). */
  size?: number;
  /** Attempts before giving up (each resumes where the last stopped). */
  attempts?: number;
  signal?: AbortSignal;
}

export class ArtifactCache {
  readonly dir: string;
  private inflight = new Map<string, Promise<string>>();

  constructor(dataDir: string, private client: () => ProverHubGrpcClient, private log: (l: string) => void = () => {}) {
    this.dir = path.join(dataDir, 'cache');
    fs.mkdirSync(this.dir, { recursive: true });
  }

  pathOf(sha256: string): string {
    return path.join(this.dir, sha256);
  }

  /** Returns the local path of the artifact, downloading it first if it is not cached. */
  get(sha256: string, opts: FetchOptions = {}): Promise<string> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) return Promise.reject(new Error(`bad artifact hash "${sha256}"`));
    const final = this.pathOf(sha256);
    if (fs.existsSync(final)) return Promise.resolve(final);
    let p = this.inflight.get(sha256);
    if (!p) {
      p = this.download(sha256, opts).finally(() => this.inflight.delete(sha256));
      this.inflight.set(sha256, p);
    }
    return p;
  }

  private async download(sha256: string, opts: FetchOptions): Promise<string> {
    const final = this.pathOf(sha256);
    const part = final + '.part';
    const attempts = opts.attempts ?? 6;
    let lastErr: Error | null = null;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (opts.signal?.aborted) throw new Error('download aborted');
      let have = fs.existsSync(part) ? fs.statSync(part).size : 0;
      if (opts.size !== undefined && have > opts.size) {
        fs.rmSync(part, { force: true });
        have = 0;
      }
      try {
        const total = await this.fetchFrom(sha256, part, have, opts.signal);
        const got = fs.statSync(part).size;
        if (got !== total) throw new Error(`artifact ${sha256.slice(0, 12)}: stream ended at ${got} of ${total} bytes`);
        const digest = await hashFile(part);
        if (digest !== sha256) {
          fs.rmSync(part, { force: true });
          throw new Error(`artifact ${sha256.slice(0, 12)}: downloaded bytes hash to ${digest.slice(0, 12)}`);
        }
        fs.renameSync(part, final);
        return final;
      } catch (err) {
        lastErr = err as Error;
        const code = (err as { code?: number }).code;
        if (code === 5 /* NOT_FOUND */ || code === 3 /* INVALID_ARGUMENT */) break;
        const wait = Math.min(2000, 100 * 2 ** attempt);
        this.log(`fetch ${sha256.slice(0, 12)} failed (${lastErr.message}); resuming in ${wait} ms`);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
    throw new Error(`could not fetch artifact ${sha256}: ${lastErr?.message ?? 'unknown error'}`);
  }

  /** Streams bytes from `offset` onwards into `part`; resolves with the artifact's total size. */
  private fetchFrom(sha256: string, part: string, offset: number, signal?: AbortSignal): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const fd = fs.openSync(part, offset > 0 ? 'r+' : 'w');
      let pos = offset;
      let total = -1;
      let settled = false;
      const finish = (err: Error | null): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        try { fs.closeSync(fd); } catch { /* already closed */ }
        if (err) reject(err);
        else if (total < 0 && pos === 0) resolve(0);
        else resolve(total < 0 ? pos : total);
      };
      const call = this.client().FetchArtifact({ sha256, offset: String(offset) });
      const onAbort = (): void => { call.cancel(); finish(new Error('download aborted')); };
      signal?.addEventListener('abort', onAbort);
      call.on('data', (msg) => {
        try {
          const at = Number(msg.offset);
          total = Number(msg.size);
          if (at !== pos) throw new Error(`artifact chunk at offset ${at}, expected ${pos}`);
          fs.writeSync(fd, msg.data, 0, msg.data.length, pos);
          pos += msg.data.length;
        } catch (err) {
          call.cancel();
          finish(err as Error);
        }
      });
      call.on('error', (err) => finish(err));
      call.on('end', () => finish(null));
    });
  }
}

function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = crypto.createHash('sha256');
    fs.createReadStream(file).on('data', (c) => h.update(c)).on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}
