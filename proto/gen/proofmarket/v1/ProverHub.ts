// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/prover.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ArtifactData as _proofmarket_v1_ArtifactData, ArtifactData__Output as _proofmarket_v1_ArtifactData__Output } from '../../proofmarket/v1/ArtifactData';
import type { BrokerMessage as _proofmarket_v1_BrokerMessage, BrokerMessage__Output as _proofmarket_v1_BrokerMessage__Output } from '../../proofmarket/v1/BrokerMessage';
import type { FetchArtifactRequest as _proofmarket_v1_FetchArtifactRequest, FetchArtifactRequest__Output as _proofmarket_v1_FetchArtifactRequest__Output } from '../../proofmarket/v1/FetchArtifactRequest';
import type { ProverMessage as _proofmarket_v1_ProverMessage, ProverMessage__Output as _proofmarket_v1_ProverMessage__Output } from '../../proofmarket/v1/ProverMessage';
import type { RegisterProverRequest as _proofmarket_v1_RegisterProverRequest, RegisterProverRequest__Output as _proofmarket_v1_RegisterProverRequest__Output } from '../../proofmarket/v1/RegisterProverRequest';
import type { RegisterProverResponse as _proofmarket_v1_RegisterProverResponse, RegisterProverResponse__Output as _proofmarket_v1_RegisterProverResponse__Output } from '../../proofmarket/v1/RegisterProverResponse';

