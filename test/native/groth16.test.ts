// Native Groth16 proofs checked by snarkjs: the committed example circuits on both curves
// (circuits/build/*), a development key made by the engine (pm_dev_setup_r1cs) for the example
// r1cs, and the `cpu` prover backend. Every proof must verify with snarkjs.groth16.verify and
// must stop verifying when a public signal changes.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Curve, NativeError, Zkey } from '../../native/binding/native';
import { createNativeBackends } from '../../prover/backends/native';
import { Backend, ProveAbortedError } from '../../prover/backends/types';
import {
  EXAMPLES, Rng, announceSeed, engine, releaseSnarkjsCurves, requireArtifacts, snarkjs, witnessFor,
} from './util';

const R: Record<Curve, bigint> = {
  'bn254': 21888242871839275222246405745257275088548364400416034343698204186575808495617n,
  'bls12-381': 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n,
};
const SNARKJS_CURVE: Record<Curve, string> = { 'bn254': 'bn128', 'bls12-381': 'bls12381' };

/** The same signals with the first one changed (still a field element). */
function tampered(curve: Curve, pub: string[]): string[] {
  assert.ok(pub.length > 0, 'the example circuit has public signals');
  const out = pub.slice();
  out[0] = ((BigInt(out[0]) + 1n) % R[curve]).toString();
  return out;
}

async function verify(vkey: object, pub: string[], proof: object): Promise<boolean> {
  return snarkjs.groth16.verify(vkey, pub, proof, { info() {}, debug() {}, warn() {}, error() {} });
}

