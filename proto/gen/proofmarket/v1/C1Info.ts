// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/market.proto

import type { Long } from '@grpc/proto-loader';

export interface C1Info {
  'sha256'?: (string);
  'size'?: (number | string | Long);
  /**
   * Bytes held so far (== size when complete).
   */
  'received'?: (number | string | Long);
  'complete'?: (boolean);
  /**
   * Read from the file when complete: rust-fil-proofs' registered seal proof ("StackedDrg32GiBV1_1")
   * or a stand-in type, the sector size in bytes, and the number of partition proofs.
   */
  'proofType'?: (string);
  'sectorSize'?: (number | string | Long);
  'partitions'?: (number);
}

export interface C1Info__Output {
  'sha256': (string);
  'size': (string);
  /**
   * Bytes held so far (== size when complete).
   */
  'received': (string);
  'complete': (boolean);
  /**
   * Read from the file when complete: rust-fil-proofs' registered seal proof ("StackedDrg32GiBV1_1")
   * or a stand-in type, the sector size in bytes, and the number of partition proofs.
   */
  'proofType': (string);
  'sectorSize': (string);
  'partitions': (number);
}
