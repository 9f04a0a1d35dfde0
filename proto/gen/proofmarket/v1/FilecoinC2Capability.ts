// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/prover.proto

import type { Long } from '@grpc/proto-loader';

export interface FilecoinC2Capability {
  /**
   * Sector sizes in bytes it proves (e.g. 34359738368 for 32 GiB); a job of another size never comes.
   */
  'sectorSizes'?: (number | string | Long)[];
  /**
   * Memory the command may use (its limit), bytes; 0 = not stated (no memory check by the broker).
   */
  'memoryBytes'?: (number | string | Long);
  /**
   * Asking price per C2 job (one sector), micro-credits; 0 = its per-proof `price`.
   */
  'price'?: (number | string | Long);
}

export interface FilecoinC2Capability__Output {
  /**
   * Sector sizes in bytes it proves (e.g. 34359738368 for 32 GiB); a job of another size never comes.
   */
  'sectorSizes': (string)[];
  /**
   * Memory the command may use (its limit), bytes; 0 = not stated (no memory check by the broker).
   */
  'memoryBytes': (string);
  /**
   * Asking price per C2 job (one sector), micro-credits; 0 = its per-proof `price`.
   */
  'price': (string);
}
