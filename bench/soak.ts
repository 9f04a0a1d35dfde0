// `npm run soak`: N jobs through the market while provers and brokers are killed with -9 at random
// moments and restarted. Real processes on loopback: B brokers on one data dir (SQLite; with
// --store URL every broker gets `--store URL`), P honest provers (real proofs, native engine when
// built) and one prover returning corrupted proofs (PM_FAULT=corrupt-proof: the market must never
// deliver them), clients submitting through the broker list with request ids (a submit whose
// broker died is repeated, never duplicated). Bounded in time; ends with a report:
//
//   jobs lost (0)             jobs the market no longer knows (never accepted, or gone)
//   unfinished (0)            jobs it still holds, live, at the time limit (the run was too slow)
//   wrong proofs delivered (0) DONE jobs whose proof snarkjs rejects or whose public signals are
//                             not the statement the job asked for (the submitted key)
//   double payouts (0)        jobs with more than one payout transaction
//   ledger sum (0)            sum of every ledger entry (and every transaction sums to 0)
//   p50/p99 latency           job created → DONE, from the store's timestamps
//
//   node dist/bench/soak.js [--jobs 1000] [--brokers 1] [--provers 2] [--seconds 1800] [--store URL]
// --store (or PM_SOAK_STORE, or PM_DATABASE_URL) postgres://… runs every broker on that database
// (use an empty one: the audit reads its whole ledger); e.g. on PostgreSQL with two brokers:
//   npm run soak -- --store postgres://postgres@127.0.0.1:5432/pm_soak --brokers 2 --jobs 300
// The report goes to bench/results/soak-HOST-Nbroker[-pg].json.
// Exit code 0 when every count is 0 and every job is DONE in time.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AccountsClient } from '../src/client/accounts';
import { MarketClient, isTerminalState, type Job } from '../src/client/market';
import { circuitsByCurve, freshInput, releaseSnarkjs, seededRandom, verifyProof } from '../test/helpers/circuits';
import { BrokerProc, Proc, killAll, restartBrokerProc, sleep, startBrokerProc, startProverProc, tmpDir } from '../test/helpers/procs';

export interface SoakOptions {
  jobs: number;
  brokers: number;
  provers: number;
  /** Overall time limit, s. */
  seconds: number;
  /** Mean pause between two kills, ms. */
  killEveryMs: number;
  /** Chaos ends after this share of the time limit (default 0.6), so the tail finishes inside it. */
  chaosFraction?: number;
  /** Passed to every broker as --store (PostgreSQL), else the shared SQLite data dir. */
  store?: string;
  log?: (line: string) => void;
}

export interface SoakReport {
  seed: string;
  /** Which store the brokers shared. */
  store: 'sqlite' | 'postgres';
  jobs: number;
  brokers: number;
  provers: number;
  done: number;
  /** Submitted jobs the brokers do not know at the end (never accepted, or gone). */
  lost: number;
  /** Jobs still live at the time limit: kept, but not through the market in time. */
  unfinished: number;
  failed: number;
  wrongProofs: number;
  doublePayouts: number;
  ledgerSum: string;
  unbalancedTx: number;
  leftInEscrow: string;
  leftAsStake: string;
  kills: { broker: number; prover: number };
  slashedBadProver: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /**
   * Set-wise settlements (PostgreSQL: a batch of 2+ accepts in one transaction), summed over every
   * broker process from its /metrics (read every 2 s and at the end: a broker killed -9 loses the
   * counts of its last 2 s, so these are lower bounds). `rerun`: batches that threw and ran again
   * one accept per transaction. Zeros on SQLite.
   */
  settled: { batches: number; accepts: number; rerun: number };
  wallS: number;
  loadAvg: number;
}

function q(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
}

