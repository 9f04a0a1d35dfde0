// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/market.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { C1Info as _proofmarket_v1_C1Info, C1Info__Output as _proofmarket_v1_C1Info__Output } from '../../proofmarket/v1/C1Info';
import type { CancelJobRequest as _proofmarket_v1_CancelJobRequest, CancelJobRequest__Output as _proofmarket_v1_CancelJobRequest__Output } from '../../proofmarket/v1/CancelJobRequest';
import type { Circuit as _proofmarket_v1_Circuit, Circuit__Output as _proofmarket_v1_Circuit__Output } from '../../proofmarket/v1/Circuit';
import type { GetC1Request as _proofmarket_v1_GetC1Request, GetC1Request__Output as _proofmarket_v1_GetC1Request__Output } from '../../proofmarket/v1/GetC1Request';
import type { GetCircuitRequest as _proofmarket_v1_GetCircuitRequest, GetCircuitRequest__Output as _proofmarket_v1_GetCircuitRequest__Output } from '../../proofmarket/v1/GetCircuitRequest';
import type { GetJobRequest as _proofmarket_v1_GetJobRequest, GetJobRequest__Output as _proofmarket_v1_GetJobRequest__Output } from '../../proofmarket/v1/GetJobRequest';
import type { Job as _proofmarket_v1_Job, Job__Output as _proofmarket_v1_Job__Output } from '../../proofmarket/v1/Job';
import type { JobEvent as _proofmarket_v1_JobEvent, JobEvent__Output as _proofmarket_v1_JobEvent__Output } from '../../proofmarket/v1/JobEvent';
import type { ListCircuitsRequest as _proofmarket_v1_ListCircuitsRequest, ListCircuitsRequest__Output as _proofmarket_v1_ListCircuitsRequest__Output } from '../../proofmarket/v1/ListCircuitsRequest';
import type { ListCircuitsResponse as _proofmarket_v1_ListCircuitsResponse, ListCircuitsResponse__Output as _proofmarket_v1_ListCircuitsResponse__Output } from '../../proofmarket/v1/ListCircuitsResponse';
import type { ListJobsRequest as _proofmarket_v1_ListJobsRequest, ListJobsRequest__Output as _proofmarket_v1_ListJobsRequest__Output } from '../../proofmarket/v1/ListJobsRequest';
import type { ListJobsResponse as _proofmarket_v1_ListJobsResponse, ListJobsResponse__Output as _proofmarket_v1_ListJobsResponse__Output } from '../../proofmarket/v1/ListJobsResponse';
import type { ListProversRequest as _proofmarket_v1_ListProversRequest, ListProversRequest__Output as _proofmarket_v1_ListProversRequest__Output } from '../../proofmarket/v1/ListProversRequest';
import type { ListProversResponse as _proofmarket_v1_ListProversResponse, ListProversResponse__Output as _proofmarket_v1_ListProversResponse__Output } from '../../proofmarket/v1/ListProversResponse';
import type { QuoteRequest as _proofmarket_v1_QuoteRequest, QuoteRequest__Output as _proofmarket_v1_QuoteRequest__Output } from '../../proofmarket/v1/QuoteRequest';
import type { QuoteResponse as _proofmarket_v1_QuoteResponse, QuoteResponse__Output as _proofmarket_v1_QuoteResponse__Output } from '../../proofmarket/v1/QuoteResponse';
import type { RegisterCircuitRequest as _proofmarket_v1_RegisterCircuitRequest, RegisterCircuitRequest__Output as _proofmarket_v1_RegisterCircuitRequest__Output } from '../../proofmarket/v1/RegisterCircuitRequest';
import type { SubmitJobRequest as _proofmarket_v1_SubmitJobRequest, SubmitJobRequest__Output as _proofmarket_v1_SubmitJobRequest__Output } from '../../proofmarket/v1/SubmitJobRequest';
import type { UploadC1Request as _proofmarket_v1_UploadC1Request, UploadC1Request__Output as _proofmarket_v1_UploadC1Request__Output } from '../../proofmarket/v1/UploadC1Request';
import type { VerificationKey as _proofmarket_v1_VerificationKey, VerificationKey__Output as _proofmarket_v1_VerificationKey__Output } from '../../proofmarket/v1/VerificationKey';
import type { VerifyRequest as _proofmarket_v1_VerifyRequest, VerifyRequest__Output as _proofmarket_v1_VerifyRequest__Output } from '../../proofmarket/v1/VerifyRequest';
import type { VerifyResponse as _proofmarket_v1_VerifyResponse, VerifyResponse__Output as _proofmarket_v1_VerifyResponse__Output } from '../../proofmarket/v1/VerifyResponse';
import type { WatchJobRequest as _proofmarket_v1_WatchJobRequest, WatchJobRequest__Output as _proofmarket_v1_WatchJobRequest__Output } from '../../proofmarket/v1/WatchJobRequest';

