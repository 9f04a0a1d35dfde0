// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/common.proto

export const JobState = {
  JOB_STATE_UNSPECIFIED: 'JOB_STATE_UNSPECIFIED',
  JOB_STATE_SUBMITTED: 'JOB_STATE_SUBMITTED',
  JOB_STATE_QUEUED: 'JOB_STATE_QUEUED',
  JOB_STATE_ASSIGNED: 'JOB_STATE_ASSIGNED',
  JOB_STATE_PROVING: 'JOB_STATE_PROVING',
  JOB_STATE_VERIFYING: 'JOB_STATE_VERIFYING',
  /**
   * terminal: proof verified against the circuit's vkey
   */
  JOB_STATE_DONE: 'JOB_STATE_DONE',
  /**
   * terminal: attempts exhausted or input rejected
   */
  JOB_STATE_FAILED: 'JOB_STATE_FAILED',
  /**
   * terminal: deadline passed
   */
  JOB_STATE_EXPIRED: 'JOB_STATE_EXPIRED',
  /**
   * terminal: cancelled by the client
   */
  JOB_STATE_CANCELLED: 'JOB_STATE_CANCELLED',
} as const;

export type JobState =
  | 'JOB_STATE_UNSPECIFIED'
  | 0
  | 'JOB_STATE_SUBMITTED'
  | 1
  | 'JOB_STATE_QUEUED'
  | 2
  | 'JOB_STATE_ASSIGNED'
  | 3
  | 'JOB_STATE_PROVING'
  | 4
  | 'JOB_STATE_VERIFYING'
  | 5
  /**
   * terminal: proof verified against the circuit's vkey
   */
  | 'JOB_STATE_DONE'
  | 6
  /**
   * terminal: attempts exhausted or input rejected
   */
  | 'JOB_STATE_FAILED'
  | 7
  /**
   * terminal: deadline passed
   */
  | 'JOB_STATE_EXPIRED'
  | 8
  /**
   * terminal: cancelled by the client
   */
  | 'JOB_STATE_CANCELLED'
  | 9

export type JobState__Output = typeof JobState[keyof typeof JobState]
