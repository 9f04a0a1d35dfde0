// `proofmarket` — the command line: run a broker or a prover, register circuits, submit and watch
// jobs. Human-readable output by default, `--json` for scripts. Errors print one line
// `error: <message>` and exit 1; usage errors exit 2.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CommandSpec, Parsed, UsageError, bool, list, num, parseArgs, required, str } from './args';
import {
  circuitJson, circuitLabel, circuitLine, circuitsTable, humanBytes, isTerminal, jobDetails, jobJson, jobsTable, parseState, shortCurve, shortState, table,
} from './format';
import {
  DEFAULT_BROKER_ADDRESS, FILECOIN_PROOF_BYTES, formatAddress, parseAddress, proofsFromFilecoin, proofsToFilecoin,
} from '../common';
import type { CreateAccountResponse__Output, Job__Output, SnarkjsProof } from '../common';
import { MarketClient, MarketError } from '../client/market';
import { bufferedStderrSink, flushLogs } from '../common/log';
import { ExternalC2Backend, ExternalProverError } from '../../prover/backends/external';
import { commit1Info, formatSectorSize, parseSectorSize } from '../common/commit1';
import {
  PartitionInput, partitionProvers, partitionStatus, readInputFile, readInputsDir, writePartitionProofs,
} from './partitions';
import { NO_R1CS_WARNING, besideWasm, fullProveJob, proveJob, type MarketOptions } from '../client/groth16';
import { ProgressLine } from './progress';
import { escapeControl, escapeJsonControl } from '../common/text';
import { AccountsClient, type Balance } from '../client/accounts';
import {
  CONNECT_FLAGS, DEFAULT_DATA_DIR, SERVER_TLS_FLAGS, brokerAddress, clientTls, connectOptions, localClientKeyFiles, quietTlsIpWarning, serverTls,
} from './connect';

const CLIENT_FLAGS: CommandSpec['flags'] = { ...CONNECT_FLAGS, json: 'boolean', help: 'boolean' };

const COMMANDS: Record<string, { spec: CommandSpec; usage: string; run: (p: Parsed) => Promise<number> }> = {};

function command(name: string, usage: string, spec: CommandSpec, run: (p: Parsed) => Promise<number>): void {
  COMMANDS[name] = { spec: { ...spec, flags: { help: 'boolean', ...spec.flags } }, usage, run };
}

const stderrTty = (): boolean => !!process.stderr.isTTY;

// Everything printed carries text from the broker (names, errors, stages a prover sent): control
// characters are shown as escapes, never acted on by the terminal (src/common/text.ts).
function out(line: string): void {
  flushLogs(); // the log lines before it (buffered per turn) come first
  process.stdout.write(escapeControl(line) + '\n');
}

function printJson(v: unknown): void {
  process.stdout.write(escapeJsonControl(JSON.stringify(v, null, 2)) + '\n');
}

/** A line on stderr (control characters escaped). */
function errLine(line: string): void {
  process.stderr.write(escapeControl(line) + '\n');
}

/** A transient status line on stderr, only when stderr is a terminal. */
function status(line: string | null): void {
  if (!stderrTty()) return;
  process.stderr.write('\r\x1b[K' + escapeControl(line ?? ''));
}

async function withClient<T>(p: Parsed, fn: (c: MarketClient) => Promise<T>): Promise<T> {
  const address = brokerAddress(p);
  const c = new MarketClient(address, connectOptions(p, address, localClientKeyFiles()));
  try {
    return await fn(c);
  } finally {
    c.close();
  }
}

function envNum(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`${name} must be a number, got "${v}"`);
  return n;
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

// ---------------------------------------------------------------------------------------------
// Daemons

const BROKER_FLAGS: CommandSpec['flags'] = {
  listen: 'string', data: 'string', store: 'string', 'blob-dir': 'string', 'lease-ms': 'number', 'heartbeat-ms': 'number', 'max-attempts': 'number', 'max-live-jobs': 'number',
  ...SERVER_TLS_FLAGS, 'fee-bps': 'number', 'stake-bps': 'number', 'slash-client-bps': 'number', http: 'string', 'grace-ms': 'number', 'min-on-time': 'number',
  'admission-challenges': 'number', 'fallback-backend': 'string', 'recheck-ms': 'number', 'offer-step-bps': 'number', 'calibration-sizes': 'number',
  'c2-verifier': 'string', 'c2-verifier-timeout': 'number', 'max-c1-bytes': 'number',
};

function brokerOptions(p: Parsed, defaultData: string) {
  return {
    listen: formatAddress(parseAddress(str(p, 'listen') ?? DEFAULT_BROKER_ADDRESS)),
    dataDir: path.resolve(str(p, 'data') ?? defaultData),
    store: str(p, 'store') ?? process.env.PM_DATABASE_URL ?? '',
    blobDir: str(p, 'blob-dir') ? path.resolve(str(p, 'blob-dir')!) : (process.env.PM_BLOB_DIR || null),
    leaseMs: num(p, 'lease-ms') ?? envNum('PM_LEASE_MS'),
    heartbeatMs: num(p, 'heartbeat-ms') ?? envNum('PM_HEARTBEAT_MS'),
    maxAttempts: num(p, 'max-attempts') ?? envNum('PM_MAX_ATTEMPTS'),
    maxLiveJobs: num(p, 'max-live-jobs') ?? envNum('PM_MAX_LIVE_JOBS'),
    ...c2VerifierOptions(p),
    tls: serverTls(p),
    // Metrics and dashboard port: --http HOST:PORT (or PM_HTTP); a bare port binds loopback.
    http: httpAddress(str(p, 'http') ?? (process.env.PM_HTTP || undefined)),
    money: {
      ...(num(p, 'fee-bps') !== undefined ? { feeBps: num(p, 'fee-bps') } : {}),
      ...(num(p, 'stake-bps') !== undefined ? { stakeBps: num(p, 'stake-bps') } : {}),
      ...(num(p, 'slash-client-bps') !== undefined ? { slashClientBps: num(p, 'slash-client-bps') } : {}),
    },
    routing: {
      ...((num(p, 'grace-ms') ?? envNum('PM_GRACE_MS')) !== undefined ? { graceMs: num(p, 'grace-ms') ?? envNum('PM_GRACE_MS') } : {}),
      ...(num(p, 'min-on-time') !== undefined ? { defaultMinOnTime: num(p, 'min-on-time') } : {}),
      ...(num(p, 'admission-challenges') !== undefined ? { admissionChallenges: num(p, 'admission-challenges') } : {}),
      ...(num(p, 'recheck-ms') !== undefined ? { recheckMs: num(p, 'recheck-ms') } : {}),
      ...(offerStepBps(p) !== undefined ? { offerStepBps: offerStepBps(p) } : {}),
      ...(num(p, 'calibration-sizes') !== undefined ? { calibrationSizes: num(p, 'calibration-sizes') } : {}),
    },
  };
}

/** --c2-verifier CMD [--c2-verifier-timeout S] [--max-c1-bytes N]: the broker's filecoin-c2 verifier (broker/c2.ts). */
/** --offer-step-bps N: one step of an offer raise, in basis points of the job's max price (1..10000). */
function offerStepBps(p: Parsed): number | undefined {
  const v = num(p, 'offer-step-bps');
  if (v !== undefined && !(Number.isInteger(v) && v >= 1 && v <= 10_000)) throw new UsageError('--offer-step-bps must be an integer from 1 to 10000 (basis points of the max price per raise)');
  return v;
}

function c2VerifierOptions(p: Parsed) {
  const cmd = str(p, 'c2-verifier');
  const timeout = num(p, 'c2-verifier-timeout');
  if (timeout !== undefined && !(timeout > 0)) throw new UsageError('--c2-verifier-timeout must be a positive number of seconds');
  if (timeout !== undefined && !cmd) throw new UsageError('--c2-verifier-timeout needs --c2-verifier CMD');
  const maxC1 = num(p, 'max-c1-bytes');
  if (maxC1 !== undefined && !(Number.isSafeInteger(maxC1) && maxC1 > 0)) throw new UsageError('--max-c1-bytes must be a positive number of bytes');
  return {
    c2Verifier: cmd ? { command: cmd, ...(timeout ? { timeoutMs: Math.round(timeout * 1000) } : {}) } : null,
    ...(maxC1 ? { maxC1Bytes: maxC1 } : {}),
  };
}

