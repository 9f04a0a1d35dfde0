// The TypeScript face of the native engine: every function and type of the C ABI
// (native/include/proofmarket.h), in the header's order, over the Node-API addon
// native/build/Release/proofmarket_native.node (built by `npm run build:native`).
//
// Validation and defaults live here, before anything crosses into C++: sizes that are not a
// whole number of elements, unknown curves or devices, closed handles are rejected with a
// NativeError('INVALID_ARGUMENT') naming what is wrong. Errors from the engine become
// NativeError with the engine's code ('FORMAT', 'MISMATCH', 'UNSUPPORTED', ...) and message.
// Optional parameters are `T | null`. Importing this module never throws; loadNative() does,
// with NativeUnavailableError, when the addon is missing or does not load.
//
// Buffers passed to msmG1/msmG2/prove are read in place on a worker thread: do not modify them
// until the returned promise settles.

import * as fs from 'fs';
import * as path from 'path';

/** The ABI version this file was written against (PM_ABI_VERSION). */
export const ABI_VERSION = 1;
export const ADDON_RELATIVE_PATH = path.join('native', 'build', 'Release', 'proofmarket_native.node');
export const BUILD_COMMAND = 'npm run build:native';

export type Curve = 'bn254' | 'bls12-381';
export type Device = 'auto' | 'cpu' | 'cuda';
export type Field = 'fq' | 'fr';
export type FieldOp = 'add' | 'sub' | 'mul' | 'sqr' | 'neg' | 'inv';

/** Codes of pm_status, as strings. */
export type NativeErrorCode =
  | 'INVALID_ARGUMENT' | 'IO' | 'FORMAT' | 'MISMATCH' | 'UNSUPPORTED' | 'DEVICE'
  | 'OUT_OF_MEMORY' | 'CANCELLED' | 'INTERNAL';

/** An error reported by the engine (or by this module's argument checks). */
export class NativeError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'NativeError';
    this.code = code;
  }
}

/** The addon is not built, failed to load, or does not match this module. */
export class NativeUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NativeUnavailableError';
  }
}

// ---- sizes --------------------------------------------------------------------------------

const CURVE_ID: Record<Curve, number> = { 'bn254': 1, 'bls12-381': 2 };
const DEVICE_ID: Record<Device, number> = { auto: 0, cpu: 1, cuda: 2 };
const FIELD_ID: Record<Field, number> = { fq: 0, fr: 1 };
const OP_ID: Record<FieldOp, number> = { add: 0, sub: 1, mul: 2, sqr: 3, neg: 4, inv: 5 };

/** Bytes of one base-field element. */
export function fqBytes(curve: Curve): number { return curve === 'bls12-381' ? 48 : 32; }
/** Bytes of one scalar-field element (both curves). */
export const FR_BYTES = 32;
/** Bytes of an affine G1 point (x || y, Montgomery LE). */
export function g1Bytes(curve: Curve): number { return 2 * fqBytes(curve); }
/** Bytes of an affine G2 point (x.c0 || x.c1 || y.c0 || y.c1). */
export function g2Bytes(curve: Curve): number { return 4 * fqBytes(curve); }

// ---- public types -------------------------------------------------------------------------

export interface EngineInfo {
  abiVersion: number;
  cpuThreads: number;
  cudaCompiled: boolean;
  cudaDevices: number;
  build: string;
}

export interface CudaDevice {
  index: number;
  name: string;
  memoryBytes: bigint;
  smCount: number;
  ccMajor: number;
  ccMinor: number;
}

export interface MsmOptions {
  device?: Device;
  /** Scalars are Montgomery-form Fr (zkey coefficients) rather than canonical (witness). */
  scalarsMontgomery?: boolean;
  /** CPU threads, 0 = all cores. */
  threads?: number;
  /** Pippenger window bits, 0 = chosen from n. */
  windowBits?: number;
}

export interface NttOptions {
  device?: Device;
  threads?: number;
  /** Data is in Montgomery form (default true, as zkeys and ffjavascript keep it). */
  montgomery?: boolean;
}

export interface ZkeyInfo {
  curve: Curve;
  nVars: number;
  nPublic: number;
  domainSize: number;
  domainLog2: number;
  nCoefs: number;
}

declare const zkeyBrand: unique symbol;
/** An opened Groth16 .zkey (memory-mapped by the engine). Close it when done; closing twice is
 * fine, and a handle that is dropped unclosed is closed when it is garbage collected. */
export interface Zkey {
  readonly [zkeyBrand]: true;
  readonly path: string;
  readonly info: ZkeyInfo;
  readonly closed: boolean;
  close(): void;
}

