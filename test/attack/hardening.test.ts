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
import { RawProver, refused } from '../helpers/attack';
import { SqliteStore } from '../../broker/store/sqlite';
import { DEFAULT_MONEY_POLICY } from '../../broker/store/types';
import type { Job__Output, ProverMessage } from '../../src/common/proto';
import { jobDetails, table } from '../../src/cli/format';
import { ProgressLine } from '../../src/cli/progress';
import { BrokerProc, startBrokerProc, tmpDir } from '../helpers/procs';
import { circuitsByCurve, freshInput, seededRandom } from '../helpers/circuits';
import { liveProcessHooks } from '../helpers/hooks';

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
  const accountIds: Record<string, string> = {};
  let c1File = '';
  let c1Sha = '';
  const clients: { close(): void }[] = [];
  const market = (apiKey: string): MarketClient => { const c = new MarketClient(broker.address, { apiKey }); clients.push(c); return c; };

  before(async () => {
    // The verifier command is never run here (no C2 job is proved): any command enables c1 uploads.
    broker = await startBrokerProc({ leaseMs: 4000, heartbeatMs: 400, extraArgs: ['--c2-verifier', 'true'] });
    admin = new AccountsClient(broker.address, { apiKey: broker.keys.admin });
    clients.push(admin);
    for (const [name, role] of [['alice', 'client'], ['bob', 'client'], ['carol', 'client'], ['dave', 'client'], ['mallory', 'prover']] as const) {
      const r = await admin.createAccount(name, role);
      keys[name] = r.apiKey;
      keyIds[name] = r.keyId;
      accountIds[name] = r.account!.id;
    }
    const bytes = Buffer.from(commit1Json(await generateSector({ size: 'small', partitions: 1, seed: 'hardening-c1' })));
    c1Sha = crypto.createHash('sha256').update(bytes).digest('hex');
    c1File = path.join(tmpDir('pm-hardening-c1-'), 'c1.json');
    fs.writeFileSync(c1File, bytes);
  });

  liveProcessHooks({ close: () => { for (const c of clients.splice(0)) c.close(); } });

  it('finding 4: a c1 upload is its uploader\'s: no existence or progress oracle, no resume, block or overwrite by another account, no job on it without the bytes', async () => {
    const alice = market(keys.alice);
    const bob = market(keys.bob);
    const bytes = fs.readFileSync(c1File);
    const sha = c1Sha;
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
    assert.strictEqual((await bob.uploadC1(c1File)).complete, true);
    const j = await bob.submitC2({ c1Sha256: sha, maxPrice: 0 });
    assert.strictEqual(j.kind, 'filecoin-c2');
    await asUnknown(market(keys.carol), 'two owners\' c1, to a third account');
  });

  it('finding 5: Register bounds the name, backends, devices and bench (INVALID_ARGUMENT naming the limit); ListProvers cuts records stored before', async () => {
    const hub = new RawProver(broker.address, { apiKey: keys.mallory });
    clients.push(hub);
    const caps = (over: Record<string, unknown> = {}) => ({
      curves: ['CURVE_BN254'], backends: ['snarkjs'], maxConstraints: '0', slots: 1, price: '0',
      devices: [{ name: 'cpu', memoryBytes: '0', backend: 'snarkjs' }], ...over,
    });
    const register = (name: string, c: Record<string, unknown>) => new Promise((resolve, reject) => hub.hub.register(
      { proverKey: `k-${crypto.randomBytes(4).toString('hex')}`, name, proverSecret: '', capabilities: c as never },
      { deadline: Date.now() + 20_000 }, (e, r) => (e ? reject(e) : resolve(r))));
    assert.match(await refused(() => register('n'.repeat(65), caps()), 'INVALID_ARGUMENT'), /name is 65 characters long, the limit is 64/);
    assert.match(await refused(() => register('x'.repeat(15 * 2 ** 20), caps()), 'INVALID_ARGUMENT'), /name is 15728640 characters long, the limit is 64/);
    assert.match(await refused(() => register('ok', caps({ backends: Array.from({ length: 17 }, (_, i) => `b${i}`) })), 'INVALID_ARGUMENT'),
      /capabilities.backends has 17 entries, the limit is 16/);
    assert.match(await refused(() => register('ok', caps({ backends: ['b'.repeat(65)] })), 'INVALID_ARGUMENT'), /capabilities.backends\[0\] is 65 characters long, the limit is 64/);
    assert.match(await refused(() => register('ok', caps({ devices: Array.from({ length: 65 }, () => ({ name: 'gpu', memoryBytes: '0', backend: 'cuda' })) })), 'INVALID_ARGUMENT'),
      /capabilities.devices has 65 entries, the limit is 64/);
    assert.match(await refused(() => register('ok', caps({ devices: [{ name: 'g'.repeat(129), memoryBytes: '0', backend: 'cuda' }] })), 'INVALID_ARGUMENT'),
      /capabilities.devices\[0\].name is 129 characters long, the limit is 128/);
    assert.match(await refused(() => register('ok', caps({ bench: Array.from({ length: 257 }, () => ({ curve: 'CURVE_BN254', backend: 'snarkjs', log2Constraints: 10, proveMs: 5 })) })), 'INVALID_ARGUMENT'),
      /capabilities.bench has 257 entries, the limit is 256/);
    assert.match(await refused(() => register('ok', caps({ bench: [{ curve: 'CURVE_BN254', backend: 'snarkjs', log2Constraints: 4_000_000_000, proveMs: 5 }] })), 'INVALID_ARGUMENT'),
      /capabilities.bench\[0\].log2_constraints 4000000000 is over 40/);
    assert.match(await refused(() => register('ok', caps({ maxConstraints: '18446744073709551615' })), 'INVALID_ARGUMENT'), /capabilities.max_constraints 18446744073709551615 is out of range/);
    await register('n'.repeat(64), caps()); // at the limits: accepted

    // A record stored before the limits (written straight into the broker's SQLite file) cannot break ListProvers.
    const store = new SqliteStore(path.join(broker.dataDir, 'broker.db'), { money: DEFAULT_MONEY_POLICY });
    try {
      await store.upsertProver(accountIds.mallory, 'old-huge', 'H'.repeat(200_000), {
        curves: ['bn254'], backends: Array.from({ length: 5000 }, (_, i) => `backend-${i}-${'z'.repeat(100)}`), maxConstraints: 0, slots: 1,
        price: '0', pricePerMConstraints: '0', devices: Array.from({ length: 5000 }, () => ({ name: 'd'.repeat(500), memoryBytes: '0', backend: 'cuda' })),
        bench: [], c2: null,
      }, Date.now());
    } finally { await store.close(); }
    const listed = await market(keys.alice).listProvers();
    const old = listed.find((x) => x.name.startsWith('HHHH'));
    assert.ok(old, 'the old record is still listed');
    assert.ok(old.name.length <= 64 && old.backends.length <= 16 && old.devices.length <= 64, `cut: ${old.name.length} ${old.backends.length} ${old.devices.length}`);
    assert.ok(old.backends.every((x) => x.length <= 64) && old.devices.every((x) => x.length <= 128 + 64 + 3));
    assert.ok(listed.some((x) => x.name === 'n'.repeat(64)));
  });

  it('finding 6: a prover\'s name, progress stage, error text and backend reach other tenants without control characters and bounded', async () => {
    const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
    const alice = market(keys.alice);
    const hub = new RawProver(broker.address, { apiKey: keys.mallory });
    clients.push(hub);
    const evilName = '\u001b[2J\u001b]0;pwned\u0007evil\u202e';
    const reg = await new Promise<{ proverId: string; proverSecret: string; sessionEpoch: string }>((resolve, reject) => hub.hub.register({
      proverKey: 'ansi', name: evilName, proverSecret: '',
      capabilities: {
        curves: ['CURVE_BLS12_381'], backends: ['snarkjs'], maxConstraints: '0', slots: 4, price: '0', devices: [],
        filecoinC2: { sectorSizes: ['4096'], memoryBytes: '0', price: '0' },
      },
    }, { deadline: Date.now() + 20_000 }, (e, r) => (e ? reject(e) : resolve(r as never))));
    const listed = (await alice.listProvers()).find((x) => x.id === reg.proverId)!;
    assert.ok(!CONTROL.test(listed.name), JSON.stringify(listed.name));
    assert.match(listed.name, /\[2J.*0;pwned evil/);

    // It takes a filecoin-c2 job (alice's, or one of finding 4's), reports a long stage with escapes, then gives it back with an escape-laden error.
    await alice.uploadC1(c1File);
    await alice.submitC2({ c1Sha256: c1Sha, maxPrice: 0 });
    const owner = market(broker.keys.admin); // the job's owner's view (an admin sees every job)
    const session = hub.hello(reg.proverId, reg.proverSecret, reg.sessionEpoch);
    const deadline = Date.now() + 60_000;
    while (!session.messages.some((m) => m.assignment) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const a = session.messages.find((m) => m.assignment)!.assignment!;
    const send = (m: ProverMessage) => session.write(m);
    send({ progress: { jobId: a.jobId, leaseToken: a.leaseToken, fraction: 0.5, stage: '\u001b[31m' + 'S'.repeat(5000) } });
    let j = await owner.getJob(a.jobId);
    for (let i = 0; i < 100 && !j.stage; i++) { await new Promise((r) => setTimeout(r, 100)); j = await owner.getJob(a.jobId); }
    assert.ok(j.stage.length <= 64 && !CONTROL.test(j.stage), JSON.stringify(j.stage.slice(0, 80)));
    send({ result: { jobId: a.jobId, leaseToken: a.leaseToken, error: '\u001b]0;owned\u0007\u009b2J' + 'E'.repeat(10_000), retryable: true, backend: 'x\u001b[2J' } });
    for (let i = 0; i < 100 && !j.error; i++) { await new Promise((r) => setTimeout(r, 100)); j = await owner.getJob(a.jobId); }
    assert.ok(j.error.includes('owned'), j.error.slice(0, 200));
    assert.ok(!CONTROL.test(j.error) && j.error.length <= 1200, `${j.error.length}: ${JSON.stringify(j.error.slice(0, 80))}`);
    session.close();
  });

  it('finding 6, defence in depth: the CLI\'s job view, tables and progress line escape control characters from any broker', () => {
    const evil = '\u001b[2J\u001b]0;t\u0007\u009b31m\u202eX';
    const job = {
      id: 'j_1', state: 'JOB_STATE_PROVING', circuitId: 'c_1', requestId: evil, attempts: 1, maxAttempts: 3, createdMs: '0', updatedMs: '0',
      deadlineMs: '0', proverId: 'p_1', maxPrice: '0', progress: 0.5, stage: evil, backend: evil, proveMs: '1', error: evil, routing: evil, partitions: [],
    } as unknown as Job__Output;
    const shown = [jobDetails(job), table([['NAME'], [evil]]), new ProgressLine().render(job, 1000)];
    for (const t of shown) {
      assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(t), JSON.stringify(t));
      assert.ok(t.includes('\\x1b[2J') && t.includes('\\u202e'), t);
    }
  });

  it('finding 8: deadline_ms out of range (not a safe integer, past, absurdly far) is INVALID_ARGUMENT saying what a deadline looks like', async () => {
    const alice = market(keys.alice);
    await alice.uploadC1(c1File); // held already when finding 4's case ran
    const submitAt = (deadlineMs: string) => new Promise((resolve, reject) => alice.raw.submitJob(
      { requestId: `d-${deadlineMs}`, filecoinC2: { c1Sha256: c1Sha }, deadlineMs, maxPrice: '0' }, (e, r) => (e ? reject(e) : resolve(r))));
    const quoteAt = (deadlineMs: string) => new Promise((resolve, reject) => alice.raw.quote(
      { circuit: 'fc2-PoRepShapedSmallV1-1', deadlineMs, maxPrice: '0' }, (e, r) => (e ? reject(e) : resolve(r))));
    for (const call of [submitAt, quoteAt]) {
      assert.match(await refused(() => call('18446744073709551615'), 'INVALID_ARGUMENT'), /deadline_ms 18446744073709551615 is not a time in ms since the epoch \(e\.g\. \d+ for 10 minutes from now/);
      assert.match(await refused(() => call('9007199254740993'), 'INVALID_ARGUMENT'), /not a time in ms since the epoch/);
      assert.match(await refused(() => call(String(Date.now() * 1000)), 'INVALID_ARGUMENT'), /days\) from now, more than the 31536000000 ms \(365 days\) allowed: is it in µs or ns rather than ms\?/);
      // Just past the limit: the exact numbers, never "365 days away, more than the 365 allowed".
      assert.match(await refused(() => call(String(Date.now() + 31_536_000_000 + 60_000)), 'INVALID_ARGUMENT'), /is 315360[56]\d{4} ms \(365\.00 days\) from now, more than the 31536000000 ms/);
      assert.match(await refused(() => call(String(Math.floor(Date.now() / 1000))), 'INVALID_ARGUMENT'), /already in the past/);
    }
    const ok = await submitAt(String(Date.now() + 3_600_000)) as { deadlineMs: string };
    assert.ok(Math.abs(Number(ok.deadlineMs) - (Date.now() + 3_600_000)) < 60_000, 'a sane deadline is kept as sent');
    await quoteAt('0');
  });

  it('finding 9: input_json nested 200,000 levels deep is INVALID_ARGUMENT naming the limit, not INTERNAL', async () => {
    const alice = market(keys.alice);
    const bn = circuitsByCurve().bn254;
    const c = await alice.registerCircuit({ name: 'nest', wasm: bn.wasm, zkey: bn.zkey, vkey: bn.vkey, sym: bn.sym ?? undefined });
    const deep = `{"n":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    assert.match(await refused(() => alice.submit({ circuit: c.id, input: deep, maxPrice: 0 }), 'INVALID_ARGUMENT'), /nested more than 64 levels deep/);
    assert.match(await refused(() => alice.submitPartitioned({ circuit: c.id, inputs: [deep, deep], maxPrice: 0 }), 'INVALID_ARGUMENT'), /partition 0: input_json is nested more than 64/);
    // Brackets inside strings do not count; a plain input is still accepted.
    assert.doesNotMatch(await refused(() => alice.submit({ circuit: c.id, input: `{"s":"${'['.repeat(1000)}"}`, maxPrice: 0 }), 'INVALID_ARGUMENT'), /nested/);
    await alice.submit({ circuit: c.id, input: freshInput(bn, seededRandom('hardening nest').next), maxPrice: 0 });
  });

  it('finding 10: a WatchJob stream whose key is revoked ends UNAUTHENTICATED before its next event', async () => {
    const dave = market(keys.dave);
    assert.strictEqual((await dave.uploadC1(c1File)).complete, true);
    const job = await dave.submitC2({ c1Sha256: c1Sha, maxPrice: 0 });
    const seen: string[] = [];
    const w = dave.watch(job.id, (ev) => seen.push(`${ev.kind}:${ev.job?.state}`));
    w.done.catch(() => { /* asserted below */ });
    for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepStrictEqual(seen, ['snapshot:JOB_STATE_QUEUED']);
    await admin.revokeKey(keyIds.dave);
    await market(broker.keys.admin).cancel(job.id); // an event for the stream (admins see every job)
    const msg = await refused(() => w.done, 'UNAUTHENTICATED');
    assert.match(msg, /revoked/);
    assert.deepStrictEqual(seen, ['snapshot:JOB_STATE_QUEUED'], 'no event after the revocation');
  });
});
