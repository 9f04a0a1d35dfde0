// SHA-256 helpers: all hashes in proofmarket are lowercase hex of the exact bytes.
import * as crypto from 'crypto';
import * as fs from 'fs';

export const SHA256_RE = /^[0-9a-f]{64}$/;

export function sha256Hex(data: Uint8Array | string): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** Streams a file through SHA-256; returns hash and size. */
export async function sha256File(file: string): Promise<{ sha256: string; size: number }> {
  const h = crypto.createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file)) {
    const b = chunk as Buffer;
    size += b.length;
    h.update(b);
  }
  return { sha256: h.digest('hex'), size };
}

export function isSha256Hex(s: string): boolean { return SHA256_RE.test(s); }
