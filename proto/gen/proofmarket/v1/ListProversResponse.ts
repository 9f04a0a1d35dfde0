// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/market.proto

import type { ProverInfo as _proofmarket_v1_ProverInfo, ProverInfo__Output as _proofmarket_v1_ProverInfo__Output } from '../../proofmarket/v1/ProverInfo';

export interface ListProversResponse {
  'provers'?: (_proofmarket_v1_ProverInfo)[];
}

export interface ListProversResponse__Output {
  'provers': (_proofmarket_v1_ProverInfo__Output)[];
}
