// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/market.proto


export interface VerifyRequest {
  /**
   * Circuit id or name.
   */
  'circuit'?: (string);
  'proofJson'?: (string);
  'publicJson'?: (string);
}

export interface VerifyRequest__Output {
  /**
   * Circuit id or name.
   */
  'circuit': (string);
  'proofJson': (string);
  'publicJson': (string);
}
