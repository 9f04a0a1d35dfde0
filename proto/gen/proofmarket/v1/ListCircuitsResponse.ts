// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/market.proto

import type { Circuit as _proofmarket_v1_Circuit, Circuit__Output as _proofmarket_v1_Circuit__Output } from '../../proofmarket/v1/Circuit';

export interface ListCircuitsResponse {
  'circuits'?: (_proofmarket_v1_Circuit)[];
}

export interface ListCircuitsResponse__Output {
  'circuits': (_proofmarket_v1_Circuit__Output)[];
}
