// Entry point: startBroker() opens the store under dataDir, recovers live jobs, and serves the
// Market and ProverHub gRPC services on `listen` ("127.0.0.1:0" picks a free port).
import * as fs from 'fs';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import { formatAddress, parseAddress } from '../src/common/address';
import { makeLogger } from '../src/common/log';
import { marketService, MAX_MESSAGE_BYTES, proverHubService } from '../src/common/proto';
import { Broker } from './broker';
import { SqliteStore } from './store/sqlite';

export interface StartBrokerOptions {
  /** host:port to listen on; port 0 picks a free one. */
  listen: string;
  /** Folder for broker.db and artifacts/ (created if missing). */
  dataDir: string;
  /** How long a lease lasts without a heartbeat (default 30000 ms). */
  leaseMs?: number;
  /** How often provers should heartbeat (default leaseMs / 3). */
  heartbeatMs?: number;
  /** Assignments per job before it FAILS (default 3). */
  maxAttempts?: number;
  /** Receives every log line; default: stderr. */
  log?: (line: string) => void;
}

export interface RunningBroker {
  /** The bound host:port, e.g. "127.0.0.1:40123". */
  address: string;
  close(): Promise<void>;
}

/** Extra knobs for tests and operators; not part of the stable signature. */
export interface StartBrokerExtras {
  /** How often lapsed leases and deadlines are swept (default min(1000, leaseMs/4) ms). */
  sweepMs?: number;
  /** Largest artifact accepted at registration (default 4 GiB); larger → RESOURCE_EXHAUSTED. */
  maxArtifactBytes?: number;
  /** Build registered curves in the verifier process at start/registration (default true). */
  warmVerifier?: boolean;
}

export async function startBroker(opts: StartBrokerOptions & StartBrokerExtras): Promise<RunningBroker> {
  const { host, port } = parseAddress(opts.listen);
  const leaseMs = opts.leaseMs ?? 30_000;
  if (!(leaseMs >= 100)) throw new Error(`leaseMs ${leaseMs} is too small (>= 100)`);
  const heartbeatMs = opts.heartbeatMs ?? Math.max(50, Math.floor(leaseMs / 3));
  const maxAttempts = opts.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  const log = makeLogger('broker', opts.log);
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const store = new SqliteStore(path.join(opts.dataDir, 'broker.db'));
  const broker = new Broker(store, {
    dataDir: opts.dataDir, leaseMs, heartbeatMs, maxAttempts,
    sweepMs: opts.sweepMs ?? Math.max(50, Math.min(1000, Math.floor(leaseMs / 4))),
    maxArtifactBytes: opts.maxArtifactBytes ?? 4 * 1024 ** 3, warmVerifier: opts.warmVerifier ?? true, log,
  });
  const server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });
  server.addService(marketService(), broker.market());
  server.addService(proverHubService(), broker.proverHub());
  let bound: number;
  try {
    await broker.start();
    bound = await new Promise<number>((resolve, reject) => {
      server.bindAsync(formatAddress({ host, port }), grpc.ServerCredentials.createInsecure(), (err, p) => err ? reject(err) : resolve(p));
    });
  } catch (e) {
    await broker.close(); await store.close();
    server.forceShutdown();
    throw new Error(`broker cannot listen on ${opts.listen}: ${(e as Error).message}`);
  }
  const address = formatAddress({ host, port: bound });
  log.info(`listening on ${address} (data ${opts.dataDir}, lease ${leaseMs} ms, ${maxAttempts} attempts)`);
  let closed: Promise<void> | null = null;
  return {
    address,
    close: () => {
      closed ??= (async () => {
        await broker.close();
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => { server.forceShutdown(); resolve(); }, 2000);
          server.tryShutdown(() => { clearTimeout(t); resolve(); });
        });
        await store.close();
        log.info('stopped');
      })();
      return closed;
    },
  };
}
