// The external-prover backend: runs an operator-configured command for Filecoin Commit2
// ("filecoin-c2") jobs — a real C2 binary (rust-fil-proofs, supraseal, cuzk, wrapped in a small
// script) that proofmarket cannot build or run itself. The contract between the prover daemon
// and the command (also in prover/backends/EXTERNAL.md):
//
//   invocation  COMMAND... C1_PATH OUT_PATH   (the configured argv, then two paths), cwd = JOB_DIR,
//               a fresh folder holding c1.json (the job's Commit1 output, as the client uploaded
//               it) and job.json ({ jobId, kind, sectorSize, partitions, timeoutMs, memoryBytes }).
//               The same values are in the environment: PM_JOB_DIR, PM_C1, PM_OUT, PM_JOB_ID,
//               PM_SECTOR_SIZE (bytes), PM_PARTITIONS, PM_TIMEOUT_MS, PM_MEMORY_BYTES.
//   output      OUT_PATH: the proof as Filecoin takes it, N × 192 bytes (N = partitions), each
//               proof A‖B‖C in the zcash compressed BLS12-381 form. The daemon decodes every point
//               (on the curve, in the prime-order subgroup) before it reports the result; any
//               other content is a failed run ("garbage output").
//   exit code   0 = success (OUT_PATH must then be valid); 2 = the input is bad (malformed or
//               inconsistent c1.json): the job fails for good, no other prover will retry it;
//               anything else (or death by a signal) = this run failed, the job may be retried.
//   progress    stderr lines `PROGRESS <fraction 0..1> [stage words]`, e.g.
//               `PROGRESS 0.3 partition 3/10`; other stderr lines are logged, and the last 20 are
//               kept for the error message. stdout is ignored (logged at debug level).
//   time limit  after timeoutMs the whole process group gets SIGTERM, and SIGKILL 5 s later;
//               the run fails with "timeout". Cancellation (job cancelled, lease lost) does the same.
//   memory      the resident memory of the command's process group is sampled every 250 ms
//               (/proc); above memoryBytes the group is killed and the run fails with "memory".
//               (A sampled limit, not an rlimit: GPU programs reserve huge virtual address
//               ranges, so RLIMIT_AS would break them.)

import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { FILECOIN_PROOF_BYTES, proofsFromFilecoin } from '../../src/common/filecoin';

/** The job kind a daemon advertises for this backend. */
export const FILECOIN_C2_KIND = 'filecoin-c2';

/** Exit code with which a command says "the input is bad, do not retry". */
export const EXIT_BAD_INPUT = 2;

export interface ExternalC2Config {
  /** argv of the command (the two paths are appended); a string is split on whitespace. */
  command: string[] | string;
  /** Sector sizes (bytes) this command proves, e.g. [34359738368] for 32 GiB. */
  sectorSizes: number[];
  /** Wall-clock limit per run, ms (default 45 minutes, the snark market's C2 deadline). */
  timeoutMs?: number;
  /** Resident-memory limit of the command's process group, bytes; 0 = none (default). */
  memoryBytes?: number;
  /** Grace between SIGTERM and SIGKILL, ms (default 5000). */
  killGraceMs?: number;
  /** Folder under which each run gets its own job folder (removed afterwards). */
  workDir: string;
  /** Keep job folders after the run (debugging). */
  keepJobDirs?: boolean;
  log?: (level: 'info' | 'warn' | 'debug', line: string) => void;
}

export interface ExternalC2Job {
  jobId: string;
  /** the Commit1 output: a path to copy from, or its bytes */
  c1: string | Uint8Array;
  sectorSize: number;
  /** number of proofs expected in the output (10 for a 32 GiB sector) */
  partitions: number;
  onProgress?: (stage: string, fraction: number) => void;
  signal?: AbortSignal;
}

export type ExternalFailure = 'bad-input' | 'failed' | 'timeout' | 'memory' | 'output' | 'aborted' | 'spawn';

/** A run that did not produce a usable proof; `kind` says why and whether a retry may help. */
export class ExternalProverError extends Error {
  constructor(readonly kind: ExternalFailure, message: string, readonly stderrTail: string[] = []) {
    super(message);
    this.name = 'ExternalProverError';
  }
  /** bad-input is final; everything else may succeed on another run or prover. */
  get retryable(): boolean { return this.kind !== 'bad-input'; }
}

