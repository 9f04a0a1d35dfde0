// Attack suite: tenants and keys. A real broker process and a real prover process on 127.0.0.1
// over real gRPC; two client accounts (alice, bob) and a second prover operator (mallory) made by
// the admin. Bob attacks alice: reads, watches, cancels and lists her jobs and circuits, reuses
// her request_id, submits against her private circuit, fetches her artifacts; mallory fetches
// artifacts she holds no lease for; callers come with no key, a made-up key, a revoked key, a key
// of the wrong role. Each case: the right status, nothing leaked (a refusal reads exactly like the
// answer for something that does not exist), nothing paid.

import * as assert from 'assert';
import * as crypto from 'crypto';
import * as grpc from '@grpc/grpc-js';
import { AccountsClient } from '../../src/client/accounts';
import { MarketClient, MarketError } from '../../src/client/market';
import type { Circuit__Output, Job__Output } from '../../src/common';
import { channelCredentials, clientOptions, newProverHubClient } from '../../src/common';
import { circuitsByCurve, ExampleCircuit, freshInput, seededRandom, verifyProof } from '../helpers/circuits';
import { RawProver, refused, statusName } from '../helpers/attack';
import { BrokerProc, runCli, startBrokerProc, startProverProc, tmpDir } from '../helpers/procs';
import { liveProcessHooks } from '../helpers/hooks';

/** Downloads an artifact over ProverHub.FetchArtifact with `apiKey`; resolves with the bytes or rejects with the status. */
function fetchArtifact(address: string, apiKey: string, sha256: string): Promise<Buffer> {
  const hub = newProverHubClient(address, channelCredentials({}), clientOptions({ apiKey }));
  return new Promise<Buffer>((resolve, reject) => {
    const parts: Buffer[] = [];
    const call = hub.fetchArtifact({ sha256, offset: '0' });
    call.on('data', (d: { data: Buffer }) => parts.push(d.data));
    call.on('end', () => resolve(Buffer.concat(parts)));
    call.on('error', reject);
  }).finally(() => hub.close());
}

const PRICE = 700;
const MAX_PRICE = '1000';

