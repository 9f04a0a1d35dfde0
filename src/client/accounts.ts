// Typed client for the broker's Accounts service: accounts and keys (admin), deposits and withdrawals (admin),
// balances and the ledger. Amounts are decimal strings of micro-credits (never JS numbers).
import * as grpc from '@grpc/grpc-js';
import { channelCredentials, clientOptions, type ConnectOptions } from '../common/connect';
import {
  newAccountsClient, type Account__Output, type AccountsGrpcClient, type Balance__Output, type CreateAccountResponse__Output,
  type LedgerEntryMsg__Output,
} from '../common/proto';
import { BrokerPool } from './failover';
import { amountField, wrap } from './market';

export type { Account__Output as Account, Balance__Output as Balance, LedgerEntryMsg__Output as LedgerEntry };

export class AccountsClient {
  readonly pool: BrokerPool<AccountsGrpcClient>;

  /** `address`: HOST:PORT or a comma-separated list of brokers on one database (see MarketClient). */
  constructor(readonly address: string, connect: ConnectOptions = {}) {
    const creds = channelCredentials(connect); const opts = clientOptions(connect);
    this.pool = new BrokerPool(address, (a) => newAccountsClient(a, creds, opts));
  }

  get raw(): AccountsGrpcClient { return this.pool.client; }

  /** `once`: not retried on another broker (the call moves money). */
  private unary<Req, Res>(method: (req: Req, cb: grpc.requestCallback<Res>) => unknown, req: Req, once = false): Promise<Res> {
    return this.pool[once ? 'callOnce' : 'call']((raw) => new Promise<Res>((resolve, reject) => {
      method.call(raw, req, (err: grpc.ServiceError | null, res?: Res) => err ? reject(wrap(err)) : resolve(res as Res));
    }));
  }

  /** Admin: a new account and its API key (returned this once). */
  createAccount(name: string, role: 'client' | 'prover' | 'admin'): Promise<CreateAccountResponse__Output> {
    return this.unary(this.raw.createAccount, { name, role });
  }

  async listAccounts(): Promise<Account__Output[]> { return (await this.unary(this.raw.listAccounts, {})).accounts; }

  revokeKey(keyId: string): Promise<unknown> { return this.unary(this.raw.revokeKey, { keyId }); }

  /** Another API key for an account (default: the caller's own; others' only for admins), returned this once. */
  createKey(account = ''): Promise<CreateAccountResponse__Output> { return this.unary(this.raw.createKey, { account }); }

  whoAmI(): Promise<Account__Output> { return this.unary(this.raw.whoAmI, {}); }

  /**
   * Admin: credits `amount` micro-credits (decimal digits or a bigint) to the account (name or id);
   * `note` (at most 500 characters) goes into the ledger entry's explanation. Errors: see the Deposit
   * RPC; an amount the uint64 field cannot carry is refused here (INVALID_ARGUMENT, nothing sent).
   */
  async deposit(account: string, amount: string | bigint, note = ''): Promise<{ txId: string; balance: Balance__Output | null }> {
    return this.unary(this.raw.deposit, { account, amount: amountField(amount), note }, true);
  }

  /**
   * Admin: pays `amount` micro-credits out of the account's `book` (default "available";
   * "earnings" for a prover operator, "fees" for the market account) back to the mint. Safe to
   * retry, here and on another broker: one ledger transaction per `requestId` (`repeat`: this
   * call moved nothing). `amount`: decimal digits or a bigint; `note`: at most 500 characters, into
   * the ledger entry's explanation. Errors: see the Withdraw RPC (proto/proofmarket/v1/accounts.proto);
   * an amount the uint64 field cannot carry is refused here (INVALID_ARGUMENT, nothing sent).
   */
  async withdraw(account: string, amount: string | bigint, o: { requestId: string; book?: string; note?: string }): Promise<{ txId: string; balance: Balance__Output | null; repeat: boolean }> {
    return this.unary(this.raw.withdraw, { account, amount: amountField(amount), book: o.book ?? '', note: o.note ?? '', requestId: o.requestId });
  }

  /** The caller's balances, or (admin) another account's. */
  balance(account = ''): Promise<Balance__Output> { return this.unary(this.raw.getBalance, { account }); }

  async ledger(o: { jobId?: string; account?: string; limit?: number } = {}): Promise<LedgerEntryMsg__Output[]> {
    return (await this.unary(this.raw.listLedger, { jobId: o.jobId ?? '', account: o.account ?? '', limit: o.limit ?? 0 })).entries;
  }

  close(): void { this.pool.close(); }
}
