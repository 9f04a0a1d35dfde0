// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Artifact as _proofmarket_v1_Artifact, Artifact__Output as _proofmarket_v1_Artifact__Output } from './proofmarket/v1/Artifact';
import type { Circuit as _proofmarket_v1_Circuit, Circuit__Output as _proofmarket_v1_Circuit__Output } from './proofmarket/v1/Circuit';
import type { FilecoinC2Job as _proofmarket_v1_FilecoinC2Job, FilecoinC2Job__Output as _proofmarket_v1_FilecoinC2Job__Output } from './proofmarket/v1/FilecoinC2Job';
import type { Job as _proofmarket_v1_Job, Job__Output as _proofmarket_v1_Job__Output } from './proofmarket/v1/Job';
import type { Partition as _proofmarket_v1_Partition, Partition__Output as _proofmarket_v1_Partition__Output } from './proofmarket/v1/Partition';
import type { Proof as _proofmarket_v1_Proof, Proof__Output as _proofmarket_v1_Proof__Output } from './proofmarket/v1/Proof';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  proofmarket: {
    v1: {
      Artifact: MessageTypeDefinition<_proofmarket_v1_Artifact, _proofmarket_v1_Artifact__Output>
      ArtifactKind: EnumTypeDefinition
      Circuit: MessageTypeDefinition<_proofmarket_v1_Circuit, _proofmarket_v1_Circuit__Output>
      Curve: EnumTypeDefinition
      FilecoinC2Job: MessageTypeDefinition<_proofmarket_v1_FilecoinC2Job, _proofmarket_v1_FilecoinC2Job__Output>
      Job: MessageTypeDefinition<_proofmarket_v1_Job, _proofmarket_v1_Job__Output>
      JobState: EnumTypeDefinition
      Partition: MessageTypeDefinition<_proofmarket_v1_Partition, _proofmarket_v1_Partition__Output>
      Proof: MessageTypeDefinition<_proofmarket_v1_Proof, _proofmarket_v1_Proof__Output>
    }
  }
}

