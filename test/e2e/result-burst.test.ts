// The result path under a burst: one prover session writes many results at once (as a prover with
// many slots, or bench:market's DONE phase, does). The broker takes them in side by side (their
// VERIFYING and DONE writes share COMMITs, their proofs share multi-pairings), and still: every
// honest job is DONE and paid exactly once, the same result sent twice is settled once, a proof of
// another job's statement and a proof that fails the pairing are rejected (only those jobs; their
// prover's stake slashed), and all of it survives kill -9 of the broker right after the acks.
// Runs on SQLite, and on PostgreSQL when PM_TEST_PG_URL is set.
import * as assert from 'assert';
import { MarketClient } from '../../src/client/market';
import type { Job__Output } from '../../src/common';
import { circuitsByCurve, freshInput, seededRandom, type ExampleCircuit } from '../helpers/circuits';
import { instantProver, type Answer, type InstantProver } from '../helpers/instant-prover';
import { adminOf, checkMoney, newOperator, registerExample, waitForJob } from '../helpers/market';
import { freshPgDatabase, PG_URL } from '../helpers/pg';
import { restartBrokerProc, sleep, startBrokerProc, type BrokerProc } from '../helpers/procs';
import { liveProcessHooks } from '../helpers/hooks';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const snarkjs = require('snarkjs') as { groth16: { fullProve(i: unknown, w: string, z: string): Promise<{ proof: Record<string, unknown>; publicSignals: string[] }> } };

const HONEST = 10;
const PRICE = 20n;
const ASK = '10';

