// Time-ordered job ids and lease tokens: their shape, their order over time, their random part.
import * as assert from 'assert';
import { newJobId, newLeaseToken, newRequestId, timeOrderedId } from '../../src/common/hash';
import { newLedgerTxId } from '../../broker/store/sqlite';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('time-ordered ids', () => {
  it('job ids, lease tokens, ledger tx ids and default request ids have their documented shapes and carry the time', () => {
    const before = Date.now();
    const j = newJobId(), t = newLeaseToken(), x = newLedgerTxId(), r = newRequestId();
    const after = Date.now();
    assert.match(j, /^j_[0-9a-f]{12}[0-9a-f]{16}$/, j);
    assert.match(t, /^[0-9a-f]{12}[0-9a-f]{24}$/, t);
    assert.match(x, /^t_[0-9a-f]{12}[0-9a-f]{12}$/, x);
    assert.match(r, /^[0-9a-f]{12}[0-9a-f]{24}$/, r);
    for (const [s, at] of [[j, 2], [t, 0], [x, 2], [r, 0]] as const) {
      const ms = parseInt(s.slice(at, at + 12), 16);
      assert.ok(ms >= before && ms <= after, `${s}: time ${ms} outside [${before}, ${after}]`);
    }
  });

  it('an id made in a later millisecond sorts after every earlier one (the B-tree right edge)', async () => {
    const first = Array.from({ length: 200 }, newJobId);
    await sleep(3);
    const later = Array.from({ length: 200 }, newJobId);
    const maxFirst = first.reduce((a, b) => (a > b ? a : b));
    for (const id of later) assert.ok(id > maxFirst, `${id} sorts before ${maxFirst}`);
  });

  it('the random part differs between ids of the same millisecond and uses every hex digit at every place', () => {
    const n = 20_000;
    const tails = Array.from({ length: n }, () => newLeaseToken().slice(12));
    assert.equal(new Set(tails).size, n, 'two lease tokens share their random part');
    // With 20,000 uniform draws, each of 16 digits shows up at each of 24 places (P(miss) ≈ 16·24·e^-1250).
    for (let at = 0; at < 24; at++) assert.equal(new Set(tails.map((s) => s[at])).size, 16, `place ${at} is not uniform`);
    const jobTails = new Set(Array.from({ length: n }, () => newJobId().slice(14)));
    assert.equal(jobTails.size, n, 'two job ids share their random part');
  });

  it('timeOrderedId takes a prefix and a random length', () => {
    assert.match(timeOrderedId('x_', 1), /^x_[0-9a-f]{14}$/);
    assert.throws(() => timeOrderedId('x_', 0), RangeError);
  });
});
