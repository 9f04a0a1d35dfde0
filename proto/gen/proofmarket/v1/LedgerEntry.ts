// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/accounts.proto

import type { Long } from '@grpc/proto-loader';

export interface LedgerEntry {
  'txId'?: (string);
  /**
   * The account's name.
   */
  'account'?: (string);
  /**
   * available | escrow | stake | earnings | fees | issued
   */
  'book'?: (string);
  /**
   * Signed micro-credits.
   */
  'amount'?: (number | string | Long);
  /**
   * deposit | escrow_hold | payout | market_fee | escrow_release | refund | stake_lock | stake_unlock | slash_compensation | slash_market
   */
  'reason'?: (string);
  'jobId'?: (string);
  'proverId'?: (string);
  'explanation'?: (string);
  'createdMs'?: (number | string | Long);
}

export interface LedgerEntry__Output {
  'txId': (string);
  /**
   * The account's name.
   */
  'account': (string);
  /**
   * available | escrow | stake | earnings | fees | issued
   */
  'book': (string);
  /**
   * Signed micro-credits.
   */
  'amount': (string);
  /**
   * deposit | escrow_hold | payout | market_fee | escrow_release | refund | stake_lock | stake_unlock | slash_compensation | slash_market
   */
  'reason': (string);
  'jobId': (string);
  'proverId': (string);
  'explanation': (string);
  'createdMs': (string);
}
