// Group commit on the submit path (store/sqlite.ts tx, store/postgres GroupCommit): concurrent
// submits decided together in one transaction still get their own answers — a bad input, a
// repeated request id (same and different payload), an escrow the balance cannot cover, the
// per-account live-job cap — and everything answered OK survives a SIGKILL of the broker right
// after the answers. Runs on SQLite, and on PostgreSQL when PM_TEST_PG_URL is set.
import * as assert from 'assert';
import { MarketClient, MarketError } from '../../src/client/market';
import { circuitsByCurve, freshInput, seededRandom, type ExampleCircuit } from '../helpers/circuits';
import { adminOf, registerExample } from '../helpers/market';
import { freshPgDatabase, PG_URL } from '../helpers/pg';
import { restartBrokerProc, startBrokerProc, type BrokerProc } from '../helpers/procs';
import { liveProcessHooks } from '../helpers/hooks';

const CAP = 40;
const PRICE = 10n;
const DEPOSIT = 1000n;

/** The broker's store counters from its /metrics. */
async function storeCounters(metrics: string): Promise<{ tx: number; commits: number }> {
  const text = await (await fetch(metrics)).text();
  const v = (n: string) => Number(new RegExp(`^${n} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { tx: v('pm_store_transactions_total'), commits: v('pm_store_commits_total') };
}

type Settled = { ok: true; id: string; requestId: string } | { ok: false; code: string; message: string };

for (const store of ['sqlite', 'postgres'] as const) {
  describe(`group commit on the submit path (${store})`, function () {
    this.timeout(180_000);
    let c: ExampleCircuit;
    let drop: (() => Promise<void>) | null = null;
    let extra: string[] = [];
    const closers: { close(): void }[] = [];

    before(async function () {
      if (store === 'postgres') {
        if (!PG_URL) { console.log('    (skipped on PostgreSQL: set PM_TEST_PG_URL; .ci/run starts a throwaway server)'); this.skip(); }
        const db = await freshPgDatabase('group_commit');
        drop = db.drop; extra = ['--store', db.url];
      }
      c = circuitsByCurve().bn254;
    });

    liveProcessHooks({ perTest: true, snarkjs: false, close: () => { for (const x of closers.splice(0)) x.close(); }, finally: () => drop?.() });

    it('concurrent submits in one batch get their own answers, and every OK survives kill -9 right after', async () => {
      let broker: BrokerProc = await startBrokerProc({ extraArgs: ['--max-live-jobs', String(CAP), '--http', '127.0.0.1:0', ...extra] });
      const metrics = (await broker.proc.waitFor(/metrics on (http:\/\/\S+\/metrics)/, 30_000))[1];
      const admin = adminOf(broker); closers.push(admin);
      await admin.deposit('local-client', DEPOSIT);
      // Two channels, so the burst arrives on two connections.
      const clients = [0, 1].map(() => new MarketClient(broker.address, { apiKey: broker.keys.client }));
      closers.push(...clients);
      await registerExample(clients[0], c);
      const rnd = seededRandom(`group-commit-${store}`);
      const input = () => JSON.stringify(freshInput(c, rnd.next));
      let k = 0;
      const submit = (requestId: string, inp: string, maxPrice = PRICE): Promise<Settled> =>
        clients[k++ % 2].submit({ circuit: c.name, input: inp, requestId, maxPrice }).then(
          (j) => ({ ok: true as const, id: j.id, requestId }),
          (e: MarketError) => ({ ok: false as const, code: e.codeName, message: e.message }));
      const before = await storeCounters(metrics);

      // Burst 1 (the cap does not bind: 26 jobs < 40): all sent at once, answered one by one.
      const same = input(); const diffA = input(); const diffB = input();
      const burst1 = await Promise.all([
        ...Array.from({ length: 24 }, (_, i) => submit(`ok-${i}`, input())),
        submit('bad-input', JSON.stringify({ key: '1' })), // signals missing
        submit('dup-same', same), submit('dup-same', same),
        submit('dup-diff', diffA), submit('dup-diff', diffB),
        submit('too-dear', input(), DEPOSIT * 10n),
      ]);
      const [oks, bad, s1, s2, d1, d2, dear] = [burst1.slice(0, 24), burst1[24], burst1[25], burst1[26], burst1[27], burst1[28], burst1[29]];
      for (const r of oks) assert.ok(r.ok, `a valid submit failed: ${JSON.stringify(r)}`);
      assert.equal(new Set(oks.map((r) => (r as { id: string }).id)).size, 24, 'each valid submit has its own job');
      assert.ok(!bad.ok && bad.code === 'INVALID_ARGUMENT', `bad input: ${JSON.stringify(bad)}`);
      assert.ok(s1.ok && s2.ok && s1.id === s2.id, `one request id, same payload → the same job: ${JSON.stringify([s1, s2])}`);
      const diff = [d1, d2];
      assert.equal(diff.filter((r) => r.ok).length, 1, `one request id, two payloads → one job: ${JSON.stringify(diff)}`);
      assert.equal(diff.filter((r) => !r.ok && r.code === 'ALREADY_EXISTS').length, 1, `…and one ALREADY_EXISTS: ${JSON.stringify(diff)}`);
      assert.ok(!dear.ok && dear.code === 'FAILED_PRECONDITION', `escrow beyond the balance: ${JSON.stringify(dear)}`);

      // Burst 2: 20 more against a cap with 14 places left.
      const burst2 = await Promise.all(Array.from({ length: 20 }, (_, i) => submit(`cap-${i}`, input())));
      const capOk = burst2.filter((r) => r.ok);
      assert.equal(capOk.length, CAP - 26, `the live-job cap admits exactly ${CAP - 26} of 20: ${burst2.filter((r) => !r.ok).map((r) => JSON.stringify(r)).join(' ')}`);
      for (const r of burst2) if (!r.ok) assert.equal(r.code, 'RESOURCE_EXHAUSTED', r.message);

      const after = await storeCounters(metrics);
      const tx = after.tx - before.tx; const commits = after.commits - before.commits;
      console.log(`      ${tx} store transactions in ${commits} COMMITs`);
      assert.ok(commits < tx, `no two submits shared a COMMIT (${tx} transactions, ${commits} COMMITs)`);

      // Kill -9 right after the answers: every job answered OK is there after the restart.
      const answered = [...oks, s1, ...diff, ...capOk].filter((r): r is Extract<Settled, { ok: true }> => r.ok);
      for (const x of clients) x.close();
      broker = await restartBrokerProc(broker, 'SIGKILL');
      const client = new MarketClient(broker.address, { apiKey: broker.keys.client }); closers.push(client);
      const jobs = await client.listJobs({ limit: 1000 });
      assert.deepEqual(jobs.map((j) => j.id).sort(), [...new Set(answered.map((r) => r.id))].sort(), 'the jobs after the restart are exactly those answered OK');
      for (const j of jobs) assert.equal(j.state, 'JOB_STATE_QUEUED', `job ${j.id} is ${j.state}`);
      // Idempotent across the kill: the same request id finds the same job.
      const again = await client.submit({ circuit: c.name, input: same, requestId: 'dup-same', maxPrice: PRICE });
      assert.equal(again.id, (s1 as { id: string }).id);
      // Escrow: exactly one hold per job.
      const admin2 = adminOf(broker); closers.push(admin2);
      const bal = await admin2.balance('local-client');
      assert.equal(BigInt(bal.escrow), BigInt(CAP) * PRICE, 'escrow = one hold per job');
      assert.equal(BigInt(bal.available), DEPOSIT - BigInt(CAP) * PRICE, 'available = deposit less the holds');
    });
  });
}
