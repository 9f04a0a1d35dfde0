// GENERATED FILE — do not edit. Regenerate with: bash proto/gen/regen.sh
// (npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --includeComments --grpcLib=@grpc/grpc-js --outDir=proto/gen -I proto -- proofmarket/v1/{common,market,prover}.proto)
// Original file: proto/proofmarket/v1/prover.proto

import type { Curve as _proofmarket_v1_Curve, Curve__Output as _proofmarket_v1_Curve__Output } from '../../proofmarket/v1/Curve';
import type { DeviceInfo as _proofmarket_v1_DeviceInfo, DeviceInfo__Output as _proofmarket_v1_DeviceInfo__Output } from '../../proofmarket/v1/DeviceInfo';
import type { BenchFigure as _proofmarket_v1_BenchFigure, BenchFigure__Output as _proofmarket_v1_BenchFigure__Output } from '../../proofmarket/v1/BenchFigure';
import type { FilecoinC2Capability as _proofmarket_v1_FilecoinC2Capability, FilecoinC2Capability__Output as _proofmarket_v1_FilecoinC2Capability__Output } from '../../proofmarket/v1/FilecoinC2Capability';
import type { Long } from '@grpc/proto-loader';

export interface Capabilities {
  'curves'?: (_proofmarket_v1_Curve)[];
  /**
   * Backends in preference order, e.g. ["cuda", "cpu", "snarkjs"].
   */
  'backends'?: (string)[];
  /**
   * Largest circuit (constraints) this prover accepts; 0 = unlimited.
   */
  'maxConstraints'?: (number | string | Long);
  'devices'?: (_proofmarket_v1_DeviceInfo)[];
  'bench'?: (_proofmarket_v1_BenchFigure)[];
  /**
   * How many jobs it runs at once (one per card).
   */
  'slots'?: (number);
  /**
   * Asking price per proof in micro-credits; 0 = market default.
   */
  'price'?: (number | string | Long);
  /**
   * Extra asking price per million constraints of the circuit, micro-credits (rounded up).
   */
  'pricePerMConstraints'?: (number | string | Long);
  /**
   * Set when the daemon runs an operator's C2 command for `filecoin-c2` jobs (prover/backends/EXTERNAL.md).
   */
  'filecoinC2'?: (_proofmarket_v1_FilecoinC2Capability | null);
}

export interface Capabilities__Output {
  'curves': (_proofmarket_v1_Curve__Output)[];
  /**
   * Backends in preference order, e.g. ["cuda", "cpu", "snarkjs"].
   */
  'backends': (string)[];
  /**
   * Largest circuit (constraints) this prover accepts; 0 = unlimited.
   */
  'maxConstraints': (string);
  'devices': (_proofmarket_v1_DeviceInfo__Output)[];
  'bench': (_proofmarket_v1_BenchFigure__Output)[];
  /**
   * How many jobs it runs at once (one per card).
   */
  'slots': (number);
  /**
   * Asking price per proof in micro-credits; 0 = market default.
   */
  'price': (string);
  /**
   * Extra asking price per million constraints of the circuit, micro-credits (rounded up).
   */
  'pricePerMConstraints': (string);
  /**
   * Set when the daemon runs an operator's C2 command for `filecoin-c2` jobs (prover/backends/EXTERNAL.md).
   */
  'filecoinC2': (_proofmarket_v1_FilecoinC2Capability__Output | null);
}
