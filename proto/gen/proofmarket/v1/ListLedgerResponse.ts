// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/accounts.proto

import type { LedgerEntry as _proofmarket_v1_LedgerEntry, LedgerEntry__Output as _proofmarket_v1_LedgerEntry__Output } from '../../proofmarket/v1/LedgerEntry';

export interface ListLedgerResponse {
  'entries'?: (_proofmarket_v1_LedgerEntry)[];
}

export interface ListLedgerResponse__Output {
  'entries': (_proofmarket_v1_LedgerEntry__Output)[];
}
