// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Ack as _proofmarket_v1_Ack, Ack__Output as _proofmarket_v1_Ack__Output } from './proofmarket/v1/Ack';
import type { Artifact as _proofmarket_v1_Artifact, Artifact__Output as _proofmarket_v1_Artifact__Output } from './proofmarket/v1/Artifact';
import type { ArtifactData as _proofmarket_v1_ArtifactData, ArtifactData__Output as _proofmarket_v1_ArtifactData__Output } from './proofmarket/v1/ArtifactData';
import type { Assignment as _proofmarket_v1_Assignment, Assignment__Output as _proofmarket_v1_Assignment__Output } from './proofmarket/v1/Assignment';
import type { BenchFigure as _proofmarket_v1_BenchFigure, BenchFigure__Output as _proofmarket_v1_BenchFigure__Output } from './proofmarket/v1/BenchFigure';
import type { BrokerMessage as _proofmarket_v1_BrokerMessage, BrokerMessage__Output as _proofmarket_v1_BrokerMessage__Output } from './proofmarket/v1/BrokerMessage';
import type { Cancel as _proofmarket_v1_Cancel, Cancel__Output as _proofmarket_v1_Cancel__Output } from './proofmarket/v1/Cancel';
import type { Capabilities as _proofmarket_v1_Capabilities, Capabilities__Output as _proofmarket_v1_Capabilities__Output } from './proofmarket/v1/Capabilities';
import type { Circuit as _proofmarket_v1_Circuit, Circuit__Output as _proofmarket_v1_Circuit__Output } from './proofmarket/v1/Circuit';
import type { DeviceInfo as _proofmarket_v1_DeviceInfo, DeviceInfo__Output as _proofmarket_v1_DeviceInfo__Output } from './proofmarket/v1/DeviceInfo';
import type { FetchArtifactRequest as _proofmarket_v1_FetchArtifactRequest, FetchArtifactRequest__Output as _proofmarket_v1_FetchArtifactRequest__Output } from './proofmarket/v1/FetchArtifactRequest';
import type { FilecoinC2Capability as _proofmarket_v1_FilecoinC2Capability, FilecoinC2Capability__Output as _proofmarket_v1_FilecoinC2Capability__Output } from './proofmarket/v1/FilecoinC2Capability';
import type { FilecoinC2Job as _proofmarket_v1_FilecoinC2Job, FilecoinC2Job__Output as _proofmarket_v1_FilecoinC2Job__Output } from './proofmarket/v1/FilecoinC2Job';
import type { Heartbeat as _proofmarket_v1_Heartbeat, Heartbeat__Output as _proofmarket_v1_Heartbeat__Output } from './proofmarket/v1/Heartbeat';
import type { Hello as _proofmarket_v1_Hello, Hello__Output as _proofmarket_v1_Hello__Output } from './proofmarket/v1/Hello';
import type { Job as _proofmarket_v1_Job, Job__Output as _proofmarket_v1_Job__Output } from './proofmarket/v1/Job';
import type { Partition as _proofmarket_v1_Partition, Partition__Output as _proofmarket_v1_Partition__Output } from './proofmarket/v1/Partition';
import type { Progress as _proofmarket_v1_Progress, Progress__Output as _proofmarket_v1_Progress__Output } from './proofmarket/v1/Progress';
import type { Proof as _proofmarket_v1_Proof, Proof__Output as _proofmarket_v1_Proof__Output } from './proofmarket/v1/Proof';
import type { ProverHubClient as _proofmarket_v1_ProverHubClient, ProverHubDefinition as _proofmarket_v1_ProverHubDefinition } from './proofmarket/v1/ProverHub';
import type { ProverMessage as _proofmarket_v1_ProverMessage, ProverMessage__Output as _proofmarket_v1_ProverMessage__Output } from './proofmarket/v1/ProverMessage';
import type { RegisterProverRequest as _proofmarket_v1_RegisterProverRequest, RegisterProverRequest__Output as _proofmarket_v1_RegisterProverRequest__Output } from './proofmarket/v1/RegisterProverRequest';
import type { RegisterProverResponse as _proofmarket_v1_RegisterProverResponse, RegisterProverResponse__Output as _proofmarket_v1_RegisterProverResponse__Output } from './proofmarket/v1/RegisterProverResponse';
import type { Result as _proofmarket_v1_Result, Result__Output as _proofmarket_v1_Result__Output } from './proofmarket/v1/Result';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  proofmarket: {
    v1: {
      Ack: MessageTypeDefinition<_proofmarket_v1_Ack, _proofmarket_v1_Ack__Output>
      Artifact: MessageTypeDefinition<_proofmarket_v1_Artifact, _proofmarket_v1_Artifact__Output>
      ArtifactData: MessageTypeDefinition<_proofmarket_v1_ArtifactData, _proofmarket_v1_ArtifactData__Output>
      ArtifactKind: EnumTypeDefinition
      Assignment: MessageTypeDefinition<_proofmarket_v1_Assignment, _proofmarket_v1_Assignment__Output>
      BenchFigure: MessageTypeDefinition<_proofmarket_v1_BenchFigure, _proofmarket_v1_BenchFigure__Output>
      BrokerMessage: MessageTypeDefinition<_proofmarket_v1_BrokerMessage, _proofmarket_v1_BrokerMessage__Output>
      Cancel: MessageTypeDefinition<_proofmarket_v1_Cancel, _proofmarket_v1_Cancel__Output>
      Capabilities: MessageTypeDefinition<_proofmarket_v1_Capabilities, _proofmarket_v1_Capabilities__Output>
      Circuit: MessageTypeDefinition<_proofmarket_v1_Circuit, _proofmarket_v1_Circuit__Output>
      Curve: EnumTypeDefinition
      DeviceInfo: MessageTypeDefinition<_proofmarket_v1_DeviceInfo, _proofmarket_v1_DeviceInfo__Output>
      FetchArtifactRequest: MessageTypeDefinition<_proofmarket_v1_FetchArtifactRequest, _proofmarket_v1_FetchArtifactRequest__Output>
      FilecoinC2Capability: MessageTypeDefinition<_proofmarket_v1_FilecoinC2Capability, _proofmarket_v1_FilecoinC2Capability__Output>
      FilecoinC2Job: MessageTypeDefinition<_proofmarket_v1_FilecoinC2Job, _proofmarket_v1_FilecoinC2Job__Output>
      Heartbeat: MessageTypeDefinition<_proofmarket_v1_Heartbeat, _proofmarket_v1_Heartbeat__Output>
      Hello: MessageTypeDefinition<_proofmarket_v1_Hello, _proofmarket_v1_Hello__Output>
      Job: MessageTypeDefinition<_proofmarket_v1_Job, _proofmarket_v1_Job__Output>
      JobState: EnumTypeDefinition
      Partition: MessageTypeDefinition<_proofmarket_v1_Partition, _proofmarket_v1_Partition__Output>
      Progress: MessageTypeDefinition<_proofmarket_v1_Progress, _proofmarket_v1_Progress__Output>
      Proof: MessageTypeDefinition<_proofmarket_v1_Proof, _proofmarket_v1_Proof__Output>
      ProverHub: SubtypeConstructor<typeof grpc.Client, _proofmarket_v1_ProverHubClient> & { service: _proofmarket_v1_ProverHubDefinition }
      ProverMessage: MessageTypeDefinition<_proofmarket_v1_ProverMessage, _proofmarket_v1_ProverMessage__Output>
      RegisterProverRequest: MessageTypeDefinition<_proofmarket_v1_RegisterProverRequest, _proofmarket_v1_RegisterProverRequest__Output>
      RegisterProverResponse: MessageTypeDefinition<_proofmarket_v1_RegisterProverResponse, _proofmarket_v1_RegisterProverResponse__Output>
      Result: MessageTypeDefinition<_proofmarket_v1_Result, _proofmarket_v1_Result__Output>
    }
  }
}

