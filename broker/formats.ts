// Readers for the snarkjs/circom binary formats the broker checks at registration and submit:
// zkey (Groth16 header), r1cs (header), wtns (header + length), and circom .sym files.
// All are "binfile" containers: 4-byte magic, u32 version, u32 nSections, then per section
// u32 type, u64 size, data. Integers are little-endian; field elements are n8-byte LE.
import * as fs from 'fs';
import { CURVES, curveFromQ, type CurveName } from '../src/common/curves';

export class FormatError extends Error {}

export interface Section { type: number; offset: number; size: number }

/** Random access to a file with bounds checks that raise FormatError naming the file kind. */
export class Reader {
  constructor(private readonly fd: number, readonly size: number, private readonly what: string) {}
  bytes(offset: number, len: number): Buffer {
    if (offset < 0 || len < 0 || offset + len > this.size) {
      throw new FormatError(`${this.what}: truncated (needs bytes ${offset}..${offset + len}, file has ${this.size})`);
    }
    const b = Buffer.alloc(len);
    let got = 0;
    while (got < len) {
      const n = fs.readSync(this.fd, b, got, len - got, offset + got);
      if (n <= 0) throw new FormatError(`${this.what}: short read at ${offset + got}`);
      got += n;
    }
    return b;
  }
  u32(offset: number): number { return this.bytes(offset, 4).readUInt32LE(0); }
}

export function withFile<T>(file: string, what: string, fn: (r: Reader) => T): T {
  const fd = fs.openSync(file, 'r');
  try { return fn(new Reader(fd, fs.fstatSync(fd).size, what)); } finally { fs.closeSync(fd); }
}

export function readSections(r: Reader, magic: string, what: string): Map<number, Section[]> {
  if (r.size < 12) throw new FormatError(`${what}: file too short (${r.size} bytes) to be a ${magic} file`);
  const m = r.bytes(0, 4).toString('latin1');
  if (m !== magic) throw new FormatError(`${what}: bad magic "${m.replace(/[^\x20-\x7e]/g, '?')}", expected "${magic}"`);
  const nSections = r.u32(8);
  const map = new Map<number, Section[]>();
  let off = 12;
  for (let i = 0; i < nSections; i++) {
    const h = r.bytes(off, 12);
    const type = h.readUInt32LE(0);
    const size = Number(h.readBigUInt64LE(4));
    off += 12;
    if (off + size > r.size) throw new FormatError(`${what}: section ${type} claims ${size} bytes but the file ends at ${r.size} (truncated?)`);
    const list = map.get(type) ?? [];
    list.push({ type, offset: off, size });
    map.set(type, list);
    off += size;
  }
  return map;
}

function one(map: Map<number, Section[]>, type: number, what: string): Section {
  const s = map.get(type);
  if (!s || s.length === 0) throw new FormatError(`${what}: section ${type} missing`);
  if (s.length > 1) throw new FormatError(`${what}: section ${type} appears ${s.length} times`);
  return s[0];
}

export function leToBig(b: Buffer): bigint {
  let x = 0n;
  for (let i = b.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[i]);
  return x;
}

export function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n; b %= m;
  while (e > 0n) { if (e & 1n) r = (r * b) % m; b = (b * b) % m; e >>= 1n; }
  return r;
}

export interface ZkeyInfo {
  protocol: 'groth16';
  curve: CurveName;
  n8q: number;
  n8r: number;
  nVars: number;
  nPublic: number;
  domainSize: number;
  domainLog2: number;
  /** Constraints of the source circuit, from the largest constraint index in the coefficient section. */
  constraints: number;
  /** vk_alpha_1 as canonical decimal [x, y] (converted from the zkey's Montgomery form). */
  alpha1: [string, string];
}

const PROTOCOLS: Record<number, string> = { 1: 'groth16', 2: 'plonk', 10: 'fflonk' };

