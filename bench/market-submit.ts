// `npm run bench:market`: the submit path. One broker process (embedded SQLite; PostgreSQL too,
// side by side, when PM_BENCH_PG_URL names a server: each run gets a fresh database on it), one
// in-process "instant" prover that registers with a huge slot count, and C concurrent submitting
// clients. Two phases per store:
//   1. submit → assignment: N jobs with distinct random inputs to the BN254 example circuit; the
//      prover takes every assignment and holds its lease (this measures the market's side, not
//      proving or verifying). submissions/s, p50/p99/max submit → assignment (client's submit
//      call start → the prover receiving the assignment, one clock), and from the broker's
//      /metrics from the first submit until the broker is idle again: its CPU ms per submission and store transactions and
//      COMMITs per submission (group commit).
//   1b. latency at fixed offered rates (--rate R[,R…], default 200,500,1000/s, open loop, at most C
//      in flight): p50/p99 submit → assignment when the broker is not saturated (phase 1's latency
//      is mostly the clients' own backlog: C in flight / throughput, ≥ 32 ms at 1,000/s).
// The clients are a load generator on the same 2 cores as the broker, so they are kept lean:
// grpc-js's generated stub called directly (--client grpc-js, the default) with the request built
// before the clock and the API key as call metadata (what MarketClient's interceptor adds), or
// gRPC spoken on node:http2 (--client http2: a POST /proofmarket.v1.Market/SubmitJob per job with
// the request encoded before the clock, and of the answer only the grpc-status trailer and the
// Job's id read; about half the client CPU of grpc-js in the closed loop). The broker sees the same
// bytes either way. Each job's input is distinct. The instant prover runs in this process too (a
// grpc-js stream); its and the clients' CPU are reported per submission.
//   2. DONE (D jobs, default 1,000, whose proofs were made beforehand with snarkjs, cached under
//      the OS temp dir by input; the broker checks each job's statement and verifies its proof).
//      A job counts as DONE when the prover gets its "accepted" ack (sent right after the DONE
//      transition commits): nothing polls the broker.
//      2a. results: the D jobs are submitted and assigned first (the prover holds them), then all
//          D results are written at once: jobs DONE/s from the first result to the last DONE,
//          p50/p99 result → DONE, and broker CPU ms and COMMITs per DONE job (from /metrics,
//          until the broker is idle again; CPU includes the verifier threads).
//      2b. pipeline: D more jobs (the same inputs, new request ids), each answered the moment it
//          is assigned: jobs DONE/s from the first submit to the last DONE, p50/p99 result → DONE,
//          broker CPU per job from submit to DONE.
// Prints one line per store and phase with the load average; writes JSON to bench/results/.
// PM_BENCH_BROKER_LOG=FILE: the broker's stdout/stderr (e.g. with PM_BENCH_BROKER_NODE_ARGS=--trace-gc) appended to FILE.
// PM_SUBMIT_TRACE=FILE: per-job timestamps along the submit path, group commits, GC and event-loop
// stalls of the broker and of this process (broker/submit-trace.ts); scripts/submit-trace-report.js
// FILE RATE attributes an open-loop row's worst 1% to them.
//
//   node dist/bench/market-submit.js [--jobs N] [--warmup W] [--clients C] [--channels K] [--rate R[,R…]] [--open-seconds S] [--done D]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn, type ChildProcess } from 'child_process';
import * as grpcJs from '@grpc/grpc-js';
import * as http2 from 'http2';
import { MarketClient } from '../src/client/market';
import { clientOptions } from '../src/common/connect';
import { marketCtor, newMarketClient, type Job__Output, type SubmitJobRequest } from '../src/common/proto';
import * as crypto from 'crypto';
import { circuitsByCurve, freshInput, seededRandom } from '../test/helpers/circuits';
import { freshPgDatabase } from '../test/helpers/pg';
import { instantProver, type Answer } from '../test/helpers/instant-prover';
import { lagProbe, monoOffset } from '../broker/submit-trace';

const ROOT = path.resolve(__dirname, '..', '..');
// PM_BENCH_CLI: another build's CLI (e.g. the previous main's) for back-to-back comparisons.
const CLI = process.env.PM_BENCH_CLI || path.join(ROOT, 'dist', 'src', 'cli', 'main.js');

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}

/** Length of each open-loop row in seconds (--open-seconds, default 5): 200/s × 5 s = 1,000 jobs, so the p99 is the 10th-worst job rather than the 4th. */
const OPEN_SECONDS = arg('open-seconds', 5);

