// Filecoin Commit2 ("filecoin-c2") jobs at the broker: the c1.json store (chunked, hashed,
// resumable uploads; content-addressed), the per-proof-type pseudo-circuits the jobs belong to, and
// the operator's verifier command that decides whether a prover is paid.
//
// A filecoin-c2 job is a job like any other in the store and the lifecycle (escrow, lease, attempts,
// verification, payout): its `circuitId` is the pseudo-circuit "fc2-<proof type>-<partitions>"
// (public, owned by the market account, no artifacts), its `inputJson` is
// {"filecoinC2": C2Payload}, and its verified proof is kept as {"filecoinProofHex": …} in
// `proofJson` (publicJson empty). No schema change was needed. The broker cannot check a C2 proof
// itself (no Filecoin verifier here): it accepts such jobs only when its operator configured a
// verifier command (`broker --c2-verifier CMD`, contract in prover/backends/EXTERNAL.md):
//   CMD… C1_PATH PROOF_PATH   exit 0 = valid, 1 = invalid (the prover is blamed, slashed, the job
//   requeued away from it), anything else / timeout = the verifier could not decide (nobody is
//   blamed; checked again later).
import { spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Commit1Error, FILECOIN_SECTOR_SIZES, parseCommit1, proofTypeSectorSize, type Commit1Info } from '../src/common/commit1';
import { FILECOIN_PROOF_BYTES, proofsFromFilecoin } from '../src/common/filecoin';
import { SHA256_RE } from '../src/common/hash';
import type { Logger } from '../src/common/log';
import type { ArtifactStore } from './artifacts';
import type { CircuitRecord, JobRecord } from './store/types';

export const C2_KIND = 'filecoin-c2';
const CIRCUIT_PREFIX = 'fc2-';

/** What a filecoin-c2 job carries (its inputJson), read from its c1.json at upload. */
export interface C2Payload extends Omit<Commit1Info, 'sectorNum'> { c1Sha256: string; c1Size: number }

export function isC2Circuit(c: CircuitRecord | string): boolean {
  return (typeof c === 'string' ? c : c.id).startsWith(CIRCUIT_PREFIX);
}

/** The job's C2 payload, or null for a Groth16 job. */
export function c2PayloadOf(job: Pick<JobRecord, 'circuitId' | 'inputJson'>): C2Payload | null {
  if (!isC2Circuit(job.circuitId) || !job.inputJson) return null;
  try { return (JSON.parse(job.inputJson) as { filecoinC2?: C2Payload }).filecoinC2 ?? null; } catch { return null; }
}

export function c2InputJson(p: C2Payload): string { return JSON.stringify({ filecoinC2: p }); }

/** The verified proof as stored in proofJson, and back (null when it is not a C2 proof). */
export function c2ProofJson(proof: Uint8Array): string { return JSON.stringify({ filecoinProofHex: Buffer.from(proof).toString('hex') }); }
export function c2ProofBytes(proofJson: string): Buffer | null {
  try {
    const hex = (JSON.parse(proofJson) as { filecoinProofHex?: unknown }).filecoinProofHex;
    return typeof hex === 'string' && /^([0-9a-f]{2})*$/.test(hex) ? Buffer.from(hex, 'hex') : null;
  } catch { return null; }
}

/**
 * Constraints of one partition, per proof type: for the routing model's ETA only (C2 is priced per
 * job, not per constraint). 32/64 GiB: issue 11's ~130M; the stand-ins: their circuits' 2^14 / 2^16;
 * other real sizes: a guess (2^20) — no real C2 was run here.
 */
function constraintsPerPartition(proofType: string): number {
  if (proofType === 'PoRepShapedSmallV1') return 2 ** 14;
  if (proofType === 'PoRepShapedLargeV1') return 2 ** 16;
  if (/32GiB|64GiB/.test(proofType)) return 130_000_000;
  return 2 ** 20;
}

/**
 * Memory (bytes) a prover must state for its C2 command (`prover --c2-memory`) to be routed a sector
 * of this size; a prover that states none (0) is not checked. Rough minimums, not measurements:
 * a 32 GiB C2 needs ~128 GiB of host memory with rust-fil-proofs; the stand-in command a node
 * process and pmtool (64 MiB).
 */
