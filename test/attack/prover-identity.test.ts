// Attack suite: a second process claiming an existing prover's identity. Real broker and prover
// processes on 127.0.0.1 over real gRPC; the attacker is a raw ProverHub client that knows the
// victim's prover id (it is in every job record) and prover key (hostname + data dir), and holds
// either the victim operator's own API key (a second process on the operator's machine) or the key
// of another operator account. Each case: the right status, nothing leaked to the attacker,
// nothing paid to it, the victim keeps working.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AccountsClient } from '../../src/client/accounts';
import { MarketClient } from '../../src/client/market';
import { circuitsByCurve, ExampleCircuit, freshInput, seededRandom, verifyProof } from '../helpers/circuits';
import { RawProver, statusName } from '../helpers/attack';
import { registerExample } from '../helpers/market';
import { BrokerProc, Proc, sleep, startBrokerProc, startProverProc, tmpDir } from '../helpers/procs';
import { liveProcessHooks } from '../helpers/hooks';

describe('attack: taking over a prover\'s identity', function () {
  this.timeout(180_000);
  let broker: BrokerProc;
  let client: MarketClient;
  let c: ExampleCircuit;
  let victim: { proc: Proc; proverId: string };
  let victimData: string;
  const raws: RawProver[] = [];
  const rnd = seededRandom('prover-identity');

  let mallory: string; // another prover operator's key
  /** A raw ProverHub client with the victim operator's key (default) or another one. */
  const raw = (apiKey = broker.keys.prover): RawProver => { const r = new RawProver(broker.address, { apiKey }); raws.push(r); return r; };
  const submit = () => client.submit({ circuit: c.name, input: freshInput(c, rnd.next) });
  const countLines = (p: Proc, re: RegExp) => p.lines.filter((l) => re.test(l)).length;

  before(async () => {
    c = circuitsByCurve().bn254;
    broker = await startBrokerProc({ leaseMs: 4000, heartbeatMs: 400 });
    client = new MarketClient(broker.address, { apiKey: broker.keys.client });
    const admin = new AccountsClient(broker.address, { apiKey: broker.keys.admin });
    mallory = (await admin.createAccount('mallory-operator', 'prover')).apiKey;
    admin.close();
    await registerExample(client, c);
    victimData = tmpDir('pm-victim-');
    victim = await startProverProc(broker, { name: 'victim', dataDir: victimData });
  });

  liveProcessHooks({ close: () => { for (const r of raws.splice(0)) r.close(); client.close(); } });

  it('the victim keeps its secret in DATA/identity.json (0600); the broker stores only its hash', () => {
    const file = path.join(victimData, 'identity.json');
    const st = fs.statSync(file);
    assert.strictEqual(st.mode & 0o777, 0o600, `mode ${(st.mode & 0o777).toString(8)}`);
    const id = JSON.parse(fs.readFileSync(file, 'utf8')) as { secret: string; proverId: string };
    assert.match(id.secret, /^pms_[A-Za-z0-9_-]{40,}$/);
    assert.strictEqual(id.proverId, victim.proverId);
    for (const f of fs.readdirSync(broker.dataDir).filter((n) => n.startsWith('broker.db'))) {
      assert.ok(!fs.readFileSync(path.join(broker.dataDir, f)).includes(id.secret), `${f} holds the prover secret in clear`);
    }
    assert.ok(!broker.proc.lines.some((l) => l.includes(id.secret)), 'the broker logged the secret');
  });

  it('hello with the victim\'s id but without its secret: PERMISSION_DENIED, nothing leaked, the victim is never dropped', async () => {
    const attacker = raw();
    const disconnectsBefore = countLines(broker.proc, new RegExp(`prover ${victim.proverId} disconnected`));
    const sessionsBefore = countLines(victim.proc, /session:|reconnected/);
    const jobs = await Promise.all([submit(), submit(), submit(), submit()]);
    // Keep trying while the jobs run: no secret, a made-up secret, a guessed epoch.
    const tries = [['', '0'], ['pms_' + 'A'.repeat(43), '1'], ['', '1'], ['pms_guess', '2']];
    const refusals: string[] = [];
    for (let round = 0; round < 3; round++) {
      for (const [secret, epoch] of tries) {
        const s = attacker.hello(victim.proverId, secret, epoch);
        const st = await s.endedWithin(10_000);
        assert.ok(st, 'the broker ends the impostor\'s session');
        refusals.push(statusName(st));
        assert.deepStrictEqual(s.leaked(), [], 'no assignment, lease token or ack reaches the impostor');
      }
    }
    assert.deepStrictEqual([...new Set(refusals)], ['PERMISSION_DENIED']);
    for (const j of jobs) {
      const done = await client.waitDone(j.id, 120_000);
      assert.strictEqual(done.state, 'JOB_STATE_DONE', `${done.id}: ${done.state} ${done.error}`);
      assert.strictEqual(done.proverId, victim.proverId);
      assert.strictEqual(done.attempts, 1, `job ${done.id} was assigned ${done.attempts} times`);
      assert.ok(await verifyProof(c, done.proof!.proofJson, done.proof!.publicJson));
    }
    assert.strictEqual(countLines(broker.proc, new RegExp(`prover ${victim.proverId} disconnected`)), disconnectsBefore,
      'the broker never dropped the victim\'s session');
    assert.strictEqual(countLines(victim.proc, /session:|reconnected/), sessionsBefore, 'the victim never lost its session');
  });

  it('another operator saying hello with the victim\'s id gets NOT_FOUND, like an id that does not exist', async () => {
    const attacker = raw(mallory);
    const secret = JSON.parse(fs.readFileSync(path.join(victimData, 'identity.json'), 'utf8')).secret as string;
    // Even with the victim's secret (say, a leaked backup) the prover is not this operator's.
    const s1 = attacker.hello(victim.proverId, secret, '1');
    const s2 = attacker.hello('p_0123456789abcdef', secret, '1');
    const [e1, e2] = [await s1.endedWithin(10_000), await s2.endedWithin(10_000)];
    assert.strictEqual(statusName(e1), 'NOT_FOUND');
    assert.strictEqual(e1!.details.replace(victim.proverId, 'ID'), e2!.details.replace('p_0123456789abcdef', 'ID'),
      'the refusal does not reveal that the prover exists');
    assert.deepStrictEqual([...s1.leaked(), ...s2.leaked()], []);
    // Registering the victim's prover key makes mallory's own prover, with its own id and none of
    // the victim's leases (BLS12-381 only, so that the BN254 job below cannot go to it on merit).
    const key = `${os.hostname()}:${path.resolve(victimData)}`;
    const own = await attacker.register({ key, name: 'victim', curves: ['CURVE_BLS12_381'] });
    assert.notStrictEqual(own.proverId, victim.proverId);
    const session = attacker.hello(own.proverId, own.proverSecret, own.sessionEpoch);
    const done = await client.waitDone((await submit()).id, 120_000);
    assert.strictEqual(done.proverId, victim.proverId, 'the job went to the victim');
    assert.deepStrictEqual(session.leaked(), [], 'mallory\'s session got no assignment, lease or ack');
    session.close();
    // A client key cannot open a prover session at all.
    const asClient = new RawProver(broker.address, { apiKey: broker.keys.client });
    raws.push(asClient);
    const e3 = await asClient.hello(victim.proverId, secret, '1').endedWithin(10_000);
    assert.strictEqual(statusName(e3), 'PERMISSION_DENIED');
    await assert.rejects(asClient.register({ key: 'client-as-prover' }), (e) => statusName(e) === 'PERMISSION_DENIED');
  });

  it('Register with the victim\'s prover key but not its secret: PERMISSION_DENIED, and the victim still works', async () => {
    const key = `${os.hostname()}:${path.resolve(victimData)}`;
    const attacker = raw();
    for (const secret of ['', 'pms_not-the-secret']) {
      await assert.rejects(attacker.register({ key, secret, name: 'victim', curves: ['CURVE_BLS12_381'] }), (e) => {
        assert.strictEqual(statusName(e), 'PERMISSION_DENIED');
        assert.match(String((e as Error).message), /another daemon holds this identity|carries no prover secret/);
        return true;
      });
    }
    // Its capabilities were not overwritten (the attacker said BLS12-381 only): a BN254 job still goes to it.
    const done = await client.waitDone((await submit()).id, 120_000);
    assert.strictEqual(done.state, 'JOB_STATE_DONE');
    assert.strictEqual(done.proverId, victim.proverId);
  });

  it('a stale epoch is refused: only the latest Register may open the session', async () => {
    const a = raw();
    const first = await a.register({ key: `stale-test-${rnd.seed}` });
    assert.match(first.proverSecret, /^pms_/);
    const second = await a.register({ key: `stale-test-${rnd.seed}`, secret: first.proverSecret });
    assert.strictEqual(second.proverId, first.proverId);
    assert.strictEqual(second.proverSecret, '', 'the secret is shown once');
    assert.ok(Number(second.sessionEpoch) > Number(first.sessionEpoch));
    const stale = a.hello(first.proverId, first.proverSecret, first.sessionEpoch);
    const st = await stale.endedWithin(10_000);
    assert.strictEqual(statusName(st), 'FAILED_PRECONDITION');
    assert.match(st!.details, /stale session/);
    // The current epoch is accepted, and an older open session is fenced when a newer one says hello.
    const cur = a.hello(second.proverId, first.proverSecret, second.sessionEpoch);
    assert.strictEqual(await cur.endedWithin(1500), null, 'the current session stays open');
    const third = await a.register({ key: `stale-test-${rnd.seed}`, secret: first.proverSecret });
    const newer = a.hello(third.proverId, first.proverSecret, third.sessionEpoch);
    const fenced = await cur.endedWithin(10_000);
    assert.strictEqual(statusName(fenced), 'FAILED_PRECONDITION');
    assert.match(fenced!.details, /superseded/);
    assert.strictEqual(await newer.endedWithin(1000), null);
  });

  it('a second daemon on the victim\'s data dir takes over; the first is fenced and stops instead of fighting back', async () => {
    const twin = await startProverProc(broker, { name: 'twin', dataDir: victimData });
    assert.strictEqual(twin.proverId, victim.proverId, 'same identity');
    const exit = await victim.proc.exited;
    assert.strictEqual(exit.code, 1, victim.proc.tail());
    assert.ok(victim.proc.lines.some((l) => /prover stopped: .*superseded/.test(l)), victim.proc.tail());
    const done = await client.waitDone((await submit()).id, 120_000);
    assert.strictEqual(done.state, 'JOB_STATE_DONE');
    assert.strictEqual(done.proverId, twin.proverId);
    // No ping-pong: one takeover, and it stays that way.
    await sleep(2000);
    assert.strictEqual(countLines(broker.proc, /replaces the open one/), 2, 'the raw takeover above and this one, nothing more');
    assert.ok(twin.proc.alive);
    assert.strictEqual(countLines(twin.proc, /session:|reconnected/), 0, twin.proc.tail());
  });
});
