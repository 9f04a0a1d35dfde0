// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/common.proto

export const ArtifactKind = {
  ARTIFACT_KIND_UNSPECIFIED: 'ARTIFACT_KIND_UNSPECIFIED',
  /**
   * circom witness generator
   */
  ARTIFACT_KIND_WASM: 'ARTIFACT_KIND_WASM',
  /**
   * snarkjs Groth16 proving key
   */
  ARTIFACT_KIND_ZKEY: 'ARTIFACT_KIND_ZKEY',
  /**
   * snarkjs verification_key.json
   */
  ARTIFACT_KIND_VKEY: 'ARTIFACT_KIND_VKEY',
  /**
   * optional, circom constraint system
   */
  ARTIFACT_KIND_R1CS: 'ARTIFACT_KIND_R1CS',
  /**
   * optional, circom .sym (signal names): lets the broker name missing inputs
   */
  ARTIFACT_KIND_SYM: 'ARTIFACT_KIND_SYM',
} as const;

export type ArtifactKind =
  | 'ARTIFACT_KIND_UNSPECIFIED'
  | 0
  /**
   * circom witness generator
   */
  | 'ARTIFACT_KIND_WASM'
  | 1
  /**
   * snarkjs Groth16 proving key
   */
  | 'ARTIFACT_KIND_ZKEY'
  | 2
  /**
   * snarkjs verification_key.json
   */
  | 'ARTIFACT_KIND_VKEY'
  | 3
  /**
   * optional, circom constraint system
   */
  | 'ARTIFACT_KIND_R1CS'
  | 4
  /**
   * optional, circom .sym (signal names): lets the broker name missing inputs
   */
  | 'ARTIFACT_KIND_SYM'
  | 5

export type ArtifactKind__Output = typeof ArtifactKind[keyof typeof ArtifactKind]
