#!/usr/bin/env node
// A stand-in "C2 binary" for the external-prover backend (prover/backends/EXTERNAL.md), built on
// our own engine: it proves the partitions of a PoRep-shaped sector (circuits/src/porep/, NOT
// Filecoin's circuit) with `pmtool prove --filecoin-out` and writes the N × 192-byte proof.
// It is what the tests and the README use to exercise the contract; a real deployment would run
// rust-fil-proofs / supraseal / cuzk behind a wrapper with the same contract.
//
//   scripts/porep-c2.js C1_PATH OUT_PATH
//
// C1_PATH: the "c1.json" that src/porep/sector.ts writes: lotus-bench's layout { SectorNum, SectorSize,
// Phase1Out: base64 JSON } with a stand-in registered_proof "PoRepShapedSmallV1" / "PoRepShapedLargeV1"
// whose vanilla_proofs carry each partition's circuit input (parsed by dist/src/common/commit1.js).
// Exit 0 with OUT_PATH written; 2 when c1.json is malformed; 1 on any other failure.
// Progress: `PROGRESS <fraction> partition K/N` on stderr.
// pmtool: $PM_PMTOOL, else native/build-cli/pmtool, native/build-tests/pmtool, native/build*/pmtool.
// Artifacts: circuits/build/<circuit>/ or bench/work/<circuit>/ (or $PM_POREP_ARTIFACTS/<circuit>/).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');

function die(code, msg) {
  process.stderr.write(`porep-c2: ${msg}\n`);
  process.exit(code);
}

function findPmtool() {
  if (process.env.PM_PMTOOL) return process.env.PM_PMTOOL;
  const native = path.join(ROOT, 'native');
  const dirs = ['build-cli', 'build-tests', ...fs.readdirSync(native).filter((d) => d.startsWith('build'))];
  for (const d of dirs) {
    for (const sub of ['', 'Release']) {
      const p = path.join(native, d, sub, 'pmtool');
      if (fs.existsSync(p)) return p;
    }
  }
  return null;
}

function artifacts(circuit) {
  const bases = [process.env.PM_POREP_ARTIFACTS, path.join(ROOT, 'circuits', 'build'), path.join(ROOT, 'bench', 'work')].filter(Boolean);
  for (const b of bases) {
    const dir = path.join(b, circuit);
    const wasm = path.join(dir, `${circuit}.wasm`);
    const zkey = path.join(dir, `${circuit}.zkey`);
    if (fs.existsSync(wasm) && fs.existsSync(zkey)) return { wasm, zkey };
  }
  return null;
}

async function main() {
  const [c1Path, outPath] = process.argv.slice(2);
  if (!c1Path || !outPath) die(1, 'usage: porep-c2.js C1_PATH OUT_PATH');
  const { parseCommit1, STAND_IN_PROOF_TYPES } = require(path.join(ROOT, 'dist', 'src', 'common', 'commit1.js'));
  let parsed;
  try { parsed = parseCommit1(fs.readFileSync(c1Path)); } catch (e) { die(2, e.message); }
  const type = parsed.info.proofType;
  if (!STAND_IN_PROOF_TYPES[type]) die(2, `registered_proof ${type} is not a PoRep-shaped stand-in (this command proves only ${Object.keys(STAND_IN_PROOF_TYPES).join(', ')})`);
  const c1 = { circuit: STAND_IN_PROOF_TYPES[type].circuit, partitions: parsed.phase1.vanilla_proofs[type].map((p) => p[0]) };
  if (process.env.PM_PARTITIONS && Number(process.env.PM_PARTITIONS) !== c1.partitions.length) {
    die(2, `the job expects ${process.env.PM_PARTITIONS} partitions, c1.json has ${c1.partitions.length}`);
  }
  const a = artifacts(c1.circuit);
  if (!a) die(1, `artifacts of ${c1.circuit} not found (run scripts/setup-porep.sh ${c1.circuit})`);
  const pmtool = findPmtool();
  if (!pmtool) die(1, 'pmtool not found (build it: cmake -S native -B native/build-cli && cmake --build native/build-cli --target pmtool, or set PM_PMTOOL)');
  const snarkjs = require(path.join(ROOT, 'node_modules', 'snarkjs'));
  const n = c1.partitions.length;
  const work = fs.mkdtempSync(path.join(path.dirname(path.resolve(outPath)), 'porep-c2-'));
  const out = [];
  try {
    for (let k = 0; k < n; k++) {
      process.stderr.write(`PROGRESS ${(k / n).toFixed(3)} partition ${k + 1}/${n} witness\n`);
      const wtns = path.join(work, `p${k}.wtns`);
      try {
        await snarkjs.wtns.calculate(c1.partitions[k], a.wasm, wtns);
      } catch (e) {
        die(2, `partition ${k}: no witness (the input is inconsistent): ${String(e.message).split('\n')[0]}`);
      }
      const bin = path.join(work, `p${k}.bin`);
      const r = spawnSync(pmtool, ['prove', a.zkey, wtns, path.join(work, `p${k}.json`), path.join(work, `p${k}.public.json`), '--device', process.env.PM_DEVICE || 'auto', '--filecoin-out', bin], { encoding: 'utf8' });
      if (r.status !== 0) die(1, `partition ${k}: pmtool prove failed (exit ${r.status ?? r.signal}): ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`);
      out.push(fs.readFileSync(bin));
      process.stderr.write(`PROGRESS ${((k + 1) / n).toFixed(3)} partition ${k + 1}/${n} proved\n`);
    }
    fs.writeFileSync(outPath, Buffer.concat(out));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  // snarkjs keeps curve worker threads alive
  process.exit(0);
}

main().catch((e) => die(1, e.stack || String(e)));
