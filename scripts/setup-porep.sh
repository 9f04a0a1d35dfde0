#!/usr/bin/env bash
# Builds the PoRep-shaped circuit family (circuits/src/porep/, not Filecoin's circuit):
#   porep_hash   the circuit's Poseidon on its own (the sector generator hashes with its wasm)
#   porep_small  2^7-node sector, 2 challenges per partition  (~14.4k constraints, domain 2^14)
#   porep_large  2^10-node sector, 6 challenges per partition (~60k constraints, domain 2^16)
# into OUT/<name>/ (default circuits/build): r1cs, sym, wasm, and for the partition circuits a
# development Groth16 key made by `pmtool devsetup` plus one snarkjs phase-2 contribution (the
# broker refuses un-contributed keys; tests and benchmarks only, never for value) and
# verification_key.json exported by snarkjs.
# porep_hash and porep_small are committed; porep_large is built on demand by the benchmark:
#
#   scripts/setup-porep.sh                              # porep_hash porep_small -> circuits/build
#   OUT=bench/work scripts/setup-porep.sh porep_large   # the 2^16 size
#
# Needs native/build-cli/pmtool (or $PM_PMTOOL): cmake -S native -B native/build-cli -G Ninja &&
# cmake --build native/build-cli --target pmtool
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${OUT:-circuits/build}
SNARKJS="node $ROOT/node_modules/snarkjs/build/cli.cjs"
CIRCOM="$ROOT/node_modules/.bin/circom2"
PMTOOL=${PM_PMTOOL:-$ROOT/native/build-cli/pmtool}
# circom2 (wasm) only sees files below its working folder: when node_modules is a link to
# elsewhere, compile against a copy of circomlib's circuits under ./tmp (git-ignored).
LIB=node_modules
if [ "$(readlink -f node_modules)" != "$ROOT/node_modules" ]; then
  mkdir -p tmp/circomlib && rm -rf tmp/circomlib/circuits && cp -r node_modules/circomlib/circuits tmp/circomlib/
  LIB=tmp
fi

build_one() {
  local name=$1 src=circuits/src/$1.circom
  [ "$name" = porep_hash ] && src=circuits/src/porep/porep_hash.circom
  local out=$OUT/$name tmp
  tmp=$(mktemp -d)
  mkdir -p "$out"
  echo "== $name"
  # --O2: linear constraints are substituted away, so the Groth16 domain is the smallest power of 2
  "$CIRCOM" "$src" --O2 --r1cs --wasm --sym --prime bls12381 -o "$tmp" -l "$LIB"
  cp "$tmp/$name.r1cs" "$tmp/$name.sym" "$out/"
  cp "$tmp/${name}_js/$name.wasm" "$out/$name.wasm"
  rm -rf "$tmp"
  if [ "$name" != porep_hash ]; then
    [ -x "$PMTOOL" ] || { echo "pmtool not found at $PMTOOL (build it, or set PM_PMTOOL)" >&2; exit 1; }
    "$PMTOOL" devsetup --r1cs "$out/$name.r1cs" --out "$out/$name.zkey.0"
    # one phase-2 contribution: the broker refuses keys without one (anyone could forge proofs).
    # Still a development key: the devsetup toxic waste is known to whoever ran this.
    $SNARKJS zkey contribute "$out/$name.zkey.0" "$out/$name.zkey" --name="proofmarket dev" -e="proofmarket porep dev key $(date +%s%N)"
    rm -f "$out/$name.zkey.0"
    $SNARKJS zkey export verificationkey "$out/$name.zkey" "$out/verification_key.json"
  fi
}

NAMES=("$@")
[ ${#NAMES[@]} -gt 0 ] || NAMES=(porep_hash porep_small)
for n in "${NAMES[@]}"; do build_one "$n"; done
