// `npm run bench`: snarkjs/ffjavascript and the native engine (cpu, and cuda when a card is
// present) on the same work in one run, one table with ratios.
//
//   node dist/bench/run.js [--quick] [--full] [--only msm|ntt|prove|sector] [--reps N] [--no-write]
//                          [--prove-logs 12,16,...] [--synthetic-from K] [--rapidsnark PATH]
//
//   --quick   smallest sizes only (CI smoke)
//   --full    adds MSM 2^20 and NTT 2^22
//   --only    one section (sector: bench/sector.ts, a 10-partition PoRep-shaped sector at 2^16
//             through pmtool, the external-prover contract and the market; also run by --full)
//   --reps N  repetitions per timed case (default: 3, 1 for the largest sizes)
//   --prove-logs  the BN254 proof sizes (default 12,16,18,20; BLS12-381 at those <= 18, by
//             default 12, 16 and 18, synthetic keys from 2^16)
//   --synthetic-from K  proof sizes from 2^K up use the engine's synthetic chain keys instead of
//             circom-compiled chains (default 20: a circom2 compile of a 2^20 chain takes hours)
//   --rapidsnark PATH  also prove with this rapidsnark `prover` binary (default: `rapidsnark` on
//             the PATH, if any), same key and witness, as a column of the table
//
// Every native result is checked against the reference: MSM and NTT outputs byte for byte
// against ffjavascript, every proof with snarkjs groth16 verify. Results are written to
// bench/results/<host>-<date>.json and .md.
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Device, NativeEngine } from '../native/binding/native';
import {
  BenchCurve, RESULTS, ROOT, ensureDir, ffCurve, fmtMs, fmtRatio, log, median, nowMs, snarkjs,
  terminateCurves, tryNative,
} from './common';
import { g1AffineBytes, randomFrMont, randomG1Points, randomScalars } from './points';
import { ChainArtifacts, chainSpecs, prepareChain } from './prepare';

type Section = 'msm' | 'ntt' | 'prove' | 'sector';

interface Options {
  quick: boolean;
  full: boolean;
  only: Section | null;
  reps: number | null;
  write: boolean;
  proveLogs: number[] | null;
  syntheticFrom: number;
  rapidsnark: string | null;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    quick: false, full: false, only: null, reps: null, write: true, proveLogs: null, syntheticFrom: 20, rapidsnark: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') o.quick = true;
    else if (a === '--full') o.full = true;
    else if (a === '--no-write') o.write = false;
    else if (a === '--only') {
      const v = argv[++i];
      if (v !== 'msm' && v !== 'ntt' && v !== 'prove' && v !== 'sector') throw new Error(`--only takes msm, ntt, prove or sector (got ${JSON.stringify(v)})`);
      o.only = v;
    } else if (a === '--reps') {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1 || v > 20) throw new Error(`--reps takes an integer 1..20 (got ${JSON.stringify(argv[i])})`);
      o.reps = v;
    } else if (a === '--prove-logs') {
      const v = String(argv[++i] ?? '').split(',').map(Number);
      if (v.length === 0 || !v.every((k) => Number.isInteger(k) && k >= 4 && k <= 24)) {
        throw new Error(`--prove-logs takes sizes 4..24 separated by commas, e.g. 12,16,20 (got ${JSON.stringify(argv[i])})`);
      }
      o.proveLogs = v;
    } else if (a === '--synthetic-from') {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 2 || v > 26) throw new Error(`--synthetic-from takes an integer 2..26 (got ${JSON.stringify(argv[i])})`);
      o.syntheticFrom = v;
    } else if (a === '--rapidsnark') {
      const v = argv[++i];
      if (!v || !fs.existsSync(v)) throw new Error(`--rapidsnark takes the path of a rapidsnark prover binary (got ${JSON.stringify(v)}, not found)`);
      o.rapidsnark = path.resolve(v);
    } else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: node dist/bench/run.js [--quick] [--full] [--only msm|ntt|prove|sector] [--reps N] [--no-write]\n' +
        '                          [--prove-logs 12,16,18,20] [--synthetic-from K] [--rapidsnark PATH]\n');
      process.exit(0);
    } else throw new Error(`unknown option ${JSON.stringify(a)} (see --help)`);
  }
  return o;
}