export interface ProveOptions {
  device?: Device;
  threads?: number;
  onProgress?: ((stage: string, fraction: number) => void) | null;
  /** Aborting asks the engine to stop at its next progress point (rejects with code CANCELLED). */
  signal?: AbortSignal | null;
}

export interface ProveResult {
  /** proof.json, parsed. */
  proof: any;
  publicSignals: string[];
  /** proof.json / public.json text exactly as the engine wrote them (snarkjs format). */
  proofJson: string;
  publicJson: string;
  /** 'cpu' or 'cuda': where the proof was computed. */
  device: string;
  /** BLS12-381 only: Filecoin's 192-byte encoding (A‖B‖C, zcash compressed points), made by the engine. */
  filecoin?: Uint8Array;
}

export interface NativeEngine {
  /** Where the addon was loaded from. */
  readonly addonPath: string;
  info(): EngineInfo;
  cudaDevices(): CudaDevice[];
  /** out[i] = a[i] op b[i] on Montgomery LE elements (b is null for sqr/neg/inv). Synchronous. */
  fieldBatch(curve: Curve, field: Field, op: FieldOp, a: Uint8Array, b: Uint8Array | null): Uint8Array;
  /** sum scalars[i]·points[i] as an affine Montgomery point (all zeros = infinity). */
  msmG1(curve: Curve, points: Uint8Array, scalars: Uint8Array, opts: MsmOptions | null): Promise<Uint8Array>;
  msmG2(curve: Curve, points: Uint8Array, scalars: Uint8Array, opts: MsmOptions | null): Promise<Uint8Array>;
  /** Forward (inverse = false) or inverse NTT of 2^k Fr elements; returns a new buffer. */
  ntt(curve: Curve, data: Uint8Array, inverse: boolean, opts: NttOptions | null): Promise<Uint8Array>;
  openZkey(path: string): Promise<Zkey>;
  /** Proves with the bytes of a snarkjs .wtns file. */
  prove(zkey: Zkey, wtns: Uint8Array, opts: ProveOptions | null): Promise<ProveResult>;
  /** A development (NOT trusted) Groth16 zkey for a circom r1cs; snarkjs can use it. */
  devSetupR1cs(zkeyOut: string, r1csPath: string, seed: bigint): Promise<void>;
  /** dir/circuit.zkey + dir/witness.wtns for a 2^logConstraints multiplication chain. */
  devSetupSynthetic(dir: string, curve: Curve, logConstraints: number, seed: bigint): Promise<void>;
}

// ---- the addon's raw surface (native/binding/addon.cpp) ----------------------------------

interface RawZkey { close(): void; readonly closed: boolean }
interface RawAddon {
  abiVersion: number;
  engineInfoGet(): EngineInfo & { bindingAbiVersion: number };
  cudaDeviceInfo(index: number): CudaDevice;
  fieldBatch(curve: number, field: number, op: number, a: Uint8Array, b: Uint8Array | null, n: number): Uint8Array;
  defaultMsmConfig(): { device: number; threads: number; windowBits: number; scalarsMontgomery: number };
  msmG1(curve: number, points: Uint8Array, scalars: Uint8Array, n: number, cfg: object): Promise<Uint8Array>;
  msmG2(curve: number, points: Uint8Array, scalars: Uint8Array, n: number, cfg: object): Promise<Uint8Array>;
  defaultNttConfig(): { device: number; threads: number; montgomery: number };
  ntt(data: Uint8Array, curve: number, logN: number, inverse: boolean, cfg: object): Promise<Uint8Array>;
  zkeyOpen(path: string): Promise<RawZkey>;
  zkeyGetInfo(z: RawZkey): ZkeyInfo;
  zkeyClose(z: RawZkey): void;
  defaultProveConfig(): { device: number; threads: number };
  groth16Prove(z: RawZkey, wtns: Uint8Array, cfg: object,
    onProgress: ((stage: string, fraction: number) => void) | null, cancel: Int32Array | null):
    Promise<{ proofJson: string; publicJson: string; device: string; filecoin?: Uint8Array }>;
  devSetupR1cs(zkeyOut: string, r1csPath: string, seed: bigint): Promise<void>;
  devSetupSynthetic(dir: string, curve: number, logConstraints: number, seed: bigint): Promise<void>;
}

// ---- argument checks ----------------------------------------------------------------------

function invalid(message: string): NativeError {
  return new NativeError('INVALID_ARGUMENT', message);
}

