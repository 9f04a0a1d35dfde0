// Real child processes for end-to-end tests: the CLI's broker and prover commands, spawned on
// 127.0.0.1 with temporary data dirs. Every process started here is tracked and killed by
// killAll(), which each suite calls in `after` (and which also runs on process exit), so a
// failing test never leaves servers behind.

import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');

const live = new Set<Proc>();
const tmpDirs: string[] = [];

export class Proc {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  constructor(readonly name: string, args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(this);
    const onData = (buf: string) => {
      for (const line of buf.split('\n')) {
        if (!line) continue;
        this.lines.push(line);
        if (process.env.PM_TEST_VERBOSE) process.stderr.write(`[${this.name}] ${line}\n`);
        for (const w of [...this.waiters]) {
          const m = line.match(w.re);
          if (m) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.resolve(m);
          }
        }
      }
    };
    let outBuf = '';
    let errBuf = '';
    const split = (which: 'out' | 'err') => (chunk: Buffer) => {
      let s = (which === 'out' ? outBuf : errBuf) + chunk.toString('utf8');
      const i = s.lastIndexOf('\n');
      const done = i >= 0 ? s.slice(0, i) : '';
      s = i >= 0 ? s.slice(i + 1) : s;
      if (which === 'out') outBuf = s; else errBuf = s;
      if (done) onData(done);
    };
    this.child.stdout!.on('data', split('out'));
    this.child.stderr!.on('data', split('err'));
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        onData(outBuf + '\n' + errBuf);
        this.exitInfo = { code, signal };
        live.delete(this);
        resolve({ code, signal });
      });
    });
  }

  get pid(): number { return this.child.pid ?? -1; }
  get alive(): boolean { return this.exitInfo === null; }

  /** Resolves with the first output line (past or future) matching `re`. */
  waitFor(re: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    for (const line of this.lines) {
      const m = line.match(re);
      if (m) return Promise.resolve(m);
    }
    return new Promise((resolve, reject) => {
      const w = { re, resolve: (m: RegExpMatchArray) => { clearTimeout(t); resolve(m); } };
      const t = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`${this.name}: no output matching ${re} within ${timeoutMs} ms` +
          (this.exitInfo ? ` (exited: ${JSON.stringify(this.exitInfo)})` : '') + `\n${this.tail()}`));
      }, timeoutMs);
      this.waiters.push(w);
      this.exited.then((info) => {
        if (this.waiters.includes(w)) {
          clearTimeout(t);
          this.waiters.splice(this.waiters.indexOf(w), 1);
          reject(new Error(`${this.name} exited (${JSON.stringify(info)}) before printing ${re}\n${this.tail()}`));
        }
      });
    });
  }

  /** Sends `signal` and waits for the process to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.alive) return;
    this.child.kill(signal);
    const timer = setTimeout(() => { if (this.alive) this.child.kill('SIGKILL'); }, 5000);
    await this.exited;
    clearTimeout(timer);
  }

  tail(n = 40): string {
    return this.lines.slice(-n).map((l) => `  [${this.name}] ${l}`).join('\n');
  }
}

export function tmpDir(prefix = 'pm-e2e-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tmpDirs.push(d);
  return d;
}

export interface BrokerOptions {
  dataDir?: string;
  listen?: string;
  leaseMs?: number;
  heartbeatMs?: number;
  maxAttempts?: number;
  env?: NodeJS.ProcessEnv;
  name?: string;
  /** More broker flags, e.g. ['--tls-cert', F, '--tls-key', K]. */
  extraArgs?: string[];
  /** Pass --local-accounts (default true): local-client and local-prover keys next to admin.key. */
  localAccounts?: boolean;
}

export interface BrokerProc {
  proc: Proc;
  address: string;
  dataDir: string;
  opts: BrokerOptions;
  /** API keys of the accounts the broker made on its first start (--local-accounts): admin, local-client, local-prover. */
  keys: { admin: string; client: string; prover: string };
}

