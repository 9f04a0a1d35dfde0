#!/usr/bin/env node
// A stand-in C2 VERIFIER for the broker (`broker --c2-verifier CMD`, contract in
// prover/backends/EXTERNAL.md "Verifier"), built on snarkjs: it checks each 192-byte proof of a
// PoRep-shaped sector (circuits/src/porep/, NOT Filecoin's circuit) against the circuit's
// verification key, with the public inputs derived from c1.json (replica id, comm_d, comm_r, and
// the partition's challenges and their parents). A real deployment would wrap rust-fil-proofs'
// verify_seal (or filecoin-ffi's VerifySeal) behind the same contract.
//
//   scripts/porep-c2-verify.js C1_PATH PROOF_PATH
//
// Exit 0: every proof verifies. Exit 1: the proof is invalid (wrong length, a point that does not
// decode, a proof that does not verify) — the prover is blamed. Exit 3: this verifier could not
// decide (c1.json not a stand-in, verification key missing, …) — nobody is blamed, retried later.
// Verification keys: circuits/build/<circuit>/ or bench/work/<circuit>/ (or $PM_POREP_ARTIFACTS/<circuit>/).
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');

function finish(code, msg) {
  process.stderr.write(`porep-c2-verify: ${msg}\n`);
  process.exit(code);
}

async function main() {
  const [c1Path, proofPath] = process.argv.slice(2);
  if (!c1Path || !proofPath) finish(3, 'usage: porep-c2-verify.js C1_PATH PROOF_PATH');
  const { parseCommit1, STAND_IN_PROOF_TYPES } = require(path.join(ROOT, 'dist', 'src', 'common', 'commit1.js'));
  const { proofsFromFilecoin, FILECOIN_PROOF_BYTES } = require(path.join(ROOT, 'dist', 'src', 'common', 'filecoin.js'));
  let parsed;
  try { parsed = parseCommit1(fs.readFileSync(c1Path)); } catch (e) { finish(3, `cannot read c1.json: ${e.message}`); }
  const type = parsed.info.proofType;
  if (!STAND_IN_PROOF_TYPES[type]) finish(3, `registered_proof ${type} is not a PoRep-shaped stand-in: this verifier cannot check it`);
  const circuit = STAND_IN_PROOF_TYPES[type].circuit;
  const bases = [process.env.PM_POREP_ARTIFACTS, path.join(ROOT, 'circuits', 'build'), path.join(ROOT, 'bench', 'work')].filter(Boolean);
  const vkeyPath = bases.map((b) => path.join(b, circuit, 'verification_key.json')).find((p) => fs.existsSync(p));
  if (!vkeyPath) finish(3, `verification key of ${circuit} not found (run scripts/setup-porep.sh ${circuit})`);
  const vkey = JSON.parse(fs.readFileSync(vkeyPath, 'utf8'));
  const p1 = parsed.phase1;
  const inputs = p1.vanilla_proofs[type].map((p) => p[0]);
  const bytes = fs.readFileSync(proofPath);
  if (bytes.length !== inputs.length * FILECOIN_PROOF_BYTES) {
    finish(1, `proof is ${bytes.length} bytes, expected ${inputs.length} partitions × ${FILECOIN_PROOF_BYTES} = ${inputs.length * FILECOIN_PROOF_BYTES}`);
  }
  let proofs;
  try { proofs = proofsFromFilecoin(bytes); } catch (e) { finish(1, `proof does not decode: ${e.message}`); }
  const snarkjs = require(path.join(ROOT, 'node_modules', 'snarkjs'));
  const quiet = { info() {}, debug() {}, warn() {}, error() {} };
  for (const [k, proof] of proofs.entries()) {
    const input = inputs[k];
    const pub = [String(p1.replica_id), String(p1.comm_d), String(p1.comm_r), ...input.challenge.map(String), ...input.parents.flat().map(String)];
    if (!(await snarkjs.groth16.verify(vkey, pub, proof, quiet))) finish(1, `partition ${k} of ${proofs.length}: the proof does not verify`);
  }
  process.stderr.write(`porep-c2-verify: ${proofs.length} partition proof(s) of ${type} verify\n`);
  process.exit(0); // snarkjs keeps curve worker threads alive
}

main().catch((e) => finish(3, e.stack || String(e)));
