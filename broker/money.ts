// What money each job transition moves, as pure functions over bigint micro-credits. A store
// implementation applies the returned postings inside the transition's transaction; the posting's
// `key` is unique in the ledger, so a posting applied twice (a retry, a crash replay) moves nothing
// the second time. Every posting's legs sum to zero (checked by `assertBalanced`).
import type { Book, JobRecord, LedgerReason, MoneyPolicy } from './store/types';

export const MARKET_ID = 'a_market';
export const MINT_ID = 'a_mint';

export interface Leg { accountId: string; book: Book; amount: bigint; reason: LedgerReason }
export interface Posting { key: string; jobId: string; proverId: string; explanation: string; legs: Leg[] }

/** x * bps / 10000, rounded down. */
export function bps(x: bigint, basisPoints: number): bigint {
  return (x * BigInt(Math.round(basisPoints))) / 10_000n;
}

/** The largest amount a balance, a book or a single posting may hold: SQLite's INTEGER (2^63-1). */
export const MAX_AMOUNT = 9_223_372_036_854_775_807n;

/**
 * The largest single deposit, micro-credits (2^53-1, ~9.0e9 credits). Without a cap one mistyped
 * amount near MAX_AMOUNT used up the issuer's range, and every later deposit to any account was
 * refused (a Withdraw can take the credit back, but not give the range back to a mint that is
 * already full). Larger sums take several deposits.
 */
export const MAX_DEPOSIT = 9_007_199_254_740_991n;

/** A posting that would take a balance beyond ±MAX_AMOUNT (SQLite would silently turn it into an inexact REAL). */
export class AmountOverflowError extends RangeError {}

/** Parses a decimal micro-credit amount; throws on anything but a non-negative integer. */
export function parseAmount(v: string | number | bigint, what = 'amount'): bigint {
  const s = String(v).trim();
  // Up to 20 digits: every uint64 the wire carries is named as itself (2^64-1 is "above 2^63-1", not "not an integer").
  if (!/^\d{1,20}$/.test(s)) throw new RangeError(`${what} must be a non-negative integer of micro-credits, got "${String(v)}"`);
  const n = BigInt(s);
  if (n > MAX_AMOUNT) throw new RangeError(`${what} ${s} is above 2^63-1 micro-credits`);
  return n;
}

export function assertBalanced(p: Posting): void {
  const sum = p.legs.reduce((a, l) => a + l.amount, 0n);
  if (sum !== 0n) throw new Error(`ledger posting ${p.key} does not sum to zero (${sum})`);
}

/** The price a prover asks for a circuit: per-proof price + rate per million constraints (rounded up). */
export function askFor(price: bigint, perMConstraints: bigint, constraints: number): bigint {
  if (perMConstraints === 0n) return price;
  return price + (perMConstraints * BigInt(constraints) + 999_999n) / 1_000_000n;
}

export function stakeFor(price: bigint, p: MoneyPolicy): bigint { return bps(price, p.stakeBps); }

export function depositPosting(txKey: string, accountId: string, accountName: string, amount: bigint, note: string): Posting {
  return {
    key: txKey, jobId: '', proverId: '',
    explanation: `deposit of ${amount} to ${accountName}${note ? ` (${note})` : ''}`,
    legs: [
      { accountId: MINT_ID, book: 'issued', amount: -amount, reason: 'deposit' },
      { accountId, book: 'available', amount, reason: 'deposit' },
    ],
  };
}

/** Books an account of each role may be paid out of (Withdraw): never escrow, locked stake or the mint's issued. */
export const WITHDRAWABLE: Readonly<Record<string, readonly Book[]>> = {
  client: ['available'], prover: ['available', 'earnings'], admin: ['available'], system: ['fees'],
};

/** The posting of a withdrawal: `amount` out of the account's `book`, back to the mint. Keyed by the caller's request id. */
export function withdrawalPosting(requestId: string, accountId: string, accountName: string, book: Book, amount: bigint, note: string): Posting {
  return {
    key: `withdraw:${requestId}`, jobId: '', proverId: '',
    explanation: `withdrawal of ${amount} from ${accountName}'s ${book} (request ${requestId}${note ? `; ${note}` : ''})`,
    legs: [
      { accountId, book, amount: -amount, reason: 'withdrawal' },
      { accountId: MINT_ID, book: 'issued', amount, reason: 'withdrawal' },
    ],
  };
}

/**
 * What an earlier withdrawal under the same request id means for this one: 'repeat' when it
 * paid the same amount out of the same account and book, else 'conflict'. `prior`: that
 * transaction's non-mint leg.
 */
