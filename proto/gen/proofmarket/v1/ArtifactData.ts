// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/prover.proto

import type { Long } from '@grpc/proto-loader';

export interface ArtifactData {
  'offset'?: (number | string | Long);
  'data'?: (Buffer | Uint8Array | string);
  /**
   * Total size, set on every message.
   */
  'size'?: (number | string | Long);
}

export interface ArtifactData__Output {
  'offset': (string);
  'data': (Buffer);
  /**
   * Total size, set on every message.
   */
  'size': (string);
}
