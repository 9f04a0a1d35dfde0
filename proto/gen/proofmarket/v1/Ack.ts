// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/prover.proto


export interface Ack {
  'jobId'?: (string);
  /**
   * "accepted" (proof verified), "rejected" (proof failed verification), "stale" (lease lost),
   * "recorded" (an error result was taken: the job was requeued or FAILED, as `message` says)
   */
  'status'?: (string);
  'message'?: (string);
}

export interface Ack__Output {
  'jobId': (string);
  /**
   * "accepted" (proof verified), "rejected" (proof failed verification), "stale" (lease lost),
   * "recorded" (an error result was taken: the job was requeued or FAILED, as `message` says)
   */
  'status': (string);
  'message': (string);
}
