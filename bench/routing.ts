// `npm run bench:routing`: the routing closing-note measurement (issue 10). Real processes on
// loopback: a broker with admission challenges (two calibration sizes per curve unless
// --calibration-sizes 1) and two paid provers of different speed (PM_PROVE_DELAY_MS) and price.
// After a short warm-up (jobs without a deadline, so the model sees real jobs on both), N jobs
// (default 40) arrive with deadlines from "barely possible on the fast one" to "easy on the slow
// one". For each, the client asks for a quote just before submitting; the predicted on-time
// probability is what the broker's rule will pick (the cheapest offer at or above the 0.9 target,
// else the likeliest). Reported:
//
//   predicted vs observed on-time rate (mean over the jobs), and per predicted-probability bin
//   Brier score of the quotes (mean squared error of the predicted probability vs 0/1 outcome)
//   submit → assignment p50 / p99 (ms; includes waiting for the chosen prover by design)
//   offer raises (ladder step 1) and at-risk moves seen as job events; jobs per prover
//   the load average before and after
//
//   node dist/bench/routing.js [--jobs 40] [--fast-delay 150] [--slow-delay 2500] [--calibration-sizes 2] [--seed S]
//
// The report goes to bench/results/routing-HOST-DATE[-1size].json (and is printed).
import Database from 'better-sqlite3';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MarketClient, type QuoteResponse } from '../src/client/market';
import type { Job__Output } from '../src/common';
import { circuitsByCurve, freshInput, releaseSnarkjs, seededRandom } from '../test/helpers/circuits';
import { adminOf, newOperator, registerExample } from '../test/helpers/market';
import { killAll, sleep, startBrokerProc, startProverProc } from '../test/helpers/procs';
import { RESULTS } from './common';

interface Row { predicted: number; deadlineS: number; job: Job__Output; submitMs: number; assignedMs: number; events: string[] }

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}

const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const quantile = (xs: number[], p: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] : NaN);

