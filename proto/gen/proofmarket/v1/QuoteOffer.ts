// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/market.proto

import type { Long } from '@grpc/proto-loader';

export interface QuoteOffer {
  'proverId'?: (string);
  'proverName'?: (string);
  /**
   * The prover's ask for this circuit, micro-credits.
   */
  'price'?: (number | string | Long);
  /**
   * ETA from now to a verified proof, ms: median and 90th percentile, queue included.
   */
  'etaP50Ms'?: (number | string | Long);
  'etaP90Ms'?: (number | string | Long);
  /**
   * Expected wait before this prover can start the job (its queue), ms.
   */
  'queueMs'?: (number | string | Long);
  /**
   * Probability (0..1) of finishing before the deadline.
   */
  'onTimeProbability'?: (number | string);
  /**
   * How many measurements the ETA rests on (0: a prior from the prover's own bench figures).
   */
  'samples'?: (number);
  /**
   * "active", "demoted", "suspended", "admitting" (challenges pending) or "offline".
   */
  'state'?: (string);
}

export interface QuoteOffer__Output {
  'proverId': (string);
  'proverName': (string);
  /**
   * The prover's ask for this circuit, micro-credits.
   */
  'price': (string);
  /**
   * ETA from now to a verified proof, ms: median and 90th percentile, queue included.
   */
  'etaP50Ms': (string);
  'etaP90Ms': (string);
  /**
   * Expected wait before this prover can start the job (its queue), ms.
   */
  'queueMs': (string);
  /**
   * Probability (0..1) of finishing before the deadline.
   */
  'onTimeProbability': (number);
  /**
   * How many measurements the ETA rests on (0: a prior from the prover's own bench figures).
   */
  'samples': (number);
  /**
   * "active", "demoted", "suspended", "admitting" (challenges pending) or "offline".
   */
  'state': (string);
}