async function counters(metrics: string): Promise<{ tx: number; commits: number; proofs: number; checks: number }> {
  const text = await (await fetch(metrics)).text();
  const v = (n: string) => Number(new RegExp(`^${n} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { tx: v('pm_store_transactions_total'), commits: v('pm_store_commits_total'), proofs: v('pm_verifier_proofs_total'), checks: v('pm_verifier_checks_total') };
}

for (const store of ['sqlite', 'postgres'] as const) {
  describe(`a burst of results on one prover session (${store})`, function () {
    this.timeout(240_000);
    let c: ExampleCircuit;
    let drop: (() => Promise<void>) | null = null;
    let extra: string[] = [];
    const closers: { close(): void }[] = [];
    let prover: InstantProver | null = null;

    before(async function () {
      if (store === 'postgres') {
        if (!PG_URL) { console.log('    (skipped on PostgreSQL: set PM_TEST_PG_URL; .ci/run starts a throwaway server)'); this.skip(); }
        const db = await freshPgDatabase('result_burst');
        drop = db.drop; extra = ['--store', db.url];
      }
      c = circuitsByCurve().bn254;
    });

    liveProcessHooks({ perTest: true, snarkjs: false, close: () => { prover?.stop(); prover = null; for (const x of closers.splice(0)) x.close(); }, finally: () => drop?.() });

    it('honest jobs DONE and paid once, a duplicate settled once, wrong proofs rejected alone; all of it survives kill -9', async () => {
      const rnd = seededRandom(`result-burst-${store}`);
      // Jobs 0..HONEST-1 and HONEST+1 get proofs of their own inputs; job HONEST gets none of its own.
      const inputs = Array.from({ length: HONEST + 2 }, () => JSON.stringify(freshInput(c, rnd.next)));
      const proofs: Answer[] = [];
      for (const inp of [...inputs.slice(0, HONEST), inputs[HONEST + 1]]) {
        const { proof, publicSignals } = await snarkjs.groth16.fullProve(JSON.parse(inp), c.wasm, c.zkey);
        proofs.push({ proofJson: JSON.stringify(proof), publicJson: JSON.stringify(publicSignals) });
      }
      // Job HONEST: a valid proof of job 0's statement. Job HONEST+1: its own public signals, but
      // pi_c of another proof (fails the pairing; the circuit's R1CS vouches for the witness).
      const wrongStatement = proofs[0];
      const own = proofs[HONEST];
      const badPairing: Answer = {
        proofJson: JSON.stringify({ ...JSON.parse(own.proofJson), pi_c: JSON.parse(proofs[1].proofJson).pi_c }),
        publicJson: own.publicJson,
      };

      let broker: BrokerProc = await startBrokerProc({ extraArgs: ['--http', '127.0.0.1:0', '--lease-ms', '600000', ...extra] });
      const metrics = (await broker.proc.waitFor(/metrics on (http:\/\/\S+\/metrics)/, 30_000))[1];
      const admin = adminOf(broker); closers.push(admin);
      await admin.deposit('local-client', 1000n);
      const opKey = await newOperator(admin, 'op-burst', 1000n);
      const client = new MarketClient(broker.address, { apiKey: broker.keys.client }); closers.push(client);
      await registerExample(client, c);

      const acks = new Map<string, { status: string; message: string }[]>();
      prover = await instantProver(broker.address, opKey, {
        price: ASK, answer: () => undefined, // every result is sent by hand below
        onAck: (id, status, message) => { const l = acks.get(id) ?? []; l.push({ status, message }); acks.set(id, l); },
      });
      const jobs: Job__Output[] = [];
      for (const [i, input] of inputs.entries()) jobs.push(await client.submit({ circuit: c.name, input, requestId: `burst-${rnd.seed}-${i}`, maxPrice: PRICE }));
      for (const end = Date.now() + 60_000; Date.now() < end && !jobs.every((j) => prover!.assigned.has(j.id));) await sleep(20);
      assert.ok(jobs.every((j) => prover!.assigned.has(j.id)), 'every job was assigned to the instant prover');
      const lease = (k: number) => prover!.assigned.get(jobs[k].id)!.leaseToken;

      // The burst: all in one go, job 0's result twice; a proof of job 0's statement for job HONEST.
      const before = await counters(metrics);
      for (let k = 0; k < HONEST; k++) prover.send(jobs[k].id, lease(k), proofs[k]);
      prover.send(jobs[0].id, lease(0), proofs[0]);
      prover.send(jobs[HONEST].id, lease(HONEST), wrongStatement);
      const final = (id: string) => acks.get(id)?.find((a) => a.status !== 'stale');
      const settled = async (js: Job__Output[]) => { for (const end = Date.now() + 120_000; Date.now() < end && !js.every((j) => final(j.id));) await sleep(20); };
      await settled(jobs.slice(0, HONEST + 1));
      const after = await counters(metrics);
      // Then the proof that fails the pairing (a batch holding it is checked again one by one).
      prover.send(jobs[HONEST + 1].id, lease(HONEST + 1), badPairing);
      await settled(jobs);

      for (let k = 0; k < HONEST; k++) {
        assert.equal(final(jobs[k].id)?.status, 'accepted', `job ${k}: ${JSON.stringify(acks.get(jobs[k].id))}`);
        assert.ok(acks.get(jobs[k].id)!.every((a) => a.status === 'accepted'), `job ${k} got ${JSON.stringify(acks.get(jobs[k].id))}`);
      }
      assert.equal(final(jobs[HONEST].id)?.status, 'rejected');
      assert.match(final(jobs[HONEST].id)!.message, /another statement/);
      assert.equal(final(jobs[HONEST + 1].id)?.status, 'rejected');
      assert.match(final(jobs[HONEST + 1].id)!.message, /failed verification/);
      console.log(`    burst: ${after.tx - before.tx} store transactions in ${after.commits - before.commits} COMMITs; ${after.proofs - before.proofs} proofs in ${after.checks - before.checks} pairing checks`);
      if (store === 'sqlite') {
        // Group commit: the burst's writes (VERIFYING and DONE of each job, latency samples)
        // shared COMMITs — about half of them at most. Results taken in one at a time (each
        // waiting for its own VERIFYING COMMIT before the next was read) measured 27 in 19.
        assert.ok(2 * (after.commits - before.commits) <= after.tx - before.tx,
          `too few COMMITs shared: ${after.tx - before.tx} transactions in ${after.commits - before.commits} COMMITs`);
      }
      assert.ok(after.checks - before.checks < after.proofs - before.proofs,
        `no multi-pairing was shared: ${after.proofs - before.proofs} proofs in ${after.checks - before.checks} checks`);

      // kill -9 right after the acks: what was acknowledged is what the restarted broker has.
      broker = await restartBrokerProc(broker, 'SIGKILL');
      const admin2 = adminOf(broker); closers.push(admin2);
      const client2 = new MarketClient(broker.address, { apiKey: broker.keys.client }); closers.push(client2);
      const done = await Promise.all(jobs.slice(0, HONEST).map((j) => client2.getJob(j.id)));
      for (const j of done) assert.equal(j.state, 'JOB_STATE_DONE', `job ${j.id} is ${j.state} after the restart`);
      // The rejected jobs were requeued away from this prover (no other prover: cancel them, refunded).
      const rest = await Promise.all(jobs.slice(HONEST).map(async (j) => {
        await client2.cancel(j.id).catch(() => {});
        return waitForJob(client2, j.id, (x) => ['JOB_STATE_CANCELLED', 'JOB_STATE_FAILED'].includes(x.state), 'ended');
      }));
      const m = await checkMoney(admin2, [...done, ...rest], 2000n);
      // Each DONE job paid the ask (10, 5% fee: 0.5 rounds per the policy) once; the two rejected proofs each cost the stake of their lease.
      const slashes = (await admin2.ledger({ account: 'op-burst', limit: 10_000 })).filter((e) => e.book === 'stake' && e.reason === 'slash_compensation');
      assert.equal(slashes.length, 2, 'the two wrong proofs were slashed, nothing else');
      assert.ok(BigInt(m['op-burst'].earnings) > 0n);
      const payouts = (await admin2.ledger({ limit: 10_000 })).filter((e) => e.reason === 'payout' && e.book === 'earnings' && BigInt(e.amount) > 0n);
      assert.deepEqual(new Set(payouts.map((e) => e.jobId)), new Set(done.map((j) => j.id)), 'exactly the DONE jobs were paid');
      assert.equal(payouts.length, HONEST, 'each once');
    });
  });
}
