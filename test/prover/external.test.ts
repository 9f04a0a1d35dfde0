// The external-prover backend's contract (prover/backends/external.ts, EXTERNAL.md), with real
// processes: a C2 command built on our own engine (scripts/porep-c2.js: pmtool proves a
// PoRep-shaped sector's partitions) whose N × 192-byte output decodes and verifies with snarkjs;
// and commands that exit non-zero, reject their input, write garbage, overrun the time limit
// (ignoring SIGTERM, with a forked child that must die too), exceed the memory limit, or get
// cancelled. No real Filecoin C2 binary is run here.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { commit1Info, ExternalC2Backend, ExternalC2Config, ExternalProverError } from '../../prover/backends/external';
import { runCli } from '../helpers/procs';
import { ensurePmtool } from '../helpers/pmtool';
import { commit1Json, generateSector, sectorBytes, Sector } from '../../src/porep/sector';
import { proofsFromFilecoin } from '../../src/common';
import { releaseSnarkjs, seededRandom } from '../helpers/circuits';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const C2 = path.join(ROOT, 'scripts', 'porep-c2.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const snarkjs = require('snarkjs');
const quiet = { info() {}, debug() {}, warn() {}, error() {} };

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

describe('external-prover backend (filecoin-c2 contract)', function () {
  this.timeout(900_000);
  let tmp: string;
  let sector: Sector;
  let c1File: string;
  let pmtool: string;
  const logs: string[] = [];

  const backend = (command: string[] | string, extra: Partial<ExternalC2Config> = {}): ExternalC2Backend =>
    new ExternalC2Backend({
      command, sectorSizes: [sectorBytes(sector)], workDir: path.join(tmp, 'work'), timeoutMs: 120_000,
      log: (_l, line) => logs.push(line), ...extra,
    });
  const job = (extra: Record<string, unknown> = {}) => ({
    jobId: 'job-1', c1: c1File, sectorSize: sectorBytes(sector), partitions: sector.inputs.length, ...extra,
  });
  async function failure(p: Promise<unknown>): Promise<ExternalProverError> {
    try { await p; } catch (e) {
      assert.ok(e instanceof ExternalProverError, `expected an ExternalProverError, got ${(e as Error).stack}`);
      return e;
    }
    assert.fail('the run was expected to fail');
  }

  before(async function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-c2-'));
    pmtool = ensurePmtool();
    sector = await generateSector({ size: 'small', partitions: 2, seed: seededRandom('filecoin-c2 sector').seed });
    c1File = path.join(tmp, 'c1.json');
    fs.writeFileSync(c1File, commit1Json(sector));
  });
  after(async () => {
    await releaseSnarkjs();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('success: the engine-backed C2 command proves every partition; the 192-byte proofs verify with snarkjs', async () => {
    const events: [string, number][] = [];
    const b = backend([process.execPath, C2], {});
    process.env.PM_PMTOOL = pmtool;
    try {
      const res = await b.run(job({ onProgress: (s: string, f: number) => events.push([s, f]) }));
      assert.strictEqual(res.proof.length, 2 * 192);
      assert.ok(events.some(([s]) => /partition 2\/2/.test(s)), `progress lines reached the callback: ${JSON.stringify(events)}`);
      assert.deepStrictEqual(events[events.length - 1], ['done', 1]);
      for (let i = 1; i < events.length; i++) assert.ok(events[i][1] >= events[i - 1][1], 'progress never goes back');
      const vkey = JSON.parse(fs.readFileSync(path.join(ROOT, 'circuits', 'build', 'porep_small', 'verification_key.json'), 'utf8'));
      const proofs = proofsFromFilecoin(res.proof);
      for (const [k, proof] of proofs.entries()) {
        const input = sector.inputs[k] as Record<string, any>;
        const pub = [sector.replicaId, sector.commD, sector.commR, ...input.challenge, ...input.parents.flat()];
        assert.strictEqual(await snarkjs.groth16.verify(vkey, pub, proof, quiet), true, `partition ${k} verifies`);
        // and not for the other partition's statement
        const other = sector.inputs[1 - k] as Record<string, any>;
        const wrong = [sector.replicaId, sector.commD, sector.commR, ...other.challenge, ...other.parents.flat()];
        assert.strictEqual(await snarkjs.groth16.verify(vkey, wrong, proof, quiet), false);
      }
      assert.deepStrictEqual(fs.readdirSync(path.join(tmp, 'work')), [], 'the job folder is removed');
    } finally {
      delete process.env.PM_PMTOOL;
    }
  });

  it('the command sees the documented job folder, arguments and environment', async () => {
    const seen = path.join(tmp, 'seen.json');
    const script = `node -e 'const fs=require("fs");fs.writeFileSync(process.argv[1], JSON.stringify({argv:process.argv.slice(2),cwd:process.cwd(),env:Object.fromEntries(Object.entries(process.env).filter(([k])=>k.startsWith("PM_"))),job:JSON.parse(fs.readFileSync("job.json","utf8")),c1:fs.readFileSync("c1.json","utf8").length}))' "${seen}" "$1" "$2"; exit 3`;
    const e = await failure(backend(['sh', '-c', script, 'sh'], { timeoutMs: 60_000, memoryBytes: 1 << 30 }).run(job()));
    assert.strictEqual(e.kind, 'failed');
    const s = JSON.parse(fs.readFileSync(seen, 'utf8'));
    assert.strictEqual(s.argv[0], path.join(s.cwd, 'c1.json'));
    assert.strictEqual(s.argv[1], path.join(s.cwd, 'proof.bin'));
    assert.strictEqual(s.c1, fs.statSync(c1File).size);
    assert.deepStrictEqual(s.job, { jobId: 'job-1', kind: 'filecoin-c2', sectorSize: sectorBytes(sector), partitions: 2, timeoutMs: 60_000, memoryBytes: 1 << 30 });
    assert.strictEqual(s.env.PM_JOB_DIR, s.cwd);
    assert.strictEqual(s.env.PM_SECTOR_SIZE, String(sectorBytes(sector)));
    assert.strictEqual(s.env.PM_PARTITIONS, '2');
    assert.strictEqual(s.env.PM_TIMEOUT_MS, '60000');
  });

  it('non-zero exit: a retryable failure that carries the end of stderr', async () => {
    const e = await failure(backend(['sh', '-c', 'echo "loading params" >&2; echo "CUDA error: out of memory" >&2; exit 3', 'sh']).run(job()));
    assert.strictEqual(e.kind, 'failed');
    assert.strictEqual(e.retryable, true);
    assert.match(e.message, /exit 3.*CUDA error: out of memory/);
    assert.deepStrictEqual(e.stderrTail, ['loading params', 'CUDA error: out of memory']);
  });

  it('exit 2: the input is bad, final (the engine-backed command on a malformed c1.json)', async () => {
    const bad = path.join(tmp, 'bad-c1.json');
    fs.writeFileSync(bad, '{"proofType": "something else"}');
    const e = await failure(backend([process.execPath, C2]).run(job({ c1: bad })));
    assert.strictEqual(e.kind, 'bad-input');
    assert.strictEqual(e.retryable, false);
    assert.match(e.message, /c1\.json has no "Phase1Out"/);
  });

  it('garbage output: wrong length, random bytes, or nothing at all', async () => {
    const cases: [string, RegExp][] = [
      ['head -c 100 /dev/urandom > "$2"', /garbage output: 100 bytes, expected 2 × 192 = 384/],
      ['head -c 384 /dev/urandom > "$2"', /garbage output: proof 0: A: /],
      ['true', /exited 0 but wrote no proof\.bin/],
    ];
    for (const [script, re] of cases) {
      const e = await failure(backend(['sh', '-c', script, 'sh']).run(job()));
      assert.strictEqual(e.kind, 'output', script);
      assert.match(e.message, re);
    }
  });

  it('timeout: SIGTERM, then SIGKILL for a command that ignores it; its forked children die too', async () => {
    const pidFile = path.join(tmp, 'child.pid');
    const script = `trap "" TERM; sleep 300 & echo $! > "${pidFile}"; while true; do sleep 1; done`;
    const t0 = Date.now();
    const e = await failure(backend(['sh', '-c', script, 'sh'], { timeoutMs: 1500, killGraceMs: 500 }).run(job()));
    assert.strictEqual(e.kind, 'timeout');
    assert.match(e.message, /timeout: no result after 1500 ms/);
    assert.ok(Date.now() - t0 < 60_000);
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    assert.strictEqual(alive(pid), false, `forked child ${pid} survived`);
  });

  it('memory limit: a command whose resident memory grows past it is killed', async () => {
    const script = `${JSON.stringify(process.execPath)} -e 'const a=[];setInterval(()=>{a.push(Buffer.alloc(32<<20,1))},50)'`;
    const e = await failure(backend(['sh', '-c', script, 'sh'], { memoryBytes: 200 << 20, killGraceMs: 500 }).run(job()));
    assert.strictEqual(e.kind, 'memory');
    assert.match(e.message, /resident \d+ bytes > limit 209715200 bytes/);
  });

  it('proofmarket filecoin c2: runs a command on a c1.json under the contract and writes the checked proof', async () => {
    const out = path.join(tmp, 'cli-proof.bin');
    const ok = await runCli(['filecoin', 'c2', '--command', `${process.execPath} ${C2}`, '--c1', c1File, '--out', out], { PM_PMTOOL: pmtool }, 300_000);
    assert.strictEqual(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /wrote .*cli-proof\.bin \(2 × 192 bytes, every point checked\)/);
    assert.strictEqual(proofsFromFilecoin(fs.readFileSync(out)).length, 2);
    const bad = await runCli(['filecoin', 'c2', '--command', `${process.execPath} -e process.exit(3)`, '--c1', c1File, '--out', out]);
    assert.strictEqual(bad.code, 1);
    assert.match(bad.stderr, /^error: failed: the command failed \(exit 3\)/m);
    const garbage = await runCli(['filecoin', 'c2', '--command', `${process.execPath} -e require("fs").writeFileSync(process.argv[2],"x")`, '--c1', c1File, '--out', out]);
    assert.strictEqual(garbage.code, 1);
    assert.match(garbage.stderr, /^error: output: garbage output: 1 bytes/m);
  });

  it('commit1Info: lotus-bench\'s c1 layout (SectorNum, Phase1Out base64, SectorSize), stand-in and rust-fil-proofs names', () => {
    const c1 = (reg: string, size: number, parts: number, extra: Record<string, unknown> = {}) => JSON.stringify({
      SectorNum: 7, SectorSize: size, ...extra,
      Phase1Out: Buffer.from(JSON.stringify({ registered_proof: reg, vanilla_proofs: { [reg.replace(/_1$/, '')]: Array.from({ length: parts }, () => [{}]) } })).toString('base64'),
    });
    assert.deepStrictEqual(commit1Info(commit1Json(sector)), { proofType: 'PoRepShapedSmallV1', sectorSize: sectorBytes(sector), partitions: 2, sectorNum: 1 });
    assert.deepStrictEqual(commit1Info(c1('StackedDrg32GiBV1_1', 32 * 2 ** 30, 10)), { proofType: 'StackedDrg32GiBV1_1', sectorSize: 32 * 2 ** 30, partitions: 10, sectorNum: 7 });
    assert.deepStrictEqual(commit1Info(c1('StackedDrg2KiBV1', 2048, 1)), { proofType: 'StackedDrg2KiBV1', sectorSize: 2048, partitions: 1, sectorNum: 7 });
    assert.throws(() => commit1Info(c1('StackedDrg32GiBV1_1', 32 * 2 ** 30, 3)), /has 10 partition\(s\), vanilla_proofs has 3/);
    assert.throws(() => commit1Info(c1('StackedDrg32GiBV1_1', 2048, 10)), /SectorSize 2048 does not match registered_proof StackedDrg32GiBV1_1/);
    assert.throws(() => commit1Info(c1('StackedDrg1TiBV1', 2 ** 40, 1)), /unknown registered_proof "StackedDrg1TiBV1"/);
    assert.throws(() => commit1Info(JSON.stringify({ SectorSize: 2048, Phase1Out: '!!' })), /"Phase1Out" is not base64/);
    assert.throws(() => commit1Info(JSON.stringify({ SectorSize: 2048, Phase1Out: Buffer.from('{oops').toString('base64') })), /does not decode to JSON/);
    assert.throws(() => commit1Info('{}'), /no "Phase1Out"/);
    assert.throws(() => commit1Info('{oops'), /not valid JSON/);
  });

  it('cancellation stops the run; an unsupported sector size is refused without running anything', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 500);
    const e = await failure(backend(['sh', '-c', 'sleep 300', 'sh'], { killGraceMs: 500 }).run(job({ signal: ac.signal })));
    assert.strictEqual(e.kind, 'aborted');
    const marker = path.join(tmp, 'ran');
    const e2 = await failure(backend(['sh', '-c', `touch ${marker}`, 'sh']).run(job({ sectorSize: 34359738368 })));
    assert.strictEqual(e2.kind, 'bad-input');
    assert.match(e2.message, /sector size 34359738368 is not one this prover serves/);
    assert.strictEqual(fs.existsSync(marker), false);
  });
});
