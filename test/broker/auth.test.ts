// Accounts, API keys and tenancy over real gRPC: the bootstrap key files, UNAUTHENTICATED and
// PERMISSION_DENIED, per-tenant jobs, circuits and request ids, and the escrow check at submit.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import { startBroker, type RunningBroker } from '../../broker';
import { AccountsClient } from '../../src/client/accounts';
import { MarketClient, MarketError } from '../../src/client/market';
import { clientOptions } from '../../src/common/connect';
import { newProverHubClient } from '../../src/common/proto';
import { fixture, rmrf, tmpDir } from './helpers';
import { MAX_DEPOSIT } from '../../broker/money';

const BN = fixture('bn254');
const BLS = fixture('bls12-381');

async function code(p: Promise<unknown>, want: grpc.status, re?: RegExp): Promise<void> {
  try { await p; } catch (e) {
    assert.ok(e instanceof MarketError, String(e));
    assert.strictEqual(e.codeName, grpc.status[want], e.message);
    if (re) assert.match(e.message, re);
    return;
  }
  assert.fail(`expected ${grpc.status[want]}`);
}

describe('accounts, API keys and tenants', function () {
  this.timeout(60_000);
  let dir: string; let broker: RunningBroker;
  const open: { close(): void }[] = [];
  const key = (n: string) => fs.readFileSync(path.join(dir, `${n}.key`), 'utf8').trim();
  const market = (apiKey: string | null) => { const c = new MarketClient(broker.address, { apiKey }); open.push(c); return c; };
  const accounts = (apiKey: string | null) => { const c = new AccountsClient(broker.address, { apiKey }); open.push(c); return c; };

  before(async () => {
    dir = tmpDir('auth');
    broker = await startBroker({ listen: '127.0.0.1:0', dataDir: dir, localAccounts: true, warmVerifier: false, log: () => {} });
  });
  after(async () => { for (const c of open) c.close(); await broker.close(); rmrf(dir); });

  it('first start writes admin.key, client.key and prover.key with mode 0600; a restart keeps them', async () => {
    assert.deepStrictEqual(broker.keyFiles.map((f) => path.basename(f)).sort(), ['admin.key', 'client.key', 'prover.key']);
    for (const f of broker.keyFiles) assert.strictEqual(fs.statSync(f).mode & 0o777, 0o600, f);
    const admin = key('admin');
    await broker.close();
    broker = await startBroker({ listen: '127.0.0.1:0', dataDir: dir, localAccounts: true, warmVerifier: false, log: () => {} });
    assert.deepStrictEqual(broker.keyFiles, [], 'nothing rewritten');
    assert.strictEqual(key('admin'), admin);
    assert.strictEqual((await accounts(admin).whoAmI()).role, 'admin');
  });

  it('no key, an unknown key, a revoked key → UNAUTHENTICATED; a wrong role → PERMISSION_DENIED', async () => {
    await code(market(null).listCircuits(), grpc.status.UNAUTHENTICATED, /no API key.*--api-key/);
    await code(market('pm_nope').listCircuits(), grpc.status.UNAUTHENTICATED, /not recognised/);
    const admin = accounts(key('admin'));
    const made = await admin.createAccount('temp', 'client');
    assert.match(made.apiKey, /^pm_/);
    assert.strictEqual((await market(made.apiKey).listCircuits()).length, 0);
    await admin.revokeKey(made.keyId);
    await code(market(made.apiKey).listCircuits(), grpc.status.UNAUTHENTICATED, /revoked/);
    await code(market(key('prover')).listCircuits(), grpc.status.PERMISSION_DENIED, /needs a client or admin account; "local-prover" is prover/);
    await code(accounts(key('client')).createAccount('x', 'admin'), grpc.status.PERMISSION_DENIED);
    await code(accounts(key('client')).deposit('local-client', 5n), grpc.status.PERMISSION_DENIED, /Deposit needs an admin account; "local-client" is client/);
    await code(accounts(key('client')).balance('local-prover'), grpc.status.PERMISSION_DENIED, /only an admin/);
    await code(admin.createAccount('temp', 'client'), grpc.status.ALREADY_EXISTS);
    await code(admin.createAccount('bad name', 'client'), grpc.status.INVALID_ARGUMENT);
    await code(admin.createAccount('x', 'wizard' as 'client'), grpc.status.INVALID_ARGUMENT, /role/);
    const hub = newProverHubClient(broker.address, undefined, clientOptions({ apiKey: key('client') }));
    const err = await new Promise<grpc.ServiceError | null>((r) => hub.register({ proverKey: 'k', capabilities: { curves: ['CURVE_BN254'] } }, (e) => r(e)));
    hub.close();
    assert.strictEqual(err?.code, grpc.status.PERMISSION_DENIED);
  });

  it('tenants: jobs, private circuits and request ids are per account; public circuits are shared', async () => {
    const admin = accounts(key('admin'));
    const alice = market((await admin.createAccount('alice', 'client')).apiKey);
    const bob = market((await admin.createAccount('bob', 'client')).apiKey);
    await alice.registerCircuit({ name: 'mul3', wasm: BN.wasm, zkey: BN.zkey, vkey: BN.vkey, r1cs: BN.r1cs, sym: BN.sym });
    const pub = await alice.registerCircuit({ name: 'shared', wasm: BLS.wasm, zkey: BLS.zkey, vkey: BLS.vkey, public: true });
    assert.strictEqual(pub.public, true);
    await code(bob.getCircuit('mul3'), grpc.status.NOT_FOUND);
    await code(bob.submit({ circuit: 'mul3', input: { a: 1, b: [1, 2, 3], c: 4 } }), grpc.status.NOT_FOUND);
    assert.deepStrictEqual((await bob.listCircuits()).map((c) => c.name), ['shared']);
    // Bob registers his own "mul3": the same name, another circuit.
    const bobs = await bob.registerCircuit({ name: 'mul3', wasm: BN.wasm, zkey: BN.zkey, vkey: BN.vkey });
    const ja = await alice.submit({ circuit: 'mul3', input: { a: 1, b: [1, 2, 3], c: 4 }, requestId: 'same-id' });
    const jb = await bob.submit({ circuit: 'shared', input: { a: 2, b: [1, 2, 3], c: 4 }, requestId: 'same-id' });
    assert.notStrictEqual(ja.id, jb.id, 'request ids are per tenant');
    assert.notStrictEqual(bobs.id, ja.circuitId);
    await code(bob.getJob(ja.id), grpc.status.NOT_FOUND, /unknown job/);
    await code(bob.cancel(ja.id), grpc.status.NOT_FOUND);
    await code(bob.watch(ja.id, () => {}).done, grpc.status.NOT_FOUND);
    assert.deepStrictEqual((await bob.listJobs()).map((j) => j.id), [jb.id]);
    assert.strictEqual((await alice.getJob(ja.id)).state, 'JOB_STATE_QUEUED', 'untouched');
  });

  it('submit holds the max price in escrow; short → FAILED_PRECONDITION naming balance and price', async () => {
    const admin = accounts(key('admin'));
    const made = await admin.createAccount('carol', 'client');
    const carol = market(made.apiKey);
    await carol.registerCircuit({ name: 'mul3', wasm: BN.wasm, zkey: BN.zkey, vkey: BN.vkey });
    await code(carol.submit({ circuit: 'mul3', input: { a: 1, b: [1, 2, 3], c: 4 }, maxPrice: 500n }), grpc.status.FAILED_PRECONDITION,
      /"carol" has 0 micro-credits available, the job's max price is 500/);
    // One deposit is capped (a typing mistake that large would use up the mint's range): 2^53-1 passes, one more is refused and nothing moves.
    await code(admin.deposit('carol', MAX_DEPOSIT + 1n, 'typo'), grpc.status.INVALID_ARGUMENT, /above the largest single deposit, 9007199254740991 micro-credits.*nothing moved/);
    assert.strictEqual((await admin.balance('carol')).available, '0');
    const dep = await admin.deposit('carol', 700n, 'test');
    assert.strictEqual(dep.balance?.available, '700');
    const j = await carol.submit({ circuit: 'mul3', input: { a: 1, b: [1, 2, 3], c: 4 }, maxPrice: 500n });
    assert.strictEqual(j.maxPrice, '500');
    const mine = accounts(made.apiKey);
    assert.deepStrictEqual([(await mine.balance()).available, (await mine.balance()).escrow], ['200', '500']);
    await carol.cancel(j.id);
    assert.deepStrictEqual([(await mine.balance()).available, (await mine.balance()).escrow], ['700', '0']);
    const led = await mine.ledger({ jobId: j.id });
    assert.deepStrictEqual(led.map((e) => e.reason).sort(), ['escrow_hold', 'escrow_hold', 'refund', 'refund']);
    assert.ok(led.every((e) => e.account === 'carol' && e.jobId === j.id && e.explanation.includes(j.id)));
    await code(mine.ledger({ account: 'local-client' }), grpc.status.PERMISSION_DENIED);
  });

  it('Withdraw: an admin pays a book out to the mint once per request id; escrow, short books, bad ids and non-admins move nothing', async () => {
    const admin = accounts(key('admin'));
    await admin.createAccount('dave', 'client');
    await admin.deposit('dave', 1000n, 'test');
    const w = (o: { requestId: string; book?: string }, amount: bigint | string = 300n, who = 'dave') => admin.withdraw(who, amount, o);
    await code(accounts(key('client')).withdraw('dave', 1n, { requestId: 'x' }), grpc.status.PERMISSION_DENIED, /Withdraw needs an admin account/);
    await code(w({ requestId: '' }), grpc.status.INVALID_ARGUMENT, /request_id must be 1-128 characters/);
    await code(w({ requestId: 'a b' }), grpc.status.INVALID_ARGUMENT, /request_id must be/);
    await code(w({ requestId: 'p1', book: 'escrow' }), grpc.status.INVALID_ARGUMENT, /a client account's "escrow" book cannot be paid out; dave can be paid out of "available"/);
    await code(w({ requestId: 'p1', book: 'earnings' }), grpc.status.INVALID_ARGUMENT, /"earnings" book cannot be paid out/);
    await code(w({ requestId: 'p1' }, 0n), grpc.status.INVALID_ARGUMENT, /positive/);
    await code(w({ requestId: 'p1' }, 1001n), grpc.status.FAILED_PRECONDITION, /dave's available holds 1000 micro-credits, less than the 1001 asked: nothing moved/);
    await code(w({ requestId: 'p1' }, 1n, 'mint'), grpc.status.NOT_FOUND, /the mint pays nothing out/);
    await code(w({ requestId: 'p1' }, 1n, 'nobody'), grpc.status.NOT_FOUND, /^unknown account "nobody" \(list them with proofmarket account list\)$/);
    assert.strictEqual((await admin.balance('dave')).available, '1000', 'nothing moved');
    const first = await w({ requestId: 'payout-2026-12-01:dave' });
    assert.deepStrictEqual([first.repeat, first.balance?.available], [false, '700']);
    const again = await w({ requestId: 'payout-2026-12-01:dave' });
    assert.deepStrictEqual([again.repeat, again.txId, again.balance?.available], [true, first.txId, '700'], 'a retry pays nothing twice');
    await code(w({ requestId: 'payout-2026-12-01:dave' }, 301n), grpc.status.INVALID_ARGUMENT, /already used for another withdrawal/);
    const led = await admin.ledger({ account: 'dave' });
    assert.deepStrictEqual(led.filter((e) => e.reason === 'withdrawal').map((e) => [e.book, e.amount, e.txId]), [['available', '-300', first.txId]]);
    // A prover operator: free stake and earnings, never the stake a lease locks.
    await admin.deposit('local-prover', 50n, 'stake');
    await code(w({ requestId: 'p2', book: 'earnings' }, 1n, 'local-prover'), grpc.status.FAILED_PRECONDITION, /local-prover's earnings holds 0/);
    await code(w({ requestId: 'p2', book: 'stake' }, 1n, 'local-prover'), grpc.status.INVALID_ARGUMENT, /"available" or "earnings"/);
    const op = await w({ requestId: 'p2' }, 50n, 'local-prover');
    assert.strictEqual(op.balance?.available, '0');
    // The market account: only its fees.
    await code(w({ requestId: 'p3', book: 'available' }, 1n, 'market'), grpc.status.INVALID_ARGUMENT, /can be paid out of "fees"/);
    await code(w({ requestId: 'p3' }, 1n, 'market'), grpc.status.FAILED_PRECONDITION, /market's fees holds 0/);
  });

  it('Deposit and Withdraw: an amount the uint64 wire would wrap or cut is refused before it is sent; nothing moves', async () => {
    const admin = accounts(key('admin'));
    await admin.createAccount('erin', 'client');
    await admin.deposit('erin', 1000n, 'test');
    // 2^64 + 100 went out as 100, "1e3" as 1, "12.5" as 12, -(2^64 - 100) as 100: each moved another amount than the one asked.
    for (const amount of [(1n << 64n) + 100n, '18446744073709551716', '1e3', '12.5', ' 7 ', '-5', -((1n << 64n) - 100n), 'abc', '0x20', '']) {
      await code(admin.withdraw('erin', amount, { requestId: `wire-${String(amount).length}-${Math.random().toString(36).slice(2)}` }), grpc.status.INVALID_ARGUMENT,
        /amount must be a whole number of micro-credits \(decimal digits, at most 18446744073709551615\)/);
      await code(admin.deposit('erin', amount, 'wire'), grpc.status.INVALID_ARGUMENT, /amount must be a whole number of micro-credits/);
    }
    // Within the wire's range the broker speaks: above 2^63-1 is refused there, by its own number.
    await code(admin.withdraw('erin', (1n << 64n) - 1n, { requestId: 'wire-max' }), grpc.status.INVALID_ARGUMENT, /18446744073709551615 is above 2\^63-1/);
    assert.strictEqual((await admin.balance('erin')).available, '1000', 'nothing moved');
    assert.deepStrictEqual((await admin.ledger({ account: 'erin' })).map((e) => e.reason), ['deposit']);
  });

  it('SubmitJob and Quote: a max price or offer the uint64 wire would wrap is refused before it is sent; nothing is held', async () => {
    const admin = accounts(key('admin'));
    const made = await admin.createAccount('gina', 'client');
    await admin.deposit('gina', 1000n, 'test');
    const gina = market(made.apiKey);
    await gina.registerCircuit({ name: 'mul3', wasm: BN.wasm, zkey: BN.zkey, vkey: BN.vkey });
    const input = { a: 1, b: [1, 2, 3], c: 4 };
    // 2^64 + 100 went out as 100 (a price the client never agreed to), 1e21 as 1.
    for (const bad of [(1n << 64n) + 100n, 1e21, '12.5', -1]) {
      await code(gina.submit({ circuit: 'mul3', input, maxPrice: bad }), grpc.status.INVALID_ARGUMENT, /maxPrice must be a whole number of micro-credits/);
      await code(gina.submit({ circuit: 'mul3', input, maxPrice: 10n, offer: bad }), grpc.status.INVALID_ARGUMENT, /offer must be a whole number of micro-credits/);
      await code(gina.quote({ circuit: 'mul3', maxPrice: bad }), grpc.status.INVALID_ARGUMENT, /maxPrice must be/);
    }
    assert.deepStrictEqual(await gina.listJobs(), [], 'no job');
    assert.deepStrictEqual([(await accounts(made.apiKey).balance()).available, (await accounts(made.apiKey).balance()).escrow], ['1000', '0']);
  });

  it('Deposit and Withdraw: a note is at most 500 characters, stored without control characters (it is in every ledger listing of the account)', async () => {
    const admin = accounts(key('admin'));
    await admin.createAccount('frank', 'client');
    // Ten notes of 10 MB made every ListLedger of the account (and its dashboard) larger than a gRPC message.
    await code(admin.deposit('frank', 1000n, 'n'.repeat(501)), grpc.status.INVALID_ARGUMENT, /note is 501 characters long, the limit is 500: nothing moved/);
    await admin.deposit('frank', 1000n, `${'n'.repeat(490)}\x1b[2J\u202e  `);
    await code(admin.withdraw('frank', 1n, { requestId: 'note-1', note: 'w'.repeat(10_000_000) }), grpc.status.INVALID_ARGUMENT, /note is 10000000 characters long, the limit is 500: nothing moved/);
    await admin.withdraw('frank', 1n, { requestId: 'note-2', note: 'bank\rtransfer\u2066 7' });
    assert.strictEqual((await admin.balance('frank')).available, '999');
    const es = await admin.ledger({ account: 'frank' });
    assert.deepStrictEqual(es.map((e) => e.explanation), [
      "withdrawal of 1 from frank's available (request note-2; by admin: bank transfer  7)",
      `deposit of 1000 to frank (by admin: ${'n'.repeat(490)} [2J)`,
    ]);
  });
});