function q(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
}

interface BrokerProc { child: ChildProcess; address: string; metrics: string; clientKey: string; proverKey: string }

async function startBroker(dataDir: string, extra: string[]): Promise<BrokerProc> {
  const nodeArgs = (process.env.PM_BENCH_BROKER_NODE_ARGS ?? '').split(' ').filter(Boolean); // e.g. --cpu-prof
  const child = spawn(process.execPath, [...nodeArgs, CLI, 'broker', '--listen', '127.0.0.1:0', '--data', dataDir, '--local-accounts', '--lease-ms', '600000',
    '--max-live-jobs', '0', '--http', '127.0.0.1:0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  let buf = '';
  const found = await new Promise<{ address: string; metrics: string }>((resolve, reject) => {
    const onData = (c: Buffer) => {
      buf += c.toString();
      if (buf.length > 1e6) buf = buf.slice(-1e5);
      const a = /broker listening on (\S+)/.exec(buf); const m = /metrics on (http:\/\/\S+\/metrics)/.exec(buf);
      if (a && m) resolve({ address: a[1], metrics: m[1] });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`broker exited ${code}\n${buf.slice(-2000)}`)));
  });
  child.stdout!.removeAllListeners('data'); child.stderr!.removeAllListeners('data');
  if (process.env.PM_BENCH_BROKER_LOG) {
    // PM_BENCH_BROKER_LOG=FILE: the broker's output from here on (e.g. PM_BENCH_BROKER_NODE_ARGS=--trace-gc) goes to FILE.
    const log = fs.createWriteStream(process.env.PM_BENCH_BROKER_LOG, { flags: 'a' });
    child.stdout!.pipe(log); child.stderr!.pipe(log);
  } else { child.stdout!.resume(); child.stderr!.resume(); }
  const key = (n: string) => fs.readFileSync(path.join(dataDir, `${n}.key`), 'utf8').trim();
  return { child, ...found, clientKey: key('client'), proverKey: key('prover') };
}

/**
 * CPU seconds of the broker's main thread (the event loop: gRPC, the store, dispatch), from
 * /proc/PID/task/PID/stat (utime + stime, in clock ticks of 10 ms); NaN where /proc has no such file.
 * The rest of the process's CPU is its worker threads (the witness pool's statements, the
 * verifiers) and V8's helper threads (concurrent GC).
 */
function procWchar(pid: number | undefined): number {
  try { return Number(/^wchar: (\d+)$/m.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? NaN); } catch { return NaN; }
}

function mainThreadCpuS(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on: utime is field 14, stime 15
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch { return NaN; }
}