/** One row of the table. Times in ms; null where a backend did not run. */
interface Row {
  bench: 'MSM G1' | 'NTT' | 'Groth16 prove';
  curve: BenchCurve;
  size: string;
  n: number;
  reps: number;
  snarkjsMs: number | null;
  cpuMs: number | null;
  cudaMs: number | null;
  cpuSpeedup: number | null;
  cudaSpeedup: number | null;
  /** peak RSS in MB of a child process per backend (prove only) */
  rssMB?: { snarkjs: number | null; cpu: number | null; cuda: number | null };
  /** the standalone CLI `pmtool prove` (cpu, no Node): median ms and peak RSS */
  pmtool?: { ms: number; rssMB: number };
  /** rapidsnark's prover on the same key and witness: median ms and peak RSS */
  rapidsnark?: { ms: number; rssMB: number };
  /** cpu: a second proof in the same process with the key kept open (the prover daemon's
   * resident key): median ms, against cpuMs (open + prove) */
  cpuNextMs?: number | null;
  /** how the key was made (prove rows) */
  key?: string;
  /** load average (1 min) when the row started and ended */
  load?: [number, number];
  check: string;
  ok: boolean;
  runs?: Record<string, number[]>;
}

function speedup(ref: number | null, x: number | null): number | null {
  return ref !== null && x !== null && x > 0 ? ref / x : null;
}

async function timeReps<T>(reps: number, fn: () => Promise<T>): Promise<{ ms: number[]; last: T }> {
  const ms: number[] = [];
  let last!: T;
  for (let i = 0; i < reps; i++) {
    const t0 = nowMs();
    last = await fn();
    ms.push(nowMs() - t0);
  }
  return { ms, last };
}

function eqBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength),
    Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

interface Ctx {
  opts: Options;
  engine: NativeEngine | null;
  devices: Device[]; // native devices benched: 'cpu', and 'cuda' when present
  seed: string;
}

// ---- MSM ------------------------------------------------------------------------------------

async function benchMsm(ctx: Ctx): Promise<Row[]> {
  const rows: Row[] = [];
  const cases: { curve: BenchCurve; logN: number }[] = [];
  const bnSizes = ctx.opts.quick ? [12] : ctx.opts.full ? [12, 14, 16, 18, 20] : [12, 14, 16, 18];
  for (const l of bnSizes) cases.push({ curve: 'bn254', logN: l });
  for (const l of ctx.opts.quick ? [12] : [12, 16]) cases.push({ curve: 'bls12-381', logN: l });

  const warmed = new Set<string>();
  for (const { curve, logN } of cases) {
    const n = 1 << logN;
    const reps = ctx.opts.reps ?? (logN >= 18 ? 1 : 3);
    const points = await randomG1Points(curve, logN);
    const scalars = randomScalars(logN, `${ctx.seed}/msm/${curve}/${logN}`);
    const ff = await ffCurve(curve);
    if (!warmed.has(curve)) {
      // First calls start worker threads / thread pools; keep that out of the timings.
      const p1 = points.subarray(0, g1AffineBytes(curve) * 16);
      const s1 = scalars.subarray(0, 32 * 16);
      await ff.G1.multiExpAffine(p1, s1);
      for (const d of ctx.devices) await ctx.engine!.msmG1(curve, p1, s1, { device: d });
      warmed.add(curve);
    }
    log(`MSM G1 ${curve} 2^${logN} …`);
    const js = await timeReps(reps, () => ff.G1.multiExpAffine(points, scalars));
    const ref: Uint8Array = ff.G1.toAffine(js.last);
    const row: Row = {
      bench: 'MSM G1', curve, size: `2^${logN}`, n, reps, load: [load1(), 0],
      snarkjsMs: median(js.ms), cpuMs: null, cudaMs: null, cpuSpeedup: null, cudaSpeedup: null,
      check: '', ok: true, runs: { ffjavascript: js.ms },
    };
    const checks: string[] = [];
    for (const d of ctx.devices) {
      const r = await timeReps(reps, () => ctx.engine!.msmG1(curve, points, scalars, { device: d }));
      const same = eqBytes(r.last, ref);
      checks.push(`${d} ${same ? '=' : '≠'} ffjs`);
      if (!same) row.ok = false;
      row.runs![d] = r.ms;
      if (d === 'cpu') row.cpuMs = median(r.ms); else row.cudaMs = median(r.ms);
    }
    row.cpuSpeedup = speedup(row.snarkjsMs, row.cpuMs);
    row.cudaSpeedup = speedup(row.snarkjsMs, row.cudaMs);
    row.check = checks.join(', ') || 'ffjs only';
    row.load![1] = load1();
    rows.push(row);
    log(`  ffjs ${fmtMs(row.snarkjsMs)}  cpu ${fmtMs(row.cpuMs)}  cuda ${fmtMs(row.cudaMs)}  ${row.check}`);
  }
  return rows;
}

