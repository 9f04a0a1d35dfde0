// snarkjs's groth16 API, proved on the market: `prove(zkey, wtns)` and `fullProve(input, wasm,
// zkey)` return `{ proof, publicSignals }` exactly as snarkjs's do (proof.json layout, decimal
// strings), so switching a script is one import. The circuit is registered on the fly under its
// content hash (name "zkey-<first 16 hex of the zkey's SHA-256>"), and reused when the caller
// already has a circuit with that zkey (under any name), or another account's public one with the
// same zkey AND the same wasm (chooseCircuit): never a circuit whose wasm is not the caller's.
//
// Files are paths, bytes, or snarkjs's `{ type: 'mem', data }`. The broker address, API key and
// TLS come from the options, else PM_BROKER / PM_API_KEY / PM_TLS_CA or PM_TLS, else
// 127.0.0.1:50051, no key, plaintext.
import * as fs from 'fs';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import { DEFAULT_BROKER_ADDRESS, formatAddress, parseAddress } from '../common/address';
import type { ClientTlsOptions } from '../common/connect';
import { sha256File, sha256Hex } from '../common/hash';
import { MarketClient, MarketError, type Circuit, type Job, type JobEvent } from './market';

export type FileSource = string | Uint8Array | { type: 'mem'; data: Uint8Array };

/** A Groth16 proof as snarkjs returns it. */
export interface Groth16Proof {
  pi_a: string[];
  pi_b: string[][];
  pi_c: string[];
  protocol: 'groth16';
  curve: string;
}

export interface Groth16Result { proof: Groth16Proof; publicSignals: string[] }

export interface MarketOptions {
  /** Broker host:port; default PM_BROKER, else 127.0.0.1:50051. */
  broker?: string;
  /** API key; default PM_API_KEY, else none. */
  apiKey?: string;
  /** TLS; default PM_TLS_CA (a CA bundle) or PM_TLS=1 (system roots), else plaintext. */
  tls?: ClientTlsOptions | null;
  /** Use this client instead of opening one (it is not closed). */
  client?: MarketClient;
  /** Give up waiting for the proof after this many ms (default 10 minutes). */
  timeoutMs?: number;
  /** Every WatchJob event of the job (progress, state). */
  onEvent?: (ev: JobEvent) => void;
  /**
   * Register a zkey without a phase-2 contribution (marked insecure everywhere). Default false:
   * such a key is refused with FAILED_PRECONDITION, as by `circuit add`.
   */
  allowInsecureSetup?: boolean;
  /**
   * Told (one line each) what an automatic registration picked up or lacks: the circom .r1cs/.sym
   * found beside the wasm (besideWasm), or a warning that there is none. Default: silent.
   */
  onNotice?: (line: string) => void;
}

/** A circom output found for a wasm: the file, and where it was (for messages). */
export interface FoundBesideWasm { file: string; where: 'next to the wasm' | 'one folder up from the wasm' }

/**
 * The circom output `<name>.<ext>` beside `<name>.wasm`, or in the folder above (circom's
 * NAME_js/NAME.wasm layout), or null.
 */
export function besideWasm(wasm: string, ext: 'r1cs' | 'sym'): FoundBesideWasm | null {
  const base = path.basename(wasm).replace(/\.wasm$/i, '');
  const dir = path.dirname(wasm);
  const places: [string, FoundBesideWasm['where']][] = [[path.join(dir, `${base}.${ext}`), 'next to the wasm'], [path.join(dir, '..', `${base}.${ext}`), 'one folder up from the wasm']];
  for (const [file, where] of places) {
    if (fs.existsSync(file) && fs.statSync(file).isFile()) return { file, where };
  }
  return null;
}

/** Shown when a circuit is registered without an R1CS (`circuit add`, and groth16's automatic registration). */
export const NO_R1CS_WARNING = 'WARNING: registering without an R1CS (--r1cs FILE): the broker cannot check witnesses against the circuit, '
  + 'so it cannot tell a bad witness from dishonest provers; two operators\' failing proofs can end a job as FAILED (refunded)';

/** The broker address from an explicit value, PM_BROKER, or the default. */
export function brokerFromEnv(explicit?: string): string {
  return formatAddress(parseAddress(explicit ?? process.env.PM_BROKER ?? DEFAULT_BROKER_ADDRESS));
}

/** TLS settings from PM_TLS_CA / PM_TLS, as the CLI reads them; null = plaintext. */
function tlsFromEnv(): ClientTlsOptions | null {
  if (process.env.PM_TLS_CA) return { caFile: process.env.PM_TLS_CA };
  return ['1', 'true'].includes(process.env.PM_TLS ?? '') ? {} : null;
}

/** A client for `o`: the given one, or a new one on the broker/API key/TLS from options or environment. */
export function openClient(o: MarketOptions = {}): { client: MarketClient; close(): void } {
  if (o.client) return { client: o.client, close: () => {} };
  const client = new MarketClient(brokerFromEnv(o.broker), {
    apiKey: o.apiKey ?? process.env.PM_API_KEY ?? null, tls: o.tls !== undefined ? o.tls : tlsFromEnv(),
  });
  return { client, close: () => client.close() };
}

