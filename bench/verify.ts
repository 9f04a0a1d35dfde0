// Verification benchmark: Groth16 verifications per second of the example circuits, both curves,
// in one run:
//   - snarkjs, one at a time in its child process (the broker's verifier before the mcl pool),
//   - the mcl fast path, one at a time on one thread (latency of a lone proof),
//   - the broker's Verifier pool (one thread per core and curve), M proofs handed over at once,
//     with batches of at most 1, 8 and 64 proofs.
// Every verdict is checked (all proofs are valid). Proofs are fresh (snarkjs fullProve on random
// inputs, seed printed) and reused round-robin to make M.
// Usage: node dist/bench/verify.js [--proofs M] [--snarkjs N] [--fresh K]
// Writes bench/results/verify-<host>-<date>.json and .md.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SnarkjsVerifier, Verifier } from '../broker/verify';
import { circuitsByCurve, releaseSnarkjs, seededRandom } from '../test/helpers/circuits';
import { ROOT } from '../test/helpers/procs';
import { freshProofs, type ProofCase } from '../test/helpers/proofs';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}

interface VerifierLike { verify(vkey: unknown, proofJson: string, publicJson: string, nPublic: number): Promise<{ ok: boolean; reason: string }> }

/** CPU seconds (user + system) this process — main thread and worker threads — used since `from`. */
function cpuSince(from: NodeJS.CpuUsage): number { const d = process.cpuUsage(from); return (d.user + d.system) / 1e6; }

/** n verifications one after another (each awaited); returns per second. */
async function sequential(v: VerifierLike, vkey: unknown, proofs: ProofCase[], n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const p = proofs[i % proofs.length];
    const r = await v.verify(vkey, p.proofJson, p.publicJson, 3);
    if (!r.ok) throw new Error(`valid proof rejected: ${r.reason}`);
  }
  return n / ((performance.now() - t0) / 1000);
}

/** n verifications handed over at once; returns per second until the last verdict. */
async function concurrent(v: VerifierLike, vkey: unknown, proofs: ProofCase[], n: number): Promise<number> {
  const t0 = performance.now();
  const all = await Promise.all(Array.from({ length: n }, (_, i) => v.verify(vkey, proofs[i % proofs.length].proofJson, proofs[i % proofs.length].publicJson, 3)));
  const dt = (performance.now() - t0) / 1000;
  const bad = all.find((r) => !r.ok);
  if (bad) throw new Error(`valid proof rejected: ${bad.reason}`);
  return n / dt;
}

async function main(): Promise<void> {
  const M = Number(arg('proofs', '1024'));
  const snarkN = Number(arg('snarkjs', '40'));
  const freshK = Number(arg('fresh', '8'));
  const cores = os.availableParallelism();
  const rnd = seededRandom('bench:verify');
  const circuits = circuitsByCurve();
  // perCpuSecond: verifications per CPU second of this process (the snarkjs child's CPU is not
  // counted, so it has none); on an idle machine the pool's rate approaches perCpuSecond × cores.
  const rows: { curve: string; method: string; perSecond: number; perCpuSecond: number | null }[] = [];
  const load0 = os.loadavg();
  console.log(`bench:verify on ${os.hostname()} (${cores} cores, ${os.cpus()[0]?.model ?? 'cpu'}), load average ${load0.map((x) => x.toFixed(2)).join(' ')}`);
  for (const curve of ['bn254', 'bls12-381'] as const) {
    const c = circuits[curve];
    const vkey = JSON.parse(fs.readFileSync(c.vkey, 'utf8'));
    const proofs = await freshProofs(c, freshK, rnd.next);
    const add = (method: string, perSecond: number, perCpuSecond: number | null = null) => {
      rows.push({ curve, method, perSecond, perCpuSecond });
      console.log(`  ${curve.padEnd(9)} ${method.padEnd(44)} ${perSecond.toFixed(1)}/s${perCpuSecond ? `, ${perCpuSecond.toFixed(1)} per CPU-second` : ''}`);
    };

    const snark = new SnarkjsVerifier();
    try {
      await sequential(snark, vkey, proofs, 3); // warm: builds the curve in the child
      add('snarkjs, one at a time (child process)', await sequential(snark, vkey, proofs, snarkN));
    } finally { await snark.close(); }

    const one = new Verifier({ threads: 1 });
    try {
      await sequential(one, vkey, proofs, 8);
      const n = Math.min(M, 400); const c0 = process.cpuUsage();
      const rate = await sequential(one, vkey, proofs, n);
      add('mcl, one at a time (1 thread)', rate, n / cpuSince(c0));
    } finally { await one.close(); }

    for (const maxBatch of [1, 8, 64]) {
      const pool = new Verifier({ maxBatch });
      try {
        await concurrent(pool, vkey, proofs, 4 * cores); // start every thread
        const c0 = process.cpuUsage();
        const rate = await concurrent(pool, vkey, proofs, M);
        add(`mcl pool (${cores} threads), ${M} at once, batch ≤ ${maxBatch}`, rate, M / cpuSince(c0));
        const s = pool.stats();
        if (maxBatch > 1 && s.batches === 0) throw new Error('no batch formed');
      } finally { await pool.close(); }
    }
  }
  await releaseSnarkjs();
  const load1 = os.loadavg();
  console.log(`load average at the end ${load1.map((x) => x.toFixed(2)).join(' ')}`);

  const date = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
  const outDir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(outDir, { recursive: true });
  const base = path.join(outDir, `verify-${os.hostname()}-${date}`);
  const machine = `${os.hostname()} (${cores} cores, ${os.cpus()[0]?.model ?? 'cpu'})`;
  fs.writeFileSync(`${base}.json`, JSON.stringify({ machine, seed: rnd.seed, loadavgStart: load0, loadavgEnd: load1, proofs: M, rows }, null, 2) + '\n');
  const ref = (curve: string) => rows.find((r) => r.curve === curve && r.method.startsWith('snarkjs'))!.perSecond;
  const md = [`# bench:verify — ${machine}, ${new Date().toISOString()}`, '',
    `Load average ${load0.map((x) => x.toFixed(2)).join(' ')} at the start, ${load1.map((x) => x.toFixed(2)).join(' ')} at the end; seed ${rnd.seed}.`, '',
    'Per CPU-second: verifications per second of CPU this process used (main thread and worker threads); on an idle machine',
    `the pool's rate approaches it × ${cores} cores.`, '',
    '| curve | method | verifications/s | × snarkjs | per CPU-second |', '|---|---|---:|---:|---:|',
    ...rows.map((r) => `| ${r.curve} | ${r.method} | ${r.perSecond.toFixed(1)} | ${(r.perSecond / ref(r.curve)).toFixed(1)} | ${r.perCpuSecond ? r.perCpuSecond.toFixed(1) : '—'} |`), ''].join('\n');
  fs.writeFileSync(`${base}.md`, md);
  console.log(md);
  console.log(`wrote ${base}.json and .md`);
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