function httpAddress(v: string | undefined): string | null {
  if (v === undefined) return null;
  try { return formatAddress(parseAddress(v, 9464)); } catch (e) { throw new UsageError(`--http: ${(e as Error).message}`); }
}

/** Log lines go to stderr, one write per event-loop turn (log.ts). */
function logSink(): (line: string) => void {
  return bufferedStderrSink();
}

command('broker', 'broker [--listen HOST:PORT] [--data DIR] [--store postgres://USER:PASS@HOST:PORT/DB] [--blob-dir DIR] [--lease-ms N] [--heartbeat-ms N] [--max-attempts N] [--max-live-jobs N] [--tls-cert FILE --tls-key FILE] [--local-accounts] [--fee-bps N] [--stake-bps N] [--slash-client-bps N] [--http HOST:PORT] [--grace-ms N] [--min-on-time P] [--admission-challenges N] [--recheck-ms N] [--offer-step-bps N] [--calibration-sizes N] [--fallback-backend cpu|snarkjs] [--c2-verifier CMD [--c2-verifier-timeout S]] [--max-c1-bytes N]',
  { flags: { ...BROKER_FLAGS, 'local-accounts': 'boolean' } }, async (p) => {
    const { startBroker } = await import('../../broker');
    const o = brokerOptions(p, DEFAULT_DATA_DIR);
    const fallbackBackend = str(p, 'fallback-backend');
    if (fallbackBackend && !['cpu', 'snarkjs', 'cuda'].includes(fallbackBackend)) throw new UsageError('--fallback-backend must be cpu, snarkjs or cuda');
    const b = await startBroker({ ...o, localAccounts: bool(p, 'local-accounts'), log: logSink(), fallback: !!fallbackBackend });
    if (b.httpAddress) out(`metrics on http://${b.httpAddress}/metrics, dashboard on http://${b.httpAddress}/`);
    out(`broker listening on ${b.address}${b.tls ? ' with TLS' : ''} (data ${o.dataDir})`);
    let fallback: { close(): Promise<void> } | null = null;
    if (fallbackBackend) {
      const { startProver } = await import('../../prover');
      try {
        const fp = await startProver({
          broker: b.address, dataDir: path.join(o.dataDir, 'fallback-prover'), name: 'fallback', backends: [fallbackBackend], log: logSink(),
          apiKey: fs.readFileSync(b.fallbackKeyFile!, 'utf8').trim(), tls: o.tls ? { caFile: o.tls.certFile, skipHostnameCheck: true } : null,
        });
        fallback = fp;
        out(`fallback prover ${fp.proverId} ready (${fallbackBackend}): used only when no market prover is likely to meet a deadline`);
      } catch (e) { await b.close(); throw e; }
    }
    const sig = await waitForSignal();
    process.stderr.write(`${sig}: shutting down\n`);
    await fallback?.close();
    await b.close();
    return 0;
  });

/** The prover daemon's filecoin-c2 flags (prover/backends/EXTERNAL.md), shared by `prover` and `start`. */
const C2_PROVER_FLAGS: CommandSpec['flags'] = {
  'c2-command': 'string', 'c2-sector-sizes': 'list', 'c2-timeout': 'number', 'c2-memory': 'number', 'c2-price': 'string',
};

const PROVER_FLAGS: CommandSpec['flags'] = {
  ...CONNECT_FLAGS, data: 'string', backend: 'list', name: 'string', price: 'string', 'price-per-mconstraints': 'string', ...C2_PROVER_FLAGS,
};

/** --c2-command CMD --c2-sector-sizes 2KiB,32GiB [--c2-timeout S] [--c2-memory BYTES] [--c2-price MICRO] → the daemon's c2 option. */
function c2ProverOptions(p: Parsed) {
  const command = str(p, 'c2-command');
  const sizes = list(p, 'c2-sector-sizes') ?? [];
  const others = ['c2-sector-sizes', 'c2-timeout', 'c2-memory', 'c2-price'].filter((f) => p.flags[f] !== undefined);
  if (!command) {
    if (others.length) throw new UsageError(`--${others[0]} needs --c2-command CMD`);
    return null;
  }
  if (sizes.length === 0) throw new UsageError('--c2-command needs --c2-sector-sizes (e.g. 32GiB, or 2KiB,32GiB: the sector sizes it proves)');
  let sectorSizes: number[];
  try { sectorSizes = sizes.flatMap((x) => x.split(',')).filter(Boolean).map(parseSectorSize); } catch (e) { throw new UsageError(`--c2-sector-sizes: ${(e as Error).message}`); }
  const timeout = num(p, 'c2-timeout');
  if (timeout !== undefined && !(timeout > 0)) throw new UsageError('--c2-timeout must be a positive number of seconds');
  const memory = num(p, 'c2-memory');
  if (memory !== undefined && !(Number.isSafeInteger(memory) && memory >= 0)) throw new UsageError('--c2-memory must be a number of bytes (0 = no limit)');
  return { command, sectorSizes, timeoutMs: timeout ? Math.round(timeout * 1000) : undefined, memoryBytes: memory ?? 0, price: amountFlag(p, 'c2-price') };
}

/** A micro-credit amount flag: a non-negative integer, kept as a string (never a JS number). */
function amountFlag(p: Parsed, name: string): string | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  if (!/^\d{1,19}$/.test(v.trim())) throw new UsageError(`--${name} must be a non-negative integer of micro-credits, got "${v}"`);
  return BigInt(v.trim()).toString();
}

/** The largest single deposit the broker takes, micro-credits (broker/money.ts MAX_DEPOSIT, 2^53-1). */
const MAX_DEPOSIT = (1n << 53n) - 1n;
/** The most any book holds, micro-credits (broker/money.ts MAX_AMOUNT, 2^63-1): a withdrawal's upper bound. */
const MAX_AMOUNT = (1n << 63n) - 1n;

/** A list's --limit: a whole number from 1 to the RPC's maximum (a negative one must not wrap to 2^32 - 1). */
function limitFlag(p: Parsed, max: number): number | undefined {
  const v = num(p, 'limit');
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < 1 || v > max) throw new UsageError(`--limit must be a whole number from 1 to ${max}, got "${v}"`);
  return v;
}

command('prover', 'prover [--broker HOST:PORT] [--api-key KEY] [--tls-ca FILE | --tls] [--data DIR] [--backend cuda|cpu|snarkjs] [--name NAME] [--price MICRO] [--price-per-mconstraints MICRO] [--c2-command CMD --c2-sector-sizes 2KiB,32GiB [--c2-timeout S] [--c2-memory BYTES] [--c2-price MICRO]]',
  { flags: PROVER_FLAGS }, async (p) => {
    const { startProver } = await import('../../prover');
    const broker = brokerAddress(p);
    const dataDir = path.resolve(str(p, 'data') ?? path.join(DEFAULT_DATA_DIR, 'prover'));
    const prover = await startProver({
      broker, dataDir, name: str(p, 'name'), backends: list(p, 'backend'), log: logSink(),
      ...connectOptions(p, broker, [path.resolve(DEFAULT_DATA_DIR, 'prover.key')]),
      price: amountFlag(p, 'price'), pricePerMConstraints: amountFlag(p, 'price-per-mconstraints'), c2: c2ProverOptions(p),
    });
    out(`prover ${prover.proverId} registered with ${broker} (backends: ${prover.backends.join(' > ')}; cache ${path.join(dataDir, 'cache')})`);
    const ended = await Promise.race([waitForSignal(), prover.stopped]);
    if (ended instanceof Error) {
      // Refused for good (key revoked, identity taken over): the daemon already let go of everything.
      process.stderr.write(`error: ${ended.message}\n`);
      return 1;
    }
    process.stderr.write(`${ended}: shutting down\n`);
    await prover.close();
    return 0;
  });

