// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/prover.proto

import type { Assignment as _proofmarket_v1_Assignment, Assignment__Output as _proofmarket_v1_Assignment__Output } from '../../proofmarket/v1/Assignment';
import type { Cancel as _proofmarket_v1_Cancel, Cancel__Output as _proofmarket_v1_Cancel__Output } from '../../proofmarket/v1/Cancel';
import type { Ack as _proofmarket_v1_Ack, Ack__Output as _proofmarket_v1_Ack__Output } from '../../proofmarket/v1/Ack';

export interface BrokerMessage {
  'assignment'?: (_proofmarket_v1_Assignment | null);
  'cancel'?: (_proofmarket_v1_Cancel | null);
  'ack'?: (_proofmarket_v1_Ack | null);
  'msg'?: "assignment"|"cancel"|"ack";
}

export interface BrokerMessage__Output {
  'assignment'?: (_proofmarket_v1_Assignment__Output | null);
  'cancel'?: (_proofmarket_v1_Cancel__Output | null);
  'ack'?: (_proofmarket_v1_Ack__Output | null);
  'msg'?: "assignment"|"cancel"|"ack";
}
