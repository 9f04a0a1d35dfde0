// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/accounts.proto


export interface ListLedgerRequest {
  /**
   * Only entries of this job.
   */
  'jobId'?: (string);
  /**
   * Only entries of this account (name or id); non-admins may name only themselves.
   */
  'account'?: (string);
  'limit'?: (number);
}

export interface ListLedgerRequest__Output {
  /**
   * Only entries of this job.
   */
  'jobId': (string);
  /**
   * Only entries of this account (name or id); non-admins may name only themselves.
   */
  'account': (string);
  'limit': (number);
}
