// The mocha hooks every suite that spawns real processes (test/helpers/procs.ts) repeats: show the
// live processes' output when a test fails, kill every spawned process and remove their temp dirs,
// and give back snarkjs's curve workers so mocha can exit.

import { releaseSnarkjs } from './circuits';
import { dumpLive, killAll } from './procs';

export interface LiveProcessHookOptions {
  /**
   * Runs just before the processes are killed: close clients, servers, provers running in this
   * process. It runs in `afterEach` when `perTest` is set, else in `after`.
   */
  close?: () => unknown;
  /** Kill every spawned process after each test (each test starts its own), not once after the suite. */
  perTest?: boolean;
  /** Release snarkjs's curve workers in `after` (default true). */
  snarkjs?: boolean;
  /** Runs last in `after`, once everything is killed and released: drop a database, unset env. */
  finally?: () => unknown;
}

/**
 * Registers, in the calling `describe`, an `afterEach` that prints the last lines of every live
 * process when the test failed (and, with `perTest`, closes and kills), and an `after` that runs
 * `close`, kills every process the procs helpers started, releases snarkjs and runs `finally`,
 * in that order.
 */
export function liveProcessHooks(o: LiveProcessHookOptions = {}): void {
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(dumpLive());
    if (o.perTest) {
      await o.close?.();
      await killAll();
    }
  });
  after(async () => {
    if (!o.perTest) {
      await o.close?.();
      await killAll();
    }
    if (o.snarkjs !== false) await releaseSnarkjs();
    await o.finally?.();
  });
}
