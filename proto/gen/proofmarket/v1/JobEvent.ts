// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/market.proto

import type { Job as _proofmarket_v1_Job, Job__Output as _proofmarket_v1_Job__Output } from '../../proofmarket/v1/Job';

export interface JobEvent {
  /**
   * The job as of this event.
   */
  'job'?: (_proofmarket_v1_Job | null);
  /**
   * What happened: "snapshot", "state", "progress", "routing" (why the job waits, or an escalation step: see Job.routing).
   */
  'kind'?: (string);
}

export interface JobEvent__Output {
  /**
   * The job as of this event.
   */
  'job': (_proofmarket_v1_Job__Output | null);
  /**
   * What happened: "snapshot", "state", "progress", "routing" (why the job waits, or an escalation step: see Job.routing).
   */
  'kind': (string);
}
