// Input-signal validation and normalisation at submit: every value an integer of the circuit's
// scalar field, no missing and no extra signals — each failure names the signal (bus fields
// included, e.g. "pts[1].y").
//
// Accepted input forms (the forms circom's own generate_witness.js and snarkjs accept):
//  - values: decimal strings ("12", "-3"), 0x-hex strings ("0x1f"), JSON numbers up to 2^53 − 1;
//    a negative value −v means r − v of the circuit's scalar field (as circom and snarkjs read it);
//    values ≥ r (or ≤ −r) are refused rather than silently reduced;
//  - arrays: flat or nested to the signal's dimensions ({"in": [[1,2],[3,4]]});
//  - circom 2.2 buses: nested objects ({"pts": [{"x": 1, "y": 2}, …]}) or flat/nested arrays of
//    the bus's fields in declaration order ({"pts": [[1,2],[3,4]]}).
// The broker forwards a normalised copy (canonical decimal strings in [0, r), bus objects spelled
// as circom's qualified names "pts[0].x"), so every prover and backend computes the same witness.
//
// The broker learns a circuit's inputs in one of three ways:
//  - r1cs + sym at registration: the main component's input signals are labels
//    [1+nPubOut, 1+nPubOut+nPubIn+nPrvIn) (labels, not wires: an input no constraint uses keeps its
//    label but has wire -1), named by the .sym file; grouped per top-level signal.
//  - sym alone (with the circom wasm): the top-level names of main's signals in the sym, kept
//    where the wasm says they are inputs (getInputSignalSize > 0).
//  - otherwise the circom wasm at submit: getInputSignalSize(hashMSB, hashLSB) with the FNV-1a 64
//    hash of a name answers its size (≤ 0: not an input) and getInputSize() the total, so extra
//    names are named and missing ones reported by count.
import * as fs from 'fs';
import { CURVES, type CurveName } from '../src/common/curves';
import { parseSym, readR1csInfo } from './formats';
import type { InputSignalSpec } from './store/types';

export class InputError extends Error {}

/** The top-level signal name of a local sym name: "pts[0].x" → "pts", "in[3]" → "in". */
function topName(local: string): string {
  const m = /^[^.[]+/.exec(local);
  return m ? m[0] : local;
}

/** Groups main-component signal names (in label order) into InputSignalSpec entries. */
function groupInputs(locals: string[]): InputSignalSpec[] {
  const byName = new Map<string, string[]>();
  for (const local of locals) {
    const name = topName(local);
    const rest = byName.get(name) ?? [];
    rest.push(local.slice(name.length));
    byName.set(name, rest);
  }
  // A bus (its sym names carry a ".field"): keep the leaf names ("[0].x", …) so errors can name a
  // field and the object form can be matched field by field.
  return [...byName].map(([name, rest]) => (rest.some((r) => r.includes('.')) ? { name, size: rest.length, leaves: rest } : { name, size: rest.length }));
}

/** Input signal groups of the main component, in label order, from the r1cs header and the sym. */
export function inputSpecFromR1csSym(r1csFile: string, symText: string): InputSignalSpec[] {
  const h = readR1csInfo(r1csFile);
  const first = 1 + h.nPubOut;
  const end = first + h.nPubIn + h.nPrvIn;
  const byLabel = new Map<number, string>();
  for (const e of parseSym(symText)) {
    if (e.labelIdx < first || e.labelIdx >= end) continue;
    if (!e.name.startsWith('main.')) continue;
    if (!byLabel.has(e.labelIdx)) byLabel.set(e.labelIdx, e.name.slice(5));
  }
  if (byLabel.size !== end - first) {
    throw new InputError(`sym file names ${byLabel.size} of the r1cs's ${end - first} input signals (does the sym belong to this r1cs?)`);
  }
  const locals: string[] = [];
  for (let l = first; l < end; l++) locals.push(byLabel.get(l)!);
  return groupInputs(locals);
}

/** Input signal groups from the sym file and the wasm (no r1cs): main's signals the wasm calls inputs. */
export function inputSpecFromSymWasm(symText: string, probe: WasmInputProbe): InputSignalSpec[] {
  const seen = new Set<number>();
  const locals: string[] = [];
  const isInput = new Map<string, boolean>();
  for (const e of parseSym(symText)) {
    if (!e.name.startsWith('main.') || seen.has(e.labelIdx)) continue;
    seen.add(e.labelIdx);
    const local = e.name.slice(5);
    const name = topName(local);
    let yes = isInput.get(name);
    if (yes === undefined) { yes = probe.sizeOf(name) > 0; isInput.set(name, yes); }
    if (yes) locals.push(local);
  }
  const groups = groupInputs(locals);
  let total = 0;
  for (const g of groups) {
    const n = probe.sizeOf(g.name);
    if (n !== g.size) throw new InputError(`sym file names ${g.size} values of input "${g.name}", the wasm expects ${n} (does the sym belong to this wasm?)`);
    total += n;
  }
  const want = probe.total();
  if (want !== null && want !== total) {
    throw new InputError(`sym file names ${total} of the wasm's ${want} input values (does the sym belong to this wasm?)`);
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
  /** Number of wires in the witness this wasm computes (circom's getWitnessSize), or null if it cannot tell. */
  witnessSize(): number | null {
    return typeof this.exp.getWitnessSize === 'function' ? (this.exp.getWitnessSize as () => number)() : null;
  }
  /** Total number of input values, or null if this wasm cannot tell. */
  total(): number | null {
    return typeof this.exp.getInputSize === 'function' ? (this.exp.getInputSize as () => number)() : null;
  }
}

// ------------------------------------------------------------------ JSON with exact numbers

/** A JSON number as written (JSON.parse would round 2^53 + 1 to 2^53). */
class RawNumber { constructor(readonly raw: string) {} }

/** Parses JSON already known to be valid (JSON.parse succeeded), keeping numbers as written. */
function parseExact(text: string): unknown {
  let i = 0;
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++; };
  const value = (): unknown => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++; const o: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') { i++; return o; }
      for (;;) {
        ws(); const k = value() as string; ws(); i++; // ':'
        const v = value();
        Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
        ws(); if (text[i++] === '}') return o; // else ','
      }
    }
    if (ch === '[') {
      i++; const a: unknown[] = [];
      ws();
      if (text[i] === ']') { i++; return a; }
      for (;;) { a.push(value()); ws(); if (text[i++] === ']') return a; }
    }
    if (ch === '"') {
      const start = i++;
      while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      return JSON.parse(text.slice(start, i)) as string;
    }
    const m = /^(?:true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)/.exec(text.slice(i, i + 400));
    if (!m) throw new InputError(`input_json: unexpected "${text.slice(i, i + 10)}" at offset ${i}`);
    i += m[0].length;
    if (m[0] === 'true') return true;
    if (m[0] === 'false') return false;
    if (m[0] === 'null') return null;
    return new RawNumber(m[0]);
  };
  return value();
}

