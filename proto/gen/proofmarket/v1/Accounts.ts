// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/accounts.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Account as _proofmarket_v1_Account, Account__Output as _proofmarket_v1_Account__Output } from '../../proofmarket/v1/Account';
import type { Balance as _proofmarket_v1_Balance, Balance__Output as _proofmarket_v1_Balance__Output } from '../../proofmarket/v1/Balance';
import type { CreateAccountRequest as _proofmarket_v1_CreateAccountRequest, CreateAccountRequest__Output as _proofmarket_v1_CreateAccountRequest__Output } from '../../proofmarket/v1/CreateAccountRequest';
import type { CreateAccountResponse as _proofmarket_v1_CreateAccountResponse, CreateAccountResponse__Output as _proofmarket_v1_CreateAccountResponse__Output } from '../../proofmarket/v1/CreateAccountResponse';
import type { CreateKeyRequest as _proofmarket_v1_CreateKeyRequest, CreateKeyRequest__Output as _proofmarket_v1_CreateKeyRequest__Output } from '../../proofmarket/v1/CreateKeyRequest';
import type { DepositRequest as _proofmarket_v1_DepositRequest, DepositRequest__Output as _proofmarket_v1_DepositRequest__Output } from '../../proofmarket/v1/DepositRequest';
import type { DepositResponse as _proofmarket_v1_DepositResponse, DepositResponse__Output as _proofmarket_v1_DepositResponse__Output } from '../../proofmarket/v1/DepositResponse';
import type { GetBalanceRequest as _proofmarket_v1_GetBalanceRequest, GetBalanceRequest__Output as _proofmarket_v1_GetBalanceRequest__Output } from '../../proofmarket/v1/GetBalanceRequest';
import type { ListAccountsRequest as _proofmarket_v1_ListAccountsRequest, ListAccountsRequest__Output as _proofmarket_v1_ListAccountsRequest__Output } from '../../proofmarket/v1/ListAccountsRequest';
import type { ListAccountsResponse as _proofmarket_v1_ListAccountsResponse, ListAccountsResponse__Output as _proofmarket_v1_ListAccountsResponse__Output } from '../../proofmarket/v1/ListAccountsResponse';
import type { ListLedgerRequest as _proofmarket_v1_ListLedgerRequest, ListLedgerRequest__Output as _proofmarket_v1_ListLedgerRequest__Output } from '../../proofmarket/v1/ListLedgerRequest';
import type { ListLedgerResponse as _proofmarket_v1_ListLedgerResponse, ListLedgerResponse__Output as _proofmarket_v1_ListLedgerResponse__Output } from '../../proofmarket/v1/ListLedgerResponse';
import type { RevokeKeyRequest as _proofmarket_v1_RevokeKeyRequest, RevokeKeyRequest__Output as _proofmarket_v1_RevokeKeyRequest__Output } from '../../proofmarket/v1/RevokeKeyRequest';
import type { RevokeKeyResponse as _proofmarket_v1_RevokeKeyResponse, RevokeKeyResponse__Output as _proofmarket_v1_RevokeKeyResponse__Output } from '../../proofmarket/v1/RevokeKeyResponse';
import type { WhoAmIRequest as _proofmarket_v1_WhoAmIRequest, WhoAmIRequest__Output as _proofmarket_v1_WhoAmIRequest__Output } from '../../proofmarket/v1/WhoAmIRequest';
import type { WithdrawRequest as _proofmarket_v1_WithdrawRequest, WithdrawRequest__Output as _proofmarket_v1_WithdrawRequest__Output } from '../../proofmarket/v1/WithdrawRequest';
import type { WithdrawResponse as _proofmarket_v1_WithdrawResponse, WithdrawResponse__Output as _proofmarket_v1_WithdrawResponse__Output } from '../../proofmarket/v1/WithdrawResponse';

