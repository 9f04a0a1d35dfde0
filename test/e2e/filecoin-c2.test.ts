// filecoin-c2 jobs end to end through a real broker and real prover daemons (processes on
// loopback): the client uploads a c1.json (a synthetic PoRep-shaped sector in lotus-bench's c1
// layout) and submits a C2 job; provers run an operator's C2 command under the external-prover
// contract (scripts/porep-c2.js, our engine's stand-in, and a shell wrapper that misbehaves on
// purpose); the broker pays only after its verifier command (scripts/porep-c2-verify.js, snarkjs)
// accepts the N × 192-byte proof. No real Filecoin C2 binary (rust-fil-proofs, supraseal, cuzk) is run.
//
// One broker and its provers serve every case in order: a malformed c1 (INVALID_ARGUMENT); the
// command's "bad input" (exit 2: FAILED, refunded); a retryable exit, garbage output and a timeout
// (the job goes back to the queue, nobody paid); a wrong proof (rejected by the verifier, the prover
// slashed and excluded, an honest prover's proof accepted and paid once, proof.bin verified here with
// snarkjs); a prover without a C2 command never gets a C2 job; the money adds up. A second broker
// without a verifier refuses C2 uploads and jobs with FAILED_PRECONDITION.

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as grpc from '@grpc/grpc-js';
import * as fs from 'fs';
import * as path from 'path';
import { MarketClient, MarketError } from '../../src/client/market';
import { proofsFromFilecoin } from '../../src/common';
import { commit1Json, generateSector, type Sector } from '../../src/porep/sector';
import { seededRandom } from '../helpers/circuits';
import { adminOf, checkMoney, newOperator, slashesOf, waitForJob } from '../helpers/market';
import { ensurePmtool } from '../helpers/pmtool';
import { BrokerProc, ROOT, runCli, startBrokerProc, startProverProc, tmpDir } from '../helpers/procs';
import { liveProcessHooks } from '../helpers/hooks';
import type { Job__Output } from '../../src/common';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const snarkjs = require('snarkjs');
const quiet = { info() {}, debug() {}, warn() {}, error() {} };
const STAND_IN = `${process.execPath} ${path.join(ROOT, 'scripts', 'porep-c2.js')}`;
const VERIFIER = `${process.execPath} ${path.join(ROOT, 'scripts', 'porep-c2-verify.js')}`;

/**
 * A C2 command whose behaviour the test switches through a mode file; "swap" answers with a real
 * proof of the sector (made beforehand by the stand-in, `okProof`) whose two partition proofs are swapped.
 */
