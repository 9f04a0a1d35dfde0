// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/common.proto

import type { ArtifactKind as _proofmarket_v1_ArtifactKind, ArtifactKind__Output as _proofmarket_v1_ArtifactKind__Output } from '../../proofmarket/v1/ArtifactKind';
import type { Long } from '@grpc/proto-loader';

export interface Artifact {
  'kind'?: (_proofmarket_v1_ArtifactKind);
  'size'?: (number | string | Long);
  'sha256'?: (string);
}

export interface Artifact__Output {
  'kind': (_proofmarket_v1_ArtifactKind__Output);
  'size': (string);
  'sha256': (string);
}