export interface AccountsClient extends grpc.Client {
  /**
   * Creates an account and its first API key, returned once (only its hash is kept). Admin only.
   * Errors: INVALID_ARGUMENT (bad name or role), ALREADY_EXISTS (name taken).
   */
  CreateAccount(argument: _proofmarket_v1_CreateAccountRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  CreateAccount(argument: _proofmarket_v1_CreateAccountRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  CreateAccount(argument: _proofmarket_v1_CreateAccountRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  CreateAccount(argument: _proofmarket_v1_CreateAccountRequest, callback: grpc.requestCallback<_proofmarket_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Creates an account and its first API key, returned once (only its hash is kept). Admin only.
   * Errors: INVALID_ARGUMENT (bad name or role), ALREADY_EXISTS (name taken).
   */
  createAccount(argument: _proofmarket_v1_CreateAccountRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  createAccount(argument: _proofmarket_v1_CreateAccountRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  createAccount(argument: _proofmarket_v1_CreateAccountRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  createAccount(argument: _proofmarket_v1_CreateAccountRequest, callback: grpc.requestCallback<_proofmarket_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Issues another API key for an account, returned once (only its hash is kept): to rotate a key,
   * create the new one, switch to it, revoke the old one. Admin for any account; any caller for its
   * own. Errors: NOT_FOUND (unknown account), PERMISSION_DENIED (another's account, not admin).
   * The answer has the same shape as CreateAccount's: the account, and the new key and its id.
   */
  CreateKey(argument: _proofmarket_v1_CreateKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  CreateKey(argument: _proofmarket_v1_CreateKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  CreateKey(argument: _proofmarket_v1_CreateKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  CreateKey(argument: _proofmarket_v1_CreateKeyRequest, callback: grpc.requestCallback<_proofmarket_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Issues another API key for an account, returned once (only its hash is kept): to rotate a key,
   * create the new one, switch to it, revoke the old one. Admin for any account; any caller for its
   * own. Errors: NOT_FOUND (unknown account), PERMISSION_DENIED (another's account, not admin).
   * The answer has the same shape as CreateAccount's: the account, and the new key and its id.
   */
  createKey(argument: _proofmarket_v1_CreateKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  createKey(argument: _proofmarket_v1_CreateKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  createKey(argument: _proofmarket_v1_CreateKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  createKey(argument: _proofmarket_v1_CreateKeyRequest, callback: grpc.requestCallback<_proofmarket_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Credits an account from the mint (admin only). A prover operator's deposit is its stake.
   * Errors: NOT_FOUND (unknown account), INVALID_ARGUMENT (amount not a positive integer or above
   * 2^53 - 1, note over 500 characters).
   */
  Deposit(argument: _proofmarket_v1_DepositRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_DepositResponse__Output>): grpc.ClientUnaryCall;
  Deposit(argument: _proofmarket_v1_DepositRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_DepositResponse__Output>): grpc.ClientUnaryCall;
  Deposit(argument: _proofmarket_v1_DepositRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_DepositResponse__Output>): grpc.ClientUnaryCall;
  Deposit(argument: _proofmarket_v1_DepositRequest, callback: grpc.requestCallback<_proofmarket_v1_DepositResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Credits an account from the mint (admin only). A prover operator's deposit is its stake.
   * Errors: NOT_FOUND (unknown account), INVALID_ARGUMENT (amount not a positive integer or above
   * 2^53 - 1, note over 500 characters).
   */
  deposit(argument: _proofmarket_v1_DepositRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_DepositResponse__Output>): grpc.ClientUnaryCall;
  deposit(argument: _proofmarket_v1_DepositRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_DepositResponse__Output>): grpc.ClientUnaryCall;
  deposit(argument: _proofmarket_v1_DepositRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_DepositResponse__Output>): grpc.ClientUnaryCall;
  deposit(argument: _proofmarket_v1_DepositRequest, callback: grpc.requestCallback<_proofmarket_v1_DepositResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Balances of the caller's account, or (admin) of any account.
   */
  GetBalance(argument: _proofmarket_v1_GetBalanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Balance__Output>): grpc.ClientUnaryCall;
  GetBalance(argument: _proofmarket_v1_GetBalanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_Balance__Output>): grpc.ClientUnaryCall;
  GetBalance(argument: _proofmarket_v1_GetBalanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Balance__Output>): grpc.ClientUnaryCall;
  GetBalance(argument: _proofmarket_v1_GetBalanceRequest, callback: grpc.requestCallback<_proofmarket_v1_Balance__Output>): grpc.ClientUnaryCall;
  /**
   * Balances of the caller's account, or (admin) of any account.
   */
  getBalance(argument: _proofmarket_v1_GetBalanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Balance__Output>): grpc.ClientUnaryCall;
  getBalance(argument: _proofmarket_v1_GetBalanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_Balance__Output>): grpc.ClientUnaryCall;
  getBalance(argument: _proofmarket_v1_GetBalanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Balance__Output>): grpc.ClientUnaryCall;
  getBalance(argument: _proofmarket_v1_GetBalanceRequest, callback: grpc.requestCallback<_proofmarket_v1_Balance__Output>): grpc.ClientUnaryCall;
  
  /**
   * Lists accounts (admin only).
   */
  ListAccounts(argument: _proofmarket_v1_ListAccountsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_ListAccountsResponse__Output>): grpc.ClientUnaryCall;
  ListAccounts(argument: _proofmarket_v1_ListAccountsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_ListAccountsResponse__Output>): grpc.ClientUnaryCall;
  ListAccounts(argument: _proofmarket_v1_ListAccountsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_ListAccountsResponse__Output>): grpc.ClientUnaryCall;
  ListAccounts(argument: _proofmarket_v1_ListAccountsRequest, callback: grpc.requestCallback<_proofmarket_v1_ListAccountsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Lists accounts (admin only).
   */
  listAccounts(argument: _proofmarket_v1_ListAccountsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_ListAccountsResponse__Output>): grpc.ClientUnaryCall;
  listAccounts(argument: _proofmarket_v1_ListAccountsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_ListAccountsResponse__Output>): grpc.ClientUnaryCall;
  listAccounts(argument: _proofmarket_v1_ListAccountsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_ListAccountsResponse__Output>): grpc.ClientUnaryCall;
  listAccounts(argument: _proofmarket_v1_ListAccountsRequest, callback: grpc.requestCallback<_proofmarket_v1_ListAccountsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Ledger entries, newest first: the caller's own, or (admin) any account's / job's.
   */
  ListLedger(argument: _proofmarket_v1_ListLedgerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_ListLedgerResponse__Output>): grpc.ClientUnaryCall;
  ListLedger(argument: _proofmarket_v1_ListLedgerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_ListLedgerResponse__Output>): grpc.ClientUnaryCall;
  ListLedger(argument: _proofmarket_v1_ListLedgerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_ListLedgerResponse__Output>): grpc.ClientUnaryCall;
  ListLedger(argument: _proofmarket_v1_ListLedgerRequest, callback: grpc.requestCallback<_proofmarket_v1_ListLedgerResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Ledger entries, newest first: the caller's own, or (admin) any account's / job's.
   */
  listLedger(argument: _proofmarket_v1_ListLedgerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_ListLedgerResponse__Output>): grpc.ClientUnaryCall;
  listLedger(argument: _proofmarket_v1_ListLedgerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_ListLedgerResponse__Output>): grpc.ClientUnaryCall;
  listLedger(argument: _proofmarket_v1_ListLedgerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_ListLedgerResponse__Output>): grpc.ClientUnaryCall;
  listLedger(argument: _proofmarket_v1_ListLedgerRequest, callback: grpc.requestCallback<_proofmarket_v1_ListLedgerResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Revokes an API key by id (admin, or the key's own account). NOT_FOUND if unknown or already revoked.
   */
  RevokeKey(argument: _proofmarket_v1_RevokeKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  RevokeKey(argument: _proofmarket_v1_RevokeKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  RevokeKey(argument: _proofmarket_v1_RevokeKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  RevokeKey(argument: _proofmarket_v1_RevokeKeyRequest, callback: grpc.requestCallback<_proofmarket_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Revokes an API key by id (admin, or the key's own account). NOT_FOUND if unknown or already revoked.
   */
  revokeKey(argument: _proofmarket_v1_RevokeKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  revokeKey(argument: _proofmarket_v1_RevokeKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  revokeKey(argument: _proofmarket_v1_RevokeKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  revokeKey(argument: _proofmarket_v1_RevokeKeyRequest, callback: grpc.requestCallback<_proofmarket_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Who am I: the calling account.
   */
  WhoAmI(argument: _proofmarket_v1_WhoAmIRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Account__Output>): grpc.ClientUnaryCall;
  WhoAmI(argument: _proofmarket_v1_WhoAmIRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_Account__Output>): grpc.ClientUnaryCall;
  WhoAmI(argument: _proofmarket_v1_WhoAmIRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Account__Output>): grpc.ClientUnaryCall;
  WhoAmI(argument: _proofmarket_v1_WhoAmIRequest, callback: grpc.requestCallback<_proofmarket_v1_Account__Output>): grpc.ClientUnaryCall;
  /**
   * Who am I: the calling account.
   */
  whoAmI(argument: _proofmarket_v1_WhoAmIRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Account__Output>): grpc.ClientUnaryCall;
  whoAmI(argument: _proofmarket_v1_WhoAmIRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_Account__Output>): grpc.ClientUnaryCall;
  whoAmI(argument: _proofmarket_v1_WhoAmIRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Account__Output>): grpc.ClientUnaryCall;
  whoAmI(argument: _proofmarket_v1_WhoAmIRequest, callback: grpc.requestCallback<_proofmarket_v1_Account__Output>): grpc.ClientUnaryCall;
  
  /**
   * Pays micro-credits out of an account back to the mint (admin only): a prover operator's
   * earnings or free stake, a client's unspent credit, the market's fees, once paid outside the
   * market; also how a mistaken deposit is reversed. Never touches escrow or locked stake. One
   * ledger transaction per request_id: a repeat (a retry, another broker) answers the first
   * withdrawal's tx and moves nothing. Errors: NOT_FOUND (unknown account), INVALID_ARGUMENT
   * (amount not a positive integer, book not one the account has, request_id missing or over 128
   * characters, or already used for another account, book or amount; note over 500 characters),
   * FAILED_PRECONDITION (the book holds less than amount: nothing moved).
   */
  Withdraw(argument: _proofmarket_v1_WithdrawRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_WithdrawResponse__Output>): grpc.ClientUnaryCall;
  Withdraw(argument: _proofmarket_v1_WithdrawRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_WithdrawResponse__Output>): grpc.ClientUnaryCall;
  Withdraw(argument: _proofmarket_v1_WithdrawRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_WithdrawResponse__Output>): grpc.ClientUnaryCall;
  Withdraw(argument: _proofmarket_v1_WithdrawRequest, callback: grpc.requestCallback<_proofmarket_v1_WithdrawResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Pays micro-credits out of an account back to the mint (admin only): a prover operator's
   * earnings or free stake, a client's unspent credit, the market's fees, once paid outside the
   * market; also how a mistaken deposit is reversed. Never touches escrow or locked stake. One
   * ledger transaction per request_id: a repeat (a retry, another broker) answers the first
   * withdrawal's tx and moves nothing. Errors: NOT_FOUND (unknown account), INVALID_ARGUMENT
   * (amount not a positive integer, book not one the account has, request_id missing or over 128
   * characters, or already used for another account, book or amount; note over 500 characters),
   * FAILED_PRECONDITION (the book holds less than amount: nothing moved).
   */
  withdraw(argument: _proofmarket_v1_WithdrawRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_WithdrawResponse__Output>): grpc.ClientUnaryCall;
  withdraw(argument: _proofmarket_v1_WithdrawRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_WithdrawResponse__Output>): grpc.ClientUnaryCall;
  withdraw(argument: _proofmarket_v1_WithdrawRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_WithdrawResponse__Output>): grpc.ClientUnaryCall;
  withdraw(argument: _proofmarket_v1_WithdrawRequest, callback: grpc.requestCallback<_proofmarket_v1_WithdrawResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface AccountsHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Creates an account and its first API key, returned once (only its hash is kept). Admin only.
   * Errors: INVALID_ARGUMENT (bad name or role), ALREADY_EXISTS (name taken).
   */
  CreateAccount: grpc.handleUnaryCall<_proofmarket_v1_CreateAccountRequest__Output, _proofmarket_v1_CreateAccountResponse>;
  
  /**
   * Issues another API key for an account, returned once (only its hash is kept): to rotate a key,
   * create the new one, switch to it, revoke the old one. Admin for any account; any caller for its
   * own. Errors: NOT_FOUND (unknown account), PERMISSION_DENIED (another's account, not admin).
   * The answer has the same shape as CreateAccount's: the account, and the new key and its id.
   */
  CreateKey: grpc.handleUnaryCall<_proofmarket_v1_CreateKeyRequest__Output, _proofmarket_v1_CreateAccountResponse>;
  
  /**
   * Credits an account from the mint (admin only). A prover operator's deposit is its stake.
   * Errors: NOT_FOUND (unknown account), INVALID_ARGUMENT (amount not a positive integer or above
   * 2^53 - 1, note over 500 characters).
   */
  Deposit: grpc.handleUnaryCall<_proofmarket_v1_DepositRequest__Output, _proofmarket_v1_DepositResponse>;
  
  /**
   * Balances of the caller's account, or (admin) of any account.
   */
  GetBalance: grpc.handleUnaryCall<_proofmarket_v1_GetBalanceRequest__Output, _proofmarket_v1_Balance>;
  
  /**
   * Lists accounts (admin only).
   */
  ListAccounts: grpc.handleUnaryCall<_proofmarket_v1_ListAccountsRequest__Output, _proofmarket_v1_ListAccountsResponse>;
  
  /**
   * Ledger entries, newest first: the caller's own, or (admin) any account's / job's.
   */
  ListLedger: grpc.handleUnaryCall<_proofmarket_v1_ListLedgerRequest__Output, _proofmarket_v1_ListLedgerResponse>;
  
  /**
   * Revokes an API key by id (admin, or the key's own account). NOT_FOUND if unknown or already revoked.
   */
  RevokeKey: grpc.handleUnaryCall<_proofmarket_v1_RevokeKeyRequest__Output, _proofmarket_v1_RevokeKeyResponse>;
  
  /**
   * Who am I: the calling account.
   */
  WhoAmI: grpc.handleUnaryCall<_proofmarket_v1_WhoAmIRequest__Output, _proofmarket_v1_Account>;
  
  /**
   * Pays micro-credits out of an account back to the mint (admin only): a prover operator's
   * earnings or free stake, a client's unspent credit, the market's fees, once paid outside the
   * market; also how a mistaken deposit is reversed. Never touches escrow or locked stake. One
   * ledger transaction per request_id: a repeat (a retry, another broker) answers the first
   * withdrawal's tx and moves nothing. Errors: NOT_FOUND (unknown account), INVALID_ARGUMENT
   * (amount not a positive integer, book not one the account has, request_id missing or over 128
   * characters, or already used for another account, book or amount; note over 500 characters),
   * FAILED_PRECONDITION (the book holds less than amount: nothing moved).
   */
  Withdraw: grpc.handleUnaryCall<_proofmarket_v1_WithdrawRequest__Output, _proofmarket_v1_WithdrawResponse>;
  
}

export interface AccountsDefinition extends grpc.ServiceDefinition {
  CreateAccount: MethodDefinition<_proofmarket_v1_CreateAccountRequest, _proofmarket_v1_CreateAccountResponse, _proofmarket_v1_CreateAccountRequest__Output, _proofmarket_v1_CreateAccountResponse__Output>
  CreateKey: MethodDefinition<_proofmarket_v1_CreateKeyRequest, _proofmarket_v1_CreateAccountResponse, _proofmarket_v1_CreateKeyRequest__Output, _proofmarket_v1_CreateAccountResponse__Output>
  Deposit: MethodDefinition<_proofmarket_v1_DepositRequest, _proofmarket_v1_DepositResponse, _proofmarket_v1_DepositRequest__Output, _proofmarket_v1_DepositResponse__Output>
  GetBalance: MethodDefinition<_proofmarket_v1_GetBalanceRequest, _proofmarket_v1_Balance, _proofmarket_v1_GetBalanceRequest__Output, _proofmarket_v1_Balance__Output>
  ListAccounts: MethodDefinition<_proofmarket_v1_ListAccountsRequest, _proofmarket_v1_ListAccountsResponse, _proofmarket_v1_ListAccountsRequest__Output, _proofmarket_v1_ListAccountsResponse__Output>
  ListLedger: MethodDefinition<_proofmarket_v1_ListLedgerRequest, _proofmarket_v1_ListLedgerResponse, _proofmarket_v1_ListLedgerRequest__Output, _proofmarket_v1_ListLedgerResponse__Output>
  RevokeKey: MethodDefinition<_proofmarket_v1_RevokeKeyRequest, _proofmarket_v1_RevokeKeyResponse, _proofmarket_v1_RevokeKeyRequest__Output, _proofmarket_v1_RevokeKeyResponse__Output>
  WhoAmI: MethodDefinition<_proofmarket_v1_WhoAmIRequest, _proofmarket_v1_Account, _proofmarket_v1_WhoAmIRequest__Output, _proofmarket_v1_Account__Output>
  Withdraw: MethodDefinition<_proofmarket_v1_WithdrawRequest, _proofmarket_v1_WithdrawResponse, _proofmarket_v1_WithdrawRequest__Output, _proofmarket_v1_WithdrawResponse__Output>
}
