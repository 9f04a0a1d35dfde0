// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/market.proto

import type { ArtifactKind as _proofmarket_v1_ArtifactKind, ArtifactKind__Output as _proofmarket_v1_ArtifactKind__Output } from '../../proofmarket/v1/ArtifactKind';
import type { Long } from '@grpc/proto-loader';

export interface ArtifactHeader {
  'kind'?: (_proofmarket_v1_ArtifactKind);
  /**
   * Exact size in bytes of the artifact that will follow in chunks.
   */
  'size'?: (number | string | Long);
  /**
   * SHA-256 of the whole artifact, lowercase hex.
   */
  'sha256'?: (string);
}

export interface ArtifactHeader__Output {
  'kind': (_proofmarket_v1_ArtifactKind__Output);
  /**
   * Exact size in bytes of the artifact that will follow in chunks.
   */
  'size': (string);
  /**
   * SHA-256 of the whole artifact, lowercase hex.
   */
  'sha256': (string);
}
