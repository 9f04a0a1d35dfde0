// Builds the benchmark circuits on first run, cached by content in bench/work/ (git-ignored):
// the multiplication chain circuits/src/chain.circom at 2^k - 3 constraints, compiled with
// circom2, a witness computed with snarkjs, a development Groth16 key from the native engine
// (devSetupR1cs; not a trusted setup) and its verification key exported by snarkjs.
//
//   node dist/bench/prepare.js [--quick] [--full]
//
// Reruns are instant: each step is skipped when bench/work/<name>/stamp.json records the same
// content key (circuit source, size, prime, circom2 version, input, seed) and its files exist.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  BenchCurve, ROOT, WORK, circomPrime, ensureDir, log, nowMs, sha256, snarkjs, terminateCurves,
  tryNative, writeFileAtomic,
} from './common';

/** synthetic: the engine's own multiplication-chain key + witness (devSetupSynthetic), with no
 * circom compile (which takes far too long for 2^20 chains here). */
export interface ChainSpec { curve: BenchCurve; k: number; synthetic?: boolean }

export interface ChainArtifacts {
  name: string;
  curve: BenchCurve;
  k: number;
  constraints: number;
  dir: string;
  r1cs: string;
  wasm: string;
  wtns: string;
  zkey: string;
  vkey: string;
  /** how the key was made: 'native devsetup', 'native synthetic devsetup' or 'snarkjs ceremony' */
  keySource: string;
}

/** Sizes of the prove benchmark: BN254 2^12, 2^16, 2^18 (circom-compiled chains) and 2^20
 * (synthetic: a circom2 compile of a 2^20 chain takes hours here); BLS12-381 2^12 (compiled),
 * 2^16 and 2^18 (synthetic from BLS_SYNTHETIC_FROM: the compile and witness of a BLS12-381 chain
 * cost as much as a BN254 one four times larger). logs: only these BN254 sizes, and BLS12-381 at
 * those of them <= 18. Sizes from syntheticFrom up use synthetic keys. */
export const BLS_SYNTHETIC_FROM = 16;
export function chainSpecs(opts: { quick?: boolean; full?: boolean; logs?: number[] | null; syntheticFrom?: number }): ChainSpec[] {
  const from = opts.syntheticFrom ?? 20;
  const mark = (s: ChainSpec): ChainSpec => ({
    ...s, synthetic: s.k >= from || (s.curve === 'bls12-381' && s.k >= Math.min(from, BLS_SYNTHETIC_FROM)),
  });
  if (opts.logs) {
    const specs: ChainSpec[] = opts.logs.map((k) => ({ curve: 'bn254' as BenchCurve, k }));
    for (const k of opts.logs) if (k <= 18) specs.push({ curve: 'bls12-381', k });
    return specs.map(mark);
  }
  if (opts.quick) return [{ curve: 'bn254', k: 12 }, { curve: 'bls12-381', k: 12 }].map((s) => mark(s as ChainSpec));
  const specs: ChainSpec[] = [
    { curve: 'bn254', k: 12 }, { curve: 'bn254', k: 16 }, { curve: 'bn254', k: 18 }, { curve: 'bn254', k: 20 },
    { curve: 'bls12-381', k: 12 }, { curve: 'bls12-381', k: 16 }, { curve: 'bls12-381', k: 18 },
  ];
  return specs.map(mark);
}

/** A synthetic chain (engine.devSetupSynthetic: key, r1cs and a satisfying witness in one go),
 * cached like the compiled ones; the vkey is exported by snarkjs. */
async function prepareSynthetic(spec: ChainSpec): Promise<ChainArtifacts> {
  const name = `synthetic_${spec.curve === 'bn254' ? 'bn254' : 'bls12381'}_${spec.k}`;
  const dir = ensureDir(path.join(WORK, name));
  const a: ChainArtifacts = {
    name, curve: spec.curve, k: spec.k, constraints: constraintCount(spec.k), dir,
    r1cs: path.join(dir, 'circuit.r1cs'), wasm: '', wtns: path.join(dir, 'witness.wtns'),
    zkey: path.join(dir, 'circuit.zkey'), vkey: path.join(dir, 'verification_key.json'),
    keySource: 'native synthetic devsetup',
  };
  const stamp = readStamp(dir);
  const key = sha256('synthetic', spec.curve, String(spec.k), DEV_SEED.toString());
  if (stamp.zkey !== key || !have(a.zkey, a.wtns, a.r1cs)) {
    const { engine, reason } = tryNative();
    if (!engine) throw new Error(`${name}: a synthetic key needs the native engine (${reason})`);
    const t0 = nowMs();
    log(`${name}: native synthetic dev setup (key, r1cs, witness) …`);
    await engine.devSetupSynthetic(dir, spec.curve, spec.k, DEV_SEED);
    stamp.zkey = key;
    stamp.vkey = undefined;
    stamp.keySource = a.keySource;
    writeStamp(dir, stamp);
    log(`${name}: synthetic key in ${((nowMs() - t0) / 1000).toFixed(1)} s`);
  }
  if (stamp.vkey !== key || !have(a.vkey)) {
    const vk = await snarkjs.zKey.exportVerificationKey(a.zkey);
    writeFileAtomic(a.vkey, JSON.stringify(vk, null, 1) + '\n');
    stamp.vkey = key;
    writeStamp(dir, stamp);
  }
  return a;
}

