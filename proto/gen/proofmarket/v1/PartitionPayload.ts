// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/market.proto


export interface PartitionPayload {
  'inputJson'?: (string);
  'witness'?: (Buffer | Uint8Array | string);
  'payload'?: "inputJson"|"witness";
}

export interface PartitionPayload__Output {
  'inputJson'?: (string);
  'witness'?: (Buffer);
  'payload'?: "inputJson"|"witness";
}