export interface ProverHubClient extends grpc.Client {
  /**
   * Downloads one artifact by hash in chunks. Artifacts are tenant data: a client gets only those
   * of its own circuits, a prover operator those of public circuits and of circuits of jobs one of
   * its provers holds a lease on, an admin any. NOT_FOUND for an unknown hash and for one the
   * caller may not read (the same answer).
   */
  FetchArtifact(argument: _proofmarket_v1_FetchArtifactRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_proofmarket_v1_ArtifactData__Output>;
  FetchArtifact(argument: _proofmarket_v1_FetchArtifactRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_proofmarket_v1_ArtifactData__Output>;
  /**
   * Downloads one artifact by hash in chunks. Artifacts are tenant data: a client gets only those
   * of its own circuits, a prover operator those of public circuits and of circuits of jobs one of
   * its provers holds a lease on, an admin any. NOT_FOUND for an unknown hash and for one the
   * caller may not read (the same answer).
   */
  fetchArtifact(argument: _proofmarket_v1_FetchArtifactRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_proofmarket_v1_ArtifactData__Output>;
  fetchArtifact(argument: _proofmarket_v1_FetchArtifactRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_proofmarket_v1_ArtifactData__Output>;
  
  /**
   * Announces a prover and its capabilities. Returns the id the prover uses from then on.
   * A prover that re-registers with the same `prover_key` gets the same id back.
   * Errors: UNAUTHENTICATED (no or bad API key), PERMISSION_DENIED (not a prover operator's key;
   * or this prover_key is registered already and the request does not carry its secret),
   * INVALID_ARGUMENT (a field over its limit, named in the message: name 64 characters, 16
   * backends of 64, 64 devices with names of 128, 256 bench rows, 16 C2 sector sizes). Control
   * characters are removed from every text a prover sends that clients see (name, error, stage).
   */
  Register(argument: _proofmarket_v1_RegisterProverRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_RegisterProverResponse__Output>): grpc.ClientUnaryCall;
  Register(argument: _proofmarket_v1_RegisterProverRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_RegisterProverResponse__Output>): grpc.ClientUnaryCall;
  Register(argument: _proofmarket_v1_RegisterProverRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_RegisterProverResponse__Output>): grpc.ClientUnaryCall;
  Register(argument: _proofmarket_v1_RegisterProverRequest, callback: grpc.requestCallback<_proofmarket_v1_RegisterProverResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Announces a prover and its capabilities. Returns the id the prover uses from then on.
   * A prover that re-registers with the same `prover_key` gets the same id back.
   * Errors: UNAUTHENTICATED (no or bad API key), PERMISSION_DENIED (not a prover operator's key;
   * or this prover_key is registered already and the request does not carry its secret),
   * INVALID_ARGUMENT (a field over its limit, named in the message: name 64 characters, 16
   * backends of 64, 64 devices with names of 128, 256 bench rows, 16 C2 sector sizes). Control
   * characters are removed from every text a prover sends that clients see (name, error, stage).
   */
  register(argument: _proofmarket_v1_RegisterProverRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_RegisterProverResponse__Output>): grpc.ClientUnaryCall;
  register(argument: _proofmarket_v1_RegisterProverRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_RegisterProverResponse__Output>): grpc.ClientUnaryCall;
  register(argument: _proofmarket_v1_RegisterProverRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_RegisterProverResponse__Output>): grpc.ClientUnaryCall;
  register(argument: _proofmarket_v1_RegisterProverRequest, callback: grpc.requestCallback<_proofmarket_v1_RegisterProverResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The long-lived work stream. First client message must be `hello` with the prover id, its
   * secret and the session epoch of the latest Register. Errors (the stream ends with them):
   * NOT_FOUND (no such prover for this operator), PERMISSION_DENIED (wrong secret),
   * FAILED_PRECONDITION (a stale epoch, or this session was superseded by a newer one).
   */
  Session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_proofmarket_v1_ProverMessage, _proofmarket_v1_BrokerMessage__Output>;
  Session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_proofmarket_v1_ProverMessage, _proofmarket_v1_BrokerMessage__Output>;
  /**
   * The long-lived work stream. First client message must be `hello` with the prover id, its
   * secret and the session epoch of the latest Register. Errors (the stream ends with them):
   * NOT_FOUND (no such prover for this operator), PERMISSION_DENIED (wrong secret),
   * FAILED_PRECONDITION (a stale epoch, or this session was superseded by a newer one).
   */
  session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_proofmarket_v1_ProverMessage, _proofmarket_v1_BrokerMessage__Output>;
  session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_proofmarket_v1_ProverMessage, _proofmarket_v1_BrokerMessage__Output>;
  
}

export interface ProverHubHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Downloads one artifact by hash in chunks. Artifacts are tenant data: a client gets only those
   * of its own circuits, a prover operator those of public circuits and of circuits of jobs one of
   * its provers holds a lease on, an admin any. NOT_FOUND for an unknown hash and for one the
   * caller may not read (the same answer).
   */
  FetchArtifact: grpc.handleServerStreamingCall<_proofmarket_v1_FetchArtifactRequest__Output, _proofmarket_v1_ArtifactData>;
  
  /**
   * Announces a prover and its capabilities. Returns the id the prover uses from then on.
   * A prover that re-registers with the same `prover_key` gets the same id back.
   * Errors: UNAUTHENTICATED (no or bad API key), PERMISSION_DENIED (not a prover operator's key;
   * or this prover_key is registered already and the request does not carry its secret),
   * INVALID_ARGUMENT (a field over its limit, named in the message: name 64 characters, 16
   * backends of 64, 64 devices with names of 128, 256 bench rows, 16 C2 sector sizes). Control
   * characters are removed from every text a prover sends that clients see (name, error, stage).
   */
  Register: grpc.handleUnaryCall<_proofmarket_v1_RegisterProverRequest__Output, _proofmarket_v1_RegisterProverResponse>;
  
  /**
   * The long-lived work stream. First client message must be `hello` with the prover id, its
   * secret and the session epoch of the latest Register. Errors (the stream ends with them):
   * NOT_FOUND (no such prover for this operator), PERMISSION_DENIED (wrong secret),
   * FAILED_PRECONDITION (a stale epoch, or this session was superseded by a newer one).
   */
  Session: grpc.handleBidiStreamingCall<_proofmarket_v1_ProverMessage__Output, _proofmarket_v1_BrokerMessage>;
  
}

export interface ProverHubDefinition extends grpc.ServiceDefinition {
  FetchArtifact: MethodDefinition<_proofmarket_v1_FetchArtifactRequest, _proofmarket_v1_ArtifactData, _proofmarket_v1_FetchArtifactRequest__Output, _proofmarket_v1_ArtifactData__Output>
  Register: MethodDefinition<_proofmarket_v1_RegisterProverRequest, _proofmarket_v1_RegisterProverResponse, _proofmarket_v1_RegisterProverRequest__Output, _proofmarket_v1_RegisterProverResponse__Output>
  Session: MethodDefinition<_proofmarket_v1_ProverMessage, _proofmarket_v1_BrokerMessage, _proofmarket_v1_ProverMessage__Output, _proofmarket_v1_BrokerMessage__Output>
}