export interface ExternalC2Result {
  /** N × 192 bytes, decoded and checked point by point */
  proof: Uint8Array;
  partitions: number;
  ms: number;
  peakRssBytes: number;
}

const PROGRESS_RE = /^PROGRESS\s+([0-9]*\.?[0-9]+(?:e-?\d+)?)\s*(.*)$/i;

/** Sum of VmRSS (bytes) over the processes whose process group is pgid (Linux /proc). */
function groupRssBytes(pgid: number): number {
  let total = 0;
  let entries: string[];
  try { entries = fs.readdirSync('/proc'); } catch { return 0; }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      // fields after the command name "(...)": state ppid pgrp ...
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[2]) !== pgid) continue;
      const rss = Number(rest[21]); // field 24: rss in pages
      total += rss * 4096;
    } catch { /* gone */ }
  }
  return total;
}

export class ExternalC2Backend {
  readonly kind = FILECOIN_C2_KIND;
  private readonly argv: string[];

  constructor(readonly config: ExternalC2Config) {
    this.argv = Array.isArray(config.command) ? config.command : config.command.trim().split(/\s+/);
    if (this.argv.length === 0 || !this.argv[0]) throw new Error('filecoin-c2: no command configured');
    if (config.sectorSizes.length === 0) throw new Error('filecoin-c2: no sector sizes configured');
  }

  supports(sectorSize: number): boolean { return this.config.sectorSizes.includes(sectorSize); }

