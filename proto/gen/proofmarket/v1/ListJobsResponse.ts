// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/market.proto

import type { Job as _proofmarket_v1_Job, Job__Output as _proofmarket_v1_Job__Output } from '../../proofmarket/v1/Job';

export interface ListJobsResponse {
  'jobs'?: (_proofmarket_v1_Job)[];
}

export interface ListJobsResponse__Output {
  'jobs': (_proofmarket_v1_Job__Output)[];
}