// ---- NTT ------------------------------------------------------------------------------------

async function benchNtt(ctx: Ctx): Promise<Row[]> {
  const rows: Row[] = [];
  const cases: { curve: BenchCurve; logN: number }[] = [];
  const sizes = ctx.opts.quick ? [12] : ctx.opts.full ? [12, 14, 16, 18, 20, 22] : [12, 14, 16, 18, 20];
  for (const l of sizes) cases.push({ curve: 'bn254', logN: l });
  for (const l of ctx.opts.quick ? [12] : [16]) cases.push({ curve: 'bls12-381', logN: l });
  const warmed = new Set<string>();
  for (const { curve, logN } of cases) {
    const reps = ctx.opts.reps ?? (logN >= 20 ? 1 : 3);
    const data = randomFrMont(logN, `${ctx.seed}/ntt/${curve}/${logN}`);
    const ff = await ffCurve(curve);
    if (!warmed.has(curve)) {
      const d0 = data.subarray(0, 32 * 16);
      await ff.Fr.fft(d0);
      for (const d of ctx.devices) await ctx.engine!.ntt(curve, d0, false, { device: d });
      warmed.add(curve);
    }
    log(`NTT ${curve} 2^${logN} …`);
    // Fresh copies each time, so neither side can reuse the other's (or its own) output.
    const js = await timeReps(reps, () => ff.Fr.fft(data.slice()));
    const ref = js.last as Uint8Array;
    const row: Row = {
      bench: 'NTT', curve, size: `2^${logN}`, n: 1 << logN, reps, load: [load1(), 0],
      snarkjsMs: median(js.ms), cpuMs: null, cudaMs: null, cpuSpeedup: null, cudaSpeedup: null,
      check: '', ok: true, runs: { ffjavascript: js.ms },
    };
    const checks: string[] = [];
    for (const d of ctx.devices) {
      const r = await timeReps(reps, () => ctx.engine!.ntt(curve, data, false, { device: d }));
      let same = eqBytes(r.last, ref);
      // Also the round trip: inverse NTT of the output gives the input back.
      if (same && d === 'cpu') same = eqBytes(await ctx.engine!.ntt(curve, r.last, true, { device: d }), data);
      checks.push(`${d} ${same ? '=' : '≠'} ffjs`);
      if (!same) row.ok = false;
      row.runs![d] = r.ms;
      if (d === 'cpu') row.cpuMs = median(r.ms); else row.cudaMs = median(r.ms);
    }
    row.cpuSpeedup = speedup(row.snarkjsMs, row.cpuMs);
    row.cudaSpeedup = speedup(row.snarkjsMs, row.cudaMs);
    row.check = checks.join(', ') || 'ffjs only';
    row.load![1] = load1();
    rows.push(row);
    log(`  ffjs ${fmtMs(row.snarkjsMs)}  cpu ${fmtMs(row.cpuMs)}  cuda ${fmtMs(row.cudaMs)}  ${row.check}`);
  }
  return rows;
}

// ---- whole proofs -----------------------------------------------------------------------------

interface ChildResult {
  ms: number; maxRssKB: number; proof: unknown; publicSignals: string[]; device: string;
  /** native: a second proof with the key kept open (resident), and its outputs */
  nextMs?: number; nextProof?: unknown; nextPublicSignals?: string[];
}

function proveInChild(backend: string, a: ChainArtifacts): ChildResult {
  const child = path.join(__dirname, 'prove-child.js');
  const r = spawnSync(process.execPath, [child, backend, a.zkey, a.wtns],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) {
    throw new Error(`${backend} proof of ${a.name} failed (exit ${r.status ?? r.signal}): ${(r.stderr ?? '').slice(-1500)}`);
  }
  const lines = (r.stdout ?? '').trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as ChildResult;
}

