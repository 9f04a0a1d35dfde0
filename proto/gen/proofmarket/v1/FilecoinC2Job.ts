// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/common.proto

import type { Long } from '@grpc/proto-loader';

/**
 * What a `filecoin-c2` job proves, read from its c1.json at upload (src/common/commit1.ts).
 */
export interface FilecoinC2Job {
  'c1Sha256'?: (string);
  'c1Size'?: (number | string | Long);
  /**
   * rust-fil-proofs' registered seal proof (e.g. "StackedDrg32GiBV1_1") or a stand-in type.
   */
  'proofType'?: (string);
  /**
   * Bytes (34359738368 for 32 GiB).
   */
  'sectorSize'?: (number | string | Long);
  /**
   * Number of Groth16 proofs in the result (10 for 32 GiB).
   */
  'partitions'?: (number);
}

/**
 * What a `filecoin-c2` job proves, read from its c1.json at upload (src/common/commit1.ts).
 */
export interface FilecoinC2Job__Output {
  'c1Sha256': (string);
  'c1Size': (string);
  /**
   * rust-fil-proofs' registered seal proof (e.g. "StackedDrg32GiBV1_1") or a stand-in type.
   */
  'proofType': (string);
  /**
   * Bytes (34359738368 for 32 GiB).
   */
  'sectorSize': (string);
  /**
   * Number of Groth16 proofs in the result (10 for 32 GiB).
   */
  'partitions': (number);
}
