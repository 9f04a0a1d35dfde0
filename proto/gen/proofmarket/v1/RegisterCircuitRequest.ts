// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/market.proto

import type { RegisterCircuitHeader as _proofmarket_v1_RegisterCircuitHeader, RegisterCircuitHeader__Output as _proofmarket_v1_RegisterCircuitHeader__Output } from '../../proofmarket/v1/RegisterCircuitHeader';
import type { ArtifactChunk as _proofmarket_v1_ArtifactChunk, ArtifactChunk__Output as _proofmarket_v1_ArtifactChunk__Output } from '../../proofmarket/v1/ArtifactChunk';

export interface RegisterCircuitRequest {
  'header'?: (_proofmarket_v1_RegisterCircuitHeader | null);
  'chunk'?: (_proofmarket_v1_ArtifactChunk | null);
  'msg'?: "header"|"chunk";
}

export interface RegisterCircuitRequest__Output {
  'header'?: (_proofmarket_v1_RegisterCircuitHeader__Output | null);
  'chunk'?: (_proofmarket_v1_ArtifactChunk__Output | null);
  'msg'?: "header"|"chunk";
}
