// The short soak CI runs (npm run soak is the long one): 40 jobs with kill -9 of brokers and
// provers at random moments, on one broker (two when PM_TEST_STORE_URL names a shared store);
// nothing lost, no wrong proof delivered, nobody paid twice, the ledger sums to zero.
import * as assert from 'assert';
import { runSoak } from '../../bench/soak';
import { dumpLive, killAll } from '../helpers/procs';

describe('soak (short): 40 jobs while brokers and provers are killed -9', function () {
  this.timeout(240_000);
  after(async () => { await killAll(); });
  afterEach(function () { if (this.currentTest?.state === 'failed') console.log(dumpLive()); });

  it('loses nothing, delivers no wrong proof, pays once, balances the ledger', async () => {
    const store = process.env.PM_TEST_STORE_URL;
    const rep = await runSoak({
      jobs: Number(process.env.PM_SOAK_JOBS ?? 40), brokers: store ? 2 : 1, provers: 2, seconds: 170, killEveryMs: 2500, chaosFraction: 0.35, store,
      log: (l) => console.log(`      ${l}`),
    });
    assert.strictEqual(rep.lost, 0, 'jobs lost');
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
