// Partitioned jobs from the CLI: N payloads for one circuit (a sector's partitions) read from
// `--input A.json --input B.json …` or `--inputs DIR` and submitted as ONE partitioned job
// (SubmitJob.partitions). The broker runs each partition as its own unit (lease, attempts,
// verification, price, payout) and re-runs a failed or wrong partition alone; the job is DONE when
// every partition has verified, and its result is the ordered list of proofs (plus, on BLS12-381,
// Filecoin's N × 192-byte proof.bin). See broker/partitions.ts.

import * as fs from 'fs';
import * as path from 'path';
import type { Job__Output } from '../common';
import { proofsToFilecoin, SnarkjsProof } from '../common/filecoin';

export interface PartitionInput {
  /** where it came from (file path), for messages */
  name: string;
  json: string;
}

/**
 * The partition inputs of `--inputs DIR`: its `partition-K.json` files in numeric order (what
 * src/porep/sector.ts writes), or, when there are none, every `*.json` in natural order.
 */
export function readInputsDir(dir: string): PartitionInput[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`--inputs ${dir} is not a folder`);
  const all = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  const parts = all.filter((f) => /^partition-\d+\.json$/.test(f));
  const files = parts.length > 0
    ? parts.sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]))
    : all.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  if (files.length === 0) throw new Error(`--inputs ${dir} holds no .json input files`);
  return files.map((f) => readInputFile(path.join(dir, f)));
}

export function readInputFile(file: string): PartitionInput {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new Error(`--input file not found: ${file}`);
  const json = fs.readFileSync(file, 'utf8');
  try { JSON.parse(json); } catch (err) { throw new Error(`--input ${file} is not valid JSON: ${(err as Error).message}`); }
  return { name: file, json };
}

/** One status line: "partitions 3/10 verified; in flight 2 (p_ab12: 1, p_cd34: 1); queued 5" (in flight: leased or being verified). */
export function partitionStatus(job: Job__Output): string {
  const parts = job.partitions ?? [];
  const n = parts.length;
  const done = parts.filter((p) => p.state === 'JOB_STATE_DONE').length;
  const active = parts.filter((p) => ['JOB_STATE_ASSIGNED', 'JOB_STATE_PROVING', 'JOB_STATE_VERIFYING'].includes(p.state));
  const byProver = new Map<string, number>();
  for (const p of active) byProver.set(p.proverId, (byProver.get(p.proverId) ?? 0) + 1);
  const queued = parts.filter((p) => p.state === 'JOB_STATE_QUEUED' || p.state === 'JOB_STATE_SUBMITTED').length;
  return `partitions ${done}/${n} verified; in flight ${active.length}` +
    (active.length ? ` (${[...byProver].map(([p, k]) => `${p}: ${k}`).join(', ')})` : '') + `; queued ${queued}`;
}

/** Who proved which: "0 p_ab12, 1 p_cd34, …" for the verified partitions. */
export function partitionProvers(job: Job__Output): string {
  return (job.partitions ?? []).filter((p) => p.state === 'JOB_STATE_DONE').map((p) => `${p.index} ${p.proverId}`).join(', ');
}

/**
 * Writes DIR/partition-K/proof.json + public.json for every partition of a DONE partitioned job
 * and, for BLS12-381 proofs, DIR/proof.bin (N × 192 bytes, partition order). The broker's
 * proof_bin is checked against the encoding of the proofs themselves (an error if they differ).
 * Returns the paths written.
 */
export function writePartitionProofs(dir: string, job: Job__Output): string[] {
  const parts = job.partitions ?? [];
  if (parts.length === 0) throw new Error(`job ${job.id} is not a partitioned job`);
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const proofs: SnarkjsProof[] = [];
  parts.forEach((p, k) => {
    if (!p.proof) throw new Error(`partition ${k} of job ${job.id} has no proof (it is ${p.state.replace(/^JOB_STATE_/, '')})`);
    const d = path.join(dir, `partition-${k}`);
    fs.mkdirSync(d, { recursive: true });
    const nl = (s: string): string => (s.endsWith('\n') ? s : s + '\n');
    fs.writeFileSync(path.join(d, 'proof.json'), nl(p.proof.proofJson));
    fs.writeFileSync(path.join(d, 'public.json'), nl(p.proof.publicJson));
    written.push(path.join(d, 'proof.json'), path.join(d, 'public.json'));
    proofs.push(JSON.parse(p.proof.proofJson) as SnarkjsProof);
  });
  if (proofs.every((p) => p.curve === 'bls12381')) {
    const bin = Buffer.from(proofsToFilecoin(proofs));
    const fromBroker = job.proofBin ? Buffer.from(job.proofBin) : null;
    if (fromBroker && fromBroker.length > 0 && !fromBroker.equals(bin)) {
      throw new Error(`job ${job.id}: the broker's proof_bin (${fromBroker.length} bytes) differs from the encoding of its ${parts.length} proofs`);
    }
    fs.writeFileSync(path.join(dir, 'proof.bin'), bin);
    written.push(path.join(dir, 'proof.bin'));
  }
  return written;
}
