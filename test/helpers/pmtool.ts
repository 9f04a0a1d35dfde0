// pmtool (the engine's command-line prover) for the stand-in C2 command scripts/porep-c2.js.
import { spawnSync } from 'child_process';
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** pmtool for the stand-in C2 command: an existing build, else built in native/build-tests (shared with cpp.test). */
export function ensurePmtool(): string {
  for (const d of ['build-cli', 'build-tests']) {
    const p = path.join(ROOT, 'native', d, 'pmtool');
    if (fs.existsSync(p)) return p;
  }
  const build = path.join(ROOT, 'native', 'build-tests');
  const ninja = spawnSync('sh', ['-c', 'command -v ninja'], { encoding: 'utf8' }).stdout.trim() !== '';
  for (const args of [
    ['-S', path.join(ROOT, 'native'), '-B', build, ...(ninja ? ['-G', 'Ninja'] : []), '-DCMAKE_BUILD_TYPE=Release', '-DPM_CUDA=OFF'],
    ['--build', build, '-j2', '--target', 'pmtool'],
  ]) {
    const r = spawnSync('cmake', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.strictEqual(r.status, 0, `cmake ${args.join(' ')}:\n${(r.stdout ?? '').slice(-3000)}${(r.stderr ?? '').slice(-3000)}`);
  }
  return path.join(build, 'pmtool');
}

