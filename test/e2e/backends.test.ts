// One key, every backend: the prover's backends (native cuda/cpu when the addon loads and passes
// its self-test, snarkjs always) each prove the example circuits on both curves from a witness
// the prover computes; snarkjs verifies every proof and rejects it once a public signal changes.

import * as assert from 'assert';
import { Backend, createBackends } from '../../prover/backends';
import { computeWitness, retryableError, WitnessError } from '../../prover/witness';
import { circuitsByCurve, exampleCircuits, ExampleCircuit, freshInput, releaseSnarkjs, seededRandom, verifyProof } from '../helpers/circuits';

describe('prover backends: one key, every backend', function () {
  this.timeout(120_000);
  let backends: Backend[] = [];
  const logs: string[] = [];
  let circuits: Record<'bn254' | 'bls12-381', ExampleCircuit>;

  before(async () => {
    circuits = circuitsByCurve();
    backends = await createBackends({ log: (l) => logs.push(l) });
    console.log(`    backends: ${backends.map((b) => b.name).join(' > ')}${logs.length ? ` (${logs.join('; ')})` : ''}`);
  });

  after(async () => {
    for (const b of backends) await b.close();
    await releaseSnarkjs();
  });

  it('orders backends cuda > cpu > snarkjs, snarkjs always present, and explains a fallback', () => {
    const names = backends.map((b) => b.name);
    assert.strictEqual(names[names.length - 1], 'snarkjs');
    const rank = (n: string) => ['cuda', 'cpu', 'snarkjs'].indexOf(n);
    for (let i = 1; i < names.length; i++) assert.ok(rank(names[i - 1]) <= rank(names[i]), names.join(','));
    if (!names.includes('cpu') && !names.includes('cuda')) {
      assert.ok(logs.some((l) => /falling back to snarkjs/.test(l)), `no fallback reason logged: ${logs.join('; ')}`);
    }
  });

  it('restricting to an unknown backend is a clear error', async () => {
    await assert.rejects(createBackends({ restrict: ['gpu9000'] }), /unknown backend "gpu9000"/);
    const only = await createBackends({ restrict: ['snarkjs'] });
    assert.deepStrictEqual(only.map((b) => b.name), ['snarkjs']);
  });

  for (const curve of ['bn254', 'bls12-381'] as const) {
    it(`every backend proves the ${curve} example; snarkjs verifies it and rejects a tampered public signal`, async () => {
      const c = circuits[curve];
      const rnd = seededRandom(`backends-${curve}`);
      const wtns = await computeWitness(JSON.stringify(freshInput(c, rnd.next)), c.wasm);
      for (const b of backends) {
        const ac = new AbortController();
        const stages: string[] = [];
        const out = await b.prove({ curve, zkeyPath: c.zkey, wtns, signal: ac.signal, onProgress: (s) => stages.push(s) });
        assert.strictEqual(out.backend, b.name);
        const proofJson = JSON.stringify(out.proof);
        const pub = out.publicSignals;
        assert.ok(await verifyProof(c, proofJson, JSON.stringify(pub)), `${b.name}: snarkjs rejects its ${curve} proof`);
        const tampered = [...pub];
        tampered[0] = (BigInt(tampered[0]) + 1n).toString();
        assert.strictEqual(await verifyProof(c, proofJson, JSON.stringify(tampered)), false, `${b.name}: tampered signal accepted`);
      }
    });
  }

  it('a failing constraint assert is a WitnessError (the prover reports it as non-retryable)', async () => {
    const c = circuits.bn254;
    await assert.rejects(computeWitness(JSON.stringify({ ...c.input, a: '0' }), c.wasm), (err: unknown) =>
      err instanceof WitnessError && /witness generation failed/.test((err as Error).message));
    await assert.rejects(computeWitness('{not json', c.wasm), WitnessError);
  });

  it('a witness of another length than the zkey\'s fails on every backend as non-retryable (no endless give-backs)', async () => {
    const all = exampleCircuits();
    const small = all.find((x) => x.name === 'example_bn254')!; const big = all.find((x) => x.name === 'example_bn254_4k')!;
    const wtns = await computeWitness(JSON.stringify(big.input), big.wasm);
    for (const b of backends) {
      await assert.rejects(b.prove({ curve: 'bn254', zkeyPath: small.zkey, wtns, signal: new AbortController().signal, onProgress: () => {} }),
        (err: unknown) => {
          assert.strictEqual(retryableError(err), false, `${b.name}: "${(err as Error).message}" would be given back and retried`);
          return true;
        });
    }
    assert.strictEqual(retryableError(new Error('out of memory, try again')), true);
  });
});
