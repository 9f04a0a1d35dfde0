// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/prover.proto

import type { Hello as _proofmarket_v1_Hello, Hello__Output as _proofmarket_v1_Hello__Output } from '../../proofmarket/v1/Hello';
import type { Heartbeat as _proofmarket_v1_Heartbeat, Heartbeat__Output as _proofmarket_v1_Heartbeat__Output } from '../../proofmarket/v1/Heartbeat';
import type { Progress as _proofmarket_v1_Progress, Progress__Output as _proofmarket_v1_Progress__Output } from '../../proofmarket/v1/Progress';
import type { Result as _proofmarket_v1_Result, Result__Output as _proofmarket_v1_Result__Output } from '../../proofmarket/v1/Result';

export interface ProverMessage {
  'hello'?: (_proofmarket_v1_Hello | null);
  'heartbeat'?: (_proofmarket_v1_Heartbeat | null);
  'progress'?: (_proofmarket_v1_Progress | null);
  'result'?: (_proofmarket_v1_Result | null);
  'msg'?: "hello"|"heartbeat"|"progress"|"result";
}

export interface ProverMessage__Output {
  'hello'?: (_proofmarket_v1_Hello__Output | null);
  'heartbeat'?: (_proofmarket_v1_Heartbeat__Output | null);
  'progress'?: (_proofmarket_v1_Progress__Output | null);
  'result'?: (_proofmarket_v1_Result__Output | null);
  'msg'?: "hello"|"heartbeat"|"progress"|"result";
}