export function priorWithdrawal(prior: { accountId: string; book: string; amount: bigint }, accountId: string, book: Book, amount: bigint): 'repeat' | 'conflict' {
  return prior.accountId === accountId && prior.book === book && prior.amount === -amount ? 'repeat' : 'conflict';
}

export function holdPosting(jobId: string, ownerId: string, maxPrice: bigint): Posting {
  return {
    key: `hold:${jobId}`, jobId, proverId: '',
    explanation: `held ${maxPrice} in escrow for job ${jobId} (its max price) until a proof is verified or the job ends`,
    legs: [
      { accountId: ownerId, book: 'available', amount: -maxPrice, reason: 'escrow_hold' },
      { accountId: ownerId, book: 'escrow', amount: maxPrice, reason: 'escrow_hold' },
    ],
  };
}

export function lockPosting(jobId: string, proverId: string, operatorId: string, stake: bigint, price: bigint, token: string): Posting {
  return {
    key: `lock:${token}`, jobId, proverId,
    explanation: `locked ${stake} of prover ${proverId}'s stake while it holds the lease on job ${jobId} at price ${price}`,
    legs: [
      { accountId: operatorId, book: 'available', amount: -stake, reason: 'stake_lock' },
      { accountId: operatorId, book: 'stake', amount: stake, reason: 'stake_lock' },
    ],
  };
}

function unlockLegs(operatorId: string, stake: bigint): Leg[] {
  return [
    { accountId: operatorId, book: 'stake', amount: -stake, reason: 'stake_unlock' },
    { accountId: operatorId, book: 'available', amount: stake, reason: 'stake_unlock' },
  ];
}

export function unlockPosting(job: JobRecord, operatorId: string, why: string): Posting {
  const stake = BigInt(job.stake);
  return {
    key: `unlock:${job.leaseToken}`, jobId: job.id, proverId: job.proverId,
    explanation: `unlocked ${stake} of prover ${job.proverId}'s stake on job ${job.id}: ${why}`,
    legs: unlockLegs(operatorId, stake),
  };
}

/** At DONE: the agreed price to the prover (less the fee), the fee to the market, the rest back to the client; stake unlocked. */
export function settlePosting(job: JobRecord, operatorId: string, p: MoneyPolicy): Posting {
  const hold = BigInt(job.maxPrice); const price = BigInt(job.price); const stake = BigInt(job.stake);
  if (price > hold) throw new Error(`job ${job.id}: agreed price ${price} exceeds the escrow ${hold}`);
  const fee = bps(price, p.feeBps);
  return {
    key: `settle:${job.id}`, jobId: job.id, proverId: job.proverId,
    explanation: `job ${job.id} DONE (proof verified): paid prover ${job.proverId} ${price - fee} (price ${price} less market fee ${fee}), released ${hold - price} of the escrow to the client`,
    legs: [
      { accountId: job.ownerAccountId, book: 'escrow', amount: -hold, reason: 'payout' },
      { accountId: operatorId, book: 'earnings', amount: price - fee, reason: 'payout' },
      { accountId: MARKET_ID, book: 'fees', amount: fee, reason: 'market_fee' },
      { accountId: job.ownerAccountId, book: 'available', amount: hold - price, reason: 'escrow_release' },
      ...unlockLegs(operatorId, stake),
    ],
  };
}

/** Wrong proof or abandoned lease: the locked stake goes to the client (its share) and the market. */
export function slashPosting(job: JobRecord, operatorId: string, p: MoneyPolicy, verdict: string): Posting {
  const stake = BigInt(job.stake);
  const toClient = bps(stake, p.slashClientBps);
  return {
    key: `slash:${job.leaseToken}`, jobId: job.id, proverId: job.proverId,
    explanation: `slashed ${stake} of prover ${job.proverId}'s stake on job ${job.id} (${toClient} to the client, ${stake - toClient} to the market): ${verdict}`,
    legs: [
      { accountId: operatorId, book: 'stake', amount: -stake, reason: 'slash_compensation' },
      { accountId: job.ownerAccountId, book: 'available', amount: toClient, reason: 'slash_compensation' },
      { accountId: MARKET_ID, book: 'fees', amount: stake - toClient, reason: 'slash_market' },
    ],
  };
}

/** FAILED / EXPIRED / CANCELLED: the whole escrow back to the client. */
export function refundPosting(job: JobRecord, state: string, why: string): Posting {
  const hold = BigInt(job.maxPrice);
  return {
    key: `refund:${job.id}`, jobId: job.id, proverId: job.proverId,
    explanation: `refunded ${hold} of escrow to the client: job ${job.id} ${state} (${why})`,
    legs: [
      { accountId: job.ownerAccountId, book: 'escrow', amount: -hold, reason: 'refund' },
      { accountId: job.ownerAccountId, book: 'available', amount: hold, reason: 'refund' },
    ],
  };
}
