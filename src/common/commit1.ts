// Filecoin Commit1 outputs ("c1.json"): what a `filecoin-c2` job carries, and what the broker, the
// prover daemon and the C2 commands read from it.
//
// The layout follows lotus-bench / Curio's `Commit2In` (Go: `{ SectorNum int64; Phase1Out []byte;
// SectorSize uint64 }`, JSON-encoded, so Phase1Out is base64), whose Phase1Out is the JSON of
// rust-fil-proofs' `SealCommitPhase1Output`:
//
//   { "SectorNum": 1, "SectorSize": 34359738368,
//     "Phase1Out": base64(JSON { "registered_proof": "StackedDrg32GiBV1_1",
//                                "vanilla_proofs": { "StackedDrg32GiBV1": [ [partition 0 …], … ] },
//                                "comm_r": […], "comm_d": […], "replica_id": …, "seed": […], "ticket": […] }) }
//
// The field names come from public lotus/Curio/filecoin-ffi source; no real c1.json was at hand, so
// a real file may differ in details we do not read. Our synthetic sectors (src/porep/sector.ts)
// write the same layout with their own proof types `PoRepShapedSmallV1` / `PoRepShapedLargeV1`
// (NOT Filecoin's circuit), whose `vanilla_proofs.<type>[k][0]` is partition k's circuit input.

/** What a job needs from a Commit1 output. */
export interface Commit1Info {
  /** rust-fil-proofs' registered seal proof name, e.g. "StackedDrg32GiBV1_1", or a stand-in type. */
  proofType: string;
  /** Sector size in bytes (the c1's SectorSize; checked against the proof type when it names one). */
  sectorSize: number;
  /** Number of Groth16 proofs the C2 output has (partitions of the sector's PoRep). */
  partitions: number;
  sectorNum: number;
}

export class Commit1Error extends Error {
  constructor(message: string) { super(message); this.name = 'Commit1Error'; }
}

/** Sector sizes of Filecoin's seal proofs, by the size word in their names; 32 and 64 GiB prove 10 partitions. */
export const FILECOIN_SECTOR_SIZES: Record<string, number> = {
  '2KiB': 2048, '8MiB': 8 << 20, '512MiB': 512 << 20, '32GiB': 32 * 2 ** 30, '64GiB': 64 * 2 ** 30,
};

/** Stand-in proof types of our PoRep-shaped circuit family: the circuit that proves a partition. */
export const STAND_IN_PROOF_TYPES: Record<string, { circuit: string; sectorSize: number }> = {
  PoRepShapedSmallV1: { circuit: 'porep_small', sectorSize: 128 * 32 }, // 2^7 nodes of 32 bytes
  PoRepShapedLargeV1: { circuit: 'porep_large', sectorSize: 1024 * 32 }, // 2^10 nodes
};

const REAL_RE = /^StackedDrg(2KiB|8MiB|512MiB|32GiB|64GiB)V1(?:_1|_2)?(_Feat_\w+)?$/;

/** The sector size (bytes) a proof type implies, or null for an unknown type. */
export function proofTypeSectorSize(proofType: string): number | null {
  const real = REAL_RE.exec(proofType);
  if (real) return FILECOIN_SECTOR_SIZES[real[1]];
  return STAND_IN_PROOF_TYPES[proofType]?.sectorSize ?? null;
}

/** "2KiB" / "32GiB" / "4096" → bytes; throws on anything else. */
export function parseSectorSize(s: string): number {
  const t = s.trim();
  const m = /^(\d+)\s*(KiB|MiB|GiB|TiB)?$/i.exec(t);
  if (!m) throw new Error(`"${s}" is not a sector size (e.g. 2KiB, 32GiB or a number of bytes)`);
  const unit = { kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 }[(m[2] ?? '').toLowerCase()] ?? 1;
  const n = Number(m[1]) * unit;
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`"${s}" is not a sector size`);
  return n;
}

/** 2048 → "2KiB", 34359738368 → "32GiB", 5000 → "5000". */
export function formatSectorSize(n: number): string {
  for (const [u, f] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) if (n >= f && n % f === 0) return `${n / f}${u}`;
  return String(n);
}

/**
 * Parses a c1.json (text or bytes) and returns its Phase1Out JSON and what a job needs to know.
 * Throws Commit1Error with a message naming the field for anything malformed.
 */