/** The standalone CLI, if built: $PM_PMTOOL, else native/build{,-*}/{,Release/}pmtool. */
function findPmtool(): string | null {
  if (process.env.PM_PMTOOL) return fs.existsSync(process.env.PM_PMTOOL) ? path.resolve(process.env.PM_PMTOOL) : null;
  const nativeDir = path.join(ROOT, 'native');
  const dirs = fs.readdirSync(nativeDir).filter((d) => d === 'build' || d.startsWith('build-'));
  for (const d of dirs) {
    for (const sub of ['', 'Release']) {
      const p = path.join(nativeDir, d, sub, 'pmtool');
      if (fs.existsSync(p)) return p;
    }
  }
  return null;
}

/** rapidsnark: --rapidsnark PATH, else `rapidsnark` on the PATH, else none. */
function findRapidsnark(opt: string | null): string | null {
  if (opt) return opt;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, 'rapidsnark');
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch { /* not here */ }
  }
  return null;
}

/** A proof by an outside binary with no Node involved (`pmtool prove … --device cpu`, or
 * rapidsnark's `prover zkey wtns proof public`), timed from outside, peak RSS by /usr/bin/time. */
function proveWithBinary(what: string, argsFor: (proofF: string, publicF: string) => string[], bin: string,
    a: ChainArtifacts): ChildResult {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-bench-'));
  try {
    const proofF = path.join(tmp, 'proof.json'), publicF = path.join(tmp, 'public.json');
    const useTime = fs.existsSync('/usr/bin/time');
    const cmd = useTime ? '/usr/bin/time' : bin;
    const args = [...(useTime ? ['-f', 'PM_MAXRSS_KB=%M', bin] : []), ...argsFor(proofF, publicF)];
    const t0 = nowMs();
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 16 << 20 });
    const ms = nowMs() - t0;
    if (r.status !== 0) throw new Error(`${what} ${a.name} failed (exit ${r.status ?? r.signal}): ${(r.stderr ?? '').slice(-1500)}`);
    const m = /PM_MAXRSS_KB=(\d+)/.exec(r.stderr ?? '');
    return {
      ms, maxRssKB: m ? Number(m[1]) : NaN, device: 'cpu',
      proof: JSON.parse(fs.readFileSync(proofF, 'utf8')),
      publicSignals: JSON.parse(fs.readFileSync(publicF, 'utf8')),
    };
  } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
}

function proveWithPmtool(pmtool: string, a: ChainArtifacts): ChildResult {
  return proveWithBinary('pmtool prove', (pf, pub) => ['prove', a.zkey, a.wtns, pf, pub, '--device', 'cpu'], pmtool, a);
}

function proveWithRapidsnark(bin: string, a: ChainArtifacts): ChildResult {
  return proveWithBinary('rapidsnark', (pf, pub) => [a.zkey, a.wtns, pf, pub], bin, a);
}

function load1(): number { return Number(os.loadavg()[0].toFixed(2)); }