export interface MarketClient extends grpc.Client {
  /**
   * Cancels a job that is not yet terminal. FAILED_PRECONDITION if it already is.
   */
  CancelJob(argument: _proofmarket_v1_CancelJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _proofmarket_v1_CancelJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _proofmarket_v1_CancelJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _proofmarket_v1_CancelJobRequest, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  /**
   * Cancels a job that is not yet terminal. FAILED_PRECONDITION if it already is.
   */
  cancelJob(argument: _proofmarket_v1_CancelJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _proofmarket_v1_CancelJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _proofmarket_v1_CancelJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _proofmarket_v1_CancelJobRequest, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  
  /**
   * What the broker holds of the caller's own c1 upload by SHA-256: complete (with its proof type,
   * sector size, partitions), partly received (`received` bytes, to resume from), or nothing
   * (received 0) — also for a c1 that only other accounts uploaded (no existence oracle).
   */
  GetC1(argument: _proofmarket_v1_GetC1Request, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_C1Info__Output>): grpc.ClientUnaryCall;
  GetC1(argument: _proofmarket_v1_GetC1Request, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_C1Info__Output>): grpc.ClientUnaryCall;
  GetC1(argument: _proofmarket_v1_GetC1Request, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_C1Info__Output>): grpc.ClientUnaryCall;
  GetC1(argument: _proofmarket_v1_GetC1Request, callback: grpc.requestCallback<_proofmarket_v1_C1Info__Output>): grpc.ClientUnaryCall;
  /**
   * What the broker holds of the caller's own c1 upload by SHA-256: complete (with its proof type,
   * sector size, partitions), partly received (`received` bytes, to resume from), or nothing
   * (received 0) — also for a c1 that only other accounts uploaded (no existence oracle).
   */
  getC1(argument: _proofmarket_v1_GetC1Request, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_C1Info__Output>): grpc.ClientUnaryCall;
  getC1(argument: _proofmarket_v1_GetC1Request, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_C1Info__Output>): grpc.ClientUnaryCall;
  getC1(argument: _proofmarket_v1_GetC1Request, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_C1Info__Output>): grpc.ClientUnaryCall;
  getC1(argument: _proofmarket_v1_GetC1Request, callback: grpc.requestCallback<_proofmarket_v1_C1Info__Output>): grpc.ClientUnaryCall;
  
  /**
   * Looks up a registered circuit by id or name. NOT_FOUND if unknown.
   */
  GetCircuit(argument: _proofmarket_v1_GetCircuitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Circuit__Output>): grpc.ClientUnaryCall;
  GetCircuit(argument: _proofmarket_v1_GetCircuitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_Circuit__Output>): grpc.ClientUnaryCall;
  GetCircuit(argument: _proofmarket_v1_GetCircuitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Circuit__Output>): grpc.ClientUnaryCall;
  GetCircuit(argument: _proofmarket_v1_GetCircuitRequest, callback: grpc.requestCallback<_proofmarket_v1_Circuit__Output>): grpc.ClientUnaryCall;
  /**
   * Looks up a registered circuit by id or name. NOT_FOUND if unknown.
   */
  getCircuit(argument: _proofmarket_v1_GetCircuitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Circuit__Output>): grpc.ClientUnaryCall;
  getCircuit(argument: _proofmarket_v1_GetCircuitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_Circuit__Output>): grpc.ClientUnaryCall;
  getCircuit(argument: _proofmarket_v1_GetCircuitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Circuit__Output>): grpc.ClientUnaryCall;
  getCircuit(argument: _proofmarket_v1_GetCircuitRequest, callback: grpc.requestCallback<_proofmarket_v1_Circuit__Output>): grpc.ClientUnaryCall;
  
  /**
   * Reads one job. NOT_FOUND if unknown.
   */
  GetJob(argument: _proofmarket_v1_GetJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _proofmarket_v1_GetJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _proofmarket_v1_GetJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _proofmarket_v1_GetJobRequest, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  /**
   * Reads one job. NOT_FOUND if unknown.
   */
  getJob(argument: _proofmarket_v1_GetJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  getJob(argument: _proofmarket_v1_GetJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  getJob(argument: _proofmarket_v1_GetJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  getJob(argument: _proofmarket_v1_GetJobRequest, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  
  /**
   * The circuit's verification_key.json, exactly as registered. NOT_FOUND if unknown.
   */
  GetVerificationKey(argument: _proofmarket_v1_GetCircuitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_VerificationKey__Output>): grpc.ClientUnaryCall;
  GetVerificationKey(argument: _proofmarket_v1_GetCircuitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_VerificationKey__Output>): grpc.ClientUnaryCall;
  GetVerificationKey(argument: _proofmarket_v1_GetCircuitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_VerificationKey__Output>): grpc.ClientUnaryCall;
  GetVerificationKey(argument: _proofmarket_v1_GetCircuitRequest, callback: grpc.requestCallback<_proofmarket_v1_VerificationKey__Output>): grpc.ClientUnaryCall;
  /**
   * The circuit's verification_key.json, exactly as registered. NOT_FOUND if unknown.
   */
  getVerificationKey(argument: _proofmarket_v1_GetCircuitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_VerificationKey__Output>): grpc.ClientUnaryCall;
  getVerificationKey(argument: _proofmarket_v1_GetCircuitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_VerificationKey__Output>): grpc.ClientUnaryCall;
  getVerificationKey(argument: _proofmarket_v1_GetCircuitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_VerificationKey__Output>): grpc.ClientUnaryCall;
  getVerificationKey(argument: _proofmarket_v1_GetCircuitRequest, callback: grpc.requestCallback<_proofmarket_v1_VerificationKey__Output>): grpc.ClientUnaryCall;
  
  /**
   * Lists registered circuits, newest first.
   */
  ListCircuits(argument: _proofmarket_v1_ListCircuitsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_ListCircuitsResponse__Output>): grpc.ClientUnaryCall;
  ListCircuits(argument: _proofmarket_v1_ListCircuitsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_ListCircuitsResponse__Output>): grpc.ClientUnaryCall;
  ListCircuits(argument: _proofmarket_v1_ListCircuitsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_ListCircuitsResponse__Output>): grpc.ClientUnaryCall;
  ListCircuits(argument: _proofmarket_v1_ListCircuitsRequest, callback: grpc.requestCallback<_proofmarket_v1_ListCircuitsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Lists registered circuits, newest first.
   */
  listCircuits(argument: _proofmarket_v1_ListCircuitsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_ListCircuitsResponse__Output>): grpc.ClientUnaryCall;
  listCircuits(argument: _proofmarket_v1_ListCircuitsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_ListCircuitsResponse__Output>): grpc.ClientUnaryCall;
  listCircuits(argument: _proofmarket_v1_ListCircuitsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_ListCircuitsResponse__Output>): grpc.ClientUnaryCall;
  listCircuits(argument: _proofmarket_v1_ListCircuitsRequest, callback: grpc.requestCallback<_proofmarket_v1_ListCircuitsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Lists jobs, newest first, optionally filtered by state and circuit.
   */
  ListJobs(argument: _proofmarket_v1_ListJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _proofmarket_v1_ListJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _proofmarket_v1_ListJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _proofmarket_v1_ListJobsRequest, callback: grpc.requestCallback<_proofmarket_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Lists jobs, newest first, optionally filtered by state and circuit.
   */
  listJobs(argument: _proofmarket_v1_ListJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _proofmarket_v1_ListJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _proofmarket_v1_ListJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _proofmarket_v1_ListJobsRequest, callback: grpc.requestCallback<_proofmarket_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The connected and known provers with what the broker measured of them.
   */
  ListProvers(argument: _proofmarket_v1_ListProversRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_ListProversResponse__Output>): grpc.ClientUnaryCall;
  ListProvers(argument: _proofmarket_v1_ListProversRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_ListProversResponse__Output>): grpc.ClientUnaryCall;
  ListProvers(argument: _proofmarket_v1_ListProversRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_ListProversResponse__Output>): grpc.ClientUnaryCall;
  ListProvers(argument: _proofmarket_v1_ListProversRequest, callback: grpc.requestCallback<_proofmarket_v1_ListProversResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The connected and known provers with what the broker measured of them.
   */
  listProvers(argument: _proofmarket_v1_ListProversRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_ListProversResponse__Output>): grpc.ClientUnaryCall;
  listProvers(argument: _proofmarket_v1_ListProversRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_ListProversResponse__Output>): grpc.ClientUnaryCall;
  listProvers(argument: _proofmarket_v1_ListProversRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_ListProversResponse__Output>): grpc.ClientUnaryCall;
  listProvers(argument: _proofmarket_v1_ListProversRequest, callback: grpc.requestCallback<_proofmarket_v1_ListProversResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Before submitting: per eligible prover, the price, the ETA (median and 90th percentile,
   * including that prover's current queue, in ms from now) and the probability of finishing
   * before the deadline, from the broker's measured latency model.
   * Errors: NOT_FOUND (unknown circuit), INVALID_ARGUMENT (deadline in the past).
   */
  Quote(argument: _proofmarket_v1_QuoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  Quote(argument: _proofmarket_v1_QuoteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  Quote(argument: _proofmarket_v1_QuoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  Quote(argument: _proofmarket_v1_QuoteRequest, callback: grpc.requestCallback<_proofmarket_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Before submitting: per eligible prover, the price, the ETA (median and 90th percentile,
   * including that prover's current queue, in ms from now) and the probability of finishing
   * before the deadline, from the broker's measured latency model.
   * Errors: NOT_FOUND (unknown circuit), INVALID_ARGUMENT (deadline in the past).
   */
  quote(argument: _proofmarket_v1_QuoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  quote(argument: _proofmarket_v1_QuoteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  quote(argument: _proofmarket_v1_QuoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  quote(argument: _proofmarket_v1_QuoteRequest, callback: grpc.requestCallback<_proofmarket_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Registers a circuit by streaming its artifacts. The first message must be `header`;
   * then any number of `chunk` messages, in order, for each artifact declared in the header.
   * Every artifact is checked against its declared size and SHA-256 once complete; nothing
   * is registered unless all of them check and the zkey/vkey pair is a consistent Groth16 key.
   * Errors: INVALID_ARGUMENT (bad name, hash mismatch, truncated upload, not a Groth16 zkey,
   * curve mismatch, a vkey that is not the zkey's own: alpha, beta, gamma, delta and every IC
   * point are compared), FAILED_PRECONDITION (a zkey without a phase-2 contribution, unless
   * allow_insecure_setup), ALREADY_EXISTS (same name with different artifacts).
   * Registering the same name with identical artifacts is idempotent and returns the circuit.
   */
  RegisterCircuit(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Circuit__Output>): grpc.ClientWritableStream<_proofmarket_v1_RegisterCircuitRequest>;
  RegisterCircuit(metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_Circuit__Output>): grpc.ClientWritableStream<_proofmarket_v1_RegisterCircuitRequest>;
  RegisterCircuit(options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Circuit__Output>): grpc.ClientWritableStream<_proofmarket_v1_RegisterCircuitRequest>;
  RegisterCircuit(callback: grpc.requestCallback<_proofmarket_v1_Circuit__Output>): grpc.ClientWritableStream<_proofmarket_v1_RegisterCircuitRequest>;
  /**
   * Registers a circuit by streaming its artifacts. The first message must be `header`;
   * then any number of `chunk` messages, in order, for each artifact declared in the header.
   * Every artifact is checked against its declared size and SHA-256 once complete; nothing
   * is registered unless all of them check and the zkey/vkey pair is a consistent Groth16 key.
   * Errors: INVALID_ARGUMENT (bad name, hash mismatch, truncated upload, not a Groth16 zkey,
   * curve mismatch, a vkey that is not the zkey's own: alpha, beta, gamma, delta and every IC
   * point are compared), FAILED_PRECONDITION (a zkey without a phase-2 contribution, unless
   * allow_insecure_setup), ALREADY_EXISTS (same name with different artifacts).
   * Registering the same name with identical artifacts is idempotent and returns the circuit.
   */
  registerCircuit(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Circuit__Output>): grpc.ClientWritableStream<_proofmarket_v1_RegisterCircuitRequest>;
  registerCircuit(metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_Circuit__Output>): grpc.ClientWritableStream<_proofmarket_v1_RegisterCircuitRequest>;
  registerCircuit(options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Circuit__Output>): grpc.ClientWritableStream<_proofmarket_v1_RegisterCircuitRequest>;
  registerCircuit(callback: grpc.requestCallback<_proofmarket_v1_Circuit__Output>): grpc.ClientWritableStream<_proofmarket_v1_RegisterCircuitRequest>;
  
  /**
   * Submits a proof job. Idempotent on `request_id`: a retry with the same id returns the job
   * created by the first call, never a second job.
   * Errors: NOT_FOUND (unknown circuit; for filecoin_c2, no complete c1 upload with that hash),
   * INVALID_ARGUMENT (input signals missing/extra/out of field, naming the signal; malformed
   * witness; bad deadline), FAILED_PRECONDITION (filecoin_c2 on a broker without a C2 verifier:
   * `broker --c2-verifier`; a balance short of max_price).
   */
  SubmitJob(argument: _proofmarket_v1_SubmitJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  SubmitJob(argument: _proofmarket_v1_SubmitJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  SubmitJob(argument: _proofmarket_v1_SubmitJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  SubmitJob(argument: _proofmarket_v1_SubmitJobRequest, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  /**
   * Submits a proof job. Idempotent on `request_id`: a retry with the same id returns the job
   * created by the first call, never a second job.
   * Errors: NOT_FOUND (unknown circuit; for filecoin_c2, no complete c1 upload with that hash),
   * INVALID_ARGUMENT (input signals missing/extra/out of field, naming the signal; malformed
   * witness; bad deadline), FAILED_PRECONDITION (filecoin_c2 on a broker without a C2 verifier:
   * `broker --c2-verifier`; a balance short of max_price).
   */
  submitJob(argument: _proofmarket_v1_SubmitJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  submitJob(argument: _proofmarket_v1_SubmitJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  submitJob(argument: _proofmarket_v1_SubmitJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  submitJob(argument: _proofmarket_v1_SubmitJobRequest, callback: grpc.requestCallback<_proofmarket_v1_Job__Output>): grpc.ClientUnaryCall;
  
  /**
   * Uploads a Filecoin Commit1 output (c1.json, ~51 MB for a 32 GiB sector) for `filecoin-c2`
   * jobs, content-addressed by its SHA-256. The first message is `header` (size, sha256, and the
   * byte offset the chunks start at: 0, or GetC1's `received` to resume an interrupted upload);
   * then `chunk` messages in order. Once all bytes are in, the broker checks size and SHA-256 and
   * reads the proof type, sector size and partitions from the file (src/common/commit1.ts). An
   * upload of a c1 the caller's account uploaded before completes at once (no chunks needed).
   * Uploads are per account: another account's upload (partial or complete) is invisible and
   * untouched, and a c1 someone else holds must still be sent whole (storage is shared underneath).
   * Errors: FAILED_PRECONDITION (this broker has no C2 verifier configured: `broker --c2-verifier`;
   * or `offset` is not where the held part ends), INVALID_ARGUMENT (hash mismatch, truncated,
   * malformed c1.json — the message names the field), RESOURCE_EXHAUSTED (over the broker's size
   * cap, `--max-c1-bytes`), ABORTED (another upload of the same c1 is in progress; retry).
   */
  UploadC1(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_C1Info__Output>): grpc.ClientWritableStream<_proofmarket_v1_UploadC1Request>;
  UploadC1(metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_C1Info__Output>): grpc.ClientWritableStream<_proofmarket_v1_UploadC1Request>;
  UploadC1(options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_C1Info__Output>): grpc.ClientWritableStream<_proofmarket_v1_UploadC1Request>;
  UploadC1(callback: grpc.requestCallback<_proofmarket_v1_C1Info__Output>): grpc.ClientWritableStream<_proofmarket_v1_UploadC1Request>;
  /**
   * Uploads a Filecoin Commit1 output (c1.json, ~51 MB for a 32 GiB sector) for `filecoin-c2`
   * jobs, content-addressed by its SHA-256. The first message is `header` (size, sha256, and the
   * byte offset the chunks start at: 0, or GetC1's `received` to resume an interrupted upload);
   * then `chunk` messages in order. Once all bytes are in, the broker checks size and SHA-256 and
   * reads the proof type, sector size and partitions from the file (src/common/commit1.ts). An
   * upload of a c1 the caller's account uploaded before completes at once (no chunks needed).
   * Uploads are per account: another account's upload (partial or complete) is invisible and
   * untouched, and a c1 someone else holds must still be sent whole (storage is shared underneath).
   * Errors: FAILED_PRECONDITION (this broker has no C2 verifier configured: `broker --c2-verifier`;
   * or `offset` is not where the held part ends), INVALID_ARGUMENT (hash mismatch, truncated,
   * malformed c1.json — the message names the field), RESOURCE_EXHAUSTED (over the broker's size
   * cap, `--max-c1-bytes`), ABORTED (another upload of the same c1 is in progress; retry).
   */
  uploadC1(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_C1Info__Output>): grpc.ClientWritableStream<_proofmarket_v1_UploadC1Request>;
  uploadC1(metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_C1Info__Output>): grpc.ClientWritableStream<_proofmarket_v1_UploadC1Request>;
  uploadC1(options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_C1Info__Output>): grpc.ClientWritableStream<_proofmarket_v1_UploadC1Request>;
  uploadC1(callback: grpc.requestCallback<_proofmarket_v1_C1Info__Output>): grpc.ClientWritableStream<_proofmarket_v1_UploadC1Request>;
  
  /**
   * Checks a Groth16 proof (proof.json, public.json as snarkjs writes them) against a
   * registered circuit's verification key with the broker's verifier. An invalid proof is
   * not an error: `valid` is false and `reason` says why.
   * Errors: NOT_FOUND (unknown circuit), INVALID_ARGUMENT (empty proof/public), UNAVAILABLE
   * (the verifier could not run; retry).
   */
  Verify(argument: _proofmarket_v1_VerifyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_VerifyResponse__Output>): grpc.ClientUnaryCall;
  Verify(argument: _proofmarket_v1_VerifyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_VerifyResponse__Output>): grpc.ClientUnaryCall;
  Verify(argument: _proofmarket_v1_VerifyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_VerifyResponse__Output>): grpc.ClientUnaryCall;
  Verify(argument: _proofmarket_v1_VerifyRequest, callback: grpc.requestCallback<_proofmarket_v1_VerifyResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Checks a Groth16 proof (proof.json, public.json as snarkjs writes them) against a
   * registered circuit's verification key with the broker's verifier. An invalid proof is
   * not an error: `valid` is false and `reason` says why.
   * Errors: NOT_FOUND (unknown circuit), INVALID_ARGUMENT (empty proof/public), UNAVAILABLE
   * (the verifier could not run; retry).
   */
  verify(argument: _proofmarket_v1_VerifyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_VerifyResponse__Output>): grpc.ClientUnaryCall;
  verify(argument: _proofmarket_v1_VerifyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_proofmarket_v1_VerifyResponse__Output>): grpc.ClientUnaryCall;
  verify(argument: _proofmarket_v1_VerifyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_proofmarket_v1_VerifyResponse__Output>): grpc.ClientUnaryCall;
  verify(argument: _proofmarket_v1_VerifyRequest, callback: grpc.requestCallback<_proofmarket_v1_VerifyResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Streams the job's current snapshot, then one message per state change or progress
   * update, and ends after the job reaches a terminal state. Progress events are throttled
   * (at most one per PROGRESS_EVENT_MS = 250 ms per job, plus one per stage change), and a
   * job's `progress` never decreases within one attempt.
   */
  WatchJob(argument: _proofmarket_v1_WatchJobRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_proofmarket_v1_JobEvent__Output>;
  WatchJob(argument: _proofmarket_v1_WatchJobRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_proofmarket_v1_JobEvent__Output>;
  /**
   * Streams the job's current snapshot, then one message per state change or progress
   * update, and ends after the job reaches a terminal state. Progress events are throttled
   * (at most one per PROGRESS_EVENT_MS = 250 ms per job, plus one per stage change), and a
   * job's `progress` never decreases within one attempt.
   */
  watchJob(argument: _proofmarket_v1_WatchJobRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_proofmarket_v1_JobEvent__Output>;
  watchJob(argument: _proofmarket_v1_WatchJobRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_proofmarket_v1_JobEvent__Output>;
  
}

export interface MarketHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Cancels a job that is not yet terminal. FAILED_PRECONDITION if it already is.
   */
  CancelJob: grpc.handleUnaryCall<_proofmarket_v1_CancelJobRequest__Output, _proofmarket_v1_Job>;
  
  /**
   * What the broker holds of the caller's own c1 upload by SHA-256: complete (with its proof type,
   * sector size, partitions), partly received (`received` bytes, to resume from), or nothing
   * (received 0) — also for a c1 that only other accounts uploaded (no existence oracle).
   */
  GetC1: grpc.handleUnaryCall<_proofmarket_v1_GetC1Request__Output, _proofmarket_v1_C1Info>;
  
  /**
   * Looks up a registered circuit by id or name. NOT_FOUND if unknown.
   */
  GetCircuit: grpc.handleUnaryCall<_proofmarket_v1_GetCircuitRequest__Output, _proofmarket_v1_Circuit>;
  
  /**
   * Reads one job. NOT_FOUND if unknown.
   */
  GetJob: grpc.handleUnaryCall<_proofmarket_v1_GetJobRequest__Output, _proofmarket_v1_Job>;
  
  /**
   * The circuit's verification_key.json, exactly as registered. NOT_FOUND if unknown.
   */
  GetVerificationKey: grpc.handleUnaryCall<_proofmarket_v1_GetCircuitRequest__Output, _proofmarket_v1_VerificationKey>;
  
  /**
   * Lists registered circuits, newest first.
   */
  ListCircuits: grpc.handleUnaryCall<_proofmarket_v1_ListCircuitsRequest__Output, _proofmarket_v1_ListCircuitsResponse>;
  
  /**
   * Lists jobs, newest first, optionally filtered by state and circuit.
   */
  ListJobs: grpc.handleUnaryCall<_proofmarket_v1_ListJobsRequest__Output, _proofmarket_v1_ListJobsResponse>;
  
  /**
   * The connected and known provers with what the broker measured of them.
   */
  ListProvers: grpc.handleUnaryCall<_proofmarket_v1_ListProversRequest__Output, _proofmarket_v1_ListProversResponse>;
  
  /**
   * Before submitting: per eligible prover, the price, the ETA (median and 90th percentile,
   * including that prover's current queue, in ms from now) and the probability of finishing
   * before the deadline, from the broker's measured latency model.
   * Errors: NOT_FOUND (unknown circuit), INVALID_ARGUMENT (deadline in the past).
   */
  Quote: grpc.handleUnaryCall<_proofmarket_v1_QuoteRequest__Output, _proofmarket_v1_QuoteResponse>;
  
  /**
   * Registers a circuit by streaming its artifacts. The first message must be `header`;
   * then any number of `chunk` messages, in order, for each artifact declared in the header.
   * Every artifact is checked against its declared size and SHA-256 once complete; nothing
   * is registered unless all of them check and the zkey/vkey pair is a consistent Groth16 key.
   * Errors: INVALID_ARGUMENT (bad name, hash mismatch, truncated upload, not a Groth16 zkey,
   * curve mismatch, a vkey that is not the zkey's own: alpha, beta, gamma, delta and every IC
   * point are compared), FAILED_PRECONDITION (a zkey without a phase-2 contribution, unless
   * allow_insecure_setup), ALREADY_EXISTS (same name with different artifacts).
   * Registering the same name with identical artifacts is idempotent and returns the circuit.
   */
  RegisterCircuit: grpc.handleClientStreamingCall<_proofmarket_v1_RegisterCircuitRequest__Output, _proofmarket_v1_Circuit>;
  
  /**
   * Submits a proof job. Idempotent on `request_id`: a retry with the same id returns the job
   * created by the first call, never a second job.
   * Errors: NOT_FOUND (unknown circuit; for filecoin_c2, no complete c1 upload with that hash),
   * INVALID_ARGUMENT (input signals missing/extra/out of field, naming the signal; malformed
   * witness; bad deadline), FAILED_PRECONDITION (filecoin_c2 on a broker without a C2 verifier:
   * `broker --c2-verifier`; a balance short of max_price).
   */
  SubmitJob: grpc.handleUnaryCall<_proofmarket_v1_SubmitJobRequest__Output, _proofmarket_v1_Job>;
  
  /**
   * Uploads a Filecoin Commit1 output (c1.json, ~51 MB for a 32 GiB sector) for `filecoin-c2`
   * jobs, content-addressed by its SHA-256. The first message is `header` (size, sha256, and the
   * byte offset the chunks start at: 0, or GetC1's `received` to resume an interrupted upload);
   * then `chunk` messages in order. Once all bytes are in, the broker checks size and SHA-256 and
   * reads the proof type, sector size and partitions from the file (src/common/commit1.ts). An
   * upload of a c1 the caller's account uploaded before completes at once (no chunks needed).
   * Uploads are per account: another account's upload (partial or complete) is invisible and
   * untouched, and a c1 someone else holds must still be sent whole (storage is shared underneath).
   * Errors: FAILED_PRECONDITION (this broker has no C2 verifier configured: `broker --c2-verifier`;
   * or `offset` is not where the held part ends), INVALID_ARGUMENT (hash mismatch, truncated,
   * malformed c1.json — the message names the field), RESOURCE_EXHAUSTED (over the broker's size
   * cap, `--max-c1-bytes`), ABORTED (another upload of the same c1 is in progress; retry).
   */
  UploadC1: grpc.handleClientStreamingCall<_proofmarket_v1_UploadC1Request__Output, _proofmarket_v1_C1Info>;
  
  /**
   * Checks a Groth16 proof (proof.json, public.json as snarkjs writes them) against a
   * registered circuit's verification key with the broker's verifier. An invalid proof is
   * not an error: `valid` is false and `reason` says why.
   * Errors: NOT_FOUND (unknown circuit), INVALID_ARGUMENT (empty proof/public), UNAVAILABLE
   * (the verifier could not run; retry).
   */
  Verify: grpc.handleUnaryCall<_proofmarket_v1_VerifyRequest__Output, _proofmarket_v1_VerifyResponse>;
  
  /**
   * Streams the job's current snapshot, then one message per state change or progress
   * update, and ends after the job reaches a terminal state. Progress events are throttled
   * (at most one per PROGRESS_EVENT_MS = 250 ms per job, plus one per stage change), and a
   * job's `progress` never decreases within one attempt.
   */
  WatchJob: grpc.handleServerStreamingCall<_proofmarket_v1_WatchJobRequest__Output, _proofmarket_v1_JobEvent>;
  
}

export interface MarketDefinition extends grpc.ServiceDefinition {
  CancelJob: MethodDefinition<_proofmarket_v1_CancelJobRequest, _proofmarket_v1_Job, _proofmarket_v1_CancelJobRequest__Output, _proofmarket_v1_Job__Output>
  GetC1: MethodDefinition<_proofmarket_v1_GetC1Request, _proofmarket_v1_C1Info, _proofmarket_v1_GetC1Request__Output, _proofmarket_v1_C1Info__Output>
  GetCircuit: MethodDefinition<_proofmarket_v1_GetCircuitRequest, _proofmarket_v1_Circuit, _proofmarket_v1_GetCircuitRequest__Output, _proofmarket_v1_Circuit__Output>
  GetJob: MethodDefinition<_proofmarket_v1_GetJobRequest, _proofmarket_v1_Job, _proofmarket_v1_GetJobRequest__Output, _proofmarket_v1_Job__Output>
  GetVerificationKey: MethodDefinition<_proofmarket_v1_GetCircuitRequest, _proofmarket_v1_VerificationKey, _proofmarket_v1_GetCircuitRequest__Output, _proofmarket_v1_VerificationKey__Output>
  ListCircuits: MethodDefinition<_proofmarket_v1_ListCircuitsRequest, _proofmarket_v1_ListCircuitsResponse, _proofmarket_v1_ListCircuitsRequest__Output, _proofmarket_v1_ListCircuitsResponse__Output>
  ListJobs: MethodDefinition<_proofmarket_v1_ListJobsRequest, _proofmarket_v1_ListJobsResponse, _proofmarket_v1_ListJobsRequest__Output, _proofmarket_v1_ListJobsResponse__Output>
  ListProvers: MethodDefinition<_proofmarket_v1_ListProversRequest, _proofmarket_v1_ListProversResponse, _proofmarket_v1_ListProversRequest__Output, _proofmarket_v1_ListProversResponse__Output>
  Quote: MethodDefinition<_proofmarket_v1_QuoteRequest, _proofmarket_v1_QuoteResponse, _proofmarket_v1_QuoteRequest__Output, _proofmarket_v1_QuoteResponse__Output>
  RegisterCircuit: MethodDefinition<_proofmarket_v1_RegisterCircuitRequest, _proofmarket_v1_Circuit, _proofmarket_v1_RegisterCircuitRequest__Output, _proofmarket_v1_Circuit__Output>
  SubmitJob: MethodDefinition<_proofmarket_v1_SubmitJobRequest, _proofmarket_v1_Job, _proofmarket_v1_SubmitJobRequest__Output, _proofmarket_v1_Job__Output>
  UploadC1: MethodDefinition<_proofmarket_v1_UploadC1Request, _proofmarket_v1_C1Info, _proofmarket_v1_UploadC1Request__Output, _proofmarket_v1_C1Info__Output>
  Verify: MethodDefinition<_proofmarket_v1_VerifyRequest, _proofmarket_v1_VerifyResponse, _proofmarket_v1_VerifyRequest__Output, _proofmarket_v1_VerifyResponse__Output>
  WatchJob: MethodDefinition<_proofmarket_v1_WatchJobRequest, _proofmarket_v1_JobEvent, _proofmarket_v1_WatchJobRequest__Output, _proofmarket_v1_JobEvent__Output>
}