/** Starts `proofmarket broker` and waits until it prints its address. */
export async function startBrokerProc(opts: BrokerOptions = {}): Promise<BrokerProc> {
  const dataDir = opts.dataDir ?? tmpDir('pm-broker-');
  const args = ['broker', '--listen', opts.listen ?? '127.0.0.1:0', '--data', dataDir];
  if (opts.localAccounts !== false) args.push('--local-accounts');
  if (opts.leaseMs) args.push('--lease-ms', String(opts.leaseMs));
  if (opts.heartbeatMs) args.push('--heartbeat-ms', String(opts.heartbeatMs));
  if (opts.maxAttempts) args.push('--max-attempts', String(opts.maxAttempts));
  if (opts.extraArgs) args.push(...opts.extraArgs);
  const proc = new Proc(opts.name ?? 'broker', args, opts.env);
  const m = await proc.waitFor(/listening on (\S+)/, 60_000);
  const key = (n: string) => (fs.existsSync(path.join(dataDir, `${n}.key`)) ? fs.readFileSync(path.join(dataDir, `${n}.key`), 'utf8').trim() : '');
  return { proc, address: m[1], dataDir, opts, keys: { admin: key('admin'), client: key('client'), prover: key('prover') } };
}

/** Kills a broker and starts a new one on the same address and data dir (`whileDown` runs in between). */
export async function restartBrokerProc(b: BrokerProc, signal: NodeJS.Signals = 'SIGKILL', whileDown?: () => Promise<void>): Promise<BrokerProc> {
  await b.proc.kill(signal);
  await whileDown?.();
  // The port is free again as soon as the process is gone, but retry briefly to be safe.
  for (let i = 0; ; i++) {
    try {
      return await startBrokerProc({ ...b.opts, dataDir: b.dataDir, listen: b.address, name: `${b.proc.name}'` });
    } catch (err) {
      if (i >= 5) throw err;
      await sleep(300);
    }
  }
}

export interface ProverProcOptions {
  name: string;
  dataDir?: string;
  backend?: string;
  fault?: import('../../prover/faults').Fault;
  env?: NodeJS.ProcessEnv;
  /** Asking price per proof, micro-credits (--price). */
  price?: number;
  /** The operator's API key (passed as --api-key). */
  apiKey?: string;
  /** More prover flags, e.g. ['--tls-ca', F]. */
  extraArgs?: string[];
}

/**
 * Starts `proofmarket prover` and waits until it has registered; returns its prover id. Given a
 * BrokerProc, it runs as the broker's local-prover account unless opts.apiKey says otherwise.
 */
export async function startProverProc(b: string | BrokerProc, opts: ProverProcOptions): Promise<{ proc: Proc; proverId: string }> {
  const broker = typeof b === 'string' ? b : b.address;
  if (typeof b !== 'string' && opts.apiKey === undefined) opts = { ...opts, apiKey: b.keys.prover };
  const args = ['prover', '--broker', broker, '--data', opts.dataDir ?? tmpDir('pm-prover-'), '--name', opts.name];
  // Default: whatever the prover picks (native cpu/cuda when built, else snarkjs).
  if (opts.backend) args.push('--backend', opts.backend);
  if (opts.apiKey) args.push('--api-key', opts.apiKey);
  if (opts.price !== undefined) args.push('--price', String(opts.price));
  if (opts.extraArgs) args.push(...opts.extraArgs);
  const env: NodeJS.ProcessEnv = { ...(opts.env ?? {}) };
  if (opts.fault) env.PM_FAULT = opts.fault;
  const proc = new Proc(opts.name, args, env);
  const m = await proc.waitFor(/prover (\S+) registered/, 60_000);
  return { proc, proverId: m[1] };
}

/** Runs a CLI command to completion; resolves with its exit code and output. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000):
  Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    const t = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`proofmarket ${args.join(' ')} timed out\n${stderr}`)); }, timeoutMs);
    child.on('exit', (code) => { clearTimeout(t); resolve({ code, stdout, stderr }); });
  });
}

/** Kills every process started by these helpers and removes their temp dirs. */
export async function killAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.kill('SIGKILL')));
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** Output of every live process, for a failing test's message. */
export function dumpLive(): string {
  return [...live].map((p) => p.tail(25)).join('\n');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

process.on('exit', () => {
  for (const p of live) {
    try { p.child.kill('SIGKILL'); } catch { /* gone */ }
  }
});