export function parseCommit1(c1: string | Uint8Array): { info: Commit1Info; phase1: Record<string, unknown> } {
  const text = typeof c1 === 'string' ? c1 : Buffer.from(c1.buffer, c1.byteOffset, c1.byteLength).toString('utf8');
  let top: unknown;
  try { top = JSON.parse(text); } catch (e) { throw new Commit1Error(`c1.json is not valid JSON: ${(e as Error).message}`); }
  if (!top || typeof top !== 'object' || Array.isArray(top)) throw new Commit1Error('c1.json is not a JSON object');
  const t = top as Record<string, unknown>;
  if (typeof t.Phase1Out !== 'string' || t.Phase1Out.length === 0) {
    throw new Commit1Error('c1.json has no "Phase1Out" (base64 of the Commit1 output): expected lotus-bench\'s layout { "SectorNum", "Phase1Out", "SectorSize" }');
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t.Phase1Out)) throw new Commit1Error('c1.json: "Phase1Out" is not base64');
  if (typeof t.SectorSize !== 'number' || !Number.isSafeInteger(t.SectorSize) || t.SectorSize <= 0) {
    throw new Commit1Error(`c1.json: "SectorSize" must be a positive integer of bytes (got ${JSON.stringify(t.SectorSize)})`);
  }
  const sectorNum = t.SectorNum === undefined ? 0 : Number(t.SectorNum);
  if (!Number.isSafeInteger(sectorNum) || sectorNum < 0) throw new Commit1Error(`c1.json: "SectorNum" must be a non-negative integer (got ${JSON.stringify(t.SectorNum)})`);
  let phase1: unknown;
  try { phase1 = JSON.parse(Buffer.from(t.Phase1Out, 'base64').toString('utf8')); } catch (e) {
    throw new Commit1Error(`c1.json: "Phase1Out" does not decode to JSON (rust-fil-proofs' SealCommitPhase1Output): ${(e as Error).message}`);
  }
  if (!phase1 || typeof phase1 !== 'object' || Array.isArray(phase1)) throw new Commit1Error('c1.json: "Phase1Out" is not a JSON object');
  const p = phase1 as Record<string, unknown>;
  const reg = p.registered_proof;
  if (typeof reg !== 'string' || !reg) throw new Commit1Error('c1.json: Phase1Out has no "registered_proof" (e.g. "StackedDrg32GiBV1_1")');
  const vp = p.vanilla_proofs;
  if (!vp || typeof vp !== 'object' || Array.isArray(vp)) throw new Commit1Error('c1.json: Phase1Out has no "vanilla_proofs" object');
  const keys = Object.keys(vp);
  if (keys.length !== 1) throw new Commit1Error(`c1.json: "vanilla_proofs" must have exactly one proof-type key, has ${keys.length}`);
  const parts = (vp as Record<string, unknown>)[keys[0]];
  if (!Array.isArray(parts) || parts.length === 0) throw new Commit1Error(`c1.json: "vanilla_proofs.${keys[0]}" must be a non-empty array (one entry per partition)`);
  const real = REAL_RE.exec(reg);
  if (real) {
    const size = FILECOIN_SECTOR_SIZES[real[1]];
    if (t.SectorSize !== size) throw new Commit1Error(`c1.json: SectorSize ${t.SectorSize} does not match registered_proof ${reg} (${size} bytes)`);
    // Interactive PoRep proves 10 partitions at 32 and 64 GiB, 1 below; non-interactive types differ (not checked).
    const want = size >= 32 * 2 ** 30 ? 10 : 1;
    if (!real[2] && parts.length !== want) throw new Commit1Error(`c1.json: ${reg} has ${want} partition(s), vanilla_proofs has ${parts.length}`);
  } else if (STAND_IN_PROOF_TYPES[reg]) {
    const size = STAND_IN_PROOF_TYPES[reg].sectorSize;
    if (t.SectorSize !== size) throw new Commit1Error(`c1.json: SectorSize ${t.SectorSize} does not match registered_proof ${reg} (${size} bytes)`);
    for (const [k, part] of parts.entries()) {
      if (!Array.isArray(part) || part.length !== 1 || !part[0] || typeof part[0] !== 'object') {
        throw new Commit1Error(`c1.json: partition ${k} of the stand-in ${reg} must be [ { circuit input } ]`);
      }
    }
  } else {
    throw new Commit1Error(`c1.json: unknown registered_proof "${reg}" (expected StackedDrg{2KiB,8MiB,512MiB,32GiB,64GiB}V1[_1] or a stand-in ${Object.keys(STAND_IN_PROOF_TYPES).join('/')})`);
  }
  return { info: { proofType: reg, sectorSize: t.SectorSize, partitions: parts.length, sectorNum }, phase1: p };
}

/** What a job needs to know of a c1.json (see parseCommit1). Throws Commit1Error. */
export function commit1Info(c1: string | Uint8Array): Commit1Info { return parseCommit1(c1).info; }
