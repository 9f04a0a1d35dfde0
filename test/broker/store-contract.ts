// The Store contract: every behaviour the broker relies on, written against the Store interface
// only, so a second implementation (PostgreSQL) runs the same tests:
//   storeContract('PostgreSQL', { open, close, ... })
// Covers the job state machine (../../broker/lifecycle.ts), the money each transition moves, the
// outbox, accounts and keys, tenancy of circuits and request ids.
import * as assert from 'assert';
import { isDeepStrictEqual } from 'util';
import { canMove, TRANSITIONS } from '../../broker/lifecycle';
import type { Book, ClaimTerms, JobRecord, NewJob, NewJobGroup, ProverCaps, Store } from '../../broker/store/types';
import { sampleCircuit } from './helpers';

export interface StoreFactory {
  /** A fresh, empty store. */
  open(): Promise<Store>;
  /** Closes `s` and opens the same database again (persistence test). */
  reopen(s: Store): Promise<Store>;
  /** A second connection to the same database as `s` (concurrency test); null to skip. */
  second?(s: Store): Promise<Store>;
  /** Removes what open() created. */
  destroy?(): Promise<void>;
}

export const CAPS: ProverCaps = {
  curves: ['bn254'], backends: ['snarkjs'], maxConstraints: 0, slots: 1, price: '0', pricePerMConstraints: '0', devices: [], bench: [],
};

/** Sum of every book of every account but the mint, and the mint's issued (negative) balance. */
export async function totals(st: Store, accountIds: string[]): Promise<{ held: bigint; books: Record<string, Record<Book, bigint>> }> {
  const books: Record<string, Record<Book, bigint>> = {};
  let held = 0n;
  for (const id of accountIds) {
    books[id] = await st.balances(id);
    for (const v of Object.values(books[id])) held += v;
  }
  return { held, books };
}

/** Checks the whole ledger: every transaction sums to zero; no balance but the mint's is negative. */
export async function checkLedger(st: Store): Promise<void> {
  const es = await st.ledger({ limit: 10_000 });
  const byTx = new Map<string, bigint>();
  const perAcct = new Map<string, bigint>();
  for (const e of es) {
    byTx.set(e.txId, (byTx.get(e.txId) ?? 0n) + BigInt(e.amount));
    const k = `${e.accountId}/${e.book}`;
    perAcct.set(k, (perAcct.get(k) ?? 0n) + BigInt(e.amount));
    assert.ok(e.explanation.length > 10, `entry ${e.seq} has an explanation`);
    assert.ok(e.reason, `entry ${e.seq} has a reason`);
  }
  for (const [tx, sum] of byTx) assert.strictEqual(sum, 0n, `transaction ${tx} sums to ${sum}`);
  for (const [k, sum] of perAcct) {
    const [acct, book] = k.split('/');
    if (book !== 'issued') assert.ok(sum >= 0n, `${k} is negative (${sum})`);
    assert.strictEqual((await st.balances(acct))[book as Book], sum, `${k}: balance equals the sum of its entries`);
  }
}

