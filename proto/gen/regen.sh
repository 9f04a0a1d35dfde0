#!/usr/bin/env bash
# Regenerates the TypeScript types in proto/gen/ from proto/proofmarket/v1/*.proto.
# Run from anywhere: bash proto/gen/regen.sh
# The options must match the loader options in src/common/proto.ts
# (longs: String, enums: String, defaults: true, oneofs: true).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
find proto/gen -name '*.ts' -delete
npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments \
  --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- \
  proofmarket/v1/common.proto proofmarket/v1/market.proto proofmarket/v1/prover.proto proofmarket/v1/accounts.proto
header='// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)'
find proto/gen -name '*.ts' | while read -r f; do
  { printf '%s\n' "$header"; cat "$f"; } > "$f.tmp" && mv "$f.tmp" "$f"
done
