// Groth16 keys of the tiny mul3 test circuit (test/broker/fixtures/bn254) made at test time with
// snarkjs, for the setup-soundness cases: an un-contributed key (`groth16 setup` only: delta =
// gamma), and two different contributions of the same circuit (same alpha, beta, gamma, IC
// structure; different delta). A 2^3 powers-of-tau file with one contribution, so it takes a few
// seconds.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from './procs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const snarkjs: any = require('snarkjs');

export interface Mul3Setups {
  dir: string;
  r1cs: string; wasm: string; sym: string;
  /** `groth16 setup` output, no phase-2 contribution. */
  zkey0: string; vkey0: string;
  /** One contribution on top of zkey0. */
  zkey1: string; vkey1: string;
  /** Another contribution on top of zkey1: same circuit, different delta. */
  zkey2: string; vkey2: string;
}

let made: Promise<Mul3Setups> | null = null;

const quiet = { info() {}, warn() {}, debug() {}, error() {} };

/** Builds the keys once per test process (in a temp dir removed at exit). */
export function mul3Setups(): Promise<Mul3Setups> {
  made ??= (async () => {
    const fx = path.join(ROOT, 'test', 'broker', 'fixtures', 'bn254');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-setups-'));
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    const f = (n: string) => path.join(dir, n);
    for (const n of ['mul3.r1cs', 'mul3.wasm', 'mul3.sym']) fs.copyFileSync(path.join(fx, n), f(n));
    await snarkjs.powersOfTau.newAccumulator(await curve(), 3, f('p0.ptau'), quiet);
    await snarkjs.powersOfTau.contribute(f('p0.ptau'), f('p1.ptau'), 'tau', 'tau entropy ' + Math.random(), quiet);
    await snarkjs.powersOfTau.preparePhase2(f('p1.ptau'), f('pot.ptau'), quiet);
    await snarkjs.zKey.newZKey(f('mul3.r1cs'), f('pot.ptau'), f('z0.zkey'), quiet);
    await snarkjs.zKey.contribute(f('z0.zkey'), f('z1.zkey'), 'one', 'entropy one ' + Math.random(), quiet);
    await snarkjs.zKey.contribute(f('z1.zkey'), f('z2.zkey'), 'two', 'entropy two ' + Math.random(), quiet);
    for (const i of [0, 1, 2]) {
      fs.writeFileSync(f(`v${i}.json`), JSON.stringify(await snarkjs.zKey.exportVerificationKey(f(`z${i}.zkey`), quiet)));
    }
    return {
      dir, r1cs: f('mul3.r1cs'), wasm: f('mul3.wasm'), sym: f('mul3.sym'),
      zkey0: f('z0.zkey'), vkey0: f('v0.json'), zkey1: f('z1.zkey'), vkey1: f('v1.json'), zkey2: f('z2.zkey'), vkey2: f('v2.json'),
    };
  })();
  return made;
}

async function curve(): Promise<unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('ffjavascript') as { buildBn128(single?: boolean): Promise<unknown> }).buildBn128(true);
}