/** Turns whatever the addon threw into a NativeError (codes from pm_status). */
function wrapError(err: unknown): Error {
  if (err instanceof NativeError) return err;
  const e = err as { code?: unknown; message?: unknown };
  if (e && typeof e.code === 'string' && typeof e.message === 'string') {
    return new NativeError(e.code, e.message);
  }
  if (err instanceof TypeError) return new NativeError('INVALID_ARGUMENT', err.message);
  return err instanceof Error ? err : new Error(String(err));
}

function checkCurve(curve: unknown): number {
  if (typeof curve !== 'string' || !(curve in CURVE_ID)) {
    throw invalid(`unknown curve ${JSON.stringify(curve)} (expected "bn254" or "bls12-381")`);
  }
  return CURVE_ID[curve as Curve];
}

function checkDevice(device: unknown): number {
  if (device === undefined || device === null) return DEVICE_ID.auto;
  if (typeof device !== 'string' || !(device in DEVICE_ID)) {
    throw invalid(`unknown device ${JSON.stringify(device)} (expected "auto", "cpu" or "cuda")`);
  }
  return DEVICE_ID[device as Device];
}

function checkBytes(name: string, v: unknown): Uint8Array {
  if (!(v instanceof Uint8Array)) throw invalid(`${name} must be a Uint8Array (got ${typeof v})`);
  return v;
}

function checkThreads(v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 4096) {
    throw invalid(`threads must be an integer in 0..4096 (0 = all cores), got ${String(v)}`);
  }
  return v;
}

function checkSeed(seed: unknown): bigint {
  if (typeof seed !== 'bigint' || seed < 0n || seed >= 1n << 64n) {
    throw invalid(`seed must be a bigint in 0..2^64-1, got ${String(seed)}`);
  }
  return seed;
}

function checkPath(name: string, p: unknown): string {
  if (typeof p !== 'string' || p.length === 0) throw invalid(`${name} must be a non-empty path`);
  if (p.includes('\0')) throw invalid(`${name} must not contain NUL characters`);
  return p;
}

function log2Exact(n: number): number {
  if (n < 1 || (n & (n - 1)) !== 0) return -1;
  return Math.round(Math.log2(n));
}

// ---- loading ------------------------------------------------------------------------------

/** Where the addon is looked for: $PM_NATIVE_ADDON, else native/build/Release under the first
 * ancestor of this file that has it (works from native/binding and from dist/native/binding). */
export function addonCandidates(): string[] {
  if (process.env.PM_NATIVE_ADDON) return [path.resolve(process.env.PM_NATIVE_ADDON)];
  const out: string[] = [];
  let dir = __dirname;
  for (;;) {
    out.push(path.join(dir, ADDON_RELATIVE_PATH));
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return out;
}

/** The repository root this module belongs to (the folder above native/binding), for messages. */
function repoRootGuess(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'native', 'CMakeLists.txt'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

let cached: NativeEngine | null = null;

/** Loads the addon (once) and returns the engine. Throws NativeUnavailableError saying why. */
export function loadNative(): NativeEngine {
  if (cached) return cached;
  const candidates = addonCandidates();
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    const where = process.env.PM_NATIVE_ADDON
      ? `PM_NATIVE_ADDON=${process.env.PM_NATIVE_ADDON} does not exist`
      : `no ${ADDON_RELATIVE_PATH} above ${__dirname}`;
    throw new NativeUnavailableError(
      `the native engine addon is not built: ${where}; build it with \`${BUILD_COMMAND}\` in ${repoRootGuess()}`);
  }
  let raw: RawAddon;
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    raw = require(found) as RawAddon;
  } catch (err) {
    throw new NativeUnavailableError(
      `the native engine addon ${found} failed to load: ${(err as Error).message}; ` +
      `rebuild it with \`${BUILD_COMMAND}\``);
  }
  if (raw.abiVersion !== ABI_VERSION) {
    throw new NativeUnavailableError(
      `the native engine addon ${found} has ABI version ${raw.abiVersion}, this code expects ` +
      `${ABI_VERSION}; rebuild it with \`${BUILD_COMMAND}\``);
  }
  let ei: EngineInfo;
  try {
    ei = raw.engineInfoGet();
  } catch (err) {
    throw new NativeUnavailableError(`the native engine did not report its info: ${(err as Error).message}`);
  }
  if (ei.abiVersion !== ABI_VERSION) {
    throw new NativeUnavailableError(
      `the native engine reports ABI version ${ei.abiVersion}, this code expects ${ABI_VERSION}; ` +
      `rebuild it with \`${BUILD_COMMAND}\``);
  }
  cached = new Engine(raw, found);
  return cached;
}