export function c2MemoryNeed(sectorSize: number): number {
  if (sectorSize >= FILECOIN_SECTOR_SIZES['64GiB']) return 256 * 2 ** 30;
  if (sectorSize >= FILECOIN_SECTOR_SIZES['32GiB']) return 128 * 2 ** 30;
  if (sectorSize >= FILECOIN_SECTOR_SIZES['512MiB']) return 8 * 2 ** 30;
  return 64 * 2 ** 20;
}

/**
 * What a pseudo-circuit stands for (proof type, partitions, the sector size the type implies), read
 * back from its id; null for a Groth16 circuit. Matching and quotes use it (no job payload needed).
 */
export function c2ShapeOf(c: CircuitRecord | string): Pick<C2Payload, 'proofType' | 'partitions' | 'sectorSize'> | null {
  const m = /^fc2-(.+)-(\d+)$/.exec(typeof c === 'string' ? c : c.id);
  const sectorSize = m ? proofTypeSectorSize(m[1]) : null;
  return m && sectorSize ? { proofType: m[1], partitions: Number(m[2]), sectorSize } : null;
}

/** The pseudo-circuit of a proof type and partition count (jobs list and route by it). */
export function c2Circuit(p: Pick<C2Payload, 'proofType' | 'partitions' | 'sectorSize'>, marketAccountId: string, nowMs: number): CircuitRecord {
  const per = constraintsPerPartition(p.proofType);
  return {
    id: `${CIRCUIT_PREFIX}${p.proofType}-${p.partitions}`, ownerAccountId: marketAccountId, name: `filecoin-c2.${p.proofType}.${p.partitions}`,
    public: true, insecure: false, curve: 'bls12-381', protocol: 'groth16', constraints: per * p.partitions, nPublic: 0, nVars: 0,
    domainLog2: Math.ceil(Math.log2(per)), artifacts: [], inputs: null, createdMs: nowMs,
    description: `filecoin-c2 jobs: Commit2 of ${p.proofType} sectors (${p.sectorSize} bytes, ${p.partitions} partition proofs), `
      + 'proved by provers\' external C2 commands and checked by the broker\'s verifier command',
  };
}

// ------------------------------------------------------------------------------------------ c1 store

export class C1Error extends Error {
  constructor(readonly code: 'invalid' | 'precondition' | 'exhausted' | 'aborted', message: string) { super(message); }
}

export interface C1Status { sha256: string; size: number; received: number; complete: boolean; info: Commit1Info | null }

/** Who uploaded which c1 (the broker's store, migration 0016). */
export interface C1Owners {
  addC1Owner(sha256: string, accountId: string, nowMs: number): Promise<void>;
  ownsC1(sha256: string, accountId: string): Promise<boolean>;
}

/**
 * Uploaded c1.json files, per account. The bytes are content-addressed and shared, the uploads are
 * not: a part being received lives in DATA/c1/parts/<account>/<sha256>.part (kept across
 * interrupted calls and restarts, so an upload resumes where it stopped — on the same broker — and
 * no other account can resume, hold up or overwrite it); once complete, hashed and parsed, it moves
 * into the artifact store (artifacts/<sha256>, where provers fetch it; published to the shared
 * blobs on a PostgreSQL store) with its parsed header in DATA/c1/<sha256>.json, and the store
 * records the uploader as one of its owners. An account that did not upload a c1 sees it exactly
 * as an unknown hash (statusFor, begin): it must send the bytes itself — deduplicated underneath —
 * before it may use them. Another broker of the store sees a c1 after load().
 */
export class C1Store {
  readonly dir: string;
  private readonly busy = new Set<string>();
  private readonly infos = new Map<string, Commit1Info>();

  constructor(dataDir: string, private readonly artifacts: ArtifactStore, readonly maxBytes: number, private readonly owners: C1Owners) {
    this.dir = path.join(dataDir, 'c1');
    fs.mkdirSync(this.dir, { recursive: true });
  }

  /** An account's part file (the account id hashed: any id is a safe file name). */
  private partPath(sha: string, accountId: string): string {
    return path.join(this.dir, 'parts', crypto.createHash('sha256').update(accountId).digest('hex').slice(0, 32), `${sha}.part`);
  }
  private infoPath(sha: string): string { return path.join(this.dir, `${sha}.json`); }

