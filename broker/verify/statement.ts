// The statement a job asks to be proved: the public signals its input determines. A proof is
// accepted only for exactly these (DESIGN.md, "What verified means").
//
//  - witness job: wires 1..nPublic of the client's .wtns;
//  - input job: public inputs come from the input, public outputs only from the witness, so the
//    broker computes the witness itself with the circuit's wasm (WitnessPool, off the event loop).
//    Cheaper schemes were considered and rejected: reading the public inputs from input_json
//    alone leaves the outputs (e.g. a hash) unchecked, and trusting the first prover's outputs
//    is what let a valid proof of another statement through.
// Where the circuit has an R1CS the witness is also checked against it, so a client's witness
// that does not satisfy the circuit fails the job as the client's fault before any prover is
// blamed, and a prover's "bad input" claim can be confirmed or refuted.
//
// The computation starts at submit (not awaited there: the submit RPC stays fast) and is awaited
// when the job's result arrives; after a broker restart it is simply computed again.
import * as fs from 'fs';
import { parseSym } from '../formats';
import type { WitnessPool } from './witness-pool';

export type Statement =
  /** The job's public signals; r1cs says whether the witness was checked against the circuit. */
  | { kind: 'ok'; publicSignals: string[]; r1cs: 'satisfied' | 'unchecked'; ms: number }
  /** The client's input or witness is at fault; `reason` says how. */
  | { kind: 'bad_input'; reason: string; ms: number }
  /** The broker could not work it out (worker died, timeout, missing artifact): nobody's fault. */
  | { kind: 'unavailable'; reason: string; ms: number };

export interface StatementCircuit {
  id: string;
  nPublic: number;
  /** The zkey's number of variables (the witness length it proves), when known. */
  nVars?: number;
  wasmPath: string;
  r1csPath: string | null;
  symPath: string | null;
}

export interface StatementJob { id: string; inputJson: string | null; witness: Buffer | null }

export class Statements {
  private readonly memo = new Map<string, Promise<Statement>>();
  private readonly names = new Map<string, string[] | null>();

  /**
   * `maxEntries`: statements kept in memory; past it the oldest is dropped (a job that ended
   * without passing through results.ts, e.g. cancelled or expired) — a dropped one that is needed
   * after all is simply computed again.
   */
  constructor(private readonly pool: WitnessPool, private readonly maxEntries = 100_000) {}

  /** Starts working out the job's statement if not already under way; never rejects. */
  start(job: StatementJob, c: StatementCircuit): Promise<Statement> {
    let p = this.memo.get(job.id);
    if (!p) {
      p = this.compute(job, c);
      this.memo.set(job.id, p);
      if (this.memo.size > this.maxEntries) this.memo.delete(this.memo.keys().next().value as string);
    }
    return p;
  }

  /** The job's statement; one that was unavailable (a worker died) is computed once more. */
  async get(job: StatementJob, c: StatementCircuit): Promise<Statement> {
    const s = await this.start(job, c);
    if (s.kind !== 'unavailable') return s;
    this.memo.delete(job.id);
    return this.start(job, c);
  }

  /** Whether the statement has been asked for (tests; metrics). */
  has(jobId: string): boolean { return this.memo.has(jobId); }

  /** Drops a job that reached a terminal state. */
  forget(jobId: string): void { this.memo.delete(jobId); }

  get pending(): number { return this.memo.size; }

  private async compute(job: StatementJob, c: StatementCircuit): Promise<Statement> {
    if (!job.witness && job.inputJson === null) return { kind: 'unavailable', reason: `job ${job.id} was read without its payload`, ms: 0 };
    const r = job.witness
      ? await this.pool.run({ op: 'check', witness: job.witness, r1csPath: c.r1csPath, nPublic: c.nPublic, nVars: c.nVars })
      : await this.pool.run({ op: 'compute', wasmPath: c.wasmPath, inputJson: job.inputJson!, r1csPath: c.r1csPath, nPublic: c.nPublic, nVars: c.nVars });
    if (r.ok) return { kind: 'ok', publicSignals: r.publicSignals, r1cs: r.r1cs, ms: r.ms };
    return r.bad ? { kind: 'bad_input', reason: r.reason, ms: r.ms } : { kind: 'unavailable', reason: r.reason, ms: r.ms };
  }

  /** Names of the public signals (wires 1..nPublic) from the circuit's .sym, or null without one. */
  publicNames(c: StatementCircuit): string[] | null {
    if (this.names.has(c.id)) return this.names.get(c.id)!;
    let out: string[] | null = null;
    if (c.symPath) {
      try {
        // By label, not wire: main's public signals are labels 1..nPublic, and a circom 2.2 bus
        // field keeps its dotted name ("s.x"); sub-components' aliases of those wires have other labels.
        const byLabel = new Map<number, string>();
        for (const e of parseSym(fs.readFileSync(c.symPath, 'utf8'))) {
          if (e.labelIdx < 1 || e.labelIdx > c.nPublic || !e.name.startsWith('main.')) continue;
          if (!byLabel.has(e.labelIdx)) byLabel.set(e.labelIdx, e.name.slice(5));
        }
        if (byLabel.size === c.nPublic) out = [...Array(c.nPublic).keys()].map((i) => byLabel.get(i + 1)!);
      } catch { out = null; }
    }
    this.names.set(c.id, out);
    return out;
  }
}

/**
 * Compares a result's public_json with the job's statement. Returns null when they are equal,
 * else a sentence naming the first differing signal (compared as text: signals are canonical decimal), e.g.
 * `public signal c (#1) is 15, the job's input gives 77`.
 */
export function statementMismatch(expected: readonly string[], publicJson: string, names: readonly string[] | null,
  source: 'input' | 'witness'): string | null {
  let got: unknown;
  try { got = JSON.parse(publicJson); } catch { return 'public_json is not valid JSON'; }
  if (!Array.isArray(got)) return 'public_json is not an array';
  if (got.length !== expected.length) return `public_json has ${got.length} signals, the job's ${source} gives ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    // Exact text: a signal is delivered as sent, so "007" or "0x7" must not pass for "7" (shape.ts
    // refuses non-canonical signals as malformed before this; this keeps the rule on its own too).
    if (got[i] !== expected[i]) {
      const name = names?.[i] ? `${names[i]} (#${i + 1})` : `#${i + 1}`;
      return `public signal ${name} is ${short(String(got[i]))}, the job's ${source} gives ${short(expected[i])}`;
    }
  }
  return null;
}

function short(s: string): string { return s.length > 24 ? `${s.slice(0, 10)}…${s.slice(-10)}` : s; }
