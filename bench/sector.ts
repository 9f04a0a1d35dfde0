// The "sector" benchmark: one synthetic PoRep-shaped sector (circuits/src/porep/, not Filecoin's
// circuit) of N partitions at the 2^16 size (`porep_large`), proved
//   1. back to back by `pmtool prove` (no Node, no market: the baseline), witnesses made first;
//   2. through the external-prover contract (prover/backends/external.ts) with the stand-in C2
//      command scripts/porep-c2.js (witness + pmtool per partition, 192-byte output decoded);
//   3. through the market: a broker and 1, then 2, local prover processes (real gRPC, SQLite), the
//      sector submitted as ONE partitioned job (SubmitJob.partitions, as `submit --inputs` does),
//      wall time submit → every partition DONE, after one warm-up job (artifacts fetched, cached);
// every proof verified with snarkjs. The market's overhead is row 3 (1 prover) minus row 1.
//
//   node dist/bench/sector.js [--size small|large] [--partitions N] [--no-write]
//
// Artifacts of porep_large are built on first use into bench/work/porep_large (scripts/setup-porep.sh,
// about a minute or two). Results: bench/results/sector-<host>-<date>.json and .md.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ExternalC2Backend } from '../prover/backends/external';
import { commit1Json, generateSector, POREP_SIZES, PoRepSize, sectorBytes } from '../src/porep/sector';
import { proofsFromFilecoin } from '../src/common/filecoin';
import { RESULTS, ROOT, WORK, ensureDir, fmtMs, log, nowMs, snarkjs, terminateCurves, writeFileAtomic } from './common';
import { MarketClient } from '../src/client/market';
import { killAll, startBrokerProc, startProverProc } from '../test/helpers/procs';

/** The sector as one partitioned job over `provers` local prover processes: wall ms submit → all DONE. */
async function marketRun(a: { dir: string; wasm: string; zkey: string; vkey: string }, circuit: string, inputs: object[],
  provers: number, verify: (k: number, proof: object, pub: string[]) => Promise<void>): Promise<{ ms: number; perProver: Record<string, number> }> {
  const broker = await startBrokerProc({ leaseMs: 120_000, heartbeatMs: 1000 });
  try {
    const apiKey = fs.readFileSync(path.join(broker.dataDir, 'admin.key'), 'utf8').trim();
    const client = new MarketClient(broker.address, { apiKey });
    try {
      await client.registerCircuit({ name: circuit, wasm: a.wasm, zkey: a.zkey, vkey: a.vkey, description: 'PoRep-shaped (bench)' });
      for (let i = 0; i < provers; i++) await startProverProc(broker.address, { name: `sector-${i}`, apiKey, backend: 'cpu' });
      // ONE partitioned job (SubmitJob.partitions), as `submit --inputs` sends it
      const run = async (label: string, ins: object[]) => {
        const job = await client.submitPartitioned({ circuit, inputs: ins, requestId: `${label}-${Date.now()}`, deadlineMs: 0, maxPrice: '0' });
        const done = await client.waitDone(job.id, 2 ** 31 - 1);
        if (done.state !== 'JOB_STATE_DONE') throw new Error(`${label}: job ${done.id} ended ${done.state} ${done.error}`);
        return done.partitions;
      };
      // warm-up: every prover fetches and caches the artifacts once (a partitioned job needs ≥ 2 partitions)
      await run('warm', inputs.slice(0, Math.max(2, provers)));
      const t0 = nowMs();
      const done = await run('sector', inputs);
      const ms = nowMs() - t0;
      const perProver: Record<string, number> = {};
      for (const [k, j] of done.entries()) {
        perProver[j.proverId] = (perProver[j.proverId] ?? 0) + 1;
        await verify(k, JSON.parse(j.proof!.proofJson), JSON.parse(j.proof!.publicJson));
      }
      return { ms, perProver };
    } finally {
      client.close();
    }
  } finally {
    await killAll();
  }
}

const quiet = { info() {}, debug() {}, warn() {}, error() {} };

function findPmtool(): string {
  if (process.env.PM_PMTOOL && fs.existsSync(process.env.PM_PMTOOL)) return path.resolve(process.env.PM_PMTOOL);
  for (const d of ['build-cli', 'build-tests', 'build-gpu']) {
    const p = path.join(ROOT, 'native', d, 'pmtool');
    if (fs.existsSync(p)) return p;
  }
  throw new Error('pmtool not found: cmake -S native -B native/build-cli -G Ninja && cmake --build native/build-cli --target pmtool (or set PM_PMTOOL)');
}

