// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/accounts.proto

import type { Account as _proofmarket_v1_Account, Account__Output as _proofmarket_v1_Account__Output } from '../../proofmarket/v1/Account';

export interface CreateAccountResponse {
  'account'?: (_proofmarket_v1_Account | null);
  /**
   * The new API key; shown this once.
   */
  'apiKey'?: (string);
  'keyId'?: (string);
}

export interface CreateAccountResponse__Output {
  'account': (_proofmarket_v1_Account__Output | null);
  /**
   * The new API key; shown this once.
   */
  'apiKey': (string);
  'keyId': (string);
}
