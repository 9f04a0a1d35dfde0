// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/common.proto

import type { JobState as _proofmarket_v1_JobState, JobState__Output as _proofmarket_v1_JobState__Output } from '../../proofmarket/v1/JobState';
import type { Proof as _proofmarket_v1_Proof, Proof__Output as _proofmarket_v1_Proof__Output } from '../../proofmarket/v1/Proof';
import type { Long } from '@grpc/proto-loader';

/**
 * One partition of a partitioned job.
 */
export interface Partition {
  /**
   * 0…N−1.
   */
  'index'?: (number);
  /**
   * The partition's own unit id (the ledger's job id for its escrow, payout and slashes).
   */
  'unitId'?: (string);
  'state'?: (_proofmarket_v1_JobState);
  /**
   * The prover currently (or last) holding it; after DONE, the prover that proved it.
   */
  'proverId'?: (string);
  'attempts'?: (number);
  'progress'?: (number | string);
  'stage'?: (string);
  /**
   * Set when the partition is DONE (verified).
   */
  'proof'?: (_proofmarket_v1_Proof | null);
  'error'?: (string);
  /**
   * Micro-credits agreed with its prover (paid at its DONE).
   */
  'price'?: (number | string | Long);
  'backend'?: (string);
  'proveMs'?: (number | string | Long);
}

/**
 * One partition of a partitioned job.
 */
export interface Partition__Output {
  /**
   * 0…N−1.
   */
  'index': (number);
  /**
   * The partition's own unit id (the ledger's job id for its escrow, payout and slashes).
   */
  'unitId': (string);
  'state': (_proofmarket_v1_JobState__Output);
  /**
   * The prover currently (or last) holding it; after DONE, the prover that proved it.
   */
  'proverId': (string);
  'attempts': (number);
  'progress': (number);
  'stage': (string);
  /**
   * Set when the partition is DONE (verified).
   */
  'proof': (_proofmarket_v1_Proof__Output | null);
  'error': (string);
  /**
   * Micro-credits agreed with its prover (paid at its DONE).
   */
  'price': (string);
  'backend': (string);
  'proveMs': (string);
}
