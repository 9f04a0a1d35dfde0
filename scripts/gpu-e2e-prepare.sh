#!/usr/bin/env bash
# Prepares .gpu-e2e/ (git-ignored) for scripts/gpu-e2e.sh on a GPU machine without Node: Node
# itself, the runtime node_modules + built JS, and the addon linked against a CUDA build of the
# engine. Run from the repo root after `npm install`, with a CUDA build folder made by
#   PM_CUDA_ARCHS=90 cmake -S native -B native/build-gpu -G Ninja -DPM_CUDA=ON -DPM_MARCH=x86-64-v3
#   cmake --build native/build-gpu -j2 --target pmtool
# Usage: scripts/gpu-e2e-prepare.sh [BUILD_DIR]   (default native/build-gpu)
# What it makes (~45 MB) is carried as: .gpu-e2e/node.xz .gpu-e2e/nm.tar.xz
# .gpu-e2e/proofmarket_native.node (and the build's pmtool if wanted).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-native/build-gpu}
CUDA=${CUDA_HOME:-/usr/local/cuda}
mkdir -p .gpu-e2e
for lib in libpm_engine.a libpm_cuda.a; do
  [ -f "$BUILD/$lib" ] || { echo "gpu-e2e-prepare: $BUILD/$lib missing: build the CUDA engine first" >&2; exit 2; }
done
echo "== node -> .gpu-e2e/node.xz"
xz -6 -c "$(command -v node)" > .gpu-e2e/node.xz
echo "== runtime node_modules + dist + example circuits -> .gpu-e2e/nm.tar.xz"
tar -cJf .gpu-e2e/nm.tar.xz \
  --exclude='node_modules/circom2' --exclude='node_modules/typescript' --exclude='node_modules/@typescript' \
  --exclude='node_modules/wasmcurves/test' --exclude='node_modules/wasmcurves/benchmarks' \
  --exclude='node_modules/cmake-js' --exclude='node_modules/mocha' --exclude='node_modules/@types' \
  --exclude='node_modules/node-api-headers' --exclude='node_modules/better-sqlite3/deps' \
  --exclude='node_modules/better-sqlite3/src' --exclude='node_modules/better-sqlite3/build/Release/obj*' \
  --exclude='*.map' node_modules dist circuits/build bin package.json
echo "== addon against $BUILD"
nodeinc=$(node -p "require('path').join(process.execPath, '..', '..', 'include', 'node')")
g++ -shared -fPIC -O2 -std=c++17 -march=x86-64-v3 -I"$nodeinc" -Inode_modules/node-addon-api \
  -Inative/include -Inative/src -DNAPI_VERSION=8 -DNAPI_DISABLE_CPP_EXCEPTIONS -DPM_WITH_CUDA=1 \
  native/binding/addon.cpp "$BUILD/libpm_engine.a" "$BUILD/libpm_cuda.a" "$CUDA/lib64/libcudart_static.a" \
  -ldl -lrt -lpthread -o .gpu-e2e/proofmarket_native.node
PM_NATIVE_ADDON=.gpu-e2e/proofmarket_native.node node -e \
  "console.log(require('./dist/native/binding/native.js').loadNative().info())"
du -sh .gpu-e2e/*
