// Loads the proofmarket v1 protos at run time with @grpc/proto-loader and exposes typed service
// constructors and definitions. Types come from proto/gen/ (generated: bash proto/gen/regen.sh).
import * as fs from 'fs';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

import type { ProtoGrpcType as MarketProto } from '../../proto/gen/market';
import type { ProtoGrpcType as ProverProto } from '../../proto/gen/prover';
import type { ProtoGrpcType as AccountsProto } from '../../proto/gen/accounts';
import type { AccountsClient as AccountsClientT, AccountsDefinition, AccountsHandlers } from '../../proto/gen/proofmarket/v1/Accounts';
import type { MarketClient as MarketClientT, MarketDefinition, MarketHandlers } from '../../proto/gen/proofmarket/v1/Market';
import type { ProverHubClient as ProverHubClientT, ProverHubDefinition, ProverHubHandlers } from '../../proto/gen/proofmarket/v1/ProverHub';

// Re-export the generated message types so callers import them from one place.
export type { Artifact, Artifact__Output } from '../../proto/gen/proofmarket/v1/Artifact';
export type { ArtifactChunk, ArtifactChunk__Output } from '../../proto/gen/proofmarket/v1/ArtifactChunk';
export type { ArtifactHeader, ArtifactHeader__Output } from '../../proto/gen/proofmarket/v1/ArtifactHeader';
export type { ArtifactKind, ArtifactKind__Output } from '../../proto/gen/proofmarket/v1/ArtifactKind';
export type { ArtifactData, ArtifactData__Output } from '../../proto/gen/proofmarket/v1/ArtifactData';
export type { Assignment, Assignment__Output } from '../../proto/gen/proofmarket/v1/Assignment';
export type { Ack, Ack__Output } from '../../proto/gen/proofmarket/v1/Ack';
export type { BenchFigure, BenchFigure__Output } from '../../proto/gen/proofmarket/v1/BenchFigure';
export type { BrokerMessage, BrokerMessage__Output } from '../../proto/gen/proofmarket/v1/BrokerMessage';
export type { Cancel, Cancel__Output } from '../../proto/gen/proofmarket/v1/Cancel';
export type { Capabilities, Capabilities__Output } from '../../proto/gen/proofmarket/v1/Capabilities';
export type { Circuit, Circuit__Output } from '../../proto/gen/proofmarket/v1/Circuit';
export type { Curve, Curve__Output } from '../../proto/gen/proofmarket/v1/Curve';
export type { DeviceInfo, DeviceInfo__Output } from '../../proto/gen/proofmarket/v1/DeviceInfo';
export type { FetchArtifactRequest, FetchArtifactRequest__Output } from '../../proto/gen/proofmarket/v1/FetchArtifactRequest';
export type { Heartbeat, Heartbeat__Output } from '../../proto/gen/proofmarket/v1/Heartbeat';
export type { Hello, Hello__Output } from '../../proto/gen/proofmarket/v1/Hello';
export type { Job, Job__Output } from '../../proto/gen/proofmarket/v1/Job';
export type { Partition, Partition__Output } from '../../proto/gen/proofmarket/v1/Partition';
export type { PartitionPayload, PartitionPayload__Output } from '../../proto/gen/proofmarket/v1/PartitionPayload';
export type { JobEvent, JobEvent__Output } from '../../proto/gen/proofmarket/v1/JobEvent';
export type { JobState, JobState__Output } from '../../proto/gen/proofmarket/v1/JobState';
export type { Progress, Progress__Output } from '../../proto/gen/proofmarket/v1/Progress';
export type { Proof, Proof__Output } from '../../proto/gen/proofmarket/v1/Proof';
export type { FilecoinC2Job, FilecoinC2Job__Output } from '../../proto/gen/proofmarket/v1/FilecoinC2Job';
export type { C1Info, C1Info__Output } from '../../proto/gen/proofmarket/v1/C1Info';
export type { UploadC1Request, UploadC1Request__Output } from '../../proto/gen/proofmarket/v1/UploadC1Request';
export type { ProverMessage, ProverMessage__Output } from '../../proto/gen/proofmarket/v1/ProverMessage';
export type { RegisterCircuitRequest, RegisterCircuitRequest__Output } from '../../proto/gen/proofmarket/v1/RegisterCircuitRequest';
export type { RegisterProverRequest, RegisterProverRequest__Output } from '../../proto/gen/proofmarket/v1/RegisterProverRequest';
export type { RegisterProverResponse, RegisterProverResponse__Output } from '../../proto/gen/proofmarket/v1/RegisterProverResponse';
export type { Result, Result__Output } from '../../proto/gen/proofmarket/v1/Result';
export type { SubmitJobRequest, SubmitJobRequest__Output } from '../../proto/gen/proofmarket/v1/SubmitJobRequest';
export type { Account, Account__Output } from '../../proto/gen/proofmarket/v1/Account';
export type { Balance, Balance__Output } from '../../proto/gen/proofmarket/v1/Balance';
export type { LedgerEntry as LedgerEntryMsg, LedgerEntry__Output as LedgerEntryMsg__Output } from '../../proto/gen/proofmarket/v1/LedgerEntry';
export type { CreateAccountResponse__Output } from '../../proto/gen/proofmarket/v1/CreateAccountResponse';
export type { AccountsClientT as AccountsGrpcClient, AccountsDefinition, AccountsHandlers };
export type { MarketClientT as MarketGrpcClient, MarketDefinition, MarketHandlers };
export type { ProverHubClientT as ProverHubGrpcClient, ProverHubDefinition, ProverHubHandlers };

