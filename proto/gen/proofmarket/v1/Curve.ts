// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/common.proto

export const Curve = {
  CURVE_UNSPECIFIED: 'CURVE_UNSPECIFIED',
  /**
   * a.k.a. bn128, alt_bn128: circom's default
   */
  CURVE_BN254: 'CURVE_BN254',
  /**
   * Filecoin, Zcash
   */
  CURVE_BLS12_381: 'CURVE_BLS12_381',
} as const;

export type Curve =
  | 'CURVE_UNSPECIFIED'
  | 0
  /**
   * a.k.a. bn128, alt_bn128: circom's default
   */
  | 'CURVE_BN254'
  | 1
  /**
   * Filecoin, Zcash
   */
  | 'CURVE_BLS12_381'
  | 2

export type Curve__Output = typeof Curve[keyof typeof Curve]
