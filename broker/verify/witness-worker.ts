// worker_threads body of the witness pool (witness-pool.ts): computes a job's witness with the
// circuit's circom wasm (circom_runtime, the witness calculator snarkjs uses), or decodes a
// client's .wtns, and checks it against the circuit's R1CS when there is one. Answers the job's
// public signals.
//
// circom_runtime needs ffjavascript, whose `web-worker` dependency takes over any non-main
// thread that loads it (it expects to be one of ffjavascript's own curve workers). The witness
// calculator only uses ffjavascript's pure-JS Scalar/F1Field, never its threads, so that module
// is replaced by a stub in this thread before anything loads it.
import * as fs from 'fs';
import * as os from 'os';
import Module from 'module';
import { isMainThread, parentPort, workerData } from 'worker_threads';
import { checkR1cs, decodeWtns, parseR1cs, publicSignalsOf, WitnessFormatError, type R1cs, type Witness } from './witness';

/**
 * `nVars`: the zkey's number of variables, when known: a witness of another length cannot be
 * proved with the key ("Invalid witness length" on every prover), so it is the job's bad input.
 */
export interface ComputeTask { id: number; op: 'compute'; wasmPath: string; inputJson: string; r1csPath: string | null; nPublic: number; nVars?: number }
export interface CheckTask { id: number; op: 'check'; witness: Uint8Array; r1csPath: string | null; nPublic: number; nVars?: number }
export type WitnessTask = ComputeTask | CheckTask;

/**
 * `bad`: the client's input or witness is at fault (witness generation failed, the witness does
 * not satisfy the R1CS, malformed .wtns); `error`: the broker could not do the work.
 */
export type WitnessOutcome =
  | { ok: true; publicSignals: string[]; r1cs: 'satisfied' | 'unchecked' }
  | { ok: false; bad: boolean; reason: string };
export type WitnessReply = WitnessOutcome & { id: number; ms: number };

interface WitnessCalculator { calculateWitness(input: unknown, sanityCheck: boolean): Promise<bigint[]> }
type Builder = (code: Uint8Array, options?: Record<string, unknown>) => Promise<WitnessCalculator>;

function loadCircomRuntime(): Builder {
  const runtimeMain = require.resolve('circom_runtime');
  const ff = require.resolve('ffjavascript', { paths: [runtimeMain] });
  const ww = require.resolve('web-worker', { paths: [ff] });
  if (!require.cache[ww]) {
    const stub = new Module(ww);
    stub.filename = ww; stub.loaded = true;
    stub.exports = function NoNestedWorkers() { throw new Error('ffjavascript threads are not available in a witness worker'); };
    require.cache[ww] = stub;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(runtimeMain) as { WitnessCalculatorBuilder: Builder }).WitnessCalculatorBuilder;
}

/** A small LRU: a compiled circuit holds a 2 GiB (virtual) wasm memory, an R1CS its whole file. */
class Lru<V> {
  private readonly m = new Map<string, V>();
  constructor(private readonly max: number) {}
  async get(key: string, make: () => Promise<V> | V): Promise<V> {
    let v = this.m.get(key);
    if (v !== undefined) { this.m.delete(key); this.m.set(key, v); return v; }
    v = await make();
    this.m.set(key, v);
    while (this.m.size > this.max) this.m.delete(this.m.keys().next().value as string);
    return v;
  }
}

/** What circom_runtime's circom 2 calculator (WitnessCalculatorCircom2, pinned version) has inside. */
interface Circom2Internals {
  instance?: { exports?: { getWitness?(i: number): void; readSharedRWMemory?(j: number): number } };
  n32?: number; witnessSize?: number;
  _doCalculateWitness?(input: unknown, sanityCheck: boolean): Promise<void>;
}

/**
 * The first `count` wires of the input's witness (fewer if the circuit has fewer), or null when
 * the calculator is not circom_runtime's circom 2 one. The same values as calculateWitness (the
 * circuit runs in full, asserts included), read faster: each wire's 32-bit words land in one
 * reused buffer and become a bigint in 64-bit steps (calculateWitness allocates per wire and
 * multiplies word by word: on example_bn254, 380 wires, ~270 µs vs ~150 µs per witness). Without
 * an R1CS to check, the statement needs only wires 0..nPublic.
 */
async function witnessWires(calc: WitnessCalculator, input: unknown, count: number): Promise<bigint[] | null> {
  const c = calc as WitnessCalculator & Circom2Internals;
  const x = c.instance?.exports;
  if (!x?.getWitness || !x.readSharedRWMemory || typeof c._doCalculateWitness !== 'function' || !c.n32 || c.n32 % 2 !== 0
    || typeof c.witnessSize !== 'number' || os.endianness() !== 'LE') return null;
  await c._doCalculateWitness(input, true);
  const n32 = c.n32; const words = new Uint32Array(n32); const limbs = new BigUint64Array(words.buffer);
  const getWitness = x.getWitness.bind(x.getWitness); const read = x.readSharedRWMemory.bind(x.readSharedRWMemory);
  const out = new Array<bigint>(Math.min(c.witnessSize, count));
  for (let i = 0; i < out.length; i++) {
    getWitness(i);
    for (let j = 0; j < n32; j++) words[j] = read(j);
    let v = 0n;
    for (let k = limbs.length - 1; k >= 0; k--) v = (v << 64n) | limbs[k];
    out[i] = v;
  }
  return out;
}