async function benchProve(ctx: Ctx): Promise<Row[]> {
  const specs = chainSpecs({
    quick: ctx.opts.quick, full: ctx.opts.full, logs: ctx.opts.proveLogs, syntheticFrom: ctx.opts.syntheticFrom,
  });
  log(`preparing ${specs.length} chain circuits (cached in bench/work) …`);
  const rows: Row[] = [];
  for (const spec of specs) {
    let a: ChainArtifacts;
    try {
      a = await prepareChain(spec);
    } catch (err) {
      // e.g. no native engine for a large dev setup: say so in the table and go on.
      const msg = (err as Error).message.split('\n')[0];
      log(`skipping ${spec.curve} 2^${spec.k}: ${msg}`);
      rows.push({
        bench: 'Groth16 prove', curve: spec.curve, size: `2^${spec.k}`, n: (1 << spec.k) - 3, reps: 0,
        snarkjsMs: null, cpuMs: null, cudaMs: null, cpuSpeedup: null, cudaSpeedup: null,
        check: `not run: ${msg}`, ok: true,
      });
      continue;
    }
    const vkey = JSON.parse(fs.readFileSync(a.vkey, 'utf8'));
    const reps = ctx.opts.reps ?? (a.k >= 18 ? 1 : 3); // one proof at the biggest sizes keeps the default run short
    const row: Row = {
      bench: 'Groth16 prove', curve: a.curve,
      size: `${a.constraints.toLocaleString('en-US')} (2^${a.k}${a.keySource.includes('synthetic') ? ', synthetic' : ''})`,
      n: a.constraints, reps, snarkjsMs: null, cpuMs: null, cudaMs: null, cpuSpeedup: null,
      cudaSpeedup: null, rssMB: { snarkjs: null, cpu: null, cuda: null }, check: '', ok: true, runs: {},
      key: a.keySource, load: [load1(), 0],
    };
    const checks: string[] = [];
    let refSignals: string[] | null = null;
    const pmtool = ctx.devices.includes('cpu') ? findPmtool() : null;
    const rapid = findRapidsnark(ctx.opts.rapidsnark);
    const backends = ['snarkjs', ...ctx.devices, ...(pmtool ? ['pmtool'] : []), ...(rapid ? ['rapidsnark'] : [])];
    const next: number[] = [];
    for (const backend of backends) {
      log(`prove ${a.name} with ${backend} ×${reps} …`);
      const ms: number[] = [];
      let rss = 0;
      let verified = 0;
      let attempts = 0;
      for (let i = 0; i < reps; i++) {
        const res = backend === 'pmtool' ? proveWithPmtool(pmtool!, a)
          : backend === 'rapidsnark' ? proveWithRapidsnark(rapid!, a) : proveInChild(backend, a);
        ms.push(res.ms);
        if (backend === 'cpu' && res.nextMs !== undefined) {
          next.push(res.nextMs);
          attempts++;
          if (await snarkjs.groth16.verify(vkey, res.nextPublicSignals, res.nextProof)) verified++;
        }
        rss = Math.max(rss, res.maxRssKB / 1024);
        if ((ctx.devices as string[]).includes(backend) && res.device !== backend) {
          throw new Error(`${backend} proof of ${a.name} ran on ${res.device}`);
        }
        const ok = await snarkjs.groth16.verify(vkey, res.publicSignals, res.proof);
        if (refSignals === null) refSignals = res.publicSignals;
        const sameSignals = JSON.stringify(res.publicSignals) === JSON.stringify(refSignals);
        if (ok && sameSignals) verified++;
        attempts++;
      }
      row.runs![backend] = ms;
      const med = median(ms);
      if (backend === 'pmtool') {
        row.pmtool = { ms: med, rssMB: Math.round(rss) };
      } else if (backend === 'rapidsnark') {
        row.rapidsnark = { ms: med, rssMB: Math.round(rss) };
      } else {
        const key = backend === 'snarkjs' ? 'snarkjs' : backend === 'cpu' ? 'cpu' : 'cuda';
        row.rssMB![key] = Math.round(rss);
        if (key === 'snarkjs') row.snarkjsMs = med; else if (key === 'cpu') row.cpuMs = med; else row.cudaMs = med;
      }
      checks.push(`${backend} ${verified}/${attempts} verified`);
      if (verified !== attempts) row.ok = false;
      log(`  ${backend}: median ${fmtMs(med)}, peak RSS ${Math.round(rss)} MB, ${verified}/${attempts} verified by snarkjs`);
      if (backend === 'cpu' && next.length > 0) {
        row.cpuNextMs = median(next);
        row.runs!['cpu-next'] = next;
        log(`  cpu, next proof with the key resident: median ${fmtMs(row.cpuNextMs)}`);
      }
    }
    row.load![1] = load1();
    row.cpuSpeedup = speedup(row.snarkjsMs, row.cpuMs);
    row.cudaSpeedup = speedup(row.snarkjsMs, row.cudaMs);
    row.check = checks.join(', ');
    rows.push(row);
  }
  return rows;
}

// ---- report ---------------------------------------------------------------------------------

function hostInfo(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadavgAtStart: os.loadavg().map((x) => Number(x.toFixed(2))),
    note: 'loadavg near or above the core count means other work shared the machine; times are then inflated',
  };
}

