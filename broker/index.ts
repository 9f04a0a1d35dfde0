// Entry point: startBroker() opens the store under dataDir, recovers live jobs, and serves the
// Market and ProverHub gRPC services on `listen` ("127.0.0.1:0" picks a free port).
import * as net from 'net';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import { formatAddress, parseAddress, type HostPort } from '../src/common/address';
import { isLoopbackHost, MESSAGE_LIMITS, serverCredentials, type ServerTlsOptions } from '../src/common/connect';
import { makeLogger } from '../src/common/log';
import { accountsService, marketService, proverHubService } from '../src/common/proto';
import { FALLBACK_KEY_FILE, FALLBACK_OPERATOR, bootstrapAccounts } from './auth/keys';
import { Broker } from './broker';
import type { RunningOps } from './http';
import { instrumentMarket } from './http/instrument';
import { accountsService as accountsHandlers } from './services/accounts';
import { marketService as marketHandlers } from './services/market';
import { proverHubService as proverHubHandlers } from './services/prover-hub';
import { DEFAULT_ROUTING, type RoutingConfig } from './routing';
import { describeStore, openStore } from './store/open';
import { DEFAULT_MONEY_POLICY, type MoneyPolicy } from './store/types';
import { ensureDataDir } from '../src/common/data-dir';

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
  /** Serve TLS with this certificate and key; default plaintext (fine on loopback only). */
  tls?: ServerTlsOptions | null;
  /** Serve Prometheus /metrics and the dashboard on this host:port (null/undefined: no HTTP port). */
  http?: string | null;
  /**
   * The store: a postgres://user:password@host:port/database URL, or '' for the embedded SQLite
   * file dataDir/broker.db. Default: $PM_DATABASE_URL, else SQLite.
   */
  store?: string;
  /**
   * A directory several brokers share for artifact and c1 bytes (`--blob-dir`, $PM_BLOB_DIR), in place
   * of DATA/artifacts and of the PostgreSQL blob tables. Default: none (broker/blobs.ts says where bytes live).
   */
  blobDir?: string | null;
  /** Most live (not terminal) jobs one account may have at once (default 1000; 0 = no cap). */
  maxLiveJobs?: number;
  /**
   * The verifier command for filecoin-c2 jobs (contract: prover/backends/EXTERNAL.md "Verifier").
   * Without one, such jobs and c1 uploads are refused with FAILED_PRECONDITION.
   */
  c2Verifier?: import('./c2').C2VerifierConfig | null;
  /** Largest c1.json accepted by UploadC1, bytes (default 128 MiB). */
  maxC1Bytes?: number;
}

export interface RunningBroker {
  /** The bound host:port, e.g. "127.0.0.1:40123". */
  address: string;
  /** Key files written on this start (first start on an empty data dir), e.g. DATA/admin.key. */
  keyFiles: string[];
  /** Whether it serves TLS. */
  tls: boolean;
  /** With `fallback`: the fallback operator's key file (start a prover with it). */
  fallbackKeyFile: string | null;
  /** The bound host:port of the metrics/dashboard port, or null. */
  httpAddress: string | null;
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
  /**
   * Also create a `local-client` and a `local-prover` account on first start, with their keys in
   * DATA/client.key and DATA/prover.key (what `proofmarket start` uses). Default false: only the
   * admin account (DATA/admin.key) is created.
   */
  localAccounts?: boolean;
  /** Where the key files go (default dataDir). */
  keyDir?: string;
  /** Market fee, stake and slash shares in basis points (default: fee 500, stake 10000, client share of a slash 5000). */
  money?: Partial<MoneyPolicy>;
  /**
   * Routing knobs (see broker/routing.ts): default on-time target, the grace in ms before a
   * disconnected prover's leases are requeued (default 3000), demotion thresholds, admission
   * challenges.
   */
  routing?: Partial<RoutingConfig>;
  /**
   * Create the operator account of a broker-local fallback prover ("market-fallback", key in
   * DATA/fallback.key): provers of that account are used only when no market prover is likely
   * to meet a job's deadline (step 3 of the escalation ladder). The caller starts the prover.
   */
  fallback?: boolean;
}

/**
 * Rejects (Error naming the address) when a.port (not 0) cannot be listened on now: another
 * process holds it (EADDRINUSE), or the host is not this machine's (EADDRNOTAVAIL). A port taken
 * between this check and the bind still fails at the bind.
 */
