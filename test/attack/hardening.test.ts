// Attack suite: the findings of the 2026-11-30 attack report that one broker process answers
// (real gRPC on 127.0.0.1, real SQLite): c1.json uploads are per account (finding 4); prover
// registrations are bounded and cannot break ListProvers (5); prover-controlled text reaches
// other tenants without control characters (6); out-of-range numbers and deeply nested inputs are
// INVALID_ARGUMENT (8, 9); a revoked key ends an open WatchJob stream (10). Each case failed on
// main at ebfcdc2.
import * as assert from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import { AccountsClient } from '../../src/client/accounts';
import { MarketClient } from '../../src/client/market';
import type { C1Info__Output, UploadC1Request } from '../../src/common/proto';
import { commit1Json, generateSector } from '../../src/porep/sector';
import { refused } from '../helpers/attack';
import { BrokerProc, dumpLive, killAll, startBrokerProc, tmpDir } from '../helpers/procs';

/** One raw UploadC1 call: the header, then `chunks`; ended unless `hold` (then the call is returned open). */
function rawUpload(m: MarketClient, header: { sha256: string; size: number; offset: number }, chunks: Buffer[], hold = false):
  { result: Promise<C1Info__Output>; call: grpc.ClientWritableStream<UploadC1Request> } {
  let call!: grpc.ClientWritableStream<UploadC1Request>;
  const result = new Promise<C1Info__Output>((resolve, reject) => {
    call = m.raw.uploadC1((err, res) => (err ? reject(err) : resolve(res as C1Info__Output)));
    call.write({ header: { sha256: header.sha256, size: String(header.size), offset: String(header.offset) } });
    for (const c of chunks) call.write({ chunk: c });
    if (!hold) call.end();
  });
  result.catch(() => { /* asserted by the caller */ });
  return { result, call };
}

describe('attack: hardening (c1 ownership, prover text and sizes, numeric and nested inputs, revoked streams)', function () {
  this.timeout(180_000);
  let broker: BrokerProc;
  let admin: AccountsClient;
  const keys: Record<string, string> = {};
  const keyIds: Record<string, string> = {};
  const clients: { close(): void }[] = [];
  const market = (apiKey: string): MarketClient => { const c = new MarketClient(broker.address, { apiKey }); clients.push(c); return c; };

  before(async () => {
    // The verifier command is never run here (no C2 job is proved): any command enables c1 uploads.
    broker = await startBrokerProc({ leaseMs: 4000, heartbeatMs: 400, extraArgs: ['--c2-verifier', 'true'] });
    admin = new AccountsClient(broker.address, { apiKey: broker.keys.admin });
    clients.push(admin);
    for (const [name, role] of [['alice', 'client'], ['bob', 'client'], ['carol', 'client'], ['mallory', 'prover']] as const) {
      const r = await admin.createAccount(name, role);
      keys[name] = r.apiKey;
      keyIds[name] = r.keyId;
    }
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(dumpLive());
  });

  after(async () => {
    for (const c of clients.splice(0)) c.close();
    await killAll();
  });

  it('finding 4: a c1 upload is its uploader\'s: no existence or progress oracle, no resume, block or overwrite by another account, no job on it without the bytes', async () => {
    const alice = market(keys.alice);
    const bob = market(keys.bob);
    const bytes = Buffer.from(commit1Json(await generateSector({ size: 'small', partitions: 1, seed: 'hardening-c1' })));
    const sha = crypto.createHash('sha256').update(bytes).digest('hex');
    const half = Math.floor(bytes.length / 2);
    const fake = crypto.randomBytes(32).toString('hex');
    const asUnknown = async (who: MarketClient, what: string) => {
      const seen = await who.getC1(sha);
      const none = await who.getC1(fake);
      assert.deepStrictEqual({ ...seen, sha256: 'X' }, { ...none, sha256: 'X' }, `${what}: alice's c1 must read like an unknown hash`);
    };

    // Alice's upload breaks off half-way: kept for her to resume.
    await refused(() => rawUpload(alice, { sha256: sha, size: bytes.length, offset: 0 }, [bytes.subarray(0, half)]).result, 'INVALID_ARGUMENT');
    assert.strictEqual((await alice.getC1(sha)).received, String(half));
    await asUnknown(bob, 'her partial upload');

    // Bob cannot resume it (answered as for a hash nobody holds), nor wipe it with garbage from 0.
    const resumeHers = await refused(() => rawUpload(bob, { sha256: sha, size: bytes.length, offset: half }, [bytes.subarray(half)]).result, 'FAILED_PRECONDITION');
    const resumeNone = await refused(() => rawUpload(bob, { sha256: fake, size: bytes.length, offset: half }, [bytes.subarray(half)]).result, 'FAILED_PRECONDITION');
    assert.strictEqual(resumeHers.split(sha).join('X'), resumeNone.split(fake).join('X'));
    const garbage = Buffer.from(bytes); garbage.fill(0x20, half);
    await refused(() => rawUpload(bob, { sha256: sha, size: bytes.length, offset: 0 }, [garbage]).result, 'INVALID_ARGUMENT');
    assert.strictEqual((await alice.getC1(sha)).received, String(half), 'alice\'s received bytes are untouched');

    // Bob holds an upload of the same hash open: alice is not held up (no ABORTED), and completes.
    const held = rawUpload(bob, { sha256: sha, size: bytes.length, offset: 0 }, [bytes.subarray(0, 100)], true);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const done = await rawUpload(alice, { sha256: sha, size: bytes.length, offset: half }, [bytes.subarray(half)]).result;
      assert.deepStrictEqual([done.complete, done.partitions], [true, 1]);
    } finally { held.call.cancel(); }
    assert.strictEqual((await alice.getC1(sha)).complete, true);
    const bobs = await bob.getC1(sha);
    assert.deepStrictEqual([bobs.complete, bobs.received], [false, '100'], 'bob sees his own 100 bytes only, not her complete c1');

    // A header alone does not make bob an owner; a job on her c1 is NOT_FOUND, like on an unknown hash.
    const headerOnly = await refused(() => rawUpload(bob, { sha256: sha, size: bytes.length, offset: 0 }, []).result, 'INVALID_ARGUMENT');
    assert.match(headerOnly, /truncated: 0 of/);
    const onHers = await refused(() => bob.submitC2({ c1Sha256: sha, maxPrice: 0 }), 'NOT_FOUND');
    const onNone = await refused(() => bob.submitC2({ c1Sha256: fake, maxPrice: 0 }), 'NOT_FOUND');
    assert.strictEqual(onHers.split(sha).join('X'), onNone.split(fake).join('X'));
    await alice.submitC2({ c1Sha256: sha, maxPrice: 0 }); // hers works

    // Once bob sends the bytes himself (the client uploads them: it is not told they are held) he may use them.
    const file = path.join(tmpDir('pm-hardening-c1-'), 'c1.json');
    fs.writeFileSync(file, bytes);
    assert.strictEqual((await bob.uploadC1(file)).complete, true);
    const j = await bob.submitC2({ c1Sha256: sha, maxPrice: 0 });
    assert.strictEqual(j.kind, 'filecoin-c2');
    await asUnknown(market(keys.carol), 'two owners\' c1, to a third account');
  });
});
