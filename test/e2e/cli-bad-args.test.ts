// A new user's mistakes at the CLI, found by trying the README as written: an id pasted wrong
// (megabytes of it), a --limit out of range, an amount too large. Each must end with a message a
// person can act on and a non-zero exit; never a silent exit 0 with no output. One broker, no
// prover: nothing here needs a proof.

import * as assert from 'assert';
import * as grpc from '@grpc/grpc-js';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { BrokerProc, runCli, startBrokerProc, tmpDir } from '../helpers/procs';
import { liveProcessHooks } from '../helpers/hooks';
import { toStatus, notFound, MAX_STATUS_MESSAGE_CHARS } from '../../broker/errors';
import { marketService } from '../../src/common/proto';
import { jobDetails } from '../../src/cli/format';
import type { Job__Output } from '../../src/common';

describe('e2e: CLI bad arguments a user can act on', function () {
  this.timeout(120_000);
  let broker: BrokerProc;

  let dataDir: string;
  before(async () => {
    dataDir = path.join(tmpDir('pm-bad-args-'), 'new', 'data');
    broker = await startBrokerProc({ dataDir });
  });

  liveProcessHooks();

  const cli = (...args: string[]) => runCli([...args, '--broker', broker.address], { PM_API_KEY: broker.keys.client });

  it('an absurdly long job id is NOT_FOUND with a capped message (it once made `job` exit 0 with no output)', async () => {
    // 80,000 characters echoed back in the status message overflowed HTTP/2's trailer limit: the
    // call never settled and the CLI exited 0 having printed nothing.
    for (const cmd of ['job', 'cancel']) {
      const id = 'j'.repeat(80_000);
      const r = await cli(cmd, id);
      assert.strictEqual(r.code, 1, `${cmd}: exit ${r.code}, stdout ${r.stdout.length} chars, stderr ${r.stderr.slice(0, 200)}`);
      assert.match(r.stderr, /^error: NOT_FOUND: unknown job "jjjj/, r.stderr.slice(0, 200));
      assert.match(r.stderr, /characters cut/);
      assert.ok(r.stderr.length < 2 * MAX_STATUS_MESSAGE_CHARS, `message of ${r.stderr.length} characters`);
    }
    // A short unknown id is answered word for word as before (tenancy relies on that).
    const short = await cli('job', 'j_0000');
    assert.strictEqual(short.code, 1);
    assert.strictEqual(short.stderr, 'error: NOT_FOUND: unknown job "j_0000"\n');
  });

  it('a second broker on a port already in use fails before it opens a store (it used to recover jobs and extend leases first)', async () => {
    const other = path.join(tmpDir('pm-bad-args-port-'), 'data');
    for (const [flag, value] of [['--listen', broker.address], ['--http', broker.address]] as const) {
      const args = ['broker', '--data', other, ...(flag === '--listen' ? ['--listen', value] : ['--listen', '127.0.0.1:0', '--http', value])];
      const r = await runCli(args, {});
      assert.strictEqual(r.code, 1, `${flag}: exit ${r.code}, stderr ${r.stderr.slice(0, 300)}`);
      assert.match(r.stderr, new RegExp(`${flag === '--listen' ? 'gRPC' : '--http'} address ${broker.address.replace(/\./g, '\\.')} is already in use`), r.stderr);
      assert.ok(!fs.existsSync(path.join(other, 'broker.db')), `${flag}: no store was opened in ${other}`);
    }
    // The running broker is untouched.
    const r = await cli('jobs');
    assert.strictEqual(r.code, 0, r.stderr);
  });

  it('toStatus caps every status message, multi-byte characters included, and leaves short ones alone', () => {
    const short = toStatus(notFound('unknown job "x"'));
    assert.strictEqual(short.details, 'unknown job "x"');
    for (const ch of ['a', 'é', '😀']) {
      const s = toStatus(notFound(`unknown job "${ch.repeat(100_000)}"`));
      assert.ok(s.details.length <= MAX_STATUS_MESSAGE_CHARS + 80, `${s.details.length} characters`);
      assert.ok(!/[\uD800-\uDBFF]$/.test(s.details.split(' … ')[0]), 'no half of a surrogate pair left at the cut');
      assert.match(s.details, /^unknown job "/);
      assert.match(s.details, /… \(\d+ more characters cut\)$/);
    }
    const internal = toStatus(new Error('x'.repeat(50_000)));
    assert.ok(internal.details.length <= MAX_STATUS_MESSAGE_CHARS + 80);
  });

  it('--limit out of range is a usage error naming the flag and its range, never a wrapped number', async () => {
    for (const [cmd, max] of [['jobs', 1000], ['ledger', 10000]] as const) {
      for (const bad of ['-1', '0', '1.5', '99999999999', String(max + 1)]) {
        const r = await cli(cmd, '--limit', bad);
        assert.strictEqual(r.code, 2, `${cmd} --limit ${bad}: ${r.stderr}`);
        assert.match(r.stderr, new RegExp(`^error: --limit must be a whole number from 1 to ${max}, got "${bad.replace('.', '\\.')}"`), r.stderr);
        assert.doesNotMatch(r.stderr, /4294967295|1215752191/);
      }
      const ok = await cli(cmd, '--limit', String(max));
      assert.strictEqual(ok.code, 0, ok.stderr);
    }
  });

  it('a broker that is not running: UNAVAILABLE in words, without grpc-js\'s empty "Resolution note: "', async () => {
    const closed = await new Promise<number>((resolve) => {
      const srv = net.createServer();
      srv.listen(0, '127.0.0.1', () => { const p = (srv.address() as net.AddressInfo).port; srv.close(() => resolve(p)); });
    });
    const r = await runCli(['jobs', '--broker', `127.0.0.1:${closed}`], { PM_API_KEY: broker.keys.client });
    assert.strictEqual(r.code, 1, r.stderr);
    assert.match(r.stderr, /^error: broker unavailable \(.*ECONNREFUSED.*\); is it running\? \(--broker HOST:PORT\)\n$/, r.stderr);
    assert.doesNotMatch(r.stderr, /Resolution note/);
  });

  it('a prover whose Register is refused as INVALID_ARGUMENT (--name too long) stops with exit 1 instead of retrying forever', async () => {
    const r = await runCli(['prover', '--broker', broker.address, '--api-key', broker.keys.prover, '--data', tmpDir('pm-bad-prover-'),
      '--backend', 'snarkjs', '--name', 'n'.repeat(300)], {}, 30_000);
    assert.strictEqual(r.code, 1, r.stderr.slice(-500));
    assert.match(r.stderr, /^error: prover stopped: name is 300 characters long, the limit is 64$/m, r.stderr.slice(-500));
  });

  it('a data dir the broker or prover makes is owner-only (broker.db and artifacts were readable by every user of the host)', async () => {
    for (const d of [dataDir, path.dirname(dataDir)]) {
      assert.strictEqual(fs.statSync(d).mode & 0o077, 0, `${d}: mode ${(fs.statSync(d).mode & 0o777).toString(8)}`);
    }
    const proverDir = path.join(tmpDir('pm-bad-args-prover-'), 'new', 'data');
    const r = await runCli(['prover', '--broker', broker.address, '--api-key', broker.keys.client, '--data', proverDir, '--backend', 'snarkjs'], {}, 30_000);
    assert.strictEqual(r.code, 1, r.stderr.slice(-300)); // a client key: refused, after the data dir was made
    for (const d of [proverDir, path.dirname(proverDir)]) {
      assert.strictEqual(fs.statSync(d).mode & 0o077, 0, `${d}: mode ${(fs.statSync(d).mode & 0o777).toString(8)}`);
    }
  });

  it('--data naming a file: the broker and the prover say it is not a directory (the prover printed a raw EEXIST mkdir error)', async () => {
    const file = path.join(tmpDir('pm-bad-args-file-'), 'not-a-dir');
    fs.writeFileSync(file, 'x');
    for (const [args, extra] of [[['broker', '--listen', '127.0.0.1:0'], []], [['prover', '--broker', broker.address, '--api-key', broker.keys.client, '--backend', 'snarkjs'], []]] as const) {
      for (const d of [file, path.join(file, 'below')]) {
        const r = await runCli([...args, ...extra, '--data', d], {}, 30_000);
        assert.strictEqual(r.code, 1, `${args[0]} --data ${d}: exit ${r.code}, ${r.stderr.slice(-300)}`);
        assert.ok(r.stderr.includes(`--data ${d} is not a directory: a file is there`), `${args[0]}: ${r.stderr.slice(-300)}`);
        assert.ok(!/EEXIST|ENOTDIR/.test(r.stderr), r.stderr.slice(-300));
      }
    }
    assert.strictEqual(fs.readFileSync(file, 'utf8'), 'x', 'the file is untouched');
  });

  it('submit with both --input and --witness is a usage error (the --input was silently ignored)', async () => {
    const r = await cli('submit', '--circuit', 'any', '--input', 'in.json', '--witness', 'w.wtns');
    assert.strictEqual(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error: give either --input FILE or --witness FILE, not both/);
  });

  it('key create for another account says an admin may make keys for it (not "read")', async () => {
    const r = await cli('key', 'create', 'admin');
    assert.strictEqual(r.code, 1, r.stderr);
    assert.strictEqual(r.stderr, 'error: PERMISSION_DENIED: CreateKey: only an admin may make API keys for another account ("admin")\n');
    const b = await cli('balance', '--account', 'admin');
    assert.match(b.stderr, /^error: PERMISSION_DENIED: GetBalance: only an admin may read another account \("admin"\)/);
  });

  it('deposit of more than the largest single deposit (2^53 - 1) says the limit, not "must be a positive integer"', async () => {
    const r = await runCli(['deposit', 'local-client', '99999999999999999999', '--broker', broker.address], { PM_API_KEY: broker.keys.admin });
    assert.strictEqual(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error: AMOUNT 99999999999999999999 is above the largest single deposit, 9007199254740991 micro-credits/, r.stderr);
    for (const bad of ['-5', '1e6', 'ten', '0']) {
      const b = await runCli(['deposit', 'local-client', bad, '--broker', broker.address], { PM_API_KEY: broker.keys.admin });
      assert.strictEqual(b.code, 2, `${bad}: ${b.stderr}`);
      assert.match(b.stderr, new RegExp(`^error: AMOUNT must be a positive whole number of micro-credits, got "${bad}"`), b.stderr);
    }
  });

  it('withdraw of an amount the wire would wrap (2^64 + 100) is a usage error, not a withdrawal of 100 reported as 18446744073709551716', async () => {
    const admin = (...args: string[]) => runCli([...args, '--broker', broker.address], { PM_API_KEY: broker.keys.admin });
    assert.strictEqual((await admin('deposit', 'local-client', '1000')).code, 0);
    for (const big of ['18446744073709551716', '9223372036854775808', '99999999999999999999999']) {
      const r = await admin('withdraw', 'local-client', big, '--request-id', `big-${big.length}`);
      assert.strictEqual(r.code, 2, `${big}: exit ${r.code}, ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^error: AMOUNT ${big} is above 2\\^63 - 1 \\(9223372036854775807\\) micro-credits`), r.stderr);
    }
    for (const bad of ['-5', '1e3', '12.5', 'ten', '0']) {
      const r = await admin('withdraw', 'local-client', bad, '--request-id', 'bad-amount');
      assert.strictEqual(r.code, 2, `${bad}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^error: AMOUNT must be a positive whole number of micro-credits, got "${bad}"`), r.stderr);
    }
    // What it prints is the amount that moved, written plainly.
    const ok = await admin('withdraw', 'local-client', '0100', '--request-id', 'plain');
    assert.strictEqual(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^withdrew 100 from local-client \(tx t_\w+\); now available 900,/);
    assert.strictEqual(JSON.parse((await admin('balance', '--account', 'local-client', '--json')).stdout).available, '900', 'only the 100 moved');
  });

  it('circuit add with an invalid name is a usage error before any artifact is read (a missing zkey is not even looked at)', async () => {
    const r = await cli('circuit', 'add', 'bad name', '--wasm', '/nonexistent/c.wasm', '--zkey', '/nonexistent/c.zkey', '--vkey', '/nonexistent/v.json');
    assert.strictEqual(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error: circuit name "bad name" is invalid: use 1-64 of \[A-Za-z0-9_.-\]/);
  });
});

