// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/prover.proto

import type { Curve as _proofmarket_v1_Curve, Curve__Output as _proofmarket_v1_Curve__Output } from '../../proofmarket/v1/Curve';

export interface BenchFigure {
  'curve'?: (_proofmarket_v1_Curve);
  'backend'?: (string);
  /**
   * log2 of the number of constraints this figure was measured at.
   */
  'log2Constraints'?: (number);
  /**
   * Milliseconds for one whole proof at that size.
   */
  'proveMs'?: (number | string);
}

export interface BenchFigure__Output {
  'curve': (_proofmarket_v1_Curve__Output);
  'backend': (string);
  /**
   * log2 of the number of constraints this figure was measured at.
   */
  'log2Constraints': (number);
  /**
   * Milliseconds for one whole proof at that size.
   */
  'proveMs': (number);
}
