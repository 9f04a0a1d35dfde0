// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/market.proto

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
   * The price offered now (micro-credits, at most max_price): only provers asking at most this are
   * assigned the job. With a deadline, when no prover at the offer is likely to meet it, the broker
   * raises the offer in steps up to max_price (each raise a "routing" event). 0 = the broker picks:
   * with a deadline, the cheapest ask likely on time among the connected provers (the max price
   * when none is); without one, the max price. The prover is paid its ask (never above the offer).
   */
  'offer'?: (number | string | Long);
  'payload'?: "inputJson"|"witness";
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
   * The price offered now (micro-credits, at most max_price): only provers asking at most this are
   * assigned the job. With a deadline, when no prover at the offer is likely to meet it, the broker
   * raises the offer in steps up to max_price (each raise a "routing" event). 0 = the broker picks:
   * with a deadline, the cheapest ask likely on time among the connected provers (the max price
   * when none is); without one, the max price. The prover is paid its ask (never above the offer).
   */
  'offer': (string);
  'payload'?: "inputJson"|"witness";
}
