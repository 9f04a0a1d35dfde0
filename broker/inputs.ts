// Input-signal validation at submit: every value an integer in [0, r) of the circuit's scalar
// field, no missing and no extra signals — each failure names the signal.
//
// The broker learns a circuit's inputs in one of two ways:
//  - r1cs + sym given at registration: inputs are wires [1+nPubOut, 1+nPubOut+nPubIn+nPrvIn) of the
//    r1cs header, named by the .sym file; grouped per top-level signal ("b[0]".."b[2]" → b, size 3).
//  - otherwise the circom wasm: getInputSignalSize(hashMSB, hashLSB) with the FNV-1a 64 hash of a
//    name answers its size (-1: not an input) and getInputSize() the total, so extra names are
//    named and missing ones reported by count.
import * as fs from 'fs';
import { CURVES, type CurveName } from '../src/common/curves';
import { parseSym, readR1csInfo } from './formats';
import type { InputSignalSpec } from './store/types';

export class InputError extends Error {}

/** Input signal groups of the main component, in wire order. */
export function inputSpecFromR1csSym(r1csFile: string, symText: string): InputSignalSpec[] {
  const h = readR1csInfo(r1csFile);
  const first = 1 + h.nPubOut;
  const end = first + h.nPubIn + h.nPrvIn;
  const byWire = new Map<number, string>();
  for (const e of parseSym(symText)) {
    if (e.wireIdx < first || e.wireIdx >= end) continue;
    if (!e.name.startsWith('main.')) continue;
    const local = e.name.slice(5);
    if (local.includes('.')) continue; // a sub-component's signal aliased to the same wire
    if (!byWire.has(e.wireIdx)) byWire.set(e.wireIdx, local);
  }
  if (byWire.size !== end - first) {
    throw new InputError(`sym file names ${byWire.size} of the r1cs's ${end - first} input wires (does the sym belong to this r1cs?)`);
  }
  const groups: InputSignalSpec[] = [];
  for (let w = first; w < end; w++) {
    const base = byWire.get(w)!.replace(/\[.*$/, '');
    const last = groups[groups.length - 1];
    if (last && last.name === base) last.size++;
    else groups.push({ name: base, size: 1 });
  }
  return groups;
}

export function fnv1a64(s: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(s, 'utf8')) {
    h ^= BigInt(byte);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h;
}

/** Answers input-name questions from a circom wasm witness generator without computing anything. */
export class WasmInputProbe {
  private readonly exp: WebAssembly.Exports;
  constructor(wasm: Uint8Array) {
    const noop = () => {};
    const mod = new WebAssembly.Module(new Uint8Array(wasm));
    const inst = new WebAssembly.Instance(mod, {
      runtime: { exceptionHandler: noop, printErrorMessage: noop, writeBufferMessage: noop, showSharedRWMemory: noop },
    });
    this.exp = inst.exports;
    if (typeof this.exp.getInputSignalSize !== 'function') {
      throw new InputError('wasm does not export getInputSignalSize (compiled by circom < 2.0.?); register with --r1cs and --sym instead');
    }
    if (typeof this.exp.init === 'function') (this.exp.init as (x: number) => void)(0);
  }
  static fromFile(file: string): WasmInputProbe { return new WasmInputProbe(fs.readFileSync(file)); }
  /** Size of input signal `name`; -1 or 0 if the circuit has no such input. */
  sizeOf(name: string): number {
    const h = fnv1a64(name);
    return (this.exp.getInputSignalSize as (a: number, b: number) => number)(Number(h >> 32n), Number(h & 0xffffffffn));
  }
  /** Total number of input values, or null if this wasm cannot tell. */
  total(): number | null {
    return typeof this.exp.getInputSize === 'function' ? (this.exp.getInputSize as () => number)() : null;
  }
}

type Leaf = { path: string; value: unknown };

function flatten(name: string, v: unknown, out: Leaf[]): void {
  if (Array.isArray(v)) v.forEach((x, i) => flatten(`${name}[${i}]`, x, out));
  else out.push({ path: name, value: v });
}

function checkValue(path: string, v: unknown, curve: CurveName): void {
  const c = CURVES[curve];
  let x: bigint;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new InputError(`input "${path}" is ${v}: numbers must be safe integers; pass big values as decimal strings`);
    x = BigInt(v);
  } else if (typeof v === 'string') {
    const t = v.trim();
    if (/^-?[0-9]+$/.test(t)) x = BigInt(t);
    else if (/^0x[0-9a-fA-F]+$/.test(t)) x = BigInt(t);
    else throw new InputError(`input "${path}" is ${JSON.stringify(v).slice(0, 80)}, not an integer (decimal string or number)`);
  } else if (typeof v === 'bigint') {
    x = v;
  } else {
    throw new InputError(`input "${path}" is ${v === null ? 'null' : typeof v}, not an integer (decimal string or number)`);
  }
  if (x < 0n) throw new InputError(`input "${path}" is negative; values must be in [0, r) of the ${c.label} scalar field`);
  if (x >= c.r) throw new InputError(`input "${path}" is not below the ${c.label} scalar field modulus`);
}

export interface InputSource { spec: InputSignalSpec[] | null; probe: () => WasmInputProbe }

/** Parses and checks input_json. Throws InputError naming the offending signal. */
export function validateInputJson(text: string, curve: CurveName, src: InputSource): void {
  let obj: unknown;
  try { obj = JSON.parse(text); } catch (e) {
    throw new InputError(`input_json is not valid JSON: ${(e as Error).message}`);
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new InputError('input_json must be a JSON object mapping signal names to values');
  }
  const entries = Object.entries(obj as Record<string, unknown>);
  const leaves = new Map<string, Leaf[]>();
  for (const [k, v] of entries) {
    const l: Leaf[] = [];
    flatten(k, v, l);
    for (const leaf of l) checkValue(leaf.path, leaf.value, curve);
    leaves.set(k, l);
  }
  if (src.spec) {
    const want = new Map(src.spec.map((s) => [s.name, s.size]));
    for (const [k, l] of leaves) {
      const n = want.get(k);
      if (n === undefined) throw new InputError(`input "${k}" is not an input of this circuit (inputs: ${src.spec.map((s) => s.name).join(', ')})`);
      if (l.length !== n) throw new InputError(`input "${k}" has ${l.length} value${l.length === 1 ? '' : 's'}, the circuit expects ${n}`);
    }
    for (const s of src.spec) {
      if (!leaves.has(s.name)) throw new InputError(`input "${s.name}" is missing${s.size > 1 ? ` (${s.size} values)` : ''}`);
    }
    return;
  }
  const probe = src.probe();
  let seen = 0;
  for (const [k, l] of leaves) {
    const n = probe.sizeOf(k);
    // circom answers -1 (older) or 0 (newer) for a name that is not an input.
    if (n <= 0) throw new InputError(`input "${k}" is not an input of this circuit`);
    if (l.length !== n) throw new InputError(`input "${k}" has ${l.length} value${l.length === 1 ? '' : 's'}, the circuit expects ${n}`);
    seen += n;
  }
  const total = probe.total();
  if (total !== null && seen < total) {
    throw new InputError(`${total - seen} input value${total - seen === 1 ? ' is' : 's are'} missing (the circuit takes ${total}; register it with r1cs and sym to get missing signals named)`);
  }
}