async function assertPortFree(what: string, a: HostPort): Promise<void> {
  if (a.port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (e: NodeJS.ErrnoException) => reject(new Error(e.code === 'EADDRINUSE'
      ? `${what} ${formatAddress(a)} is already in use (another broker, or \`proofmarket start\`, on it?); nothing was opened`
      : `${what} ${formatAddress(a)} cannot be listened on: ${e.message}`)));
    probe.listen({ host: a.host, port: a.port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

export async function startBroker(opts: StartBrokerOptions & StartBrokerExtras): Promise<RunningBroker> {
  const { host, port } = parseAddress(opts.listen);
  const leaseMs = opts.leaseMs ?? 30_000;
  if (!(leaseMs >= 100)) throw new Error(`leaseMs ${leaseMs} is too small (>= 100)`);
  const heartbeatMs = opts.heartbeatMs ?? Math.max(50, Math.floor(leaseMs / 3));
  const maxAttempts = opts.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  const maxLiveJobs = opts.maxLiveJobs ?? 1000;
  if (!Number.isInteger(maxLiveJobs) || maxLiveJobs < 0) throw new Error(`maxLiveJobs must be a non-negative integer (0 = no cap), got ${maxLiveJobs}`);
  const log = makeLogger('broker', opts.log);
  // Bad certificate files fail here, before anything is opened.
  const credentials = serverCredentials(opts.tls);
  // Owner-only when it is made here: it holds tenants' inputs, circuits and proofs (broker.db,
  // artifacts/) and the account keys; other users of the host have no business in it.
  ensureDataDir(opts.dataDir);
  const money: MoneyPolicy = { ...DEFAULT_MONEY_POLICY, ...(opts.money ?? {}) };
  for (const [k, v] of Object.entries(money)) {
    if (!Number.isInteger(v) || v < 0 || (k !== 'stakeBps' && v > 10_000)) throw new Error(`money.${k} must be an integer of basis points (0..10000), got ${v}`);
  }
  // A port another process listens on fails here, before the store is opened and its live jobs
  // recovered (a second `start` on the same port used to recover jobs and extend leases, then fail).
  await assertPortFree('gRPC address', { host, port });
  if (opts.http) await assertPortFree('--http address', parseAddress(opts.http));
  const storeSpec = opts.store ?? process.env.PM_DATABASE_URL ?? '';
  const store = await openStore(storeSpec, opts.dataDir, money);
  let keyFiles: string[];
  try {
    keyFiles = await bootstrapAccounts(store, opts.keyDir ?? opts.dataDir, !!opts.localAccounts,
      opts.fallback ? [[FALLBACK_OPERATOR, 'prover', FALLBACK_KEY_FILE]] : []);
  } catch (e) { await store.close(); throw e; }
  const fallbackAccount = opts.fallback ? await store.getAccount(FALLBACK_OPERATOR) : null;
  const broker = new Broker(store, {
    dataDir: opts.dataDir, leaseMs, heartbeatMs, maxAttempts,
    sweepMs: opts.sweepMs ?? Math.max(50, Math.min(1000, Math.floor(leaseMs / 4))),
    maxArtifactBytes: opts.maxArtifactBytes ?? 4 * 1024 ** 3, warmVerifier: opts.warmVerifier ?? true, money,
    maxLiveJobsPerAccount: maxLiveJobs, log, blobDir: opts.blobDir ?? null, c2Verifier: opts.c2Verifier ?? null, maxC1Bytes: opts.maxC1Bytes,
    routing: { ...DEFAULT_ROUTING, ...(opts.routing ?? {}) }, fallbackOperatorId: fallbackAccount?.id ?? '',
  });
  const server = new grpc.Server(MESSAGE_LIMITS);
  let ops: RunningOps | null = null;
  server.addService(marketService(), instrumentMarket(marketHandlers(broker), () => ops));
  server.addService(proverHubService(), proverHubHandlers(broker));
  server.addService(accountsService(), accountsHandlers(broker));
  let bound: number;
  try {
    await broker.start();
    if (opts.http) ops = await (await import('./http')).startOps(broker, opts.http);
    bound = await new Promise<number>((resolve, reject) => {
      server.bindAsync(formatAddress({ host, port }), credentials, (err, p) => err ? reject(err) : resolve(p));
    });
  } catch (e) {
    await ops?.close();
    await broker.close(); await store.close();
    server.forceShutdown();
    throw new Error(`broker cannot listen on ${opts.listen}: ${(e as Error).message}`);
  }
  const address = formatAddress({ host, port: bound });
  // The one report of the key files (the CLI does not print them again).
  for (const f of keyFiles) log.info(`wrote API key ${f} (mode 0600; keep it secret)`);
  if (ops) {
    log.info(`metrics on http://${ops.address}/metrics, dashboard on http://${ops.address}/`);
    if (!isLoopbackHost(parseAddress(ops.address).host)) {
      log.warn(`the dashboard on ${ops.address} is plain HTTP that other machines can reach: API keys typed into it cross the network unencrypted; put it behind a TLS proxy or a private network`);
    }
  }
  if (broker.c2Verifier) log.info(`filecoin-c2 jobs accepted, checked by: ${broker.c2Verifier.description}`);
  log.info(`listening on ${address}${opts.tls ? ' with TLS' : ''} (data ${opts.dataDir}, store ${describeStore(storeSpec, opts.dataDir)}, artifacts in ${broker.artifacts.describe()}, lease ${leaseMs} ms, ${maxAttempts} attempts, fee ${money.feeBps} bps, stake ${money.stakeBps} bps)`);
  if (!opts.tls && !isLoopbackHost(host)) {
    log.warn(`serving plaintext on ${address}, which other machines can reach: API keys, inputs and proofs cross the network ` +
      'unencrypted. Start the broker with --tls-cert FILE --tls-key FILE unless a TLS proxy or a private network protects it.');
  }
  let closed: Promise<void> | null = null;
  return {
    address,
    keyFiles,
    tls: !!opts.tls,
    fallbackKeyFile: opts.fallback ? path.join(opts.keyDir ?? opts.dataDir, FALLBACK_KEY_FILE) : null,
    httpAddress: ops?.address ?? null,
    close: () => {
      closed ??= (async () => {
        await ops?.close();
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