describe('CLI: a reply that never arrives is an error, not a silent exit 0', function () {
  this.timeout(60_000);

  it('a GetJob whose NOT_FOUND message is over the HTTP/2 trailer limit: exit 1 and a line on stderr', async () => {
    // A server without the broker's cap (an older broker): its 100,000-character status message
    // is dropped by grpc-js on the way, and the client's call never settles.
    const server = new grpc.Server();
    const refuse = (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb({ code: grpc.status.NOT_FOUND, details: `unknown job "${'j'.repeat(100_000)}"` });
    const impl: Record<string, unknown> = {};
    for (const name of Object.keys(marketService())) impl[name] = refuse;
    server.addService(marketService(), impl as grpc.UntypedServiceImplementation);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
    try {
      const r = await runCli(['job', 'j_x', '--broker', `127.0.0.1:${port}`], { PM_API_KEY: 'pm_test' });
      assert.strictEqual(r.code, 1, `exit ${r.code}, stderr ${r.stderr.slice(0, 300)}`);
      assert.match(r.stderr, /^error: /, r.stderr.slice(0, 300));
    } finally {
      server.forceShutdown();
    }
  });
});

describe('CLI: `job` shows no agreed price before a prover took the job', () => {
  const job = (state: string, proverId: string, price: string) => ({
    id: 'j_1', state, circuitId: 'c_1', requestId: 'r', attempts: proverId ? 1 : 0, maxAttempts: 3, createdMs: '1', updatedMs: '2',
    deadlineMs: '0', proverId, price, offer: '0', maxPrice: '1000', progress: 0, error: '', routing: '', partitions: [],
  } as unknown as Job__Output);

  it('"none agreed" for a job that expired queued (it said "0 agreed"), "yet" while it waits; the price once a prover holds it', () => {
    assert.match(jobDetails(job('JOB_STATE_EXPIRED', '', '0')), /^ {2}price {7}none agreed, 1000 max \(micro-credits\)$/m);
    assert.match(jobDetails(job('JOB_STATE_QUEUED', '', '0')), /^ {2}price {7}none agreed yet, 1000 max \(micro-credits\)$/m);
    assert.match(jobDetails(job('JOB_STATE_QUEUED', 'p_old', '300')), /^ {2}price {7}none agreed yet, 1000 max/m);
    assert.match(jobDetails(job('JOB_STATE_PROVING', 'p_1', '300')), /^ {2}price {7}300 agreed, 1000 max/m);
    assert.match(jobDetails(job('JOB_STATE_DONE', 'p_1', '0')), /^ {2}price {7}0 agreed, 1000 max/m);
  });
});
