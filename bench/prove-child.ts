// One Groth16 proof in its own process, so its peak RSS can be read alone:
//
//   node dist/bench/prove-child.js snarkjs|cpu|cuda ZKEY WTNS
//
// Prints one JSON line: { ms, maxRssKB, proof, publicSignals, device }. `ms` covers reading the
// key and witness and proving (snarkjs groth16.prove; native openZkey + prove), not Node's start.
// Native backends then prove once more with the key kept open, as the prover daemon's resident
// keys do (prover/backends/resident.ts), and add { nextMs, nextProof, nextPublicSignals }.
import * as fs from 'fs';

/** This process's peak RSS in KB. On Linux from VmHWM (the high-water mark of this process's
 * own memory map): getrusage's ru_maxrss survives fork + exec, so a child spawned by a large
 * parent would report the parent's size. */
function peakRssKB(): number {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch { /* not Linux */ }
  return process.resourceUsage().maxRSS;
}

async function main(): Promise<void> {
  const [backend, zkey, wtns] = process.argv.slice(2);
  if (!backend || !zkey || !wtns) throw new Error('usage: prove-child snarkjs|cpu|cuda ZKEY WTNS');
  let result: { proof: unknown; publicSignals: string[]; device: string; nextMs?: number; nextProof?: unknown;
    nextPublicSignals?: string[]; cpuMs?: number; nextCpuMs?: number };
  let ms: number;
  if (backend === 'snarkjs') {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const snarkjs: any = require('snarkjs');
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const { proof, publicSignals } = await snarkjs.groth16.prove(zkey, wtns);
    ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const c1 = process.cpuUsage(c0); // ffjavascript's worker threads included
    result = { proof, publicSignals, device: 'snarkjs', cpuMs: (c1.user + c1.system) / 1000 };
  } else if (backend === 'cpu' || backend === 'cuda') {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const native = require('../native/binding/native') as typeof import('../native/binding/native');
    const { ResidentZkeys } = require('../prover/backends/resident') as typeof import('../prover/backends/resident');
    const engine = native.loadNative();
    const keys = new ResidentZkeys(engine, Number.MAX_SAFE_INTEGER);
    try {
      const t0 = process.hrtime.bigint();
      const c0 = process.cpuUsage();
      const wtnsBytes = fs.readFileSync(wtns);
      const first = await keys.acquire(zkey);
      const r = await engine.prove(first.zkey, wtnsBytes, { device: backend });
      first.release();
      ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const c1 = process.cpuUsage(c0);
      const t1 = process.hrtime.bigint();
      const c2 = process.cpuUsage();
      const again = await keys.acquire(zkey);
      if (!again.resident) throw new Error('the key was not kept open between the two proofs');
      const r2 = await engine.prove(again.zkey, fs.readFileSync(wtns), { device: backend });
      again.release();
      const nextMs = Number(process.hrtime.bigint() - t1) / 1e6;
      const c3 = process.cpuUsage(c2);
      // CPU time (all threads, user + system) too: on a loaded machine it is the steadier figure
      result = { proof: r.proof, publicSignals: r.publicSignals, device: r.device, nextMs, nextProof: r2.proof,
        nextPublicSignals: r2.publicSignals, cpuMs: (c1.user + c1.system) / 1000, nextCpuMs: (c3.user + c3.system) / 1000 };
    } finally { await keys.close(); }
  } else {
    throw new Error(`unknown backend ${JSON.stringify(backend)} (expected snarkjs, cpu or cuda)`);
  }
  const maxRssKB = peakRssKB();
  process.stdout.write(JSON.stringify({ ms, maxRssKB, ...result }) + '\n');
}

main().then(() => process.exit(0), (err) => {
  process.stderr.write(`prove-child: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