/** loadNative() or null, for callers that only want to know whether it is there. */
export function tryLoadNative(): { engine: NativeEngine | null; reason: string | null } {
  try {
    return { engine: loadNative(), reason: null };
  } catch (err) {
    return { engine: null, reason: (err as Error).message };
  }
}

// ---- the engine ---------------------------------------------------------------------------

class ZkeyHandle implements Zkey {
  declare readonly [zkeyBrand]: true;
  constructor(readonly raw: RawZkey, readonly path: string, readonly info: ZkeyInfo) {}
  get closed(): boolean { return this.raw.closed; }
  close(): void { this.raw.close(); }
}

class Engine implements NativeEngine {
  constructor(private readonly raw: RawAddon, readonly addonPath: string) {}

  info(): EngineInfo {
    try {
      const i = this.raw.engineInfoGet();
      return { abiVersion: i.abiVersion, cpuThreads: i.cpuThreads, cudaCompiled: i.cudaCompiled,
        cudaDevices: i.cudaDevices, build: i.build };
    } catch (err) {
      throw wrapError(err);
    }
  }

  cudaDevices(): CudaDevice[] {
    const n = this.info().cudaDevices;
    const out: CudaDevice[] = [];
    for (let i = 0; i < n; i++) {
      try {
        out.push(this.raw.cudaDeviceInfo(i));
      } catch (err) {
        throw wrapError(err);
      }
    }
    return out;
  }

  fieldBatch(curve: Curve, field: Field, op: FieldOp, a: Uint8Array, b: Uint8Array | null): Uint8Array {
    const c = checkCurve(curve);
    if (!(field in FIELD_ID)) throw invalid(`unknown field ${JSON.stringify(field)} (expected "fq" or "fr")`);
    if (!(op in OP_ID)) throw invalid(`unknown field op ${JSON.stringify(op)}`);
    checkBytes('a', a);
    const el = field === 'fq' ? fqBytes(curve) : FR_BYTES;
    if (a.length % el !== 0) throw invalid(`a is ${a.length} bytes, not a whole number of ${el}-byte elements`);
    const n = a.length / el;
    const binary = op === 'add' || op === 'sub' || op === 'mul';
    if (binary) {
      if (b === null || b === undefined) throw invalid(`field op ${op} needs b`);
      checkBytes('b', b);
      if (b.length !== a.length) throw invalid(`b is ${b.length} bytes, a is ${a.length}: they must match`);
    } else if (b !== null && b !== undefined) {
      throw invalid(`field op ${op} is unary: pass b = null`);
    }
    try {
      return this.raw.fieldBatch(c, FIELD_ID[field], OP_ID[op], a, binary ? b : null, n);
    } catch (err) {
      throw wrapError(err);
    }
  }

  msmG1(curve: Curve, points: Uint8Array, scalars: Uint8Array, opts: MsmOptions | null): Promise<Uint8Array> {
    return this.msm(false, curve, points, scalars, opts);
  }

  msmG2(curve: Curve, points: Uint8Array, scalars: Uint8Array, opts: MsmOptions | null): Promise<Uint8Array> {
    return this.msm(true, curve, points, scalars, opts);
  }

  private async msm(g2: boolean, curve: Curve, points: Uint8Array, scalars: Uint8Array,
                    opts: MsmOptions | null): Promise<Uint8Array> {
    const c = checkCurve(curve);
    checkBytes('points', points);
    checkBytes('scalars', scalars);
    const pb = g2 ? g2Bytes(curve) : g1Bytes(curve);
    const group = g2 ? 'G2' : 'G1';
    if (points.length % pb !== 0) {
      throw invalid(`points is ${points.length} bytes, not a whole number of ${pb}-byte ${curve} ${group} affine points`);
    }
    const n = points.length / pb;
    if (scalars.length !== n * FR_BYTES) {
      throw invalid(`scalars is ${scalars.length} bytes but ${n} points need ${n * FR_BYTES} (32 bytes each)`);
    }
    const o = opts ?? {};
    const windowBits = o.windowBits ?? 0;
    if (!Number.isInteger(windowBits) || windowBits < 0 || windowBits > 24) {
      throw invalid(`windowBits must be an integer in 0..24 (0 = auto), got ${String(windowBits)}`);
    }
    const cfg = {
      device: checkDevice(o.device),
      threads: checkThreads(o.threads),
      windowBits,
      scalarsMontgomery: o.scalarsMontgomery ? 1 : 0,
    };
    try {
      return await (g2 ? this.raw.msmG2(c, points, scalars, n, cfg) : this.raw.msmG1(c, points, scalars, n, cfg));
    } catch (err) {
      throw wrapError(err);
    }
  }

