// Routing by measured speed, price and deadline — deterministic simulation with a fake clock and
// fake provers (log-normal service times, prices, failures), no broker, no I/O. The planner
// (broker/route.ts) and the model (broker/model.ts) are pure; Routing (broker/routing.ts) runs on
// a throwaway in-memory store. Seeds are printed; replay with PM_SEED.
import * as assert from 'assert';
import { LatencyModel, etaOf, fitLatency, normalCdf, normalQuantile, remainingGiven, type LatencySample } from '../../broker/model';
import { leaseAtRisk, offerOf, planDispatch, raisedOffer, type Decision, type RouteJob, type RouteProver } from '../../broker/route';
import { calibrationOrder } from '../../broker/challenges';
import { Routing, DEFAULT_ROUTING } from '../../broker/routing';
import { SqliteStore } from '../../broker/store/sqlite';
import { DEFAULT_MONEY_POLICY, type CircuitRecord, type JobRecord, type ProverRecord } from '../../broker/store/types';
import { makeLogger } from '../../src/common/log';
import { prng, randomSeed, sampleCircuit } from './helpers';

const OPTS = { policy: DEFAULT_MONEY_POLICY, verifyMarginMs: 0 };
const circuit: CircuitRecord = { ...sampleCircuit(), constraints: 4096 };

function job(id: string, over: Partial<JobRecord> = {}): JobRecord {
  return {
    id, ownerAccountId: 'a', requestId: id, circuitId: circuit.id, state: 'QUEUED', inputJson: '{}', witness: null, payloadSha256: '',
    attempts: 0, maxAttempts: 3, proverId: '', leaseToken: '', leaseExpiresMs: 0, progress: 0, stage: '', proofJson: '', publicJson: '',
    backend: '', proveMs: 0, error: '', excluded: [], deadlineMs: 0, maxPrice: '1000', price: '0', stake: '0', createdMs: 0, updatedMs: 0, ...over,
  };
}
function prover(id: string, over: Partial<RouteProver> = {}): RouteProver {
  return {
    proverId: id, name: id, curves: ['bn254'], maxConstraints: 0, price: 0n, pricePerMConstraints: 0n, reputation: 0, slots: 1,
    freeStake: 10n ** 12n, state: 'active', fallback: false, running: [], ...over,
  };
}
/** A model where prover P proves `circuit` in a median of medians[P] ms with spread sigma. */
function fixedModel(medians: Record<string, number>, sigma = 0.2) {
  return (p: string) => ({ medianMs: medians[p] ?? 5000, sigma, samples: 10 });
}
const rj = (j: JobRecord, minOnTime = 0.9): RouteJob => ({ job: j, circuit, minOnTime });
const assigned = (ds: Decision[]) => Object.fromEntries(ds.map((d) => [d.jobId, d.kind === 'assign' ? d.proverId : 'wait']));

/** Log-normal sample with the given median and sigma (Box–Muller on a seeded PRNG). */
function lognormal(rnd: () => number, median: number, sigma: number): number {
  const u = Math.max(1e-12, rnd()); const v = rnd();
  return median * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
}

