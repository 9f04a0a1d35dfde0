// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/market.proto

import type { ArtifactHeader as _proofmarket_v1_ArtifactHeader, ArtifactHeader__Output as _proofmarket_v1_ArtifactHeader__Output } from '../../proofmarket/v1/ArtifactHeader';

export interface RegisterCircuitHeader {
  /**
   * Unique human name, [A-Za-z0-9_.-]{1,64}.
   */
  'name'?: (string);
  /**
   * Artifacts that follow, in this order. Must include WASM, ZKEY and VKEY; R1CS is optional.
   */
  'artifacts'?: (_proofmarket_v1_ArtifactHeader)[];
  /**
   * Free-form description shown in listings.
   */
  'description'?: (string);
  /**
   * Let every account see and use the circuit (default: private to the registering account).
   */
  'public'?: (boolean);
}

export interface RegisterCircuitHeader__Output {
  /**
   * Unique human name, [A-Za-z0-9_.-]{1,64}.
   */
  'name': (string);
  /**
   * Artifacts that follow, in this order. Must include WASM, ZKEY and VKEY; R1CS is optional.
   */
  'artifacts': (_proofmarket_v1_ArtifactHeader__Output)[];
  /**
   * Free-form description shown in listings.
   */
  'description': (string);
  /**
   * Let every account see and use the circuit (default: private to the registering account).
   */
  'public': (boolean);
}