export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  const log = o.log ?? ((l: string) => console.log(l));
  const t0 = Date.now();
  const until = t0 + o.seconds * 1000;
  const rnd = seededRandom('soak');
  let r = Number(rnd.next() % 1_000_000n);
  const rand = () => { r = (r * 1103515245 + 12345) % 2147483648; return r / 2147483648; };
  const circuit = circuitsByCurve().bn254;
  const dataDir = tmpDir('pm-soak-');
  const brokerOpts = { dataDir, leaseMs: 3000, heartbeatMs: 400, maxAttempts: 50, extraArgs: ['--max-live-jobs', '0', '--http', '127.0.0.1:0', ...(o.store ? ['--store', o.store] : [])] };
  const brokers: BrokerProc[] = [];
  for (let i = 0; i < o.brokers; i++) brokers.push(await startBrokerProc({ ...brokerOpts, name: `broker-${i}` }));
  const keys = brokers[0].keys;
  const list = brokers.map((b) => b.address).join(',');
  const admin = new AccountsClient(list, { apiKey: keys.admin });
  const perJob = 100n;
  await admin.deposit('local-client', perJob * BigInt(o.jobs), 'soak funds');
  await admin.deposit('local-prover', 1_000_000n, 'soak stake');
  const badKey = (await admin.createAccount('soak-bad-operator', 'prover')).apiKey;
  await admin.deposit('soak-bad-operator', 200n, 'stake for a few wrong proofs');
  const client = new MarketClient(list, { apiKey: keys.client });
  await client.registerCircuit({ name: circuit.name, wasm: circuit.wasm, zkey: circuit.zkey, vkey: circuit.vkey, sym: circuit.sym ?? undefined });

  type P = { name: string; dataDir: string; proc: Proc; bad: boolean };
  const provers: P[] = [];
  const startProver = async (name: string, dir: string, bad: boolean): Promise<Proc> => (await startProverProc(list, {
    name, dataDir: dir, price: 10, apiKey: bad ? badKey : keys.prover, ...(bad ? { fault: 'corrupt-proof' as const } : {}),
  })).proc;
  for (let i = 0; i < o.provers; i++) { const d = tmpDir('pm-soak-prover-'); provers.push({ name: `prover-${i}`, dataDir: d, proc: await startProver(`prover-${i}`, d, false), bad: false }); }
  { const d = tmpDir('pm-soak-bad-'); provers.push({ name: 'prover-bad', dataDir: d, proc: await startProver('prover-bad', d, true), bad: true }); }
  log(`soak: seed ${rnd.seed}; ${o.jobs} jobs, ${o.brokers} broker(s) on ${o.store ? 'PostgreSQL' : 'SQLite'} [${list}], ${o.provers} honest prover(s) + 1 corrupting, kill every ~${o.killEveryMs} ms, limit ${o.seconds} s`);

  // ---- set-wise settlement counters from each broker process's /metrics ----
  const settledBy = new Map<Proc, { batches: number; accepts: number; rerun: number }>();
  const readSettled = async (b: BrokerProc): Promise<void> => {
    const m = b.proc.lines.map((l) => l.match(/metrics on (http:\/\/\S+\/metrics)/)).find((x) => x);
    if (!m || !b.proc.alive) return;
    try {
      const text = await (await fetch(m[1], { signal: AbortSignal.timeout(5000) })).text();
      const num = (re: RegExp) => Number(text.match(re)?.[1] ?? 0);
      settledBy.set(b.proc, {
        batches: num(/^pm_store_settle_batches_total\{outcome="set_wise"\} (\d+)/m), rerun: num(/^pm_store_settle_batches_total\{outcome="rerun"\} (\d+)/m),
        accepts: num(/^pm_store_settled_set_wise_total (\d+)/m),
      });
    } catch { /* killed or busy: its previous reading stands */ }
  };
  let reading = true;
  const readLoop = (async () => { while (reading) { await Promise.all(brokers.map(readSettled)); await sleep(2000); } })();

  // ---- chaos: kill -9 a random broker or prover, restart it after a short random pause ----
  const kills = { broker: 0, prover: 0 };
  let chaos = true;
  let finished = 0;
  let finishedAtBrokerKill = -1;
  const chaosLoop = (async () => {
    while (chaos && Date.now() < until) {
      await sleep(o.killEveryMs * (0.5 + rand()));
      if (!chaos) break;
      // Every fourth kill is a broker's (the second, sixth, ...), the others a random prover's: a
      // restarted broker needs some seconds to rebuild its verifier's curve tables, so killing
      // brokers as often as provers would only measure restarts.
      // And never two broker kills without a job finishing in between: a restarted broker's verifier
      // first builds its curve tables (4 s on a quiet machine, 10-30 s on a loaded one), so
      // back-to-back broker kills would stall the market without testing anything more.
      const pickBroker = (kills.broker + kills.prover) % 4 === 1 && finished > finishedAtBrokerKill;
      try {
        if (pickBroker) {
          const i = Math.floor(rand() * brokers.length);
          kills.broker++; finishedAtBrokerKill = finished;
          log(`  kill -9 broker ${brokers[i].address} (t=${((Date.now() - t0) / 1000).toFixed(1)} s)`);
          await brokers[i].proc.kill('SIGKILL');
          await sleep(200 + rand() * 1500);
          brokers[i] = await restartBrokerProc(brokers[i], 'SIGKILL');
        } else {
          const p = provers[Math.floor(rand() * provers.length)];
          kills.prover++;
          log(`  kill -9 ${p.name} (t=${((Date.now() - t0) / 1000).toFixed(1)} s)`);
          await p.proc.kill('SIGKILL');
          await sleep(200 + rand() * 1500);
          p.proc = await startProver(p.name, p.dataDir, p.bad);
        }
      } catch (e) { log(`  restart failed, retrying later: ${(e as Error).message.split('\n').slice(0, 12).join('\n    ')}`); }
    }
  })();

  // ---- clients: submit every job (idempotent retries), then follow them to the end ----
  const inputs = Array.from({ length: o.jobs }, () => freshInput(circuit, rnd.next));
  const ids: string[] = new Array(o.jobs).fill('');
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (;;) {
      const i = next++;
      if (i >= o.jobs) return;
      for (;;) {
        try {
          ids[i] = (await client.submit({ circuit: circuit.name, input: inputs[i], requestId: `soak-${rnd.seed}-${i}`, maxPrice: perJob })).id;
          break;
        } catch (e) {
          if (Date.now() > until) throw new Error(`submit ${i} still failing at the time limit: ${(e as Error).message}`);
          await sleep(200);
        }
      }
    }
  }));
  log(`  all ${o.jobs} submitted (t=${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  const final = new Map<string, Job>();
  let lastReport = 0;
  while ((final.size < o.jobs || chaos) && Date.now() < until) {
    const pending = ids.filter((id) => !final.has(id)).slice(0, 100);
    for (const id of pending) {
      try { const j = await client.getJob(id); if (isTerminalState(j.state)) final.set(id, j); } catch { await sleep(200); }
    }
    finished = final.size;
    if (Date.now() - lastReport > 10_000) { lastReport = Date.now(); log(`  ${final.size}/${o.jobs} finished (t=${((Date.now() - t0) / 1000).toFixed(1)} s)`); }
    // Chaos stops once 90% are through or its share of the time is gone, so the tail can finish inside the limit.
    // (At least one broker and two prover kills first, unless time is up.)
    const enough = kills.broker >= 1 && kills.prover >= 2;
    if ((enough && final.size >= o.jobs * 0.9) || Date.now() > t0 + o.seconds * 1000 * (o.chaosFraction ?? 0.6)) chaos = false;
    await sleep(300);
  }
  chaos = false;
  await chaosLoop;
  reading = false;
  await readLoop;
  await Promise.all(brokers.map(readSettled));
  const settled = { batches: 0, accepts: 0, rerun: 0 };
  for (const v of settledBy.values()) { settled.batches += v.batches; settled.accepts += v.accepts; settled.rerun += v.rerun; }
  // Every broker back up for the audit.
  for (let i = 0; i < brokers.length; i++) if (!brokers[i].proc.alive) brokers[i] = await restartBrokerProc(brokers[i]);

  // ---- audit ----
  // A job not seen ended is looked up once more: ended meanwhile, still live (unfinished), or lost.
  let unfinished = 0; let missing = 0;
  for (const id of ids.filter((x) => !final.has(x))) {
    const j = id ? await client.getJob(id).catch((e) => (e as Error).message) : '(never submitted)';
    if (typeof j !== 'string' && isTerminalState(j.state)) { final.set(id, j); continue; }
    if (typeof j === 'string') missing++; else unfinished++;
    if (missing + unfinished <= 20) log(`  job ${id || '(never submitted)'} not finished: ${typeof j === 'string' ? j : j.state}`);
  }
  if (missing + unfinished > 20) log(`  ... ${missing + unfinished - 20} more not finished`);
  let wrong = 0; let failed = 0;
  const lat: number[] = [];
  for (let i = 0; i < o.jobs; i++) {
    const j = final.get(ids[i]);
    if (!j) continue;
    if (j.state !== 'JOB_STATE_DONE') { failed++; log(`  job ${j.id} ended ${j.state}: ${j.error}`); continue; }
    lat.push(Number(j.updatedMs) - Number(j.createdMs));
    const ok = await verifyProof(circuit, j.proof!.proofJson, j.proof!.publicJson);
    const statement = (JSON.parse(j.proof!.publicJson) as string[]).includes(String(inputs[i].key));
    if (!ok || !statement) { wrong++; log(`  WRONG PROOF delivered for job ${j.id} (verifies: ${ok}, statement: ${statement})`); }
  }
  const lost = missing;
  const entries = await admin.ledger({ limit: 10_000 });
  if (entries.length >= 10_000) log('  note: ledger has 10,000+ entries; the audit read the newest 10,000');
  let sum = 0n;
  const perTx = new Map<string, bigint>();
  const payouts = new Map<string, Set<string>>();
  for (const e of entries) {
    sum += BigInt(e.amount);
    perTx.set(e.txId, (perTx.get(e.txId) ?? 0n) + BigInt(e.amount));
    if (e.reason === 'payout') { const s = payouts.get(e.jobId) ?? new Set(); s.add(e.txId); payouts.set(e.jobId, s); }
  }
  const doublePayouts = [...payouts.values()].filter((s) => s.size > 1).length;
  let escrow = 0n; let stake = 0n;
  for (const a of await admin.listAccounts()) { const b = await admin.balance(a.name); escrow += BigInt(b.escrow); stake += BigInt(b.stake); }
  const slashed = (await admin.ledger({ account: 'soak-bad-operator', limit: 10_000 })).filter((e) => e.reason === 'slash_compensation' && e.book === 'stake').length;
  const report: SoakReport = {
    seed: rnd.seed, store: o.store ? 'postgres' : 'sqlite', jobs: o.jobs, brokers: o.brokers, provers: o.provers, done: final.size - failed, lost, unfinished, failed, wrongProofs: wrong, doublePayouts,
    ledgerSum: String(sum), unbalancedTx: [...perTx.values()].filter((v) => v !== 0n).length, leftInEscrow: String(escrow), leftAsStake: String(stake),
    kills, slashedBadProver: slashed, latencyP50Ms: q(lat, 0.5), latencyP99Ms: q(lat, 0.99), settled, wallS: Math.round((Date.now() - t0) / 1000),
    loadAvg: +os.loadavg()[0].toFixed(2),
  };
  if (lost || unfinished || failed) for (const b of brokers) log(`  last lines of ${b.proc.name}:\n${b.proc.tail(60)}`);
  admin.close(); client.close();
  await killAll();
  await releaseSnarkjs();
  log(`soak report (${report.store}, ${report.brokers} broker(s)): ${report.done}/${report.jobs} DONE; jobs lost ${report.lost}, unfinished ${report.unfinished}, failed ${report.failed}, wrong proofs delivered ${report.wrongProofs}, `
    + `double payouts ${report.doublePayouts}, ledger sum ${report.ledgerSum} (unbalanced transactions ${report.unbalancedTx}), `
    + `left in escrow ${report.leftInEscrow}, locked stake ${report.leftAsStake}; kills: ${kills.broker} broker, ${kills.prover} prover; `
    + `corrupt proofs slashed ${slashed}; latency p50 ${report.latencyP50Ms} ms, p99 ${report.latencyP99Ms} ms; `
    + `set-wise settlements ${settled.batches} batches / ${settled.accepts} accepts (${settled.rerun} rerun one by one); ${report.wallS} s; load average ${report.loadAvg}`);
  return report;
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  const o: SoakOptions = {
    jobs: Number(flag('jobs') ?? 1000), brokers: Number(flag('brokers') ?? 1), provers: Number(flag('provers') ?? 2),
    seconds: Number(flag('seconds') ?? 1800), killEveryMs: Number(flag('kill-every-ms') ?? 4000), store: flag('store') ?? process.env.PM_SOAK_STORE ?? (process.env.PM_DATABASE_URL || undefined),
  };
  runSoak(o).then((rep) => {
    const out = path.join(__dirname, '..', '..', 'bench', 'results', `soak-${os.hostname()}-${rep.brokers}broker${rep.store === 'postgres' ? '-pg' : ''}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), ...rep }, null, 2) + '\n');
    const bad = rep.lost + rep.unfinished + rep.failed + rep.wrongProofs + rep.doublePayouts + rep.unbalancedTx + (rep.ledgerSum !== '0' ? 1 : 0) + (rep.leftInEscrow !== '0' || rep.leftAsStake !== '0' ? 1 : 0);
    process.exit(bad ? 1 : 0);
  }, async (e) => { console.error(e); await killAll(); process.exit(1); });
}
