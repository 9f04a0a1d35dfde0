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

/**
 * A time-ordered id: `prefix`, the time in ms as 12 hex digits, then `randomBytes` random bytes as
 * hex (from the pool above). Ids made later sort after earlier ones (to the ms), so as a primary
 * key or indexed column each insert lands on the right edge of the B-tree instead of dirtying a
 * random page; the random part keeps them unguessable (knowing one id tells nothing about the next).
 */
export function timeOrderedId(prefix: string, randomBytes: number): string {
  return prefix + Date.now().toString(16).padStart(12, '0') + randomHex(randomBytes);
}

/** A job id: `j_`, 12 hex digits of ms time, 64 random bits (30 characters). A partition's id appends `.K`. */
export function newJobId(): string { return timeOrderedId('j_', 8); }

/**
 * A lease token (the capability a prover presents with its progress and result): 12 hex digits of
 * ms time and 96 random bits, 36 characters (as long as the UUID it replaces).
 */
export function newLeaseToken(): string { return timeOrderedId('', 12); }

/**
 * A request id for a client that gave none (the client library's default, the broker's `auto-…`):
 * time-ordered like a lease token, so the (owner, request id) index also grows at its right edge.
 */
export function newRequestId(): string { return timeOrderedId('', 12); }