describe('attack: tenants and keys', function () {
  this.timeout(180_000);
  let broker: BrokerProc;
  let bn: ExampleCircuit;
  let bls: ExampleCircuit;
  let admin: AccountsClient;
  const keys: Record<string, string> = {};
  const keyIds: Record<string, string> = {};
  const clients: { close(): void }[] = [];
  const rnd = seededRandom('tenancy');
  let alice: MarketClient;
  let bob: MarketClient;
  let alicePrivate: Circuit__Output;
  let alicePublic: Circuit__Output;
  let aliceJob: Job__Output;
  const aliceRequestId = `alice-req-${rnd.seed}`;

  const market = (apiKey?: string): MarketClient => {
    const c = new MarketClient(broker.address, apiKey === undefined ? {} : { apiKey });
    clients.push(c);
    return c;
  };
  const accounts = (apiKey?: string): AccountsClient => {
    const c = new AccountsClient(broker.address, apiKey === undefined ? {} : { apiKey });
    clients.push(c);
    return c;
  };
  const randomJobId = () => 'j_' + crypto.randomBytes(8).toString('hex');
  const same = (msgA: string, idA: string, msgB: string, idB: string) =>
    assert.strictEqual(msgA.split(idA).join('ID'), msgB.split(idB).join('ID'), 'a refusal must read like "does not exist"');

  before(async () => {
    ({ bn254: bn, 'bls12-381': bls } = circuitsByCurve());
    broker = await startBrokerProc({ leaseMs: 4000, heartbeatMs: 400 });
    admin = accounts(broker.keys.admin);
    for (const [name, role] of [['alice', 'client'], ['bob', 'client'], ['carol', 'client'], ['mallory', 'prover']] as const) {
      const r = await admin.createAccount(name, role);
      keys[name] = r.apiKey;
      keyIds[name] = r.keyId;
    }
    alice = market(keys.alice);
    bob = market(keys.bob);
    // Money is real here: the prover asks PRICE per proof and its operator holds stake; clients pay from deposits.
    for (const name of ['alice', 'bob', 'local-prover']) await admin.deposit(name, '100000');
    await startProverProc(broker, { name: 'honest', price: PRICE });
    alicePrivate = await alice.registerCircuit({ name: 'secret-circuit', wasm: bn.wasm, zkey: bn.zkey, vkey: bn.vkey, sym: bn.sym ?? undefined });
    alicePublic = await alice.registerCircuit({
      name: 'open-circuit', wasm: bls.wasm, zkey: bls.zkey, vkey: bls.vkey, sym: bls.sym ?? undefined, public: true,
    });
    aliceJob = await alice.submit({ circuit: 'secret-circuit', input: freshInput(bn, rnd.next), requestId: aliceRequestId, maxPrice: MAX_PRICE });
  });

  liveProcessHooks({ close: () => { for (const c of clients.splice(0)) c.close(); } });

  it('bob cannot see alice\'s private circuit: not listed, NOT_FOUND by id, and her circuit names do not bind his', async () => {
    const listed = await bob.listCircuits();
    assert.ok(!listed.some((c) => c.id === alicePrivate.id), 'alice\'s private circuit is not listed for bob');
    assert.ok(listed.some((c) => c.id === alicePublic.id && c.public), 'her public circuit is');
    const fake = 'c_' + crypto.randomBytes(8).toString('hex');
    same(await refused(() => bob.getCircuit(alicePrivate.id), 'NOT_FOUND'), alicePrivate.id,
      await refused(() => bob.getCircuit(fake), 'NOT_FOUND'), fake);
    await refused(() => bob.getCircuit('secret-circuit'), 'NOT_FOUND');
    // The name is alice's only: bob registers his own "secret-circuit" (another circuit, another id;
    // other bytes too, so that he never owns a copy of alice's private artifacts in this suite).
    const his = await bob.registerCircuit({ name: 'secret-circuit', wasm: bls.wasm, zkey: bls.zkey, vkey: bls.vkey, sym: bls.sym ?? undefined });
    assert.notStrictEqual(his.id, alicePrivate.id);
    assert.strictEqual((await bob.getCircuit('secret-circuit')).id, his.id);
    assert.strictEqual((await alice.getCircuit('secret-circuit')).id, alicePrivate.id);
    // Listing jobs by alice's private circuit is NOT_FOUND too.
    await refused(() => bob.listJobs({ circuit: alicePrivate.id }), 'NOT_FOUND');
  });

  it('bob cannot submit against alice\'s private circuit, but anyone may use her public one', async () => {
    same(await refused(() => bob.submit({ circuit: alicePrivate.id, input: freshInput(bn, rnd.next) }), 'NOT_FOUND'), alicePrivate.id,
      await refused(() => bob.submit({ circuit: 'c_0000000000000000', input: freshInput(bn, rnd.next) }), 'NOT_FOUND'), 'c_0000000000000000');
    const j = await bob.submit({ circuit: alicePublic.id, input: freshInput(bls, rnd.next), maxPrice: MAX_PRICE });
    const done = await bob.waitDone(j.id, 120_000);
    assert.strictEqual(done.state, 'JOB_STATE_DONE', done.error);
    assert.ok(await verifyProof(bls, done.proof!.proofJson, done.proof!.publicJson));
    // The job is bob's: alice, who owns the circuit, does not see it.
    await refused(() => alice.getJob(j.id), 'NOT_FOUND');
    assert.ok(!(await alice.listJobs()).some((x) => x.id === j.id));
  });

  it('bob cannot read, watch, cancel or list alice\'s job; it finishes untouched and is paid once', async () => {
    const bobBefore = await accounts(keys.bob).balance();
    const fake = randomJobId();
    same(await refused(() => bob.getJob(aliceJob.id), 'NOT_FOUND'), aliceJob.id, await refused(() => bob.getJob(fake), 'NOT_FOUND'), fake);
    same(await refused(() => bob.cancel(aliceJob.id), 'NOT_FOUND'), aliceJob.id, await refused(() => bob.cancel(fake), 'NOT_FOUND'), fake);
    const seen: unknown[] = [];
    const w = bob.watch(aliceJob.id, (ev) => seen.push(ev));
    same(await refused(() => w.done, 'NOT_FOUND'), aliceJob.id, await refused(() => bob.watch(fake, () => {}).done, 'NOT_FOUND'), fake);
    assert.deepStrictEqual(seen, [], 'no snapshot or event of alice\'s job reached bob');
    assert.ok(!(await bob.listJobs({ limit: 1000 })).some((j) => j.id === aliceJob.id));
    for (const st of ['QUEUED', 'ASSIGNED', 'PROVING', 'DONE']) {
      assert.ok(!(await bob.listJobs({ state: st })).some((j) => j.id === aliceJob.id), `listed under ${st}`);
    }
    const done = await alice.waitDone(aliceJob.id, 120_000);
    assert.strictEqual(done.state, 'JOB_STATE_DONE', `bob's cancel must not have touched it: ${done.state} ${done.error}`);
    assert.ok(await verifyProof(bn, done.proof!.proofJson, done.proof!.publicJson));
    // Paid once, to the prover that proved it, by alice; nothing paid to or taken from bob.
    const entries = await admin.ledger({ jobId: aliceJob.id });
    const payouts = entries.filter((e) => e.reason === 'payout' && e.account === 'local-prover');
    assert.strictEqual(payouts.length, 1, JSON.stringify(entries));
    assert.ok(!entries.some((e) => e.account === 'bob'), JSON.stringify(entries));
    assert.deepStrictEqual(await accounts(keys.bob).ledger({ jobId: aliceJob.id }), [], 'bob sees none of its entries');
    const bobAfter = await accounts(keys.bob).balance();
    assert.deepStrictEqual([bobAfter.available, bobAfter.escrow], [bobBefore.available, bobBefore.escrow], 'bob\'s money did not move');
  });

  it('request_id is per tenant: bob reusing alice\'s gets his own job, and alice\'s retry still finds hers', async () => {
    const his = await bob.submit({ circuit: alicePublic.id, input: freshInput(bls, rnd.next), requestId: aliceRequestId, maxPrice: MAX_PRICE });
    assert.notStrictEqual(his.id, aliceJob.id);
    assert.strictEqual(his.requestId, aliceRequestId);
    // A different payload under the same id on bob's side is a conflict with HIS job, never naming alice's.
    const conflict = await refused(() => bob.submit({ circuit: alicePublic.id, input: freshInput(bls, rnd.next), requestId: aliceRequestId, maxPrice: MAX_PRICE }),
      'ALREADY_EXISTS');
    assert.ok(conflict.includes(his.id) && !conflict.includes(aliceJob.id), conflict);
    const retry = await alice.submit({ circuit: 'secret-circuit', input: freshInput(bn, rnd.next), requestId: aliceRequestId, maxPrice: MAX_PRICE })
      .catch((e: MarketError) => e);
    // Alice's own retry with another payload conflicts with her job (and names it to her, its owner).
    assert.ok(retry instanceof MarketError && retry.codeName === 'ALREADY_EXISTS' && retry.message.includes(aliceJob.id), String(retry));
    assert.strictEqual((await bob.waitDone(his.id, 120_000)).state, 'JOB_STATE_DONE');
  });

  it('artifacts are tenant data: bob and an operator without a lease get NOT_FOUND; the owner and public circuits are served', async () => {
    const zkey = (c: Circuit__Output) => c.artifacts.find((a) => a.kind === 'ARTIFACT_KIND_ZKEY')!.sha256;
    const unknown = crypto.randomBytes(32).toString('hex');
    const unknownMsg = await refused(() => fetchArtifact(broker.address, keys.bob, unknown), 'NOT_FOUND');
    for (const who of ['bob', 'mallory']) {
      for (const a of alicePrivate.artifacts) {
        const msg = await refused(() => fetchArtifact(broker.address, keys[who], a.sha256), 'NOT_FOUND');
        same(msg, a.sha256, unknownMsg, unknown);
      }
    }
    const mine = await fetchArtifact(broker.address, keys.alice, zkey(alicePrivate));
    assert.strictEqual(crypto.createHash('sha256').update(mine).digest('hex'), zkey(alicePrivate));
    // A public circuit's artifacts go to any prover operator (it may be asked to prove it).
    const pub = await fetchArtifact(broker.address, keys.mallory, zkey(alicePublic));
    assert.strictEqual(crypto.createHash('sha256').update(pub).digest('hex'), zkey(alicePublic));
  });

  it('bob cannot read alice\'s balance or ledger, nor revoke her key', async () => {
    const asBob = accounts(keys.bob);
    same(await refused(() => asBob.balance('alice'), 'PERMISSION_DENIED'), 'alice', await refused(() => asBob.balance('nobody'), 'PERMISSION_DENIED'), 'nobody');
    same(await refused(() => asBob.ledger({ account: 'alice' }), 'PERMISSION_DENIED'), 'alice',
      await refused(() => asBob.ledger({ account: 'nobody' }), 'PERMISSION_DENIED'), 'nobody');
    same(await refused(() => asBob.revokeKey(keyIds.alice), 'NOT_FOUND'), keyIds.alice,
      await refused(() => asBob.revokeKey('k_0000000000000000'), 'NOT_FOUND'), 'k_0000000000000000');
    assert.strictEqual((await accounts(keys.alice).whoAmI()).name, 'alice', 'alice\'s key still works');
  });

  it('no key, a made-up key, a revoked key: UNAUTHENTICATED on every service; the CLI says what to do', async () => {
    const noKey = market();
    const msg = await refused(() => noKey.listCircuits(), 'UNAUTHENTICATED');
    assert.match(msg, /authorization: Bearer|--api-key/);
    await refused(() => noKey.getJob(aliceJob.id), 'UNAUTHENTICATED');
    await refused(() => accounts().whoAmI(), 'UNAUTHENTICATED');
    await refused(() => new RawProver(broker.address).register({ key: 'no-key' }), 'UNAUTHENTICATED');
    const madeUp = 'pm_' + crypto.randomBytes(32).toString('base64url');
    await refused(() => market(madeUp).listJobs(), 'UNAUTHENTICATED');
    await refused(() => fetchArtifact(broker.address, madeUp, alicePrivate.artifacts[0].sha256), 'UNAUTHENTICATED');

    // carol's key works, then is revoked: refused from then on (within the broker's short key cache).
    const carol = market(keys.carol);
    await carol.listJobs();
    await admin.revokeKey(keyIds.carol);
    let last = '';
    for (let i = 0; i < 50; i++) {
      const r = await carol.listJobs().then(() => null, (e: MarketError) => e);
      if (r) { assert.strictEqual(r.codeName, 'UNAUTHENTICATED'); last = r.message; break; }
      await new Promise((res) => setTimeout(res, 200));
    }
    assert.match(last, /revoked/);
    await refused(() => carol.submit({ circuit: alicePublic.id, input: freshInput(bls, rnd.next) }), 'UNAUTHENTICATED');
    // Rotation: the admin issues carol a new key; it works, the revoked one stays refused.
    const fresh = await admin.createKey('carol');
    assert.strictEqual(fresh.account?.name, 'carol');
    assert.strictEqual((await accounts(fresh.apiKey).whoAmI()).name, 'carol');
    await refused(() => carol.listJobs(), 'UNAUTHENTICATED');
    // Anyone may rotate its own key (CLI: key create), nobody but an admin another's.
    const own = await runCli(['key', 'create', '--json', '--broker', broker.address, '--api-key', keys.bob]);
    assert.strictEqual(own.code, 0, own.stderr);
    const bobNew = JSON.parse(own.stdout) as { account: { name: string }; apiKey: string; keyId: string };
    assert.strictEqual(bobNew.account.name, 'bob');
    assert.strictEqual((await accounts(bobNew.apiKey).whoAmI()).name, 'bob');
    await refused(() => accounts(keys.bob).createKey('alice'), 'PERMISSION_DENIED');

    const cli = await runCli(['jobs', '--broker', broker.address, '--api-key', madeUp]);
    assert.strictEqual(cli.code, 1, cli.stderr);
    assert.match(cli.stderr, /^error: UNAUTHENTICATED: /m);
  });

  it('a key of the wrong role: PERMISSION_DENIED, and nothing happens', async () => {
    const asProver = market(keys.mallory);
    const before = await alice.listJobs({ limit: 1000 });
    await refused(() => asProver.submit({ circuit: alicePublic.id, input: freshInput(bls, rnd.next) }), 'PERMISSION_DENIED');
    await refused(() => asProver.listJobs(), 'PERMISSION_DENIED');
    await refused(() => new RawProver(broker.address, { apiKey: keys.bob }).register({ key: 'bob-as-prover' }), 'PERMISSION_DENIED');
    const asClient = accounts(keys.bob);
    await refused(() => asClient.createAccount('bob-admin', 'admin'), 'PERMISSION_DENIED');
    await refused(() => asClient.listAccounts(), 'PERMISSION_DENIED');
    assert.ok(!(await admin.listAccounts()).some((a) => a.name === 'bob-admin'), 'no account was created');
    const bobAvailable = (await accounts(keys.bob).balance()).available;
    await refused(() => asClient.deposit('bob', '1000000'), 'PERMISSION_DENIED');
    assert.strictEqual((await accounts(keys.bob).balance()).available, bobAvailable, 'bob deposited nothing to himself');
    assert.strictEqual((await alice.listJobs({ limit: 1000 })).length, before.length);
    // A prover daemon started with a client's key stops at once and says why.
    const cli = await runCli(['prover', '--broker', broker.address, '--api-key', keys.bob, '--data', tmpDir('pm-wrong-role-')], {}, 60_000);
    assert.strictEqual(cli.code, 1, cli.stderr);
    assert.match(cli.stderr, /PERMISSION_DENIED|needs a prover or admin account/);
  });

  it('revoking an operator\'s key stops its running daemon: its session ends UNAUTHENTICATED, the work goes elsewhere', async () => {
    const olga = await admin.createAccount('olga', 'prover');
    // Asks nothing, so it wins every job it can take while it runs.
    const daemon = await startProverProc(broker, { name: 'olga-prover', apiKey: olga.apiKey, price: 0 });
    await broker.proc.waitFor(new RegExp(`prover ${daemon.proverId} \\(olga-prover\\) connected`), 30_000);
    const first = await alice.waitDone((await alice.submit({ circuit: 'secret-circuit', input: freshInput(bn, rnd.next), maxPrice: MAX_PRICE })).id, 120_000);
    assert.strictEqual(first.proverId, daemon.proverId);
    await admin.revokeKey(olga.keyId);
    const exit = await daemon.proc.exited;
    assert.strictEqual(exit.code, 1, daemon.proc.tail());
    assert.ok(daemon.proc.lines.some((l) => /prover stopped: .*revoked/.test(l)), daemon.proc.tail());
    const next = await alice.waitDone((await alice.submit({ circuit: 'secret-circuit', input: freshInput(bn, rnd.next), maxPrice: MAX_PRICE })).id, 120_000);
    assert.strictEqual(next.state, 'JOB_STATE_DONE');
    assert.notStrictEqual(next.proverId, daemon.proverId);
  });

  describe('a cap on live jobs per account', () => {
    let capped: BrokerProc;

    before(async () => {
      // No prover: submitted jobs stay QUEUED (live) until cancelled.
      capped = await startBrokerProc({ name: 'capped-broker', extraArgs: ['--max-live-jobs', '2'] });
    });

    it('RESOURCE_EXHAUSTED with the limit in the message; retries still find their job; other tenants are not held back', async () => {
      const a = new MarketClient(capped.address, { apiKey: capped.keys.client });
      const adminC = new AccountsClient(capped.address, { apiKey: capped.keys.admin });
      clients.push(a, adminC);
      const other = new MarketClient(capped.address, { apiKey: (await adminC.createAccount('other', 'client')).apiKey });
      clients.push(other);
      await a.registerCircuit({ name: 'c', wasm: bn.wasm, zkey: bn.zkey, vkey: bn.vkey, sym: bn.sym ?? undefined, public: true });
      const circuit = (await a.getCircuit('c')).id;
      const input1 = freshInput(bn, rnd.next);
      const j1 = await a.submit({ circuit, input: input1, requestId: 'cap-1' });
      await a.submit({ circuit, input: freshInput(bn, rnd.next), requestId: 'cap-2' });
      const msg = await refused(() => a.submit({ circuit, input: freshInput(bn, rnd.next), requestId: 'cap-3' }), 'RESOURCE_EXHAUSTED');
      assert.match(msg, /2 live jobs, the limit per account is 2/);
      // A retry of a job already accepted is not a new job: at the cap it still returns that job.
      assert.strictEqual((await a.submit({ circuit, input: input1, requestId: 'cap-1' })).id, j1.id);
      assert.strictEqual((await a.listJobs()).length, 2, 'the refused job was not created');
      // The cap is per account.
      await other.submit({ circuit, input: freshInput(bn, rnd.next) });
      // A job that ends frees its place.
      await a.cancel(j1.id);
      await a.submit({ circuit, input: freshInput(bn, rnd.next), requestId: 'cap-3' });
    });
  });
});
