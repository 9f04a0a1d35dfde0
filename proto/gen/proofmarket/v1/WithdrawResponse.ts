// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/accounts.proto

import type { Balance as _proofmarket_v1_Balance, Balance__Output as _proofmarket_v1_Balance__Output } from '../../proofmarket/v1/Balance';

export interface WithdrawResponse {
  /**
   * The withdrawal's ledger transaction (on a repeat: the first call's).
   */
  'txId'?: (string);
  /**
   * The account's balances after this call.
   */
  'balance'?: (_proofmarket_v1_Balance | null);
  /**
   * True when request_id had already been paid out: this call moved nothing.
   */
  'repeat'?: (boolean);
}

export interface WithdrawResponse__Output {
  /**
   * The withdrawal's ledger transaction (on a repeat: the first call's).
   */
  'txId': (string);
  /**
   * The account's balances after this call.
   */
  'balance': (_proofmarket_v1_Balance__Output | null);
  /**
   * True when request_id had already been paid out: this call moved nothing.
   */
  'repeat': (boolean);
}
