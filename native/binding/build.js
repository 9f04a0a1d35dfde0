#!/usr/bin/env node
// `npm run build:native` (and so `npm install`, through `prepare`): builds the Node-API addon
// native/build/Release/proofmarket_native.node with cmake-js, then the standalone CLI
// native/build/pmtool (prove, bench, selftest, devsetup without Node) in the same build folder,
// so it reuses the engine library just compiled and only adds its own few tool sources.
// A pmtool that fails to build is a warning, not a failed install: the prover needs only the addon.
// PM_NO_PMTOOL=1 skips it.
//
// CUDA: compiled only when asked (PM_CUDA=ON|OFF|AUTO is passed through to CMake) or when a GPU
// is present (`nvidia-smi -L` succeeds, then CMake's AUTO applies); otherwise PM_CUDA=OFF, so an
// install on a machine without a card does not spend minutes compiling kernels nothing can run.
//
// A failed build is loud: a clear message and a non-zero exit, so `npm install` fails rather than
// silently leaving a prover that can only use snarkjs. Set PM_NATIVE_OPTIONAL=1 to turn the
// failure into a warning (the prover then falls back to snarkjs and says so when it starts).
//
// Environment: PM_CUDA, PM_CUDA_ARCHS (read by CMake), PM_MARCH (-march, default native),
// PM_BUILD_JOBS (parallel compile jobs, default: number of cores), PM_NATIVE_OPTIONAL.
'use strict';

const { spawnSync } = require('child_process');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const optional = process.env.PM_NATIVE_OPTIONAL === '1';

const addonPath = path.join(root, 'native', 'build', 'Release', 'proofmarket_native.node');

function fail(reason) {
  // An addon left from an earlier build would be loaded instead of falling back: remove it, so
  // what runs is what the message says.
  let removed = false;
  try {
    require('fs').unlinkSync(addonPath);
    removed = true;
  } catch {
    /* there was none */
  }
  const lines = [
    '',
    `proofmarket: native engine failed to build: ${reason} (the prover will fall back to snarkjs)`,
    ...(removed ? [`proofmarket: removed the addon of an earlier build (${path.relative(root, addonPath)})`] : []),
    optional
      ? 'proofmarket: continuing because PM_NATIVE_OPTIONAL=1'
      : 'proofmarket: fix the error above and run `npm run build:native`, or install with ' +
        'PM_NATIVE_OPTIONAL=1 to continue without the native engine',
    '',
  ];
  process.stderr.write(lines.join('\n'));
  process.exit(optional ? 0 : 1);
}

function hasGpu() {
  try {
    const r = spawnSync('nvidia-smi', ['-L'], { encoding: 'utf8', timeout: 15000 });
    return r.status === 0 && /GPU \d+/.test(r.stdout || '');
  } catch {
    return false;
  }
}

function cudaSetting() {
  const env = (process.env.PM_CUDA || '').toUpperCase();
  if (env) {
    if (!['ON', 'OFF', 'AUTO'].includes(env)) fail(`PM_CUDA must be ON, OFF or AUTO, got "${process.env.PM_CUDA}"`);
    return { value: env, why: 'from PM_CUDA' };
  }
  if (hasGpu()) return { value: 'AUTO', why: 'a GPU is present (nvidia-smi -L)' };
  return { value: 'OFF', why: 'no GPU found by nvidia-smi -L; set PM_CUDA=ON to compile the kernels anyway' };
}

function main() {
  let cmakeJs;
  try {
    cmakeJs = require.resolve('cmake-js/bin/cmake-js', { paths: [root] });
  } catch {
    fail('cmake-js is not installed (run `npm install` in ' + root + ')');
  }
  const cuda = cudaSetting();
  const jobs = Number(process.env.PM_BUILD_JOBS) > 0 ? Number(process.env.PM_BUILD_JOBS) : os.cpus().length;
  const args = [
    cmakeJs, 'build',
    '-d', 'native',
    '-O', path.join('native', 'build'),
    '-T', 'proofmarket_native',
    '-p', String(jobs),
    `--CDPM_CUDA=${cuda.value}`,
  ];
  if (process.env.PM_MARCH) args.push(`--CDPM_MARCH=${process.env.PM_MARCH}`);
  // cmake-js takes Node's headers from npm's `nodedir` (npm passes it as npm_config_nodedir)
  // or downloads them. Point it at the headers installed with this Node, so a plain
  // `node native/binding/build.js` works offline too.
  const env = { ...process.env };
  if (!env.npm_config_nodedir) {
    const prefix = path.resolve(path.dirname(process.execPath), '..');
    if (require('fs').existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) env.npm_config_nodedir = prefix;
  }
  process.stderr.write(`proofmarket: building the native engine (CUDA ${cuda.value}: ${cuda.why}, ${jobs} jobs)\n`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env });
  if (r.error) fail(`could not run cmake-js: ${r.error.message}`);
  if (r.status !== 0) {
    fail(r.signal ? `cmake-js was killed by ${r.signal}` : `cmake-js exited with code ${r.status} (compiler output above; if native/build is stale, delete it and retry)`);
  }
  if (!require('fs').existsSync(addonPath)) fail(`the build finished but ${addonPath} is missing`);
  process.stderr.write(`proofmarket: native engine built: ${path.relative(root, addonPath)}\n`);
  if (process.env.PM_NO_PMTOOL !== '1') buildPmtool(jobs);
}

// The CLI, from the build folder cmake-js configured (its engine library is already built).
function buildPmtool(jobs) {
  const buildDir = path.join(root, 'native', 'build');
  const tool = path.join(buildDir, 'pmtool');
  const t0 = Date.now();
  const r = spawnSync('cmake', ['--build', buildDir, '--target', 'pmtool', '--parallel', String(jobs)],
    { cwd: root, stdio: 'inherit' });
  if (r.error || r.status !== 0 || !require('fs').existsSync(tool)) {
    const why = r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`;
    process.stderr.write(`proofmarket: warning: the standalone pmtool did not build (${why}); the addon is fine. ` +
      `Retry with \`cmake --build native/build --target pmtool\`.\n`);
    return;
  }
  process.stderr.write(`proofmarket: pmtool built: ${path.relative(root, tool)} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
}

main();
