// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/market.proto

import type { QuoteOffer as _proofmarket_v1_QuoteOffer, QuoteOffer__Output as _proofmarket_v1_QuoteOffer__Output } from '../../proofmarket/v1/QuoteOffer';
import type { Long } from '@grpc/proto-loader';

export interface QuoteResponse {
  'circuitId'?: (string);
  'constraints'?: (number | string | Long);
  /**
   * Cheapest first, then most likely on time.
   */
  'offers'?: (_proofmarket_v1_QuoteOffer)[];
  /**
   * When there is no offer, why (in words).
   */
  'note'?: (string);
}

export interface QuoteResponse__Output {
  'circuitId': (string);
  'constraints': (string);
  /**
   * Cheapest first, then most likely on time.
   */
  'offers': (_proofmarket_v1_QuoteOffer__Output)[];
  /**
   * When there is no offer, why (in words).
   */
  'note': (string);
}