command('start', 'start [--listen HOST:PORT] [--data DIR] [--http HOST:PORT] [--backend NAME] [--lease-ms N] [--heartbeat-ms N] [--tls-cert FILE --tls-key FILE [--tls-ca FILE]] [--c2-verifier CMD [--c2-verifier-timeout S]] [--max-c1-bytes N] [--c2-command CMD --c2-sector-sizes SIZES [--c2-timeout S] [--c2-memory BYTES] [--c2-price MICRO]] (and the broker\'s other flags)',
  { flags: { ...BROKER_FLAGS, ...C2_PROVER_FLAGS, backend: 'list', 'tls-ca': 'string' } }, async (p) => {
    const { startBroker } = await import('../../broker');
    const { startProver } = await import('../../prover');
    const o = brokerOptions(p, DEFAULT_DATA_DIR);
    // The local prover dials its own broker at the listen address: it trusts the CA given with
    // --tls-ca, else the certificate itself (self-signed), whatever host name it was issued for.
    const localTls = o.tls ? { caFile: clientTls(p)?.caFile ?? o.tls.certFile, skipHostnameCheck: true } : null;
    // First start: an admin, a local client and a local prover account; their keys go to DATA/*.key,
    // where client commands find client.key without a flag.
    // Embedded mode: one admission challenge per new prover by default, so the quick start stays quick.
    const routing = { admissionChallenges: 1, ...o.routing };
    const broker = await startBroker({ ...o, routing, dataDir: path.join(o.dataDir, 'broker'), keyDir: o.dataDir, localAccounts: true, log: logSink() });
    const proverKey = fs.readFileSync(path.join(o.dataDir, 'prover.key'), 'utf8').trim();
    let prover: { proverId: string; backends: string[]; stopped: Promise<Error>; close(): Promise<void> } | null = null;
    try {
      prover = await startProver({
        broker: broker.address, dataDir: path.join(o.dataDir, 'prover'), name: 'local', backends: list(p, 'backend'), log: logSink(),
        tls: localTls, apiKey: proverKey, c2: c2ProverOptions(p),
      });
    } catch (err) {
      await broker.close();
      throw err;
    }
    out(`proofmarket broker listening on ${broker.address}${broker.tls ? ' with TLS' : ''} (data ${o.dataDir})`);
    if (broker.httpAddress) {
      // The dashboard reads the API key from the URL's fragment (never sent to the server): the local client's key, ready to open.
      const key = encodeURIComponent(fs.readFileSync(path.join(o.dataDir, 'client.key'), 'utf8').trim());
      out(`dashboard on http://${broker.httpAddress}/#key=${key} (the local client's key, ${path.join(o.dataDir, 'client.key')}), metrics on http://${broker.httpAddress}/metrics`);
    }
    out(`local prover ${prover.proverId} ready (backends: ${prover.backends.join(' > ')})`);
    out(`try: npx proofmarket circuits --broker ${broker.address}`);
    const ended = await Promise.race([waitForSignal(), prover.stopped]);
    if (ended instanceof Error) {
      process.stderr.write(`error: local ${ended.message}\n`);
      await broker.close();
      return 1;
    }
    process.stderr.write(`${ended}: shutting down\n`);
    await prover.close();
    await broker.close();
    return 0;
  });

// ---------------------------------------------------------------------------------------------
// Client commands

function readFileArg(file: string, what: string): void {
  if (!fs.existsSync(file)) throw new Error(`${what} file not found: ${file}`);
  if (!fs.statSync(file).isFile()) throw new Error(`${what} is not a file: ${file}`);
}

command('circuit', 'circuit add NAME --wasm FILE --zkey FILE --vkey FILE [--r1cs FILE | --no-r1cs] [--sym FILE] [--description TEXT] [--public] [--allow-insecure-setup] | circuit vkey NAME [--out FILE]',
  {
    flags: {
      ...CLIENT_FLAGS, wasm: 'string', zkey: 'string', vkey: 'string', r1cs: 'string', 'no-r1cs': 'boolean', sym: 'string', description: 'string', public: 'boolean',
      'allow-insecure-setup': 'boolean', out: 'string',
    },
    positionals: ['subcommand', 'name'],
  }, async (p) => {
    const [sub, name] = p.positionals;
    if (sub === 'vkey') {
      // The verification key as registered: what `snarkjs zkey export verificationkey` wrote.
      const vkey = await withClient(p, (c) => c.verificationKey(name));
      const outFile = str(p, 'out');
      if (outFile) { fs.writeFileSync(outFile, vkey); out(`wrote ${outFile}`); } else process.stdout.write(vkey.endsWith('\n') ? vkey : vkey + '\n');
      return 0;
    }
    if (sub !== 'add') throw new UsageError(`unknown subcommand "circuit ${sub}" (expected: circuit add NAME ..., circuit vkey NAME)`);
    // The broker's rule (broker/registry.ts), checked before the artifacts are read and hashed (a zkey can be gigabytes).
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name ?? '')) throw new UsageError(`circuit name "${name ?? ''}" is invalid: use 1-64 of [A-Za-z0-9_.-]`);
    const files: Record<string, string | undefined> = {
      wasm: required(p, 'wasm', 'circuit add'), zkey: required(p, 'zkey', 'circuit add'), vkey: required(p, 'vkey', 'circuit add'),
      r1cs: str(p, 'r1cs'), sym: str(p, 'sym'),
    };
    for (const [k, f] of Object.entries(files)) if (f) readFileArg(f, `--${k}`);
    // Without an R1CS the broker cannot tell a bad witness from dishonest provers (README, "Circuits
    // without an R1CS"): the .r1cs/.sym circom wrote next to the wasm (or one folder up, circom's
    // NAME_js/ layout) are registered when no --r1cs is given (the .sym only with a found .r1cs and
    // no --sym); else a loud warning.
    if (bool(p, 'no-r1cs') && files.r1cs) throw new UsageError('give either --r1cs FILE or --no-r1cs, not both');
    const r1csFound = files.r1cs || bool(p, 'no-r1cs') ? null : besideWasm(files.wasm!, 'r1cs');
    if (r1csFound) {
      files.r1cs = r1csFound.file;
      process.stderr.write(`using --r1cs ${r1csFound.file} (found ${r1csFound.where}; --no-r1cs skips it)\n`);
      const symFound = files.sym ? null : besideWasm(files.wasm!, 'sym');
      if (symFound) { files.sym = symFound.file; process.stderr.write(`using --sym ${symFound.file} (found ${symFound.where})\n`); }
    }
    const circuit = await withClient(p, async (c) => {
      // The no-R1CS warning only once the broker took the circuit: not before a refusal that has
      // nothing to do with it (the same zkey already registered under another name).
      const registered = await c.registerCircuit({
        name, wasm: files.wasm!, zkey: files.zkey!, vkey: files.vkey!, r1cs: files.r1cs, sym: files.sym,
        description: str(p, 'description') ?? '', public: bool(p, 'public'), allowInsecureSetup: bool(p, 'allow-insecure-setup'),
        onProgress: (sent: number, total: number) => status(`uploading ${humanBytes(sent)} / ${humanBytes(total)} (${total ? Math.floor((sent / total) * 100) : 100}%)`),
      }).catch((e) => {
        status(null);
        // An automatically picked .r1cs the broker refuses: say where it came from and how to skip it.
        if (r1csFound && e instanceof MarketError && e.code === 3 && /r1cs/i.test(e.message)) {
          throw new MarketError(e.code, e.codeName, `${e.message} (the .r1cs was picked up automatically: ${r1csFound.file}, found ${r1csFound.where}; `
            + 'pass --r1cs FILE for the right one, or --no-r1cs to register without it)');
        }
        throw e;
      });
      if (!files.r1cs) { status(null); errLine(NO_R1CS_WARNING); }
      return registered;
    });
    status(null);
    if (bool(p, 'json')) printJson(circuitJson(circuit));
    else out(`registered ${circuitLine(circuit)}`);
    return 0;
  });

command('circuits', 'circuits', { flags: CLIENT_FLAGS }, async (p) => {
  const cs = await withClient(p, (c) => c.listCircuits());
  if (bool(p, 'json')) printJson(cs.map(circuitJson));
  else out(circuitsTable(cs));
  return 0;
});