const NUMBER_FORMS = 'a decimal string like "12" or "-3", a 0x-hex string, or a JSON number up to 2^53 − 1';

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'boolean') return String(v);
  return JSON.stringify(v).slice(0, 80);
}

const notBelowR = (path: string, curve: string) =>
  `input "${path}" is not below the ${curve} scalar field modulus r (values must be in (−r, r); −v means r − v)`;
const notAboveMinusR = (path: string, curve: string) =>
  `input "${path}" is not above −r of the ${curve} scalar field (values must be in (−r, r); −v means r − v)`;

/** One value → canonical decimal in [0, r) of the curve's scalar field. */
export function fieldValue(path: string, v: unknown, curve: CurveName): string {
  const c = CURVES[curve];
  let x: bigint;
  if (v instanceof RawNumber) {
    const n = Number(v.raw);
    if (Number.isSafeInteger(n)) x = BigInt(n);
    else if (/^-?[0-9]+$/.test(v.raw)) {
      throw new InputError(`input "${path}" is ${v.raw}: a JSON number above 2^53 − 1 loses precision (it would be read as ${n.toLocaleString('fullwide', { useGrouping: false })}); write it as a string: "${v.raw}"`);
    } else throw new InputError(`input "${path}" is ${v.raw}, not an integer (${NUMBER_FORMS})`);
  } else if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new InputError(`input "${path}" is ${v}, not an integer (${NUMBER_FORMS})`);
    x = BigInt(v);
  } else if (typeof v === 'string') {
    const t = v.trim();
    const dec = /^-?[0-9]+$/.test(t);
    if (!dec && !/^0[xX][0-9a-fA-F]+$/.test(t)) throw new InputError(`input "${path}" is ${JSON.stringify(v).slice(0, 80)}, not an integer (${NUMBER_FORMS})`);
    // More significant digits than r has cannot be in (−r, r): refused before BigInt, whose parse
    // of a many-megabyte string held the broker's event loop for seconds (5 s for 20 MB), long
    // enough for every prover's keepalive to drop its session.
    const neg = t.startsWith('-');
    const digits = (dec ? t.slice(neg ? 1 : 0) : t.slice(2)).replace(/^0+/, '') || '0';
    if (digits.length > (dec ? c.r.toString().length : c.r.toString(16).length)) {
      throw new InputError(neg ? notAboveMinusR(path, c.label) : notBelowR(path, c.label));
    }
    x = BigInt(dec ? `${neg ? '-' : ''}${digits}` : `0x${digits}`);
  } else if (typeof v === 'bigint') {
    x = v;
  } else {
    throw new InputError(`input "${path}" is ${describe(v)}, not an integer (${NUMBER_FORMS})`);
  }
  if (x >= c.r) throw new InputError(notBelowR(path, c.label));
  if (x <= -c.r) throw new InputError(notAboveMinusR(path, c.label));
  return (x < 0n ? x + c.r : x).toString();
}