function misbehavingCommand(dir: string, okProof: string): { command: string; mode: (m: string) => void; pidFile: string } {
  const modeFile = path.join(dir, 'mode');
  const pidFile = path.join(dir, 'sleep.pid');
  const script = path.join(dir, 'bad-c2.sh');
  fs.writeFileSync(script, `#!/bin/sh
case "$(cat '${modeFile}')" in
  exit2) echo "c1.json: vanilla proofs do not match the replica (test)" >&2; exit 2 ;;
  exit3) echo "GPU lost (test)" >&2; exit 3 ;;
  garbage) head -c 384 /dev/urandom > "$2" ;;
  sleep) sleep 300 & echo $! > '${pidFile}'; wait ;;
  swap) { tail -c 192 '${okProof}'; head -c 192 '${okProof}'; } > "$2" ;;
  *) exit 9 ;;
esac
`, { mode: 0o755 });
  return { command: script, mode: (m) => fs.writeFileSync(modeFile, m), pidFile };
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function rejected(p: Promise<unknown>): Promise<MarketError> {
  try { await p; } catch (e) { assert.ok(e instanceof MarketError, `expected a MarketError, got ${(e as Error).stack}`); return e; }
  assert.fail('expected the call to fail');
}

describe('filecoin-c2 jobs through the broker (external C2 command, verifier command)', function () {
  this.timeout(600_000);
  let dir: string;
  let sector: Sector;
  let c1File: string;
  let broker: BrokerProc;
  let client: MarketClient;
  const jobs: Job__Output[] = [];
  let badKey = '';
  let okProof = '';
  let goodKey = '';
  const deposited = 1000n + 100n + 100n;

  before(async function () {
    dir = tmpDir('pm-c2-e2e-');
    const pmtool = ensurePmtool();
    sector = await generateSector({ size: 'small', partitions: 2, seed: seededRandom('filecoin-c2 e2e sector').seed });
    c1File = path.join(dir, 'c1.json');
    fs.writeFileSync(c1File, commit1Json(sector));
    process.env.PM_PMTOOL = pmtool; // inherited by the prover processes and their C2 commands
    okProof = path.join(dir, 'ok-proof.bin');
    const made = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'porep-c2.js'), c1File, okProof], { encoding: 'utf8' });
    assert.strictEqual(made.status, 0, made.stderr);
    broker = await startBrokerProc({ leaseMs: 4000, heartbeatMs: 300, extraArgs: ['--c2-verifier', VERIFIER, '--c2-verifier-timeout', '120'] });
    client = new MarketClient(broker.address, { apiKey: broker.keys.client });
    const admin = adminOf(broker);
    await admin.deposit('local-client', 1000n);
    badKey = await newOperator(admin, 'op-bad', 100n);
    goodKey = await newOperator(admin, 'op-good', 100n);
  });
  liveProcessHooks({ close: () => { delete process.env.PM_PMTOOL; client?.close?.(); } });

  it('runs every case on one broker: bad c1, exit 2, retryable exit, garbage, timeout, wrong proof then an honest one; money adds up', async () => {
    const admin = adminOf(broker);
    const bad = misbehavingCommand(dir, okProof);
    const sectorSize = '4KiB'; // porep_small: 128 nodes × 32 bytes
    const [plain, misbehaving] = await Promise.all([
      startProverProc(broker, { name: 'plain', price: 0 }),
      startProverProc(broker, {
        name: 'misbehaving', apiKey: badKey, price: 1,
        extraArgs: ['--c2-command', bad.command, '--c2-sector-sizes', sectorSize, '--c2-timeout', '3', '--c2-price', '1'],
      }),
    ]);

    // A malformed c1.json: INVALID_ARGUMENT naming the field, at upload (nothing held afterwards).
    const badC1 = path.join(dir, 'bad-c1.json');
    fs.writeFileSync(badC1, JSON.stringify({ SectorNum: 1, SectorSize: 4096 }));
    const e1 = await rejected(client.uploadC1(badC1));
    assert.strictEqual(e1.codeName, 'INVALID_ARGUMENT');
    assert.match(e1.message, /no "Phase1Out"/);
    const cli1 = await runCli(['submit', '--c2', badC1, '--broker', broker.address, '--api-key', broker.keys.client]);
    assert.strictEqual(cli1.code, 1);
    assert.match(cli1.stderr, /no "Phase1Out"/);
    const e2 = await rejected(client.submitC2({ c1Sha256: 'a'.repeat(64), maxPrice: 10 }));
    assert.strictEqual(e2.codeName, 'NOT_FOUND');

    // An upload that stops half-way is refused as truncated and kept; the next upload resumes from
    // what the broker holds (the broker refuses any other offset); a second upload of the same bytes
    // completes at once from what the broker holds.
    const bytes = fs.readFileSync(c1File);
    const sha = crypto.createHash('sha256').update(bytes).digest('hex');
    const half = Math.floor(bytes.length / 2);
    const cut = await new Promise<grpc.ServiceError | null>((resolve) => {
      const call = client.raw.uploadC1((err) => resolve(err));
      call.write({ header: { size: String(bytes.length), sha256: sha, offset: '0' } });
      call.write({ chunk: bytes.subarray(0, half) });
      call.end();
    });
    assert.strictEqual(cut?.code, grpc.status.INVALID_ARGUMENT);
    assert.match(cut!.details, new RegExp(`truncated: ${half} of ${bytes.length} bytes received; resume with offset ${half}`));
    assert.deepStrictEqual([(await client.getC1(sha)).received, (await client.getC1(sha)).complete], [String(half), false]);
    const wrongOffset = await new Promise<grpc.ServiceError | null>((resolve) => {
      const call = client.raw.uploadC1((err) => resolve(err));
      call.write({ header: { size: String(bytes.length), sha256: sha, offset: '7' } });
      call.end();
    });
    assert.strictEqual(wrongOffset?.code, grpc.status.FAILED_PRECONDITION);
    assert.match(wrongOffset!.details, new RegExp(`holds ${half} bytes of it`));
    const info = await client.uploadC1(c1File);
    assert.strictEqual(info.complete, true);
    assert.deepStrictEqual([info.proofType, info.sectorSize, info.partitions], ['PoRepShapedSmallV1', '4096', 2]);
    assert.strictEqual((await client.getC1(info.sha256)).complete, true);

    // exit 2: the command says the c1 is bad → FAILED for good with its message, refunded.
    bad.mode('exit2');
    const r2 = await runCli(['submit', '--c2', c1File, '--max-price', '10', '--json', '--broker', broker.address, '--api-key', broker.keys.client, '--wait'], {}, 120_000);
    assert.strictEqual(r2.code, 1, r2.stderr);
    const j2 = JSON.parse(r2.stdout) as Job__Output;
    assert.strictEqual(j2.state, 'FAILED');
    assert.strictEqual(j2.kind, 'filecoin-c2');
    assert.match(j2.error, /exit 2.*vanilla proofs do not match the replica \(test\)/);
    jobs.push(await client.getJob(j2.id));
    // The job's pseudo-circuit is listed and quoted like a circuit: only C2 provers, at their C2 ask.
    const q = await client.quote({ circuit: 'filecoin-c2.PoRepShapedSmallV1.2' });
    assert.deepStrictEqual(q.offers.map((o) => [o.proverId, o.price]), [[misbehaving.proverId, '1']], q.note);

    // Retryable failures: the job goes back to the queue with the command's reason, nobody is paid.
    const retryable: [string, RegExp][] = [['exit3', /failed \(exit 3\).*GPU lost \(test\)/], ['garbage', /garbage output/], ['sleep', /timeout: no result after 3000 ms/]];
    for (const [mode, re] of retryable) {
      bad.mode(mode);
      fs.rmSync(bad.pidFile, { force: true });
      const j = await client.submitC2({ c1Sha256: info.sha256, maxPrice: 10 });
      const seen = await waitForJob(client, j.id, (x) => re.test(x.error), `${mode}: failed with ${re}`, 120_000);
      assert.ok(['JOB_STATE_QUEUED', 'JOB_STATE_ASSIGNED', 'JOB_STATE_PROVING'].includes(seen.state), `${mode}: a retryable failure requeues (${seen.state})`);
      assert.strictEqual(seen.proverId, misbehaving.proverId);
      if (mode === 'sleep') {
        const pid = Number(fs.readFileSync(bad.pidFile, 'utf8'));
        await waitFor(() => !alive(pid), 'the timed-out command\'s child is killed');
      }
      jobs.push(await client.cancel(j.id));
    }

    // A wrong proof (two valid partition proofs swapped): the verifier rejects it, the prover is
    // slashed and excluded; an honest prover (dearer) then proves it; paid once.
    bad.mode('swap');
    const good = await startProverProc(broker, {
      name: 'honest', apiKey: goodKey, price: 2, extraArgs: ['--c2-command', STAND_IN, '--c2-sector-sizes', `2KiB,${sectorSize}`, '--c2-price', '2'],
    });
    const out = path.join(dir, 'out');
    const r = await runCli(['submit', '--c2', c1File, '--max-price', '10', '--out', out, '--json', '--broker', broker.address, '--api-key', broker.keys.client], {}, 300_000);
    assert.strictEqual(r.code, 0, r.stderr);
    const done = JSON.parse(r.stdout) as Job__Output;
    assert.strictEqual(done.state, 'DONE');
    assert.strictEqual(done.proverId, good.proverId);
    assert.strictEqual(done.price, '2');
    assert.strictEqual(done.attempts, 2, 'the misbehaving prover\'s wrong proof, then the honest one');
    assert.strictEqual((await slashesOf(admin, 'op-bad')).count, 1, 'the wrong proof was slashed once');
    assert.strictEqual((await slashesOf(admin, 'op-good')).count, 0);
    const proofBin = fs.readFileSync(path.join(out, 'proof.bin'));
    assert.strictEqual(proofBin.length, 2 * 192);
    // Checked here independently of the broker: each 192-byte proof against the porep_small vkey
    // with the partition's public inputs, and not against the other partition's.
    const vkey = JSON.parse(fs.readFileSync(path.join(ROOT, 'circuits', 'build', 'porep_small', 'verification_key.json'), 'utf8'));
    const pub = (k: number) => {
      const input = sector.inputs[k] as { challenge: string[]; parents: string[][] };
      return [sector.replicaId, sector.commD, sector.commR, ...input.challenge, ...input.parents.flat()];
    };
    for (const [k, proof] of proofsFromFilecoin(proofBin).entries()) {
      assert.strictEqual(await snarkjs.groth16.verify(vkey, pub(k), proof, quiet), true, `partition ${k} verifies`);
      assert.strictEqual(await snarkjs.groth16.verify(vkey, pub(1 - k), proof, quiet), false, `partition ${k} is not the other partition's proof`);
    }
    const got = await client.getJob(done.id);
    assert.ok(Buffer.from(got.proofBin).equals(proofBin), 'GetJob\'s proof_bin is what the CLI wrote');
    assert.deepStrictEqual([got.kind, got.filecoinC2?.proofType, got.filecoinC2?.partitions, got.proof], ['filecoin-c2', 'PoRepShapedSmallV1', 2, null]);
    jobs.push(got);
    const ledger = await admin.ledger({ jobId: done.id, limit: 100 });
    assert.deepStrictEqual(ledger.filter((e) => e.reason === 'payout' && BigInt(e.amount) > 0n).map((e) => e.account), ['op-good'], 'paid once, to the honest prover');

    // The prover without a C2 command (and the cheapest) never got a C2 job.
    for (const j of jobs) assert.notStrictEqual(j.proverId, plain.proverId);
    assert.doesNotMatch(plain.proc.tail(10_000), /job j_/);
    const provers = await client.listProvers();
    assert.deepStrictEqual(provers.find((p) => p.id === plain.proverId)?.c2SectorSizes, []);
    assert.deepStrictEqual(provers.find((p) => p.id === good.proverId)?.c2SectorSizes, ['2048', '4096']);
    await checkMoney(admin, jobs, deposited);
  });

  it('a broker without a C2 verifier refuses c1 uploads and filecoin-c2 jobs with FAILED_PRECONDITION naming the flag', async () => {
    const plainBroker = await startBrokerProc({ name: 'no-verifier' });
    const c = new MarketClient(plainBroker.address, { apiKey: plainBroker.keys.client });
    try {
      const up = await rejected(c.uploadC1(c1File));
      assert.strictEqual(up.codeName, 'FAILED_PRECONDITION');
      assert.match(up.message, /--c2-verifier/);
      const sub = await rejected(c.submitC2({ c1Sha256: 'b'.repeat(64) }));
      assert.strictEqual(sub.codeName, 'FAILED_PRECONDITION');
      assert.match(sub.message, /no C2 verifier.*--c2-verifier CMD/);
      const cli = await runCli(['submit', '--c2', c1File, '--broker', plainBroker.address, '--api-key', plainBroker.keys.client]);
      assert.strictEqual(cli.code, 1);
      assert.match(cli.stderr, /--c2-verifier/);
    } finally {
      await plainBroker.proc.kill('SIGTERM');
    }
  });
});

async function waitFor(pred: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > until) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