describe('native Groth16 proofs verified by snarkjs', function () {
  this.timeout(300000);
  const rng = new Rng(300);
  let tmp: string;
  before(() => {
    announceSeed();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-native-g16-'));
  });
  after(async () => {
    await releaseSnarkjsCurves();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  for (const c of EXAMPLES) {
    describe(`${c.name} (${c.curve})`, () => {
      it('the committed zkey proves natively; snarkjs accepts it and rejects a changed public signal', async () => {
        requireArtifacts(c, ['zkey', 'wasm', 'vkey', 'input']);
        const vkey = JSON.parse(fs.readFileSync(c.vkey, 'utf8'));
        const wtns = await witnessFor(c);
        const z = await engine().openZkey(c.zkey);
        try {
          assert.strictEqual(z.info.curve, c.curve);
          const events: [string, number][] = [];
          const r = await engine().prove(z, wtns, {
            device: 'cpu', onProgress: (stage, fraction) => events.push([stage, fraction]),
          });
          assert.strictEqual(r.device, 'cpu');
          assert.strictEqual(r.proof.protocol, 'groth16');
          assert.strictEqual(r.proof.curve, SNARKJS_CURVE[c.curve]);
          assert.strictEqual(r.publicSignals.length, z.info.nPublic);
          assert.ok(await verify(vkey, r.publicSignals, r.proof), 'snarkjs rejected a native proof');
          assert.ok(!(await verify(vkey, tampered(c.curve, r.publicSignals), r.proof)),
            'snarkjs accepted a native proof with a changed public signal');
          // Progress arrives, in range, and all of it before the promise settles.
          assert.ok(events.length > 0, 'no progress events');
          for (const [stage, f] of events) assert.ok(stage.length > 0 && f >= 0 && f <= 1, `${stage} ${f}`);

          // Same public signals as snarkjs's own prover; fresh randomness makes a new proof.
          const ref = await snarkjs.groth16.prove(c.zkey, { type: 'mem', data: wtns });
          assert.deepStrictEqual(r.publicSignals, ref.publicSignals);
          const again = await engine().prove(z, wtns, null);
          assert.notDeepStrictEqual(again.proof.pi_a, r.proof.pi_a, 'two proofs used the same randomness');
          assert.ok(await verify(vkey, again.publicSignals, again.proof));
          // public.json text is exactly snarkjs's format (JSON array of decimal strings).
          assert.deepStrictEqual(JSON.parse(r.publicJson), ref.publicSignals);
        } finally {
          z.close();
        }
      });

      it('a dev key (devSetupR1cs) proves natively and verifies against the vkey snarkjs exports', async () => {
        requireArtifacts(c, ['r1cs', 'wasm', 'input']);
        const seed = BigInt(rng.u32()) * 0x100000000n + BigInt(rng.u32());
        const zkeyPath = path.join(tmp, `${c.name}.dev.zkey`);
        await engine().devSetupR1cs(zkeyPath, c.r1cs, seed);
        const vkey = await snarkjs.zKey.exportVerificationKey(zkeyPath);
        const wtns = await witnessFor(c);
        const z = await engine().openZkey(zkeyPath);
        try {
          const r = await engine().prove(z, wtns, { device: 'cpu' });
          assert.ok(await verify(vkey, r.publicSignals, r.proof), `native proof with dev key (seed ${seed}) rejected`);
          assert.ok(!(await verify(vkey, tampered(c.curve, r.publicSignals), r.proof)));
          // One key, every backend: snarkjs proves with the same dev key too.
          const ref = await snarkjs.groth16.prove(zkeyPath, { type: 'mem', data: wtns });
          assert.ok(await verify(vkey, ref.publicSignals, ref.proof), 'snarkjs proof with the dev key rejected');
          assert.deepStrictEqual(r.publicSignals, ref.publicSignals);
        } finally {
          z.close();
        }
      });

      it('the cpu prover backend proves a job that snarkjs verifies, and honours an aborted signal', async () => {
        requireArtifacts(c, ['zkey', 'wasm', 'vkey', 'input']);
        const vkey = JSON.parse(fs.readFileSync(c.vkey, 'utf8'));
        const lines: string[] = [];
        const { backends, warning } = await createNativeBackends((l) => lines.push(l));
        assert.strictEqual(warning, null, `native backends warned: ${warning}`);
        const cpu = backends.find((b) => b.name === 'cpu') as Backend;
        assert.ok(cpu, `no cpu backend (${lines.join('; ')})`);
        try {
          assert.ok(cpu.devices.length === 1 && cpu.devices[0].backend === 'cpu');
          const wtns = await witnessFor(c);
          const fractions: number[] = [];
          const job = {
            curve: c.curve, zkeyPath: c.zkey, wtns, onProgress: (_s: string, f: number) => fractions.push(f),
            signal: new AbortController().signal,
          };
          const out = await cpu.prove(job);
          assert.strictEqual(out.backend, 'cpu');
          assert.ok(await verify(vkey, out.publicSignals, out.proof));
          const second = await cpu.prove(job); // cached zkey handle
          assert.ok(await verify(vkey, second.publicSignals, second.proof));
          assert.ok(fractions.length > 0);

          const ac = new AbortController();
          ac.abort();
          await assert.rejects(cpu.prove({ ...job, signal: ac.signal }), (e: unknown) => e instanceof ProveAbortedError);
          const other: Curve = c.curve === 'bn254' ? 'bls12-381' : 'bn254';
          await assert.rejects(cpu.prove({ ...job, curve: other }),
            (e: unknown) => e instanceof NativeError && e.code === 'MISMATCH');
        } finally {
          for (const b of backends) await b.close();
        }
        await assert.rejects(cpu.prove({
          curve: c.curve, zkeyPath: c.zkey, wtns: new Uint8Array(1), onProgress: () => {},
          signal: new AbortController().signal,
        }), /closed/);
      });
    });
  }

  it('device cuda: proofs verify where there is a card, UNSUPPORTED where there is none', async () => {
    const c = EXAMPLES[0];
    requireArtifacts(c, ['zkey', 'wasm', 'vkey', 'input']);
    const z = await engine().openZkey(c.zkey);
    try {
      const wtns = await witnessFor(c);
      if (engine().info().cudaDevices === 0) {
        await assert.rejects(engine().prove(z, wtns, { device: 'cuda' }),
          (e: unknown) => e instanceof NativeError && e.code === 'UNSUPPORTED');
        return;
      }
      const vkey = JSON.parse(fs.readFileSync(c.vkey, 'utf8'));
      for (const ex of EXAMPLES) {
        requireArtifacts(ex, ['zkey', 'wasm', 'vkey', 'input']);
        const zk = await engine().openZkey(ex.zkey);
        try {
          const r = await engine().prove(zk, await witnessFor(ex), { device: 'cuda' });
          assert.strictEqual(r.device, 'cuda');
          const vk = ex === c ? vkey : JSON.parse(fs.readFileSync(ex.vkey, 'utf8'));
          assert.ok(await verify(vk, r.publicSignals, r.proof), `CUDA proof of ${ex.name} rejected`);
          assert.ok(!(await verify(vk, tampered(ex.curve, r.publicSignals), r.proof)));
        } finally {
          zk.close();
        }
      }
    } finally {
      z.close();
    }
  });

  it('a prove cancelled through its signal mid-proof rejects with CANCELLED', async () => {
    // A synthetic 2^10 chain takes most of a second and reports ~20 progress points: the abort
    // sent from the first one is seen by a later one.
    const dir = path.join(tmp, 'synthetic');
    await engine().devSetupSynthetic(dir, 'bn254', 10, BigInt(rng.u32()));
    const z: Zkey = await engine().openZkey(path.join(dir, 'circuit.zkey'));
    try {
      const wtns = new Uint8Array(fs.readFileSync(path.join(dir, 'witness.wtns')));
      const ac = new AbortController();
      await assert.rejects(engine().prove(z, wtns, { onProgress: () => ac.abort(), signal: ac.signal }),
        (e: unknown) => e instanceof NativeError && e.code === 'CANCELLED');
      // The handle is still good afterwards.
      const ok = await engine().prove(z, wtns, null);
      assert.strictEqual(ok.publicSignals.length, z.info.nPublic);
      const vkey = await snarkjs.zKey.exportVerificationKey(path.join(dir, 'circuit.zkey'));
      assert.ok(await verify(vkey, ok.publicSignals, ok.proof), 'synthetic dev-key proof rejected');
    } finally {
      z.close();
    }
  });
});