function bytesOf(f: FileSource): Uint8Array | null {
  if (typeof f === 'string') return null;
  return f instanceof Uint8Array ? f : f.data;
}

async function hashOf(f: FileSource): Promise<string> {
  const b = bytesOf(f);
  return b ? sha256Hex(b) : (await sha256File(f as string)).sha256;
}

/** Where an artifact comes from, as MarketClient.registerCircuit takes it. */
function artifact(f: FileSource): string | Uint8Array {
  return bytesOf(f) ?? (f as string);
}

type CurveCache = Record<string, { terminate?: () => Promise<void> } | undefined>;

/** verification_key.json of a zkey, exported by snarkjs (its curve threads released if we started them). */
async function exportVkey(zkey: FileSource): Promise<Uint8Array> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const snarkjs = require('snarkjs') as { zKey: { exportVerificationKey(z: unknown): Promise<unknown> } };
  const g = globalThis as unknown as CurveCache;
  const had = new Set(['curve_bn128', 'curve_bls12381'].filter((k) => g[k]));
  try {
    const src = bytesOf(zkey);
    const vk = await snarkjs.zKey.exportVerificationKey(src ? { type: 'mem', data: src } : zkey);
    return Buffer.from(JSON.stringify(vk, null, 1));
  } finally {
    for (const k of ['curve_bn128', 'curve_bls12381']) {
      if (!had.has(k) && g[k]?.terminate) { await g[k]!.terminate!(); g[k] = undefined; }
    }
  }
}

const shaOf = (c: Circuit, kind: 'ZKEY' | 'WASM') => c.artifacts.find((a) => a.kind === `ARTIFACT_KIND_${kind}`)?.sha256 ?? null;

/** What to prove on: a circuit, and whether the job must carry a witness computed here. */
export interface CircuitChoice { circuit: Circuit; witnessHere: boolean }

/**
 * The circuit to prove with for this zkey (SHA-256) and, for fullProve, this wasm, among those the
 * caller can see, or null:
 *  1. the caller's own circuit with this zkey and this wasm → an input job;
 *  2. the caller's own circuit with this zkey (another wasm, or none) → a witness computed here with
 *     the caller's wasm (one account has one circuit per zkey);
 *  3. another account's public circuit with this zkey and this wasm → an input job (same key, same
 *     witness generator: the statement is the caller's).
 * Never another account's circuit whose wasm differs, nor one of another account for a witness:
 * its wasm (or R1CS) is not the caller's. Without a wasm (prove), only the caller's own circuits.
 */
function chooseCircuit(visible: readonly Circuit[], zkeySha: string, wasmSha: string | null): CircuitChoice | null {
  const withKey = visible.filter((c) => shaOf(c, 'ZKEY') === zkeySha);
  const own = withKey.filter((c) => c.mine);
  if (wasmSha === null) return own[0] ? { circuit: own[0], witnessHere: false } : null;
  const sameWasm = (c: Circuit) => shaOf(c, 'WASM') === wasmSha;
  const pick = own.find(sameWasm);
  if (pick) return { circuit: pick, witnessHere: false };
  if (own[0]) return { circuit: own[0], witnessHere: true };
  const shared = withKey.find((c) => !c.mine && c.public && sameWasm(c));
  return shared ? { circuit: shared, witnessHere: false } : null;
}

/**
 * The circuit for this zkey (and wasm) on the broker: chosen by content hash (chooseCircuit), or
 * registered now as the caller's own (with the wasm when given, so inputs can be checked and named
 * by the broker).
 */
export async function ensureCircuit(client: MarketClient, zkey: FileSource, wasm: FileSource | null,
  allowInsecureSetup = false, onNotice?: (line: string) => void): Promise<CircuitChoice> {
  const sha = await hashOf(zkey);
  const wasmSha = wasm === null ? null : await hashOf(wasm);
  const known = chooseCircuit(await client.listCircuits(), sha, wasmSha);
  if (known) return known;
  // The caller's own name; another account's public circuit of this name is not the caller's.
  const name = `zkey-${sha.slice(0, 16)}`;
  // Like `circuit add`: the .r1cs (and .sym) circom wrote beside a wasm file are registered with it,
  // so the broker can check witnesses and name missing inputs.
  const r1cs = typeof wasm === 'string' ? besideWasm(wasm, 'r1cs') : null;
  const sym = typeof wasm === 'string' ? besideWasm(wasm, 'sym') : null;
  for (const [flag, f] of [['r1cs', r1cs], ['sym', sym]] as const) if (f) onNotice?.(`registering ${name} with ${flag} ${f.file} (found ${f.where})`);
  if (!r1cs) onNotice?.(`${NO_R1CS_WARNING} (no .r1cs beside the wasm; \`proofmarket circuit add NAME … --r1cs FILE\` registers one first)`);
  const vkey = await exportVkey(zkey);
  const register = (withCircom: boolean) => client.registerCircuit({
    name, zkey: artifact(zkey), vkey, ...(withCircom && r1cs ? { r1cs: r1cs.file } : {}), ...(withCircom && sym ? { sym: sym.file } : {}),
    ...(wasm ? { wasm: artifact(wasm) } : {}), description: 'registered on the fly by proofmarket groth16', allowInsecureSetup,
  });
  try {
    const circuit = await register(true).catch((e) => {
      // A stale .r1cs of another circuit beside the wasm: what snarkjs would prove still gets proved, without it.
      if (!(r1cs && e instanceof MarketError && e.code === grpc.status.INVALID_ARGUMENT && /r1cs/i.test(e.message))) throw e;
      onNotice?.(`${r1cs.file} (found ${r1cs.where}) is not this zkey's circuit: ${e.message}; registering ${name} without it`);
      onNotice?.(NO_R1CS_WARNING);
      return register(false);
    });
    return { circuit, witnessHere: false };
  } catch (e) {
    // Registered meanwhile (another process of the same account): use that one.
    if (e instanceof MarketError && e.code === grpc.status.ALREADY_EXISTS) {
      const again = chooseCircuit(await client.listCircuits(), sha, wasmSha);
      if (again) return again;
    }
    throw e;
  }
}

