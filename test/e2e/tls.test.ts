// TLS end to end: a broker process serving --tls-cert/--tls-key (a certificate made by openssl in
// the test, signed by a throwaway CA), a prover process that reaches it with --tls-ca and proves a
// job, the CLI and MarketClient over TLS — and the ways it must fail: plaintext against a TLS
// broker, a client trusting another CA, a certificate with somebody else's key.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { MarketClient, MarketError } from '../../src/client/market';
import { circuitsByCurve, freshInput, seededRandom, verifyProof } from '../helpers/circuits';
import { registerExample } from '../helpers/market';
import { BrokerProc, Proc, runCli, startBrokerProc, startProverProc, tmpDir } from '../helpers/procs';
import { makeTestPki, TestPki } from '../helpers/tls';
import { liveProcessHooks } from '../helpers/hooks';

describe('e2e: TLS between clients, provers and the broker', function () {
  this.timeout(120_000);
  let pki: TestPki;
  let broker: BrokerProc;
  const clients: MarketClient[] = [];

  before(async () => {
    pki = makeTestPki(path.join(tmpDir('pm-tls-'), 'pki'));
    broker = await startBrokerProc({ leaseMs: 5000, heartbeatMs: 500, extraArgs: ['--tls-cert', pki.cert, '--tls-key', pki.key] });
  });

  liveProcessHooks({ close: () => { for (const c of clients.splice(0)) c.close(); } });

  it('the broker says it serves TLS', () => {
    assert.ok(broker.proc.lines.some((l) => /listening on \S+ with TLS/.test(l)), broker.proc.tail());
  });

  it('a prover with --tls-ca proves a job submitted over TLS; snarkjs verifies the proof', async () => {
    const c = circuitsByCurve().bn254;
    const prover = await startProverProc(broker, { name: 'tls-prover', extraArgs: ['--tls-ca', pki.caCert] });
    const client = new MarketClient(broker.address, { tls: { caFile: pki.caCert }, apiKey: broker.keys.client });
    clients.push(client);
    await registerExample(client, c);
    const rnd = seededRandom('tls');
    const job = await client.submit({ circuit: c.name, input: freshInput(c, rnd.next) });
    const done = await client.waitDone(job.id, 90_000);
    assert.strictEqual(done.state, 'JOB_STATE_DONE', `${done.state} ${done.error}`);
    assert.strictEqual(done.proverId, prover.proverId);
    assert.ok(await verifyProof(c, done.proof!.proofJson, done.proof!.publicJson), 'snarkjs verifies the proof');
  });

  it('the CLI reaches the broker with --tls-ca (or PM_TLS_CA), not without it', async () => {
    const key = { PM_API_KEY: broker.keys.client };
    const ok = await runCli(['circuits', '--json', '--broker', broker.address, '--tls-ca', pki.caCert], key);
    assert.strictEqual(ok.code, 0, ok.stderr);
    assert.ok(Array.isArray(JSON.parse(ok.stdout)));
    assert.doesNotMatch(ok.stderr, /DeprecationWarning/, 'no Node warning about TLS to an IP address');
    const env = await runCli(['circuits', '--json', '--broker', broker.address], { PM_TLS_CA: pki.caCert, ...key });
    assert.strictEqual(env.code, 0, env.stderr);

    const plain = await runCli(['circuits', '--broker', broker.address]);
    assert.strictEqual(plain.code, 1, plain.stderr);
    assert.match(plain.stderr, /^error: broker unavailable/m);

    const missing = await runCli(['circuits', '--broker', broker.address, '--tls-ca', path.join(pki.dir, 'nope.pem')]);
    assert.strictEqual(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /--tls-ca: file not found/);
  });

  it('a client trusting another CA is refused at the handshake, whatever it sends', async () => {
    const wrong = new MarketClient(broker.address, { tls: { caFile: pki.otherCaCert } });
    clients.push(wrong);
    await assert.rejects(wrong.listCircuits(), (e: MarketError) => {
      assert.strictEqual(e.codeName, 'UNAVAILABLE', e.message);
      return true;
    });
    const plain = new MarketClient(broker.address, { apiKey: broker.keys.client });
    clients.push(plain);
    await assert.rejects(plain.listCircuits(), (e: MarketError) => e.codeName === 'UNAVAILABLE');
  });

  it('a prover trusting another CA never registers, and says why', async () => {
    const dataDir = tmpDir('pm-tls-prover-');
    const p = new Proc('tls-wrong-ca', ['prover', '--broker', broker.address, '--data', dataDir, '--name', 'wrong-ca',
      '--tls-ca', pki.otherCaCert]);
    await p.waitFor(/unreachable: .*(certificate|self.signed|verify)/i, 30_000);
    assert.ok(!p.lines.some((l) => /registered/.test(l)), p.tail());
    await p.kill();
  });

  it('start serves TLS too: its local prover trusts --tls-ca, or a self-signed certificate itself', async () => {
    for (const [cert, key, ca] of [[pki.cert, pki.key, pki.caCert], [pki.selfSignedCert, pki.selfSignedKey, null]] as const) {
      const data = tmpDir('pm-tls-start-');
      const p = new Proc('tls-start', ['start', '--listen', '127.0.0.1:0', '--data', data, '--tls-cert', cert, '--tls-key', key,
        ...(ca ? ['--tls-ca', ca] : [])]);
      const address = (await p.waitFor(/broker listening on (\S+) with TLS/, 60_000))[1];
      await p.waitFor(/local prover (\S+) ready/, 60_000);
      const r = await runCli(['circuits', '--json', '--broker', address, '--tls-ca', ca ?? cert], { PM_API_KEY: fs.readFileSync(path.join(data, 'client.key'), 'utf8').trim() });
      assert.strictEqual(r.code, 0, r.stderr);
      await p.kill();
    }
  });

  it('a broker given a key that is not its certificate\'s exits with a message, before listening', async () => {
    const otherKey = path.join(pki.dir, 'other-ca.key');
    const p = new Proc('bad-tls-broker', ['broker', '--listen', '127.0.0.1:0', '--data', tmpDir('pm-tls-bad-'),
      '--tls-cert', pki.cert, '--tls-key', otherKey]);
    const exit = await p.exited;
    assert.strictEqual(exit.code, 1, p.tail());
    assert.ok(p.lines.some((l) => /do not work together/.test(l)), p.tail());
    assert.ok(!p.lines.some((l) => /listening on/.test(l)), p.tail());
    const half = await runCli(['broker', '--listen', '127.0.0.1:0', '--tls-cert', pki.cert]);
    assert.strictEqual(half.code, 2, half.stderr);
    assert.match(half.stderr, /both --tls-cert FILE and --tls-key FILE/);
  });
});
