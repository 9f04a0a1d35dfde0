// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/prover.proto

import type { Capabilities as _proofmarket_v1_Capabilities, Capabilities__Output as _proofmarket_v1_Capabilities__Output } from '../../proofmarket/v1/Capabilities';

export interface RegisterProverRequest {
  /**
   * Stable identity chosen by the operator (e.g. hostname + data dir); used to reattach.
   */
  'proverKey'?: (string);
  'name'?: (string);
  'capabilities'?: (_proofmarket_v1_Capabilities | null);
  /**
   * The secret a previous Register issued for this prover_key; empty on the very first one.
   */
  'proverSecret'?: (string);
}

export interface RegisterProverRequest__Output {
  /**
   * Stable identity chosen by the operator (e.g. hostname + data dir); used to reattach.
   */
  'proverKey': (string);
  'name': (string);
  'capabilities': (_proofmarket_v1_Capabilities__Output | null);
  /**
   * The secret a previous Register issued for this prover_key; empty on the very first one.
   */
  'proverSecret': (string);
}