// ------------------------------------------------------------------ circom's qualified names

interface Qualified { key: string; values: unknown[]; paths: string[]; scalar: boolean }

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RawNumber);

function flatLeaves(prefix: string, v: unknown, values: unknown[], paths: string[]): void {
  if (Array.isArray(v)) v.forEach((x, i) => flatLeaves(`${prefix}[${i}]`, x, values, paths));
  else { values.push(v); paths.push(prefix); }
}

/**
 * What circom 2.2's witness_calculator.js does to an input object (qualify_input): objects become
 * dotted keys, arrays of objects indexed keys, anything else one key with its values flattened.
 */
function qualify(prefix: string, v: unknown, out: Qualified[]): void {
  if (Array.isArray(v)) {
    const values: unknown[] = []; const paths: string[] = [];
    flatLeaves(prefix, v, values, paths);
    const objs = values.filter(isObj).length;
    if (objs > 0 && objs < values.length) throw new InputError(`input "${prefix}" mixes objects and values (give every element as an object, or all as values)`);
    if (objs > 0) { v.forEach((x, i) => qualifyList(`${prefix}[${i}]`, x, out)); return; }
    out.push({ key: prefix, values, paths, scalar: false });
  } else if (isObj(v)) {
    const keys = Object.keys(v);
    if (keys.length === 0 && prefix) throw new InputError(`input "${prefix}" is an empty object`);
    for (const k of keys) qualify(prefix === '' ? k : `${prefix}.${k}`, v[k], out);
  } else {
    out.push({ key: prefix, values: [v], paths: [prefix], scalar: true });
  }
}

function qualifyList(prefix: string, v: unknown, out: Qualified[]): void {
  if (Array.isArray(v)) v.forEach((x, i) => qualifyList(`${prefix}[${i}]`, x, out));
  else qualify(prefix, v, out);
}

// ------------------------------------------------------------------ validation

export interface InputSource { spec: InputSignalSpec[] | null; probe: () => WasmInputProbe }

function plural(n: number, one: string, many = one + 's'): string { return `${n} ${n === 1 ? one : many}`; }

/** Which leaves of group g a qualified key covers: [start, count], or null if it names none. */
function coverage(g: InputSignalSpec, key: string): [number, number] | null {
  if (key === g.name) return [0, g.size];
  const rest = key.slice(g.name.length);
  if (!key.startsWith(g.name) || !(rest.startsWith('[') || rest.startsWith('.')) || !g.leaves) return null;
  let start = -1; let count = 0;
  g.leaves.forEach((l, i) => {
    if (l === rest || l.startsWith(rest + '[') || l.startsWith(rest + '.')) { if (start < 0) start = i; count++; }
  });
  return start < 0 ? null : [start, count];
}

/**
 * Parses and checks input_json. Returns the normalised JSON the provers get (circom's qualified
 * keys, canonical decimal strings in [0, r)). Throws InputError naming the offending signal.
 */
export function validateInputJson(text: string, curve: CurveName, src: InputSource): string {
  // Before any parse: the parsers below recurse per level, and no circuit's input is nested deeply.
  const depth = nestingDepth(text, MAX_INPUT_NESTING);
  if (depth > MAX_INPUT_NESTING) {
    throw new InputError(`input_json is nested more than ${MAX_INPUT_NESTING} levels deep (arrays and objects): no circuit's input signal has that many dimensions`);
  }
  // Before the parses: their cost grows with the text (1.5 s of the broker's event loop for 7 MB of
  // one long array), and a circuit's inputs need little room however they are written.
  const total = src.spec ? src.spec.reduce((n, g) => n + g.size, 0) : src.probe().total();
  if (total !== null) {
    const room = MAX_INPUT_JSON_BASE + total * MAX_INPUT_JSON_PER_VALUE;
    if (text.length > room) {
      throw new InputError(`input_json is ${text.length} characters, more than this circuit's ${plural(total, 'input value')} can take `
        + `(at most ${room}: ${MAX_INPUT_JSON_BASE} plus ${MAX_INPUT_JSON_PER_VALUE} per value); is it this circuit's input?`);
    }
  }
  try { JSON.parse(text); } catch (e) {
    throw new InputError(`input_json is not valid JSON: ${(e as Error).message}`);
  }
  const obj = parseExact(text);
  if (!isObj(obj)) throw new InputError('input_json must be a JSON object mapping signal names to values');
  const qs: Qualified[] = [];
  qualify('', obj, qs);
  const norm: Record<string, string | string[]> = {};
  for (const q of qs) {
    const vals = q.values.map((v, i) => fieldValue(q.paths[i], v, curve));
    if (Object.prototype.hasOwnProperty.call(norm, q.key)) throw new InputError(`input "${q.key}" is given twice`);
    norm[q.key] = q.scalar ? vals[0] : vals;
  }
  if (src.spec) checkAgainstSpec(qs, src.spec);
  else checkAgainstWasm(qs, src.probe());
  return JSON.stringify(norm);
}

