#!/usr/bin/env bash
# gpu-e2e.sh — the marketplace end to end on a GPU machine that has no Node and no network:
# a broker and a prover daemon restricted to the `cuda` backend, both example circuits registered
# and proved through the CLI, each proof checked by the broker's snarkjs verification.
#
# Prepare HERE with scripts/gpu-e2e-prepare.sh (Node itself as .gpu-e2e/node.xz, the runtime
# node_modules + built JS as .gpu-e2e/nm.tar.xz, the addon linked against a CUDA build of the
# engine as .gpu-e2e/proofmarket_native.node; the folder is git-ignored),
# then carry those three files and run this script from the repo root there. Logs and proofs go
# to $OUT.
set -u
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/pm-gpu-e2e}
mkdir -p "$OUT"
B=.gpu-e2e
W=$(mktemp -d)
xz -dc "$B/node.xz" > "$W/node" && chmod +x "$W/node"
tar -xJf "$B/nm.tar.xz"
export PATH="$W:$PATH" PM_NATIVE_ADDON="${PM_NATIVE_ADDON:-$PWD/$B/proofmarket_native.node}"
node --version
ADDR=127.0.0.1:50071
CLI="node dist/src/cli/main.js"
$CLI broker --listen $ADDR --data "$W/broker" --local-accounts > "$OUT/broker.log" 2>&1 &
bpid=$!
for _ in $(seq 1 100); do grep -q "listening" "$OUT/broker.log" && break; sleep 0.2; done
# The broker wrote the local accounts' keys: the prover runs as local-prover, the CLI as local-client.
export PM_API_KEY="$(cat "$W/broker/client.key")"
$CLI prover --broker $ADDR --api-key "$(cat "$W/broker/prover.key")" --data "$W/prover" --backend "${PM_E2E_BACKEND:-cuda}" > "$OUT/prover.log" 2>&1 &
ppid=$!
st=0
for c in example_bn254 example_bls12381; do
  d=circuits/build/$c
  $CLI circuit add $c --broker $ADDR --wasm $d/$c.wasm --zkey $d/$c.zkey \
    --vkey $d/verification_key.json --r1cs $d/$c.r1cs --sym $d/$c.sym > "$OUT/add-$c.txt" 2>&1 || st=1
  timeout 120 $CLI submit --broker $ADDR --circuit $c --input $d/input.json --wait --json \
    --out "$OUT/proof-$c" > "$OUT/job-$c.json" 2>"$OUT/submit-$c.err" || st=1
  node -e 'const j=require(process.argv[1]); console.log(process.argv[2], "state", j.state, "backend", j.backend, "proveMs", j.proveMs, "attempts", j.attempts)' \
    "$OUT/job-$c.json" $c || st=1
  grep -q "\"backend\": *\"${PM_E2E_BACKEND:-cuda}\"" "$OUT/job-$c.json" || { echo "$c: not proved on ${PM_E2E_BACKEND:-cuda}"; st=1; }
done
kill $ppid $bpid 2>/dev/null; wait 2>/dev/null
tail -5 "$OUT/prover.log"
echo "gpu-e2e exit status: $st"
exit $st
