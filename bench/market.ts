// Market benchmark: a broker and two prover processes on 127.0.0.1 (real gRPC, SQLite store),
// the example BN254 circuit. Reports
//   - latency of one small job, submit → verified result at the client (median of N sequential),
//   - throughput with two provers: M jobs submitted at once, jobs per second until all DONE.
// Usage: node dist/bench/market.js [--jobs M] [--latency-runs N] [--backend snarkjs|cpu|...]
//        [--circuit example_bn254]
// Writes bench/results/market-<host>.json.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MarketClient } from '../src/client/market';
import { exampleCircuits, freshInput, releaseSnarkjs, seededRandom, verifyProof } from '../test/helpers/circuits';
import { ROOT, killAll, startBrokerProc, startProverProc } from '../test/helpers/procs';
import { registerExample } from '../test/helpers/market';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main(): Promise<void> {
  const jobsN = Number(arg('jobs', '40'));
  const latencyRuns = Number(arg('latency-runs', '7'));
  // 'auto' lets each prover pick its best backend (native cpu/cuda when built, else snarkjs).
  const backend = arg('backend', 'auto');
  const only = backend === 'auto' ? undefined : backend;
  const circuitName = arg('circuit', 'example_bn254');
  const c = exampleCircuits().find((x) => x.name === circuitName);
  if (!c) throw new Error(`circuit ${circuitName} not found under circuits/build`);

  const broker = await startBrokerProc({ leaseMs: 10_000, heartbeatMs: 1000 });
  const provers = await Promise.all([
    startProverProc(broker, { name: 'bench-a', backend: only }),
    startProverProc(broker, { name: 'bench-b', backend: only }),
  ]);
  const client = new MarketClient(broker.address, { apiKey: broker.keys.client });
  try {
    await registerExample(client, c);
    const rnd = seededRandom('bench');
    const submit = (label: string) => client.submit({
      circuit: c.name, input: JSON.stringify(freshInput(c, rnd.next)), requestId: `${label}-${rnd.seed}-${Math.random()}`,
    });
    // Warm-up: both provers fetch artifacts and load snarkjs curves.
    await Promise.all([submit('warm'), submit('warm'), submit('warm'), submit('warm')].map(async (p) => client.waitDone((await p).id)));

    const lat: number[] = [];
    for (let i = 0; i < latencyRuns; i++) {
      const t0 = performance.now();
      const j = await submit('lat');
      const done = await client.waitDone(j.id, 90_000);
      if (done.state !== 'JOB_STATE_DONE' || !(await verifyProof(c, done.proof!.proofJson, done.proof!.publicJson))) {
        throw new Error(`latency job ${j.id} ended ${done.state} ${done.error}`);
      }
      lat.push(performance.now() - t0);
    }

    const t0 = performance.now();
    const jobs = await Promise.all(Array.from({ length: jobsN }, () => submit('tput')));
    const done = await Promise.all(jobs.map((j) => client.waitDone(j.id, 90_000)));
    const elapsed = (performance.now() - t0) / 1000;
    const bad = done.filter((j) => j.state !== 'JOB_STATE_DONE');
    if (bad.length) throw new Error(`${bad.length} throughput jobs did not finish: ${bad[0].state} ${bad[0].error}`);
    for (const j of done) {
      if (!(await verifyProof(c, j.proof!.proofJson, j.proof!.publicJson))) throw new Error(`job ${j.id}: proof does not verify`);
    }
    const perProver: Record<string, number> = {};
    for (const j of done) perProver[j.proverId] = (perProver[j.proverId] ?? 0) + 1;
    const proveMs = median(done.map((j) => Number(j.proveMs)));
    const used = [...new Set(done.map((j) => j.backend))].join('+');

    const result = {
      machine: `${os.hostname()} (${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'cpu'})`,
      date: new Date().toISOString(),
      circuit: c.name, curve: c.curve, backend: used,
      latency_ms: { median: Math.round(median(lat)), min: Math.round(Math.min(...lat)), max: Math.round(Math.max(...lat)), runs: lat.length },
      throughput: { jobs: jobsN, seconds: Number(elapsed.toFixed(2)), jobs_per_s: Number((jobsN / elapsed).toFixed(2)), provers: provers.length, per_prover: perProver },
      prover_side_median_prove_ms: proveMs,
    };
    console.log(`circuit ${c.name} (${c.curve}), backend ${used}, 2 prover processes, broker on loopback`);
    console.log(`latency (submit -> verified result at the client): median ${result.latency_ms.median} ms ` +
      `(min ${result.latency_ms.min}, max ${result.latency_ms.max}, ${lat.length} runs); prover-side witness+prove median ${proveMs} ms`);
    console.log(`throughput: ${jobsN} jobs in ${elapsed.toFixed(2)} s = ${result.throughput.jobs_per_s} jobs/s (per prover: ${JSON.stringify(perProver)})`);
    const outDir = path.join(ROOT, 'bench', 'results');
    fs.mkdirSync(outDir, { recursive: true });
    const outFile = path.join(outDir, `market-${os.hostname()}-${used}.json`);
    fs.writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');
    console.log(`wrote ${path.relative(ROOT, outFile)}`);
  } finally {
    client.close();
    await killAll();
    await releaseSnarkjs();
  }
}

main().then(() => process.exit(0), (err) => {
  console.error(`error: ${(err as Error).message}`);
  void killAll().finally(() => process.exit(1));
});
