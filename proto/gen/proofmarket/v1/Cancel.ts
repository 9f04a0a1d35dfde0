// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/prover.proto


export interface Cancel {
  'jobId'?: (string);
  'leaseToken'?: (string);
  /**
   * "cancelled", "expired", "lease_lost", "moved" (predicted to finish past the deadline: requeued
   * for a faster prover, without blame)
   */
  'reason'?: (string);
}

export interface Cancel__Output {
  'jobId': (string);
  'leaseToken': (string);
  /**
   * "cancelled", "expired", "lease_lost", "moved" (predicted to finish past the deadline: requeued
   * for a faster prover, without blame)
   */
  'reason': (string);
}