/** The broker's CPU seconds (whole process, and its main thread) and store counters, from its /metrics and /proc. */
async function scrape(url: string, pid?: number): Promise<{ cpuS: number; mainS: number; tx: number; commits: number; assignS: number; assignN: number; proofs: number; checks: number;
  commitsOver2: number; commitsOver5: number; wchar: number; ckptInline: number; ckptWorker: number }> {
  const text = await (await fetch(url)).text();
  const v = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  const le = (b: string) => Number(new RegExp(`^pm_store_commit_ms\\{le="${b.replace('+', '\\+')}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  const ck = (w: string) => Number(new RegExp(`^pm_store_wal_checkpoints_total\\{where="${w}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return {
    // SQLite COMMITs slower than 2 and 5 ms (store/sqlite.ts commit), checkpoints by where they ran, and bytes the process wrote (/proc/PID/io wchar: WAL, database file and sockets).
    commitsOver2: le('+Inf') - le('2'), commitsOver5: le('+Inf') - le('5'), ckptInline: ck('inline'), ckptWorker: ck('worker'), wchar: procWchar(pid),
    cpuS: v('pm_process_cpu_seconds_total'), mainS: mainThreadCpuS(pid), tx: v('pm_store_transactions_total'), commits: v('pm_store_commits_total'),
    // The broker's own view (store timestamps, ms resolution): job created → ASSIGNED (the claim's commit).
    assignS: v('pm_submit_to_assign_seconds_sum'), assignN: v('pm_submit_to_assign_seconds_count'),
    // The verifier pool: proofs / pairing checks = mean batch size.
    proofs: v('pm_verifier_proofs_total'), checks: v('pm_verifier_checks_total'),
  };
}
const brokerAssignMs = (a: { assignS: number; assignN: number }, b: { assignS: number; assignN: number }) => +((b.assignS - a.assignS) * 1000 / (b.assignN - a.assignN)).toFixed(1);

/** The broker's counters once it is idle again (< 25 ms CPU in 250 ms, at most 20 s from now). */
async function idle(url: string, pid?: number): Promise<Awaited<ReturnType<typeof scrape>>> {
  let m1 = await scrape(url, pid);
  for (const end = performance.now() + 20_000; performance.now() < end;) {
    await new Promise((r) => setTimeout(r, 250));
    const m = await scrape(url, pid);
    const busy = m.cpuS - m1.cpuS >= 0.025;
    m1 = m;
    if (!busy) break;
  }
  return m1;
}

/** Distinct valid inputs for example_bn254 (a fresh public key and private vector; the factorisation kept). */
let bn254: ReturnType<typeof circuitsByCurve>['bn254'] | null = null;
const circuit = () => (bn254 ??= circuitsByCurve().bn254);
function input(i: number, rnd: () => bigint): string {
  return JSON.stringify({ ...freshInput(circuit(), rnd), key: String((rnd() % (1n << 200n)) + BigInt(i)) });
}

/**
 * `n` inputs with valid proofs (snarkjs fullProve), cached in the OS temp dir by the zkey's hash:
 * proving them takes ~0.1–0.3 s each on this machine, so only the first run pays.
 */
async function provenInputs(n: number): Promise<{ input: string; key: string; answer: Answer }[]> {
  const c = circuit();
  const zh = crypto.createHash('sha256').update(fs.readFileSync(c.zkey)).digest('hex').slice(0, 16);
  const file = path.join(os.tmpdir(), `pm-bench-market-proofs-${zh}.json`);
  let cached: { input: string; key: string; answer: Answer }[] = [];
  try { cached = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { /* none yet */ }
  if (cached.length >= n) return cached.slice(0, n);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const snarkjs = require('snarkjs') as { groth16: { fullProve(i: unknown, w: string, z: string): Promise<{ proof: unknown; publicSignals: string[] }> } };
  const rnd = seededRandom('bench-market-proofs').next;
  console.log(`proving ${n - cached.length} inputs for the DONE phase (cached in ${file})`);
  while (cached.length < n) {
    const inp = input(cached.length, rnd);
    const { proof, publicSignals } = await snarkjs.groth16.fullProve(JSON.parse(inp), c.wasm, c.zkey);
    cached.push({ input: inp, key: String(JSON.parse(inp).key), answer: { proofJson: JSON.stringify(proof), publicJson: JSON.stringify(publicSignals) } });
  }
  fs.writeFileSync(file, JSON.stringify(cached));
  return cached;
}

/**
 * SubmitJob on one channel, answering the new job's id: `req` built beforehand (see `request`),
 * the API key as the `authorization` header (what MarketClient's interceptor sets on every call).
 */
type Submitter = { submit(req: Prepared): Promise<{ id: string }>; close(): void };
type Prepared = { obj: SubmitJobRequest; bytes: Buffer };
const CLIENT = process.argv.includes('--client') ? process.argv[process.argv.indexOf('--client') + 1] : 'grpc-js';
function submitter(address: string, apiKey: string): Submitter {
  return CLIENT === 'grpc-js' ? stubSubmitter(address, apiKey) : http2Submitter(address, apiKey);
}

function stubSubmitter(address: string, apiKey: string): Submitter {
  const c = newMarketClient(address, grpcJs.credentials.createInsecure(), clientOptions({}));
  const md = new grpcJs.Metadata();
  md.set('authorization', `Bearer ${apiKey}`);
  return {
    submit: (req) => new Promise((resolve, reject) => c.submitJob(req.obj, md, (e: grpcJs.ServiceError | null, j?: Job__Output) => e || !j ? reject(e) : resolve(j))),
    close: () => c.close(),
  };
}

/** gRPC over node:http2: one connection, a stream per call (the wire format of grpc-js and every other gRPC client). */
function http2Submitter(address: string, apiKey: string): Submitter {
  const session = http2.connect(`http://${address}`);
  session.on('error', () => {});
  const headers = {
    ':method': 'POST', ':path': '/proofmarket.v1.Market/SubmitJob', 'content-type': 'application/grpc', te: 'trailers',
    authorization: `Bearer ${apiKey}`, 'grpc-accept-encoding': 'identity',
  };
  return {
    submit: (req) => new Promise((resolve, reject) => {
      const st = session.request(headers, { endStream: false });
      const chunks: Buffer[] = [];
      let status: string | undefined; let message = '';
      st.on('response', (h) => { if (h['grpc-status'] !== undefined) { status = String(h['grpc-status']); message = String(h['grpc-message'] ?? ''); } });
      st.on('trailers', (t) => { status = String(t['grpc-status']); message = String(t['grpc-message'] ?? ''); });
      st.on('data', (c: Buffer) => chunks.push(c));
      st.on('error', reject);
      st.on('close', () => {
        if (status !== '0') { reject(new Error(`SubmitJob: grpc-status ${status} ${decodeURIComponent(message)}`)); return; }
        const id = jobIdOf(Buffer.concat(chunks));
        if (id === null) reject(new Error('SubmitJob: an answer without a Job id')); else resolve({ id });
      });
      st.end(req.bytes);
    }),
    close: () => session.close(),
  };
}

/** A gRPC frame (flag 0, big-endian length, message) carrying `msg`. */
function frame(msg: Uint8Array): Buffer {
  const out = Buffer.alloc(5 + msg.length);
  out.writeUInt32BE(msg.length, 1);
  out.set(msg, 5);
  return out;
}

/** Job.id (field 1, a string) from a framed Job message; null when absent. */
function jobIdOf(framed: Buffer): string | null {
  if (framed.length < 5) return null;
  const end = 5 + framed.readUInt32BE(1);
  let i = 5;
  const varint = (): number => { let v = 0; let shift = 0; for (;;) { const b = framed[i++]; v += (b & 0x7f) * 2 ** shift; if (b < 0x80) return v; shift += 7; } };
  while (i < end) {
    const key = varint(); const wire = key & 7; const field = Math.floor(key / 8);
    if (wire === 2) { const n = varint(); if (field === 1) return framed.toString('utf8', i, i + n); i += n; }
    else if (wire === 0) varint();
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else return null;
  }
  return null;
}

/** The SubmitJob request of one bench job, built and encoded before the clock starts. */
function request(input: string, requestId: string): Prepared {
  const obj: SubmitJobRequest = { circuit: 'example_bn254', inputJson: input, requestId, deadlineMs: '0', maxPrice: '0', minOnTime: 0, offer: '0' };
  const ser = (marketCtor().service.SubmitJob as unknown as { requestSerialize(o: unknown): Buffer }).requestSerialize;
  return { obj, bytes: frame(ser(obj)) };
}

/** `count` submits by `clients` concurrent callers; the ids in submit order with their start times. */
async function submitAll(pool: Submitter[], clients: number, inputs: string[], reqPrefix: string, sentAt: Map<string, number>): Promise<void> {
  const reqs = inputs.map((inp, i) => request(inp, `${reqPrefix}-${i}`));
  let next = 0;
  await Promise.all(Array.from({ length: clients }, async (_, k) => {
    const c = pool[k % pool.length];
    for (;;) {
      const i = next++;
      if (i >= reqs.length) return;
      const start = performance.now();
      const j = await c.submit(reqs[i]);
      sentAt.set(j.id, start);
    }
  }));
}

async function runOne(label: string, extra: string[], jobs: number, warmup: number, clients: number, channels: number, rates: number[], proven: { input: string; key: string; answer: Answer }[]) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-bench-submit-'));
  const b = await startBroker(dataDir, extra);
  try {
    const pool = Array.from({ length: channels }, () => submitter(b.address, b.clientKey));
    const c0 = new MarketClient(b.address, { apiKey: b.clientKey });
    const dir = path.join(ROOT, 'circuits', 'build', 'example_bn254');
    await c0.registerCircuit({ name: 'example_bn254', wasm: path.join(dir, 'example_bn254.wasm'), zkey: path.join(dir, 'example_bn254.zkey'),
      vkey: path.join(dir, 'verification_key.json'), sym: path.join(dir, 'example_bn254.sym') });
    const assignedAt = new Map<string, number>();
    const answers = new Map(proven.map((p) => [p.key, p.answer]));
    const resultAt = new Map<string, number>(); const ackAt = new Map<string, number>(); const acks = new Map<string, number>(); const acked = new Set<string>();
    const prover = await instantProver(b.address, b.proverKey, {
      answer: (inputJson) => (answers.size ? answers.get(String((JSON.parse(inputJson) as { key?: unknown }).key)) : undefined),
      onAssigned: (id, at) => { assignedAt.set(id, at); }, onResult: (id, at) => { resultAt.set(id, at); },
      onAck: (id, status, _msg, at) => { acked.add(id); acks.set(status, (acks.get(status) ?? 0) + 1); if (status === 'accepted') ackAt.set(id, at); } });
    const waitFor = async (cond: () => boolean | Promise<boolean>, ms: number, step = 20) => {
      for (const end = performance.now() + ms; performance.now() < end && !(await cond());) await new Promise((r) => setTimeout(r, step));
    };
    const rnd = seededRandom('bench-market').next;
    const inputs = Array.from({ length: jobs + warmup }, (_, i) => input(i, rnd));

    // Warm-up, not counted: the first submits compile the input probe, and the JIT compiles the hot
    // paths (on V8's helper threads: a few hundred submissions' worth of CPU), as in a broker that
    // has been running a while. `warmup` submits from the clients (the first alone), all assigned
    // and the broker idle again before the clock starts.
    await c0.submit({ circuit: 'example_bn254', input: inputs[jobs] });
    await submitAll(pool, clients, inputs.slice(jobs + 1, jobs + warmup), 'warmup', new Map());
    await waitFor(() => assignedAt.size >= warmup, 60_000);
    await idle(b.metrics);
    assignedAt.clear();
    // Phase 1: submit → assignment.
    const sentAt = new Map<string, number>();
    const pid = b.child.pid;
    const m0 = await scrape(b.metrics, pid);
    const cpu0 = process.cpuUsage();
    const load0 = os.loadavg()[0];
    const t0 = performance.now();
    await submitAll(pool, clients, inputs.slice(0, jobs), 'bench', sentAt);
    const tSubmit = performance.now() - t0;
    const cpu1 = process.cpuUsage(cpu0);
    await waitFor(() => [...sentAt.keys()].every((id) => assignedAt.has(id)), 120_000);
    // Work the submits left behind (each job's statement, computed in the witness pool after the
    // assignment) counts too: the window ends when the broker is idle again (< 25 ms CPU in 250 ms).
    const m1 = await idle(b.metrics, pid);
    const lat = [...sentAt].filter(([id]) => assignedAt.has(id)).map(([id, t]) => assignedAt.get(id)! - t);
    const r = {
      store: label, jobs, clients, channels, submissionsPerS: Math.round(jobs / (tSubmit / 1000)),
      assigned: lat.length, p50Ms: +q(lat, 0.5).toFixed(1), p99Ms: +q(lat, 0.99).toFixed(1), maxMs: +Math.max(...lat).toFixed(1),
      brokerAssignMeanMs: brokerAssignMs(m0, m1),
      brokerCpuMsPerSubmit: +((m1.cpuS - m0.cpuS) * 1000 / jobs).toFixed(2), brokerMainCpuMsPerSubmit: +((m1.mainS - m0.mainS) * 1000 / jobs).toFixed(2), clientCpuMsPerSubmit: +((cpu1.user + cpu1.system) / 1000 / jobs).toFixed(2),
      transactionsPerSubmit: +((m1.tx - m0.tx) / jobs).toFixed(2), commitsPerSubmit: +((m1.commits - m0.commits) / jobs).toFixed(3),
      loadAvg: +((load0 + os.loadavg()[0]) / 2).toFixed(2),
      done: 0, donePerS: 0, doneLoadAvg: 0, doneP50Ms: 0, doneP99Ms: 0, doneBrokerCpuMs: 0, doneMainCpuMs: 0, doneCommitsPerJob: 0, doneMeanBatch: 0,
      pipeDone: 0, pipeDonePerS: 0, pipeP50Ms: 0, pipeP99Ms: 0, pipeBrokerCpuMs: 0, pipeMainCpuMs: 0, pipeMeanBatch: 0, pipeLoadAvg: 0, acks: {} as Record<string, number>,
      open: [] as Record<string, number>[],
    };
    console.log(`${label.padEnd(8)} ${String(r.submissionsPerS).padStart(6)} submissions/s   submit → assignment p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms; mean created → ASSIGNED in the broker's store ${r.brokerAssignMeanMs} ms `
      + `(${r.assigned}/${jobs} assigned; CPU per submission: broker ${r.brokerCpuMsPerSubmit} ms (main thread ${r.brokerMainCpuMsPerSubmit}), clients ${r.clientCpuMsPerSubmit} ms; ${r.transactionsPerSubmit} store transactions in ${r.commitsPerSubmit} COMMITs per submission; `
      + `${clients} clients on ${channels} channels; load average ${r.loadAvg})`);
    // Phase 1b: latency at a fixed offered rate (open loop): with C clients each submitting as soon as
    // its last answer came (phase 1), every submit waits C / throughput on average (Little's law),
    // so p99 there measures the backlog, not the path. Here jobs start every 1000/rate ms (at most C
    // in flight), and submit → assignment is the path's own latency at that load.
    let skip = jobs + warmup;
    for (const rate of rates.filter((x) => x > 0)) {
      const n = Math.max(50, Math.round(rate * OPEN_SECONDS));
      const open = Array.from({ length: n }, (_, i) => request(input(skip + i, rnd), `open-${rate}-${i}`));
      skip += n;
      const sent = new Map<string, number>();
      let inFlight = 0; let started = 0; let late = 0;
      let freed: (() => void) | null = null;
      const rpc: number[] = [];
      // The previous phase's trailing work (statements) done first; this row's CPU window is its
      // sends until the last assignment (at a steady rate the statements keep pace, and waiting for
      // the broker to be idle again would add seconds of its idle polling to a 2 s row).
      await idle(b.metrics, pid);
      const ocpu0 = process.cpuUsage(); const om0 = await scrape(b.metrics, pid);
      const probe = process.env.PM_SUBMIT_TRACE ? lagProbe() : null;
      const tOpen = performance.now();
      const all: Promise<void>[] = [];
      for (let i = 0; i < n; i++) {
        const due = tOpen + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait)); else if (wait < -5) late++;
        // At most `clients` in flight: wait for one to finish (a wake-up, not a busy loop: that burnt the clients' CPU whenever the broker fell behind).
        while (inFlight >= clients) await new Promise<void>((r) => { freed = r; });
        inFlight++; started++;
        const start = performance.now();
        all.push(pool[i % pool.length].submit(open[i])
          .then((j) => { sent.set(j.id, start); rpc.push(performance.now() - start); }).finally(() => { inFlight--; const f = freed; freed = null; f?.(); }));
      }
      await Promise.all(all);
      const achieved = n / ((performance.now() - tOpen) / 1000);
      const ocpu1 = process.cpuUsage(ocpu0);
      await waitFor(() => [...sent.keys()].every((id) => assignedAt.has(id)), 60_000);
      const om1 = await scrape(b.metrics, pid);
      const ol = [...sent].filter(([id]) => assignedAt.has(id)).map(([id, t]) => assignedAt.get(id)! - t);
      const row = { rate, achieved: Math.round(achieved), p50Ms: +q(ol, 0.5).toFixed(1), p99Ms: +q(ol, 0.99).toFixed(1), rpcP50Ms: +q(rpc, 0.5).toFixed(1), rpcP99Ms: +q(rpc, 0.99).toFixed(1), brokerAssignMeanMs: brokerAssignMs(om0, om1),
        late, brokerCpuMsPerSubmit: +((om1.cpuS - om0.cpuS) * 1000 / n).toFixed(2), brokerMainCpuMsPerSubmit: +((om1.mainS - om0.mainS) * 1000 / n).toFixed(2), clientCpuMsPerSubmit: +((ocpu1.user + ocpu1.system) / 1000 / n).toFixed(2), loadAvg: +os.loadavg()[0].toFixed(2),
        commits: om1.commits - om0.commits, commitsOver2: om1.commitsOver2 - om0.commitsOver2, commitsOver5: om1.commitsOver5 - om0.commitsOver5,
        writtenBytesPerSubmit: Math.round((om1.wchar - om0.wchar) / n), ckptInline: om1.ckptInline - om0.ckptInline, ckptWorker: om1.ckptWorker - om0.ckptWorker };
      r.open.push(row);
      // PM_SUBMIT_TRACE=FILE: the broker writes FILE (broker/submit-trace.ts); this row's per-job
      // submit start and assignment (ms on the system's monotonic clock) go to FILE.client-RATE.json beside it.
      if (process.env.PM_SUBMIT_TRACE) {
        const o = monoOffset();
        probe?.stop();
        fs.writeFileSync(`${process.env.PM_SUBMIT_TRACE}.client-${rate}.json`, JSON.stringify({ stalls: probe?.stalls, jobs: Object.fromEntries([...sent]
          .map(([id, t]) => [id, [o + t, o + (assignedAt.get(id) ?? NaN)]])) }));
      }
      console.log(`${label.padEnd(8)} ${String(rate).padStart(6)} submissions/s offered (${row.achieved}/s achieved, ${started} jobs): submit → assignment p50 ${row.p50Ms} ms, `
        + `p99 ${row.p99Ms} ms (mean created → ASSIGNED in the broker's store ${row.brokerAssignMeanMs} ms); the submit call alone p50 ${row.rpcP50Ms} ms, p99 ${row.rpcP99Ms} ms (${late} sends fell behind the schedule; `
        + `CPU per submission: broker ${row.brokerCpuMsPerSubmit} ms (main thread ${row.brokerMainCpuMsPerSubmit}), clients ${row.clientCpuMsPerSubmit} ms; ${row.commits} COMMITs${Number.isFinite(row.commitsOver2) ? `, ${row.commitsOver2} over 2 ms, ${row.commitsOver5} over 5 ms` : ' (their durations: SQLite only)'}; `
        + `${row.writtenBytesPerSubmit} bytes written per submission; WAL checkpoints: ${row.ckptWorker} in the worker, ${row.ckptInline} inline; load average ${row.loadAvg})`);
    }
    // Phase 2: DONE. Each job's proof was made beforehand; the broker checks its statement and
    // verifies it. A job is DONE when its "accepted" ack reaches the prover (sent right after the
    // DONE transition commits), so nothing polls the broker meanwhile.
    //  2a. results: all D jobs submitted and assigned first (the prover holds them), then all D
    //      results written at once: jobs DONE/s from the first result to the last DONE (what the
    //      market can verify and settle), p50/p99 result → DONE, broker CPU per DONE job.
    //  2b. pipeline: D more jobs, each answered the moment it is assigned: jobs DONE/s from the
    //      first submit to the last DONE (submit, dispatch, statement and verification share the
    //      cores), p50/p99 result → DONE.
    if (proven.length) {
      const doneIn = (ids: Iterable<string>) => [...ids].filter((id) => ackAt.has(id)).length;
      // Every result gets one final ack (accepted, rejected, recorded or stale).
      const settle = (ids: Set<string>) => waitFor(() => [...ids].every((id) => acked.has(id)), 300_000, 10);
      const latency = (ids: Iterable<string>) => [...ids].filter((id) => ackAt.has(id) && resultAt.has(id)).map((id) => ackAt.get(id)! - resultAt.get(id)!);
      // 2a
      prover.hold = true;
      const heldIds = new Map<string, number>();
      await submitAll(pool, clients, proven.map((p) => p.input), 'done', heldIds);
      await waitFor(() => [...heldIds.keys()].every((id) => assignedAt.has(id)), 120_000);
      await idle(b.metrics, pid);
      prover.hold = false;
      const ids = new Set(heldIds.keys());
      const mA = await scrape(b.metrics, pid);
      const loadA = os.loadavg()[0];
      const tA = performance.now();
      const sent = prover.release();
      await settle(ids);
      const tDone = Math.max(...[...ids].map((id) => ackAt.get(id) ?? 0)) - tA;
      const mA1 = await idle(b.metrics, pid);
      const done = doneIn(ids); const la = latency(ids);
      Object.assign(r, {
        done, donePerS: +(done / (tDone / 1000)).toFixed(1), doneP50Ms: +q(la, 0.5).toFixed(1), doneP99Ms: +q(la, 0.99).toFixed(1),
        doneBrokerCpuMs: +((mA1.cpuS - mA.cpuS) * 1000 / Math.max(1, done)).toFixed(2), doneMainCpuMs: +((mA1.mainS - mA.mainS) * 1000 / Math.max(1, done)).toFixed(2), doneCommitsPerJob: +((mA1.commits - mA.commits) / Math.max(1, done)).toFixed(3),
        doneMeanBatch: +((mA1.proofs - mA.proofs) / (mA1.checks - mA.checks)).toFixed(1),
        doneLoadAvg: +((loadA + os.loadavg()[0]) / 2).toFixed(2),
      });
      console.log(`${label.padEnd(8)} ${String(r.donePerS).padStart(6)} jobs DONE/s        ${done}/${sent} results sent at once → DONE in ${(tDone / 1000).toFixed(2)} s; result → DONE p50 ${r.doneP50Ms} ms, p99 ${r.doneP99Ms} ms; `
        + `broker CPU ${r.doneBrokerCpuMs} ms per DONE job (verification included; main thread ${r.doneMainCpuMs}), ${r.doneCommitsPerJob} COMMITs per job, ${r.doneMeanBatch} proofs per pairing check; load average ${r.doneLoadAvg}`);
      // 2b
      const pipeIds = new Map<string, number>();
      const mB = await scrape(b.metrics, pid);
      const loadB = os.loadavg()[0];
      const tB = performance.now();
      await submitAll(pool, clients, proven.map((p) => p.input), 'pipe', pipeIds);
      const pids = new Set(pipeIds.keys());
      await settle(pids);
      const tPipe = Math.max(...[...pids].map((id) => ackAt.get(id) ?? 0)) - tB;
      const mB1 = await idle(b.metrics, pid);
      const pdone = doneIn(pids); const lb = latency(pids);
      Object.assign(r, {
        pipeDone: pdone, pipeDonePerS: +(pdone / (tPipe / 1000)).toFixed(1), pipeP50Ms: +q(lb, 0.5).toFixed(1), pipeP99Ms: +q(lb, 0.99).toFixed(1),
        pipeBrokerCpuMs: +((mB1.cpuS - mB.cpuS) * 1000 / Math.max(1, pdone)).toFixed(2), pipeMainCpuMs: +((mB1.mainS - mB.mainS) * 1000 / Math.max(1, pdone)).toFixed(2),
        pipeMeanBatch: +((mB1.proofs - mB.proofs) / (mB1.checks - mB.checks)).toFixed(1), pipeLoadAvg: +((loadB + os.loadavg()[0]) / 2).toFixed(2),
        acks: Object.fromEntries(acks),
      });
      console.log(`${label.padEnd(8)} ${String(r.pipeDonePerS).padStart(6)} jobs DONE/s        ${pdone}/${pids.size} submitted and answered on assignment → DONE in ${(tPipe / 1000).toFixed(2)} s; result → DONE p50 ${r.pipeP50Ms} ms, `
        + `p99 ${r.pipeP99Ms} ms; broker CPU ${r.pipeBrokerCpuMs} ms per job (submit to DONE; main thread ${r.pipeMainCpuMs}), ${r.pipeMeanBatch} proofs per pairing check; load average ${r.pipeLoadAvg}`);
      const other = [...acks].filter(([k]) => k !== 'accepted');
      if (other.length) console.log(`${label.padEnd(8)} acks other than "accepted": ${other.map(([k, n]) => `${k} ${n}`).join(', ')}`);
    }
    prover.stop(); for (const c of pool) c.close(); c0.close();
    return r;
  } finally {
    b.child.kill('SIGTERM');
    await new Promise((r) => b.child.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const jobs = arg('jobs', 1000); const warmup = Math.max(1, arg('warmup', 300)); const clients = arg('clients', 32); const channels = arg('channels', 4); const doneN = arg('done', 1000);
  const ri = process.argv.indexOf('--rate');
  const rates = (ri > 0 ? process.argv[ri + 1] : '200,500,1000').split(',').map(Number); // open-loop phase: offered submissions/s (0 = skip)
  console.log(`bench:market (submit path): ${jobs} jobs with distinct inputs after ${warmup} warm-up submissions, example_bn254, clients on ${CLIENT === 'grpc-js' ? 'grpc-js' : 'node:http2'}, ${os.cpus().length} cores, node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const proven = doneN > 0 ? await provenInputs(doneN) : [];
  const only = process.env.PM_BENCH_ONLY ?? ''; // 'sqlite' or 'postgres': one store only (profiling)
  const results = only === 'postgres' ? [] : [await runOne('sqlite', [], jobs, warmup, clients, channels, rates, proven)];
  if (process.env.PM_BENCH_PG_URL && only !== 'sqlite') {
    // A fresh database per run: the broker's local accounts (and their request ids) start empty.
    const db = await freshPgDatabase('bench_market', process.env.PM_BENCH_PG_URL);
    try { results.push(await runOne('postgres', ['--store', db.url], jobs, warmup, clients, channels, rates, proven)); } finally { await db.drop(); }
  }
  // PM_BENCH_OUT=FILE: the JSON goes there instead (test/e2e/submit-trace.test.ts, a throwaway run).
  const out = process.env.PM_BENCH_OUT || path.join(ROOT, 'bench', 'results', `market-submit-${os.hostname()}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), results }, null, 2) + '\n');
  console.log(`wrote ${out}`);
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
