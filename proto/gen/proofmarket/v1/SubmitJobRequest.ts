// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/market.proto

import type { PartitionPayload as _proofmarket_v1_PartitionPayload, PartitionPayload__Output as _proofmarket_v1_PartitionPayload__Output } from '../../proofmarket/v1/PartitionPayload';
import type { FilecoinC2Request as _proofmarket_v1_FilecoinC2Request, FilecoinC2Request__Output as _proofmarket_v1_FilecoinC2Request__Output } from '../../proofmarket/v1/FilecoinC2Request';
import type { Long } from '@grpc/proto-loader';

export interface SubmitJobRequest {
  /**
   * Client-chosen idempotency key (1..128 chars). Same key → same job.
   */
  'requestId'?: (string);
  /**
   * Circuit id or name.
   */
  'circuit'?: (string);
  /**
   * Input signals as JSON, exactly as `snarkjs wtns calculate` takes them
   * (decimal strings or numbers, nested arrays allowed).
   */
  'inputJson'?: (string);
  /**
   * A complete snarkjs .wtns file for this circuit.
   */
  'witness'?: (Buffer | Uint8Array | string);
  /**
   * Absolute deadline (ms since epoch); 0 = none. A job not DONE by then becomes EXPIRED.
   * INVALID_ARGUMENT when in the past or more than 365 days ahead.
   */
  'deadlineMs'?: (number | string | Long);
  /**
   * Highest price the client will pay for this proof, in micro-credits, held in escrow from
   * the caller's balance at submit (FAILED_PRECONDITION when the balance is short); 0 = only
   * provers that prove for free.
   */
  'maxPrice'?: (number | string | Long);
  /**
   * Probability (0..1) the broker should have of finishing before the deadline when it picks a
   * prover; 0 = the default 0.9. Ignored without a deadline.
   */
  'minOnTime'?: (number | string);
  /**
   * A partitioned job: N ≥ 2 payloads for the same circuit (e.g. a sector's partitions), instead
   * of the payload above (INVALID_ARGUMENT when both are set). ONE job to the client; the broker
   * runs each partition as its own unit and re-runs a failed or wrong one alone. max_price is per
   * partition: N × max_price is held in escrow at submit and each verified partition is paid on
   * its own. The idempotency hash covers every partition's payload, in order. At most 1024.
   */
  'partitions'?: (_proofmarket_v1_PartitionPayload)[];
  /**
   * The price offered now (micro-credits, at most max_price): only provers asking at most this are
   * assigned the job. With a deadline, when no prover at the offer is likely to meet it, the broker
   * raises the offer in steps up to max_price (each raise a "routing" event). 0 = the broker picks:
   * with a deadline, the cheapest ask likely on time among the connected provers (the max price
   * when none is); without one, the max price. The prover is paid its ask (never above the offer).
   * Ignored for a partitioned job (its partitions are offered max_price).
   */
  'offer'?: (number | string | Long);
  /**
   * A Filecoin Commit2 job (kind "filecoin-c2") on a c1.json uploaded with UploadC1; `circuit`
   * is then ignored (may be empty). Accepted only where the broker has a C2 verifier configured
   * (FAILED_PRECONDITION otherwise); NOT_FOUND when the caller has no complete upload of this hash.
   */
  'filecoinC2'?: (_proofmarket_v1_FilecoinC2Request | null);
  'payload'?: "inputJson"|"witness"|"filecoinC2";
}

export interface SubmitJobRequest__Output {
  /**
   * Client-chosen idempotency key (1..128 chars). Same key → same job.
   */
  'requestId': (string);
  /**
   * Circuit id or name.
   */
  'circuit': (string);
  /**
   * Input signals as JSON, exactly as `snarkjs wtns calculate` takes them
   * (decimal strings or numbers, nested arrays allowed).
   */
  'inputJson'?: (string);
  /**
   * A complete snarkjs .wtns file for this circuit.
   */
  'witness'?: (Buffer);
  /**
   * Absolute deadline (ms since epoch); 0 = none. A job not DONE by then becomes EXPIRED.
   * INVALID_ARGUMENT when in the past or more than 365 days ahead.
   */
  'deadlineMs': (string);
  /**
   * Highest price the client will pay for this proof, in micro-credits, held in escrow from
   * the caller's balance at submit (FAILED_PRECONDITION when the balance is short); 0 = only
   * provers that prove for free.
   */
  'maxPrice': (string);
  /**
   * Probability (0..1) the broker should have of finishing before the deadline when it picks a
   * prover; 0 = the default 0.9. Ignored without a deadline.
   */
  'minOnTime': (number);
  /**
   * A partitioned job: N ≥ 2 payloads for the same circuit (e.g. a sector's partitions), instead
   * of the payload above (INVALID_ARGUMENT when both are set). ONE job to the client; the broker
   * runs each partition as its own unit and re-runs a failed or wrong one alone. max_price is per
   * partition: N × max_price is held in escrow at submit and each verified partition is paid on
   * its own. The idempotency hash covers every partition's payload, in order. At most 1024.
   */
  'partitions': (_proofmarket_v1_PartitionPayload__Output)[];
  /**
   * The price offered now (micro-credits, at most max_price): only provers asking at most this are
   * assigned the job. With a deadline, when no prover at the offer is likely to meet it, the broker
   * raises the offer in steps up to max_price (each raise a "routing" event). 0 = the broker picks:
   * with a deadline, the cheapest ask likely on time among the connected provers (the max price
   * when none is); without one, the max price. The prover is paid its ask (never above the offer).
   * Ignored for a partitioned job (its partitions are offered max_price).
   */
  'offer': (string);
  /**
   * A Filecoin Commit2 job (kind "filecoin-c2") on a c1.json uploaded with UploadC1; `circuit`
   * is then ignored (may be empty). Accepted only where the broker has a C2 verifier configured
   * (FAILED_PRECONDITION otherwise); NOT_FOUND when the caller has no complete upload of this hash.
   */
  'filecoinC2'?: (_proofmarket_v1_FilecoinC2Request__Output | null);
  'payload'?: "inputJson"|"witness"|"filecoinC2";
}