/** The loader options the generated types in proto/gen/ assume. Do not change one without the other. */
export const LOADER_OPTIONS: protoLoader.Options = {
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

/** Finds the repository root (the folder holding proto/proofmarket/v1) from this file, in src/ or dist/src/. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'proto', 'proofmarket', 'v1', 'common.proto'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find proto/proofmarket/v1 above ${__dirname}`);
    dir = up;
  }
}

export const PROTO_FILES = ['proofmarket/v1/common.proto', 'proofmarket/v1/market.proto', 'proofmarket/v1/prover.proto',
  'proofmarket/v1/accounts.proto'];

type Loaded = MarketProto & ProverProto & AccountsProto;
let cached: Loaded | null = null;

/** Loads (once) and returns the whole proofmarket.v1 package as a typed grpc object. */
export function loadProto(): Loaded {
  if (cached) return cached;
  const root = repoRoot();
  const def = protoLoader.loadSync(PROTO_FILES, { ...LOADER_OPTIONS, includeDirs: [path.join(root, 'proto')] });
  cached = grpc.loadPackageDefinition(def) as unknown as Loaded;
  return cached;
}

/** Client constructor for the Market service: `new (marketCtor())(address, credentials)`. */
export function marketCtor(): Loaded['proofmarket']['v1']['Market'] {
  return loadProto().proofmarket.v1.Market;
}

/** Client constructor for the ProverHub service. */
export function proverHubCtor(): Loaded['proofmarket']['v1']['ProverHub'] {
  return loadProto().proofmarket.v1.ProverHub;
}

/** Service definition to pass to `server.addService` for Market. */
export function marketService(): MarketDefinition {
  return marketCtor().service;
}

/** Service definition to pass to `server.addService` for ProverHub. */
export function proverHubService(): ProverHubDefinition {
  return proverHubCtor().service;
}

/** Convenience: a typed Market client on `address` (host:port), insecure by default. */
export function newMarketClient(address: string, creds: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
  options?: grpc.ClientOptions): MarketClientT {
  const Ctor = marketCtor();
  return new Ctor(address, creds, options);
}

/** Convenience: a typed ProverHub client on `address` (host:port), insecure by default. */
export function newProverHubClient(address: string, creds: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
  options?: grpc.ClientOptions): ProverHubClientT {
  const Ctor = proverHubCtor();
  return new Ctor(address, creds, options);
}

/** Service definition to pass to `server.addService` for Accounts. */
export function accountsService(): AccountsDefinition {
  return loadProto().proofmarket.v1.Accounts.service;
}

/** Convenience: a typed Accounts client on `address`. */
export function newAccountsClient(address: string, creds: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
  options?: grpc.ClientOptions): AccountsClientT {
  const Ctor = loadProto().proofmarket.v1.Accounts;
  return new Ctor(address, creds, options);
}

/** Largest gRPC message either side accepts (artifact chunks are 1 MiB; witnesses can be bigger). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
