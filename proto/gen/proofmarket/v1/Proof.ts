// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/common.proto


export interface Proof {
  /**
   * proof.json exactly as snarkjs writes it.
   */
  'proofJson'?: (string);
  /**
   * public.json exactly as snarkjs writes it.
   */
  'publicJson'?: (string);
  /**
   * A `filecoin-c2` result's proof (prover → broker) as the chain takes it: partitions × 192 bytes
   * (A‖B‖C, zcash compressed BLS12-381, src/common/filecoin.ts); proof_json/public_json are then
   * empty. The client gets it as Job.proof_bin.
   */
  'filecoinProof'?: (Buffer | Uint8Array | string);
}

export interface Proof__Output {
  /**
   * proof.json exactly as snarkjs writes it.
   */
  'proofJson': (string);
  /**
   * public.json exactly as snarkjs writes it.
   */
  'publicJson': (string);
  /**
   * A `filecoin-c2` result's proof (prover → broker) as the chain takes it: partitions × 192 bytes
   * (A‖B‖C, zcash compressed BLS12-381, src/common/filecoin.ts); proof_json/public_json are then
   * empty. The client gets it as Job.proof_bin.
   */
  'filecoinProof': (Buffer);
}