/** Fixed dev-setup seed, so a key is a function of the circuit only. */
const DEV_SEED = 0x70726f6f666d6bn;

interface Stamp { compile?: string; witness?: string; zkey?: string; vkey?: string; keySource?: string }

function readStamp(dir: string): Stamp {
  try { return JSON.parse(fs.readFileSync(path.join(dir, 'stamp.json'), 'utf8')) as Stamp; } catch { return {}; }
}
function writeStamp(dir: string, s: Stamp): void {
  writeFileAtomic(path.join(dir, 'stamp.json'), JSON.stringify(s, null, 2) + '\n');
}
function have(...files: string[]): boolean {
  return files.every((f) => fs.existsSync(f));
}

function circom2Version(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'circom2', 'package.json'), 'utf8')).version;
  } catch { return 'unknown'; }
}

function constraintCount(k: number): number {
  return (1 << k) - 3; // + 1 public input + 1 output + 1 = 2^k
}

function runChecked(cmd: string, args: string[], what: string): void {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    throw new Error(`${what} failed (exit ${r.status ?? r.signal}):\n${(r.stdout ?? '').slice(-2000)}${(r.stderr ?? '').slice(-2000)}`);
  }
}

/** Fallback when the native engine is missing: a small snarkjs ceremony (about 2 minutes at
 * 2^12 on BN254 and 4 on BLS12-381 on a 2-core machine). */
function snarkjsCeremony(a: ChainArtifacts, tmp: string): void {
  const cli = path.join(ROOT, 'node_modules', 'snarkjs', 'build', 'cli.cjs');
  const sj = (...args: string[]) => runChecked(process.execPath, [cli, ...args], `snarkjs ${args[0]} ${args[1]}`);
  const p0 = path.join(tmp, 'pot0.ptau'), p1 = path.join(tmp, 'pot1.ptau'), pf = path.join(tmp, 'potf.ptau');
  sj('powersoftau', 'new', a.curve === 'bn254' ? 'bn128' : 'bls12381', String(a.k), p0);
  sj('powersoftau', 'contribute', p0, p1, '--name=bench', '-e=proofmarket bench entropy');
  sj('powersoftau', 'prepare', 'phase2', p1, pf);
  sj('groth16', 'setup', a.r1cs, pf, a.zkey + '.tmp');
  fs.renameSync(a.zkey + '.tmp', a.zkey);
}

