// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/market.proto

import type { JobState as _proofmarket_v1_JobState, JobState__Output as _proofmarket_v1_JobState__Output } from '../../proofmarket/v1/JobState';

export interface ListJobsRequest {
  /**
   * Only jobs in this state; JOB_STATE_UNSPECIFIED = all.
   */
  'state'?: (_proofmarket_v1_JobState);
  /**
   * Only jobs of this circuit (id or name); empty = all.
   */
  'circuit'?: (string);
  /**
   * At most this many (default 100, max 1000).
   */
  'limit'?: (number);
}

export interface ListJobsRequest__Output {
  /**
   * Only jobs in this state; JOB_STATE_UNSPECIFIED = all.
   */
  'state': (_proofmarket_v1_JobState__Output);
  /**
   * Only jobs of this circuit (id or name); empty = all.
   */
  'circuit': (string);
  /**
   * At most this many (default 100, max 1000).
   */
  'limit': (number);
}
