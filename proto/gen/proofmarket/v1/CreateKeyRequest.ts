// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/accounts.proto


export interface CreateKeyRequest {
  /**
   * Account name or id; empty = the caller's own.
   */
  'account'?: (string);
}

export interface CreateKeyRequest__Output {
  /**
   * Account name or id; empty = the caller's own.
   */
  'account': (string);
}