/** Builds (or finds cached) artifacts for one chain circuit. */
export async function prepareChain(spec: ChainSpec): Promise<ChainArtifacts> {
  if (spec.synthetic) return prepareSynthetic(spec);
  const name = `chain_${spec.curve === 'bn254' ? 'bn254' : 'bls12381'}_${spec.k}`;
  const dir = ensureDir(path.join(WORK, name));
  const a: ChainArtifacts = {
    name, curve: spec.curve, k: spec.k, constraints: constraintCount(spec.k), dir,
    r1cs: path.join(dir, `${name}.r1cs`),
    wasm: path.join(dir, `${name}.wasm`),
    wtns: path.join(dir, 'witness.wtns'),
    zkey: path.join(dir, `${name}.zkey`),
    vkey: path.join(dir, 'verification_key.json'),
    keySource: '',
  };
  const stamp = readStamp(dir);

  // 1. compile
  const template = fs.readFileSync(path.join(ROOT, 'circuits', 'src', 'chain.circom'), 'utf8');
  const main = `pragma circom 2.0.0;\ninclude "chain.circom";\ncomponent main {public [a]} = Chain(${a.constraints});\n`;
  const compileKey = sha256(template, main, circomPrime(spec.curve), circom2Version());
  if (stamp.compile !== compileKey || !have(a.r1cs, a.wasm)) {
    const t0 = nowMs();
    log(`${name}: compiling ${a.constraints} constraints with circom2 …`);
    const mainFile = path.join(dir, `${name}.circom`);
    fs.writeFileSync(mainFile, main);
    const out = path.join(dir, 'circom-out');
    fs.rmSync(out, { recursive: true, force: true });
    ensureDir(out);
    // circom2 (wasm) only sees files below its working folder: run it from the repo root with
    // relative paths.
    runChecked(process.execPath, [
      path.join(ROOT, 'node_modules', 'circom2', 'cli.js'),
      path.relative(ROOT, mainFile), '--r1cs', '--wasm', '--prime', circomPrime(spec.curve),
      '-o', path.relative(ROOT, out), '-l', path.join('circuits', 'src'),
    ], `circom2 compile of ${name}`);
    fs.renameSync(path.join(out, `${name}.r1cs`), a.r1cs);
    fs.renameSync(path.join(out, `${name}_js`, `${name}.wasm`), a.wasm);
    fs.rmSync(out, { recursive: true, force: true });
    stamp.compile = compileKey;
    stamp.witness = stamp.zkey = stamp.vkey = undefined;
    writeStamp(dir, stamp);
    log(`${name}: compiled in ${((nowMs() - t0) / 1000).toFixed(1)} s`);
  }

  // 2. witness (a fixed, non-trivial input: every chain value is a random-looking field element)
  const input = { a: '3', b: '0x' + sha256('chain b', name).slice(0, 60) };
  const input10 = { a: input.a, b: BigInt(input.b).toString() };
  const witnessKey = sha256(compileKey, JSON.stringify(input10));
  if (stamp.witness !== witnessKey || !have(a.wtns)) {
    const t0 = nowMs();
    await snarkjs.wtns.calculate(input10, a.wasm, a.wtns + '.tmp');
    fs.renameSync(a.wtns + '.tmp', a.wtns);
    fs.writeFileSync(path.join(dir, 'input.json'), JSON.stringify(input10, null, 2) + '\n');
    stamp.witness = witnessKey;
    writeStamp(dir, stamp);
    log(`${name}: witness in ${((nowMs() - t0) / 1000).toFixed(1)} s`);
  }

  // 3. proving key
  const zkeyKey = sha256(compileKey, 'devsetup', DEV_SEED.toString());
  if (stamp.zkey !== zkeyKey || !have(a.zkey)) {
    const t0 = nowMs();
    const { engine, reason } = tryNative();
    if (engine) {
      log(`${name}: native dev setup …`);
      await engine.devSetupR1cs(a.zkey + '.tmp', a.r1cs, DEV_SEED);
      fs.renameSync(a.zkey + '.tmp', a.zkey);
      stamp.keySource = 'native devsetup';
    } else if (spec.k <= 12) {
      log(`${name}: native engine unavailable (${reason}); running a snarkjs ceremony at 2^${spec.k} (slow) …`);
      const tmp = fs.mkdtempSync(path.join(dir, 'ceremony-'));
      try { snarkjsCeremony(a, tmp); } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
      stamp.keySource = 'snarkjs ceremony';
    } else {
      throw new Error(`${name}: making a key at 2^${spec.k} needs the native engine's dev setup ` +
        `(a snarkjs ceremony would take far too long); build it with \`npm run build:native\`. ` +
        `Reason it is unavailable: ${reason}`);
    }
    stamp.zkey = zkeyKey;
    stamp.vkey = undefined;
    writeStamp(dir, stamp);
    log(`${name}: key (${stamp.keySource}) in ${((nowMs() - t0) / 1000).toFixed(1)} s`);
  }
  a.keySource = stamp.keySource ?? 'unknown';

  // 4. verification key, exported by snarkjs from the zkey
  if (stamp.vkey !== zkeyKey || !have(a.vkey)) {
    const vk = await snarkjs.zKey.exportVerificationKey(a.zkey);
    writeFileAtomic(a.vkey, JSON.stringify(vk, null, 1) + '\n');
    stamp.vkey = zkeyKey;
    writeStamp(dir, stamp);
  }
  return a;
}

export async function prepareAll(specs: ChainSpec[]): Promise<ChainArtifacts[]> {
  const out: ChainArtifacts[] = [];
  for (const s of specs) out.push(await prepareChain(s));
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const specs = chainSpecs({ quick: args.includes('--quick'), full: args.includes('--full') });
  const arts = await prepareAll(specs);
  for (const a of arts) {
    process.stdout.write(`${a.name}: ${a.constraints} constraints, key: ${a.keySource}, ${path.relative(ROOT, a.dir)}\n`);
  }
}

if (require.main === module) {
  main().then(() => terminateCurves()).then(() => process.exit(0), (err) => {
    process.stderr.write(`bench/prepare: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
}
