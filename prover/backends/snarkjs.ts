// The reference backend: snarkjs's own Groth16 prover (WebAssembly, ffjavascript worker threads).
// Slow, but always available, and the implementation every native result is checked against.

import * as os from 'os';
import { Backend, DeviceDescription, ProveAbortedError, ProveJob, ProveOutput } from './types';

interface SnarkjsLogger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

interface SnarkjsModule {
  groth16: {
    prove(zkey: string, wtns: { type: 'mem'; data: Uint8Array }, logger?: SnarkjsLogger):
      Promise<{ proof: object; publicSignals: string[] }>;
  };
}

// snarkjs logs these debug lines as it goes through groth16.prove; each maps to how far along
// the proof is (the MSMs dominate on real circuits, the FFTs come before them).
const MILESTONES: [string, number][] = [
  ['Reading Wtns', 0.02],
  ['Reading Coeffs', 0.04],
  ['Building ABC', 0.06],
  ['Join ABC', 0.3],
  ['Reading A Points', 0.35],
  ['Reading B1 Points', 0.5],
  ['Reading B2 Points', 0.6],
  ['Reading C Points', 0.75],
  ['Reading H Points', 0.85],
];

let snarkjsModule: SnarkjsModule | null = null;
function snarkjs(): SnarkjsModule {
  if (!snarkjsModule) snarkjsModule = require('snarkjs') as SnarkjsModule;
  return snarkjsModule;
}

export class SnarkjsBackend implements Backend {
  readonly name = 'snarkjs';
  readonly devices: DeviceDescription[];

  constructor() {
    this.devices = [{
      name: `cpu: ${os.cpus().length} cores (snarkjs wasm)`,
      memoryBytes: os.totalmem(),
      backend: 'snarkjs',
    }];
  }

  async prove(job: ProveJob): Promise<ProveOutput> {
    if (job.signal.aborted) throw new ProveAbortedError();
    let last = 0;
    const report = (msg: string): void => {
      for (const [prefix, fraction] of MILESTONES) {
        if (msg.startsWith(prefix) && fraction > last) {
          last = fraction;
          job.onProgress('proving', fraction);
        }
      }
    };
    const logger: SnarkjsLogger = { debug: report, info: report, warn: () => {}, error: () => {} };
    job.onProgress('proving', 0);
    // snarkjs cannot be interrupted mid-proof; the abort is honoured at the end (the result is
    // dropped), which is what a cancelled or lost lease needs.
    const { proof, publicSignals } = await snarkjs().groth16.prove(
      job.zkeyPath, { type: 'mem', data: job.wtns }, logger);
    if (job.signal.aborted) throw new ProveAbortedError();
    job.onProgress('proving', 1);
    return { proof, publicSignals, backend: this.name };
  }

  async close(): Promise<void> {
    // snarkjs caches its curves (with their worker threads) globally; release them so the
    // process can exit on its own.
    const g = globalThis as unknown as Record<string, { terminate?: () => Promise<void> } | undefined>;
    for (const key of ['curve_bn128', 'curve_bls12381']) {
      const c = g[key];
      if (c && typeof c.terminate === 'function') {
        await c.terminate();
        g[key] = undefined;
      }
    }
  }
}
