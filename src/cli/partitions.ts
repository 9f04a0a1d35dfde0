// Partitioned submissions from the client side: N payloads for one circuit (a sector's
// partitions) submitted as N broker jobs with request ids `<base>#<K>`, so that each partition is
// leased, verified, priced and paid on its own and a failed or wrong partition is re-run alone by
// the broker's ordinary requeue; the whole is DONE when every partition has verified, and its
// result is the ordered list of proofs (plus, on BLS12-381, Filecoin's N × 192-byte proof.bin).
//
// There is no group record on the broker yet: `job`, `jobs` and the ledger show the partitions as
// separate jobs; if one partition fails for good (attempts exhausted, deadline), the others are
// cancelled (refunded) and the submission fails.

import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { MarketClient } from '../client/market';
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

export interface PartitionedOptions {
  circuit: string;
  inputs: PartitionInput[];
  requestId?: string;
  deadlineMs: number;
  /** per partition, micro-credits (decimal string) */
  maxPrice: string;
}

/** Submits every partition; on a refusal part-way, cancels those already submitted and rethrows. */
export async function submitPartitions(c: MarketClient, o: PartitionedOptions): Promise<Job__Output[]> {
  const base = o.requestId ?? `part-${crypto.randomUUID()}`;
  if (base.length + 1 + String(o.inputs.length).length > 128) throw new Error('--request-id is too long for a partitioned job (128 characters with "#K")');
  const jobs: Job__Output[] = [];
  for (const [k, input] of o.inputs.entries()) {
    try {
      jobs.push(await c.submit({
        circuit: o.circuit, input: input.json, requestId: `${base}#${k}`, deadlineMs: o.deadlineMs, maxPrice: o.maxPrice,
      }));
    } catch (err) {
      await cancelAll(c, jobs);
      const e = err as Error;
      e.message = `partition ${k} (${input.name}): ${e.message}${jobs.length ? `; the ${jobs.length} partitions already submitted were cancelled` : ''}`;
      throw e;
    }
  }
  return jobs;
}

async function cancelAll(c: MarketClient, jobs: Job__Output[]): Promise<void> {
  await Promise.all(jobs.map((j) => c.cancel(j.id).catch(() => undefined)));
}

/** One status line: "partitions 3/10 verified; in flight 2 (p_ab12: 1, p_cd34: 1); queued 5" (in flight: leased or being verified). */
export function partitionStatus(jobs: Job__Output[]): string {
  const n = jobs.length;
  const done = jobs.filter((j) => j.state === 'JOB_STATE_DONE').length;
  const active = jobs.filter((j) => ['JOB_STATE_ASSIGNED', 'JOB_STATE_PROVING', 'JOB_STATE_VERIFYING'].includes(j.state));
  const byProver = new Map<string, number>();
  for (const j of active) byProver.set(j.proverId, (byProver.get(j.proverId) ?? 0) + 1);
  const queued = jobs.filter((j) => j.state === 'JOB_STATE_QUEUED' || j.state === 'JOB_STATE_SUBMITTED').length;
  return `partitions ${done}/${n} verified; in flight ${active.length}` +
    (active.length ? ` (${[...byProver].map(([p, k]) => `${p}: ${k}`).join(', ')})` : '') + `; queued ${queued}`;
}

/**
 * Follows every partition to the end. If one ends other than DONE, the others are cancelled and
 * the returned list holds them as they ended. `onUpdate` gets the latest snapshot of all.
 */
export async function waitPartitions(c: MarketClient, jobs: Job__Output[], onUpdate: (all: Job__Output[]) => void): Promise<Job__Output[]> {
  const latest = jobs.slice();
  let failed = false;
  await Promise.all(jobs.map(async (j, k) => {
    const done = await c.waitDone(j.id, 2 ** 31 - 1, (ev) => {
      if (ev.job) { latest[k] = ev.job; onUpdate(latest); }
    });
    latest[k] = done;
    onUpdate(latest);
    if (done.state !== 'JOB_STATE_DONE' && !failed) {
      failed = true;
      await cancelAll(c, latest.filter((x) => x.state !== 'JOB_STATE_DONE' && x.id !== done.id));
    }
  }));
  return latest;
}

/**
 * Writes DIR/partition-K/proof.json + public.json for every partition, DIR/jobs.json (the
 * partition job ids in order) and, for BLS12-381 proofs, DIR/proof.bin (N × 192 bytes, partition
 * order). Returns the paths written.
 */
export function writePartitionProofs(dir: string, jobs: Job__Output[]): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const proofs: SnarkjsProof[] = [];
  jobs.forEach((j, k) => {
    if (!j.proof) throw new Error(`partition ${k} (job ${j.id}) has no proof`);
    const d = path.join(dir, `partition-${k}`);
    fs.mkdirSync(d, { recursive: true });
    const nl = (s: string): string => (s.endsWith('\n') ? s : s + '\n');
    fs.writeFileSync(path.join(d, 'proof.json'), nl(j.proof.proofJson));
    fs.writeFileSync(path.join(d, 'public.json'), nl(j.proof.publicJson));
    written.push(path.join(d, 'proof.json'), path.join(d, 'public.json'));
    proofs.push(JSON.parse(j.proof.proofJson) as SnarkjsProof);
  });
  fs.writeFileSync(path.join(dir, 'jobs.json'), JSON.stringify(jobs.map((j) => j.id), null, 1) + '\n');
  written.push(path.join(dir, 'jobs.json'));
  if (proofs.every((p) => p.curve === 'bls12381')) {
    fs.writeFileSync(path.join(dir, 'proof.bin'), proofsToFilecoin(proofs));
    written.push(path.join(dir, 'proof.bin'));
  }
  return written;
}