function writeProof(dir: string, job: Job__Output): string[] {
  if (job.kind === 'filecoin-c2') {
    // The chain's form: partitions × 192 bytes, as the broker's C2 verifier checked it.
    if (!job.proofBin?.length) throw new Error(`job ${job.id} has no proof`);
    fs.mkdirSync(dir, { recursive: true });
    const bin = path.join(dir, 'proof.bin');
    fs.writeFileSync(bin, job.proofBin);
    return [bin];
  }
  if (!job.proof) throw new Error(`job ${job.id} has no proof`);
  fs.mkdirSync(dir, { recursive: true });
  const proofPath = path.join(dir, 'proof.json');
  const publicPath = path.join(dir, 'public.json');
  fs.writeFileSync(proofPath, job.proof.proofJson.endsWith('\n') ? job.proof.proofJson : job.proof.proofJson + '\n');
  fs.writeFileSync(publicPath, job.proof.publicJson.endsWith('\n') ? job.proof.publicJson : job.proof.publicJson + '\n');
  return [proofPath, publicPath];
}

/**
 * Checks (and creates) the --out folder BEFORE anything is submitted or paid for: a folder that
 * cannot hold the proof is a usage error (exit 2), not a proof lost after the job was paid.
 * Paths under /proc, /sys and /dev are refused (Node's recursive mkdir hangs on /proc); the
 * missing folders are created one at a time below the nearest existing ancestor, which must be a
 * writable directory.
 */
function prepareOutDir(dir: string): void {
  const abs = path.resolve(dir);
  if (/^\/(proc|sys|dev)(\/|$)/.test(abs)) throw new UsageError(`--out ${dir}: proofs cannot be written under /proc, /sys or /dev`);
  const missing: string[] = [];
  let a = abs;
  while (!fs.existsSync(a) && path.dirname(a) !== a) {
    missing.unshift(a);
    a = path.dirname(a);
  }
  const writableDir = (d: string): void => {
    if (!fs.statSync(d).isDirectory()) throw new UsageError(`--out ${dir}: ${d} is not a directory`);
    try {
      fs.accessSync(d, fs.constants.W_OK);
    } catch {
      throw new UsageError(`--out ${dir}: folder ${d} is not writable`);
    }
  };
  writableDir(a);
  for (const d of missing) {
    try {
      fs.mkdirSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new UsageError(`--out ${dir}: cannot create ${d}: ${(err as Error).message}`);
    }
  }
  writableDir(abs);
}

/** The furthest --deadline (seconds): the broker refuses deadlines more than 365 days ahead (broker/services/market.ts). */
const MAX_DEADLINE_S = 365 * 24 * 3600;
/** The nearest --deadline (seconds): a shorter one would pass before the job reached the broker. */
const MIN_DEADLINE_S = 1;

/**
 * --deadline SECONDS (from now) → deadline_ms (ms since the epoch; 0 = none), checked here so
 * that a CLI user is told about seconds, not about the broker's ms-since-the-epoch field.
 */
function deadlineMsOf(p: Parsed): number {
  const s = num(p, 'deadline');
  if (s === undefined) return 0;
  if (!(s > 0)) throw new UsageError('--deadline must be a positive number of seconds (from now)');
  if (s < MIN_DEADLINE_S) throw new UsageError(`--deadline ${s}: too short, at least ${MIN_DEADLINE_S} second (the job must reach the broker and a prover before it)`);
  if (s > MAX_DEADLINE_S) throw new UsageError(`--deadline ${s}: at most ${MAX_DEADLINE_S} seconds (365 days)`);
  return Date.now() + Math.round(s * 1000);
}

/** The flags every form of `submit` shares. */
function submitFlags(p: Parsed): { deadlineMs: number; outDir: string | undefined; wait: boolean; json: boolean; maxPrice: string; minOnTime: number; offer: string } {
  const deadlineMs = deadlineMsOf(p);
  const minOnTime = num(p, 'min-on-time') ?? 0.9;
  if (!(minOnTime > 0 && minOnTime < 1)) throw new UsageError('--min-on-time must be a probability between 0 and 1 (exclusive), e.g. 0.9');
  const outDir = str(p, 'out');
  if (outDir !== undefined) prepareOutDir(outDir);
  return {
    deadlineMs, outDir,
    wait: bool(p, 'wait') || outDir !== undefined, json: bool(p, 'json'), maxPrice: amountFlag(p, 'max-price') ?? '0', minOnTime,
    offer: amountFlag(p, 'price') ?? '0',
  };
}

/**
 * Without --max-price a job's max price is 0, and on a paid market no prover takes it: it would
 * wait QUEUED forever. A Quote first (errors ignored: the submit reports them) warns on stderr
 * when every prover's ask is over 0; the job itself is submitted unchanged.
 */
async function warnMaxPriceZero(c: MarketClient, circuit: string, maxPrice: string): Promise<void> {
  if (maxPrice !== '0') return;
  let cheapest: bigint | null = null;
  try {
    const q = await c.quote({ circuit, deadlineMs: 0, maxPrice: '0' });
    for (const o of q.offers) if (cheapest === null || BigInt(o.price) < cheapest) cheapest = BigInt(o.price);
  } catch {
    return;
  }
  if (cheapest !== null && cheapest > 0n) {
    process.stderr.write(`warning: no prover asks ≤ max price 0 micro-credits (cheapest ${cheapest}); pass --max-price\n`);
  }
}