describe('routing (deterministic simulation)', () => {
  const seed = randomSeed();
  before(() => console.log(`      seed ${seed} (replay with PM_SEED=${seed})`));

  describe('latency model', () => {
    it('a log-log fit recovers the median scaling and the spread from noisy samples', () => {
      const rnd = prng(seed);
      const truth = { a: Math.log(3) , b: 1.1, sigma: 0.25 };
      const samples: LatencySample[] = [];
      for (let i = 0; i < 300; i++) {
        const log2 = 10 + Math.floor(rnd() * 7);
        const n = 2 ** log2;
        samples.push({ proverId: 'p', curve: 'bn254', constraints: n, ms: lognormal(rnd, Math.exp(truth.a + truth.b * Math.log(n)), truth.sigma), kind: 'job', createdMs: i });
      }
      const f = fitLatency(samples)!;
      assert.ok(Math.abs(f.b - truth.b) < 0.05, `slope ${f.b} vs ${truth.b}`);
      assert.ok(Math.abs(f.sigma - truth.sigma) < 0.05, `sigma ${f.sigma} vs ${truth.sigma}`);
      const med = Math.exp(f.a + f.b * Math.log(2 ** 13)); const want = Math.exp(truth.a + truth.b * Math.log(2 ** 13));
      assert.ok(Math.abs(med / want - 1) < 0.1, `median at 2^13: ${med} vs ${want}`);
    });

    it('bench figures are only a prior, never faster than the unmeasured guess; one measurement replaces them; few samples keep a wide spread', () => {
      const m = new LatencyModel();
      const guess = m.predict('nobody', 'bn254', 4096);
      m.setPrior('p', 'bn254', [{ constraints: 4096, ms: 1 }], 0); // a boastful claim: 1 ms
      const claimed = m.predict('p', 'bn254', 4096);
      assert.deepStrictEqual([claimed.medianMs, claimed.sigma, claimed.samples], [guess.medianMs, guess.sigma, 0], 'a claim alone is not believed');
      m.setPrior('s', 'bn254', [{ constraints: 4096, ms: 60_000 }], 0); // a modest one only makes it slower
      assert.strictEqual(Math.round(m.predict('s', 'bn254', 4096).medianMs), 60_000);
      assert.strictEqual(m.count('p', 'bn254'), 0);
      m.add({ proverId: 'p', curve: 'bn254', constraints: 4096, ms: 1000, kind: 'job', createdMs: 1 });
      assert.strictEqual(Math.round(m.predict('p', 'bn254', 4096).medianMs), 1000, 'one measurement outweighs the claim');
      m.add({ proverId: 'p', curve: 'bn254', constraints: 4096, ms: 1000, kind: 'job', createdMs: 2 });
      const pr = m.predict('p', 'bn254', 4096);
      assert.strictEqual(Math.round(pr.medianMs), 1000, 'measured, not declared');
      assert.ok(pr.sigma > 0.4, `two identical samples still leave a wide spread (${pr.sigma})`);
      for (let i = 0; i < 40; i++) m.add({ proverId: 'p', curve: 'bn254', constraints: 4096, ms: 1000 + (i % 3) * 10, kind: 'job', createdMs: 3 + i });
      assert.ok(m.predict('p', 'bn254', 4096).sigma < 0.2, 'many consistent samples narrow it');
      assert.strictEqual(m.count('q', 'bn254'), 0);
    });

    it('calibration at two sizes: the fit comes from measurements (slope and spread), and `provers` shows ms only near measured sizes', () => {
      const rnd = prng(seed ^ 0xca1);
      const m = new LatencyModel();
      m.setPrior('p', 'bn254', [{ constraints: 1 << 20, ms: 50 }], 0); // a boastful bench figure
      // Challenges at 374 and 3,974 constraints, a prover that is ~n^0.9 with 10% noise.
      for (const n of [374, 3974, 374, 3974, 374, 3974]) m.add({ proverId: 'p', curve: 'bn254', constraints: n, ms: lognormal(rnd, 0.5 * n ** 0.9, 0.1), kind: 'challenge', createdMs: 1 });
      const f = m.fit('p', 'bn254')!;
      assert.ok(Math.abs(f.b - 0.9) < 0.15, `slope from two sizes: ${f.b}`);
      const at4k = m.measuredAt('p', 'bn254', 4096)!;
      assert.ok(Math.abs(at4k / (0.5 * 4096 ** 0.9) - 1) < 0.2, `2^12: ${at4k}`);
      assert.strictEqual(m.measuredAt('p', 'bn254', 1 << 16), null, '2^16 is an extrapolation: not shown as measured');
      assert.strictEqual(m.measuredAt('p', 'bn254', 1 << 20), null, 'a bench figure is not a measurement');
      // One size only (the old calibration): the slope is assumed, not fitted.
      const one = new LatencyModel();
      for (let i = 0; i < 4; i++) one.add({ proverId: 'p', curve: 'bn254', constraints: 374, ms: 200 + i, kind: 'challenge', createdMs: i });
      assert.strictEqual(one.fit('p', 'bn254')!.b, 1);
    });

    it('remaining time of a running job: the conditional median of its log-normal (checked by sampling), as long again once stalled', () => {
      const rnd = prng(seed ^ 0x7e57);
      for (const p of [0.001, 0.03, 0.2, 0.5, 0.77, 0.99, 0.9995]) assert.ok(Math.abs(normalCdf(normalQuantile(p)) - p) < 1e-6, `quantile(${p})`);
      const pred = { medianMs: 1000, sigma: 0.4, samples: 20 };
      const draws = Array.from({ length: 400_000 }, () => lognormal(rnd, pred.medianMs, pred.sigma));
      for (const t of [0, 500, 1000, 1500, 2000]) {
        const left = draws.filter((x) => x > t).map((x) => x - t).sort((a, b) => a - b);
        const ref = left[Math.floor(left.length / 2)];
        const got = remainingGiven(pred, t);
        assert.ok(Math.abs(got - ref) / ref < 0.05, `after ${t} ms: ${got.toFixed(0)} vs sampled ${ref.toFixed(0)}`);
      }
      // Past the 99th percentile (1000·e^(2.33·0.4) ≈ 2.5 s): stalled, as long again.
      assert.strictEqual(remainingGiven(pred, 10_000), 10_000);
    });

    it('calibration order: every size of every claimed curve once, smallest first, curves interleaved', () => {
      const sizes = (c: string) => (c === 'bn254' ? 2 : c === 'bls12-381' ? 2 : 0);
      assert.deepStrictEqual(calibrationOrder(['bn254', 'bls12-381'], sizes), [
        { curve: 'bn254', size: 0 }, { curve: 'bls12-381', size: 0 }, { curve: 'bn254', size: 1 }, { curve: 'bls12-381', size: 1 }]);
      assert.deepStrictEqual(calibrationOrder(['bls12-381'], sizes), [{ curve: 'bls12-381', size: 0 }, { curve: 'bls12-381', size: 1 }]);
      assert.deepStrictEqual(calibrationOrder(['bn254'], () => 0), []);
    });

    it('ETA: queue + log-normal service; P(on time) is its CDF at the budget', () => {
      const e = etaOf({ medianMs: 1000, sigma: 0.5, samples: 5 }, 500, 1500);
      assert.strictEqual(e.p50Ms, 1500);
      assert.ok(Math.abs(e.onTime - 0.5) < 1e-6);
      assert.ok(Math.abs(normalCdf(1.2815515655446004) - 0.9) < 1e-6);
      assert.strictEqual(etaOf({ medianMs: 1000, sigma: 0.5, samples: 5 }, 2000, 1500).onTime, 0, 'a queue past the deadline: no chance');
      assert.strictEqual(etaOf({ medianMs: 1000, sigma: 0.5, samples: 5 }, 0, null).onTime, 1, 'no deadline: always on time');
    });
  });

  describe('planner (pure)', () => {
    const now = 1_000_000;
    const fastDear = prover('fast', { price: 500n });
    const slowCheap = prover('slow', { price: 100n });
    const model = fixedModel({ fast: 500, slow: 4000 });

    it('a tight deadline goes to the fast prover, a lax one to the cheap one, no deadline to the cheap one', () => {
      const ds = planDispatch([rj(job('tight', { deadlineMs: now + 2000 }))], [fastDear, slowCheap], model, now, OPTS);
      assert.deepStrictEqual(assigned(ds), { tight: 'fast' });
      assert.deepStrictEqual(assigned(planDispatch([rj(job('lax', { deadlineMs: now + 60_000 }))], [fastDear, slowCheap], model, now, OPTS)), { lax: 'slow' });
      assert.deepStrictEqual(assigned(planDispatch([rj(job('none'))], [fastDear, slowCheap], model, now, OPTS)), { none: 'slow' });
      // Without a deadline a job does not wait for a busy cheaper prover while another is free.
      const busyCheap = { ...slowCheap, running: [{ curve: 'bn254', constraints: 4096, elapsedMs: 0 }] };
      assert.deepStrictEqual(assigned(planDispatch([rj(job('none'))], [fastDear, busyCheap], model, now, OPTS)), { none: 'fast' });
      assert.deepStrictEqual(assigned(planDispatch([rj(job('lax', { deadlineMs: now + 60_000 }))], [fastDear, busyCheap], model, now, OPTS)), { lax: 'wait' },
        'with a lax deadline it waits for the cheap one');
    });

    it('a burst is spread: jobs wait for the cheap prover while its queue still makes the deadline, the rest go to the fast one', () => {
      // Deadline 13 s: the cheap one (4 s each, p90 ~5.2 s) can take about 2 in a row on time; the fast one the rest.
      const jobs = Array.from({ length: 6 }, (_, i) => rj(job(`b${i}`, { deadlineMs: now + 13_000, createdMs: i })));
      const ds = planDispatch(jobs, [fastDear, slowCheap], model, now, OPTS);
      const byProver = (p: string) => ds.filter((d) => (d.kind === 'assign' ? d.proverId : /waiting for (\w+)/.exec(d.note)?.[1]) === p).length;
      assert.strictEqual(ds.filter((d) => d.kind === 'assign').length, 2, 'one job per free slot now');
      assert.ok(byProver('slow') >= 2 && byProver('fast') >= 2, `split: slow ${byProver('slow')}, fast ${byProver('fast')}`);
      for (const d of ds) if (d.kind === 'wait') assert.match(d.note, /waiting for (fast|slow).*position \d+ in its queue/);
    });

    it('a prover declaring a million slots is planned like one with just enough (slot list bounded by the work)', () => {
      // bench:market's instant prover declares 1,000,000 slots; a slot array that long, sorted
      // per running lease, stalled the broker at ~0.3 submissions/s.
      const running = Array.from({ length: 50 }, (_, i) => ({ curve: 'bn254', constraints: 4096, elapsedMs: i * 10 }));
      const jobs = Array.from({ length: 40 }, (_, i) => rj(job(`j${i}`, { createdMs: i })));
      const huge = planDispatch(jobs, [prover('p', { slots: 1_000_000, running })], fixedModel({ p: 1000 }), now, OPTS);
      const enough = planDispatch(jobs, [prover('p', { slots: running.length + jobs.length, running })], fixedModel({ p: 1000 }), now, OPTS);
      assert.deepStrictEqual(huge, enough);
      assert.ok(huge.every((d) => d.kind === 'assign'));
      // And where slots run out, planning behind running leases is unchanged by the bound.
      const few = planDispatch(jobs, [prover('p', { slots: 52, running })], fixedModel({ p: 1000 }), now, OPTS);
      assert.deepStrictEqual(few.map((d) => d.kind), [...Array(2).fill('assign'), ...Array(38).fill('wait')]);
    });

    it('capacity: never more assignments than free slots; a prover with a running lease is planned behind it', () => {
      const busy = prover('busy', { slots: 2, running: [{ curve: 'bn254', constraints: 4096, elapsedMs: 100 }] });
      const ds = planDispatch([rj(job('a')), rj(job('b', { createdMs: 1 })), rj(job('c', { createdMs: 2 }))], [busy], fixedModel({ busy: 1000 }), now, OPTS);
      assert.deepStrictEqual(ds.map((d) => d.kind), ['assign', 'wait', 'wait']);
      const w = ds[1] as Extract<Decision, { kind: 'wait' }>;
      assert.ok(Math.abs(w.bestEta!.queueMs - 900) < 1, `queue behind the running lease: ${w.bestEta!.queueMs}`);
    });

    it('says why a job waits, in words', () => {
      const note = (ps: RouteProver[], j = job('x'), m = model) => {
        const d = planDispatch([rj(j)], ps, m, now, OPTS)[0];
        assert.strictEqual(d.kind, 'wait'); return d.note;
      };
      assert.match(note([]), /no prover is connected/);
      assert.match(note([prover('b', { curves: ['bls12-381'] })]), /no connected prover supports curve bn254/);
      assert.match(note([prover('p', { price: 5000n }), prover('q', { price: 3000n })]), /cheapest ask is 3000 micro-credits, over the job's max price 1000/);
      assert.match(note([prover('s', { state: 'suspended' })]), /suspended/);
      assert.match(note([prover('s', { state: 'admitting' })]), /admission challenges/);
      assert.match(note([prover('s', { maxConstraints: 100 })]), /constraints exceed/);
      // Nobody can make it, and the only prover is busy: told early, with the best ETA on offer.
      const busy = prover('slow', { running: [{ curve: 'bn254', constraints: 4096, elapsedMs: 0 }] });
      assert.match(note([busy], job('x', { deadlineMs: now + 3000 })), /no prover can meet the deadline with 90% certainty: best ETA 8\.0 s .*from slow/);
    });

    it('nobody likely on time: the likeliest free prover still gets it, with the warning as its note', () => {
      const d = planDispatch([rj(job('x', { deadlineMs: now + 600 }))], [fastDear, slowCheap], model, now, OPTS)[0];
      assert.strictEqual(d.kind, 'assign');
      assert.strictEqual((d as { proverId: string }).proverId, 'fast');
      assert.match(d.note, /no prover can meet the deadline/);
    });

    it('ladder: demoted provers only when no active one is on time; the fallback only when no market prover is', () => {
      const demotedFast = prover('fast', { price: 500n, state: 'demoted' });
      const fb = prover('fallback', { fallback: true, price: 0n });
      const m = fixedModel({ fast: 500, slow: 4000, fallback: 1000 });
      const tight = () => rj(job('t', { deadlineMs: now + 2500 }));
      assert.deepStrictEqual(assigned(planDispatch([tight()], [demotedFast, slowCheap, fb], m, now, OPTS)), { t: 'fast' });
      const d = planDispatch([tight()], [demotedFast, slowCheap, fb], m, now, OPTS)[0];
      assert.match(d.note, /widened to demoted provers/);
      const d2 = planDispatch([tight()], [slowCheap, fb], m, now, OPTS)[0];
      assert.strictEqual((d2 as { proverId: string }).proverId, 'fallback');
      assert.match(d2.note, /fallback prover/);
      // With no market prover connected, the fallback waits until half the job's budget has gone by; never without a deadline.
      const alone = (j: JobRecord, at: number) => planDispatch([rj(j)], [fb], m, at, OPTS)[0];
      const lax = job('x', { createdMs: now, deadlineMs: now + 60_000 });
      assert.match(alone(lax, now + 1000).note, /no market prover is connected for it; the broker's fallback prover takes it at/);
      assert.strictEqual(alone(lax, now + 1000).kind, 'wait');
      assert.strictEqual(alone(lax, now + 30_000).kind, 'assign');
      assert.match(alone(job('y', { createdMs: now }), now + 999_999).note, /only takes jobs with a deadline/);
      // Lax jobs never go to the fallback while a market prover is on time, even though it is free.
      assert.deepStrictEqual(assigned(planDispatch([rj(job('l', { deadlineMs: now + 60_000 }))], [slowCheap, fb], m, now, OPTS)), { l: 'slow' });
    });

    it('ladder step 1: raisedOffer climbs in whole steps of the max to the first that covers the ask, never past the max', () => {
      assert.strictEqual(raisedOffer(200n, 450n, 1000n), 500n, '3 steps of 100 (10% of the max)');
      assert.strictEqual(raisedOffer(200n, 300n, 1000n), 300n, 'exactly one step');
      assert.strictEqual(raisedOffer(200n, 150n, 1000n), 200n, 'an ask within the offer needs no raise');
      assert.strictEqual(raisedOffer(950n, 990n, 1000n), 1000n, 'capped at the max');
      assert.strictEqual(raisedOffer(0n, 7n, 30n), 9n, 'steps of 3');
      assert.strictEqual(raisedOffer(0n, 2n, 5n), 2n, 'a step is at least 1 micro-credit');
      const rnd = prng(seed ^ 0x0ffe);
      for (let i = 0; i < 500; i++) {
        const max = BigInt(1 + Math.floor(rnd() * 10_000)); const offer = BigInt(Math.floor(rnd() * Number(max)));
        const ask = BigInt(Math.floor(rnd() * Number(max) * 1.2)); const bpsStep = 1 + Math.floor(rnd() * 5000);
        const to = raisedOffer(offer, ask, max, bpsStep);
        const step = (max * BigInt(bpsStep)) / 10_000n || 1n;
        assert.ok(to >= offer && to <= max, `within [offer, max]: ${offer} → ${to} (max ${max})`);
        if (ask <= offer) { assert.strictEqual(to, offer); continue; }
        if (to < max) {
          assert.strictEqual((to - offer) % step, 0n, 'whole steps');
          assert.ok(to >= ask && to - step < ask, `the first step covering the ask ${ask}: ${offer} → ${to} by ${step}`);
        } else assert.ok(offer + ((ask - offer + step - 1n) / step) * step >= max, 'the max only when the steps reach it');
      }
    });

    it('ladder step 1: a job at risk at its offer has it raised (recorded with the reason) to the cheapest prover likely on time; a lax one is not', () => {
      const offered = (over: Partial<JobRecord>) => job('x', { maxPrice: '1000', offer: '100', ...over });
      const d = planDispatch([rj(offered({ deadlineMs: now + 2000 }))], [fastDear, slowCheap], model, now, OPTS)[0];
      assert.strictEqual(d.kind === 'assign' && d.proverId, 'fast');
      assert.strictEqual(d.kind === 'assign' && d.price, 500n, 'the prover is paid its ask');
      assert.deepStrictEqual({ ...d.raise!, note: undefined }, { from: '100', to: 500n, note: undefined });
      assert.match(d.raise!.note, /^offer raised from 100 to 500 micro-credits: no prover at 100 is likely to meet the deadline \(fast asks 500, \d+% on time\)/);
      const lax = planDispatch([rj(offered({ deadlineMs: now + 60_000 }))], [fastDear, slowCheap], model, now, OPTS)[0];
      assert.strictEqual(lax.kind === 'assign' && lax.proverId, 'slow'); assert.strictEqual(lax.raise, undefined);
      // A free prover above the offer does not make a job without a deadline pay more: it is never at risk.
      const none = planDispatch([rj(job('n', { maxPrice: '1000', offer: '50' }))], [fastDear, slowCheap], model, now, OPTS)[0];
      assert.strictEqual(none.kind, 'wait'); assert.strictEqual(none.raise, undefined);
      assert.match(none.note, /cheapest ask is 100 micro-credits, over the job's offer 50 \(it has no deadline/);
      // The max bounds the ladder: the fast prover asks more than it, so nothing is raised and the job is told it is likely late.
      const capped = planDispatch([rj(offered({ deadlineMs: now + 2000, maxPrice: '400' }))], [fastDear, slowCheap], model, now, OPTS)[0];
      assert.strictEqual(capped.raise, undefined);
      assert.match(capped.note, /no prover can meet the deadline/);
      // No offer (''): the max is the offer, no raise is ever needed.
      assert.strictEqual(planDispatch([rj(job('m', { maxPrice: '1000', deadlineMs: now + 2000 }))], [fastDear, slowCheap], model, now, OPTS)[0].raise, undefined);
    });

    it('ladder step 1 on a fake clock: the offer climbs 100 → 300 → 600 as cheaper provers\' queues stop meeting the deadline, then step 2 and 3', () => {
      // Three provers: cheap (100, 4 s), mid (300, 2 s), dear (600, 0.5 s); all busy at first.
      const m = fixedModel({ cheap: 4000, mid: 2000, dear: 500, fb: 500 });
      const running = (elapsedMs: number, n = 1) => Array.from({ length: n }, () => ({ curve: 'bn254', constraints: 4096, elapsedMs }));
      let j = job('x', { maxPrice: '1000', offer: '100', createdMs: now, deadlineMs: now + 9000 });
      const events: string[] = [];
      const step = (t: number, ps: RouteProver[]) => {
        const d = planDispatch([rj(j)], ps, m, t, OPTS)[0];
        if (d.raise) { assert.strictEqual(d.raise.from, j.offer); j = { ...j, offer: String(d.raise.to) }; events.push(d.raise.note); }
        return d;
      };
      // t=0: cheap's queue (4 s left) + 4 s is too late at 90%; mid's (1 s left) + 2 s makes it: raised to 300, waits for mid.
      let d = step(now, [prover('cheap', { price: 100n, running: running(0) }), prover('mid', { price: 300n, running: running(1000) }), prover('dear', { price: 600n, running: running(0, 1) })]);
      assert.strictEqual(d.kind, 'wait'); assert.strictEqual(j.offer, '300'); assert.match(d.note, /waiting for mid/);
      // t=4 s: mid's lease overran (10% of a median assumed left: 0.2 s) + 2 s is still on time: no raise, it waits.
      d = step(now + 4000, [prover('cheap', { price: 100n, running: running(4000) }), prover('mid', { price: 300n, running: running(5000) }), prover('dear', { price: 600n })]);
      assert.strictEqual(j.offer, '300'); assert.strictEqual(d.kind, 'wait'); assert.match(d.note, /waiting for mid/);
      // t=6 s: mid is gone (its session dropped); only dear still makes the deadline: raised to 600 and assigned.
      d = step(now + 6000, [prover('cheap', { price: 100n, running: running(6000) }), prover('dear', { price: 600n })]);
      assert.strictEqual(d.kind === 'assign' && d.proverId, 'dear'); assert.strictEqual(j.offer, '600');
      assert.deepStrictEqual(events.map((e) => e.replace(/ \(.*$/, '')), [
        'offer raised from 100 to 300 micro-credits: no prover at 100 is likely to meet the deadline',
        'offer raised from 300 to 600 micro-credits: no prover at 300 is likely to meet the deadline',
      ]);
      // At the max with nobody active on time: step 2 widens to a demoted prover (reputation aside), step 3 the fallback; the offer stays.
      const jMax = { ...j, offer: '1000' };
      const w = planDispatch([rj(jMax)], [prover('cheap', { price: 100n, running: running(0) }), prover('dear', { price: 600n, state: 'demoted', reputation: -50 })], m, now + 6000, OPTS)[0];
      assert.strictEqual(w.kind === 'assign' && w.proverId, 'dear'); assert.match(w.note, /widened to demoted provers/); assert.strictEqual(w.raise, undefined);
      const f = planDispatch([rj(jMax)], [prover('cheap', { price: 100n, running: running(0) }), prover('fb', { fallback: true })], m, now + 6000, OPTS)[0];
      assert.strictEqual(f.kind === 'assign' && f.proverId, 'fb'); assert.match(f.note, /fallback prover/);
    });

    it('at-risk leases: a holder predicted past the deadline (by its model, and by its progress when it reports some) loses the job to a faster free prover, else the client is told early', () => {
      const m = fixedModel({ slow: 4000, fast: 200, other: 3000 });
      const fast = prover('fast', { price: 500n });
      const lease = (over: Partial<JobRecord>, elapsedMs: number) => ({
        job: job('x', { state: 'PROVING', attempts: 1, proverId: 'slow', leaseToken: 'T', deadlineMs: now + 3000, ...over }), circuit, minOnTime: 0.9,
        holder: { ...slowCheap, running: [{ curve: 'bn254', constraints: 4096, elapsedMs }] }, elapsedMs,
      });
      const others = [slowCheap, fast];
      // On track: 3 s of a 4 s median run, ~1.1 s left (the conditional median) of 3 s: nothing to do.
      assert.strictEqual(leaseAtRisk(lease({}, 3000), others, m, now, OPTS), null);
      // A coarse progress stage alone (20% after 3 s: 12 s more) does not move a job the model says is on track.
      assert.strictEqual(leaseAtRisk(lease({ progress: 0.2 }, 3000), others, m, now, OPTS), null);
      // Both say late; progress gives the smaller estimate (80% after 3 s: 0.75 s more, 0.6 s left): moved to the free fast prover.
      const mv = leaseAtRisk(lease({ progress: 0.8, deadlineMs: now + 600 }, 3000), others, m, now, OPTS)!;
      assert.strictEqual(mv.kind === 'move' && mv.to, 'fast');
      assert.strictEqual(Math.round(mv.holderFinishMs), 750);
      assert.match(mv.note, /^moved: prover slow is likely late: its progress \(80% after 3\.0 s\) predicts a finish in 0\.[78] s, with 0\.6 s to the deadline; requeued for fast \(ETA 0\.2 s, \d+% on time\)$/);
      // By the model alone: just assigned (1 s of a 4 s median) with 2 s to go.
      const byModel = leaseAtRisk(lease({ deadlineMs: now + 2000 }, 1000), others, m, now, OPTS)!;
      assert.strictEqual(byModel.kind, 'move'); assert.match(byModel.note, /its measured speed \(median 4\.0 s, running 1\.0 s\) predicts a finish in 3\.0 s/);
      // Stalled: past the model's 99th percentile (~6.4 s) it is expected to need as long again.
      const stalled = leaseAtRisk(lease({ deadlineMs: now + 6000 }, 8000), others, m, now, OPTS)!;
      assert.strictEqual(stalled.kind, 'move'); assert.strictEqual(stalled.holderFinishMs, 8000);
      // The faster prover is busy: the client is told, with the best ETA on offer.
      const busyFast = { ...fast, running: [{ curve: 'bn254', constraints: 4096, elapsedMs: 0 }] };
      const w = leaseAtRisk(lease({ deadlineMs: now + 2000 }, 1000), [slowCheap, busyFast], m, now, OPTS)!;
      assert.strictEqual(w.kind, 'warn');
      assert.match(w.note, /^at risk: prover slow is likely late: .*; no other prover can do better now \(best ETA elsewhere/);
      // Nobody else connected; or another prover no faster than the holder: warn, never a move that does not help.
      assert.strictEqual(leaseAtRisk(lease({ deadlineMs: now + 2000 }, 1000), [slowCheap], m, now, OPTS)!.kind, 'warn');
      assert.strictEqual(leaseAtRisk(lease({ deadlineMs: now + 2000 }, 1000), [slowCheap, prover('other', { price: 100n })], m, now, OPTS)!.kind, 'warn');
      // No deadline, or already past it: not this check's business.
      assert.strictEqual(leaseAtRisk(lease({ deadlineMs: 0 }, 8000), others, m, now, OPTS), null);
      assert.strictEqual(leaseAtRisk(lease({ deadlineMs: now - 1 }, 8000), others, m, now, OPTS), null);
    });

    it('ties: cheaper, then reputation, then ETA; the prover whose lease lapsed goes last; earliest deadline planned first', () => {
      const m = fixedModel({ a: 1000, b: 1000, c: 500 });
      assert.deepStrictEqual(assigned(planDispatch([rj(job('x'))], [prover('a', { reputation: 1 }), prover('b', { reputation: 5 })], m, now, OPTS)), { x: 'b' });
      assert.deepStrictEqual(assigned(planDispatch([rj(job('x'))], [prover('a'), prover('c')], m, now, OPTS)), { x: 'c' });
      assert.deepStrictEqual(assigned(planDispatch([rj(job('x', { attempts: 1, proverId: 'c' }))], [prover('a'), prover('c')], m, now, OPTS)), { x: 'a' });
      const ds = planDispatch([rj(job('late', { deadlineMs: now + 9000 })), rj(job('soon', { deadlineMs: now + 2000, createdMs: 5 }))],
        [prover('fast', { price: 500n })], model, now, OPTS);
      assert.strictEqual(ds[0].jobId, 'soon');
      assert.strictEqual(ds[0].kind, 'assign');
    });

    it('after a give-back: other operators first (even a busy one, waited for, and said so); alone, the same operator retries it', () => {
      const m = fixedModel({ g1: 500, g2: 500, h: 4000 });
      const g1 = prover('g1', { operatorId: 'op-g', price: 0n }); const g2 = prover('g2', { operatorId: 'op-g', price: 0n });
      const h = prover('h', { operatorId: 'op-h', price: 900n });
      const given = (over: Partial<JobRecord> = {}) => rj(job('x', { attempts: 1, proverId: 'g1', givenBack: ['op-g'], ...over }));
      // Without the give-back the cheap fast griefer's other daemon would win; with it the other operator does.
      assert.deepStrictEqual(assigned(planDispatch([rj(job('x'))], [g1, g2, h], m, now, OPTS)), { x: 'g1' });
      const d = planDispatch([given()], [g1, g2, h], m, now, OPTS)[0];
      assert.strictEqual(d.kind === 'assign' && d.proverId, 'h');
      assert.match(d.note, /passed over operator\(s\) op-g: they gave it back/);
      const busyH = { ...h, running: [{ curve: 'bn254', constraints: 4096, elapsedMs: 0 }] };
      const w = planDispatch([given()], [g1, g2, busyH], m, now, OPTS)[0];
      assert.strictEqual(w.kind, 'wait'); assert.match(w.note, /waiting for h.*passed over operator\(s\) op-g/);
      // The only operator connected (npm start: one prover): a transient error is retried on it, and the note says so.
      const a = planDispatch([given({ attempts: 0 })], [g1], m, now, OPTS)[0];
      assert.strictEqual(a.kind === 'assign' && a.proverId, 'g1');
      assert.match(a.note, /again to operator\(s\) op-g, who gave it back: no other operator can take it/);
    });

    it('an operator at its give-back limit: the note names it once (not its daemons as provers, not a wrong proof) and what the client can do', () => {
      const m = fixedModel({ g1: 500, g2: 500, w: 500 });
      const g1 = prover('g1', { operatorId: 'op-g', price: 0n }); const g2 = prover('g2', { operatorId: 'op-g', price: 0n });
      const capped = rj(job('x', { attempts: 1, proverId: 'g2', maxPrice: '100', givenBack: ['op-g', 'op-g', 'op-g'] }));
      const d = planDispatch([capped], [g1, g2], m, now, OPTS)[0];
      assert.strictEqual(d.kind, 'wait');
      assert.strictEqual(d.note, 'operator op-g gave it back 3 times (the limit per operator), so it is not offered to it again: '
        + 'waiting for another operator (or cancel the job to have its escrow refunded)');
      // A wrong proof is a different story, told apart (and counted per prover).
      const w = prover('w', { operatorId: 'op-w', price: 0n });
      const both = planDispatch([{ ...capped, job: { ...capped.job, excluded: ['w'] } }], [g1, g2, w], m, now, OPTS)[0];
      assert.match(both.note, /^1 prover\(s\) returned a wrong proof for it \(never offered it again\); operator op-g gave it back 3 times/);
    });

    it('is deterministic, and never assigns beyond stake or price (random instances)', () => {
      const rnd = prng(seed ^ 0x5eed);
      for (let it = 0; it < 200; it++) {
        const ps = Array.from({ length: 1 + Math.floor(rnd() * 4) }, (_, i) => prover(`p${i}`, {
          price: BigInt(Math.floor(rnd() * 1500)), slots: 1 + Math.floor(rnd() * 3), freeStake: BigInt(Math.floor(rnd() * 3000)),
          running: rnd() < 0.3 ? [{ curve: 'bn254', constraints: 4096, elapsedMs: Math.floor(rnd() * 1000) }] : [],
        }));
        const medians = Object.fromEntries(ps.map((p) => [p.proverId, 200 + rnd() * 3000]));
        const jobs = Array.from({ length: Math.floor(rnd() * 8) }, (_, i) => rj(job(`j${i}`, {
          createdMs: i, deadlineMs: rnd() < 0.7 ? now + Math.floor(rnd() * 10_000) + 1 : 0, maxPrice: String(Math.floor(rnd() * 1500)),
        }), 0.5 + rnd() * 0.49)).map((x) => (rnd() < 0.5 ? { ...x, job: { ...x.job, offer: String(Math.floor(rnd() * (Number(x.job.maxPrice) + 1))) } } : x));
        const a = planDispatch(jobs, ps, fixedModel(medians), now, OPTS);
        assert.deepStrictEqual(planDispatch(jobs, ps, fixedModel(medians), now, OPTS), a);
        const per = new Map<string, number>(); const stake = new Map<string, bigint>();
        for (const d of a) {
          if (d.kind !== 'assign') continue;
          const p = ps.find((x) => x.proverId === d.proverId)!;
          const j = jobs.find((x) => x.job.id === d.jobId)!;
          assert.ok(d.price <= BigInt(j.job.maxPrice), 'within the max price');
          assert.ok(d.price <= (d.raise ? d.raise.to : offerOf(j.job)), 'within the offer (as raised)');
          if (d.raise) assert.ok(j.job.deadlineMs > 0 && d.raise.to > offerOf(j.job) && d.raise.to <= BigInt(j.job.maxPrice), 'raised only for deadline jobs, upwards, within the max');
          per.set(p.proverId, (per.get(p.proverId) ?? 0) + 1);
          stake.set(p.proverId, (stake.get(p.proverId) ?? 0n) + d.stake);
          assert.ok(per.get(p.proverId)! + p.running.length <= p.slots, `slots of ${p.proverId}`);
          assert.ok(stake.get(p.proverId)! <= p.freeStake, `stake of ${p.proverId}`);
        }
      }
    });
  });

  describe('closed loop: fake clock, fake provers, the model learns', () => {
    it('tight deadlines go fast, lax ones cheap; the quoted on-time probability matches what happens (±0.08 over 400 jobs)', () => {
      const rnd = prng(seed ^ 0xc10c);
      const truth: Record<string, { median: number; sigma: number; price: bigint; failRate: number }> = {
        fast: { median: 400, sigma: 0.15, price: 500n, failRate: 0.02 },
        slow: { median: 2500, sigma: 0.3, price: 100n, failRate: 0.02 },
      };
      const model = new LatencyModel();
      const predict = (p: string, c: string, n: number) => model.predict(p, c, n);
      // Calibration: a few challenge proofs each, as admission would run them.
      let t = 0;
      for (const [id, tr] of Object.entries(truth)) {
        for (let i = 0; i < 5; i++) model.add({ proverId: id, curve: 'bn254', constraints: 4096, ms: lognormal(rnd, tr.median, tr.sigma), kind: 'challenge', createdMs: 0 });
      }
      const running = new Map<string, { jobId: string; endMs: number; fails: boolean; startMs: number }[]>([['fast', []], ['slow', []]]);
      const queue: RouteJob[] = [];
      const quoted = new Map<string, number>();
      const outcome = new Map<string, boolean>();
      const where = new Map<string, string>();
      const deadlines = new Map<string, number>();
      let nextArrival = 0; let n = 0;
      const N = 400;
      while (outcome.size < N && t < 10_000_000) {
        // Next event: an arrival or a completion.
        const ends = [...running.values()].flat().map((r) => r.endMs);
        const nextEnd = ends.length ? Math.min(...ends) : Infinity;
        t = Math.min(n < N ? nextArrival : Infinity, nextEnd);
        for (const [pid, rs] of running) {
          for (const r of rs.filter((x) => x.endMs <= t)) {
            rs.splice(rs.indexOf(r), 1);
            if (r.fails) { queue.push(rj(job(r.jobId, { deadlineMs: deadlines.get(r.jobId)!, createdMs: r.startMs, attempts: 1, proverId: pid }))); continue; }
            model.add({ proverId: pid, curve: 'bn254', constraints: 4096, ms: r.endMs - r.startMs, kind: 'job', createdMs: t });
            outcome.set(r.jobId, r.endMs <= deadlines.get(r.jobId)!);
          }
        }
        if (n < N && t >= nextArrival) {
          const id = `j${n++}`;
          const budget = rnd() < 0.5 ? 350 + rnd() * 700 : 6000 + rnd() * 20000;
          deadlines.set(id, t + budget);
          queue.push(rj(job(id, { deadlineMs: t + budget, createdMs: t })));
          // The quote the client saw at submit: the plan's ETA for this job right now.
          const provers = [...running.entries()].map(([pid, rs]) => prover(pid, {
            price: truth[pid].price, running: rs.map((r) => ({ curve: 'bn254', constraints: 4096, elapsedMs: t - r.startMs })),
          }));
          const d = planDispatch(queue, provers, predict, t, OPTS).find((x) => x.jobId === id)!;
          quoted.set(id, d.kind === 'assign' ? d.eta.onTime : d.bestEta?.onTime ?? 0);
          nextArrival = t + lognormal(rnd, 900, 0.5);
        }
        const provers = [...running.entries()].map(([pid, rs]) => prover(pid, {
          price: truth[pid].price, running: rs.map((r) => ({ curve: 'bn254', constraints: 4096, elapsedMs: t - r.startMs })),
        }));
        for (const d of planDispatch(queue, provers, predict, t, OPTS)) {
          if (d.kind !== 'assign') continue;
          const tr = truth[d.proverId];
          const i = queue.findIndex((q) => q.job.id === d.jobId);
          queue.splice(i, 1);
          if (!where.has(d.jobId)) where.set(d.jobId, `${d.proverId}:${deadlines.get(d.jobId)! - t < 1100 ? 'tight' : 'lax'}`);
          running.get(d.proverId)!.push({ jobId: d.jobId, startMs: t, endMs: t + lognormal(rnd, tr.median, tr.sigma), fails: rnd() < tr.failRate });
        }
      }
      const count = (k: string) => [...where.values()].filter((v) => v === k).length;
      const tightFast = count('fast:tight'); const tightSlow = count('slow:tight'); const laxSlow = count('slow:lax'); const laxFast = count('fast:lax');
      console.log(`      tight: fast ${tightFast}, slow ${tightSlow}; lax: slow ${laxSlow}, fast ${laxFast}`);
      assert.ok(tightFast > 5 * Math.max(1, tightSlow), 'tight deadlines go to the fast prover');
      assert.ok(laxSlow > laxFast, 'lax deadlines mostly go to the cheap prover');
      const ids = [...outcome.keys()];
      const predicted = ids.reduce((s, id) => s + quoted.get(id)!, 0) / ids.length;
      const observed = ids.filter((id) => outcome.get(id)).length / ids.length;
      console.log(`      quoted P(on time) ${predicted.toFixed(3)} vs observed ${observed.toFixed(3)} over ${ids.length} jobs`);
      assert.ok(Math.abs(predicted - observed) <= 0.08, `calibration: predicted ${predicted} vs observed ${observed}`);
    });
  });

  describe('standing: provers that miss their quoted ETA', () => {
    it('are demoted after 3 late results, suspended after 6 (with admission on), and re-admitted by challenges', async () => {
      const store = new SqliteStore(':memory:');
      try {
        const r = new Routing(store, { ...DEFAULT_ROUTING, admissionChallenges: 2 }, makeLogger('test', () => {}));
        const p: ProverRecord = {
          id: 'p1', ownerAccountId: 'a', key: 'k', name: 'p1', secretSha256: '', sessionEpoch: 0, reputation: 0, accepted: 0, rejected: 0, createdMs: 0, lastSeenMs: 0,
          caps: { curves: ['bn254'], backends: ['cpu'], maxConstraints: 0, slots: 1, price: '0', pricePerMConstraints: '0', devices: [], bench: [] },
        };
        assert.strictEqual((await r.onHello(p, 0)).state, 'admitting');
        await r.onChallenge('p1', true, 1);
        assert.strictEqual(r.stateOf('p1'), 'admitting');
        await r.onChallenge('p1', true, 2);
        assert.strictEqual(r.stateOf('p1'), 'active');
        const late = async (i: number, ms: number) => {
          const j = job(`l${i}`);
          r.assigned(j, circuit, 'p1', { p50Ms: 100, p90Ms: 200, queueMs: 0, onTime: 1 }, 1000, false);
          await r.onResult(j, circuit, 'p1', 0, true, 1000 + ms);
          await r.onDone({ ...j, proverId: 'p1' }, circuit, 1000 + ms + 20); // accepted after verification
        };
        for (let i = 0; i < 3; i++) await late(i, 500);
        assert.strictEqual(r.stateOf('p1'), 'demoted');
        await late(3, 150);
        assert.strictEqual(r.stateOf('p1'), 'active', 'an on-time result restores it');
        for (let i = 4; i < 10; i++) await late(i, 500);
        assert.strictEqual(r.stateOf('p1'), 'suspended');
        assert.strictEqual((await store.getProverRouting('p1'))!.state, 'suspended', 'persisted');
        const xs = await store.latencySamples(100);
        assert.ok(xs.length >= 10, 'every accepted proof is a latency sample in the store');
        assert.strictEqual(xs[0].ms, 520, 'assignment → DONE, verification included');
        await r.onChallenge('p1', true, 3);
        assert.strictEqual(r.stateOf('p1'), 'suspended', 'one pass is not enough: it must pass the whole admission again');
        await r.onChallenge('p1', true, 4);
        assert.strictEqual(r.stateOf('p1'), 'active');
      } finally { await store.close(); }
    });

    it('a self-declared speed wins nothing: an unmeasured boaster is quoted as unmeasured and loses deadline jobs; once moved for stalling its model carries it', async () => {
      const store = new SqliteStore(':memory:');
      try {
        const r = new Routing(store, DEFAULT_ROUTING, makeLogger('test', () => {}));
        const rec = (id: string, bench: ProverRecord['caps']['bench']): ProverRecord => ({
          id, ownerAccountId: id, key: id, name: id, secretSha256: '', sessionEpoch: 0, reputation: 0, accepted: 0, rejected: 0, createdMs: 0, lastSeenMs: 0,
          caps: { curves: ['bn254'], backends: ['cpu'], maxConstraints: 0, slots: 1, price: '0', pricePerMConstraints: '0', devices: [], bench },
        });
        await r.onHello(rec('fake', [{ curve: 'bn254', backend: 'cpu', log2Constraints: 12, proveMs: 1 }]), 0); // "1 ms at 2^12"
        await r.onHello(rec('honest', []), 0);
        for (let i = 0; i < 8; i++) {
          const j = job(`h${i}`);
          r.assigned(j, circuit, 'honest', { p50Ms: 2000, p90Ms: 3000, queueMs: 0, onTime: 1 }, 0, false);
          await r.onResult(j, circuit, 'honest', 0, true, 1900 + 25 * i);
          await r.onDone({ ...j, proverId: 'honest' }, circuit, 1900 + 25 * i);
        }
        const now = 100_000;
        const q = r.quote(circuit, [prover('fake', { price: 50n }), prover('honest', { price: 100n })], now + 8000, null, now, DEFAULT_MONEY_POLICY);
        const fake = q.offers.find((o) => o.prover.proverId === 'fake')!;
        const honest = q.offers.find((o) => o.prover.proverId === 'honest')!;
        assert.strictEqual(fake.samples, 0);
        assert.ok(fake.p50Ms >= 5000, `its 1 ms claim is not quoted: p50 ${fake.p50Ms}`);
        assert.ok(fake.onTime < 0.9 && honest.onTime > 0.9, `on time: fake ${fake.onTime}, honest ${honest.onTime}`);
        const d = planDispatch([rj(job('dl', { deadlineMs: now + 8000 }))], [prover('fake', { price: 50n }), prover('honest', { price: 100n })],
          r.predict, now, OPTS);
        assert.deepStrictEqual(assigned(d), { dl: 'honest' }, 'the measured prover gets the deadline job, not the cheaper boaster');

        // Assigned anyway (no deadline), it stalls and the lease is moved after 20 s: a censored sample of ≥ 20 s.
        r.assigned(job('st'), circuit, 'fake', etaOf(r.predict('fake', 'bn254', 4096), 0, null), now, false);
        await r.moved('st', now + 20_000);
        const after = r.predict('fake', 'bn254', 4096);
        assert.strictEqual(after.samples, 1);
        assert.ok(Math.round(after.medianMs) >= 20_000, `the stall is in its model: ${after.medianMs}`);
        assert.deepStrictEqual((await store.latencySamples(10)).filter((x) => x.proverId === 'fake').map((x) => x.ms), [20_000], 'persisted');
        // An ask above 2^63 - 1 says so instead of "over null".
        const q2 = r.quote(circuit, [prover('fake', { price: 2n ** 64n })], 0, null, now, DEFAULT_MONEY_POLICY);
        assert.match(q2.note, /ask \d+ over the largest price a job can hold \(2\^63 - 1\)/);
      } finally { await store.close(); }
    });

    it('a leased job whose prover is past its p90 ETA is told it is at risk, once, before the deadline', async () => {
      const store = new SqliteStore(':memory:');
      try {
        const r = new Routing(store, DEFAULT_ROUTING, makeLogger('test', () => {}));
        const owner = (await store.createAccount('alice', 'client', 1)).account.id;
        const c = { ...sampleCircuit('c_00000000000000aa', 'sample', owner), constraints: 4096 };
        await store.insertCircuit(c);
        for (const [id, deadline] of [['late', 10_000], ['nodeadline', 0]] as const) {
          await store.submit({ id, ownerAccountId: owner, requestId: id, circuitId: c.id, inputJson: '{}', witness: null, payloadSha256: 'x',
            maxAttempts: 3, deadlineMs: deadline, maxPrice: 0n, nowMs: 0 });
          await store.enqueue(id, 0);
          const j = (await store.claim(id, { proverId: 'p1', leaseToken: `T-${id}`, leaseExpiresMs: 99_999, price: 0n }, 0)).job!;
          r.assigned(j, c, 'p1', { p50Ms: 1000, p90Ms: 2000, queueMs: 0, onTime: 0.99 }, 0, false);
        }
        assert.deepStrictEqual(await r.flagAtRisk(1500, () => 'slowpoke'), [], 'within its p90: nothing to say');
        assert.deepStrictEqual(await r.flagAtRisk(2500, () => 'slowpoke'), ['late']);
        assert.match((await store.getJob('late'))!.routing!, /at risk: prover slowpoke is past the ETA it was given \(p90 2\.0 s, running 2\.5 s\) with 7\.5 s to the deadline/);
        assert.deepStrictEqual(await r.flagAtRisk(3000, () => 'slowpoke'), [], 'said once');
      } finally { await store.close(); }
    });
  });
});
