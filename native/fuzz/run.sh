#!/usr/bin/env bash
# Builds the engine with ASan + UBSan and mutation-fuzzes the zkey/wtns/r1cs parsers (and the
# prover behind them) for about PM_FUZZ_SECONDS (default 60) seconds, after the error-path tests.
# Inputs: synthetic dev keys for both curves (made here, no Node needed) and, when present, the
# committed snarkjs example circuits in circuits/build/*/ (real snarkjs zkeys + wtns).
#
#   native/fuzz/run.sh                     # build (native/build-fuzz) + tests + ~60 s of fuzzing
#   PM_FUZZ_SECONDS=600 PM_SEED=42 native/fuzz/run.sh
set -euo pipefail
native=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$native/.." && pwd)
build=${PM_FUZZ_BUILD:-$native/build-fuzz}
secs=${PM_FUZZ_SECONDS:-60}
gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
cmake -S "$native" -B "$build" "${gen[@]}" -DPM_CUDA=OFF -DPM_SANITIZE=ON -DPM_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target pm_fuzz pmtool pm_groth16_test

work=$(mktemp -d /tmp/pm-fuzz-XXXXXX)
trap 'rm -rf "$work"' EXIT

# UBSan's alignment check is suppressed (every other check stays on and halts): snarkjs containers
# put a 12-byte header before every section, so every other section (and the witness values) sits
# at 4 mod 8, and the engine uses zkey points in place from the mapping, as rapidsnark does, which
# x86-64 loads fine. (A compile-time -fno-sanitize=alignment would be overridden by PM_SANITIZE's
# later -fsanitize=undefined.)
printf 'alignment:*\n' > "$work/ubsan.supp"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$work/ubsan.supp}

echo "== error-path tests under ASan/UBSan"
"$build/pm_groth16_test"

"$build/pmtool" devsetup --synthetic 6 --curve bn254 --out "$work/bn254" --seed 1
"$build/pmtool" devsetup --synthetic 6 --curve bls12-381 --out "$work/bls" --seed 2
targets=("$work/bn254/circuit.zkey $work/bn254/witness.wtns $work/bn254/circuit.r1cs"
         "$work/bls/circuit.zkey $work/bls/witness.wtns $work/bls/circuit.r1cs")
# real snarkjs keys: the committed example circuits, with a witness computed by snarkjs from
# their input.json when Node is here (or a .wtns already in the folder)
snarkjs="$root/node_modules/snarkjs/build/cli.cjs"
for d in "$root"/circuits/build/*/; do
  [ -d "$d" ] || continue
  z=$(ls "$d"*.zkey 2>/dev/null | head -1 || true)
  w=$(ls "$d"*.wtns 2>/dev/null | head -1 || true)
  r=$(ls "$d"*.r1cs 2>/dev/null | head -1 || true)
  wasm=$(ls "$d"*.wasm 2>/dev/null | head -1 || true)
  if [ -z "$w" ] && [ -n "$wasm" ] && [ -f "$d/input.json" ] && [ -f "$snarkjs" ] && command -v node >/dev/null; then
    w="$work/$(basename "$d").wtns"
    node "$snarkjs" wtns calculate "$wasm" "$d/input.json" "$w" >/dev/null || w=""
  fi
  [ -n "$z" ] && [ -n "$w" ] && targets+=("$z $w $r")
done

per=$(( secs / ${#targets[@]} ))
[ "$per" -lt 5 ] && per=5
seed=${PM_SEED:-$RANDOM$RANDOM}
i=0
for t in "${targets[@]}"; do
  read -r z w r <<<"$t"
  args=(--zkey "$z" --wtns "$w" --seconds "$per" --seed $((seed + i)))
  [ -n "${r:-}" ] && args+=(--r1cs "$r")
  echo "== fuzzing $(basename "$(dirname "$z")")/$(basename "$z") for ${per}s"
  "$build/pm_fuzz" "${args[@]}"
  i=$((i + 1))
done
echo "fuzz: all targets survived (no crash, hang, leak or UB report)"
