// Cost of the statement check per job (issue 7 §3): what the broker spends, in its witness pool,
// to know a job's public signals before it accepts a proof. On the benchmark chain circuit
// (bench/prepare.ts) at 2^12 and 2^16 constraints (BN254), for each kind of job:
//   input job:    witness computed with the circuit's wasm (+ the R1CS check when registered with one)
//   witness job:  .wtns decoded (+ the R1CS check)
// One worker thread, jobs one after another (ms per job, median and p90, first job excluded: it
// compiles the wasm / reads the r1cs), with fresh random inputs. Load average printed.
//
//   node dist/bench/statement.js [--k 12,16] [--jobs N]
import * as fs from 'fs';
import * as os from 'os';
import { WitnessPool, type WitnessRequest } from '../broker/verify/witness-pool';
import { prepareChain } from './prepare';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
}

const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

function rnd(): string {
  let x = 0n;
  for (let i = 0; i < 4; i++) x = (x << 64n) | BigInt(Math.floor(Math.random() * 2 ** 52)) * 4096n;
  return (x % R).toString();
}

function stats(xs: number[]): { med: number; p90: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { med: s[Math.floor(s.length / 2)], p90: s[Math.min(s.length - 1, Math.floor(s.length * 0.9))] };
}

async function timeJobs(pool: WitnessPool, n: number, make: () => WitnessRequest): Promise<{ med: number; p90: number; first: number }> {
  const ms: number[] = [];
  for (let i = 0; i <= n; i++) {
    const t0 = performance.now();
    const r = await pool.run(make());
    if (!r.ok) throw new Error(`statement failed: ${r.reason}`);
    ms.push(performance.now() - t0);
  }
  return { first: ms[0], ...stats(ms.slice(1)) };
}

async function main(): Promise<void> {
  const ks = arg('k', '12,16').split(',').map(Number);
  const jobs = Number(arg('jobs', '10'));
  console.log(`statement check cost per job — ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log('| constraints | job kind | check | median ms | p90 ms | first job ms |');
  console.log('|---|---|---|---|---|---|');
  for (const k of ks) {
    const a = await prepareChain({ curve: 'bn254', k });
    const wtns = fs.readFileSync(a.wtns);
    const pool = new WitnessPool({ size: 1, taskTimeoutMs: 600_000 });
    try {
      const input = () => JSON.stringify({ a: rnd(), b: rnd() });
      const rows: [string, string, () => WitnessRequest][] = [
        ['input', 'wasm witness → public signals', () => ({ op: 'compute', wasmPath: a.wasm, inputJson: input(), r1csPath: null, nPublic: 2 })],
        ['input', 'wasm witness + R1CS check', () => ({ op: 'compute', wasmPath: a.wasm, inputJson: input(), r1csPath: a.r1cs, nPublic: 2 })],
        ['witness', '.wtns decode → public signals', () => ({ op: 'check', witness: wtns, r1csPath: null, nPublic: 2 })],
        ['witness', '.wtns decode + R1CS check', () => ({ op: 'check', witness: wtns, r1csPath: a.r1cs, nPublic: 2 })],
      ];
      for (const [kind, what, make] of rows) {
        const t = await timeJobs(pool, jobs, make);
        console.log(`| 2^${k} (${a.constraints}) | ${kind} | ${what} | ${t.med.toFixed(1)} | ${t.p90.toFixed(1)} | ${t.first.toFixed(0)} |`);
      }
    } finally { await pool.close(); }
  }
  console.log(`load average after: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
