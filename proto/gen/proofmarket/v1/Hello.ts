// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/prover.proto

import type { Long } from '@grpc/proto-loader';

export interface Hello {
  'proverId'?: (string);
  'proverSecret'?: (string);
  'sessionEpoch'?: (number | string | Long);
}

export interface Hello__Output {
  'proverId': (string);
  'proverSecret': (string);
  'sessionEpoch': (string);
}