  /** The parsed header of a complete c1 (whoever uploaded it: for the broker's own use), or null. */
  info(sha: string): Commit1Info | null {
    if (!SHA256_RE.test(sha)) return null;
    const hit = this.infos.get(sha);
    if (hit) return hit;
    try {
      const i = JSON.parse(fs.readFileSync(this.infoPath(sha), 'utf8')) as Commit1Info;
      if (this.artifacts.sizeOf(sha) === null) return null;
      this.infos.set(sha, i);
      return i;
    } catch { return null; }
  }

  path(sha: string): string { return this.artifacts.pathOf(sha); }

  /**
   * Brings a c1 that another broker of the store received onto this broker (its bytes pulled from
   * the shared blobs, its header parsed again), so that status() / info() / path() see it. A no-op
   * when it is here already, when there are no shared blobs, or when no complete copy exists.
   */
  async load(sha: string): Promise<void> {
    if (!SHA256_RE.test(sha) || this.info(sha) || !this.artifacts.shared) return;
    if ((await this.artifacts.ensure(sha)) === null) return;
    const info = parseCommit1(fs.readFileSync(this.artifacts.pathOf(sha))).info;
    fs.writeFileSync(this.infoPath(sha), JSON.stringify(info) + '\n');
    this.infos.set(sha, info);
  }

  /** The held c1 by content, whoever uploaded it (the broker's own use: jobs, verification); never answer a client with it. */
  status(sha: string): C1Status {
    if (!SHA256_RE.test(sha)) throw new C1Error('invalid', `sha256 "${sha}" is not 64 lowercase hex characters`);
    const info = this.info(sha);
    if (info) { const size = this.artifacts.sizeOf(sha)!; return { sha256: sha, size, received: size, complete: true, info }; }
    return { sha256: sha, size: 0, received: 0, complete: false, info: null };
  }

  /**
   * The c1 as `accountId` sees it: complete when it uploaded it (pulled from the shared blobs if
   * needed), else the bytes of its own interrupted upload (0 when none) — another account's upload,
   * partial or complete, is never seen.
   */
  async statusFor(sha: string, accountId: string): Promise<C1Status> {
    if (!SHA256_RE.test(sha)) throw new C1Error('invalid', `sha256 "${sha}" is not 64 lowercase hex characters`);
    if (await this.owners.ownsC1(sha, accountId)) {
      await this.load(sha);
      const st = this.status(sha);
      if (st.complete) return st;
    }
    let received = 0;
    try { received = fs.statSync(this.partPath(sha, accountId)).size; } catch { /* none */ }
    return { sha256: sha, size: 0, received, complete: false, info: null };
  }

  /**
   * Starts (or resumes at `offset`) receiving `accountId`'s upload of a c1 of `size` bytes; one
   * upload per account and hash at a time. A c1 the account uploaded before completes at once.
   */
  async begin(sha: string, accountId: string, size: number, offset: number): Promise<C1Upload | C1Status> {
    if (!SHA256_RE.test(sha)) throw new C1Error('invalid', `sha256 "${sha}" is not 64 lowercase hex characters`);
    if (!Number.isSafeInteger(size) || size <= 0) throw new C1Error('invalid', `size ${size} must be a positive number of bytes`);
    if (!Number.isSafeInteger(offset) || offset < 0) throw new C1Error('invalid', `offset ${offset} must be a byte offset (0, or GetC1's received to resume)`);
    if (size > this.maxBytes) {
      throw new C1Error('exhausted', `c1.json of ${size} bytes is over this broker's limit of ${this.maxBytes} bytes (a 32 GiB sector's is ~51 MB; the operator sets --max-c1-bytes)`);
    }
    const st = await this.statusFor(sha, accountId);
    if (st.complete) {
      if (st.size !== size) throw new C1Error('invalid', `a c1 with sha256 ${sha} is held with ${st.size} bytes, not ${size}`);
      return st;
    }
    const key = `${accountId}/${sha}`;
    if (this.busy.has(key)) throw new C1Error('aborted', `another upload of c1 ${sha} is in progress: retry when it ends`);
    if (offset !== 0 && offset !== st.received) {
      throw new C1Error('precondition', `cannot resume c1 ${sha} at offset ${offset}: the broker holds ${st.received} bytes of it (start at ${st.received}, or at 0 to send it all again)`);
    }
    if (offset > size) throw new C1Error('invalid', `offset ${offset} is past the declared size ${size}`);
    this.busy.add(key);
    const part = this.partPath(sha, accountId);
    fs.mkdirSync(path.dirname(part), { recursive: true });
    return new C1Upload(this, sha, accountId, size, offset, part, () => this.busy.delete(key));
  }