export function storeContract(name: string, f: StoreFactory): void {
  describe(`Store contract: ${name}`, () => {
    let st: Store;
    let alice: string; let bob: string; let op: string; let P1: string; let P2: string;
    const C = 'c_0000000000000001';

    function newJob(id: string, over: Partial<NewJob> = {}): NewJob {
      return {
        id, ownerAccountId: alice, requestId: `req-${id}`, circuitId: C, inputJson: '{"a":"1"}', witness: null,
        payloadSha256: 'p'.repeat(64), maxAttempts: 3, deadlineMs: 0, maxPrice: 0n, nowMs: Date.now(), ...over,
      };
    }
    const terms = (proverId: string, leaseToken: string, leaseExpiresMs: number, price = 0n): ClaimTerms => ({ proverId, leaseToken, leaseExpiresMs, price });

    beforeEach(async () => {
      st = await f.open();
      alice = (await st.createAccount('alice', 'client', 1)).account.id;
      bob = (await st.createAccount('bob', 'client', 1)).account.id;
      op = (await st.createAccount('op', 'prover', 1)).account.id;
      P1 = (await st.upsertProver(op, 'host-a:/p1', 'p1', CAPS, 1)).id;
      P2 = (await st.upsertProver(op, 'host-a:/p2', 'p2', CAPS, 1)).id;
      assert.strictEqual((await st.insertCircuit(sampleCircuit(C, 'sample', alice))).outcome, 'inserted');
    });
    afterEach(async () => { await st.close(); await f.destroy?.(); });

    async function queued(id: string, over: Partial<NewJob> = {}) {
      assert.strictEqual((await st.submit(newJob(id, over))).outcome, 'created');
      assert.strictEqual((await st.enqueue(id, Date.now())).outcome, 'moved');
    }

    it('walks every legal transition to DONE, each one declared in lifecycle.ts', async () => {
      const s = await st.submit(newJob('j1'));
      assert.strictEqual(s.outcome, 'created'); assert.strictEqual(s.job!.state, 'SUBMITTED');
      const q = await st.enqueue('j1', 2);
      assert.strictEqual(q.job!.state, 'QUEUED'); assert.ok(canMove('enqueue', 'SUBMITTED', 'QUEUED'));
      const c = await st.claim('j1', terms(P1, 'T1', 1000), 3);
      assert.strictEqual(c.outcome, 'claimed'); assert.strictEqual(c.job!.state, 'ASSIGNED'); assert.ok(canMove('claim', 'QUEUED', 'ASSIGNED'));
      assert.strictEqual(c.job!.attempts, 1); assert.strictEqual(c.job!.proverId, P1); assert.strictEqual(c.job!.leaseExpiresMs, 1000);
      const h = await st.heartbeat('j1', 'T1', 2000, 4);
      assert.strictEqual(h.outcome, 'ok'); assert.strictEqual(h.job!.leaseExpiresMs, 2000); assert.strictEqual(h.job!.state, 'ASSIGNED');
      const p = await st.progress('j1', 'T1', 0.5, 'proving', 3000, 5);
      assert.strictEqual(p.job!.state, 'PROVING'); assert.strictEqual(p.job!.progress, 0.5); assert.strictEqual(p.job!.stage, 'proving');
      const v = await st.beginVerify('j1', 'T1', '{"pi_a":[]}', '["1"]', 'snarkjs', 42, 6);
      assert.strictEqual(v.job!.state, 'VERIFYING'); assert.strictEqual(v.job!.proveMs, 42); assert.ok(canMove('beginVerify', 'PROVING', 'VERIFYING'));
      const d = await st.accept('j1', 'T1', 7);
      assert.strictEqual(d.outcome, 'ok'); assert.strictEqual(d.job!.state, 'DONE'); assert.ok(canMove('accept', 'VERIFYING', 'DONE'));
      assert.strictEqual(d.job!.proofJson, '{"pi_a":[]}'); assert.strictEqual(d.job!.publicJson, '["1"]');
      assert.strictEqual(d.job!.leaseToken, 'T1', 'the last token is kept, powerless');
      assert.strictEqual((await st.heartbeat('j1', 'T1', 9999, 8)).outcome, 'stale');
      const pr = (await st.getProver(P1))!;
      assert.strictEqual(pr.accepted, 1); assert.strictEqual(pr.reputation, 1);
    });

    it('ASSIGNED → VERIFYING directly (a prover that sends no progress)', async () => {
      await queued('j1');
      await st.claim('j1', terms(P1, 'T1', Date.now() + 1000), 1);
      assert.strictEqual((await st.beginVerify('j1', 'T1', '{}', '[]', 'cpu', 1, 2)).job!.state, 'VERIFYING');
    });

    it('refuses illegal transitions', async () => {
      await st.submit(newJob('j1'));
      assert.strictEqual((await st.claim('j1', terms(P1, 'T1', 1), 1)).outcome, 'not_queued');
      assert.strictEqual((await st.heartbeat('j1', 'T1', 1, 1)).outcome, 'stale');
      assert.strictEqual((await st.accept('j1', 'T1', 1)).outcome, 'stale');
      await st.enqueue('j1', 1);
      assert.strictEqual((await st.enqueue('j1', 1)).outcome, 'wrong_state');
      assert.strictEqual((await st.beginVerify('j1', 'T1', '{}', '[]', 'x', 1, 1)).outcome, 'stale');
      assert.strictEqual((await st.release('j1', 'T1', 'e', true, 1)).outcome, 'stale');
      await st.claim('j1', terms(P1, 'T1', Date.now() + 1000), 1);
      assert.strictEqual((await st.claim('j1', terms(P2, 'T2', 1), 1)).outcome, 'not_queued');
      assert.strictEqual((await st.progress('j1', 'WRONG', 0.1, 's', 1, 1)).outcome, 'stale');
      assert.strictEqual((await st.beginVerify('j1', 'WRONG', '{}', '[]', 'x', 1, 1)).outcome, 'stale');
      assert.strictEqual((await st.accept('j1', 'T1', 1)).outcome, 'stale');
      assert.strictEqual((await st.reject('j1', 'T1', 'bad', 1)).outcome, 'stale');
      await st.beginVerify('j1', 'T1', '{}', '[]', 'x', 1, 1);
      assert.strictEqual((await st.progress('j1', 'T1', 0.1, 's', 1, 1)).outcome, 'stale');
      assert.strictEqual((await st.beginVerify('j1', 'T1', '{}', '[]', 'x', 1, 1)).outcome, 'stale');
      await st.accept('j1', 'T1', 1);
      assert.strictEqual((await st.cancel('j1', 'x', 1)).outcome, 'terminal');
      assert.strictEqual((await st.accept('j1', 'T1', 1)).outcome, 'stale');
      assert.strictEqual((await st.getJob('j1'))!.state, 'DONE');
      assert.strictEqual((await st.claim('nope', terms(P1, 'T', 1), 1)).outcome, 'not_found');
      assert.strictEqual((await st.heartbeat('nope', 'T', 1, 1)).outcome, 'not_found');
    });

    it('rejects a wrong proof: requeued, prover excluded and charged; capped attempts → FAILED', async () => {
      await queued('j1', { maxAttempts: 2 });
      await st.claim('j1', terms(P1, 'T1', Date.now() + 1000), 1);
      await st.beginVerify('j1', 'T1', '{}', '[]', 'x', 1, 1);
      const r = await st.reject('j1', 'T1', 'proof failed verification', 2);
      assert.strictEqual(r.outcome, 'requeued'); assert.strictEqual(r.job!.state, 'QUEUED');
      assert.deepStrictEqual(r.job!.excluded, [P1]); assert.strictEqual(r.job!.proofJson, '');
      // The store itself refuses the excluded prover, whatever a (stale) planner asked for.
      assert.deepStrictEqual(await st.claim('j1', terms(P1, 'T1b', Date.now() + 1000), 3), { outcome: 'excluded', job: null });
      assert.strictEqual((await st.getJob('j1'))!.state, 'QUEUED');
      const [x1, x2] = await Promise.all([st.claim('j1', terms(P1, 'T1c', Date.now() + 1000), 3), st.claim('j1', terms(P2, 'T2', Date.now() + 1000), 3)]);
      assert.deepStrictEqual([x1.outcome, x2.outcome], ['excluded', 'claimed'], 'in one group-committed batch too');
      await st.beginVerify('j1', 'T2', '{}', '[]', 'x', 1, 1);
      const r2 = await st.reject('j1', 'T2', 'proof failed verification', 4);
      assert.strictEqual(r2.outcome, 'failed'); assert.strictEqual(r2.job!.state, 'FAILED');
      assert.deepStrictEqual(r2.job!.excluded, [P1, P2]);
      assert.match(r2.job!.error, /gave up after 2 attempts; last: proof failed verification/);
      const p = (await st.getProver(P1))!;
      assert.strictEqual(p.rejected, 1); assert.strictEqual(p.reputation, -10);
    });

    it('release: retryable → QUEUED, not retryable → FAILED', async () => {
      await queued('j1'); await queued('j2');
      await st.claim('j1', terms(P1, 'T1', Date.now() + 1000), 1);
      await st.claim('j2', terms(P1, 'T2', Date.now() + 1000), 1);
      const a = await st.release('j1', 'T1', 'out of memory', true, 2);
      assert.strictEqual(a.outcome, 'requeued'); assert.strictEqual(a.job!.error, 'out of memory');
      assert.strictEqual((await st.progress('j1', 'T1', 0.5, 'x', Date.now() + 1000, 3)).outcome, 'stale', 'released token is powerless');
      const b = await st.release('j2', 'T2', 'witness: assert failed', false, 2);
      assert.strictEqual(b.outcome, 'failed'); assert.strictEqual(b.job!.state, 'FAILED');
    });

    it('release: one operator uses at most one attempt of a job through retryable give-backs, whatever its prover keys', async () => {
      const op2 = (await st.createAccount('op2', 'prover', 1)).account.id;
      const Q1 = (await st.upsertProver(op2, 'host-b:/q1', 'q1', CAPS, 1)).id;
      await queued('j1', { maxAttempts: 2 });
      let t = 1;
      const giveBack = async (prover: string) => {
        const token = `T${t}`;
        assert.strictEqual((await st.claim('j1', terms(prover, token, Date.now() + 1000), t++)).outcome, 'claimed');
        return st.release('j1', token, 'out of memory, try again', true, t++);
      };
      // op's first give-back uses an attempt; every later one by op (P1 or its second key P2) hands it back.
      let r = await giveBack(P1);
      assert.strictEqual(r.outcome, 'requeued'); assert.strictEqual(r.job!.attempts, 1); assert.deepStrictEqual(r.job!.givenBack, [op]);
      // One entry per give-back, at most 3 per operator (then routing no longer offers it the job).
      let n = 1;
      for (const p of [P2, P1, P2, P1]) {
        r = await giveBack(p);
        n = Math.min(n + 1, 3);
        assert.strictEqual(r.outcome, 'requeued', 'an operator cannot run the job out of attempts');
        assert.strictEqual(r.job!.attempts, 1); assert.deepStrictEqual(r.job!.givenBack, Array(n).fill(op));
      }
      assert.strictEqual(r.job!.error, 'out of memory, try again');
      // Another operator's give-back is its own attempt: the cap (2) is reached, the job FAILS and is refunded.
      r = await giveBack(Q1);
      assert.strictEqual(r.outcome, 'failed'); assert.strictEqual(r.job!.attempts, 2);
      assert.match(r.job!.error, /gave up after 2 attempts; last: out of memory/);
      // A non-retryable release and a lapsed lease are unchanged: not give-backs.
      await queued('j2', { maxAttempts: 2 });
      await st.claim('j2', terms(P1, 'U1', Date.now() + 1000), t++);
      assert.deepStrictEqual((await st.release('j2', 'U1', 'witness: assert failed', false, t++)).job!.givenBack, []);
      assert.deepStrictEqual((await st.getJob('j1'))!.givenBack, [op, op, op, op2], 'kept with the job');
    });

    it('submit is idempotent on (owner, request_id); another tenant may reuse the id', async () => {
      const a = await st.submit(newJob('j1'));
      const b = await st.submit(newJob('j2', { requestId: 'req-j1' }));
      assert.strictEqual(b.outcome, 'existing'); assert.strictEqual(b.job!.id, 'j1');
      const c = await st.submit(newJob('j3', { requestId: 'req-j1', payloadSha256: 'q'.repeat(64) }));
      assert.strictEqual(c.outcome, 'conflict'); assert.strictEqual(c.job!.id, a.job!.id);
      const d = await st.submit(newJob('j4', { requestId: 'req-j1', ownerAccountId: bob }));
      assert.strictEqual(d.outcome, 'created', 'request ids are per tenant');
      assert.strictEqual((await st.listJobs({ ownerAccountId: alice })).length, 1);
      assert.strictEqual((await st.listJobs({ ownerAccountId: bob })).length, 1);
      assert.strictEqual((await st.listJobs({})).length, 2);
    });

    it('a lapsed lease requeues the job and counts the attempt; the cap fails it', async () => {
      await queued('j1', { maxAttempts: 2 });
      const t0 = Date.now();
      await st.claim('j1', terms(P1, 'T1', t0 + 100), t0);
      assert.strictEqual((await st.reclaimLapsed(t0 + 50)).requeued.length, 0, 'lease still valid');
      await st.heartbeat('j1', 'T1', t0 + 500, t0 + 60);
      assert.strictEqual((await st.reclaimLapsed(t0 + 200)).requeued.length, 0, 'heartbeat extended the lease');
      // A broker's start gives a lease that lapsed during its downtime one more period, never less.
      assert.strictEqual(await st.extendLeases(t0 + 400, t0 + 70), 0, 'already valid until t0+500: untouched');
      assert.strictEqual((await st.getJob('j1'))!.leaseExpiresMs, t0 + 500);
      const r = await st.reclaimLapsed(t0 + 600);
      assert.strictEqual(r.requeued.length, 1); assert.strictEqual(r.requeued[0].state, 'QUEUED');
      assert.strictEqual(r.requeued[0].attempts, 1); assert.match(r.requeued[0].error, new RegExp(`lease of prover ${P1} lapsed`));
      assert.strictEqual(r.previous[0].leaseToken, 'T1');
      assert.strictEqual((await st.beginVerify('j1', 'T1', '{}', '[]', 'x', 1, 1)).outcome, 'stale');
      await st.claim('j1', terms(P2, 'T2', t0 + 700), t0 + 650);
      assert.strictEqual(await st.extendLeases(t0 + 760, t0 + 750), 1, 'lapsed at t0+700 (the broker was down): extended');
      assert.strictEqual((await st.reclaimLapsed(t0 + 755)).requeued.length, 0, 'not abandoned');
      await st.progress('j1', 'T2', 0.3, 'proving', t0 + 800, t0 + 700);
      const f2 = await st.reclaimLapsed(t0 + 900);
      assert.strictEqual(f2.failed.length, 1); assert.strictEqual(f2.failed[0].state, 'FAILED');
      assert.match(f2.failed[0].error, /gave up after 2 attempts/);
    });

    it('deadlines expire live jobs only', async () => {
      const t0 = Date.now();
      await queued('j1', { deadlineMs: t0 + 100 });
      await queued('j2', { deadlineMs: t0 + 100 }); await st.cancel('j2', 'by client', t0);
      await queued('j3', { deadlineMs: 0 });
      await queued('j4', { deadlineMs: t0 + 100 });
      await st.claim('j4', terms(P1, 'T4', t0 + 10_000), t0);
      assert.strictEqual((await st.expireOverdue(t0 + 50)).expired.length, 0);
      const e = await st.expireOverdue(t0 + 100);
      assert.deepStrictEqual(e.expired.map((j) => j.id).sort(), ['j1', 'j4']);
      assert.strictEqual((await st.getJob('j4'))!.state, 'EXPIRED');
      assert.strictEqual(e.previous.find((j) => j.id === 'j4')!.leaseToken, 'T4');
      assert.strictEqual((await st.getJob('j2'))!.state, 'CANCELLED');
      assert.strictEqual((await st.getJob('j3'))!.state, 'QUEUED');
    });

    it('cancels from every live state, refuses from terminal ones', async () => {
      await st.submit(newJob('s'));
      await queued('q');
      await queued('a'); await st.claim('a', terms(P1, 'Ta', Date.now() + 1e4), 1);
      await queued('p'); await st.claim('p', terms(P1, 'Tp', Date.now() + 1e4), 1); await st.progress('p', 'Tp', 0.2, 'x', Date.now() + 1e4, 1);
      await queued('v'); await st.claim('v', terms(P1, 'Tv', Date.now() + 1e4), 1); await st.beginVerify('v', 'Tv', '{}', '[]', 'x', 1, 1);
      for (const id of ['s', 'q', 'a', 'p', 'v']) {
        const c = await st.cancel(id, 'cancelled by client', 5);
        assert.strictEqual(c.outcome, 'cancelled', id); assert.strictEqual(c.job!.state, 'CANCELLED');
        assert.ok(TRANSITIONS.cancel.from.includes(c.previous!.state));
        assert.strictEqual((await st.cancel(id, 'again', 6)).outcome, 'terminal');
      }
      assert.strictEqual((await st.cancel('missing', 'x', 1)).outcome, 'not_found');
      assert.strictEqual((await st.beginVerify('a', 'Ta', '{}', '[]', 'x', 1, 1)).outcome, 'stale');
    });

    it('provers: same (operator, key) → same id; another operator gets another id', async () => {
      const a = await st.upsertProver(op, 'host-a:/p1', 'renamed', { ...CAPS, slots: 2, price: '7' }, 2);
      assert.strictEqual(a.id, P1); assert.strictEqual(a.name, 'renamed'); assert.strictEqual(a.caps.slots, 2);
      assert.strictEqual(a.caps.price, '7'); assert.strictEqual(a.ownerAccountId, op);
      const op2 = (await st.createAccount('op2', 'prover', 1)).account.id;
      assert.notStrictEqual((await st.upsertProver(op2, 'host-a:/p1', 'x', CAPS, 3)).id, P1);
    });

    it('registerProver: the first secret binds, a wrong one changes nothing, every Register starts a new epoch', async () => {
      const reg = (key: string, secretSha256: string, name = 'd', owner = op) =>
        st.registerProver({ ownerAccountId: owner, key, name, caps: CAPS, secretSha256, nowMs: 5 });
      const a = await reg('host-b:/d', 'a'.repeat(64));
      assert.strictEqual(a.outcome, 'created');
      assert.strictEqual(a.prover!.secretSha256, 'a'.repeat(64));
      assert.strictEqual(a.prover!.sessionEpoch, 1);
      const again = await reg('host-b:/d', 'a'.repeat(64), 'renamed');
      assert.strictEqual(again.outcome, 'matched');
      assert.strictEqual(again.prover!.id, a.prover!.id);
      assert.strictEqual(again.prover!.sessionEpoch, 2);
      assert.strictEqual(again.prover!.name, 'renamed');
      const wrong = await reg('host-b:/d', 'b'.repeat(64), 'impostor');
      assert.deepStrictEqual(wrong, { outcome: 'secret_mismatch', prover: null });
      const after = (await st.getProver(a.prover!.id))!;
      assert.deepStrictEqual([after.name, after.sessionEpoch, after.secretSha256], ['renamed', 2, 'a'.repeat(64)], 'nothing changed');
      // Another operator with the same key is another prover, with its own secret.
      const op2 = (await st.createAccount('op-b', 'prover', 1)).account.id;
      const other = await reg('host-b:/d', 'b'.repeat(64), 'd', op2);
      assert.strictEqual(other.outcome, 'created');
      assert.notStrictEqual(other.prover!.id, a.prover!.id);
      // A prover from before secrets (upsertProver) takes the first secret presented.
      const legacy = await reg('host-a:/p1', 'c'.repeat(64));
      assert.strictEqual(legacy.outcome, 'bound');
      assert.strictEqual(legacy.prover!.id, P1);
      assert.strictEqual((await reg('host-a:/p1', 'd'.repeat(64))).outcome, 'secret_mismatch');
    });

    it('submit: an owner at its live-job cap gets too_many_live; a retry and other owners are not held back', async () => {
      await queued('j1', { maxLiveJobs: 2 });
      await queued('j2', { maxLiveJobs: 2 });
      const over = await st.submit(newJob('j3', { maxLiveJobs: 2 }));
      assert.strictEqual(over.outcome, 'too_many_live');
      assert.strictEqual(over.live, 2);
      assert.strictEqual(await st.getJob('j3'), null);
      assert.strictEqual((await st.submit(newJob('j1', { maxLiveJobs: 2 }))).outcome, 'existing');
      assert.strictEqual((await st.submit(newJob('j4', { maxLiveJobs: 2, ownerAccountId: bob }))).outcome, 'created');
      await st.cancel('j1', 'test', 10);
      assert.strictEqual((await st.submit(newJob('j3', { maxLiveJobs: 2 }))).outcome, 'created', 'a finished job frees its place');
    });

    it('circuits: names unique per owner, private unless public', async () => {
      const c = sampleCircuit('c_2', 'two', alice);
      assert.strictEqual((await st.insertCircuit(c)).outcome, 'inserted');
      assert.strictEqual((await st.insertCircuit(c)).outcome, 'identical');
      assert.strictEqual((await st.insertCircuit({ ...c, id: 'c_3' })).outcome, 'name_taken');
      assert.strictEqual((await st.insertCircuit({ ...c, name: 'other' })).outcome, 'id_taken');
      assert.strictEqual((await st.insertCircuit({ ...c, id: 'c_4', ownerAccountId: bob })).outcome, 'inserted', 'bob may use the name too');
      assert.strictEqual((await st.getCircuit('two', alice))!.id, 'c_2');
      assert.strictEqual((await st.getCircuit('two', bob))!.id, 'c_4');
      assert.strictEqual((await st.getCircuit('c_2', bob)), null, "alice's private circuit is invisible to bob");
      assert.strictEqual((await st.getCircuit('c_2'))!.name, 'two', 'internal lookup by id');
      assert.strictEqual((await st.insertCircuit({ ...sampleCircuit('c_5', 'shared', alice), public: true })).outcome, 'inserted');
      assert.strictEqual((await st.getCircuit('shared', bob))!.id, 'c_5');
      assert.strictEqual((await st.getCircuit('c_5', bob))!.public, true);
      assert.deepStrictEqual((await st.listCircuits(bob)).map((x) => x.id).sort(), ['c_4', 'c_5']);
      assert.strictEqual((await st.listCircuits()).length, 4);
    });

    it('c1 owners (migration 0016): an upload is recorded per account, idempotently', async () => {
      const h = 'cd'.repeat(32);
      assert.strictEqual(await st.ownsC1(h, alice), false);
      await st.addC1Owner(h, alice, 5);
      await st.addC1Owner(h, alice, 6); // again: no error, still one owner
      assert.deepStrictEqual([await st.ownsC1(h, alice), await st.ownsC1(h, bob), await st.ownsC1('ef'.repeat(32), alice)], [true, false, false]);
      await st.addC1Owner(h, bob, 7);
      assert.strictEqual(await st.ownsC1(h, bob), true);
    });

    it('accounts and API keys: names unique, keys found by hash, revocation recorded', async () => {
      assert.strictEqual((await st.createAccount('alice', 'admin', 2)).outcome, 'name_taken');
      assert.strictEqual((await st.getAccount('alice'))!.role, 'client');
      assert.strictEqual((await st.getAccount(alice))!.name, 'alice');
      const k = await st.addApiKey(alice, 'h'.repeat(64), 3);
      const hit = (await st.findApiKey('h'.repeat(64)))!;
      assert.strictEqual(hit.account.id, alice); assert.strictEqual(hit.key.revokedMs, 0);
      assert.strictEqual(await st.findApiKey('0'.repeat(64)), null);
      assert.strictEqual(await st.revokeApiKey(k.id, 4), 'revoked');
      assert.strictEqual(await st.revokeApiKey(k.id, 5), 'not_found');
      assert.strictEqual((await st.findApiKey('h'.repeat(64)))!.key.revokedMs, 4);
      assert.deepStrictEqual((await st.listAccounts()).map((a) => a.name).sort(), ['alice', 'bob', 'op']);
    });

    it('money: escrow at submit, FAILED_PRECONDITION-worthy outcome when short', async () => {
      const r = await st.submit(newJob('j1', { maxPrice: 100n }));
      assert.strictEqual(r.outcome, 'insufficient_funds'); assert.strictEqual(r.available, 0n);
      assert.strictEqual(await st.getJob('j1'), null, 'nothing written');
      await st.deposit(alice, 150n, 'test', 1);
      assert.strictEqual((await st.submit(newJob('j1', { maxPrice: 100n }))).outcome, 'created');
      const b = await st.balances(alice);
      assert.strictEqual(b.available, 50n); assert.strictEqual(b.escrow, 100n);
      assert.strictEqual((await st.submit(newJob('j1', { maxPrice: 100n }))).outcome, 'existing', 'a retry holds nothing more');
      assert.strictEqual((await st.balances(alice)).escrow, 100n);
      await checkLedger(st);
    });

    it('money: a deposit that would take a balance past 2^63-1 is refused whole; balances stay exact integers', async () => {
      const max = 9_223_372_036_854_775_807n;
      await st.deposit(alice, max, 'all of it', 1);
      // Every micro-credit comes from the mint's 'issued' book, which goes negative: it is the first to hit the limit.
      await assert.rejects(st.deposit(alice, 1n, 'one more', 2), /issued balance of account .* would be -9223372036854775808, beyond the limit of ±9223372036854775807/);
      await assert.rejects(st.deposit(bob, 1n, 'to another account', 2), /issued balance of account .* would be -9223372036854775808/,
        'the mint has issued all there can be');
      assert.strictEqual((await st.balances(alice)).available, max, 'still exact');
      assert.strictEqual((await st.balances(bob)).available, 0n, 'nothing moved');
      await checkLedger(st);
    });

    it('money: a withdrawal pays a book out to the mint once per request id; short or conflicting ones move nothing; concurrent ones never overdraw', async () => {
      await st.deposit(alice, 1000n, '', 1);
      assert.strictEqual((await st.submit(newJob('j1', { maxPrice: 300n }))).outcome, 'created');
      const short = await st.withdraw(alice, 'available', 701n, 'r0', '', 2);
      assert.deepStrictEqual(short, { outcome: 'insufficient', held: 700n }, 'escrow is not available');
      const w = await st.withdraw(alice, 'available', 200n, 'r1', 'payout 1', 3);
      assert.strictEqual(w.outcome, 'withdrawn');
      assert.strictEqual((await st.balances(alice)).available, 500n);
      assert.strictEqual((await st.balances(alice)).escrow, 300n, 'escrow untouched');
      const es = (await st.ledger({ accountId: alice })).filter((e) => e.reason === 'withdrawal');
      assert.deepStrictEqual(es.map((e) => [e.book, e.amount, e.txId]), [['available', '-200', (w as { txId: string }).txId]]);
      assert.match(es[0].explanation, /withdrawal of 200 from alice's available \(request r1; payout 1\)/);
      assert.deepStrictEqual(await st.withdraw(alice, 'available', 200n, 'r1', 'retry', 4), { outcome: 'repeat', txId: (w as { txId: string }).txId });
      assert.strictEqual((await st.withdraw(alice, 'available', 201n, 'r1', '', 4)).outcome, 'conflict', 'another amount');
      assert.strictEqual((await st.withdraw(bob, 'available', 200n, 'r1', '', 4)).outcome, 'conflict', 'another account');
      assert.strictEqual((await st.balances(alice)).available, 500n, 'nothing moved twice');
      // Twelve at once, 100 each, on a book of 500 (three of them one request id): five pay, none overdraws.
      const ids = ['c0', 'c0', 'c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9'];
      const rs = await Promise.all(ids.map((id, i) => st.withdraw(alice, 'available', 100n, id, '', 5 + i)));
      const paid = rs.filter((r) => r.outcome === 'withdrawn').length;
      assert.strictEqual(paid, 5, JSON.stringify(rs.map((r) => r.outcome)));
      assert.ok(rs.every((r) => ['withdrawn', 'repeat', 'insufficient'].includes(r.outcome)), rs.map((r) => r.outcome).join(' '));
      assert.strictEqual((await st.balances(alice)).available, 0n);
      await checkLedger(st);
    });

    it('money: DONE pays the agreed price less the fee, releases the rest, unlocks the stake — once', async () => {
      await st.deposit(alice, 1000n, '', 1); await st.deposit(op, 500n, 'stake', 1);
      await queued('j1', { maxPrice: 400n });
      assert.strictEqual((await st.claim('j1', terms(P1, 'T1', Date.now() + 1e4, 500n), 2)).outcome, 'price_too_high');
      const c = await st.claim('j1', terms(P1, 'T1', Date.now() + 1e4, 300n), 2);
      assert.strictEqual(c.outcome, 'claimed'); assert.strictEqual(c.job!.price, '300'); assert.strictEqual(c.job!.stake, '300');
      assert.deepStrictEqual([(await st.balances(op)).available, (await st.balances(op)).stake], [200n, 300n]);
      await st.beginVerify('j1', 'T1', '{}', '[]', 'x', 1, 3);
      assert.strictEqual((await st.accept('j1', 'T1', 4)).outcome, 'ok');
      assert.strictEqual((await st.accept('j1', 'T1', 5)).outcome, 'stale', 'paid at most once');
      const a = await st.balances(alice); const o = await st.balances(op); const m = await st.balances('a_market');
      assert.strictEqual(a.available, 700n); assert.strictEqual(a.escrow, 0n);
      // default fee 500 bps of 300 = 15
      assert.strictEqual(o.earnings, 285n); assert.strictEqual(o.stake, 0n); assert.strictEqual(o.available, 500n);
      assert.strictEqual(m.fees, 15n);
      const es = await st.ledger({ jobId: 'j1' });
      assert.ok(es.some((e) => e.reason === 'payout' && e.account === 'op' && e.amount === '285' && /DONE/.test(e.explanation) && e.explanation.includes(P1)));
      await checkLedger(st);
    });

    it('money: a claim needs free stake; a wrong proof and a lapsed lease slash it to the client and the market', async () => {
      await st.deposit(alice, 1000n, '', 1); await st.deposit(op, 100n, 'stake', 1);
      await queued('j1', { maxPrice: 200n, maxAttempts: 3 });
      assert.strictEqual((await st.claim('j1', terms(P1, 'T1', Date.now() + 1e4, 200n), 2)).outcome, 'insufficient_stake');
      assert.strictEqual((await st.getJob('j1'))!.state, 'QUEUED');
      await st.claim('j1', terms(P1, 'T1', Date.now() + 1e4, 100n), 2);
      await st.beginVerify('j1', 'T1', '{}', '[]', 'x', 1, 3);
      await st.reject('j1', 'T1', 'public signal c=15, the job gives 77', 4);
      let o = await st.balances(op);
      assert.strictEqual(o.stake, 0n); assert.strictEqual(o.available, 0n, 'the stake is gone');
      assert.strictEqual((await st.balances(alice)).available, 800n + 50n, 'half the slash compensates the client');
      assert.strictEqual((await st.balances('a_market')).fees, 50n);
      const slash = (await st.ledger({ jobId: 'j1' })).find((e) => e.reason === 'slash_compensation' && e.account === 'alice')!;
      assert.match(slash.explanation, /slashed 100 .*j1.*c=15, the job gives 77/);
      await st.deposit(op, 100n, 'more stake', 5);
      const t0 = Date.now();
      await st.claim('j1', terms(P2, 'T2', t0 + 10, 100n), t0);
      await st.reclaimLapsed(t0 + 1000);
      o = await st.balances(op);
      assert.strictEqual(o.stake, 0n); assert.strictEqual(o.available, 0n, 'abandonment slashed');
      assert.match((await st.ledger({ jobId: 'j1' })).find((e) => e.reason === 'slash_market')!.explanation, /abandoned/);
      await checkLedger(st);
    });

    it('money: FAILED, EXPIRED and CANCELLED refund the whole escrow; a released lease unlocks the stake', async () => {
      await st.deposit(alice, 1000n, '', 1); await st.deposit(op, 1000n, '', 1);
      const t0 = Date.now();
      await queued('f', { maxPrice: 100n, maxAttempts: 1 }); await st.claim('f', terms(P1, 'Tf', t0 + 1e4, 50n), t0);
      await queued('e', { maxPrice: 100n, deadlineMs: t0 + 100 }); await st.claim('e', terms(P1, 'Te', t0 + 1e4, 50n), t0);
      await queued('c', { maxPrice: 100n }); await st.claim('c', terms(P2, 'Tc', t0 + 1e4, 50n), t0);
      await queued('r', { maxPrice: 100n });
      assert.strictEqual((await st.balances(alice)).escrow, 400n);
      assert.strictEqual((await st.balances(op)).stake, 150n);
      assert.strictEqual((await st.release('f', 'Tf', 'witness failed', false, t0 + 1)).outcome, 'failed');
      await st.expireOverdue(t0 + 200);
      await st.cancel('c', 'by client', t0 + 300);
      await st.cancel('r', 'by client', t0 + 300);
      const a = await st.balances(alice); const o = await st.balances(op);
      assert.strictEqual(a.escrow, 0n); assert.strictEqual(a.available, 1000n);
      assert.strictEqual(o.stake, 0n); assert.strictEqual(o.available, 1000n); assert.strictEqual(o.earnings, 0n);
      assert.ok((await st.ledger({ jobId: 'e' })).some((x) => x.reason === 'refund' && /EXPIRED/.test(x.explanation)));
      await checkLedger(st);
      // countJobsByState (the pm_jobs gauge) agrees with the jobs one by one, terminal states included.
      const want: Record<string, number> = {};
      for (const id of ['f', 'e', 'c', 'r']) { const s = (await st.getJob(id))!.state; want[s] = (want[s] ?? 0) + 1; }
      assert.deepStrictEqual(await st.countJobsByState(), want);
    });

    // ---- partitioned jobs (migration 0012) ----
    function newGroup(id: string, n: number, over: Partial<NewJobGroup> = {}): NewJobGroup {
      return {
        id, ownerAccountId: alice, requestId: `req-${id}`, circuitId: C, payloadSha256: 'g'.repeat(64), maxAttempts: 3, deadlineMs: 0,
        maxPrice: 0n, nowMs: Date.now(),
        partitions: Array.from({ length: n }, (_, k) => ({ inputJson: `{"a":"${k}"}`, witness: null, payloadSha256: String(k).repeat(64).slice(0, 64) })),
        ...over,
      };
    }

    it('partitions: one submit holds N × max price (one hold per partition), all or nothing; idempotent on the request id', async () => {
      await st.deposit(alice, 1000n, '', 1);
      const short = await st.submitGroup(newGroup('g1', 4, { maxPrice: 300n }));
      assert.deepStrictEqual([short.outcome, short.available], ['insufficient_funds', 1000n]);
      assert.strictEqual(await st.getGroup('g1'), null, 'nothing written');
      assert.deepStrictEqual(await st.groupPartitions('g1'), []);
      assert.strictEqual((await st.balances(alice)).escrow, 0n);
      const r = await st.submitGroup(newGroup('g1', 4, { maxPrice: 200n }));
      assert.strictEqual(r.outcome, 'created');
      assert.deepStrictEqual(r.jobs.map((j) => [j.id, j.groupId, j.partitionIndex, j.state, j.maxPrice, j.requestId]),
        [0, 1, 2, 3].map((k) => [`g1.${k}`, 'g1', k, 'SUBMITTED', '200', `req-g1#${k}`]));
      assert.deepStrictEqual({ ...r.group!, createdMs: 0 }, { id: 'g1', ownerAccountId: alice, requestId: 'req-g1', circuitId: C, n: 4,
        payloadSha256: 'g'.repeat(64), deadlineMs: 0, maxPrice: '200', createdMs: 0 });
      assert.deepStrictEqual([(await st.balances(alice)).available, (await st.balances(alice)).escrow], [200n, 800n]);
      assert.strictEqual((await st.ledger({ jobId: 'g1.2' })).filter((e) => e.reason === 'escrow_hold' && e.book === 'escrow').length, 1);
      const again = await st.submitGroup(newGroup('g2', 4, { requestId: 'req-g1', maxPrice: 200n }));
      assert.deepStrictEqual([again.outcome, again.group!.id, again.jobs.length], ['existing', 'g1', 4], 'a retry holds nothing more');
      assert.strictEqual((await st.submitGroup(newGroup('g3', 4, { requestId: 'req-g1', payloadSha256: 'h'.repeat(64) }))).outcome, 'conflict');
      await st.submit(newJob('single'));
      assert.strictEqual((await st.submitGroup(newGroup('g4', 2, { requestId: 'req-single' }))).outcome, 'conflict', 'a single job has that request id');
      assert.strictEqual((await st.balances(alice)).escrow, 800n);
      const over = await st.submitGroup(newGroup('g5', 3, { maxLiveJobs: 7 }));
      assert.deepStrictEqual([over.outcome, over.live], ['too_many_live', 5], '5 live + 3 partitions > 7');
      assert.deepStrictEqual((await st.listGroups({ ownerAccountId: alice })).map((g) => g.id), ['g1']);
      assert.deepStrictEqual(await st.listGroups({ ownerAccountId: bob }), []);
      assert.strictEqual((await st.groupByRequest(alice, 'req-g1'))!.id, 'g1');
      assert.strictEqual(await st.groupByRequest(bob, 'req-g1'), null);
      await checkLedger(st);
    });

    it('partitions: each is its own unit — paid once when verified, a wrong one re-runs alone, cancel refunds only the rest', async () => {
      await st.deposit(alice, 1000n, '', 1); await st.deposit(op, 1000n, 'stake', 1);
      await st.submitGroup(newGroup('g', 3, { maxPrice: 100n }));
      for (const k of [0, 1, 2]) assert.strictEqual((await st.enqueue(`g.${k}`, 2)).outcome, 'moved');
      // partition 0 → P1, verified and paid; partition 1 → P2, a wrong proof: requeued alone, P2 excluded and slashed
      await st.claim('g.0', terms(P1, 'T0', Date.now() + 1e4, 60n), 3);
      await st.claim('g.1', terms(P2, 'T1', Date.now() + 1e4, 60n), 3);
      await st.beginVerify('g.0', 'T0', '{"p":0}', '["0"]', 'x', 1, 4);
      assert.strictEqual((await st.accept('g.0', 'T0', 5)).outcome, 'ok');
      assert.strictEqual((await st.accept('g.0', 'T0', 6)).outcome, 'stale', 'paid at most once');
      await st.beginVerify('g.1', 'T1', '{"bad":1}', '["1"]', 'x', 1, 4);
      const rej = await st.reject('g.1', 'T1', 'pairing check failed', 5);
      assert.deepStrictEqual([rej.outcome, rej.job!.excluded], ['requeued', [P2]]);
      let parts = await st.groupPartitions('g');
      assert.deepStrictEqual(parts.map((p) => [p.state, p.attempts]), [['DONE', 1], ['QUEUED', 1], ['QUEUED', 0]], 'only partition 1 re-runs');
      // partition 1 re-run by P1, leased when the client cancels: the lease ends (stake unlocked), every live partition refunded
      await st.claim('g.1', terms(P1, 'T1b', Date.now() + 1e4, 60n), 6);
      const c = await st.cancelGroup('g', 'cancelled by the client', 7);
      assert.strictEqual(c.outcome, 'cancelled');
      assert.deepStrictEqual(c.previous.map((p) => [p.id, p.state]), [['g.1', 'ASSIGNED'], ['g.2', 'QUEUED']]);
      assert.deepStrictEqual(c.jobs.map((p) => p.state), ['DONE', 'CANCELLED', 'CANCELLED']);
      parts = await st.groupPartitions('g');
      assert.deepStrictEqual(parts.map((p) => p.state), ['DONE', 'CANCELLED', 'CANCELLED']);
      assert.strictEqual((await st.cancelGroup('g', 'again', 8)).outcome, 'terminal');
      assert.strictEqual((await st.cancelGroup('nope', 'x', 8)).outcome, 'not_found');
      const a = await st.balances(alice); const o = await st.balances(op);
      // paid 60 for partition 0 (the rest of its 100 released), got 100 + 100 back, and half of P2's slashed 60 stake
      assert.deepStrictEqual([a.escrow, a.available], [0n, 1000n - 60n + 30n]);
      assert.deepStrictEqual([o.stake, o.earnings, o.available], [0n, 57n, 1000n - 60n]);
      const payouts = (await st.ledger({ limit: 1000 })).filter((e) => e.reason === 'payout' && e.book === 'earnings');
      assert.deepStrictEqual(payouts.map((e) => e.jobId), ['g.0'], 'one payout, for the verified partition only');
      assert.strictEqual((await st.ledger({ jobId: 'g.2' })).filter((e) => e.reason === 'refund' && e.book === 'escrow').length, 1);
      await checkLedger(st);
    });

    it('partitions: a deadline expires every live partition at once, refunded; verified ones stay paid', async () => {
      await st.deposit(alice, 1000n, '', 1); await st.deposit(op, 1000n, 'stake', 1);
      const t0 = Date.now();
      await st.submitGroup(newGroup('g', 2, { maxPrice: 100n, deadlineMs: t0 + 100 }));
      for (const k of [0, 1]) await st.enqueue(`g.${k}`, t0);
      await st.claim('g.0', terms(P1, 'T0', t0 + 1e4, 40n), t0);
      await st.beginVerify('g.0', 'T0', '{}', '[]', 'x', 1, t0);
      await st.accept('g.0', 'T0', t0 + 1);
      await st.claim('g.1', terms(P2, 'T1', t0 + 1e4, 40n), t0 + 1);
      const ex = await st.expireOverdue(t0 + 200);
      assert.deepStrictEqual(ex.expired.map((j) => j.id), ['g.1']);
      assert.deepStrictEqual((await st.groupPartitions('g')).map((p) => p.state), ['DONE', 'EXPIRED']);
      assert.deepStrictEqual([(await st.balances(alice)).escrow, (await st.balances(alice)).available], [0n, 960n]);
      assert.strictEqual((await st.balances(op)).stake, 0n);
      await checkLedger(st);
    });

    it('listJobViews reads no payload: a listed job\'s witness and a partition\'s input and witness are left out (ListJobs and the dashboard show none)', async () => {
      const wtns = Buffer.alloc(64 * 1024, 7); // a client's witness: a list must not read it (real ones are up to GiBs)
      assert.strictEqual((await st.submit(newJob('w1', { inputJson: null, witness: wtns, nowMs: 10 }))).outcome, 'created');
      assert.strictEqual((await st.submit(newJob('i1', { nowMs: 20 }))).outcome, 'created');
      assert.strictEqual((await st.submitGroup(newGroup('gw', 2, { nowMs: 30,
        partitions: [0, 1].map((k) => ({ inputJson: null, witness: wtns, payloadSha256: String(k).repeat(64) })) }))).outcome, 'created');
      const views = await st.listJobViews({ ownerAccountId: alice, limit: 10 });
      assert.deepStrictEqual(views.map((v) => v.job?.id ?? v.group!.id), ['gw', 'i1', 'w1'], 'newest first');
      assert.strictEqual(views[2].job!.witness, null, 'the witness is not read');
      assert.strictEqual(views[1].job!.inputJson, '{"a":"1"}', 'a single job keeps its input (a filecoin-c2 job\'s view is made from it)');
      assert.strictEqual(views[0].partitions!.length, 2);
      for (const p of views[0].partitions!) assert.deepStrictEqual([p.witness, p.inputJson, p.groupId], [null, null, 'gw']);
      assert.ok((await st.getJob('w1'))!.witness!.equals(wtns), 'still stored');
    });

    it('statement outcomes: setAside requeues without blame; failInput fails any live job, refunded, nobody slashed', async () => {
      await st.deposit(alice, 1000n, '', 1); await st.deposit(op, 1000n, '', 1);
      const t0 = Date.now();
      await queued('s', { maxPrice: 100n, maxAttempts: 2 });
      await st.claim('s', terms(P1, 'T1', t0 + 1e4, 80n), t0);
      assert.strictEqual((await st.setAside('s', 'T1', 'x', t0)).outcome, 'stale', 'only from VERIFYING');
      await st.beginVerify('s', 'T1', '{}', '[]', 'x', 1, t0);
      const a = await st.setAside('s', 'T1', 'pairing failed; the witness is unchecked', t0 + 1);
      assert.strictEqual(a.outcome, 'requeued'); assert.deepStrictEqual(a.job!.excluded, [P1]); assert.strictEqual(a.job!.proofJson, '');
      assert.ok(canMove('setAside', 'VERIFYING', 'QUEUED'));
      let o = await st.balances(op);
      assert.deepStrictEqual([o.stake, o.available], [0n, 1000n], 'stake unlocked, not slashed');
      assert.strictEqual((await st.getProver(P1))!.reputation, 0, 'not blamed');
      await st.claim('s', terms(P2, 'T2', t0 + 1e4, 80n), t0 + 2);
      await st.beginVerify('s', 'T2', '{}', '[]', 'x', 1, t0 + 2);
      assert.strictEqual((await st.setAside('s', 'T2', 'again', t0 + 3)).outcome, 'failed', 'attempts cap');
      assert.deepStrictEqual([(await st.balances(alice)).escrow, (await st.balances(alice)).available], [0n, 1000n]);

      // failInput from QUEUED, leased and VERIFYING; refused once terminal.
      const aliceBefore = (await st.balances(alice)).available;
      await queued('q', { maxPrice: 100n });
      await queued('l', { maxPrice: 100n }); await st.claim('l', terms(P1, 'Tl', t0 + 1e4, 50n), t0);
      await queued('v', { maxPrice: 100n }); await st.claim('v', terms(P2, 'Tv', t0 + 1e4, 50n), t0); await st.beginVerify('v', 'Tv', '', '', 'claim', 1, t0);
      assert.strictEqual((await st.balances(op)).stake, 100n);
      for (const id of ['q', 'l', 'v']) {
        const r = await st.failInput(id, `the job's input is bad: witness generation failed`, t0 + 5);
        assert.strictEqual(r.outcome, 'failed', id); assert.strictEqual(r.job!.state, 'FAILED');
        assert.match(r.job!.error, /input is bad/); assert.ok(r.previous);
        assert.ok(canMove('failInput', r.previous!.state, 'FAILED'));
      }
      assert.strictEqual((await st.failInput('q', 'again', t0 + 6)).outcome, 'terminal');
      assert.strictEqual((await st.failInput('nope', 'x', t0 + 6)).outcome, 'not_found');
      o = await st.balances(op);
      assert.deepStrictEqual([o.stake, o.available], [0n, 1000n], 'nobody slashed for a bad input');
      assert.deepStrictEqual([(await st.balances(alice)).escrow, (await st.balances(alice)).available], [0n, aliceBefore], 'all refunded');
      assert.ok((await st.ledger({ jobId: 'l' })).some((e) => e.reason === 'refund' && /input is bad/.test(e.explanation)));
      await checkLedger(st);
    });

    it('outbox: every transition appends one event carrying the job as written, in order', async () => {
      const h0 = await st.outboxHead();
      await queued('j1');
      await st.claim('j1', terms(P1, 'T1', Date.now() + 1e4), 1);
      await st.heartbeat('j1', 'T1', Date.now() + 2e4, 2); // not an event
      await st.progress('j1', 'T1', 0.5, 'proving', Date.now() + 2e4, 3);
      await st.beginVerify('j1', 'T1', '{}', '[]', 'x', 1, 4);
      await st.accept('j1', 'T1', 5);
      const evs = await st.readOutbox(h0, 100);
      assert.deepStrictEqual(evs.map((e) => [e.kind, e.job.state]), [
        ['state', 'SUBMITTED'], ['state', 'QUEUED'], ['state', 'ASSIGNED'], ['progress', 'PROVING'], ['state', 'VERIFYING'], ['state', 'DONE']]);
      for (let i = 1; i < evs.length; i++) assert.ok(evs[i].seq > evs[i - 1].seq);
      assert.strictEqual(evs[0].job.inputJson, null, 'no payload in events');
      assert.strictEqual(await st.outboxHead(), evs[evs.length - 1].seq);
      assert.deepStrictEqual((await st.readOutbox(evs[2].seq, 2)).map((e) => e.job.state), ['PROVING', 'VERIFYING']);
      await st.pruneOutbox(evs[3].seq);
      assert.strictEqual((await st.readOutbox(0, 100)).length, 2);
    });

    it('everything survives closing and reopening the store', async () => {
      await st.deposit(alice, 77n, '', 1);
      await st.submit(newJob('s'));
      await queued('q');
      await queued('a'); await st.claim('a', terms(P1, 'Ta', 123456), 1);
      await queued('d'); await st.claim('d', terms(P1, 'Td', 1e15), 1); await st.beginVerify('d', 'Td', '{"x":1}', '["7"]', 'cpu', 9, 1); await st.accept('d', 'Td', 2);
      await st.submit(newJob('w', { inputJson: null, witness: Buffer.from([1, 2, 3]) }));
      st = await f.reopen(st);
      const live = await st.liveJobs();
      assert.deepStrictEqual(live.map((j) => [j.id, j.state]).sort(), [['a', 'ASSIGNED'], ['q', 'QUEUED'], ['s', 'SUBMITTED'], ['w', 'SUBMITTED']]);
      const a = (await st.getJob('a'))!;
      assert.strictEqual(a.leaseToken, 'Ta'); assert.strictEqual(a.leaseExpiresMs, 123456); assert.strictEqual(a.attempts, 1);
      assert.strictEqual((await st.getJobByLeaseToken('Ta'))!.id, 'a');
      assert.deepStrictEqual((await st.getJob('w'))!.witness, Buffer.from([1, 2, 3]));
      const d = (await st.getJob('d'))!;
      assert.strictEqual(d.state, 'DONE'); assert.strictEqual(d.publicJson, '["7"]');
      assert.strictEqual((await st.listCircuits()).length, 1);
      assert.strictEqual((await st.balances(alice)).available, 77n);
      assert.strictEqual((await st.getAccount('op'))!.role, 'prover');
    });

    it('money beyond 2^53 stays exact', async () => {
      const big = 2n ** 62n + 12345n;
      await st.deposit(alice, big, '', 1);
      await queued('j1', { maxPrice: big - 1n });
      const j = (await st.getJob('j1')) as JobRecord;
      assert.strictEqual(j.maxPrice, String(big - 1n));
      assert.strictEqual((await st.balances(alice)).available, 1n);
      assert.strictEqual((await st.ledger({ accountId: alice }))[0].amount, String(big - 1n));
    });

    it('offer (migration 0014): stored at submit, raised only upwards, within the max, while QUEUED, from the offer read; each raise an event', async () => {
      await st.deposit(alice, 10_000n, '', 1);
      await assert.rejects(st.submit(newJob('bad', { maxPrice: 100n, offer: 101n })), /above the max price/);
      await queued('j1', { maxPrice: 1000n, offer: 200n });
      await queued('j2', { maxPrice: 1000n });
      assert.strictEqual((await st.getJob('j1'))!.offer, '200');
      assert.strictEqual((await st.getJob('j2'))!.offer, '', 'no offer: the max price');
      const head = await st.outboxHead();
      assert.strictEqual(await st.raiseOffer!('j1', '100', 300n, 'stale read', 2), null, 'the offer changed meanwhile');
      assert.strictEqual(await st.raiseOffer!('j1', '200', 150n, 'down', 2), null, 'never lowered');
      assert.strictEqual(await st.raiseOffer!('j1', '200', 1001n, 'past the max', 2), null, 'never past the max');
      assert.strictEqual(await st.raiseOffer!('j2', '', 1000n, 'no offer', 2), null, 'a job without an offer is at its max already');
      const r = await st.raiseOffer!('j1', '200', 300n, 'offer raised from 200 to 300', 3);
      assert.strictEqual(r!.offer, '300'); assert.strictEqual(r!.routing, 'offer raised from 200 to 300');
      assert.strictEqual((await st.raiseOffer!('j1', '300', 1000n, 'to the max', 4))!.offer, '1000');
      const evs = await st.readOutbox(head, 10);
      assert.deepStrictEqual(evs.map((e) => [e.kind, e.job.offer, e.job.routing]), [['routing', '300', 'offer raised from 200 to 300'], ['routing', '1000', 'to the max']]);
      assert.strictEqual((await st.balances(alice)).escrow, 2000n, 'the escrow holds the max whatever the offer');
      await st.claim('j2', terms(P1, 'T1', Date.now() + 60_000), 5);
      await st.cancel('j1', 'done with it', 5);
      assert.strictEqual(await st.raiseOffer!('j1', '1000', 1000n, 'cancelled', 6), null, 'only while QUEUED');
    });

    it('routing (migration 0010): on-time target, routing notes as events, lease shortening, samples, standing, reputation', async function () {
      // Optional in the Store interface, but both stores implement them: a store without them fails here rather than skip.
      for (const m of ['setRouting', 'shortenLease', 'addLatencySample', 'addLatencySamples', 'latencySamples', 'putProverRouting', 'getProverRouting', 'listProvers', 'adjustReputation'] as const) {
        assert.strictEqual(typeof st[m], 'function', `the store implements ${m}`);
      }
      await queued('j1', { minOnTime: 0.75 });
      assert.strictEqual((await st.getJob('j1'))!.minOnTime, 0.75);
      const head = await st.outboxHead();
      const w = await st.setRouting!('j1', 'waiting for p1', 10);
      assert.strictEqual(w!.routing, 'waiting for p1');
      assert.strictEqual(await st.setRouting!('j1', 'waiting for p1', 11), null, 'unchanged: no write, no event');
      const evs = await st.readOutbox(head, 10);
      assert.deepStrictEqual(evs.map((e) => [e.kind, e.job.routing]), [['routing', 'waiting for p1']]);
      // Leases: only a live lease with that token, and only brought forward.
      await st.claim('j1', terms(P1, 'T1', 50_000), 12);
      assert.strictEqual(await st.shortenLease!('j1', 'other', 100), false);
      assert.strictEqual(await st.shortenLease!('j1', 'T1', 60_000), false, 'never extends');
      assert.strictEqual(await st.shortenLease!('j1', 'T1', 100), true);
      assert.strictEqual((await st.getJob('j1'))!.leaseExpiresMs, 100);
      const r = await st.reclaimLapsed(101);
      assert.deepStrictEqual(r.requeued.map((j) => j.id), ['j1'], 'the sweep then requeues it');
      assert.strictEqual((await st.setRouting!('j1', 'lease of p1 requeued', 102))!.routing, 'lease of p1 requeued');
      await st.cancel('j1', 'done with it', 103);
      assert.strictEqual(await st.setRouting!('j1', 'too late', 104), null, 'a terminal job keeps its last note');
      // Samples: newest N per (prover, curve), oldest first.
      // One at a time, then several in one write (the routing layer's batch of a turn), and none.
      for (let i = 0; i < 3; i++) await st.addLatencySample!({ proverId: P1, curve: 'bn254', constraints: 4096, ms: 100 + i, kind: 'job', createdMs: i });
      await st.addLatencySamples!([]);
      await st.addLatencySamples!([
        { proverId: P1, curve: 'bn254', constraints: 4096, ms: 103, kind: 'job', createdMs: 3 },
        { proverId: P1, curve: 'bn254', constraints: 4096, ms: 104, kind: 'job', createdMs: 4 },
        { proverId: P2, curve: 'bn254', constraints: 4096, ms: 7, kind: 'challenge', createdMs: 9 },
      ]);
      const xs = await st.latencySamples!(3);
      assert.deepStrictEqual(xs.filter((x) => x.proverId === P1).map((x) => x.ms), [102, 103, 104]);
      assert.deepStrictEqual(xs.filter((x) => x.proverId === P2).map((x) => [x.ms, x.kind]), [[7, 'challenge']]);
      const rec = { proverId: P1, state: 'demoted' as const, challengesPassed: 2, challengesFailed: 1, missedEta: 3, updatedMs: 5 };
      await st.putProverRouting!(rec);
      assert.deepStrictEqual(await st.getProverRouting!(P1), rec);
      await st.putProverRouting!({ ...rec, state: 'active', missedEta: 0 });
      assert.strictEqual((await st.getProverRouting!(P1))!.state, 'active');
      assert.strictEqual(await st.getProverRouting!(P2), null);
      const rep = (await st.getProver(P1))!.reputation;
      await st.adjustReputation!(P1, -5);
      assert.strictEqual((await st.getProver(P1))!.reputation, rep - 5);
      assert.ok((await st.listProvers!()).some((p) => p.id === P1 && p.reputation === rep - 5));
    });

    it('a transition returns the row as stored, and each outbox event carries it (fresh random jobs; the seed is printed)', async function () {
      // The SQLite store builds submit's and claim's records without reading the row back, and
      // serves its own events from memory: both must equal what a reader of the database sees.
      const seed = process.env.PM_TEST_SEED ?? Math.floor(Math.random() * 2 ** 32).toString(16);
      console.log(`      [store-records] seed ${seed} (replay with PM_TEST_SEED=${seed})`);
      let x = parseInt(seed, 16) >>> 0;
      const rnd = (n: number) => { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; return x % n; };
      await st.deposit(alice, 1_000_000n, '', 1); await st.deposit(op, 1_000_000n, 'stake', 1);
      const head = await st.outboxHead();
      const returned: JobRecord[] = [];
      for (let i = 0; i < 12; i++) {
        const maxPrice = BigInt(rnd(1000));
        const over: Partial<NewJob> = {
          maxPrice, deadlineMs: rnd(2) ? Date.now() + 1e6 + rnd(1e6) : 0, minOnTime: rnd(2) ? rnd(990) / 1000 : 0,
          offer: rnd(2) && maxPrice > 0n ? BigInt(rnd(Number(maxPrice))) : null, enqueue: !!rnd(2), maxAttempts: 1 + rnd(4),
          ...(rnd(2) ? { inputJson: null, witness: Buffer.from([1, 2, 3, rnd(256)]) } : { inputJson: `{"a":"${rnd(1e6)}"}` }),
        };
        const s = await st.submit(newJob(`r${i}`, over));
        assert.strictEqual(s.outcome, 'created');
        returned.push(s.job!);
        assert.deepStrictEqual(s.job, await st.getJob(`r${i}`), `submit r${i} (${JSON.stringify({ ...over, maxPrice: String(maxPrice), offer: String(over.offer) })})`);
        if (!over.enqueue) assert.strictEqual((await st.enqueue(`r${i}`, 10 + i)).outcome, 'moved');
        if (rnd(3) === 0) continue;
        const note = rnd(2) ? `note ${rnd(100)}` : undefined;
        const c = await st.claim(`r${i}`, { ...terms(rnd(2) ? P1 : P2, `T${i}`, Date.now() + rnd(1e6), BigInt(rnd(Number(maxPrice) + 1))), ...(note ? { note } : {}) }, 20 + i);
        assert.strictEqual(c.outcome, 'claimed');
        assert.deepStrictEqual(c.job, await st.getJob(`r${i}`), `claim r${i}`);
      }
      // Each event's job is the row as that transition left it: the last event of a job is the row now.
      const evs = await st.readOutbox(head, 1000);
      const last = new Map(evs.map((e) => [e.jobId, e.job]));
      for (const [id, j] of last) assert.deepStrictEqual(j, { ...(await st.getJob(id))!, inputJson: null, witness: null }, `last event of ${id}`);
      assert.ok(returned.length === 12 && last.size === 12);
      // Another connection reads them from the table: the same events.
      if (f.second) {
        const other = await f.second(st);
        try { assert.deepStrictEqual(await other.readOutbox(head, 1000), evs); } finally { await other.close(); }
      }
    });

    it('outbox rows read back (another connection, a reopened store) are the jobs as written: a rejected proof, DONE with its proof, partitions, notes, give-backs', async () => {
      // Rows are slim (broker/store/outbox-row.ts): the job's unchanging fields and a DONE job's
      // proof come from its row when read back. Every event must still be the whole job as that
      // transition left it, payload null.
      await st.deposit(alice, 1_000_000n, '', 1); await st.deposit(op, 1_000_000n, 'stake', 1);
      const head = await st.outboxHead();
      const written: JobRecord[] = [];
      const w = (j: JobRecord | null) => { assert.ok(j); written.push({ ...j, inputJson: null, witness: null }); return j; };
      const sub = await st.submit(newJob('v1', { maxPrice: 500n, deadlineMs: Date.now() + 1e7, minOnTime: 0.5, offer: 300n }));
      w(sub.job);
      w((await st.enqueue('v1', 2)).job);
      w(await st.setRouting!('v1', 'waiting for a prover at 300', 3));
      w((await st.claim('v1', { ...terms(P1, 'V1', Date.now() + 1e6, 250n), note: 'p1 at 250' }, 4)).job);
      w((await st.progress('v1', 'V1', 0.25, 'msm', Date.now() + 1e6, 5)).job);
      w((await st.beginVerify('v1', 'V1', '{"pi_a":["bad"]}', '["1"]', 'cpu', 77, 6)).job);
      w((await st.reject('v1', 'V1', 'pairing check failed', 7)).job);
      w((await st.claim('v1', terms(P2, 'V2', Date.now() + 1e6, 260n), 8)).job);
      w((await st.release('v1', 'V2', 'out of memory', true, 9)).job);
      w((await st.claim('v1', terms(P2, 'V3', Date.now() + 1e6, 260n), 10)).job);
      w((await st.beginVerify('v1', 'V3', '{"pi_a":["good"]}', '["1","2"]', 'gpu', 88, 11)).job);
      w((await st.accept('v1', 'V3', 12)).job);
      const g = await st.submitGroup({ id: 'g1', ownerAccountId: alice, requestId: 'req-g1', circuitId: C, payloadSha256: 'g'.repeat(64), maxAttempts: 2,
        deadlineMs: 0, maxPrice: 10n, nowMs: 13, partitions: [0, 1].map((k) => ({ inputJson: `{"k":${k}}`, witness: null, payloadSha256: String(k).repeat(64) })) });
      for (const j of g.jobs) w(j);
      w((await st.cancel('g1.1', 'changed my mind', 14)).job);
      const mine = await st.readOutbox(head, 1000);
      // (SQLite writes a claim's note as a second event with the same job; PostgreSQL does not.)
      const distinct = mine.map((e) => e.job).filter((j, i, a) => i === 0 || !isDeepStrictEqual(j, a[i - 1]));
      assert.deepStrictEqual(distinct.map((j) => `${j.id} ${j.state}`), written.map((j) => `${j.id} ${j.state}`));
      assert.deepStrictEqual(distinct, written, 'the events are the jobs as written');
      const verifying = mine.filter((e) => e.job.state === 'VERIFYING').map((e) => e.job.proofJson);
      assert.deepStrictEqual(verifying, ['{"pi_a":["bad"]}', '{"pi_a":["good"]}'], 'each VERIFYING event keeps its own proof');
      assert.strictEqual(mine[mine.length - 4].job.proofJson, '{"pi_a":["good"]}', 'DONE carries the accepted proof');
      assert.deepStrictEqual(mine.slice(-3).map((e) => [e.job.groupId, e.job.partitionIndex, e.job.state]), [['g1', 0, 'SUBMITTED'], ['g1', 1, 'SUBMITTED'], ['g1', 1, 'CANCELLED']]);
      if (f.second) {
        const other = await f.second(st);
        try { assert.deepStrictEqual(await other.readOutbox(head, 1000), mine, 'another connection reads the same events from the table'); } finally { await other.close(); }
      }
      st = await f.reopen(st);
      assert.deepStrictEqual(await st.readOutbox(head, 1000), mine, 'so does the store reopened');
    });

    it('race: two connections on one database claim one job — exactly one wins', async function () {
      if (!f.second) this.skip();
      await queued('j1');
      const other = await f.second!(st);
      try {
        const [x, y] = await Promise.all([
          st.claim('j1', terms(P1, 'TA', Date.now() + 1e4), 1),
          other.claim('j1', terms(P2, 'TB', Date.now() + 1e4), 1),
        ]);
        assert.deepStrictEqual([x.outcome, y.outcome].sort(), ['claimed', 'not_queued']);
        const j = (await other.getJob('j1'))!;
        assert.strictEqual(j.attempts, 1);
        assert.strictEqual(j.leaseToken, x.outcome === 'claimed' ? 'TA' : 'TB');
      } finally { await other.close(); }
    });

    it('race: two connections withdraw while claims lock the stake and submits hold escrow — nothing overdrawn, one request id pays once', async function () {
      if (!f.second) this.skip();
      // op's 1000 of stake: 8 claims at price 100 lock 100 each; 8 withdrawals of 100 race them.
      // alice's 1000: 8 submits hold 100 each; 8 withdrawals of 100 race them. Half on each connection.
      const carol = (await st.createAccount('carol', 'client', 1)).account.id;
      for (const a of [op, alice, bob, carol]) await st.deposit(a, 1000n, '', 1);
      for (let i = 0; i < 8; i++) await queued(`q${i}`, { maxPrice: 100n });
      await st.deposit(alice, 800n, 'for the queued jobs', 1);
      const other = await f.second!(st);
      try {
        const on = (i: number) => (i % 2 ? other : st);
        const claims = Array.from({ length: 8 }, (_, i) => on(i).claim(`q${i}`, terms(i % 2 ? P2 : P1, `T${i}`, Date.now() + 1e6, 100n), 2));
        const submits = Array.from({ length: 8 }, (_, i) => on(i + 1).submit(newJob(`s${i}`, { maxPrice: 100n })));
        const opOut = Array.from({ length: 8 }, (_, i) => on(i + 1).withdraw(op, 'available', 100n, `op-${i}`, '', 2));
        const aliceOut = Array.from({ length: 8 }, (_, i) => on(i).withdraw(alice, 'available', 100n, `alice-${i}`, '', 2));
        // One request id on both connections at once: same book and amount (one pays, the other is a repeat of it) ...
        const same = [st, other].map((s) => s.withdraw(bob, 'available', 10n, 'bob-same', '', 2));
        // ... and another account on the other connection (not the same row to wait on): one pays, the other is a conflict.
        const cross = [st.withdraw(bob, 'available', 10n, 'bob-cross', '', 2), other.withdraw(carol, 'available', 10n, 'bob-cross', '', 2)];
        const [cs, ss, os, as, sm, cr] = await Promise.all([claims, submits, opOut, aliceOut, same, cross].map((ps) => Promise.all(ps as Promise<unknown>[])));
        const outcomes = (rs: unknown[]) => rs.map((r) => (r as { outcome: string }).outcome);
        const count = (rs: unknown[], o: string) => outcomes(rs).filter((x) => x === o).length;
        const opBal = await st.balances(op); const aliceBal = await st.balances(alice);
        const why = JSON.stringify({ claims: outcomes(cs), submits: outcomes(ss), op: outcomes(os), alice: outcomes(as), opBal: String(opBal.available), aliceBal: String(aliceBal.available) });
        assert.ok(outcomes(cs).every((o) => o === 'claimed' || o === 'insufficient_stake'), why);
        assert.ok(outcomes(os).every((o) => o === 'withdrawn' || o === 'insufficient'), why);
        assert.ok(outcomes(ss).every((o) => o === 'created' || o === 'insufficient_funds'), why);
        assert.ok(outcomes(as).every((o) => o === 'withdrawn' || o === 'insufficient'), why);
        assert.strictEqual(opBal.stake, 100n * BigInt(count(cs, 'claimed')), why);
        assert.strictEqual(opBal.available, 1000n - 100n * BigInt(count(cs, 'claimed') + count(os, 'withdrawn')), why);
        assert.strictEqual(aliceBal.escrow, 800n + 100n * BigInt(count(ss, 'created')), why);
        assert.strictEqual(aliceBal.available, 1000n - 100n * BigInt(count(ss, 'created') + count(as, 'withdrawn')), why);
        // 1000 each could pay all 8 (claims or submits) and 2 of the withdrawals: a full book refuses, never goes negative.
        assert.ok(count(cs, 'claimed') + count(os, 'withdrawn') === 10 && count(ss, 'created') + count(as, 'withdrawn') === 10, why);
        const [s1, s2] = sm as { outcome: string; txId: string }[];
        assert.deepStrictEqual(outcomes(sm).sort(), ['repeat', 'withdrawn']); assert.strictEqual(s1.txId, s2.txId);
        assert.deepStrictEqual(outcomes(cr).sort(), ['conflict', 'withdrawn']);
        assert.strictEqual((cr[0] as { txId: string }).txId, (cr[1] as { txId: string }).txId, 'the conflict names the winner');
        const bobWon = outcomes(cr)[0] === 'withdrawn';
        assert.strictEqual((await other.balances(bob)).available, 1000n - 10n - (bobWon ? 10n : 0n), 'bob-same paid once');
        assert.strictEqual((await other.balances(carol)).available, 1000n - (bobWon ? 0n : 10n));
        assert.strictEqual((await st.ledger({ accountId: bob })).filter((e) => e.reason === 'withdrawal').length, bobWon ? 2 : 1);
        await checkLedger(st);
      } finally { await other.close(); }
    });
  });
}
