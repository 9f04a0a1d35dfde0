// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/common.proto

import type { JobState as _proofmarket_v1_JobState, JobState__Output as _proofmarket_v1_JobState__Output } from '../../proofmarket/v1/JobState';
import type { Proof as _proofmarket_v1_Proof, Proof__Output as _proofmarket_v1_Proof__Output } from '../../proofmarket/v1/Proof';
import type { Partition as _proofmarket_v1_Partition, Partition__Output as _proofmarket_v1_Partition__Output } from '../../proofmarket/v1/Partition';
import type { FilecoinC2Job as _proofmarket_v1_FilecoinC2Job, FilecoinC2Job__Output as _proofmarket_v1_FilecoinC2Job__Output } from '../../proofmarket/v1/FilecoinC2Job';
import type { Long } from '@grpc/proto-loader';

export interface Job {
  'id'?: (string);
  'requestId'?: (string);
  'circuitId'?: (string);
  'state'?: (_proofmarket_v1_JobState);
  /**
   * Attempts started so far (assignments), and the cap after which the job FAILS.
   */
  'attempts'?: (number);
  'maxAttempts'?: (number);
  /**
   * Prover currently (or last) holding the job, if any.
   */
  'proverId'?: (string);
  /**
   * 0..1 progress of the current attempt: never decreases within an attempt (a new attempt
   * starts again from 0, with `attempts` one higher).
   */
  'progress'?: (number | string);
  /**
   * Set when state is DONE.
   */
  'proof'?: (_proofmarket_v1_Proof | null);
  /**
   * Human-readable reason for FAILED / EXPIRED / CANCELLED, or the last attempt's error.
   */
  'error'?: (string);
  'createdMs'?: (number | string | Long);
  'updatedMs'?: (number | string | Long);
  'deadlineMs'?: (number | string | Long);
  /**
   * Backend that produced the proof ("snarkjs", "cpu", "cuda").
   */
  'backend'?: (string);
  /**
   * Milliseconds the prover spent on the accepted proof (witness + prove).
   */
  'proveMs'?: (number | string | Long);
  'maxPrice'?: (number | string | Long);
  /**
   * Micro-credits agreed with the prover at assignment (paid at DONE); 0 before any assignment.
   */
  'price'?: (number | string | Long);
  /**
   * In words: why a QUEUED job is not assigned yet, or the latest routing/escalation step
   * (e.g. "no prover can meet the deadline: best ETA 12.0 s (p=0.42)"). Empty when nothing to say.
   */
  'routing'?: (string);
  /**
   * The on-time probability the client asked for (0..1).
   */
  'minOnTime'?: (number | string);
  /**
   * What the current attempt is doing: "" (not started), "fetching", "witness", "ntt", "msm",
   * "proving" (a backend without finer stages), "verifying" (the broker checks the proof).
   */
  'stage'?: (string);
  /**
   * The job's circuit was registered with --allow-insecure-setup (no phase-2 contribution): its
   * proofs can be forged by anyone, whatever the broker verifies.
   */
  'circuitInsecure'?: (boolean);
  /**
   * A partitioned job (SubmitJobRequest.partitions): its partitions in order, each run as its own
   * unit (lease, attempts, verification, price). Empty for a single-payload job. The job's state is
   * DONE when every partition is; FAILED/EXPIRED/CANCELLED once every partition has ended and one
   * did not verify (the others are then cancelled and refunded); otherwise the furthest live state
   * of its partitions. `proof` is unset, `progress` is the mean over partitions, `price` the sum
   * agreed so far and `max_price` the per-partition bound.
   */
  'partitions'?: (_proofmarket_v1_Partition)[];
  /**
   * How many partitions have verified (k of N).
   */
  'partitionsDone'?: (number);
  /**
   * For a DONE partitioned job on BLS12-381: Filecoin's N × 192-byte proof encoding (compressed
   * A, B, C per partition, in partition order; src/common/filecoin.ts). For a DONE filecoin-c2 job:
   * its proof as the verifier command accepted it (partitions × 192 bytes; `proof` is then unset).
   */
  'proofBin'?: (Buffer | Uint8Array | string);
  /**
   * "groth16" (a proof of a registered circuit) or "filecoin-c2" (a Filecoin Commit2 on an
   * uploaded c1.json, proved by an operator's external command; `circuit_id` is then the broker's
   * built-in "filecoin-c2.<proof type>.<partitions>" pseudo-circuit and `filecoin_c2` says what).
   */
  'kind'?: (string);
  'filecoinC2'?: (_proofmarket_v1_FilecoinC2Job | null);
  /**
   * The price offered now (micro-credits; ≤ max_price): raised in steps towards max_price while no
   * prover at the offer is likely to meet the deadline (SubmitJobRequest.offer).
   */
  'offer'?: (number | string | Long);
}