  /** Checks the complete part (hash, c1 layout), moves it into place and records the uploader; throws C1Error (the part is then removed). */
  async commit(u: C1Upload): Promise<C1Status> {
    const part = u.partPath;
    const digest = await new Promise<string>((resolve, reject) => {
      const h = crypto.createHash('sha256');
      fs.createReadStream(part).on('data', (d) => h.update(d)).on('end', () => resolve(h.digest('hex'))).on('error', reject);
    });
    if (digest !== u.sha256) {
      fs.rmSync(part, { force: true });
      throw new C1Error('invalid', `c1 upload: sha256 mismatch: declared ${u.sha256}, the ${u.size} bytes received hash to ${digest}; upload it again from offset 0`);
    }
    let info: Commit1Info;
    try { info = parseCommit1(fs.readFileSync(part)).info; } catch (e) {
      fs.rmSync(part, { force: true });
      if (e instanceof Commit1Error) throw new C1Error('invalid', `${e.message} (the upload was discarded: fix the file and upload it again)`);
      throw e;
    }
    // The same bytes held already (another account's upload): the storage is shared, the part goes.
    if (this.artifacts.sizeOf(u.sha256) === null) this.artifacts.adopt(part, u.sha256); else fs.rmSync(part, { force: true });
    // Shared before it counts as held here (the info file): another broker can then serve it too.
    await this.artifacts.publish(u.sha256);
    fs.writeFileSync(this.infoPath(u.sha256), JSON.stringify(info) + '\n');
    this.infos.set(u.sha256, info);
    await this.owners.addC1Owner(u.sha256, u.accountId, Date.now());
    return this.status(u.sha256);
  }
}

/** One UploadC1 call's chunks, appended to the part file in order. */
export class C1Upload {
  private fd: number | null;
  received: number;

  constructor(private readonly store: C1Store, readonly sha256: string, readonly accountId: string, readonly size: number, offset: number,
    readonly partPath: string, private readonly release: () => void) {
    this.fd = fs.openSync(partPath, offset === 0 ? 'w' : 'r+');
    this.received = offset;
  }

  write(data: Uint8Array): void {
    if (this.fd === null) throw new C1Error('invalid', 'c1 upload: chunk after the upload ended');
    if (this.received + data.length > this.size) throw new C1Error('invalid', `c1 upload: more than the declared ${this.size} bytes`);
    let done = 0;
    while (done < data.length) done += fs.writeSync(this.fd, data, done, data.length - done, this.received + done);
    this.received += data.length;
  }

  /** The caller ended the stream: commit when complete, else say where to resume. */
  async finish(): Promise<C1Status> {
    this.close();
    try {
      if (this.received < this.size) {
        throw new C1Error('invalid', `c1 upload truncated: ${this.received} of ${this.size} bytes received; resume with offset ${this.received}`);
      }
      return await this.store.commit(this);
    } finally { this.release(); }
  }

  /** The call broke off: the part stays for a resume. */
  abort(): void { this.close(); this.release(); }

  private close(): void {
    if (this.fd !== null) { try { fs.closeSync(this.fd); } catch { /* closed */ } this.fd = null; }
  }
}

// ------------------------------------------------------------------------------------------ verifier

export interface C2VerifierConfig {
  /** argv of the verifier command (C1_PATH and PROOF_PATH are appended); a string is split on whitespace. */
  command: string[] | string;
  /** Wall-clock limit per run, ms (default 10 minutes); past it the run is a verifier error, not a verdict. */
  timeoutMs?: number;
  /** Runs at once (default 1): the broker's verification budget for C2 proofs. */
  concurrency?: number;
}

