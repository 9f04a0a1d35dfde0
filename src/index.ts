// The proofmarket package's public API (package.json `exports`):
//  - `groth16`: snarkjs's `groth16.prove(zkey, wtns)` / `groth16.fullProve(input, wasm, zkey)`,
//    proved on the market and returning snarkjs's `{ proof, publicSignals }`;
//  - `MarketClient`: the typed client of the broker's Market service (circuits, jobs, verify);
//  - the generated message types it uses.
// Broker address, API key and TLS: options, else PM_BROKER / PM_API_KEY / PM_TLS_CA or PM_TLS.
export {
  groth16, ensureCircuit, proveJob, fullProveJob, brokerFromEnv, openClient,
  type FileSource, type Groth16Proof, type Groth16Result, type MarketOptions,
} from './client/groth16';
export {
  MarketClient, MarketError, isTerminalState, TERMINAL,
  type ArtifactSource, type Circuit, type Job, type JobEvent, type JobState, type ListJobsOptions, type MarketClientOptions,
  type RegisterCircuitOptions, type SubmitOptions, type VerifyResult,
} from './client/market';
export { DEFAULT_BROKER_ADDRESS } from './common/address';
export type { ClientTlsOptions, ConnectOptions } from './common/connect';
