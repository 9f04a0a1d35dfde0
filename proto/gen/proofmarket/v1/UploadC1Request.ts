// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/market.proto

import type { UploadC1Header as _proofmarket_v1_UploadC1Header, UploadC1Header__Output as _proofmarket_v1_UploadC1Header__Output } from '../../proofmarket/v1/UploadC1Header';

export interface UploadC1Request {
  'header'?: (_proofmarket_v1_UploadC1Header | null);
  /**
   * The next bytes of the file, in order (at most 4 MiB per message; the CLI sends 1 MiB).
   */
  'chunk'?: (Buffer | Uint8Array | string);
  'msg'?: "header"|"chunk";
}

export interface UploadC1Request__Output {
  'header'?: (_proofmarket_v1_UploadC1Header__Output | null);
  /**
   * The next bytes of the file, in order (at most 4 MiB per message; the CLI sends 1 MiB).
   */
  'chunk'?: (Buffer);
  'msg'?: "header"|"chunk";
}
