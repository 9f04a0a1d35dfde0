// The short soak CI runs (npm run soak is the long one), twice: 40 jobs on one broker with the
// embedded SQLite store, and 30 jobs on two brokers sharing a fresh PostgreSQL database (needs
// PM_TEST_PG_URL, which .ci/run sets; skipped with a message without it). Brokers and provers are
// killed with -9 at random moments; nothing lost, no wrong proof delivered, nobody paid twice, the
// ledger sums to zero.
import * as assert from 'assert';
import { runSoak, type SoakOptions } from '../../bench/soak';
import { freshPgDatabase, requirePg } from '../helpers/pg';
import { liveProcessHooks } from '../helpers/hooks';

const suites: { kind: 'sqlite' | 'postgres'; jobs: number; brokers: number }[] = [
  { kind: 'sqlite', jobs: Number(process.env.PM_SOAK_JOBS ?? 40), brokers: 1 },
  { kind: 'postgres', jobs: Number(process.env.PM_SOAK_PG_JOBS ?? 30), brokers: 2 },
];

for (const s of suites) describe(`soak (short, ${s.kind}): ${s.jobs} jobs on ${s.brokers} broker(s) while brokers and provers are killed -9`, function () {
  this.timeout(240_000);
  let store: string | undefined;
  let dropDb: (() => Promise<void>) | null = null;
  before(async function () {
    if (s.kind !== 'postgres') return;
    requirePg(this, 'the two-broker soak on PostgreSQL');
    const db = await freshPgDatabase('soak');
    store = db.url; dropDb = db.drop;
  });
  liveProcessHooks({ snarkjs: false, finally: () => dropDb?.() });

  it('loses nothing, delivers no wrong proof, pays once, balances the ledger', async () => {
    const o: SoakOptions = {
      jobs: s.jobs, brokers: s.brokers, provers: 2, seconds: 170, killEveryMs: 2500, chaosFraction: 0.35, store,
      log: (l) => console.log(`      ${l}`),
    };
    const rep = await runSoak(o);
    assert.strictEqual(rep.store, s.kind);
    assert.strictEqual(rep.lost, 0, 'jobs lost');
    assert.strictEqual(rep.unfinished, 0, 'jobs still live at the time limit');
    assert.strictEqual(rep.failed, 0, 'jobs that ended other than DONE');
    assert.strictEqual(rep.wrongProofs, 0, 'wrong proofs delivered');
    assert.strictEqual(rep.doublePayouts, 0, 'double payouts');
    assert.strictEqual(rep.ledgerSum, '0', 'ledger sum');
    assert.strictEqual(rep.unbalancedTx, 0, 'unbalanced ledger transactions');
    assert.strictEqual(rep.leftInEscrow, '0');
    assert.strictEqual(rep.leftAsStake, '0');
    assert.ok(rep.kills.broker >= 1 && rep.kills.prover >= 2, `chaos happened (${JSON.stringify(rep.kills)})`);
  });
});