/** `submit` with several inputs: ONE partitioned job (src/cli/partitions.ts), its partitions followed. */
async function submitPartitioned(p: Parsed, circuit: string, inputs: PartitionInput[]): Promise<number> {
  const { deadlineMs, outDir, wait, json, maxPrice, minOnTime } = submitFlags(p);
  return withClient(p, async (c) => {
    await warnMaxPriceZero(c, circuit, maxPrice);
    const job = await c.submitPartitioned({ circuit, inputs: inputs.map((i) => i.json), requestId: str(p, 'request-id'), deadlineMs, maxPrice, minOnTime });
    if (!wait) {
      if (json) printJson(jobJson(job));
      else out(`job ${job.id} ${shortState(job.state)}: ${inputs.length} partitions (circuit ${circuitLabel(job.circuitId, await circuitNames(c, [job]))}); follow it with: proofmarket watch ${job.id}`);
      return 0;
    }
    if (!json && !stderrTty()) process.stderr.write(`job ${job.id} submitted: ${inputs.length} partitions; waiting\n`);
    const t0 = Date.now();
    let lastLine = '';
    const done = await c.waitDone(job.id, 2 ** 31 - 1, (ev) => {
      if (!ev.job) return;
      const line = partitionStatus(ev.job);
      if (stderrTty()) status(`${line} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      else if (line !== lastLine && !json) errLine(line);
      lastLine = line;
    });
    status(null);
    const ok = done.state === 'JOB_STATE_DONE';
    const written = ok && outDir ? writePartitionProofs(outDir, done) : [];
    if (json) printJson(jobJson(done));
    else {
      out(jobDetails(done, await circuitNames(c, [done])));
      for (const f of written) out(`wrote ${f}`);
    }
    if (!ok) {
      errLine(`error: job ${done.id} ended ${shortState(done.state)}${done.error ? ': ' + done.error : ''}; `
        + 'the partitions not verified were cancelled and refunded');
      return 1;
    }
    return 0;
  });
}

command('submit', 'submit (--circuit NAME (--input FILE [--input FILE ...] | --inputs DIR | --witness FILE) | --c2 C1.json) [--wait] [--request-id ID] [--deadline SECONDS] [--min-on-time P] [--out DIR] [--max-price MICRO] [--price MICRO]',
  {
    flags: {
      ...CLIENT_FLAGS, circuit: 'string', c2: 'string', input: 'list', inputs: 'string', witness: 'string', wait: 'boolean', 'request-id': 'string',
      deadline: 'number', out: 'string', 'max-price': 'string', 'min-on-time': 'number', price: 'string',
    },
  }, async (p) => {
    const c2File = str(p, 'c2');
    if (c2File) return submitC2(p, c2File);
    const circuit = required(p, 'circuit', 'submit');
    const inputFiles = list(p, 'input') ?? [];
    const inputsDir = str(p, 'inputs');
    const witnessFile = str(p, 'witness');
    if ((inputsDir || inputFiles.length > 1) && witnessFile) throw new UsageError('--witness takes one witness; partitioned jobs take --input files or --inputs DIR');
    if (inputsDir && inputFiles.length > 0) throw new UsageError('give either --input FILE ... or --inputs DIR, not both');
    if (inputsDir || inputFiles.length > 1) {
      return submitPartitioned(p, circuit, inputsDir ? readInputsDir(inputsDir) : inputFiles.map(readInputFile));
    }
    const inputFile = inputFiles[0];
    if (!inputFile && !witnessFile) throw new UsageError('"submit" needs --input FILE (or --witness FILE)');
    // Both was taken silently, the --input ignored: a user could not tell which statement was proved.
    if (inputFile && witnessFile) throw new UsageError('give either --input FILE or --witness FILE, not both (a .wtns already holds the inputs)');
    let inputJson: string | null = null;
    let witness: Uint8Array | null = null;
    if (witnessFile) {
      readFileArg(witnessFile, '--witness');
      witness = fs.readFileSync(witnessFile);
    } else {
      readFileArg(inputFile!, '--input');
      inputJson = fs.readFileSync(inputFile!, 'utf8');
      try {
        JSON.parse(inputJson);
      } catch (err) {
        throw new Error(`--input ${inputFile} is not valid JSON: ${(err as Error).message}`);
      }
    }
    const { deadlineMs, maxPrice, minOnTime, offer } = submitFlags(p);
    return withClient(p, async (c) => {
      await warnMaxPriceZero(c, circuit, maxPrice);
      const job = await c.submit({
        circuit, ...(witness ? { witness } : { input: inputJson! }), requestId: str(p, 'request-id'), deadlineMs, maxPrice, minOnTime, offer,
      });
      return followJob(p, c, job);
    });
  });

/**
 * `submit --c2 c1.json`: uploads the Commit1 output (chunked, hashed, resumed if interrupted,
 * skipped when the broker has it), submits a filecoin-c2 job on it, and follows it like any job;
 * with --out DIR the verified proof goes to DIR/proof.bin (partitions × 192 bytes).
 */
async function submitC2(p: Parsed, c1File: string): Promise<number> {
  for (const f of ['circuit', 'input', 'inputs', 'witness']) if (p.flags[f] !== undefined) throw new UsageError(`--c2 takes a c1.json instead of --${f}`);
  readFileArg(c1File, '--c2');
  const { deadlineMs, maxPrice, minOnTime } = submitFlags(p);
  return withClient(p, async (c) => {
    const t0 = Date.now();
    const info = await c.uploadC1(c1File, (sent, total) => status(`uploading ${c1File}: ${(sent / 2 ** 20).toFixed(1)} of ${(total / 2 ** 20).toFixed(1)} MiB`));
    status(null);
    if (!bool(p, 'json')) {
      out(`c1 ${info.sha256.slice(0, 16)}…: ${info.proofType}, sector ${formatSectorSize(Number(info.sectorSize))}, ${info.partitions} partition(s), ${info.size} bytes (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
    const job = await c.submitC2({ c1Sha256: info.sha256, requestId: str(p, 'request-id'), deadlineMs, maxPrice, minOnTime });
    return followJob(p, c, job);
  });
}

/** After a submit: print the job, or (--wait / --out) follow it to the end and write its proof. */
async function followJob(p: Parsed, c: MarketClient, job: Job__Output): Promise<number> {
  const { outDir, wait, json } = submitFlags(p);
  if (!wait) {
    if (json) printJson(jobJson(job));
    else out(`job ${job.id} ${shortState(job.state)} (circuit ${circuitLabel(job.circuitId, await circuitNames(c, [job]))}); follow it with: proofmarket job ${job.id}`);
    return 0;
  }
  const t0 = Date.now();
  if (!json && !stderrTty()) process.stderr.write(`job ${job.id} submitted; waiting\n`);
  const line = new ProgressLine();
  let lastRouting = '';
  const done = await c.waitDone(job.id, 2 ** 31 - 1, (ev) => {
    if (!ev.job) return;
    const j = ev.job;
    // Not a terminal: no progress redraws, but each new routing reason (why it waits, a raise, a
    // warning) as a plain line, whichever event carried it (the first snapshot often does).
    if (j.routing && j.routing !== lastRouting && !isTerminal(j.state) && !stderrTty() && !json) errLine(`job ${j.id}: ${j.routing}`);
    lastRouting = j.routing || lastRouting;
    status(line.render(j, Date.now() - t0) + (j.routing && j.state === 'JOB_STATE_QUEUED' ? `: ${j.routing}` : ''));
  });
  status(null);
  const written = outDir && done.state === 'JOB_STATE_DONE' ? writeProof(outDir, done) : [];
  if (json) printJson(jobJson(done));
  else {
    out(jobDetails(done, await circuitNames(c, [done])));
    for (const f of written) out(`wrote ${f}`);
  }
  if (done.state !== 'JOB_STATE_DONE') {
    errLine(`error: job ${done.id} ended ${shortState(done.state)}${done.error ? ': ' + done.error : ''}`);
    return 1;
  }
  return 0;
}

command('watch', 'watch ID', { flags: CLIENT_FLAGS, positionals: ['id'] }, async (p) => {
  const json = bool(p, 'json');
  let last = ''; // a partitioned job's events often repeat the same status: print each change once
  const done = await withClient(p, (c) => c.waitDone(p.positionals[0], 2 ** 31 - 1, (ev) => {
    if (!ev.job) return;
    const j = ev.job;
    if (json) { out(JSON.stringify({ kind: ev.kind, job: jobJson(j) })); return; }
    if (j.partitions?.length) {
      const line = `${j.id} ${shortState(j.state).padEnd(9)} ${partitionStatus(j)}` + (j.partitionsDone ? `; proved by: ${partitionProvers(j)}` : '');
      if (line !== last) out(`${new Date().toISOString()} ${line}`);
      last = line;
      return;
    }
    const what = ev.kind === 'routing' ? j.routing
      : ev.kind === 'progress' ? `${(j.progress * 100).toFixed(0)}%`
        : `${shortState(j.state)}${j.proverId && !isTerminal(j.state) && j.state !== 'JOB_STATE_QUEUED' ? ` (prover ${j.proverId})` : ''}${j.routing && (j.state === 'JOB_STATE_QUEUED' || ev.kind === 'snapshot') && !isTerminal(j.state) ? ` — ${j.routing}` : ''}`;
    out(`${new Date().toISOString()} ${j.id} ${ev.kind.padEnd(8)} ${what}`);
  }));
  return done.state === 'JOB_STATE_DONE' ? 0 : 1;
});

command('job', 'job ID [--out DIR]', { flags: { ...CLIENT_FLAGS, out: 'string' }, positionals: ['id'] }, async (p) => {
  const outDirArg = str(p, 'out');
  if (outDirArg !== undefined) prepareOutDir(outDirArg);
  const { job, names } = await withClient(p, async (c) => {
    const j = await c.getJob(p.positionals[0]);
    return { job: j, names: await circuitNames(c, [j]) };
  });
  const outDir = str(p, 'out');
  const partitioned = (job.partitions?.length ?? 0) > 0;
  if (outDir && partitioned && job.state !== 'JOB_STATE_DONE') {
    throw new Error(`job ${job.id} is ${shortState(job.state)}: ${partitionStatus(job)}; nothing written`);
  }
  const written = !outDir || job.state !== 'JOB_STATE_DONE' ? [] : partitioned ? writePartitionProofs(outDir, job) : job.proof || job.proofBin?.length ? writeProof(outDir, job) : [];
  if (bool(p, 'json')) printJson(jobJson(job));
  else {
    out(jobDetails(job, names));
    for (const f of written) out(`wrote ${f}`);
  }
  return 0;
});

command('quote', 'quote --circuit NAME [--deadline SECONDS] [--max-price MICRO]',
  { flags: { ...CLIENT_FLAGS, circuit: 'string', deadline: 'number', 'max-price': 'string' } }, async (p) => {
    const circuit = required(p, 'circuit', 'quote');
    const deadline = num(p, 'deadline');
    const deadlineMs = deadlineMsOf(p);
    const q = await withClient(p, (c) => c.quote({ circuit, deadlineMs, maxPrice: amountFlag(p, 'max-price') ?? '0' }));
    if (bool(p, 'json')) { printJson(q); return 0; }
    out(`circuit ${q.circuitId}: ${q.constraints} constraints${deadline ? `, deadline in ${deadline} s` : ', no deadline'}`);
    if (q.offers.length === 0) { out(`no offer: ${q.note}`); return 0; }
    const sec = (ms: string) => `${(Number(ms) / 1000).toFixed(1)} s`;
    out(table([['PROVER', 'PRICE', 'ETA p50', 'ETA p90', 'QUEUE', 'ON TIME', 'SAMPLES', 'STATE'],
      ...q.offers.map((o) => [o.proverName || o.proverId, o.price, sec(o.etaP50Ms), sec(o.etaP90Ms), sec(o.queueMs),
        deadline ? `${(o.onTimeProbability * 100).toFixed(0)}%` : '-', o.samples ? String(o.samples) : '0 (unmeasured: ETA is a pessimistic guess)', o.state])]));
    return 0;
  });

command('provers', 'provers', { flags: CLIENT_FLAGS }, async (p) => {
  const ps = await withClient(p, (c) => c.listProvers());
  if (bool(p, 'json')) { printJson(ps); return 0; }
  if (ps.length === 0) { out('no provers'); return 0; }
  const ms = (v: string) => (v === '0' ? '-' : `${v} ms`);
  out(table([['NAME', 'CURVES', 'BACKENDS', 'ASK', '2^12', '2^16', '2^20', 'REPUTATION', 'SUCCESS', 'STATE', 'ID'],
    ...ps.map((x) => [x.name, x.curves.map(shortCurve).join(','), x.backends.join(','),
      x.price + (x.pricePerMConstraints !== '0' ? `+${x.pricePerMConstraints}/M` : ''), ms(x.ms_2_12), ms(x.ms_2_16), ms(x.ms_2_20),
      String(x.reputation), `${(x.successRate * 100).toFixed(0)}%`, x.state, x.id])]));
  return 0;
});

command('jobs', 'jobs [--state STATE] [--circuit NAME] [--limit N]',
  { flags: { ...CLIENT_FLAGS, state: 'string', circuit: 'string', limit: 'number' } }, async (p) => {
    const state = str(p, 'state');
    const { jobs, names } = await withClient(p, async (c) => {
      const js = await c.listJobs({ state: state ? parseState(state) : undefined, circuit: str(p, 'circuit'), limit: limitFlag(p, 1000) });
      return { jobs: js, names: await circuitNames(c, js) };
    });
    if (bool(p, 'json')) printJson(jobs.map(jobJson));
    else out(jobsTable(jobs, names));
    return 0;
  });

/** Circuit id → name for the circuits of these jobs (one ListCircuits call; ids stay where unknown). */
async function circuitNames(c: MarketClient, jobs: Job__Output[]): Promise<Map<string, string>> {
  if (jobs.length === 0) return new Map();
  const cs = await c.listCircuits().catch(() => []);
  return new Map(cs.map((x) => [x.id, x.name]));
}

command('cancel', 'cancel ID', { flags: CLIENT_FLAGS, positionals: ['id'] }, async (p) => {
  const job = await withClient(p, (c) => c.cancel(p.positionals[0]));
  if (bool(p, 'json')) printJson(jobJson(job));
  else out(`job ${job.id} ${shortState(job.state)}`);
  return 0;
});

command('verify', 'verify --circuit NAME PROOF PUBLIC',
  { flags: { ...CLIENT_FLAGS, circuit: 'string' }, positionals: ['proof', 'public'] }, async (p) => {
    const circuit = required(p, 'circuit', 'verify');
    const [proofFile, publicFile] = p.positionals;
    readFileArg(proofFile, 'PROOF'); readFileArg(publicFile, 'PUBLIC');
    const v = await withClient(p, (c) => c.verify(circuit, fs.readFileSync(proofFile, 'utf8'), fs.readFileSync(publicFile, 'utf8')));
    if (bool(p, 'json')) printJson(v);
    else if (v.valid) out(`OK! proof verified against circuit ${circuit}'s verification key`);
    else process.stderr.write(`Invalid proof: ${v.reason}\n`);
    return v.valid ? 0 : 1; // like `snarkjs groth16 verify`
  });

// snarkjs's own commands, same arguments and output files: proving runs on the market, the rest
// (witness, vkey export, local verify) runs here with snarkjs, so a snarkjs script switches by
// changing the command name.

interface SnarkjsLocal {
  wtns: { calculate(input: unknown, wasm: string, out: string): Promise<void> };
  zKey: { exportVerificationKey(zkey: string): Promise<unknown> };
  groth16: { verify(vk: unknown, pub: unknown, proof: unknown): Promise<boolean> };
}
const snarkjsLocal = (): SnarkjsLocal => require('snarkjs') as SnarkjsLocal;

function readJson(file: string, what: string): unknown {
  readFileArg(file, what);
  try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch (e) { throw new Error(`${what} ${file} is not valid JSON: ${(e as Error).message}`); }
}

/** Writes proof.json and public.json exactly as delivered (snarkjs's layout, no trailing newline). */
function writeSnarkjsFiles(job: Job__Output, proofFile: string, publicFile: string): void {
  fs.writeFileSync(proofFile, job.proof!.proofJson);
  fs.writeFileSync(publicFile, job.proof!.publicJson);
}

/** Options for the groth16 commands: the CLI's client (broker, API key, TLS) and its progress line. */
function marketOptions(c: MarketClient, p: Parsed): MarketOptions {
  const t0 = Date.now();
  const line = new ProgressLine();
  return {
    client: c, timeoutMs: 2 ** 31 - 1, allowInsecureSetup: bool(p, 'allow-insecure-setup'), onNotice: (l) => { status(null); errLine(l); },
    onEvent: (ev) => { if (ev.job) status(line.render(ev.job, Date.now() - t0)); },
  };
}

command('groth16', 'groth16 prove ZKEY WTNS PROOF PUBLIC | groth16 fullprove INPUT WASM ZKEY PROOF PUBLIC | groth16 verify VKEY PUBLIC PROOF [--allow-insecure-setup]',
  { flags: { ...CLIENT_FLAGS, 'allow-insecure-setup': 'boolean' }, positionals: ['subcommand', 'a?', 'b?', 'c?', 'd?', 'e?'] }, async (p) => {
    const [sub, ...a] = p.positionals;
    const want = (n: number, usage: string) => { if (a.length !== n) throw new UsageError(`"groth16 ${sub}" needs ${usage}`); };
    if (sub === 'verify') {
      want(3, 'VKEY PUBLIC PROOF');
      const ok = await snarkjsLocal().groth16.verify(readJson(a[0], 'VKEY'), readJson(a[1], 'PUBLIC'), readJson(a[2], 'PROOF'));
      if (ok) out('OK!'); else process.stderr.write('Invalid proof\n');
      return ok ? 0 : 1;
    }
    let r: { job: Job__Output };
    if (sub === 'prove') {
      want(4, 'ZKEY WTNS PROOF PUBLIC');
      readFileArg(a[0], 'ZKEY'); readFileArg(a[1], 'WTNS');
      r = await withClient(p, (c) => proveJob(a[0], a[1], marketOptions(c, p)));
    } else if (sub === 'fullprove') {
      want(5, 'INPUT WASM ZKEY PROOF PUBLIC');
      const input = readJson(a[0], 'INPUT');
      readFileArg(a[1], 'WASM'); readFileArg(a[2], 'ZKEY');
      r = await withClient(p, (c) => fullProveJob(input, a[1], a[2], marketOptions(c, p)));
    } else {
      throw new UsageError(`unknown subcommand "groth16 ${sub}" (expected: prove, fullprove, verify)`);
    }
    status(null);
    writeSnarkjsFiles(r.job, a[a.length - 2], a[a.length - 1]);
    if (bool(p, 'json')) printJson(jobJson(r.job));
    return 0;
  });

command('wtns', 'wtns calculate WASM INPUT WTNS', { flags: { help: 'boolean' }, positionals: ['subcommand', 'wasm', 'input', 'wtns'] }, async (p) => {
  const [sub, wasm, inputFile, wtns] = p.positionals;
  if (sub !== 'calculate') throw new UsageError(`unknown subcommand "wtns ${sub}" (expected: wtns calculate WASM INPUT WTNS)`);
  readFileArg(wasm, 'WASM');
  await snarkjsLocal().wtns.calculate(readJson(inputFile, 'INPUT'), wasm, wtns);
  return 0;
});

command('zkey', 'zkey export verificationkey ZKEY VKEY', { flags: { help: 'boolean' }, positionals: ['subcommand', 'what', 'zkey', 'vkey'] }, async (p) => {
  const [sub, what, zkey, vkey] = p.positionals;
  if (sub !== 'export' || what !== 'verificationkey') throw new UsageError('expected: zkey export verificationkey ZKEY VKEY');
  readFileArg(zkey, 'ZKEY');
  fs.writeFileSync(vkey, JSON.stringify(await snarkjsLocal().zKey.exportVerificationKey(zkey), null, 1));
  return 0;
});

// ---------------------------------------------------------------------------------------------
// Offline tools (no broker)

/**
 * `filecoin c2`: runs an operator's C2 command once on a c1.json under the external-prover
 * contract (prover/backends/EXTERNAL.md), as a prover daemon would, and writes the checked
 * N × 192-byte proof: a way to test a wrapper around a real C2 binary before offering it.
 */
async function filecoinC2(p: Parsed, outPath: string): Promise<number> {
  const command = required(p, 'command', 'filecoin c2');
  const c1 = required(p, 'c1', 'filecoin c2');
  readFileArg(c1, '--c1');
  const info = commit1Info(fs.readFileSync(c1, 'utf8'));
  const timeout = num(p, 'timeout');
  if (timeout !== undefined && timeout <= 0) throw new UsageError('--timeout must be a positive number of seconds');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-c2-'));
  try {
    const backend = new ExternalC2Backend({
      command, sectorSizes: [info.sectorSize], workDir, timeoutMs: timeout ? Math.round(timeout * 1000) : undefined,
      memoryBytes: num(p, 'memory') ?? 0,
      log: (level, line) => { if (level !== 'debug') process.stderr.write(`${line}\n`); },
    });
    const r = await backend.run({
      jobId: 'local', c1, sectorSize: info.sectorSize, partitions: info.partitions,
      onProgress: (stage, f) => status(`${info.proofType}: ${(f * 100).toFixed(0)}% ${stage}`),
    }).catch((e) => {
      status(null);
      if (e instanceof ExternalProverError) throw new Error(`${e.kind}: ${e.message}`);
      throw e;
    });
    status(null);
    fs.writeFileSync(outPath, r.proof);
    out(`wrote ${outPath} (${r.partitions} × ${FILECOIN_PROOF_BYTES} bytes, every point checked) in ${(r.ms / 1000).toFixed(1)} s, peak RSS ${Math.round(r.peakRssBytes / 2 ** 20)} MB`);
    return 0;
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

command('filecoin', 'filecoin encode PROOF.json... --out FILE | filecoin decode FILE --out DIR | filecoin c2 --command CMD --c1 FILE --out FILE [--timeout SECONDS] [--memory BYTES]',
  {
    flags: { out: 'string', help: 'boolean', command: 'string', c1: 'string', timeout: 'number', memory: 'number' },
    positionals: ['subcommand', 'files...?'],
  }, async (p) => {
    const [sub, ...files] = p.positionals;
    const outPath = required(p, 'out', `filecoin ${sub}`);
    if (sub === 'c2') return filecoinC2(p, outPath);
    if (sub === 'encode') {
      if (files.length === 0) throw new UsageError('"filecoin encode" needs at least one proof.json');
      const proofs = files.map((f) => {
        readFileArg(f, 'proof');
        try { return JSON.parse(fs.readFileSync(f, 'utf8')) as SnarkjsProof; } catch (err) {
          throw new Error(`${f} is not valid JSON: ${(err as Error).message}`);
        }
      });
      const bytes = proofsToFilecoin(proofs);
      fs.writeFileSync(outPath, bytes);
      out(`wrote ${outPath} (${proofs.length} × ${FILECOIN_PROOF_BYTES} bytes)`);
      return 0;
    }
    if (sub === 'decode') {
      if (files.length !== 1) throw new UsageError('"filecoin decode" takes one FILE (N × 192 bytes)');
      readFileArg(files[0], 'proof');
      const proofs = proofsFromFilecoin(fs.readFileSync(files[0]));
      proofs.forEach((proof, k) => {
        const dir = path.join(outPath, `partition-${k}`);
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, 'proof.json'), JSON.stringify(proof, null, 1) + '\n');
        out(`wrote ${path.join(dir, 'proof.json')}`);
      });
      return 0;
    }
    throw new UsageError(`unknown subcommand "filecoin ${sub}" (expected encode or decode)`);
  });

// Accounts and money (amounts are integer micro-credits, printed and parsed as decimal strings)

async function withAccounts<T>(p: Parsed, fn: (c: AccountsClient) => Promise<T>, keyFiles = localClientKeyFiles()): Promise<T> {
  const address = brokerAddress(p);
  const c = new AccountsClient(address, connectOptions(p, address, keyFiles));
  try {
    return await fn(c);
  } finally {
    c.close();
  }
}

/** Admin commands fall back to the admin key `start` writes. */
const adminKeyFiles = () => [path.resolve(DEFAULT_DATA_DIR, 'admin.key')];

function balanceLines(b: Balance): string {
  const rows = [['account', b.account + ` (${b.role})`], ['available', b.available], ['escrow', b.escrow]];
  if (b.role !== 'client' || b.stake !== '0' || b.earnings !== '0') rows.push(['stake', b.stake], ['earnings', b.earnings]);
  if (b.fees !== '0') rows.push(['fees', b.fees]);
  return table(rows);
}

command('balance', 'balance [--account NAME]', { flags: { ...CLIENT_FLAGS, account: 'string' } }, async (p) => {
  const b = await withAccounts(p, (c) => c.balance(str(p, 'account') ?? ''));
  if (bool(p, 'json')) printJson(b);
  else out(balanceLines(b));
  return 0;
});

command('ledger', 'ledger [--job ID] [--account NAME] [--limit N]',
  { flags: { ...CLIENT_FLAGS, job: 'string', account: 'string', limit: 'number' } }, async (p) => {
    const es = await withAccounts(p, (c) => c.ledger({ jobId: str(p, 'job'), account: str(p, 'account'), limit: limitFlag(p, 10_000) })).catch((e) => {
      // Another account's ledger is an admin's to read: say which key does it.
      if (e instanceof MarketError && e.code === 7 && str(p, 'account')) {
        throw new MarketError(e.code, e.codeName, `${e.message} (another account's ledger needs an admin key: --api-key <admin key>, e.g. $(cat ${path.join(DEFAULT_DATA_DIR, 'admin.key')}) after \`proofmarket start\`)`);
      }
      throw e;
    });
    if (bool(p, 'json')) printJson(es);
    else if (es.length === 0) out('no ledger entries');
    else out(table([['tx', 'account', 'book', 'amount', 'reason', 'job', 'explanation'],
      ...es.map((e) => [e.txId, e.account, e.book, e.amount, e.reason, e.jobId || '-', e.explanation])]));
    return 0;
  });

command('deposit', 'deposit ACCOUNT AMOUNT [--note TEXT]', { flags: { ...CLIENT_FLAGS, note: 'string' }, positionals: ['account', 'amount'] },
  async (p) => {
    const [account, amount] = p.positionals;
    if (!/^\d+$/.test(amount ?? '') || BigInt(amount) === 0n) throw new UsageError(`AMOUNT must be a positive whole number of micro-credits, got "${amount}"`);
    if (BigInt(amount) > MAX_DEPOSIT) throw new UsageError(`AMOUNT ${amount} is above the largest single deposit, ${MAX_DEPOSIT} micro-credits (one that large is more likely a typing mistake): split a larger sum into several`);
    const r = await withAccounts(p, (c) => c.deposit(account, amount, str(p, 'note') ?? ''), adminKeyFiles());
    if (bool(p, 'json')) printJson(r);
    else out(`deposited ${amount} to ${account} (tx ${r.txId}); available now ${r.balance?.available}`);
    return 0;
  });

command('withdraw', 'withdraw ACCOUNT AMOUNT --request-id ID [--book available|earnings|fees] [--note TEXT]',
  { flags: { ...CLIENT_FLAGS, note: 'string', book: 'string', 'request-id': 'string' }, positionals: ['account', 'amount'] },
  async (p) => {
    const [account, given] = p.positionals;
    if (!/^\d+$/.test(given ?? '') || BigInt(given) === 0n) throw new UsageError(`AMOUNT must be a positive whole number of micro-credits, got "${given}"`);
    const amount = BigInt(given).toString();
    if (BigInt(amount) > MAX_AMOUNT) throw new UsageError(`AMOUNT ${given} is above 2^63 - 1 (${MAX_AMOUNT}) micro-credits, the most any book holds`);
    const requestId = str(p, 'request-id');
    if (!requestId) throw new UsageError('--request-id ID is required: your reference for this payout (e.g. the bank transfer\'s); running the command again with the same ID pays nothing twice');
    const r = await withAccounts(p, (c) => c.withdraw(account, amount, { requestId, book: str(p, 'book') ?? '', note: str(p, 'note') ?? '' }), adminKeyFiles());
    if (bool(p, 'json')) printJson(r);
    else {
      // A repeat is also what a first run sees when its broker committed the withdrawal and died before answering (the call was retried on another).
      const now = `now available ${r.balance?.available}, earnings ${r.balance?.earnings}, fees ${r.balance?.fees}`;
      if (r.repeat) out(`request ${requestId} was already paid out (tx ${r.txId}; by this command's first try if it was retried on another broker): nothing moved this time; ${now}`);
      else out(`withdrew ${amount} from ${account} (tx ${r.txId}); ${now}`);
    }
    return 0;
  });

/** A key just made (account create, key create): shown this once, with its id for `key revoke`. */
function printNewKey(p: Parsed, r: CreateAccountResponse__Output, headline: string): void {
  if (bool(p, 'json')) {
    printJson({ account: { id: r.account?.id, name: r.account?.name, role: r.account?.role }, apiKey: r.apiKey, keyId: r.keyId });
    return;
  }
  out(headline);
  out(`API key (shown once; keep it secret): ${r.apiKey}`);
  out(`key id ${r.keyId} (to revoke it: proofmarket key revoke ${r.keyId})`);
}

command('account', 'account create NAME --role client|prover|admin | account list',
  { flags: { ...CLIENT_FLAGS, role: 'string' }, positionals: ['subcommand', 'name?'] }, async (p) => {
    const [sub, name] = p.positionals;
    if (sub === 'list') {
      const as = await withAccounts(p, (c) => c.listAccounts(), adminKeyFiles());
      if (bool(p, 'json')) printJson(as);
      else out(table([['id', 'name', 'role'], ...as.map((a) => [a.id, a.name, a.role])]));
      return 0;
    }
    if (sub !== 'create') throw new UsageError(`unknown subcommand "account ${sub}" (expected: account create NAME --role ROLE, account list)`);
    if (!name) throw new UsageError('"account create" needs a NAME');
    const role = required(p, 'role', 'account create');
    if (!['client', 'prover', 'admin'].includes(role)) throw new UsageError(`--role must be client, prover or admin, got "${role}"`);
    const r = await withAccounts(p, (c) => c.createAccount(name, role as 'client' | 'prover' | 'admin'), adminKeyFiles());
    printNewKey(p, r, `account ${r.account?.name} (${r.account?.role}, ${r.account?.id}) created`);
    return 0;
  });

command('key', 'key create [ACCOUNT] | key revoke KEY_ID', { flags: CLIENT_FLAGS, positionals: ['subcommand', 'arg?'] }, async (p) => {
  const [sub, arg] = p.positionals;
  if (sub === 'create') {
    // Rotation: a new key for an account (an admin's for any; anyone's for its own), then revoke the old one.
    const r = await withAccounts(p, (c) => c.createKey(arg ?? ''), arg ? adminKeyFiles() : localClientKeyFiles());
    printNewKey(p, r, `new API key for ${r.account?.name}`);
    return 0;
  }
  if (sub !== 'revoke') throw new UsageError(`unknown subcommand "key ${sub}" (expected: key create [ACCOUNT], key revoke KEY_ID)`);
  if (!arg) throw new UsageError('"key revoke" needs a KEY_ID (printed when the key was made)');
  await withAccounts(p, (c) => c.revokeKey(arg), adminKeyFiles());
  out(`key ${arg} revoked`);
  return 0;
});

// ---------------------------------------------------------------------------------------------

function help(): string {
  return [
    'proofmarket — a gRPC marketplace for Groth16 proving',
    '',
    'Daemons:',
    ...['broker', 'prover', 'start'].map((c) => `  proofmarket ${COMMANDS[c].usage}`),
    '',
    `Client commands (all take --broker HOST:PORT, default ${DEFAULT_BROKER_ADDRESS}, --api-key KEY, --tls-ca FILE | --tls, and --json):`,
    ...['circuit', 'circuits', 'submit', 'job', 'jobs', 'cancel', 'verify', 'balance', 'ledger'].map((c) => `  proofmarket ${COMMANDS[c].usage}`),
    '',
    'snarkjs drop-in (same arguments and files as snarkjs; proving runs on the market):',
    ...['groth16', 'wtns', 'zkey'].map((c) => `  proofmarket ${COMMANDS[c].usage}`),
    '',
    'Admin commands (fall back to ./.data/admin.key):',
    ...['account', 'key', 'deposit', 'withdraw'].map((c) => `  proofmarket ${COMMANDS[c].usage}`),
    '',
    'Offline:',
    `  proofmarket ${COMMANDS.filecoin.usage}`,
    '',
    'Environment: PM_BROKER (default --broker), PM_API_KEY (default --api-key; else ./.data/client.key), PM_TLS_CA, PM_TLS=1,',
    '  PM_TLS_CERT / PM_TLS_KEY (broker TLS), PM_LEASE_MS, PM_HEARTBEAT_MS, PM_MAX_ATTEMPTS (broker timings).',
  ].join('\n');
}

/** UNAVAILABLE in words; grpc-js ends its reason with an empty "Resolution note: " when resolution had nothing to add. */
function unavailableLine(reason: string): string {
  return `broker unavailable (${reason.replace(/\.?\s*Resolution note:\s*$/, '')}); is it running? (--broker HOST:PORT)`;
}

function grpcMessage(err: unknown): string {
  if (err instanceof MarketError) {
    if (err.code === 14) return unavailableLine(err.message);
    return `${err.codeName}: ${err.message}`;
  }
  const e = err as { code?: number; details?: string; message?: string };
  const names: Record<number, string> = {
    1: 'CANCELLED', 2: 'UNKNOWN', 3: 'INVALID_ARGUMENT', 4: 'DEADLINE_EXCEEDED', 5: 'NOT_FOUND', 6: 'ALREADY_EXISTS',
    7: 'PERMISSION_DENIED', 8: 'RESOURCE_EXHAUSTED', 9: 'FAILED_PRECONDITION', 10: 'ABORTED', 11: 'OUT_OF_RANGE',
    12: 'UNIMPLEMENTED', 13: 'INTERNAL', 14: 'UNAVAILABLE', 16: 'UNAUTHENTICATED',
  };
  if (typeof e.code === 'number' && e.details !== undefined && names[e.code]) {
    if (e.code === 14) return unavailableLine(e.details);
    return `${names[e.code]}: ${e.details}`;
  }
  return String(e.message ?? err);
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    out(help());
    return cmd ? 0 : 2;
  }
  const c = COMMANDS[cmd];
  try {
    if (!c) throw new UsageError(`unknown command "${cmd}"`);
    const parsed = parseArgs(rest, c.spec, cmd);
    if (bool(parsed, 'help')) {
      out(`usage: proofmarket ${c.usage}`);
      return 0;
    }
    return await c.run(parsed);
  } catch (err) {
    status(null);
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n${c ? `usage: proofmarket ${c.usage}` : 'run "proofmarket help" for the commands'}\n`);
      return 2;
    }
    errLine(`error: ${grpcMessage(err)}`);
    if (process.env.PM_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return 1;
  }
}

/** Runs the CLI on process.argv and exits with its code (bin/proofmarket.js calls this). */
export function runCli(): void {
  quietTlsIpWarning();
  let settled = false;
  // A call whose answer never arrives (grpc-js drops a reply whose trailers are over the HTTP/2
  // header-list limit without settling the call) leaves nothing for Node to wait for: the process
  // would exit 0 having printed nothing, and a script would take that for success.
  process.once('beforeExit', () => {
    if (settled) return;
    errLine('error: INTERNAL: the broker\'s answer never arrived (the call ended without a result; an over-long reply?)');
    process.exit(1);
  });
  main(process.argv.slice(2)).then((code) => { settled = true; process.exit(code); }, (err) => {
    settled = true;
    errLine(`error: ${(err as Error).message}`);
    process.exit(1);
  });
}

if (require.main === module) runCli();
