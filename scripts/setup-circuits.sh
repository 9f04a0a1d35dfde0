#!/usr/bin/env bash
# Compile the example circuits with circom2 and run a small snarkjs Groth16 ceremony for each.
#
# Writes circuits/build/<name>/{<name>.r1cs,<name>.sym,<name>.wasm,<name>.zkey,
# verification_key.json,input.json}. These small artifacts are committed: tests and the quick
# start use them and never redo a ceremony. Run this only when a circuit source changes:
#
#   scripts/setup-circuits.sh                # every example circuit
#   scripts/setup-circuits.sh example_bn254  # just one
#
# CIRCOM_LIB=DIR: where circomlib/ is (default node_modules; it must lie below the repo root, since
# circom2 cannot follow a symlinked node_modules out of it).
#
# The ceremony is for development only: one contribution with fixed entropy text (snarkjs mixes
# in OS randomness as well, so reruns give different keys). Never use these keys for value.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SNARKJS="node $ROOT/node_modules/snarkjs/build/cli.cjs"
CIRCOM="$ROOT/node_modules/.bin/circom2"

# name  prime(circom)  curve(snarkjs)
CIRCUITS=(
  "example_bn254 bn128 bn128"
  "example_bls12381 bls12381 bls12381"
  "example_bn254_4k bn128 bn128"
  "example_bls12381_4k bls12381 bls12381"
)

# Smallest ptau power p with 2^p >= constraints + public inputs + outputs + 1 (snarkjs's domain).
ptau_power() {
  node -e '
    const { readR1csHeader } = require("r1csfile");
    const { readBinFile } = require("@iden3/binfileutils");
    (async () => {
      const { fd, sections } = await readBinFile(process.argv[1], "r1cs", 1, 1 << 22, 1 << 24);
      const h = await readR1csHeader(fd, sections, false);
      await fd.close();
      const need = h.nConstraints + h.nPubInputs + h.nOutputs + 1;
      let p = 1; while ((1 << p) < need) p++;
      console.log(Math.max(p, 8));
      process.exit(0); // the curve object keeps worker threads alive
    })().catch((e) => { console.error(e); process.exit(1); });
  ' "$1"
}

setup_one() {
  local name=$1 prime=$2 curve=$3
  local out=circuits/build/$name
  local tmp
  tmp=$(mktemp -d)
  echo "== $name (prime $prime)"
  mkdir -p "$out"
  # The larger calibration instances take the same input as the small one of their curve.
  [ -f "$out/input.json" ] || cp "circuits/build/${name%_4k}/input.json" "$out/input.json"
  # circom2 (wasm) only sees files below its working folder, so run it from the repo root.
  "$CIRCOM" "circuits/src/$name.circom" --r1cs --wasm --sym --prime "$prime" -o "$tmp" -l "${CIRCOM_LIB:-node_modules}"
  cp "$tmp/$name.r1cs" "$tmp/$name.sym" "$out/"
  cp "$tmp/${name}_js/$name.wasm" "$out/$name.wasm"
  local p
  p=$(ptau_power "$out/$name.r1cs")
  echo "== $name: powers of tau 2^$p"
  $SNARKJS powersoftau new "$curve" "$p" "$tmp/pot_0.ptau"
  $SNARKJS powersoftau contribute "$tmp/pot_0.ptau" "$tmp/pot_1.ptau" --name="proofmarket dev" -e="proofmarket example ceremony"
  $SNARKJS powersoftau prepare phase2 "$tmp/pot_1.ptau" "$tmp/pot_final.ptau"
  $SNARKJS groth16 setup "$out/$name.r1cs" "$tmp/pot_final.ptau" "$tmp/${name}_0.zkey"
  $SNARKJS zkey contribute "$tmp/${name}_0.zkey" "$out/$name.zkey" --name="proofmarket dev" -e="proofmarket example zkey"
  $SNARKJS zkey export verificationkey "$out/$name.zkey" "$out/verification_key.json"
  # Sanity check: prove the committed sample input and verify it.
  $SNARKJS groth16 fullprove "$out/input.json" "$out/$name.wasm" "$out/$name.zkey" "$tmp/proof.json" "$tmp/public.json"
  $SNARKJS groth16 verify "$out/verification_key.json" "$tmp/public.json" "$tmp/proof.json"
  $SNARKJS r1cs info "$out/$name.r1cs"
  rm -rf "$tmp"
}

for entry in "${CIRCUITS[@]}"; do
  read -r name prime curve <<<"$entry"
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  setup_one "$name" "$prime" "$curve"
done
