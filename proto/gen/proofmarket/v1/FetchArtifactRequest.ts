// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/prover.proto

import type { Long } from '@grpc/proto-loader';

export interface FetchArtifactRequest {
  'sha256'?: (string);
  /**
   * Resume from this byte offset (default 0).
   */
  'offset'?: (number | string | Long);
}

export interface FetchArtifactRequest__Output {
  'sha256': (string);
  /**
   * Resume from this byte offset (default 0).
   */
  'offset': (string);
}
