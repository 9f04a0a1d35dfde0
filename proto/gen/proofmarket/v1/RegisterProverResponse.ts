// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/prover.proto

import type { Long } from '@grpc/proto-loader';

export interface RegisterProverResponse {
  'proverId'?: (string);
  /**
   * How often the broker expects a heartbeat, and how long a lease lasts without one.
   */
  'heartbeatMs'?: (number);
  'leaseMs'?: (number);
  /**
   * Set only when this Register issued a new secret: keep it, it is never shown again.
   */
  'proverSecret'?: (string);
  /**
   * The session epoch this Register started; `hello` must carry it.
   */
  'sessionEpoch'?: (number | string | Long);
}

export interface RegisterProverResponse__Output {
  'proverId': (string);
  /**
   * How often the broker expects a heartbeat, and how long a lease lasts without one.
   */
  'heartbeatMs': (number);
  'leaseMs': (number);
  /**
   * Set only when this Register issued a new secret: keep it, it is never shown again.
   */
  'proverSecret': (string);
  /**
   * The session epoch this Register started; `hello` must carry it.
   */
  'sessionEpoch': (string);
}
