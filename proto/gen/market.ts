// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Artifact as _proofmarket_v1_Artifact, Artifact__Output as _proofmarket_v1_Artifact__Output } from './proofmarket/v1/Artifact';
import type { ArtifactChunk as _proofmarket_v1_ArtifactChunk, ArtifactChunk__Output as _proofmarket_v1_ArtifactChunk__Output } from './proofmarket/v1/ArtifactChunk';
import type { ArtifactHeader as _proofmarket_v1_ArtifactHeader, ArtifactHeader__Output as _proofmarket_v1_ArtifactHeader__Output } from './proofmarket/v1/ArtifactHeader';
import type { C1Info as _proofmarket_v1_C1Info, C1Info__Output as _proofmarket_v1_C1Info__Output } from './proofmarket/v1/C1Info';
import type { CancelJobRequest as _proofmarket_v1_CancelJobRequest, CancelJobRequest__Output as _proofmarket_v1_CancelJobRequest__Output } from './proofmarket/v1/CancelJobRequest';
import type { Circuit as _proofmarket_v1_Circuit, Circuit__Output as _proofmarket_v1_Circuit__Output } from './proofmarket/v1/Circuit';
import type { FilecoinC2Job as _proofmarket_v1_FilecoinC2Job, FilecoinC2Job__Output as _proofmarket_v1_FilecoinC2Job__Output } from './proofmarket/v1/FilecoinC2Job';
import type { FilecoinC2Request as _proofmarket_v1_FilecoinC2Request, FilecoinC2Request__Output as _proofmarket_v1_FilecoinC2Request__Output } from './proofmarket/v1/FilecoinC2Request';
import type { GetC1Request as _proofmarket_v1_GetC1Request, GetC1Request__Output as _proofmarket_v1_GetC1Request__Output } from './proofmarket/v1/GetC1Request';
import type { GetCircuitRequest as _proofmarket_v1_GetCircuitRequest, GetCircuitRequest__Output as _proofmarket_v1_GetCircuitRequest__Output } from './proofmarket/v1/GetCircuitRequest';
import type { GetJobRequest as _proofmarket_v1_GetJobRequest, GetJobRequest__Output as _proofmarket_v1_GetJobRequest__Output } from './proofmarket/v1/GetJobRequest';
import type { Job as _proofmarket_v1_Job, Job__Output as _proofmarket_v1_Job__Output } from './proofmarket/v1/Job';
import type { JobEvent as _proofmarket_v1_JobEvent, JobEvent__Output as _proofmarket_v1_JobEvent__Output } from './proofmarket/v1/JobEvent';
import type { ListCircuitsRequest as _proofmarket_v1_ListCircuitsRequest, ListCircuitsRequest__Output as _proofmarket_v1_ListCircuitsRequest__Output } from './proofmarket/v1/ListCircuitsRequest';
import type { ListCircuitsResponse as _proofmarket_v1_ListCircuitsResponse, ListCircuitsResponse__Output as _proofmarket_v1_ListCircuitsResponse__Output } from './proofmarket/v1/ListCircuitsResponse';
import type { ListJobsRequest as _proofmarket_v1_ListJobsRequest, ListJobsRequest__Output as _proofmarket_v1_ListJobsRequest__Output } from './proofmarket/v1/ListJobsRequest';
import type { ListJobsResponse as _proofmarket_v1_ListJobsResponse, ListJobsResponse__Output as _proofmarket_v1_ListJobsResponse__Output } from './proofmarket/v1/ListJobsResponse';
import type { ListProversRequest as _proofmarket_v1_ListProversRequest, ListProversRequest__Output as _proofmarket_v1_ListProversRequest__Output } from './proofmarket/v1/ListProversRequest';
import type { ListProversResponse as _proofmarket_v1_ListProversResponse, ListProversResponse__Output as _proofmarket_v1_ListProversResponse__Output } from './proofmarket/v1/ListProversResponse';
import type { MarketClient as _proofmarket_v1_MarketClient, MarketDefinition as _proofmarket_v1_MarketDefinition } from './proofmarket/v1/Market';
import type { Partition as _proofmarket_v1_Partition, Partition__Output as _proofmarket_v1_Partition__Output } from './proofmarket/v1/Partition';
import type { PartitionPayload as _proofmarket_v1_PartitionPayload, PartitionPayload__Output as _proofmarket_v1_PartitionPayload__Output } from './proofmarket/v1/PartitionPayload';
import type { Proof as _proofmarket_v1_Proof, Proof__Output as _proofmarket_v1_Proof__Output } from './proofmarket/v1/Proof';
import type { ProverInfo as _proofmarket_v1_ProverInfo, ProverInfo__Output as _proofmarket_v1_ProverInfo__Output } from './proofmarket/v1/ProverInfo';
import type { QuoteOffer as _proofmarket_v1_QuoteOffer, QuoteOffer__Output as _proofmarket_v1_QuoteOffer__Output } from './proofmarket/v1/QuoteOffer';
import type { QuoteRequest as _proofmarket_v1_QuoteRequest, QuoteRequest__Output as _proofmarket_v1_QuoteRequest__Output } from './proofmarket/v1/QuoteRequest';
import type { QuoteResponse as _proofmarket_v1_QuoteResponse, QuoteResponse__Output as _proofmarket_v1_QuoteResponse__Output } from './proofmarket/v1/QuoteResponse';
import type { RegisterCircuitHeader as _proofmarket_v1_RegisterCircuitHeader, RegisterCircuitHeader__Output as _proofmarket_v1_RegisterCircuitHeader__Output } from './proofmarket/v1/RegisterCircuitHeader';
import type { RegisterCircuitRequest as _proofmarket_v1_RegisterCircuitRequest, RegisterCircuitRequest__Output as _proofmarket_v1_RegisterCircuitRequest__Output } from './proofmarket/v1/RegisterCircuitRequest';
import type { SubmitJobRequest as _proofmarket_v1_SubmitJobRequest, SubmitJobRequest__Output as _proofmarket_v1_SubmitJobRequest__Output } from './proofmarket/v1/SubmitJobRequest';
import type { UploadC1Header as _proofmarket_v1_UploadC1Header, UploadC1Header__Output as _proofmarket_v1_UploadC1Header__Output } from './proofmarket/v1/UploadC1Header';
import type { UploadC1Request as _proofmarket_v1_UploadC1Request, UploadC1Request__Output as _proofmarket_v1_UploadC1Request__Output } from './proofmarket/v1/UploadC1Request';
import type { VerificationKey as _proofmarket_v1_VerificationKey, VerificationKey__Output as _proofmarket_v1_VerificationKey__Output } from './proofmarket/v1/VerificationKey';
import type { VerifyRequest as _proofmarket_v1_VerifyRequest, VerifyRequest__Output as _proofmarket_v1_VerifyRequest__Output } from './proofmarket/v1/VerifyRequest';
import type { VerifyResponse as _proofmarket_v1_VerifyResponse, VerifyResponse__Output as _proofmarket_v1_VerifyResponse__Output } from './proofmarket/v1/VerifyResponse';
import type { WatchJobRequest as _proofmarket_v1_WatchJobRequest, WatchJobRequest__Output as _proofmarket_v1_WatchJobRequest__Output } from './proofmarket/v1/WatchJobRequest';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  proofmarket: {
    v1: {
      Artifact: MessageTypeDefinition<_proofmarket_v1_Artifact, _proofmarket_v1_Artifact__Output>
      ArtifactChunk: MessageTypeDefinition<_proofmarket_v1_ArtifactChunk, _proofmarket_v1_ArtifactChunk__Output>
      ArtifactHeader: MessageTypeDefinition<_proofmarket_v1_ArtifactHeader, _proofmarket_v1_ArtifactHeader__Output>
      ArtifactKind: EnumTypeDefinition
      C1Info: MessageTypeDefinition<_proofmarket_v1_C1Info, _proofmarket_v1_C1Info__Output>
      CancelJobRequest: MessageTypeDefinition<_proofmarket_v1_CancelJobRequest, _proofmarket_v1_CancelJobRequest__Output>
      Circuit: MessageTypeDefinition<_proofmarket_v1_Circuit, _proofmarket_v1_Circuit__Output>
      Curve: EnumTypeDefinition
      FilecoinC2Job: MessageTypeDefinition<_proofmarket_v1_FilecoinC2Job, _proofmarket_v1_FilecoinC2Job__Output>
      FilecoinC2Request: MessageTypeDefinition<_proofmarket_v1_FilecoinC2Request, _proofmarket_v1_FilecoinC2Request__Output>
      GetC1Request: MessageTypeDefinition<_proofmarket_v1_GetC1Request, _proofmarket_v1_GetC1Request__Output>
      GetCircuitRequest: MessageTypeDefinition<_proofmarket_v1_GetCircuitRequest, _proofmarket_v1_GetCircuitRequest__Output>
      GetJobRequest: MessageTypeDefinition<_proofmarket_v1_GetJobRequest, _proofmarket_v1_GetJobRequest__Output>
      Job: MessageTypeDefinition<_proofmarket_v1_Job, _proofmarket_v1_Job__Output>
      JobEvent: MessageTypeDefinition<_proofmarket_v1_JobEvent, _proofmarket_v1_JobEvent__Output>
      JobState: EnumTypeDefinition
      ListCircuitsRequest: MessageTypeDefinition<_proofmarket_v1_ListCircuitsRequest, _proofmarket_v1_ListCircuitsRequest__Output>
      ListCircuitsResponse: MessageTypeDefinition<_proofmarket_v1_ListCircuitsResponse, _proofmarket_v1_ListCircuitsResponse__Output>
      ListJobsRequest: MessageTypeDefinition<_proofmarket_v1_ListJobsRequest, _proofmarket_v1_ListJobsRequest__Output>
      ListJobsResponse: MessageTypeDefinition<_proofmarket_v1_ListJobsResponse, _proofmarket_v1_ListJobsResponse__Output>
      ListProversRequest: MessageTypeDefinition<_proofmarket_v1_ListProversRequest, _proofmarket_v1_ListProversRequest__Output>
      ListProversResponse: MessageTypeDefinition<_proofmarket_v1_ListProversResponse, _proofmarket_v1_ListProversResponse__Output>
      Market: SubtypeConstructor<typeof grpc.Client, _proofmarket_v1_MarketClient> & { service: _proofmarket_v1_MarketDefinition }
      Partition: MessageTypeDefinition<_proofmarket_v1_Partition, _proofmarket_v1_Partition__Output>
      PartitionPayload: MessageTypeDefinition<_proofmarket_v1_PartitionPayload, _proofmarket_v1_PartitionPayload__Output>
      Proof: MessageTypeDefinition<_proofmarket_v1_Proof, _proofmarket_v1_Proof__Output>
      ProverInfo: MessageTypeDefinition<_proofmarket_v1_ProverInfo, _proofmarket_v1_ProverInfo__Output>
      QuoteOffer: MessageTypeDefinition<_proofmarket_v1_QuoteOffer, _proofmarket_v1_QuoteOffer__Output>
      QuoteRequest: MessageTypeDefinition<_proofmarket_v1_QuoteRequest, _proofmarket_v1_QuoteRequest__Output>
      QuoteResponse: MessageTypeDefinition<_proofmarket_v1_QuoteResponse, _proofmarket_v1_QuoteResponse__Output>
      RegisterCircuitHeader: MessageTypeDefinition<_proofmarket_v1_RegisterCircuitHeader, _proofmarket_v1_RegisterCircuitHeader__Output>
      RegisterCircuitRequest: MessageTypeDefinition<_proofmarket_v1_RegisterCircuitRequest, _proofmarket_v1_RegisterCircuitRequest__Output>
      SubmitJobRequest: MessageTypeDefinition<_proofmarket_v1_SubmitJobRequest, _proofmarket_v1_SubmitJobRequest__Output>
      UploadC1Header: MessageTypeDefinition<_proofmarket_v1_UploadC1Header, _proofmarket_v1_UploadC1Header__Output>
      UploadC1Request: MessageTypeDefinition<_proofmarket_v1_UploadC1Request, _proofmarket_v1_UploadC1Request__Output>
      VerificationKey: MessageTypeDefinition<_proofmarket_v1_VerificationKey, _proofmarket_v1_VerificationKey__Output>
      VerifyRequest: MessageTypeDefinition<_proofmarket_v1_VerifyRequest, _proofmarket_v1_VerifyRequest__Output>
      VerifyResponse: MessageTypeDefinition<_proofmarket_v1_VerifyResponse, _proofmarket_v1_VerifyResponse__Output>
      WatchJobRequest: MessageTypeDefinition<_proofmarket_v1_WatchJobRequest, _proofmarket_v1_WatchJobRequest__Output>
    }
  }
}

