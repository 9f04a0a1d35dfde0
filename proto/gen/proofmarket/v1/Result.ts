// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/prover.proto

import type { Proof as _proofmarket_v1_Proof, Proof__Output as _proofmarket_v1_Proof__Output } from '../../proofmarket/v1/Proof';
import type { Long } from '@grpc/proto-loader';

export interface Result {
  'jobId'?: (string);
  'leaseToken'?: (string);
  /**
   * A `filecoin-c2` job's proof travels in `proof.filecoin_proof` (partitions × 192 bytes).
   */
  'proof'?: (_proofmarket_v1_Proof | null);
  /**
   * The prover could not produce a proof; `error` says why. `retryable` false means the
   * input itself is bad (e.g. witness generation rejected it) and the job should FAIL.
   */
  'error'?: (string);
  'retryable'?: (boolean);
  'backend'?: (string);
  'proveMs'?: (number | string | Long);
  'outcome'?: "proof"|"error";
}

export interface Result__Output {
  'jobId': (string);
  'leaseToken': (string);
  /**
   * A `filecoin-c2` job's proof travels in `proof.filecoin_proof` (partitions × 192 bytes).
   */
  'proof'?: (_proofmarket_v1_Proof__Output | null);
  /**
   * The prover could not produce a proof; `error` says why. `retryable` false means the
   * input itself is bad (e.g. witness generation rejected it) and the job should FAIL.
   */
  'error'?: (string);
  'retryable': (boolean);
  'backend': (string);
  'proveMs': (string);
  'outcome'?: "proof"|"error";
}