  async ntt(curve: Curve, data: Uint8Array, inverse: boolean, opts: NttOptions | null): Promise<Uint8Array> {
    const c = checkCurve(curve);
    checkBytes('data', data);
    if (typeof inverse !== 'boolean') throw invalid('inverse must be a boolean');
    if (data.length % FR_BYTES !== 0) {
      throw invalid(`data is ${data.length} bytes, not a whole number of 32-byte Fr elements`);
    }
    const logN = log2Exact(data.length / FR_BYTES);
    if (logN < 0) throw invalid(`NTT size must be a power of two, got ${data.length / FR_BYTES} elements`);
    const o = opts ?? {};
    const cfg = {
      device: checkDevice(o.device),
      threads: checkThreads(o.threads),
      montgomery: o.montgomery === false ? 0 : 1,
    };
    try {
      return await this.raw.ntt(data, c, logN, inverse, cfg);
    } catch (err) {
      throw wrapError(err);
    }
  }

  async openZkey(zkeyPath: string): Promise<Zkey> {
    checkPath('zkey path', zkeyPath);
    let raw: RawZkey;
    try {
      raw = await this.raw.zkeyOpen(zkeyPath);
    } catch (err) {
      throw wrapError(err);
    }
    try {
      return new ZkeyHandle(raw, zkeyPath, this.raw.zkeyGetInfo(raw));
    } catch (err) {
      raw.close();
      throw wrapError(err);
    }
  }

  async prove(zkey: Zkey, wtns: Uint8Array, opts: ProveOptions | null): Promise<ProveResult> {
    if (!(zkey instanceof ZkeyHandle)) throw invalid('zkey must be a handle returned by openZkey()');
    if (zkey.closed) throw invalid(`the zkey handle for ${zkey.path} is closed`);
    checkBytes('wtns', wtns);
    if (wtns.length === 0) throw invalid('wtns is empty');
    const o = opts ?? {};
    if (o.onProgress !== undefined && o.onProgress !== null && typeof o.onProgress !== 'function') {
      throw invalid('onProgress must be a function or null');
    }
    const cfg = { device: checkDevice(o.device), threads: checkThreads(o.threads) };
    const signal = o.signal ?? null;
    if (signal?.aborted) throw new NativeError('CANCELLED', 'the proof was cancelled before it started');
    const cancel = new Int32Array(1);
    const onAbort = (): void => { cancel[0] = 1; };
    signal?.addEventListener('abort', onAbort, { once: true });
    let r: { proofJson: string; publicJson: string; device: string; filecoin?: Uint8Array };
    try {
      r = await this.raw.groth16Prove(zkey.raw, wtns, cfg, o.onProgress ?? null, cancel);
    } catch (err) {
      throw wrapError(err);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    let proof: any;
    let publicSignals: string[];
    try {
      proof = JSON.parse(r.proofJson);
      publicSignals = JSON.parse(r.publicJson) as string[];
    } catch (err) {
      throw new NativeError('INTERNAL', `the engine wrote proof JSON that does not parse: ${(err as Error).message}`);
    }
    return {
      proof, publicSignals, proofJson: r.proofJson, publicJson: r.publicJson, device: r.device,
      ...(r.filecoin ? { filecoin: new Uint8Array(r.filecoin) } : {}),
    };
  }

  async devSetupR1cs(zkeyOut: string, r1csPath: string, seed: bigint): Promise<void> {
    checkPath('zkeyOut', zkeyOut);
    checkPath('r1csPath', r1csPath);
    checkSeed(seed);
    try {
      await this.raw.devSetupR1cs(zkeyOut, r1csPath, seed);
    } catch (err) {
      throw wrapError(err);
    }
  }

  async devSetupSynthetic(dir: string, curve: Curve, logConstraints: number, seed: bigint): Promise<void> {
    checkPath('dir', dir);
    const c = checkCurve(curve);
    if (!Number.isInteger(logConstraints) || logConstraints < 2 || logConstraints > 26) {
      throw invalid(`logConstraints must be an integer in 2..26, got ${String(logConstraints)}`);
    }
    checkSeed(seed);
    try {
      await this.raw.devSetupSynthetic(dir, c, logConstraints, seed);
    } catch (err) {
      throw wrapError(err);
    }
  }
}
