// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/market.proto


export interface FilecoinC2Request {
  /**
   * SHA-256 of the uploaded c1.json.
   */
  'c1Sha256'?: (string);
}

export interface FilecoinC2Request__Output {
  /**
   * SHA-256 of the uploaded c1.json.
   */
  'c1Sha256': (string);
}
