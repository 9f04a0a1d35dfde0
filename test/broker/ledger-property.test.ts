// Ledger property test: random sequences (seed printed; replay with PM_SEED) of deposits, submits,
// partitioned submits and group cancels, claims, good and wrong results, prover errors, cancels, expiries, lease lapses, store restarts and
// crashes in the middle of a transition. After every step: every transaction sums to zero, no
// balance is negative, each balance is the sum of its entries, escrow equals the holds of live
// jobs, locked stake equals the stakes of leased jobs, and no job is paid twice. At the end the
// books reconcile with the jobs' final states.
import * as assert from 'assert';
import * as path from 'path';
import { bps } from '../../broker/money';
import { SqliteStore } from '../../broker/store/sqlite';
import { DEFAULT_MONEY_POLICY, type Book, type JobRecord, type Store } from '../../broker/store/types';
import { prng, randomSeed, rmrf, sampleCircuit, tmpDir } from './helpers';
import { CAPS, checkLedger } from './store-contract';

const LIVE = ['SUBMITTED', 'QUEUED', 'ASSIGNED', 'PROVING', 'VERIFYING'];
const LEASED = ['ASSIGNED', 'PROVING', 'VERIFYING'];

describe('ledger properties (random sequences)', function () {
  this.timeout(120_000);
  const baseSeed = randomSeed();
  before(() => console.log(`      seed ${baseSeed} (replay with PM_SEED=${baseSeed})`));

  for (let run = 0; run < 3; run++) {
    it(`run ${run}: 250 random steps keep every invariant`, async () => {
      const seed = baseSeed + run;
      const rnd = prng(seed);
      const int = (n: number) => Math.floor(rnd() * n);
      const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
      const dir = tmpDir('ledger');
      const file = path.join(dir, 'broker.db');
      let crashNext = false;
      const failPoint = (t: string, id: string) => { if (crashNext) { crashNext = false; throw new Error(`injected crash in ${t} of ${id}`); } };
      let st: Store = new SqliteStore(file, { failPoint });
      const log: string[] = [];
      try {
        const clients = [] as string[]; const ops = [] as string[]; const provers: string[] = [];
        for (let i = 0; i < 3; i++) clients.push((await st.createAccount(`c${i}`, 'client', 1)).account.id);
        for (let i = 0; i < 2; i++) {
          const op = (await st.createAccount(`o${i}`, 'prover', 1)).account.id;
          ops.push(op);
          for (let k = 0; k < 2; k++) provers.push((await st.upsertProver(op, `k${k}`, `p${i}${k}`, CAPS, 1)).id);
        }
        await st.insertCircuit({ ...sampleCircuit('c_1', 'c', clients[0]), public: true });
        let now = 1_000_000; let deposited = 0n; let n = 0; let crashes = 0; let refusedExcluded = 0;
        let withdrawals = 0; const withdrawn = new Map<string, { acct: string; book: Book; amount: bigint }>();
        const jobs: string[] = [];
        const groups: string[] = [];
        const all = async () => (await Promise.all(jobs.map((id) => st.getJob(id)))) as JobRecord[];
        const inState = async (states: string[]) => (await all()).filter((j) => states.includes(j.state));

        const steps: Record<string, () => Promise<unknown>> = {
          deposit: async () => {
            const who = rnd() < 0.6 ? pick(clients) : pick(ops); const amt = BigInt(1 + int(500));
            await st.deposit(who, amt, '', now); deposited += amt;
          },
          submit: async () => {
            const id = `j${n++}`;
            const r = await st.submit({
              id, ownerAccountId: pick(clients), requestId: id, circuitId: 'c_1', inputJson: '{}', witness: null, payloadSha256: 'x',
              maxAttempts: 1 + int(3), deadlineMs: rnd() < 0.3 ? now + int(50) : 0, maxPrice: BigInt(int(300)), nowMs: now,
            });
            if (r.outcome === 'created') { jobs.push(id); if (rnd() < 0.9) await st.enqueue(id, now); }
            else assert.strictEqual(r.outcome, 'insufficient_funds');
          },
          // A partitioned job: 2..4 partitions, N × max price held in one transaction, each partition a unit from then on.
          submitGroup: async () => {
            const id = `g${n++}`; const parts = 2 + int(3);
            const r = await st.submitGroup({
              id, ownerAccountId: pick(clients), requestId: id, circuitId: 'c_1', payloadSha256: 'x', maxAttempts: 1 + int(3),
              deadlineMs: rnd() < 0.3 ? now + int(50) : 0, maxPrice: BigInt(int(200)), nowMs: now,
              partitions: Array.from({ length: parts }, (_, k) => ({ inputJson: `{"k":${k}}`, witness: null, payloadSha256: `x${k}` })),
            });
            if (r.outcome === 'created') {
              groups.push(id);
              for (const j of r.jobs) { jobs.push(j.id); if (rnd() < 0.9) await st.enqueue(j.id, now); }
            } else assert.strictEqual(r.outcome, 'insufficient_funds');
          },
          cancelGroup: async () => { if (groups.length) await st.cancelGroup(pick(groups), 'by client', now); },
          claim: async () => {
            const q = await inState(['QUEUED']); if (!q.length) return;
            const j = pick(q); const price = BigInt(int(Number(j.maxPrice) + 40));
            const proverId = pick(provers);
            const r = await st.claim(j.id, { proverId, leaseToken: `t${n++}`, leaseExpiresMs: now + 20 + int(40), price }, now);
            // A prover that returned a wrong proof for this job (or gave it back past the cap) is refused first, whatever the price.
            if (j.excluded.includes(proverId)) { assert.strictEqual(r.outcome, 'excluded'); refusedExcluded++; return; }
            assert.ok(['claimed', 'price_too_high', 'insufficient_stake'].includes(r.outcome), r.outcome);
            if (price > BigInt(j.maxPrice)) assert.strictEqual(r.outcome, 'price_too_high');
          },
          progress: async () => {
            const l = await inState(['ASSIGNED', 'PROVING']); if (!l.length) return;
            const j = pick(l); await st.progress(j.id, j.leaseToken, rnd(), 'proving', now + 40, now);
          },
          good: async () => {
            const l = await inState(['ASSIGNED', 'PROVING', 'VERIFYING']); if (!l.length) return;
            // One transition per step: a leased job delivers its proof; a VERIFYING one is accepted.
            const j = pick(l);
            if (j.state !== 'VERIFYING') { await st.beginVerify(j.id, j.leaseToken, '{}', '[]', 'x', 1, now); return; }
            assert.strictEqual((await st.accept(j.id, j.leaseToken, now)).outcome, 'ok');
            assert.strictEqual((await st.accept(j.id, j.leaseToken, now)).outcome, 'stale', 'a second accept pays nothing');
          },
          wrong: async () => {
            const l = await inState(['ASSIGNED', 'PROVING', 'VERIFYING']); if (!l.length) return;
            const j = pick(l);
            if (j.state !== 'VERIFYING') { await st.beginVerify(j.id, j.leaseToken, '{}', '[]', 'x', 1, now); return; }
            await st.reject(j.id, j.leaseToken, 'public signal c=15, the job gives 77', now);
          },
          error: async () => {
            const l = await inState(['ASSIGNED', 'PROVING']); if (!l.length) return;
            const j = pick(l); await st.release(j.id, j.leaseToken, 'out of memory', rnd() < 0.7, now);
          },
          cancel: async () => { if (jobs.length) await st.cancel(pick(jobs), 'by client', now); },
          // A payout back to the mint: free credit, free stake or earnings, never escrow or locked stake. Request ids come from a
          // small pool, so repeats (same account, book, amount: nothing moves) and conflicts (anything else: nothing moves) happen.
          withdraw: async () => {
            const acct = pick([...clients, ...ops]); const book: Book = ops.includes(acct) && rnd() < 0.5 ? 'earnings' : 'available';
            const before = await st.balances(acct);
            const rid = `w${int(12)}`; const known = withdrawn.get(rid);
            const amount = known && rnd() < 0.5 ? known.amount : BigInt(1 + int(Number(before[book]) + 20));
            const r = await st.withdraw(acct, book, amount, rid, '', now);
            const after = await st.balances(acct);
            if (known) {
              assert.strictEqual(r.outcome, known.acct === acct && known.book === book && known.amount === amount ? 'repeat' : 'conflict');
              assert.deepStrictEqual(after, before, 'a repeated request id moves nothing');
            } else if (amount > before[book]) {
              assert.deepStrictEqual(r, { outcome: 'insufficient', held: before[book] }); assert.deepStrictEqual(after, before);
            } else {
              assert.strictEqual(r.outcome, 'withdrawn'); withdrawals++;
              withdrawn.set(rid, { acct, book, amount });
              assert.deepStrictEqual(after, { ...before, [book]: before[book] - amount });
            }
          },
          time: async () => { now += int(60); await st.reclaimLapsed(now); await st.expireOverdue(now); },
          restart: async () => { await st.close(); st = new SqliteStore(file, { failPoint }); },
          crash: async () => {
            // A transition that dies mid-way must leave no trace: same job, same money, same events.
            const before = { jobs: await all(), ledger: (await st.ledger({ limit: 10_000 })).length, head: await st.outboxHead() };
            crashNext = true;
            const op = pick(['claim', 'good', 'wrong', 'error', 'cancel', 'submit', 'time', 'submitGroup', 'cancelGroup', 'withdraw']);
            try { await steps[op](); } catch (e) { assert.match(String(e), /injected crash/); }
            if (!crashNext) {
              crashes++;
              // It did crash: nothing changed (a submit's id was consumed but no job exists).
              const after = { jobs: await all(), ledger: (await st.ledger({ limit: 10_000 })).length, head: await st.outboxHead() };
              assert.deepStrictEqual(after.jobs.filter(Boolean).map((j) => [j.id, j.state, j.updatedMs]), before.jobs.map((j) => [j.id, j.state, j.updatedMs]));
              assert.strictEqual(after.ledger, before.ledger); assert.strictEqual(after.head, before.head);
              while (jobs.length && !(await st.getJob(jobs[jobs.length - 1]))) jobs.pop();
              while (groups.length && !(await st.getGroup(groups[groups.length - 1]))) groups.pop();
            }
            crashNext = false;
          },
        };
        const weights: [string, number][] = [['deposit', 3], ['submit', 4], ['submitGroup', 1.5], ['cancelGroup', 0.4], ['claim', 5], ['progress', 1], ['good', 3], ['wrong', 2],
          ['error', 1], ['cancel', 1], ['time', 3], ['restart', 0.3], ['crash', 1], ['withdraw', 1]];
        const total = weights.reduce((a, [, w]) => a + w, 0);
        for (let step = 0; step < 250; step++) {
          let r = rnd() * total; let op = weights[0][0];
          for (const [name, w] of weights) { if ((r -= w) < 0) { op = name; break; } }
          log.push(`${step}:${op}`);
          await steps[op]();
          // ---- invariants after every step ----
          await checkLedger(st);
          const js = await all();
          let escrow = 0n; let stake = 0n;
          for (const id of [...clients, ...ops]) { const b = await st.balances(id); escrow += b.escrow; stake += b.stake; }
          assert.strictEqual(escrow, js.filter((j) => LIVE.includes(j.state)).reduce((a, j) => a + BigInt(j.maxPrice), 0n), 'escrow = holds of live jobs');
          assert.strictEqual(stake, js.filter((j) => LEASED.includes(j.state)).reduce((a, j) => a + BigInt(j.stake), 0n), 'locked stake = stakes of leased jobs');
          const settles = new Map<string, Set<string>>();
          for (const e of await st.ledger({ limit: 10_000 })) if (e.reason === 'payout') settles.set(e.jobId, (settles.get(e.jobId) ?? new Set()).add(e.txId));
          for (const [id, txs] of settles) {
            assert.strictEqual(txs.size, 1, `job ${id} paid ${txs.size} times`);
            assert.strictEqual((await st.getJob(id))!.state, 'DONE', `job ${id} paid but not DONE`);
          }
        }
        // ---- end: cancel what is live; the books reconcile with the final job states ----
        for (const id of jobs) await st.cancel(id, 'end of test', now);
        await checkLedger(st);
        const js = await all();
        let sum = 0n;
        for (const id of [...clients, ...ops, 'a_market']) for (const v of Object.values(await st.balances(id))) sum += v;
        const paidOut = [...withdrawn.values()].reduce((a, w) => a + w.amount, 0n);
        assert.strictEqual(sum, deposited - paidOut, 'every micro-credit deposited and not withdrawn is somewhere');
        assert.strictEqual((await st.balances('a_mint')).issued, -(deposited - paidOut));
        const entries = await st.ledger({ limit: 10_000 });
        const earned = new Map<string, bigint>();
        for (const j of js.filter((x) => x.state === 'DONE')) {
          const op = (await st.getProver(j.proverId))!.ownerAccountId;
          earned.set(op, (earned.get(op) ?? 0n) + BigInt(j.price) - bps(BigInt(j.price), DEFAULT_MONEY_POLICY.feeBps));
        }
        for (const w of withdrawn.values()) if (w.book === 'earnings') earned.set(w.acct, (earned.get(w.acct) ?? 0n) - w.amount);
        for (const op of ops) assert.strictEqual((await st.balances(op)).earnings, earned.get(op) ?? 0n, `earnings of ${op} = its DONE jobs' prices less fees, less its withdrawals`);
        const fees = js.filter((x) => x.state === 'DONE').reduce((a, j) => a + bps(BigInt(j.price), DEFAULT_MONEY_POLICY.feeBps), 0n);
        const slashedToMarket = entries.filter((e) => e.reason === 'slash_market').reduce((a, e) => a + BigInt(e.amount), 0n);
        assert.strictEqual((await st.balances('a_market')).fees, fees + slashedToMarket, 'market = fees + its share of slashes');
        for (const j of js) {
          const refunds = new Set(entries.filter((e) => e.jobId === j.id && e.reason === 'refund').map((e) => e.txId)).size;
          assert.strictEqual(refunds, j.state !== 'DONE' && BigInt(j.maxPrice) > 0n ? 1 : 0, `job ${j.id} ${j.state}: refunds`);
        }
        const counts: Record<string, number> = {};
        for (const j of js) counts[j.state] = (counts[j.state] ?? 0) + 1;
        assert.ok(js.length > 10, `only ${js.length} jobs were created`);
        const slashes = new Set(entries.filter((e) => e.reason === 'slash_market').map((e) => e.txId)).size;
        console.log(`      run ${run}: ${js.length} jobs (${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}), `
          + `${entries.length} entries, ${slashes} slashes, ${refusedExcluded} claims by an excluded prover refused, ${withdrawals} withdrawals, ${crashes} injected crashes rolled back`);
      } catch (e) {
        console.log(`      seed ${seed}; last steps: ${log.slice(-12).join(' ')}`);
        throw e;
      } finally { await st.close(); rmrf(dir); }
    });
  }
});
