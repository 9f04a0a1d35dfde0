// A synthetic "sealed sector" for the PoRep-shaped circuit family (circuits/src/porep/porep.circom):
// data, labels, the replica (data + label), the three Poseidon Merkle trees, and one input file per
// partition, all consistent, so every partition's input has a witness. Hashes are computed with
// the circuit's own Poseidon (circuits/build/porep_hash/porep_hash.wasm), so generator and circuit
// cannot disagree. This is not Filecoin's PoRep (see circuits/README.md).
//
//   node dist/src/porep/sector.js --size small|large [--partitions N] [--seed TEXT] --out DIR
//
// writes DIR/sector.json (parameters, commitments), DIR/partition-K.json for K = 0..N-1 (input
// signals as for `snarkjs wtns calculate`; sort them numerically, partition-10 comes after -9) and
// DIR/c1.json (all partitions in one file: the stand-in Commit1 output for `filecoin-c2` jobs).

import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { CURVES } from '../common/curves';

const R = CURVES['bls12-381'].r;
const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The compiled sizes: the circuit's (DEPTH, K, P) template parameters, per circuit name. */
export const POREP_SIZES = {
  small: { circuit: 'porep_small', depth: 7, challenges: 2, parents: 2 },
  large: { circuit: 'porep_large', depth: 10, challenges: 6, parents: 2 },
} as const;
export type PoRepSize = keyof typeof POREP_SIZES;

export interface SectorSpec {
  size: PoRepSize;
  /** number of partitions (proofs) of the sector; default 10 like a 32 GiB sector's C2 */
  partitions: number;
  /** any text; the whole sector is a function of it */
  seed: string;
}

export interface Sector {
  spec: SectorSpec;
  circuit: string;
  depth: number;
  nodes: number;
  replicaId: string;
  commD: string;
  commC: string;
  commRLast: string;
  commR: string;
  /** one input object per partition, in partition order */
  inputs: Record<string, unknown>[];
}

type WitnessCalculator = { calculateWitness(input: unknown, sanityCheck: boolean): Promise<bigint[]> };

/** Poseidon with 2 and 4 inputs, exactly as porep.circom computes it. */
export class PoRepHasher {
  private constructor(private readonly wc: WitnessCalculator) {}

  static async load(wasmPath = path.join(ROOT, 'circuits', 'build', 'porep_hash', 'porep_hash.wasm')): Promise<PoRepHasher> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { WitnessCalculatorBuilder } = require('circom_runtime');
    return new PoRepHasher(await WitnessCalculatorBuilder(fs.readFileSync(wasmPath)));
  }

  async h2(a: bigint, b: bigint): Promise<bigint> {
    const w = await this.wc.calculateWitness({ two: [a, b], four: [0n, 0n, 0n, 0n] }, true);
    return w[1];
  }

  async h4(a: bigint, b: bigint, c: bigint, d: bigint): Promise<bigint> {
    const w = await this.wc.calculateWitness({ two: [0n, 0n], four: [a, b, c, d] }, true);
    return w[2];
  }
}

function field(seed: string, ...tag: (string | number)[]): bigint {
  return BigInt('0x' + crypto.createHash('sha256').update([seed, ...tag].join(':')).digest('hex')) % R;
}

/** The parents of node i ≥ 1: its predecessor and one pseudo-random earlier node (a DRG-like graph). */
export function parentsOf(seed: string, i: number): [number, number] {
  if (i === 0) return [0, 0];
  return [i - 1, Number(field(seed, 'parent', i) % BigInt(i))];
}

/** Levels of a Poseidon binary Merkle tree, leaves first, root last. */
async function merkleLevels(h: PoRepHasher, leaves: bigint[]): Promise<bigint[][]> {
  const levels = [leaves];
  while (levels[levels.length - 1].length > 1) {
    const prev = levels[levels.length - 1];
    const next: bigint[] = [];
    for (let i = 0; i < prev.length; i += 2) next.push(await h.h2(prev[i], prev[i + 1]));
    levels.push(next);
  }
  return levels;
}

function merklePath(levels: bigint[][], index: number): bigint[] {
  const out: bigint[] = [];
  for (let l = 0; l < levels.length - 1; l++) { out.push(levels[l][index ^ 1]); index >>= 1; }
  return out;
}

const dec = (v: bigint): string => v.toString();

