// Large keys: the broker never routes a job to a prover whose largest device memory (host RAM for
// cpu, card memory for cuda, as advertised in its capabilities) is smaller than the circuit's
// proving key. Pure matching function, no I/O; random sizes with the seed printed.
import * as assert from 'assert';
import { chooseProver, keyBytes, type MatchCandidate } from '../../broker/match';
import { DEFAULT_MONEY_POLICY, type CircuitRecord, type JobRecord } from '../../broker/store/types';
import { prng, randomSeed, sampleCircuit } from './helpers';

function withKey(bytes: number): CircuitRecord {
  const c = sampleCircuit();
  return { ...c, artifacts: [...c.artifacts.filter((a) => a.kind !== 'ZKEY'), { kind: 'ZKEY', size: bytes, sha256: '00'.repeat(32) }] };
}
const job: JobRecord = {
  id: 'j1', ownerAccountId: 'a', requestId: 'r', circuitId: 'c', state: 'QUEUED', inputJson: '{}', witness: null, payloadSha256: '',
  attempts: 0, maxAttempts: 3, proverId: '', leaseToken: '', leaseExpiresMs: 0, progress: 0, stage: '', proofJson: '', publicJson: '',
  backend: '', proveMs: 0, error: '', excluded: [], deadlineMs: 0, maxPrice: '0', price: '0', stake: '0', createdMs: 0, updatedMs: 0,
};
const cand = (id: string, memoryBytes?: number): MatchCandidate => ({
  proverId: id, curves: ['bn254', 'bls12-381'], maxConstraints: 0, price: 0n, pricePerMConstraints: 0n, reputation: 0, active: 0, slots: 1,
  freeStake: 0n, ...(memoryBytes === undefined ? {} : { memoryBytes }),
});

describe('match: large keys go only where they fit', () => {
  it('a key larger than every device is not routed (reason "memory"); unknown memory means no limit', () => {
    const c = withKey(40 * 2 ** 30); // a PoRep-sized key, 40 GiB
    assert.strictEqual(keyBytes(c), 40 * 2 ** 30);
    const m = chooseProver(job, c, [cand('small', 32 * 2 ** 30)], DEFAULT_MONEY_POLICY);
    assert.deepStrictEqual(m, { none: 'memory' });
    const m2 = chooseProver(job, c, [cand('small', 32 * 2 ** 30), cand('big', 512 * 2 ** 30)], DEFAULT_MONEY_POLICY);
    assert.strictEqual('none' in m2 ? m2.none : m2.proverId, 'big');
    const m3 = chooseProver(job, c, [cand('unknown')], DEFAULT_MONEY_POLICY);
    assert.strictEqual('none' in m3 ? m3.none : m3.proverId, 'unknown');
  });

  it('random keys and provers: the chosen prover always fits the key, and none is chosen only when none fits', () => {
    const seed = randomSeed();
    console.log(`      match-memory: seed ${seed} (replay with PM_SEED=${seed})`);
    const rnd = prng(seed);
    for (let i = 0; i < 500; i++) {
      const key = Math.floor(rnd() * 100 * 2 ** 30);
      const cs = Array.from({ length: 1 + Math.floor(rnd() * 4) }, (_, k) => cand(`p${k}`, Math.floor(rnd() * 100 * 2 ** 30)));
      const m = chooseProver(job, withKey(key), cs, DEFAULT_MONEY_POLICY);
      const fits = cs.filter((c) => key <= c.memoryBytes!);
      if ('none' in m) {
        assert.strictEqual(fits.length, 0, `seed ${seed} case ${i}: a prover fits but none was chosen`);
        assert.strictEqual(m.none, 'memory');
      } else {
        assert.ok(fits.some((c) => c.proverId === m.proverId), `seed ${seed} case ${i}: ${m.proverId} does not fit a ${key}-byte key`);
      }
    }
  });
});