function markdownTable(rows: Row[], hasCuda: boolean): string {
  const head = ['bench', 'curve', 'size', 'snarkjs / ffjs', 'native cpu', 'cpu ×'];
  if (hasCuda) head.push('native cuda', 'cuda ×');
  head.push('peak RSS MB (snarkjs / cpu' + (hasCuda ? ' / cuda' : '') + ')');
  const hasNext = rows.some((r) => r.cpuNextMs != null);
  if (hasNext) head.push('cpu next proof, key resident (×)');
  const hasPmtool = rows.some((r) => r.pmtool);
  if (hasPmtool) head.push('pmtool CLI (no Node): time, ×, peak RSS');
  const hasRapid = rows.some((r) => r.rapidsnark);
  if (hasRapid) head.push('rapidsnark: time, ×, peak RSS', 'pmtool vs rapidsnark');
  head.push('load avg (1 min) start→end', 'runs', 'check');
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const cells = [r.bench, r.curve, r.size, fmtMs(r.snarkjsMs), fmtMs(r.cpuMs), fmtRatio(r.cpuSpeedup)];
    if (hasCuda) cells.push(fmtMs(r.cudaMs), fmtRatio(r.cudaSpeedup));
    const rss = r.rssMB
      ? [r.rssMB.snarkjs, r.rssMB.cpu, ...(hasCuda ? [r.rssMB.cuda] : [])].map((x) => (x === null ? '—' : String(x))).join(' / ')
      : '';
    cells.push(rss);
    if (hasNext) cells.push(r.cpuNextMs != null ? `${fmtMs(r.cpuNextMs)} (${fmtRatio(speedup(r.snarkjsMs, r.cpuNextMs))})` : '');
    if (hasPmtool) cells.push(r.pmtool ? `${fmtMs(r.pmtool.ms)}, ${fmtRatio(speedup(r.snarkjsMs, r.pmtool.ms))}, ${r.pmtool.rssMB} MB` : '');
    if (hasRapid) {
      cells.push(r.rapidsnark ? `${fmtMs(r.rapidsnark.ms)}, ${fmtRatio(speedup(r.snarkjsMs, r.rapidsnark.ms))}, ${r.rapidsnark.rssMB} MB` : '');
      cells.push(r.rapidsnark && r.pmtool ? fmtRatio(speedup(r.rapidsnark.ms, r.pmtool.ms)) : '');
    }
    cells.push(r.load ? `${r.load[0].toFixed(2)}→${r.load[1].toFixed(2)}` : '');
    cells.push(r.reps <= 1 ? String(r.reps) : `median of ${r.reps}`, (r.ok ? '' : '**MISMATCH** ') + r.check);
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** bench/results/<cpu model>-<cores>c[-<card>]-<date>: named by machine, not by a container's
 * hostname. */
function resultsBase(host: Record<string, unknown>, card: string | null): string {
  const slug = (x: string) => x.toLowerCase().replace(/\((r|tm)\)/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const name = `${slug(String(host.cpuModel))}-${host.cores}c${card ? '-' + slug(card) : ''}`;
  const date = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
  return path.join(RESULTS, `${name}-${date}`);
}

/** The sector benchmark (bench/sector.ts) in its own process; its Markdown table, or why it failed. */
function sectorSection(opts: Options): string {
  const args = [path.join(__dirname, 'sector.js'), ...(opts.quick ? ['--size', 'small', '--partitions', '3'] : []), ...(opts.write ? [] : ['--no-write'])];
  log(`sector: node ${args.map((a) => path.relative(ROOT, a) || a).join(' ')} …`);
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 << 20 });
  if (r.status !== 0) return `Sector benchmark failed (exit ${r.status ?? r.signal}): ${(r.stdout ?? '').slice(-1000)}`;
  return (r.stdout ?? '').trim();
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.only === 'sector') {
    process.stdout.write(sectorSection(opts) + '\n');
    return;
  }
  const seed = process.env.PM_BENCH_SEED ?? crypto.randomBytes(6).toString('hex');
  const { engine, reason } = tryNative();
  const devices: Device[] = [];
  let nativeInfo: unknown = null;
  let cudaDevices: unknown[] = [];
  if (engine) {
    nativeInfo = engine.info();
    devices.push('cpu');
    if (engine.info().cudaDevices > 0) {
      devices.push('cuda');
      cudaDevices = engine.cudaDevices().map((d) => ({ ...d, memoryBytes: d.memoryBytes.toString() }));
    }
  } else {
    process.stderr.write(`[bench] native engine unavailable: ${reason}\n[bench] benchmarking snarkjs/ffjavascript alone\n`);
  }
  const host = hostInfo();
  log(`host ${host.cpuModel} ×${host.cores}, native: ${engine ? devices.join('+') : 'none'}, seed ${seed}`);
  const ctx: Ctx = { opts, engine, devices, seed };
  const t0 = nowMs();
  const rows: Row[] = [];
  if (!opts.only || opts.only === 'msm') rows.push(...await benchMsm(ctx));
  if (!opts.only || opts.only === 'ntt') rows.push(...await benchNtt(ctx));
  if (!opts.only || opts.only === 'prove') rows.push(...await benchProve(ctx));
  const sectorMd = !opts.only && opts.full ? sectorSection(opts) : null;
  const totalS = (nowMs() - t0) / 1000;

  const hasCuda = devices.includes('cuda');
  const table = markdownTable(rows, hasCuda);
  const verdict = !engine ? `native engine unavailable (${reason}): snarkjs/ffjavascript only`
    : rows.every((r) => r.ok) ? 'all native results match the reference (ffjavascript outputs, snarkjs verify)'
      : 'SOME NATIVE RESULTS DO NOT MATCH THE REFERENCE';
  const md = [
    `# proofmarket bench — ${host.cpuModel} ×${host.cores} (${host.hostname}), ${new Date().toISOString()}`,
    '',
    `Node ${host.node}; native: ${engine ? `${devices.join(', ')} (${(nativeInfo as { build: string }).build})` : `unavailable (${reason})`}` +
      (hasCuda ? `; CUDA: ${JSON.stringify(cudaDevices)}` : '') +
      (rows.some((r) => r.pmtool) ? `; pmtool: ${findPmtool()}` : '') +
      (rows.some((r) => r.rapidsnark) ? `; rapidsnark: ${findRapidsnark(opts.rapidsnark)}` : '') + `; options: ${process.argv.slice(2).join(' ') || '(default)'}; seed ${seed}; ${totalS.toFixed(0)} s in all.`,
    '',
    `Load average (1/5/15 min) at start ${(host.loadavgAtStart as number[]).join(' / ')}, at end ${os.loadavg().map((x) => x.toFixed(2)).join(' / ')} ` +
      `on ${host.cores} cores: well above the core count means other work shared the machine and every time is inflated.`,
    '',
    '× = snarkjs (or ffjavascript) time / native time. MSM and NTT outputs are compared byte for byte with ffjavascript\'s;',
    'every proof is verified by snarkjs. Prove times cover reading the key and witness and proving, each proof in its own',
    'process (peak RSS is that process\'s, Node\'s own ~40–50 MB included).',
    '',
    table,
    '',
    verdict,
    '',
    ...(sectorMd ? [sectorMd, ''] : []),
  ].join('\n');
  process.stdout.write('\n' + table + '\n\n' + verdict + `  (${totalS.toFixed(0)} s)\n` + (sectorMd ? `\n${sectorMd}\n` : ''));
  if (opts.write) {
    ensureDir(RESULTS);
    const base = resultsBase(host, hasCuda ? String((cudaDevices[0] as { name?: string }).name ?? 'cuda') : null);
    fs.writeFileSync(`${base}.json`, JSON.stringify({
      host, loadavgAtEnd: os.loadavg().map((x) => Number(x.toFixed(2))),
      date: new Date().toISOString(), options: opts, seed, totalSeconds: totalS,
      native: engine ? { info: nativeInfo, devices, cudaDevices, pmtool: findPmtool() } : { unavailable: reason },
      rows,
    }, null, 2) + '\n');
    fs.writeFileSync(`${base}.md`, md);
    process.stdout.write(`wrote ${path.relative(ROOT, base)}.json and .md\n`);
  }
  if (!rows.every((r) => r.ok)) process.exitCode = 1;
}

main().then(() => terminateCurves()).then(() => process.exit(process.exitCode ?? 0), (err) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? err}\n`);
  process.exit(2);
});