async function main(): Promise<void> {
  const N = Number(arg('jobs', '40'));
  const fastDelay = Number(arg('fast-delay', '150')); const slowDelay = Number(arg('slow-delay', '2500'));
  const sizes = Number(arg('calibration-sizes', '2'));
  const rnd = seededRandom(arg('seed', 'bench-routing'));
  const loadBefore = load();
  console.log(`bench:routing: ${N} jobs, fast prover +${fastDelay} ms at 500, slow +${slowDelay} ms at 100, calibration sizes ${sizes}; seed ${rnd.seed}; load ${loadBefore}`);
  const broker = await startBrokerProc({ leaseMs: 30_000, extraArgs: ['--admission-challenges', '2', '--grace-ms', '1500', '--calibration-sizes', String(sizes)] });
  const client = new MarketClient(broker.address, { apiKey: broker.keys.client });
  const c = circuitsByCurve().bn254;
  try {
    await registerExample(client, c);
    const admin = adminOf(broker);
    await admin.deposit('local-client', 10n ** 9n);
    const fastKey = await newOperator(admin, 'op-fast', 10n ** 7n);
    const slowKey = await newOperator(admin, 'op-slow', 10n ** 7n);
    admin.close();
    const [fast, slow] = await Promise.all([
      startProverProc(broker, { name: 'fast', apiKey: fastKey, price: 500, env: { PM_PROVE_DELAY_MS: String(fastDelay) } }),
      startProverProc(broker, { name: 'slow', apiKey: slowKey, price: 100, env: { PM_PROVE_DELAY_MS: String(slowDelay) } }),
    ]);
    let n = 0;
    const submit = (deadlineS: number) => client.submit({
      circuit: c.name, input: JSON.stringify(freshInput(c, rnd.next)), requestId: `bench-${rnd.seed}-${n++}`, maxPrice: 1000n,
      deadlineMs: deadlineS ? Date.now() + Math.round(deadlineS * 1000) : 0, minOnTime: 0.9,
    });
    // Admission, then a warm-up of real jobs on both (no deadline: whichever is free).
    const until = Date.now() + 180_000;
    // Admitted, and every calibration challenge passed (each size of each curve it claims).
    while (Date.now() < until) {
      const ps = (await client.listProvers()).filter((p) => p.id === fast.proverId || p.id === slow.proverId);
      const sent = (id: string) => broker.proc.lines.filter((l) => / challenge \S+ \(calibration_\S+\) sent to prover /.test(l) && l.includes(id)).length;
      if (ps.length === 2 && ps.every((p) => p.state === 'active' && p.challengesPassed >= sent(p.id))) break;
      await sleep(500);
    }
    await sleep(1000);
    // Warm-up in pairs (no deadline: the cheapest free prover, then the other): both see real jobs.
    for (let i = 0; i < 3; i++) await Promise.all([0, 1].map(async () => client.waitDone((await submit(0)).id, 120_000)));
    const offer = (q: QuoteResponse, id: string) => q.offers.find((o) => o.proverId === id);
    const q0 = await client.quote({ circuit: c.name });
    const fP50 = Number(offer(q0, fast.proverId)?.etaP50Ms ?? 1000);
    // The upper end from the slow prover's configured delay (not its quote, which includes its queue), so runs compare.
    const sP50 = fP50 + slowDelay;
    const provers = await client.listProvers();
    for (const p of provers) console.log(`  ${p.name}: ${p.samples} samples, ms at 2^12 ${p.ms_2_12}, state ${p.state}`);
    const rows: Row[] = [];
    const watchers: Promise<void>[] = [];
    for (let i = 0; i < N; i++) {
      // Deadlines log-uniform from "barely possible on the fast one" to "easy on the slow one".
      const u = Number(rnd.next() % 1000n) / 1000;
      const deadlineS = Math.exp(Math.log(0.8 * fP50) + u * (Math.log(3 * sP50) - Math.log(0.8 * fP50))) / 1000;
      const q = await client.quote({ circuit: c.name, deadlineMs: Date.now() + Math.round(deadlineS * 1000) });
      const ok = q.offers.filter((o) => o.onTimeProbability >= 0.9);
      const predicted = ok.length ? ok[0].onTimeProbability : Math.max(0, ...q.offers.map((o) => o.onTimeProbability));
      const submitMs = Date.now();
      const job = await submit(deadlineS);
      const row: Row = { predicted, deadlineS, job, submitMs, assignedMs: 0, events: [] };
      rows.push(row);
      watchers.push((async () => {
        const w = client.watch(job.id, (ev) => {
          if (!row.assignedMs && ev.job && ev.job.attempts > 0) row.assignedMs = Date.now();
          if (ev.job?.routing && row.events[row.events.length - 1] !== ev.job.routing) row.events.push(ev.job.routing);
        });
        row.job = (await w.done) ?? job;
      })());
      await sleep(250 + Number(rnd.next() % 500n));
    }
    await Promise.all(watchers);
    const loadAfter = load();
    const outcome = (j: Job__Output) => (j.state === 'JOB_STATE_DONE' && Number(j.updatedMs) <= Number(j.deadlineMs) ? 1 : 0);
    const predicted = rows.reduce((s, r) => s + r.predicted, 0) / rows.length;
    const observed = rows.reduce((s, r) => s + outcome(r.job), 0) / rows.length;
    const brier = rows.reduce((s, r) => s + (r.predicted - outcome(r.job)) ** 2, 0) / rows.length;
    const bins = [[0, 0.5], [0.5, 0.9], [0.9, 0.99], [0.99, 1.01]].map(([lo, hi]) => {
      const xs = rows.filter((r) => r.predicted >= lo && r.predicted < hi);
      return { bin: `[${lo}, ${Math.min(1, hi)}${hi > 1 ? ']' : ')'}`, jobs: xs.length,
        predicted: xs.length ? +(xs.reduce((s, r) => s + r.predicted, 0) / xs.length).toFixed(3) : null,
        observed: xs.length ? +(xs.reduce((s, r) => s + outcome(r.job), 0) / xs.length).toFixed(3) : null };
    });
    const lat = rows.filter((r) => r.assignedMs).map((r) => r.assignedMs - r.submitMs).sort((a, b) => a - b);
    const per: Record<string, number> = {};
    for (const r of rows) { const name = r.job.proverId === fast.proverId ? 'fast' : r.job.proverId === slow.proverId ? 'slow' : r.job.proverId || 'none'; per[name] = (per[name] ?? 0) + 1; }
    const raises = rows.reduce((s, r) => s + r.events.filter((e) => /^offer raised/.test(e)).length, 0);
    const moves = rows.reduce((s, r) => s + r.events.filter((e) => /^moved:/.test(e)).length, 0);
    // The latency samples the model was fitted from (broker.db): what the quotes were built on.
    const db = new Database(path.join(broker.dataDir, 'broker.db'), { readonly: true });
    const samples = (db.prepare(`SELECT prover_id, curve, constraints, ms, kind FROM latency_samples ORDER BY id`).all() as
      { prover_id: string; curve: string; constraints: number; ms: number; kind: string }[])
      .map((x) => ({ prover: x.prover_id === fast.proverId ? 'fast' : x.prover_id === slow.proverId ? 'slow' : x.prover_id, curve: x.curve, constraints: x.constraints, ms: x.ms, kind: x.kind }));
    db.close();
    const report = {
      machine: `${os.hostname()} (${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'})`, date: new Date().toISOString(), seed: rnd.seed,
      jobs: rows.length, fastDelayMs: fastDelay, slowDelayMs: slowDelay, calibrationSizes: sizes,
      predictedOnTime: +predicted.toFixed(3), observedOnTime: +observed.toFixed(3), brier: +brier.toFixed(4), bins,
      submitToAssignmentMs: { p50: quantile(lat, 0.5), p99: quantile(lat, 0.99), assigned: lat.length },
      offerRaises: raises, atRiskMoves: moves, perProver: per,
      states: rows.reduce((m, r) => { m[r.job.state] = (m[r.job.state] ?? 0) + 1; return m; }, {} as Record<string, number>),
      provers: provers.map((p) => ({ name: p.name, samples: p.samples, ms_2_12: p.ms_2_12, state: p.state })),
      deadlinesS: { min: +Math.min(...rows.map((r) => r.deadlineS)).toFixed(2), max: +Math.max(...rows.map((r) => r.deadlineS)).toFixed(2) },
      samplesAtEnd: samples,
      loadBefore, loadAfter,
    };
    console.log(JSON.stringify(report, null, 2));
    fs.mkdirSync(RESULTS, { recursive: true });
    const file = path.join(RESULTS, `routing-${os.hostname().replace(/[^a-z0-9-]/gi, '_')}-${report.date.slice(0, 16).replace(/[:T]/g, '-')}${sizes === 1 ? '-1size' : ''}.json`);
    fs.writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
    console.log(`written ${path.relative(process.cwd(), file)}`);
  } finally {
    client.close();
    await killAll();
    await releaseSnarkjs();
  }
}

main().then(() => process.exit(0), (e) => { console.error(e); void killAll().finally(() => process.exit(1)); });
