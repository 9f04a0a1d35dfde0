// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/market.proto

import type { Long } from '@grpc/proto-loader';

export interface QuoteRequest {
  /**
   * Circuit id or name.
   */
  'circuit'?: (string);
  /**
   * Absolute deadline (ms since epoch); 0 = none (on-time probability is then 1).
   */
  'deadlineMs'?: (number | string | Long);
  /**
   * Only offers at or below this price (micro-credits); 0 = show every offer.
   */
  'maxPrice'?: (number | string | Long);
}

export interface QuoteRequest__Output {
  /**
   * Circuit id or name.
   */
  'circuit': (string);
  /**
   * Absolute deadline (ms since epoch); 0 = none (on-time probability is then 1).
   */
  'deadlineMs': (string);
  /**
   * Only offers at or below this price (micro-credits); 0 = show every offer.
   */
  'maxPrice': (string);
}
