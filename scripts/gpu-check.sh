#!/usr/bin/env bash
# gpu-check.sh — the one prepared run of the CUDA engine on a GPU machine (no Node, no network).
#
# Build HERE (a machine with nvcc; no card needed), then carry the binary to the GPU box:
#   PM_CUDA_ARCHS=90 cmake -S native -B native/build-gpu -G Ninja -DPM_CUDA=ON -DPM_MARCH=x86-64-v3 \
#         -DCMAKE_BUILD_TYPE=Release
#   cmake --build native/build-gpu -j2 --target pmtool
#   scripts/gpu-check.sh            # here: must get as far as "no CUDA device" and exit 3
# native/build-gpu is git-ignored; carry either the folder or just native/build-gpu/pmtool
# (static CUDA runtime: only the driver is needed there). On the GPU box, from the repo root:
#   OUT=/some/dir scripts/gpu-check.sh          # ($OUT is set by the device runner)
# Steps (each under `timeout`, logs in $OUT): nvidia-smi -L, pmtool info, pmtool selftest --device
# cuda, pmtool bench --device cuda (JSON in $OUT/bench-cuda.json), pmtool bench --device cpu on
# the same box for the speed-up. Budget ~5 minutes in all; override with the variables below.
# Exit status: that of the selftest (0 = all GPU results byte-identical to the CPU engine's),
# 3 when there is no card.
set -u
cd "$(dirname "$0")/.."
PMTOOL=${PMTOOL:-native/build-gpu/pmtool}
OUT=${OUT:-/tmp/pm-gpu-check}
SELFTEST_S=${SELFTEST_S:-100}
BENCH_S=${BENCH_S:-120}
CPU_BENCH_S=${CPU_BENCH_S:-60}
BENCH_ARGS=${BENCH_ARGS:---max-log 24 --g2-max-log 20 --ntt-max-log 24 --proof-logs 16,18,20 --reps 3 --c-sweep 22:14-20}
CPU_BENCH_ARGS=${CPU_BENCH_ARGS:---max-log 20 --g2-max-log 18 --ntt-max-log 22 --proof-logs 16 --reps 1}
mkdir -p "$OUT"
t0=$(date +%s)
step() { echo "== [$(( $(date +%s) - t0 ))s] $*"; }

if [ ! -x "$PMTOOL" ]; then
  echo "gpu-check: $PMTOOL not found; build it first (see the header of this script)" >&2
  exit 2
fi

step "nvidia-smi -L"
if command -v nvidia-smi >/dev/null 2>&1; then
  timeout 20 nvidia-smi -L 2>&1 | tee "$OUT/nvidia-smi.txt"
  timeout 20 nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.sm,clocks.max.sm --format=csv \
    2>&1 | tee -a "$OUT/nvidia-smi.txt"
else
  echo "nvidia-smi: not installed" | tee "$OUT/nvidia-smi.txt"
fi

step "pmtool info"
timeout 30 "$PMTOOL" info 2>&1 | tee "$OUT/info.txt"

step "pmtool selftest --device cuda (timeout ${SELFTEST_S}s)"
timeout "$SELFTEST_S" "$PMTOOL" selftest --device cuda 2>&1 | tee "$OUT/selftest-cuda.txt"
st=${PIPESTATUS[0]}
echo "selftest exit status: $st" | tee -a "$OUT/selftest-cuda.txt"
if [ "$st" = 3 ]; then
  echo "gpu-check: no CUDA device here; stopping before the benches"
  exit 3
fi

step "pmtool bench --device cuda (timeout ${BENCH_S}s)"
# shellcheck disable=SC2086
timeout "$BENCH_S" "$PMTOOL" bench --device cuda --json "$OUT/bench-cuda.json" $BENCH_ARGS 2>&1 \
  | tee "$OUT/bench-cuda.txt"
echo "bench cuda exit status: ${PIPESTATUS[0]}"

step "pmtool bench --device cpu (timeout ${CPU_BENCH_S}s)"
# shellcheck disable=SC2086
timeout "$CPU_BENCH_S" "$PMTOOL" bench --device cpu --json "$OUT/bench-cpu.json" $CPU_BENCH_ARGS 2>&1 \
  | tee "$OUT/bench-cpu.txt"
echo "bench cpu exit status: ${PIPESTATUS[0]}"

step "done"
echo "---- summary ----"
grep -E "^(FAIL|selftest:)" "$OUT/selftest-cuda.txt" | tail -20
grep -E "^(msm|ntt|prove) " "$OUT/bench-cuda.txt" | grep -E " 2\^(20|24) |prove" | tail -24
exit "$st"