export interface Job__Output {
  'id': (string);
  'requestId': (string);
  'circuitId': (string);
  'state': (_proofmarket_v1_JobState__Output);
  /**
   * Attempts started so far (assignments), and the cap after which the job FAILS.
   */
  'attempts': (number);
  'maxAttempts': (number);
  /**
   * Prover currently (or last) holding the job, if any.
   */
  'proverId': (string);
  /**
   * 0..1 progress of the current attempt: never decreases within an attempt (a new attempt
   * starts again from 0, with `attempts` one higher).
   */
  'progress': (number);
  /**
   * Set when state is DONE.
   */
  'proof': (_proofmarket_v1_Proof__Output | null);
  /**
   * Human-readable reason for FAILED / EXPIRED / CANCELLED, or the last attempt's error.
   */
  'error': (string);
  'createdMs': (string);
  'updatedMs': (string);
  'deadlineMs': (string);
  /**
   * Backend that produced the proof ("snarkjs", "cpu", "cuda").
   */
  'backend': (string);
  /**
   * Milliseconds the prover spent on the accepted proof (witness + prove).
   */
  'proveMs': (string);
  'maxPrice': (string);
  /**
   * Micro-credits agreed with the prover at assignment (paid at DONE); 0 before any assignment.
   */
  'price': (string);
  /**
   * In words: why a QUEUED job is not assigned yet, or the latest routing/escalation step
   * (e.g. "no prover can meet the deadline: best ETA 12.0 s (p=0.42)"). Empty when nothing to say.
   */
  'routing': (string);
  /**
   * The on-time probability the client asked for (0..1).
   */
  'minOnTime': (number);
  /**
   * What the current attempt is doing: "" (not started), "fetching", "witness", "ntt", "msm",
   * "proving" (a backend without finer stages), "verifying" (the broker checks the proof).
   */
  'stage': (string);
  /**
   * The job's circuit was registered with --allow-insecure-setup (no phase-2 contribution): its
   * proofs can be forged by anyone, whatever the broker verifies.
   */
  'circuitInsecure': (boolean);
  /**
   * A partitioned job (SubmitJobRequest.partitions): its partitions in order, each run as its own
   * unit (lease, attempts, verification, price). Empty for a single-payload job. The job's state is
   * DONE when every partition is; FAILED/EXPIRED/CANCELLED once every partition has ended and one
   * did not verify (the others are then cancelled and refunded); otherwise the furthest live state
   * of its partitions. `proof` is unset, `progress` is the mean over partitions, `price` the sum
   * agreed so far and `max_price` the per-partition bound.
   */
  'partitions': (_proofmarket_v1_Partition__Output)[];
  /**
   * How many partitions have verified (k of N).
   */
  'partitionsDone': (number);
  /**
   * For a DONE partitioned job on BLS12-381: Filecoin's N × 192-byte proof encoding (compressed
   * A, B, C per partition, in partition order; src/common/filecoin.ts). For a DONE filecoin-c2 job:
   * its proof as the verifier command accepted it (partitions × 192 bytes; `proof` is then unset).
   */
  'proofBin': (Buffer);
  /**
   * "groth16" (a proof of a registered circuit) or "filecoin-c2" (a Filecoin Commit2 on an
   * uploaded c1.json, proved by an operator's external command; `circuit_id` is then the broker's
   * built-in "filecoin-c2.<proof type>.<partitions>" pseudo-circuit and `filecoin_c2` says what).
   */
  'kind': (string);
  'filecoinC2': (_proofmarket_v1_FilecoinC2Job__Output | null);
  /**
   * The price offered now (micro-credits; ≤ max_price): raised in steps towards max_price while no
   * prover at the offer is likely to meet the deadline (SubmitJobRequest.offer).
   */
  'offer': (string);
}