let builder: Builder | null = null;
const calculators = new Lru<WitnessCalculator>(2);
const r1csFiles = new Lru<R1cs>(2);

function oneLine(e: unknown): string {
  return String((e as Error)?.message ?? e).replace(/\s+/g, ' ').trim().slice(0, 500);
}

async function run(t: WitnessTask): Promise<WitnessOutcome> {
  let values: bigint[]; let prime: bigint | null = null;
  if (t.op === 'compute') {
    let input: unknown;
    try { input = JSON.parse(t.inputJson); } catch (e) { return { ok: false, bad: true, reason: `input is not valid JSON: ${oneLine(e)}` }; }
    let calc: WitnessCalculator;
    try {
      builder ??= loadCircomRuntime();
      calc = await calculators.get(t.wasmPath, async () => builder!(fs.readFileSync(t.wasmPath)));
    } catch (e) { return { ok: false, bad: false, reason: `could not load the circuit's witness generator: ${oneLine(e)}` }; }
    let wires: number;
    try {
      const fast = await witnessWires(calc, input, t.r1csPath ? Number.MAX_SAFE_INTEGER : t.nPublic + 1);
      values = fast ?? await calc.calculateWitness(input, true);
      wires = fast ? (calc as WitnessCalculator & Circom2Internals).witnessSize! : values.length;
    } catch (e) {
      return { ok: false, bad: true, reason: `witness generation failed: ${oneLine(e)}` };
    }
    if (t.nVars && wires !== t.nVars) {
      return { ok: false, bad: true, reason: `the circuit's wasm computes a witness of ${wires} wires, its zkey has ${t.nVars} variables: the wasm is not the zkey's circuit` };
    }
  } else {
    let w: Witness;
    try { w = decodeWtns(t.witness); } catch (e) { return { ok: false, bad: true, reason: oneLine(e) }; }
    values = w.values; prime = w.prime;
    if (t.nVars && values.length !== t.nVars) {
      return { ok: false, bad: true, reason: `the witness has ${values.length} wires, the circuit's zkey has ${t.nVars} variables: a witness of another circuit` };
    }
  }
  let publicSignals: string[];
  try { publicSignals = publicSignalsOf(values, t.nPublic); } catch (e) { return { ok: false, bad: true, reason: oneLine(e) }; }
  if (!t.r1csPath) return { ok: true, publicSignals, r1cs: 'unchecked' };
  let r: R1cs;
  try { r = await r1csFiles.get(t.r1csPath, () => parseR1cs(fs.readFileSync(t.r1csPath!))); } catch (e) {
    return { ok: false, bad: false, reason: `could not read the circuit's r1cs: ${oneLine(e)}` };
  }
  try {
    const v = checkR1cs(r, { prime: prime ?? r.prime, values });
    if (!v.ok) {
      const who = t.op === 'compute' ? 'the witness the circuit\'s wasm computes for this input' : 'the witness';
      return { ok: false, bad: true, reason: `${who} does not satisfy the circuit: ${v.reason}` };
    }
  } catch (e) {
    if (e instanceof WitnessFormatError) return { ok: false, bad: true, reason: oneLine(e) };
    throw e;
  }
  return { ok: true, publicSignals, r1cs: 'satisfied' };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  // circom's runtime prints assert failures and the circuit's log() calls; the failures are also in
  // the error it throws (and so in the reply), the rest is the client's debugging output.
  console.error = () => {}; console.log = () => {};
  const { progress, base } = workerData as { progress: Int32Array; base: number };
  // A batch (witness-pool.ts): its tasks one at a time, each marked in `progress` while it runs
  // (the pool's per-task time limit reads it), all answered in one message.
  port.on('message', async (batch: WitnessTask[]) => {
    const out: WitnessReply[] = [];
    for (const t of batch) {
      Atomics.store(progress, 1, Date.now() - base);
      Atomics.store(progress, 0, t.id);
      const t0 = performance.now();
      try {
        out.push({ ...(await run(t)), id: t.id, ms: performance.now() - t0 } as WitnessReply);
      } catch (e) {
        out.push({ id: t.id, ok: false, bad: false, reason: `witness worker failed: ${oneLine(e)}`, ms: performance.now() - t0 } as WitnessReply);
      }
    }
    Atomics.store(progress, 0, 0);
    port.postMessage(out);
  });
}
