// Client-side helpers for e2e tests: register an example circuit, wait for a job state.

import type { MarketClient } from '../../src/client/market';
import type { Circuit__Output, Job__Output } from '../../src/common';
import type { ExampleCircuit } from './circuits';
import { sleep } from './procs';

export function registerExample(client: MarketClient, c: ExampleCircuit): Promise<Circuit__Output> {
  return client.registerCircuit({
    name: c.name, wasm: c.wasm, zkey: c.zkey, vkey: c.vkey, r1cs: c.r1cs ?? undefined, sym: c.sym ?? undefined, description: `example (${c.curve})`,
  });
}

/** Polls the job until `pred` holds; fails after `timeoutMs` with the last snapshot. */
export async function waitForJob(client: MarketClient, id: string, pred: (j: Job__Output) => boolean,
  what: string, timeoutMs = 60_000): Promise<Job__Output> {
  const until = Date.now() + timeoutMs;
  let last: Job__Output | null = null;
  while (Date.now() < until) {
    last = await client.getJob(id);
    if (pred(last)) return last;
    await sleep(100);
  }
  throw new Error(`job ${id}: not ${what} within ${timeoutMs} ms (last: ${last?.state} attempts ${last?.attempts} prover ${last?.proverId})`);
}
