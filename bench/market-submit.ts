// `npm run bench:market`: the submit path. One broker process (embedded SQLite; PostgreSQL too
// when PM_BENCH_PG_URL is set and the broker takes --store), one in-process "instant" prover that
// registers with a huge slot count and takes every assignment (it holds the lease and returns
// nothing: this measures the market's side, submit → assignment, not proving or verifying), and
// C concurrent submitting clients sending N jobs with distinct random inputs to the BN254 example
// circuit. Prints submissions/s, p50/p99/max submit → assignment (client's submit call start → the
// prover receiving the assignment, one clock) and the load average; writes JSON to bench/results/.
//
//   node dist/bench/market-submit.js [--jobs N] [--clients C] [--channels K]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn, type ChildProcess } from 'child_process';
import type * as grpc from '@grpc/grpc-js';
import { MarketClient } from '../src/client/market';
import { channelCredentials, clientOptions } from '../src/common/connect';
import { newProverHubClient, type BrokerMessage__Output, type ProverMessage } from '../src/common/proto';
import { circuitsByCurve, freshInput, seededRandom } from '../test/helpers/circuits';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}

function q(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
}

async function startBroker(dataDir: string, extra: string[]): Promise<{ child: ChildProcess; address: string; clientKey: string; proverKey: string }> {
  const nodeArgs = (process.env.PM_BENCH_BROKER_NODE_ARGS ?? '').split(' ').filter(Boolean); // e.g. --cpu-prof
  const child = spawn(process.execPath, [...nodeArgs, CLI, 'broker', '--listen', '127.0.0.1:0', '--data', dataDir, '--local-accounts', '--lease-ms', '600000', '--max-live-jobs', '0', ...extra],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  let buf = '';
  const address = await new Promise<string>((resolve, reject) => {
    const onData = (c: Buffer) => {
      buf += c.toString();
      const m = /broker listening on (\S+)/.exec(buf);
      if (m) resolve(m[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => { buf += c.toString(); if (buf.length > 1e6) buf = buf.slice(-1e5); });
    child.on('exit', (code) => reject(new Error(`broker exited ${code}\n${buf.slice(-2000)}`)));
  });
  child.stdout!.resume(); child.stderr!.resume();
  const key = (n: string) => fs.readFileSync(path.join(dataDir, `${n}.key`), 'utf8').trim();
  return { child, address, clientKey: key('client'), proverKey: key('prover') };
}

/** A prover that takes every assignment at once and reports when each arrived. */
async function instantProver(address: string, apiKey: string, onAssigned: (jobId: string, at: number) => void): Promise<() => void> {
  const connect = { apiKey };
  const c = newProverHubClient(address, channelCredentials(connect), clientOptions(connect));
  type Reg = { proverId: string; proverSecret: string; sessionEpoch: string };
  const res = await new Promise<Reg>((resolve, reject) => c.Register({
    proverKey: `bench-instant-${process.pid}`, name: 'instant',
    capabilities: { curves: ['CURVE_BN254'], backends: ['instant'], maxConstraints: '0', devices: [], bench: [], slots: 1_000_000, price: '0', pricePerMConstraints: '0' },
  }, (e: grpc.ServiceError | null, r?: Reg) => e || !r ? reject(e) : resolve(r)));
  const s = c.Session();
  s.on('data', (m: BrokerMessage__Output) => { if (m.assignment) onAssigned(m.assignment.jobId, performance.now()); });
  s.on('error', () => {});
  s.write({ hello: { proverId: res.proverId, proverSecret: res.proverSecret, sessionEpoch: res.sessionEpoch } } as ProverMessage);
  s.write({ heartbeat: { leaseTokens: [] } } as unknown as ProverMessage);
  return () => { s.cancel(); c.close(); };
}

/** Distinct valid inputs for example_bn254 (a fresh public key and private vector; the factorisation kept). */
const circuit = () => circuitsByCurve().bn254;
function input(i: number, rnd: () => bigint): string {
  return JSON.stringify({ ...freshInput(circuit(), rnd), key: String((rnd() % (1n << 200n)) + BigInt(i)) });
}

async function runOne(label: string, extra: string[], jobs: number, clients: number, channels: number) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-bench-submit-'));
  const b = await startBroker(dataDir, extra);
  try {
    const pool = Array.from({ length: channels }, () => new MarketClient(b.address, { apiKey: b.clientKey }));
    const c0 = pool[0];
    const dir = path.join(ROOT, 'circuits', 'build', 'example_bn254');
    await c0.registerCircuit({ name: 'example_bn254', wasm: path.join(dir, 'example_bn254.wasm'), zkey: path.join(dir, 'example_bn254.zkey'),
      vkey: path.join(dir, 'verification_key.json'), sym: path.join(dir, 'example_bn254.sym') });
    const sentAt = new Map<string, number>();
    const assignedAt = new Map<string, number>();
    let assigned = 0;
    let allAssigned: () => void = () => {};
    const allDone = new Promise<void>((r) => { allAssigned = r; });
    const stop = await instantProver(b.address, b.proverKey, (id, at) => { assignedAt.set(id, at); if (++assigned >= jobs) allAssigned(); });
    const rnd = seededRandom('bench-market').next;
    const inputs = Array.from({ length: jobs + 20 }, (_, i) => input(i, rnd));
    // Warm-up (first submits compile the input probe etc.), not counted.
    for (let i = 0; i < 20; i++) await c0.submit({ circuit: 'example_bn254', input: inputs[jobs + i] });
    assigned = 0; assignedAt.clear();
    let next = 0;
    const load0 = os.loadavg()[0];
    const t0 = performance.now();
    const ids: string[] = [];
    await Promise.all(Array.from({ length: clients }, async (_, k) => {
      const c = pool[k % pool.length];
      for (;;) {
        const i = next++;
        if (i >= jobs) return;
        const start = performance.now();
        const j = await c.submit({ circuit: 'example_bn254', input: inputs[i], requestId: `bench-${i}` });
        sentAt.set(j.id, start); ids.push(j.id);
      }
    }));
    const tSubmit = performance.now() - t0;
    await Promise.race([allDone, new Promise((r) => setTimeout(r, 120_000))]);
    const lat = ids.filter((id) => assignedAt.has(id)).map((id) => assignedAt.get(id)! - sentAt.get(id)!);
    const load1 = os.loadavg()[0];
    stop(); for (const c of pool) c.close();
    const r = {
      store: label, jobs, clients, channels, submissionsPerS: Math.round(jobs / (tSubmit / 1000)),
      assigned: lat.length, p50Ms: +q(lat, 0.5).toFixed(1), p99Ms: +q(lat, 0.99).toFixed(1), maxMs: +Math.max(...lat).toFixed(1),
      loadAvg: +((load0 + load1) / 2).toFixed(2),
    };
    console.log(`${label.padEnd(8)} ${String(r.submissionsPerS).padStart(6)} submissions/s   submit → assignment p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms `
      + `(${r.assigned}/${jobs} assigned; ${clients} clients on ${channels} channels; load average ${r.loadAvg})`);
    return r;
  } finally {
    b.child.kill('SIGTERM');
    await new Promise((r) => b.child.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const jobs = arg('jobs', 1000); const clients = arg('clients', 32); const channels = arg('channels', 4);
  console.log(`bench:market (submit path): ${jobs} jobs with distinct inputs, example_bn254, ${os.cpus().length} cores, node ${process.version}`);
  const results = [await runOne('sqlite', [], jobs, clients, channels)];
  if (process.env.PM_BENCH_PG_URL) results.push(await runOne('postgres', ['--store', process.env.PM_BENCH_PG_URL], jobs, clients, channels));
  const out = path.join(ROOT, 'bench', 'results', `market-submit-${os.hostname()}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), results }, null, 2) + '\n');
  console.log(`wrote ${out}`);
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
