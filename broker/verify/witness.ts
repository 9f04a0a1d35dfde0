// A witness as the statement it proves: the values of a snarkjs .wtns file, its public signals
// (wires 1..nPublic: circom puts the outputs first, then the public inputs), and whether it
// satisfies a circuit's R1CS (A·w × B·w = C·w for every constraint, mod r).
//
// Pure functions over buffers, used by the witness workers (witness-worker.ts) and by tests.
// .wtns: "wtns" binfile; section 1: u32 n8, n8-byte prime, u32 nWitness; section 2: nWitness
// n8-byte little-endian values (canonical, not Montgomery).
// .r1cs: "r1cs" binfile; section 1: u32 n8, prime, u32 nWires, nPubOut, nPubIn, nPrvIn, u64
// nLabels, u32 nConstraints; section 2: per constraint the linear combinations A, B, C, each
// u32 nTerms then nTerms × (u32 wire, n8-byte LE canonical coefficient).

export class WitnessFormatError extends Error {}

interface BinSection { offset: number; size: number }

function binSections(b: Buffer, magic: string, what: string): Map<number, BinSection> {
  if (b.length < 12 || b.toString('latin1', 0, 4) !== magic) throw new WitnessFormatError(`${what}: not a ${magic} file`);
  const n = b.readUInt32LE(8);
  const out = new Map<number, BinSection>();
  let off = 12;
  for (let i = 0; i < n; i++) {
    if (off + 12 > b.length) throw new WitnessFormatError(`${what}: truncated section header`);
    const type = b.readUInt32LE(off); const size = Number(b.readBigUInt64LE(off + 4)); off += 12;
    if (off + size > b.length) throw new WitnessFormatError(`${what}: section ${type} is truncated`);
    if (!out.has(type)) out.set(type, { offset: off, size });
    off += size;
  }
  return out;
}

/** n8 little-endian bytes at `off` as a bigint (n8 a multiple of 8). */
export function readLe(b: Buffer, off: number, n8: number): bigint {
  let x = 0n;
  for (let i = n8 - 8; i >= 0; i -= 8) x = (x << 64n) | b.readBigUInt64LE(off + i);
  return x;
}

export interface Witness { prime: bigint; values: bigint[] }

/** Decodes a .wtns image. Values are checked to be below the prime. */
export function decodeWtns(buf: Uint8Array): Witness {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const s = binSections(b, 'wtns', 'witness');
  const h = s.get(1); const d = s.get(2);
  if (!h || !d) throw new WitnessFormatError('witness: header or values section missing');
  const n8 = b.readUInt32LE(h.offset);
  if (n8 % 8 !== 0 || n8 === 0) throw new WitnessFormatError(`witness: field size ${n8} bytes is not a multiple of 8`);
  const prime = readLe(b, h.offset + 4, n8);
  const n = b.readUInt32LE(h.offset + 4 + n8);
  if (d.size !== n * n8) throw new WitnessFormatError(`witness: values section has ${d.size} bytes, expected ${n} × ${n8}`);
  const values = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    const v = readLe(b, d.offset + i * n8, n8);
    if (v >= prime) throw new WitnessFormatError(`witness: value ${i} is not below the field modulus`);
    values[i] = v;
  }
  return { prime, values };
}

/** Wires 1..nPublic as decimal strings: what public.json holds for this witness. */
export function publicSignalsOf(values: readonly bigint[], nPublic: number): string[] {
  if (values.length < nPublic + 1) throw new WitnessFormatError(`witness has ${values.length} values, fewer than nPublic + 1 = ${nPublic + 1}`);
  if (values[0] !== 1n) throw new WitnessFormatError(`witness value 0 (the constant wire) is ${values[0]}, not 1`);
  return values.slice(1, nPublic + 1).map((v) => v.toString());
}

export interface R1cs { buf: Buffer; n8: number; prime: bigint; nWires: number; nPubOut: number; nPubIn: number; nConstraints: number; cOffset: number; cEnd: number }

export function parseR1cs(buf: Uint8Array): R1cs {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const s = binSections(b, 'r1cs', 'r1cs');
  const h = s.get(1); const c = s.get(2);
  if (!h || !c) throw new WitnessFormatError('r1cs: header or constraints section missing');
  let o = h.offset;
  const n8 = b.readUInt32LE(o); o += 4;
  const prime = readLe(b, o, n8); o += n8;
  const nWires = b.readUInt32LE(o); const nPubOut = b.readUInt32LE(o + 4); const nPubIn = b.readUInt32LE(o + 8);
  const nConstraints = b.readUInt32LE(o + 24);
  return { buf: b, n8, prime, nWires, nPubOut, nPubIn, nConstraints, cOffset: c.offset, cEnd: c.offset + c.size };
}

/** Whether the n8-byte little-endian number at `off` is 1 (most R1CS coefficients are). */
function isOne(b: Buffer, off: number, n8: number): boolean {
  if (b[off] !== 1) return false;
  for (let i = 1; i < n8; i++) if (b[off + i] !== 0) return false;
  return true;
}

export type R1csVerdict = { ok: true } | { ok: false; constraint: number; reason: string };

/** Checks every constraint of `r1cs` against the witness values. */
export function checkR1cs(r: R1cs, w: Witness): R1csVerdict {
  if (w.prime !== r.prime) return { ok: false, constraint: -1, reason: 'the witness is over a different field than the circuit' };
  if (w.values.length !== r.nWires) return { ok: false, constraint: -1, reason: `the witness has ${w.values.length} values, the circuit ${r.nWires} wires` };
  const { buf: b, n8, prime: p } = r;
  const vals = w.values;
  let o = r.cOffset;
  const lc = (): bigint => {
    const n = b.readUInt32LE(o); o += 4;
    let acc = 0n;
    for (let k = 0; k < n; k++) {
      const wire = b.readUInt32LE(o);
      const v = vals[wire];
      if (v === undefined) throw new WitnessFormatError(`r1cs: constraint refers to wire ${wire} beyond the ${vals.length} of the witness`);
      if (v !== 0n) acc += isOne(b, o + 4, n8) ? v : readLe(b, o + 4, n8) * v;
      o += 4 + n8;
    }
    return acc < p ? acc : acc % p; // a lone wire with coefficient 1 (the usual case) needs no reduction
  };
  for (let i = 0; i < r.nConstraints; i++) {
    if (o >= r.cEnd) throw new WitnessFormatError(`r1cs: constraints section ends before constraint ${i}`);
    const a = lc(); const bb = lc(); const c = lc();
    if ((a === 0n || bb === 0n ? 0n : (a * bb) % p) !== c) return { ok: false, constraint: i, reason: `constraint #${i} of ${r.nConstraints} is not satisfied (A·w × B·w ≠ C·w)` };
  }
  return { ok: true };
}
