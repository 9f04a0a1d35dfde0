// The native engine's own C++ test programs, built and run from the same `npm test`:
//   pm_unit          fields, curves, MSM, NTT and the math C ABI against naive references
//   pm_groth16_test  zkey/wtns/r1cs parser error paths, proof randomness, cancellation
//   cuda_host_test   the CUDA kernels' arithmetic and algorithms, compiled by nvcc, run on the host
//                    against the CPU engine (no card needed)
//   pm_cuda          the CUDA kernels themselves, compiled for one architecture (they cannot run
//                    here; scripts/gpu-check.sh runs them on a card)
//   native/fuzz/run.sh  parsers under ASan+UBSan, mutation-fuzzed briefly
// Each program prints its seed; a failing run is replayed with PM_SEED=<seed>.
// Builds go to native/build-tests*/ (git-ignored) so later runs are incremental.

import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const NATIVE = path.join(ROOT, 'native');
const BUILD = path.join(NATIVE, 'build-tests');
const CUDA_HOST_BUILD = path.join(NATIVE, 'build-tests-cuda-host');
const CUDA_BUILD = path.join(NATIVE, 'build-tests-cuda');
const NVCC = ['/usr/local/cuda/bin/nvcc'].find((p) => fs.existsSync(p)) ??
  (spawnSync('sh', ['-c', 'command -v nvcc'], { encoding: 'utf8' }).stdout.trim() || null);
const NINJA = spawnSync('sh', ['-c', 'command -v ninja'], { encoding: 'utf8' }).stdout.trim() !== '';
const GEN = NINJA ? ['-G', 'Ninja'] : [];

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20,
  });
  if (r.error) throw r.error;
  return r;
}

/** Runs a command; on failure the assertion shows its exit status and the end of its output. */
function check(what: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = run(cmd, args, env);
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const seed = /seed[ =](\d+)/.exec(out);
  if (seed) console.log(`      ${what}: seed ${seed[1]}`);
  assert.strictEqual(r.status, 0, `${what} exited with ${r.status}:\n${out.slice(-6000)}`);
  return out;
}

function configure(src: string, build: string, defs: string[], env: NodeJS.ProcessEnv = {}): void {
  check(`cmake configure ${path.basename(build)}`, 'cmake',
    ['-S', src, '-B', build, ...GEN, '-DCMAKE_BUILD_TYPE=Release', ...defs], env);
}

function build(buildDir: string, targets: string[]): void {
  check(`build ${targets.join(', ')}`, 'cmake',
    ['--build', buildDir, '-j2', '--target', ...targets]);
}

describe('native C++ test programs', function () {
  this.timeout(30 * 60 * 1000);

  before(function () {
    configure(NATIVE, BUILD, ['-DPM_CUDA=OFF']);
    build(BUILD, ['pm_unit', 'pm_groth16_test', 'pmtool']);
  });

  it('pm_unit: fields, curves, MSM and NTT against naive references', function () {
    const out = check('pm_unit', path.join(BUILD, 'pm_unit'), ['--no-bench']);
    assert.ok(!/\bFAIL\b/.test(out), out.slice(-4000));
  });

  it('pm_groth16_test: parser error paths, fresh proof randomness, cancellation', function () {
    check('pm_groth16_test', path.join(BUILD, 'pm_groth16_test'), []);
  });

  it('pmtool selftest --device cpu: MSM, NTT and a whole synthetic proof', function () {
    const out = check('pmtool selftest', path.join(BUILD, 'pmtool'), ['selftest', '--device', 'cpu']);
    assert.match(out, /passed, 0 failed/);
  });

  it('pmtool selftest --device cuda without a card exits 3 with a clear message', function () {
    const r = run(path.join(BUILD, 'pmtool'), ['selftest', '--device', 'cuda']);
    assert.strictEqual(r.status, 3, `${r.stdout}${r.stderr}`);
    assert.match(`${r.stdout}${r.stderr}`, /CUDA/);
  });

  it('pmtool prove --threads out of range names the range and what it got (exit 2)', function () {
    for (const bad of ['100000', '-1', 'x', '']) {
      const r = run(path.join(BUILD, 'pmtool'), ['prove', 'a.zkey', 'b.wtns', 'p.json', 'q.json', '--threads', bad]);
      assert.strictEqual(r.status, 2, `--threads "${bad}": ${r.stdout}${r.stderr}`);
      assert.strictEqual(r.stderr, `pmtool prove: --threads wants a whole number from 0 (all cores) to 4096, got "${bad}"\n`);
    }
  });

  describe('CUDA', function () {
    before(function () {
      if (!NVCC) {
        console.log('      no nvcc on this machine: CUDA code not compiled');
        this.skip();
      }
    });

    it('cuda_host_test: kernel arithmetic and MSM/NTT plans on the host vs the CPU engine', function () {
      configure(path.join(NATIVE, 'cuda', 'test'), CUDA_HOST_BUILD, [`-DCMAKE_CUDA_COMPILER=${NVCC}`]);
      build(CUDA_HOST_BUILD, ['cuda_host_test']);
      check('cuda_host_test', path.join(CUDA_HOST_BUILD, 'cuda_host_test'), ['--quick']);
    });

    it('the CUDA kernels and pmtool compile (sm_90, or PM_CUDA_ARCHS)', function () {
      const archs = process.env.PM_CUDA_ARCHS || '90';
      configure(NATIVE, CUDA_BUILD, ['-DPM_CUDA=ON', `-DCMAKE_CUDA_COMPILER=${NVCC}`],
        { PM_CUDA_ARCHS: archs });
      build(CUDA_BUILD, ['pmtool']);
      const info = check('pmtool info (CUDA build)', path.join(CUDA_BUILD, 'pmtool'), ['info']);
      assert.match(info, /cuda compiled: yes/);
    });
  });

  it('parsers under ASan+UBSan, mutation-fuzzed briefly (native/fuzz/run.sh)', function () {
    check('fuzz', 'bash', [path.join(NATIVE, 'fuzz', 'run.sh')],
      { PM_FUZZ_SECONDS: process.env.PM_FUZZ_SECONDS || '20', PM_FUZZ_BUILD: path.join(NATIVE, 'build-tests-fuzz') });
  });
});