/** input_json may take MAX_INPUT_JSON_BASE characters plus MAX_INPUT_JSON_PER_VALUE per input value of its circuit. */
export const MAX_INPUT_JSON_BASE = 64 * 1024;
export const MAX_INPUT_JSON_PER_VALUE = 1024;

/** How deeply input_json may nest arrays and objects (a signal of k dimensions inside a k'-deep object is k + k' + 1). */
export const MAX_INPUT_NESTING = 64;

/**
 * The deepest nesting of [ and { in JSON text (strings skipped), counted without recursion; stops
 * counting once past `stopAbove` (the answer is then stopAbove + 1).
 */
function nestingDepth(text: string, stopAbove: number): number {
  let depth = 0; let max = 0; let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) { if (++depth > max) { max = depth; if (max > stopAbove) return max; } }
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

function checkAgainstSpec(qs: Qualified[], spec: InputSignalSpec[]): void {
  const covered = new Map<string, boolean[]>(spec.map((g) => [g.name, new Array<boolean>(g.size).fill(false)]));
  for (const q of qs) {
    const g = spec.find((s) => coverage(s, q.key) !== null);
    if (!g) {
      const names = spec.map((s) => s.name).join(', ');
      throw new InputError(`input "${q.key}" is not an input of this circuit (inputs: ${names})`);
    }
    const [start, n] = coverage(g, q.key)!;
    if (q.values.length !== n) throw new InputError(`input "${q.key}" has ${plural(q.values.length, 'value')}, the circuit expects ${n}`);
    const cov = covered.get(g.name)!;
    for (let i = start; i < start + n; i++) {
      if (cov[i]) throw new InputError(`input "${q.key}" is given twice (it overlaps another key for "${g.name}")`);
      cov[i] = true;
    }
  }
  const missing: string[] = [];
  let absentValues = 0;
  for (const g of spec) {
    const cov = covered.get(g.name)!;
    const absent = cov.filter((x) => !x).length;
    if (absent === 0) continue;
    absentValues += absent;
    if (absent === g.size) missing.push(`"${g.name}"${g.size > 1 ? ` (an array of ${g.size})` : ''}`);
    else if (g.leaves) cov.forEach((x, i) => { if (!x) missing.push(`"${g.name}${g.leaves![i]}"`); });
    else missing.push(`${absent} values of "${g.name}"`);
  }
  if (missing.length === 1) throw new InputError(`input ${missing[0]} is missing`);
  if (missing.length > 1) {
    const shown = missing.slice(0, 12).join(', ') + (missing.length > 12 ? `, … (${missing.length} in all)` : '');
    throw new InputError(`inputs ${shown} are missing (${plural(absentValues, 'value')} in all)`);
  }
}

function checkAgainstWasm(qs: Qualified[], probe: WasmInputProbe): void {
  let seen = 0;
  for (const q of qs) {
    const n = probe.sizeOf(q.key);
    // circom answers -1 (older) or 0 (newer) for a name that is not an input.
    if (n <= 0) throw new InputError(`input "${q.key}" is not an input of this circuit`);
    if (q.values.length !== n) throw new InputError(`input "${q.key}" has ${plural(q.values.length, 'value')}, the circuit expects ${n}`);
    seen += n;
  }
  const total = probe.total();
  if (total !== null && seen < total) {
    throw new InputError(`${total - seen} input value${total - seen === 1 ? ' is' : 's are'} missing (the circuit takes ${total}; it was registered without its .sym, so they cannot be named; `
      + 'a circuit registered with one names them: `circuit add NAME … --sym FILE`, or NAME.sym beside NAME.wasm for `groth16 fullprove`)');
  }
}
