// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/market.proto

import type { Long } from '@grpc/proto-loader';

export interface UploadC1Header {
  /**
   * Exact size in bytes of the whole c1.json.
   */
  'size'?: (number | string | Long);
  /**
   * SHA-256 of the whole file, lowercase hex.
   */
  'sha256'?: (string);
  /**
   * Where the chunks of this call start (0, or the `received` of GetC1 to resume).
   */
  'offset'?: (number | string | Long);
}

export interface UploadC1Header__Output {
  /**
   * Exact size in bytes of the whole c1.json.
   */
  'size': (string);
  /**
   * SHA-256 of the whole file, lowercase hex.
   */
  'sha256': (string);
  /**
   * Where the chunks of this call start (0, or the `received` of GetC1 to resume).
   */
  'offset': (string);
}
