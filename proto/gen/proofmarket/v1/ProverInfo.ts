// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/market.proto

import type { Curve as _proofmarket_v1_Curve, Curve__Output as _proofmarket_v1_Curve__Output } from '../../proofmarket/v1/Curve';
import type { Long } from '@grpc/proto-loader';

export interface ProverInfo {
  'id'?: (string);
  'name'?: (string);
  'curves'?: (_proofmarket_v1_Curve)[];
  'backends'?: (string)[];
  'devices'?: (string)[];
  /**
   * Asking price per proof, and per million constraints, micro-credits.
   */
  'price'?: (number | string | Long);
  'pricePerMConstraints'?: (number | string | Long);
  /**
   * Measured median ms at 2^12, 2^16, 2^20 constraints on its first curve (0 = not known).
   */
  'ms_2_12'?: (number | string | Long);
  'ms_2_16'?: (number | string | Long);
  'ms_2_20'?: (number | string | Long);
  'reputation'?: (number | string);
  /**
   * Accepted / (accepted + rejected); 1 when it has no verdicts yet.
   */
  'successRate'?: (number | string);
  'state'?: (string);
  'slots'?: (number);
  'active'?: (number);
  'samples'?: (number);
  /**
   * Admission challenges passed and failed.
   */
  'challengesPassed'?: (number);
  'challengesFailed'?: (number);
  /**
   * Consecutive results later than the ETA quoted at assignment (p90).
   */
  'missedEta'?: (number);
  /**
   * Sector sizes (bytes) of the `filecoin-c2` jobs it takes; empty = it takes none.
   */
  'c2SectorSizes'?: (number | string | Long)[];
}

export interface ProverInfo__Output {
  'id': (string);
  'name': (string);
  'curves': (_proofmarket_v1_Curve__Output)[];
  'backends': (string)[];
  'devices': (string)[];
  /**
   * Asking price per proof, and per million constraints, micro-credits.
   */
  'price': (string);
  'pricePerMConstraints': (string);
  /**
   * Measured median ms at 2^12, 2^16, 2^20 constraints on its first curve (0 = not known).
   */
  'ms_2_12': (string);
  'ms_2_16': (string);
  'ms_2_20': (string);
  'reputation': (number);
  /**
   * Accepted / (accepted + rejected); 1 when it has no verdicts yet.
   */
  'successRate': (number);
  'state': (string);
  'slots': (number);
  'active': (number);
  'samples': (number);
  /**
   * Admission challenges passed and failed.
   */
  'challengesPassed': (number);
  'challengesFailed': (number);
  /**
   * Consecutive results later than the ETA quoted at assignment (p90).
   */
  'missedEta': (number);
  /**
   * Sector sizes (bytes) of the `filecoin-c2` jobs it takes; empty = it takes none.
   */
  'c2SectorSizes': (string)[];
}
