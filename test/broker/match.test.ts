// Matching is a pure function: these tests feed it jobs and candidate provers, no broker, no I/O.
// A randomized cross-check compares it with a brute-force reference on fresh inputs (seed printed).
import * as assert from 'assert';
import { chooseProver, type MatchCandidate } from '../../broker/match';
import { askFor, stakeFor } from '../../broker/money';
import { DEFAULT_MONEY_POLICY, type JobRecord } from '../../broker/store/types';
import { prng, randomSeed, sampleCircuit } from './helpers';

const policy = DEFAULT_MONEY_POLICY;
const circuit = { ...sampleCircuit(), constraints: 2_000_000 };

function job(over: Partial<JobRecord> = {}): JobRecord {
  return {
    id: 'j1', ownerAccountId: 'a', requestId: 'r', circuitId: circuit.id, state: 'QUEUED', inputJson: '{}', witness: null, payloadSha256: '',
    attempts: 0, maxAttempts: 3, proverId: '', leaseToken: '', leaseExpiresMs: 0, progress: 0, stage: '', proofJson: '', publicJson: '',
    backend: '', proveMs: 0, error: '', excluded: [], deadlineMs: 0, maxPrice: '1000', price: '0', stake: '0', createdMs: 0, updatedMs: 0, ...over,
  };
}
function cand(id: string, over: Partial<MatchCandidate> = {}): MatchCandidate {
  return { proverId: id, curves: ['bn254'], maxConstraints: 0, price: 0n, pricePerMConstraints: 0n, reputation: 0, active: 0, slots: 1, freeStake: 10n ** 9n, ...over };
}

describe('match (pure)', () => {
  it('cheapest ask wins; the per-million-constraints rate counts (rounded up)', () => {
    assert.strictEqual(askFor(100n, 7n, 2_000_001), 100n + 15n);
    const m = chooseProver(job(), circuit, [cand('a', { price: 300n }), cand('b', { price: 100n, pricePerMConstraints: 50n }), cand('c', { price: 250n })], policy);
    assert.deepStrictEqual(m, { proverId: 'b', price: 200n, stake: stakeFor(200n, policy) });
  });

  it('says why nothing matched: curve, size, price, stake, exclusion, busy, none', () => {
    const why = (cs: MatchCandidate[], j = job()) => { const m = chooseProver(j, circuit, cs, policy); return 'none' in m ? m.none : m.proverId; };
    assert.strictEqual(why([]), 'no_prover');
    assert.strictEqual(why([cand('a', { curves: ['bls12-381'] })]), 'curve');
    assert.strictEqual(why([cand('a', { maxConstraints: 1_000_000 })]), 'too_large');
    assert.strictEqual(why([cand('a', { price: 1001n })]), 'price');
    assert.strictEqual(why([cand('a', { price: 0n })], job({ maxPrice: '0' })), 'a', 'free provers match a job with max price 0');
    assert.strictEqual(why([cand('a', { price: 1n })], job({ maxPrice: '0' })), 'price');
    assert.strictEqual(why([cand('a', { price: 500n, freeStake: 499n })]), 'stake');
    assert.strictEqual(why([cand('a')], job({ excluded: ['a'] })), 'excluded');
    assert.strictEqual(why([cand('a', { active: 1 })]), 'busy');
  });

  it('the prover whose lease on the job just lapsed goes last; then reputation, then load', () => {
    const j = job({ attempts: 1, proverId: 'a' });
    assert.strictEqual((chooseProver(j, circuit, [cand('a'), cand('b', { price: 5n })], policy) as { proverId: string }).proverId, 'b');
    assert.strictEqual((chooseProver(job(), circuit, [cand('a', { reputation: 1 }), cand('b', { reputation: 5 })], policy) as { proverId: string }).proverId, 'b');
    assert.strictEqual((chooseProver(job(), circuit, [cand('a', { slots: 4, active: 3 }), cand('b', { slots: 4, active: 1 })], policy) as { proverId: string }).proverId, 'b');
  });

  it('agrees with a brute-force reference on random markets', () => {
    const seed = randomSeed(); const rnd = prng(seed);
    console.log(`      seed ${seed} (replay with PM_SEED=${seed})`);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    for (let round = 0; round < 500; round++) {
      const j = job({ maxPrice: String(Math.floor(rnd() * 2000)), excluded: rnd() < 0.3 ? ['p1'] : [], attempts: pick([0, 1]), proverId: pick(['', 'p2']) });
      const cs = Array.from({ length: 1 + Math.floor(rnd() * 6) }, (_, i) => cand(`p${i}`, {
        curves: rnd() < 0.8 ? ['bn254'] : ['bls12-381'], maxConstraints: pick([0, 1_000_000, 5_000_000]),
        price: BigInt(Math.floor(rnd() * 1500)), pricePerMConstraints: BigInt(pick([0, 0, 100])), reputation: Math.floor(rnd() * 5),
        active: pick([0, 0, 1]), slots: pick([1, 2]), freeStake: BigInt(Math.floor(rnd() * 3000)),
      }));
      // Reference: filter by every rule, then minimise the lexicographic key.
      const elig = cs.map((c) => ({ c, ask: c.price + (c.pricePerMConstraints * 2_000_000n + 999_999n) / 1_000_000n }))
        .filter(({ c, ask }) => c.active < c.slots && c.curves.includes('bn254') && (c.maxConstraints === 0 || c.maxConstraints >= 2_000_000)
          && !j.excluded.includes(c.proverId) && ask <= BigInt(j.maxPrice) && ask * BigInt(policy.stakeBps) / 10_000n <= c.freeStake);
      const key = ({ c, ask }: { c: MatchCandidate; ask: bigint }) =>
        [j.attempts > 0 && c.proverId === j.proverId ? 1 : 0, Number(ask), -c.reputation, c.active / c.slots, c.proverId] as const;
      elig.sort((x, y) => { const a = key(x); const b = key(y); for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1; return 0; });
      const m = chooseProver(j, circuit, cs, policy);
      if (elig.length === 0) assert.ok('none' in m, `round ${round}: expected no match`);
      else assert.strictEqual((m as { proverId: string }).proverId, elig[0].c.proverId, `round ${round}`);
    }
  });
});
