// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/prover.proto


export interface Progress {
  'jobId'?: (string);
  'leaseToken'?: (string);
  /**
   * 0..1
   */
  'fraction'?: (number | string);
  /**
   * "fetching", "witness", "proving", ...
   */
  'stage'?: (string);
}

export interface Progress__Output {
  'jobId': (string);
  'leaseToken': (string);
  /**
   * 0..1
   */
  'fraction': (number);
  /**
   * "fetching", "witness", "proving", ...
   */
  'stage': (string);
}
