// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/prover.proto

import type { Long } from '@grpc/proto-loader';

export interface DeviceInfo {
  /**
   * e.g. "NVIDIA H100 80GB HBM3" or "cpu: 16 cores"
   */
  'name'?: (string);
  'memoryBytes'?: (number | string | Long);
  /**
   * "cuda" | "cpu" | "snarkjs"
   */
  'backend'?: (string);
}

export interface DeviceInfo__Output {
  /**
   * e.g. "NVIDIA H100 80GB HBM3" or "cpu: 16 cores"
   */
  'name': (string);
  'memoryBytes': (string);
  /**
   * "cuda" | "cpu" | "snarkjs"
   */
  'backend': (string);
}