/** Parses the header of a snarkjs zkey. Throws FormatError for anything but a sound Groth16 key. */
export function readZkeyInfo(file: string): ZkeyInfo {
  const what = 'zkey';
  return withFile(file, what, (r) => {
    const secs = readSections(r, 'zkey', what);
    const s1 = one(secs, 1, what);
    if (s1.size < 4) throw new FormatError(`${what}: header section too short`);
    const proto = r.u32(s1.offset);
    if (proto !== 1) {
      throw new FormatError(`zkey is not a Groth16 key: its protocol is ${PROTOCOLS[proto] ?? `#${proto}`} (only groth16 is supported)`);
    }
    const s2 = one(secs, 2, what);
    let o = s2.offset;
    const n8q = r.u32(o); o += 4;
    const q = leToBig(r.bytes(o, n8q)); o += n8q;
    const n8r = r.u32(o); o += 4;
    const rr = leToBig(r.bytes(o, n8r)); o += n8r;
    const nVars = r.u32(o); o += 4;
    const nPublic = r.u32(o); o += 4;
    const domainSize = r.u32(o); o += 4;
    const curve = curveFromQ(q);
    if (!curve) throw new FormatError(`zkey: unknown curve (base field modulus ${q.toString().slice(0, 20)}…); supported: BN254, BLS12-381`);
    if (CURVES[curve].r !== rr) throw new FormatError(`zkey: scalar field modulus does not match ${CURVES[curve].label}`);
    if (domainSize === 0 || (domainSize & (domainSize - 1)) !== 0) throw new FormatError(`zkey: domain size ${domainSize} is not a power of two`);
    if (nPublic + 1 > nVars) throw new FormatError(`zkey: nPublic ${nPublic} does not fit nVars ${nVars}`);
    // alpha1 in Montgomery form (R = 2^(8*n8q)): canonical = mont * R^-1 mod q.
    const ax = leToBig(r.bytes(o, n8q)); const ay = leToBig(r.bytes(o + n8q, n8q));
    const R = 1n << BigInt(8 * n8q);
    const Rinv = modPow(R % q, q - 2n, q);
    const alpha1: [string, string] = [((ax * Rinv) % q).toString(), ((ay * Rinv) % q).toString()];
    // Coefficients (section 4): u32 count, then {u32 matrix, u32 constraint, u32 signal, n8r value}.
    // snarkjs appends one constraint per public signal (and one for the constant), so
    // constraints = (largest constraint index + 1) - (nPublic + 1).
    let constraints = 0;
    const s4 = secs.get(4)?.[0];
    if (s4) {
      const nCoef = r.u32(s4.offset);
      const rec = 12 + n8r;
      if (4 + nCoef * rec > s4.size) throw new FormatError(`zkey: coefficient section shorter than its ${nCoef} entries`);
      let maxC = -1;
      const perRead = Math.max(1, Math.floor((1 << 20) / rec));
      for (let i = 0; i < nCoef; i += perRead) {
        const n = Math.min(perRead, nCoef - i);
        const b = r.bytes(s4.offset + 4 + i * rec, n * rec);
        for (let k = 0; k < n; k++) { const c = b.readUInt32LE(k * rec + 4); if (c > maxC) maxC = c; }
      }
      constraints = Math.max(0, maxC + 1 - (nPublic + 1));
    }
    return {
      protocol: 'groth16', curve, n8q, n8r, nVars, nPublic, domainSize, domainLog2: Math.log2(domainSize),
      constraints, alpha1,
    };
  });
}

export interface R1csInfo {
  curve: CurveName;
  nWires: number;
  nPubOut: number;
  nPubIn: number;
  nPrvIn: number;
  nLabels: number;
  nConstraints: number;
}

export function readR1csInfo(file: string): R1csInfo {
  const what = 'r1cs';
  return withFile(file, what, (r) => {
    const secs = readSections(r, 'r1cs', what);
    const s1 = one(secs, 1, what);
    let o = s1.offset;
    const n8 = r.u32(o); o += 4;
    const prime = leToBig(r.bytes(o, n8)); o += n8;
    const curve = (Object.values(CURVES).find((c) => c.r === prime) ?? null)?.name;
    if (!curve) throw new FormatError('r1cs: its prime is not the scalar field of BN254 or BLS12-381');
    const b = r.bytes(o, 28);
    return {
      curve, nWires: b.readUInt32LE(0), nPubOut: b.readUInt32LE(4), nPubIn: b.readUInt32LE(8), nPrvIn: b.readUInt32LE(12),
      nLabels: Number(b.readBigUInt64LE(16)), nConstraints: b.readUInt32LE(24),
    };
  });
}

export interface WtnsInfo { prime: bigint; n8: number; nWitness: number }

/** Checks a .wtns image in memory: header, prime, and that section 2 holds nWitness values. */
export function readWtnsInfo(buf: Uint8Array): WtnsInfo {
  const what = 'witness';
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 12) throw new FormatError(`${what}: ${b.length} bytes is too short to be a .wtns file`);
  if (b.toString('latin1', 0, 4) !== 'wtns') throw new FormatError(`${what}: bad magic, expected "wtns" (is this a snarkjs .wtns file?)`);
  const n = b.readUInt32LE(8);
  let off = 12; let s1: [number, number] | null = null; let s2: [number, number] | null = null;
  for (let i = 0; i < n; i++) {
    if (off + 12 > b.length) throw new FormatError(`${what}: truncated section header`);
    const type = b.readUInt32LE(off); const size = Number(b.readBigUInt64LE(off + 4)); off += 12;
    if (off + size > b.length) throw new FormatError(`${what}: section ${type} claims ${size} bytes but only ${b.length - off} remain (truncated?)`);
    if (type === 1) s1 = [off, size]; else if (type === 2) s2 = [off, size];
    off += size;
  }
  if (!s1 || !s2) throw new FormatError(`${what}: missing ${!s1 ? 'header' : 'values'} section`);
  const n8 = b.readUInt32LE(s1[0]);
  if (s1[1] < 8 + n8) throw new FormatError(`${what}: header section too short`);
  const prime = leToBig(b.subarray(s1[0] + 4, s1[0] + 4 + n8));
  const nWitness = b.readUInt32LE(s1[0] + 4 + n8);
  if (s2[1] !== nWitness * n8) throw new FormatError(`${what}: values section has ${s2[1]} bytes, expected ${nWitness} × ${n8}`);
  return { prime, n8, nWitness };
}

export interface SymEntry { labelIdx: number; wireIdx: number; component: number; name: string }

export function parseSym(text: string): SymEntry[] {
  const out: SymEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].trim();
    if (!l) continue;
    const parts = l.split(',');
    if (parts.length < 4) throw new FormatError(`sym: line ${i + 1} is not "label,wire,component,name"`);
    const [a, w, c] = parts.slice(0, 3).map(Number);
    if (![a, w, c].every(Number.isInteger)) throw new FormatError(`sym: line ${i + 1} has non-integer indexes`);
    out.push({ labelIdx: a, wireIdx: w, component: c, name: parts.slice(3).join(',') });
  }
  return out;
}
