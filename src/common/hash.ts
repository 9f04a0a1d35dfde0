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

/** Random bytes drawn ahead (one CSPRNG call per 4 KiB instead of one per id). */
const POOL = Buffer.alloc(4096);
let poolAt = POOL.length;

/**
 * `bytes` (1..256) random bytes as lowercase hex, from the CSPRNG (crypto.randomFillSync) like
 * crypto.randomBytes(bytes).toString('hex'), drawn from a pool refilled 4 KiB at a time: ids made
 * per request (job ids) then cost no native call each.
 */
export function randomHex(bytes: number): string {
  if (!(bytes >= 1 && bytes <= 256)) throw new RangeError(`randomHex: 1..256 bytes, got ${bytes}`);
  if (poolAt + bytes > POOL.length) { crypto.randomFillSync(POOL); poolAt = 0; }
  const hex = POOL.toString('hex', poolAt, poolAt + bytes);
  POOL.fill(0, poolAt, poolAt + bytes); // a byte handed out is not kept
  poolAt += bytes;
  return hex;
}