  /** Runs the command once under the contract above. Throws ExternalProverError on any failure. */
  async run(job: ExternalC2Job): Promise<ExternalC2Result> {
    const log = this.config.log ?? (() => {});
    if (!this.supports(job.sectorSize)) {
      throw new ExternalProverError('bad-input', `sector size ${job.sectorSize} is not one this prover serves (${this.config.sectorSizes.join(', ')})`);
    }
    const timeoutMs = this.config.timeoutMs ?? 45 * 60_000;
    const memoryBytes = this.config.memoryBytes ?? 0;
    fs.mkdirSync(this.config.workDir, { recursive: true });
    const dir = fs.mkdtempSync(path.join(this.config.workDir, `c2-${job.jobId.replace(/[^\w.-]/g, '_')}-`));
    const c1Path = path.join(dir, 'c1.json');
    const outPath = path.join(dir, 'proof.bin');
    try {
      if (typeof job.c1 === 'string') fs.copyFileSync(job.c1, c1Path);
      else fs.writeFileSync(c1Path, job.c1);
      const meta = { jobId: job.jobId, kind: FILECOIN_C2_KIND, sectorSize: job.sectorSize, partitions: job.partitions, timeoutMs, memoryBytes };
      fs.writeFileSync(path.join(dir, 'job.json'), JSON.stringify(meta, null, 1) + '\n');
      return await this.spawnAndWait(job, dir, c1Path, outPath, timeoutMs, memoryBytes, log);
    } finally {
      if (!this.config.keepJobDirs) fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  private spawnAndWait(job: ExternalC2Job, dir: string, c1Path: string, outPath: string, timeoutMs: number,
    memoryBytes: number, log: NonNullable<ExternalC2Config['log']>): Promise<ExternalC2Result> {
    const t0 = Date.now();
    const grace = this.config.killGraceMs ?? 5000;
    return new Promise<ExternalC2Result>((resolve, reject) => {
      const child = spawn(this.argv[0], [...this.argv.slice(1), c1Path, outPath], {
        cwd: dir,
        detached: true, // own process group, so the whole tree can be signalled
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          PM_JOB_DIR: dir, PM_C1: c1Path, PM_OUT: outPath, PM_JOB_ID: job.jobId,
          PM_SECTOR_SIZE: String(job.sectorSize), PM_PARTITIONS: String(job.partitions),
          PM_TIMEOUT_MS: String(timeoutMs), PM_MEMORY_BYTES: String(memoryBytes),
        },
      });
      const tail: string[] = [];
      let killedFor: ExternalFailure | null = null;
      let killReason = '';
      let peak = 0;
      let killTimer: NodeJS.Timeout | null = null;
      let settled = false;

      const killGroup = (sig: NodeJS.Signals): void => {
        if (child.pid === undefined) return;
        try { process.kill(-child.pid, sig); } catch { /* already gone */ }
      };
      const stop = (why: ExternalFailure, reason: string): void => {
        if (killedFor) return;
        killedFor = why; killReason = reason;
        log('warn', `filecoin-c2 job ${job.jobId}: ${reason}; stopping the command`);
        killGroup('SIGTERM');
        killTimer = setTimeout(() => killGroup('SIGKILL'), grace);
      };

      const timer = setTimeout(() => stop('timeout', `timeout: no result after ${timeoutMs} ms`), timeoutMs);
      const sampler = setInterval(() => {
        if (child.pid === undefined) return;
        const rss = groupRssBytes(child.pid);
        peak = Math.max(peak, rss);
        if (memoryBytes > 0 && rss > memoryBytes) stop('memory', `memory: resident ${rss} bytes > limit ${memoryBytes} bytes`);
      }, 250);
      const onAbort = (): void => stop('aborted', 'job cancelled or lease lost');
      job.signal?.addEventListener('abort', onAbort);
      if (job.signal?.aborted) onAbort();

      let errBuf = '';
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (chunk: string) => {
        errBuf += chunk;
        let nl: number;
        while ((nl = errBuf.indexOf('\n')) >= 0) {
          const line = errBuf.slice(0, nl).replace(/\r$/, '');
          errBuf = errBuf.slice(nl + 1);
          const m = PROGRESS_RE.exec(line.trim());
          if (m) {
            const f = Math.min(1, Math.max(0, Number(m[1])));
            job.onProgress?.(m[2] || 'proving', f);
          } else if (line.trim()) {
            tail.push(line);
            if (tail.length > 20) tail.shift();
            log('info', `filecoin-c2 job ${job.jobId}: ${line}`);
          }
        }
      });
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => log('debug', `filecoin-c2 job ${job.jobId} stdout: ${chunk.trimEnd()}`));

      const finish = (err: ExternalProverError | null, res?: ExternalC2Result): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(sampler);
        if (killTimer) clearTimeout(killTimer);
        job.signal?.removeEventListener('abort', onAbort);
        if (err) reject(err); else resolve(res!);
      };

      child.on('error', (e) => finish(new ExternalProverError('spawn', `cannot run ${this.argv[0]}: ${e.message}`)));
      child.on('close', (code, sig) => {
        // make sure nothing of the group outlives the run (a command that forked and exited)
        killGroup('SIGKILL');
        const ms = Date.now() - t0;
        const tailText = tail.length ? `; last stderr: ${tail.slice(-3).join(' | ')}` : '';
        if (killedFor) return finish(new ExternalProverError(killedFor, `${killReason}${tailText}`, tail));
        if (code === EXIT_BAD_INPUT) {
          return finish(new ExternalProverError('bad-input', `the command rejected the input (exit ${EXIT_BAD_INPUT})${tailText}`, tail));
        }
        if (code !== 0) {
          return finish(new ExternalProverError('failed', `the command failed (${sig ? `signal ${sig}` : `exit ${code}`})${tailText}`, tail));
        }
        let bytes: Buffer;
        try { bytes = fs.readFileSync(outPath); } catch {
          return finish(new ExternalProverError('output', `the command exited 0 but wrote no ${path.basename(outPath)}`, tail));
        }
        const want = job.partitions * FILECOIN_PROOF_BYTES;
        if (bytes.length !== want) {
          return finish(new ExternalProverError('output', `garbage output: ${bytes.length} bytes, expected ${job.partitions} × ${FILECOIN_PROOF_BYTES} = ${want}`, tail));
        }
        try { proofsFromFilecoin(bytes); } catch (e) {
          return finish(new ExternalProverError('output', `garbage output: ${(e as Error).message}`, tail));
        }
        job.onProgress?.('done', 1);
        finish(null, { proof: new Uint8Array(bytes), partitions: job.partitions, ms, peakRssBytes: peak });
      });
    });
  }
}

/** What a job needs from a Commit1 output (proof type, sector size, partitions): src/common/commit1.ts. */
export { commit1Info, Commit1Error, type Commit1Info } from '../../src/common/commit1';
