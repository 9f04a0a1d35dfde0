// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Account as _proofmarket_v1_Account, Account__Output as _proofmarket_v1_Account__Output } from './proofmarket/v1/Account';
import type { AccountsClient as _proofmarket_v1_AccountsClient, AccountsDefinition as _proofmarket_v1_AccountsDefinition } from './proofmarket/v1/Accounts';
import type { Balance as _proofmarket_v1_Balance, Balance__Output as _proofmarket_v1_Balance__Output } from './proofmarket/v1/Balance';
import type { CreateAccountRequest as _proofmarket_v1_CreateAccountRequest, CreateAccountRequest__Output as _proofmarket_v1_CreateAccountRequest__Output } from './proofmarket/v1/CreateAccountRequest';
import type { CreateAccountResponse as _proofmarket_v1_CreateAccountResponse, CreateAccountResponse__Output as _proofmarket_v1_CreateAccountResponse__Output } from './proofmarket/v1/CreateAccountResponse';
import type { CreateKeyRequest as _proofmarket_v1_CreateKeyRequest, CreateKeyRequest__Output as _proofmarket_v1_CreateKeyRequest__Output } from './proofmarket/v1/CreateKeyRequest';
import type { DepositRequest as _proofmarket_v1_DepositRequest, DepositRequest__Output as _proofmarket_v1_DepositRequest__Output } from './proofmarket/v1/DepositRequest';
import type { DepositResponse as _proofmarket_v1_DepositResponse, DepositResponse__Output as _proofmarket_v1_DepositResponse__Output } from './proofmarket/v1/DepositResponse';
import type { GetBalanceRequest as _proofmarket_v1_GetBalanceRequest, GetBalanceRequest__Output as _proofmarket_v1_GetBalanceRequest__Output } from './proofmarket/v1/GetBalanceRequest';
import type { LedgerEntry as _proofmarket_v1_LedgerEntry, LedgerEntry__Output as _proofmarket_v1_LedgerEntry__Output } from './proofmarket/v1/LedgerEntry';
import type { ListAccountsRequest as _proofmarket_v1_ListAccountsRequest, ListAccountsRequest__Output as _proofmarket_v1_ListAccountsRequest__Output } from './proofmarket/v1/ListAccountsRequest';
import type { ListAccountsResponse as _proofmarket_v1_ListAccountsResponse, ListAccountsResponse__Output as _proofmarket_v1_ListAccountsResponse__Output } from './proofmarket/v1/ListAccountsResponse';
import type { ListLedgerRequest as _proofmarket_v1_ListLedgerRequest, ListLedgerRequest__Output as _proofmarket_v1_ListLedgerRequest__Output } from './proofmarket/v1/ListLedgerRequest';
import type { ListLedgerResponse as _proofmarket_v1_ListLedgerResponse, ListLedgerResponse__Output as _proofmarket_v1_ListLedgerResponse__Output } from './proofmarket/v1/ListLedgerResponse';
import type { RevokeKeyRequest as _proofmarket_v1_RevokeKeyRequest, RevokeKeyRequest__Output as _proofmarket_v1_RevokeKeyRequest__Output } from './proofmarket/v1/RevokeKeyRequest';
import type { RevokeKeyResponse as _proofmarket_v1_RevokeKeyResponse, RevokeKeyResponse__Output as _proofmarket_v1_RevokeKeyResponse__Output } from './proofmarket/v1/RevokeKeyResponse';
import type { WhoAmIRequest as _proofmarket_v1_WhoAmIRequest, WhoAmIRequest__Output as _proofmarket_v1_WhoAmIRequest__Output } from './proofmarket/v1/WhoAmIRequest';
import type { WithdrawRequest as _proofmarket_v1_WithdrawRequest, WithdrawRequest__Output as _proofmarket_v1_WithdrawRequest__Output } from './proofmarket/v1/WithdrawRequest';
import type { WithdrawResponse as _proofmarket_v1_WithdrawResponse, WithdrawResponse__Output as _proofmarket_v1_WithdrawResponse__Output } from './proofmarket/v1/WithdrawResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  proofmarket: {
    v1: {
      Account: MessageTypeDefinition<_proofmarket_v1_Account, _proofmarket_v1_Account__Output>
      Accounts: SubtypeConstructor<typeof grpc.Client, _proofmarket_v1_AccountsClient> & { service: _proofmarket_v1_AccountsDefinition }
      Balance: MessageTypeDefinition<_proofmarket_v1_Balance, _proofmarket_v1_Balance__Output>
      CreateAccountRequest: MessageTypeDefinition<_proofmarket_v1_CreateAccountRequest, _proofmarket_v1_CreateAccountRequest__Output>
      CreateAccountResponse: MessageTypeDefinition<_proofmarket_v1_CreateAccountResponse, _proofmarket_v1_CreateAccountResponse__Output>
      CreateKeyRequest: MessageTypeDefinition<_proofmarket_v1_CreateKeyRequest, _proofmarket_v1_CreateKeyRequest__Output>
      DepositRequest: MessageTypeDefinition<_proofmarket_v1_DepositRequest, _proofmarket_v1_DepositRequest__Output>
      DepositResponse: MessageTypeDefinition<_proofmarket_v1_DepositResponse, _proofmarket_v1_DepositResponse__Output>
      GetBalanceRequest: MessageTypeDefinition<_proofmarket_v1_GetBalanceRequest, _proofmarket_v1_GetBalanceRequest__Output>
      LedgerEntry: MessageTypeDefinition<_proofmarket_v1_LedgerEntry, _proofmarket_v1_LedgerEntry__Output>
      ListAccountsRequest: MessageTypeDefinition<_proofmarket_v1_ListAccountsRequest, _proofmarket_v1_ListAccountsRequest__Output>
      ListAccountsResponse: MessageTypeDefinition<_proofmarket_v1_ListAccountsResponse, _proofmarket_v1_ListAccountsResponse__Output>
      ListLedgerRequest: MessageTypeDefinition<_proofmarket_v1_ListLedgerRequest, _proofmarket_v1_ListLedgerRequest__Output>
      ListLedgerResponse: MessageTypeDefinition<_proofmarket_v1_ListLedgerResponse, _proofmarket_v1_ListLedgerResponse__Output>
      RevokeKeyRequest: MessageTypeDefinition<_proofmarket_v1_RevokeKeyRequest, _proofmarket_v1_RevokeKeyRequest__Output>
      RevokeKeyResponse: MessageTypeDefinition<_proofmarket_v1_RevokeKeyResponse, _proofmarket_v1_RevokeKeyResponse__Output>
      WhoAmIRequest: MessageTypeDefinition<_proofmarket_v1_WhoAmIRequest, _proofmarket_v1_WhoAmIRequest__Output>
      WithdrawRequest: MessageTypeDefinition<_proofmarket_v1_WithdrawRequest, _proofmarket_v1_WithdrawRequest__Output>
      WithdrawResponse: MessageTypeDefinition<_proofmarket_v1_WithdrawResponse, _proofmarket_v1_WithdrawResponse__Output>
    }
  }
}