function artifacts(circuit: string, pmtool: string): { dir: string; wasm: string; zkey: string; vkey: string } {
  for (const base of [path.join(ROOT, 'circuits', 'build'), WORK]) {
    const dir = path.join(base, circuit);
    const a = { dir, wasm: path.join(dir, `${circuit}.wasm`), zkey: path.join(dir, `${circuit}.zkey`), vkey: path.join(dir, 'verification_key.json') };
    if ([a.wasm, a.zkey, a.vkey].every((f) => fs.existsSync(f))) return a;
  }
  log(`${circuit}: building into bench/work (scripts/setup-porep.sh) …`);
  const r = spawnSync(path.join(ROOT, 'scripts', 'setup-porep.sh'), [circuit], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, OUT: WORK, PM_PMTOOL: pmtool }, maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`setup-porep.sh ${circuit} failed:\n${(r.stdout ?? '').slice(-2000)}${(r.stderr ?? '').slice(-2000)}`);
  return artifacts(circuit, pmtool);
}

async function main(argv: string[]): Promise<number> {
  let size: PoRepSize = 'large';
  let partitions = 10;
  let write = true;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--size') size = argv[++i] as PoRepSize;
    else if (argv[i] === '--partitions') partitions = Number(argv[++i]);
    else if (argv[i] === '--no-write') write = false;
    else throw new Error(`unknown option ${argv[i]} (usage: node dist/bench/sector.js [--size small|large] [--partitions N] [--no-write])`);
  }
  if (!POREP_SIZES[size]) throw new Error(`--size must be small or large`);
  const load0 = os.loadavg();
  const pmtool = findPmtool();
  const circuit = POREP_SIZES[size].circuit;
  const a = artifacts(circuit, pmtool);
  const vkey = JSON.parse(fs.readFileSync(a.vkey, 'utf8'));
  const seed = process.env.PM_BENCH_SEED ?? Math.random().toString(16).slice(2, 10);
  log(`sector: ${circuit}, ${partitions} partitions, seed ${seed} (PM_BENCH_SEED replays), load ${load0.map((x) => x.toFixed(2)).join(' ')}`);
  let t = nowMs();
  const sector = await generateSector({ size, partitions, seed });
  const genMs = nowMs() - t;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-sector-'));
  const pub = (k: number): string[] => {
    const i = sector.inputs[k] as { challenge: string[]; parents: string[][] };
    return [sector.replicaId, sector.commD, sector.commR, ...i.challenge, ...i.parents.flat()];
  };
  try {
    // witnesses (not part of the baseline's proving time; reported on their own)
    t = nowMs();
    const wtns: string[] = [];
    for (let k = 0; k < partitions; k++) {
      const f = path.join(work, `p${k}.wtns`);
      await snarkjs.wtns.calculate(sector.inputs[k], a.wasm, f);
      wtns.push(f);
    }
    const witnessMs = nowMs() - t;

    // 1. baseline: pmtool back to back
    t = nowMs();
    const perProof: number[] = [];
    for (let k = 0; k < partitions; k++) {
      const t1 = nowMs();
      const r = spawnSync(pmtool, ['prove', a.zkey, wtns[k], path.join(work, `p${k}.json`), path.join(work, `p${k}.pub.json`), '--device', 'cpu'], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`pmtool prove partition ${k}: ${r.stderr}`);
      perProof.push(nowMs() - t1);
    }
    const pmtoolMs = nowMs() - t;
    for (let k = 0; k < partitions; k++) {
      const ok = await snarkjs.groth16.verify(vkey, pub(k), JSON.parse(fs.readFileSync(path.join(work, `p${k}.json`), 'utf8')), quiet);
      if (!ok) throw new Error(`pmtool proof of partition ${k} does not verify`);
    }
    log(`pmtool back to back: ${fmtMs(pmtoolMs)} (${perProof.map((m) => fmtMs(m)).join(', ')})`);

    // 2. the external-prover contract with the stand-in C2 command
    const c1 = path.join(work, 'c1.json');
    fs.writeFileSync(c1, commit1Json(sector));
    const ext = new ExternalC2Backend({
      command: [process.execPath, path.join(ROOT, 'scripts', 'porep-c2.js')], sectorSizes: [sectorBytes(sector)],
      workDir: path.join(work, 'ext'), timeoutMs: 3_600_000,
    });
    process.env.PM_PMTOOL = pmtool;
    process.env.PM_POREP_ARTIFACTS = path.dirname(a.dir);
    process.env.PM_DEVICE = 'cpu';
    t = nowMs();
    const res = await ext.run({ jobId: 'bench', c1, sectorSize: sectorBytes(sector), partitions });
    const extMs = nowMs() - t;
    const proofs = proofsFromFilecoin(res.proof);
    for (let k = 0; k < partitions; k++) {
      if (!(await snarkjs.groth16.verify(vkey, pub(k), proofs[k], quiet))) throw new Error(`external C2 proof of partition ${k} does not verify`);
    }
    log(`external contract (witness + pmtool per partition): ${fmtMs(extMs)}, peak RSS ${(res.peakRssBytes / 2 ** 20).toFixed(0)} MB`);

    // 3. the market, 1 and 2 provers
    const verifyPartition = async (k: number, proof: object, pubs: string[]) => {
      if (JSON.stringify(pubs) !== JSON.stringify(pub(k))) throw new Error(`market partition ${k}: public signals are not partition ${k}'s`);
      if (!(await snarkjs.groth16.verify(vkey, pubs, proof, quiet))) throw new Error(`market proof of partition ${k} does not verify`);
    };
    const market: { provers: number; ms: number; perProver: Record<string, number> }[] = [];
    for (const provers of [1, 2]) {
      const r = await marketRun(a, circuit, sector.inputs, provers, verifyPartition);
      market.push({ provers, ...r });
      log(`market, ${provers} prover(s): ${fmtMs(r.ms)} (partitions per prover: ${Object.values(r.perProver).join(', ')})`);
    }

    const load1 = os.loadavg();
    const rows = [
      ['pmtool prove, back to back (baseline)', pmtoolMs, `${partitions} proofs, median ${fmtMs([...perProof].sort((x, y) => x - y)[Math.floor(partitions / 2)])} each; witnesses ${fmtMs(witnessMs)} more`],
      ['external-prover contract, scripts/porep-c2.js', extMs, `witness + pmtool per partition, ${partitions} × 192-byte output decoded`],
      ...market.map((m) => [`market, partitioned job, ${m.provers} prover${m.provers > 1 ? 's' : ''}`, m.ms,
        `submit → all ${partitions} DONE (witness on the prover, broker verification); partitions per prover ${Object.values(m.perProver).join(' + ')}` +
        (m.provers === 1 ? `; market overhead vs pmtool ${fmtMs(m.ms - pmtoolMs)}` : '')] as const),
    ] as const;
    const md = [
      `Sector benchmark: ${circuit} (${sector.nodes}-node synthetic sector), ${partitions} partitions, seed ${seed}; ` +
        `every proof verified with snarkjs. Load average ${load0.map((x) => x.toFixed(2)).join(' ')} → ${load1.map((x) => x.toFixed(2)).join(' ')}; ` +
        `${os.cpus().length} cores; sector generated in ${fmtMs(genMs)}.`,
      '',
      '| how | wall time | notes |',
      '|---|---|---|',
      ...rows.map(([how, ms, note]) => `| ${how} | ${ms === null ? '—' : fmtMs(ms)} | ${note} |`),
    ].join('\n');
    process.stdout.write(md + '\n');
    if (write) {
      ensureDir(RESULTS);
      const stem = path.join(RESULTS, `sector-${os.hostname()}-${new Date().toISOString().slice(0, 10)}`);
      writeFileAtomic(`${stem}.json`, JSON.stringify({
        circuit, partitions, seed, nodes: sector.nodes, load: { start: load0, end: load1 }, cores: os.cpus().length,
        generateMs: genMs, witnessMs, pmtoolMs, pmtoolPerProofMs: perProof, externalMs: extMs, externalPeakRssBytes: res.peakRssBytes,
        market,
      }, null, 2) + '\n');
      writeFileAtomic(`${stem}.md`, md + '\n');
      log(`wrote ${path.relative(ROOT, stem)}.json and .md`);
    }
    return 0;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    await terminateCurves();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((c) => process.exit(c), (e) => { process.stderr.write(`error: ${(e as Error).stack}\n`); process.exit(1); });
}