function resultOf(job: Job): Groth16Result {
  if (job.state !== 'JOB_STATE_DONE' || !job.proof) {
    const state = job.state.replace(/^JOB_STATE_/, '');
    throw new MarketError(grpc.status.ABORTED, 'ABORTED', `job ${job.id} ended ${state}${job.error ? `: ${job.error}` : ''}`);
  }
  return { proof: JSON.parse(job.proof.proofJson) as Groth16Proof, publicSignals: JSON.parse(job.proof.publicJson) as string[] };
}

async function run(o: MarketOptions, fn: (c: MarketClient) => Promise<Job>): Promise<{ job: Job; result: Groth16Result }> {
  const { client, close } = openClient(o);
  try {
    const submitted = await fn(client);
    const job = await client.waitDone(submitted.id, o.timeoutMs ?? 600_000, o.onEvent);
    return { job, result: resultOf(job) };
  } finally { close(); }
}

function readWitness(wtns: FileSource): Uint8Array {
  return bytesOf(wtns) ?? fs.readFileSync(wtns as string);
}

/** snarkjs's JSON for inputs: BigInt values as decimal strings. */
function inputJson(input: unknown): string {
  if (typeof input === 'string') return input;
  return JSON.stringify(input, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Like snarkjs.groth16.prove(zkey, wtns), on the market. Also returns the job. */
export async function proveJob(zkey: FileSource, wtns: FileSource, o: MarketOptions = {}): Promise<{ job: Job; result: Groth16Result }> {
  const witness = readWitness(wtns);
  return run(o, async (c) => {
    const { circuit } = await ensureCircuit(c, zkey, null, o.allowInsecureSetup);
    return c.submit({ circuit: circuit.id, witness });
  });
}

/** Like snarkjs.groth16.fullProve(input, wasm, zkey), on the market. Also returns the job. */
export async function fullProveJob(input: unknown, wasm: FileSource, zkey: FileSource, o: MarketOptions = {}): Promise<{ job: Job; result: Groth16Result }> {
  const text = inputJson(input);
  return run(o, async (c) => {
    const { circuit, witnessHere } = await ensureCircuit(c, zkey, wasm, o.allowInsecureSetup, o.onNotice);
    if (!witnessHere) return c.submit({ circuit: circuit.id, input: text });
    // The caller's own circuit of this zkey has another wasm (or none): compute the witness here
    // with the caller's wasm, as snarkjs would, so the statement is the caller's.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const snarkjs = require('snarkjs') as { wtns: { calculate(i: unknown, w: unknown, o: { type: 'mem'; data?: Uint8Array }): Promise<void> } };
    const out: { type: 'mem'; data?: Uint8Array } = { type: 'mem' };
    const w = bytesOf(wasm);
    await snarkjs.wtns.calculate(JSON.parse(text), w ? { type: 'mem', data: w } : wasm, out);
    return c.submit({ circuit: circuit.id, witness: out.data! });
  });
}

/** snarkjs-compatible `groth16` namespace: `prove` and `fullProve` run on the market. */
export const groth16 = {
  /** snarkjs.groth16.prove(zkeyFileName, witnessFileName) → { proof, publicSignals }. */
  async prove(zkey: FileSource, wtns: FileSource, o: MarketOptions = {}): Promise<Groth16Result> {
    return (await proveJob(zkey, wtns, o)).result;
  },
  /** snarkjs.groth16.fullProve(input, wasmFile, zkeyFileName) → { proof, publicSignals }. */
  async fullProve(input: unknown, wasm: FileSource, zkey: FileSource, o: MarketOptions = {}): Promise<Groth16Result> {
    return (await fullProveJob(input, wasm, zkey, o)).result;
  },
};
