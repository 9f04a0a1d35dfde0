// The interface every proving backend implements (snarkjs here; the native cpu/cuda engine in
// ./native.ts). The prover daemon computes the witness itself and hands the bytes of a snarkjs
// .wtns file to a backend, which turns it into a Groth16 proof for the given zkey.

export type Curve = 'bn254' | 'bls12-381';

export interface ProveJob {
  curve: Curve;
  /** Path of the circuit's snarkjs Groth16 .zkey on local disk. */
  zkeyPath: string;
  /** A complete snarkjs .wtns file (header + witness section). */
  wtns: Uint8Array;
  /** Called as the proof advances; fraction is 0..1 within the backend's own work. */
  onProgress: (stage: string, fraction: number) => void;
  /** Aborted when the job is cancelled or its lease is lost; a backend stops as soon as it can. */
  signal: AbortSignal;
}

export interface ProveOutput {
  /** proof.json exactly as snarkjs writes it (pi_a, pi_b, pi_c, protocol, curve). */
  proof: object;
  publicSignals: string[];
  /** Name of the backend that produced the proof. */
  backend: string;
}

export interface DeviceDescription {
  name: string;
  memoryBytes: number;
  backend: string;
}

export interface Backend {
  /** 'snarkjs' | 'cpu' | 'cuda' */
  readonly name: string;
  readonly devices: DeviceDescription[];
  prove(job: ProveJob): Promise<ProveOutput>;
  close(): Promise<void>;
}

/** Thrown by a backend when its signal was aborted before the proof was finished. */
export class ProveAbortedError extends Error {
  constructor(message = 'proof aborted') {
    super(message);
    this.name = 'ProveAbortedError';
  }
}
