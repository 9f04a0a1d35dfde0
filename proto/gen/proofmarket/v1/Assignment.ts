// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/prover.proto

import type { Circuit as _proofmarket_v1_Circuit, Circuit__Output as _proofmarket_v1_Circuit__Output } from '../../proofmarket/v1/Circuit';
import type { FilecoinC2Job as _proofmarket_v1_FilecoinC2Job, FilecoinC2Job__Output as _proofmarket_v1_FilecoinC2Job__Output } from '../../proofmarket/v1/FilecoinC2Job';
import type { Long } from '@grpc/proto-loader';

export interface Assignment {
  'jobId'?: (string);
  'leaseToken'?: (string);
  'leaseExpiresMs'?: (number | string | Long);
  'circuit'?: (_proofmarket_v1_Circuit | null);
  'inputJson'?: (string);
  'witness'?: (Buffer | Uint8Array | string);
  'deadlineMs'?: (number | string | Long);
  'attempt'?: (number);
  /**
   * A `filecoin-c2` job: fetch the c1.json with FetchArtifact(c1_sha256) and run the C2 command.
   */
  'filecoinC2'?: (_proofmarket_v1_FilecoinC2Job | null);
  'payload'?: "inputJson"|"witness"|"filecoinC2";
}

export interface Assignment__Output {
  'jobId': (string);
  'leaseToken': (string);
  'leaseExpiresMs': (string);
  'circuit': (_proofmarket_v1_Circuit__Output | null);
  'inputJson'?: (string);
  'witness'?: (Buffer);
  'deadlineMs': (string);
  'attempt': (number);
  /**
   * A `filecoin-c2` job: fetch the c1.json with FetchArtifact(c1_sha256) and run the C2 command.
   */
  'filecoinC2'?: (_proofmarket_v1_FilecoinC2Job__Output | null);
  'payload'?: "inputJson"|"witness"|"filecoinC2";
}
