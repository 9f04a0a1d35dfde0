// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/market.proto

import type { ArtifactKind as _proofmarket_v1_ArtifactKind, ArtifactKind__Output as _proofmarket_v1_ArtifactKind__Output } from '../../proofmarket/v1/ArtifactKind';
import type { Long } from '@grpc/proto-loader';

export interface ArtifactChunk {
  'kind'?: (_proofmarket_v1_ArtifactKind);
  /**
   * Byte offset of `data` within the artifact; chunks must arrive in order without gaps.
   */
  'offset'?: (number | string | Long);
  'data'?: (Buffer | Uint8Array | string);
}

export interface ArtifactChunk__Output {
  'kind': (_proofmarket_v1_ArtifactKind__Output);
  /**
   * Byte offset of `data` within the artifact; chunks must arrive in order without gaps.
   */
  'offset': (string);
  'data': (Buffer);
}
