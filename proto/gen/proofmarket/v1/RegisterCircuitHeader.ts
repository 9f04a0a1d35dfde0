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
   * Artifacts that follow, in this order. Must include ZKEY and VKEY; WASM is needed to submit
   * input_json (without it the circuit takes witnesses only); R1CS and SYM are optional.
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
  /**
   * Register even if the zkey had no phase-2 contribution (delta == gamma, or none recorded).
   * With such a key anyone can forge proofs of any public values; the circuit is then marked
   * insecure in every listing, job and response. Default false: such a key is refused with
   * FAILED_PRECONDITION.
   */
  'allowInsecureSetup'?: (boolean);
}

export interface RegisterCircuitHeader__Output {
  /**
   * Unique human name, [A-Za-z0-9_.-]{1,64}.
   */
  'name': (string);
  /**
   * Artifacts that follow, in this order. Must include ZKEY and VKEY; WASM is needed to submit
   * input_json (without it the circuit takes witnesses only); R1CS and SYM are optional.
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
  /**
   * Register even if the zkey had no phase-2 contribution (delta == gamma, or none recorded).
   * With such a key anyone can forge proofs of any public values; the circuit is then marked
   * insecure in every listing, job and response. Default false: such a key is refused with
   * FAILED_PRECONDITION.
   */
  'allowInsecureSetup': (boolean);
}