/** Generates the whole sector and its partition inputs (a few seconds for the large size). */
export async function generateSector(spec: SectorSpec, hasher?: PoRepHasher): Promise<Sector> {
  const size = POREP_SIZES[spec.size];
  if (!size) throw new Error(`unknown sector size "${spec.size}" (expected ${Object.keys(POREP_SIZES).join(' or ')})`);
  if (!Number.isInteger(spec.partitions) || spec.partitions < 1) throw new Error('partitions must be a positive integer');
  const h = hasher ?? await PoRepHasher.load();
  const n = 1 << size.depth;
  const replicaId = field(spec.seed, 'replica-id');
  const data = Array.from({ length: n }, (_, i) => field(spec.seed, 'data', i));
  const labels: bigint[] = [];
  for (let i = 0; i < n; i++) {
    const [p0, p1] = parentsOf(spec.seed, i);
    labels.push(await h.h4(replicaId, BigInt(i), i === 0 ? 0n : labels[p0], i === 0 ? 0n : labels[p1]));
  }
  const replica = data.map((d, i) => (d + labels[i]) % R);
  const dTree = await merkleLevels(h, data);
  const cTree = await merkleLevels(h, labels);
  const rTree = await merkleLevels(h, replica);
  const commD = dTree[size.depth][0];
  const commC = cTree[size.depth][0];
  const commRLast = rTree[size.depth][0];
  const commR = await h.h2(commC, commRLast);

  const inputs: Record<string, unknown>[] = [];
  for (let k = 0; k < spec.partitions; k++) {
    // challenges: nodes 1..n-1 (node 0 has no parents), derived from the seed and the partition
    const challenge = Array.from({ length: size.challenges }, (_, j) => 1 + Number(field(spec.seed, 'challenge', k, j) % BigInt(n - 1)));
    const parents = challenge.map((c) => parentsOf(spec.seed, c));
    inputs.push({
      replicaId: dec(replicaId), commD: dec(commD), commR: dec(commR),
      challenge: challenge.map(String),
      parents: parents.map((ps) => ps.map(String)),
      commC: dec(commC), commRLast: dec(commRLast),
      data: challenge.map((c) => dec(data[c])),
      replica: challenge.map((c) => dec(replica[c])),
      dataPath: challenge.map((c) => merklePath(dTree, c).map(dec)),
      replicaPath: challenge.map((c) => merklePath(rTree, c).map(dec)),
      parentLabel: parents.map((ps) => ps.map((p) => dec(labels[p]))),
      parentPath: parents.map((ps) => ps.map((p) => merklePath(cTree, p).map(dec))),
    });
  }
  return {
    spec, circuit: size.circuit, depth: size.depth, nodes: n,
    replicaId: dec(replicaId), commD: dec(commD), commC: dec(commC), commRLast: dec(commRLast), commR: dec(commR),
    inputs,
  };
}

/** The sector's size in bytes as Filecoin counts it: 32-byte nodes. */
export function sectorBytes(sector: Sector): number { return sector.nodes * 32; }

/** The stand-in proof type of a sector size (src/common/commit1.ts STAND_IN_PROOF_TYPES). */
export function standInProofType(size: PoRepSize): string { return size === 'small' ? 'PoRepShapedSmallV1' : 'PoRepShapedLargeV1'; }

/** 32 bytes derived from the seed, as a byte array (the layout rust-fil-proofs gives seed and ticket). */
function bytes32(seed: string, tag: string): number[] { return [...crypto.createHash('sha256').update(`${seed}:${tag}`).digest()]; }

/**
 * A stand-in for Filecoin's Commit1 output ("c1.json") in lotus-bench's layout (src/common/commit1.ts):
 * { SectorNum, SectorSize, Phase1Out: base64(JSON { registered_proof: "PoRepShaped{Small,Large}V1",
 * vanilla_proofs: { <type>: [[input of partition 0], [input of partition 1], …] }, comm_r, comm_d,
 * replica_id (decimal field elements: this circuit's, not Filecoin's 32-byte commitments), seed, ticket }) }.
 * scripts/porep-c2.js proves it; scripts/porep-c2-verify.js checks the proofs against it.
 */
export function commit1Json(sector: Sector, sectorNum = 1): string {
  const type = standInProofType(sector.spec.size);
  const phase1 = {
    registered_proof: type, vanilla_proofs: { [type]: sector.inputs.map((input) => [input]) },
    comm_r: sector.commR, comm_d: sector.commD, replica_id: sector.replicaId,
    seed: bytes32(sector.spec.seed, 'seed'), ticket: bytes32(sector.spec.seed, 'ticket'),
  };
  return JSON.stringify({ SectorNum: sectorNum, Phase1Out: Buffer.from(JSON.stringify(phase1)).toString('base64'), SectorSize: sectorBytes(sector) }) + '\n';
}

/** Writes DIR/sector.json, DIR/c1.json and DIR/partition-K.json; returns the partition file paths in order. */
export function writeSector(sector: Sector, dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const { inputs, ...meta } = sector;
  fs.writeFileSync(path.join(dir, 'sector.json'), JSON.stringify({ ...meta, partitions: inputs.length }, null, 1) + '\n');
  fs.writeFileSync(path.join(dir, 'c1.json'), commit1Json(sector));
  return inputs.map((input, k) => {
    const f = path.join(dir, `partition-${k}.json`);
    fs.writeFileSync(f, JSON.stringify(input) + '\n');
    return f;
  });
}

async function main(argv: string[]): Promise<number> {
  const opt: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m || !['size', 'partitions', 'seed', 'out'].includes(m[1])) {
      process.stderr.write(`error: unexpected argument "${argv[i]}"\nusage: node dist/src/porep/sector.js --size small|large [--partitions N] [--seed TEXT] --out DIR\n`);
      return 2;
    }
    opt[m[1]] = m[2] ?? argv[++i];
  }
  if (!opt.out) {
    process.stderr.write('error: --out DIR is required\nusage: node dist/src/porep/sector.js --size small|large [--partitions N] [--seed TEXT] --out DIR\n');
    return 2;
  }
  const spec: SectorSpec = {
    size: (opt.size ?? 'small') as PoRepSize,
    partitions: opt.partitions ? Number(opt.partitions) : 10,
    seed: opt.seed ?? crypto.randomBytes(8).toString('hex'),
  };
  const sector = await generateSector(spec);
  const files = writeSector(sector, opt.out);
  process.stdout.write(`sector ${spec.size} (${sector.circuit}, ${sector.nodes} nodes, seed ${spec.seed}): ` +
    `${files.length} partition inputs in ${opt.out}\ncommR ${sector.commR}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((c) => process.exit(c), (e) => { process.stderr.write(`error: ${(e as Error).message}\n`); process.exit(1); });
}
