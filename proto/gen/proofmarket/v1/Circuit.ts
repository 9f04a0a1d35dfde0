// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/common.proto

import type { Curve as _proofmarket_v1_Curve, Curve__Output as _proofmarket_v1_Curve__Output } from '../../proofmarket/v1/Curve';
import type { Artifact as _proofmarket_v1_Artifact, Artifact__Output as _proofmarket_v1_Artifact__Output } from '../../proofmarket/v1/Artifact';
import type { Long } from '@grpc/proto-loader';

export interface Circuit {
  /**
   * Broker-assigned id ("c_" + first 16 hex chars of the zkey hash).
   */
  'id'?: (string);
  'name'?: (string);
  'curve'?: (_proofmarket_v1_Curve);
  /**
   * "groth16"
   */
  'protocol'?: (string);
  /**
   * Number of constraints and public signals, read from the zkey.
   */
  'constraints'?: (number | string | Long);
  'nPublic'?: (number);
  /**
   * log2 of the zkey's FFT domain size.
   */
  'domainLog2'?: (number);
  'artifacts'?: (_proofmarket_v1_Artifact)[];
  'description'?: (string);
  'createdMs'?: (number | string | Long);
  /**
   * Usable by every account (else private to its owner).
   */
  'public'?: (boolean);
  /**
   * Registered with a setup that proves nothing (no phase-2 contribution): do not trust its proofs.
   */
  'insecure'?: (boolean);
  /**
   * Registered by the calling account (false on a prover's assignment).
   */
  'mine'?: (boolean);
}

export interface Circuit__Output {
  /**
   * Broker-assigned id ("c_" + first 16 hex chars of the zkey hash).
   */
  'id': (string);
  'name': (string);
  'curve': (_proofmarket_v1_Curve__Output);
  /**
   * "groth16"
   */
  'protocol': (string);
  /**
   * Number of constraints and public signals, read from the zkey.
   */
  'constraints': (string);
  'nPublic': (number);
  /**
   * log2 of the zkey's FFT domain size.
   */
  'domainLog2': (number);
  'artifacts': (_proofmarket_v1_Artifact__Output)[];
  'description': (string);
  'createdMs': (string);
  /**
   * Usable by every account (else private to its owner).
   */
  'public': (boolean);
  /**
   * Registered with a setup that proves nothing (no phase-2 contribution): do not trust its proofs.
   */
  'insecure': (boolean);
  /**
   * Registered by the calling account (false on a prover's assignment).
   */
  'mine': (boolean);
}
