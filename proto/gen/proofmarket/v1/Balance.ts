// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/accounts.proto

import type { Long } from '@grpc/proto-loader';

export interface Balance {
  'account'?: (string);
  'role'?: (string);
  /**
   * Client: spendable, and held for live jobs.
   */
  'available'?: (number | string | Long);
  'escrow'?: (number | string | Long);
  /**
   * Prover operator: stake locked by current leases, and what it has earned.
   */
  'stake'?: (number | string | Long);
  'earnings'?: (number | string | Long);
  /**
   * Market account: fees and slashed stake it kept.
   */
  'fees'?: (number | string | Long);
}

export interface Balance__Output {
  'account': (string);
  'role': (string);
  /**
   * Client: spendable, and held for live jobs.
   */
  'available': (string);
  'escrow': (string);
  /**
   * Prover operator: stake locked by current leases, and what it has earned.
   */
  'stake': (string);
  'earnings': (string);
  /**
   * Market account: fees and slashed stake it kept.
   */
  'fees': (string);
}
