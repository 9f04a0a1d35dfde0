// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/accounts.proto

import type { Long } from '@grpc/proto-loader';

export interface WithdrawRequest {
  /**
   * Account name or id.
   */
  'account'?: (string);
  /**
   * Micro-credits, > 0 (at most 2^63 - 1; FAILED_PRECONDITION when the book holds less).
   */
  'amount'?: (number | string | Long);
  /**
   * The book paid out of: "available" (client credit, a prover operator's free stake; the
   * default when empty), "earnings" (prover operator) or "fees" (the market account).
   */
  'book'?: (string);
  /**
   * Free text for the ledger entry's explanation: at most 500 characters, control characters
   * removed (longer: INVALID_ARGUMENT, nothing moved).
   */
  'note'?: (string);
  /**
   * The caller's id for this withdrawal (e.g. its payout reference), [A-Za-z0-9_.:-]{1,128}.
   */
  'requestId'?: (string);
}

export interface WithdrawRequest__Output {
  /**
   * Account name or id.
   */
  'account': (string);
  /**
   * Micro-credits, > 0 (at most 2^63 - 1; FAILED_PRECONDITION when the book holds less).
   */
  'amount': (string);
  /**
   * The book paid out of: "available" (client credit, a prover operator's free stake; the
   * default when empty), "earnings" (prover operator) or "fees" (the market account).
   */
  'book': (string);
  /**
   * Free text for the ledger entry's explanation: at most 500 characters, control characters
   * removed (longer: INVALID_ARGUMENT, nothing moved).
   */
  'note': (string);
  /**
   * The caller's id for this withdrawal (e.g. its payout reference), [A-Za-z0-9_.:-]{1,128}.
   */
  'requestId': (string);
}
