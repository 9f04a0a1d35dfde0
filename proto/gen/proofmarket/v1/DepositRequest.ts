// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/accounts.proto

import type { Long } from '@grpc/proto-loader';

export interface DepositRequest {
  /**
   * Account name or id.
   */
  'account'?: (string);
  /**
   * Micro-credits, > 0, at most 2^53 - 1.
   */
  'amount'?: (number | string | Long);
  /**
   * Free text for the ledger entry's explanation: at most 500 characters, control characters
   * removed (longer: INVALID_ARGUMENT, nothing moved).
   */
  'note'?: (string);
}

export interface DepositRequest__Output {
  /**
   * Account name or id.
   */
  'account': (string);
  /**
   * Micro-credits, > 0, at most 2^53 - 1.
   */
  'amount': (string);
  /**
   * Free text for the ledger entry's explanation: at most 500 characters, control characters
   * removed (longer: INVALID_ARGUMENT, nothing moved).
   */
  'note': (string);
}