export type C2Verdict = { kind: 'valid' } | { kind: 'invalid'; reason: string } | { kind: 'error'; reason: string };

/** Runs the operator's verifier command under its contract, a few at a time. */
export class C2Verifier {
  private readonly argv: string[];
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly children = new Set<number>();

  constructor(readonly cfg: C2VerifierConfig, private readonly workDir: string, private readonly log: Logger) {
    this.argv = Array.isArray(cfg.command) ? cfg.command : cfg.command.trim().split(/\s+/).filter(Boolean);
    if (this.argv.length === 0) throw new Error('--c2-verifier: empty command');
    fs.mkdirSync(workDir, { recursive: true });
  }

  get description(): string { return this.argv.join(' '); }

  /** Checks a job's proof bytes against its c1.json. A length or encoding error is 'invalid' without running the command. */
  async verify(jobId: string, p: C2Payload, c1Path: string, proof: Uint8Array): Promise<C2Verdict> {
    if (proof.length !== p.partitions * FILECOIN_PROOF_BYTES) {
      return { kind: 'invalid', reason: `proof is ${proof.length} bytes, ${p.proofType} needs ${p.partitions} × ${FILECOIN_PROOF_BYTES}` };
    }
    try { proofsFromFilecoin(proof); } catch (e) { return { kind: 'invalid', reason: `proof does not decode: ${(e as Error).message}` }; }
    if (this.running >= Math.max(1, this.cfg.concurrency ?? 1)) await new Promise<void>((r) => this.waiting.push(r));
    this.running++;
    const dir = fs.mkdtempSync(path.join(this.workDir, `verify-${jobId.replace(/[^\w.-]/g, '_')}-`));
    try {
      const proofPath = path.join(dir, 'proof.bin');
      fs.writeFileSync(proofPath, proof);
      return await this.run(jobId, p, c1Path, proofPath);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      this.running--;
      this.waiting.shift()?.();
    }
  }

  private run(jobId: string, p: C2Payload, c1Path: string, proofPath: string): Promise<C2Verdict> {
    const timeoutMs = this.cfg.timeoutMs ?? 600_000;
    return new Promise((resolve) => {
      const child = spawn(this.argv[0], [...this.argv.slice(1), c1Path, proofPath], {
        detached: true, stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, PM_JOB_ID: jobId, PM_PROOF_TYPE: p.proofType, PM_SECTOR_SIZE: String(p.sectorSize), PM_PARTITIONS: String(p.partitions) },
      });
      const pid = child.pid;
      if (pid !== undefined) this.children.add(pid);
      const kill = () => { if (pid !== undefined) { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } } };
      let timedOut = false;
      const timer = setTimeout(() => { timedOut = true; kill(); }, timeoutMs);
      let err = '';
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (d: string) => { err = (err + d).slice(-4000); });
      const last = () => err.trim().split('\n').filter(Boolean).slice(-2).join(' | ');
      child.on('error', (e) => { clearTimeout(timer); resolve({ kind: 'error', reason: `cannot run the C2 verifier ${this.argv[0]}: ${e.message}` }); });
      child.on('close', (code, sig) => {
        clearTimeout(timer);
        kill(); // nothing of the group outlives the run
        if (pid !== undefined) this.children.delete(pid);
        if (timedOut) return resolve({ kind: 'error', reason: `the C2 verifier ran past its ${timeoutMs} ms limit` });
        if (code === 0) return resolve({ kind: 'valid' });
        if (code === 1) return resolve({ kind: 'invalid', reason: `the C2 verifier rejected the proof${last() ? `: ${last()}` : ''}` });
        this.log.warn(`job ${jobId}: C2 verifier failed (${sig ? `signal ${sig}` : `exit ${code}`}): ${last()}`);
        resolve({ kind: 'error', reason: `the C2 verifier could not decide (${sig ? `signal ${sig}` : `exit ${code}`})${last() ? `: ${last()}` : ''}` });
      });
    });
  }

  /** Kills running verifier commands (broker shutdown). */
  close(): void {
    for (const pid of this.children) { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }
    this.children.clear();
  }
}
