// The CLI's connection flags, shared by every client command and the prover daemon:
//   --broker HOST:PORT[,HOST:PORT...]  (or PM_BROKER; default 127.0.0.1:50051): several brokers
//                        on one database; clients and provers fail over between them
//   --api-key KEY        (or PM_API_KEY; client commands then fall back to a local key file)
//   --tls-ca FILE        (or PM_TLS_CA): TLS, trusting only the CA certificate(s) in FILE
//   --tls                (or PM_TLS=1): TLS, trusting the system's root CAs
// and the broker's server flags --tls-cert FILE --tls-key FILE (or PM_TLS_CERT / PM_TLS_KEY).
import * as fs from 'fs';
import * as path from 'path';
import { CommandSpec, Parsed, UsageError, bool, str } from './args';
import { DEFAULT_BROKER_ADDRESS, isLoopbackHost, parseAddress } from '../common';
import { parseBrokerList } from '../client/failover';
import type { ClientTlsOptions, ConnectOptions, ServerTlsOptions } from '../common';

export const CONNECT_FLAGS: CommandSpec['flags'] = { broker: 'string', 'api-key': 'string', 'tls-ca': 'string', tls: 'boolean' };
export const SERVER_TLS_FLAGS: CommandSpec['flags'] = { 'tls-cert': 'string', 'tls-key': 'string' };

/** Default data dir of `proofmarket start` / `npm start`, where its local key files live. */
export const DEFAULT_DATA_DIR = '.data';

/** The broker address, or a comma-separated list of them (normalised). */
export function brokerAddress(p: Parsed): string {
  const v = str(p, 'broker') ?? (process.env.PM_BROKER || DEFAULT_BROKER_ADDRESS);
  try { return parseBrokerList(v).join(','); } catch (e) { throw new UsageError(`--broker: ${(e as Error).message}`); }
}

function readKeyFile(file: string): string | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const key = text.trim();
  return key || null;
}

/**
 * The API key: --api-key, else PM_API_KEY, else the first of `fallbackFiles` that exists (the
 * local key files `start` writes, so the quick start needs no flag). null when there is none:
 * the broker then answers UNAUTHENTICATED with what to do.
 */
export function apiKey(p: Parsed, fallbackFiles: string[] = []): string | null {
  const flag = str(p, 'api-key');
  if (flag !== undefined) {
    if (!flag.trim()) throw new UsageError('--api-key is empty');
    return flag.trim();
  }
  const env = process.env.PM_API_KEY?.trim();
  if (env) return env;
  for (const f of fallbackFiles) {
    const k = readKeyFile(f);
    if (k) return k;
  }
  return null;
}

/** TLS settings from --tls-ca / --tls (or PM_TLS_CA / PM_TLS); null = plaintext. */
export function clientTls(p: Parsed): ClientTlsOptions | null {
  const ca = str(p, 'tls-ca') ?? (process.env.PM_TLS_CA || undefined);
  if (ca !== undefined) {
    if (!fs.existsSync(ca)) throw new UsageError(`--tls-ca: file not found: ${ca}`);
    return { caFile: path.resolve(ca) };
  }
  if (bool(p, 'tls') || ['1', 'true'].includes(process.env.PM_TLS ?? '')) return {};
  return null;
}

/** Server TLS from --tls-cert / --tls-key (or PM_TLS_CERT / PM_TLS_KEY): both or neither. */
export function serverTls(p: Parsed): ServerTlsOptions | null {
  const cert = str(p, 'tls-cert') ?? (process.env.PM_TLS_CERT || undefined);
  const key = str(p, 'tls-key') ?? (process.env.PM_TLS_KEY || undefined);
  if (!cert && !key) return null;
  if (!cert || !key) throw new UsageError('TLS needs both --tls-cert FILE and --tls-key FILE');
  for (const [flag, f] of [['--tls-cert', cert], ['--tls-key', key]]) {
    if (!fs.existsSync(f)) throw new UsageError(`${flag}: file not found: ${f}`);
  }
  return { certFile: path.resolve(cert), keyFile: path.resolve(key) };
}

/**
 * Everything a client needs to reach the broker. Warns once on stderr when an API key would cross
 * the network in clear text (a non-loopback broker without TLS).
 */
export function connectOptions(p: Parsed, address: string, fallbackKeyFiles: string[] = []): ConnectOptions {
  const o: ConnectOptions = { apiKey: apiKey(p, fallbackKeyFiles), tls: clientTls(p) };
  if (o.apiKey && !o.tls && parseBrokerList(address).some((a) => !isLoopbackHost(parseAddress(a).host))) {
    process.stderr.write(`warning: sending the API key to ${address} without TLS; add --tls-ca FILE (or --tls) if the broker serves TLS\n`);
  }
  return o;
}

/** The key files a client command falls back to: the local client key of `start`'s default data dir. */
export function localClientKeyFiles(): string[] {
  return [path.resolve(DEFAULT_DATA_DIR, 'client.key')];
}

/**
 * grpc-js sets the TLS server name to the host it dials, also when that is an IP address, and
 * Node warns about it once per process (DEP0123) on stderr. The certificate is still checked
 * against the IP (subjectAltName), so for the CLI the warning is noise: drop that one warning only.
 */
export function quietTlsIpWarning(): void {
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((...args: unknown[]) => {
    const code = typeof args[2] === 'string' ? args[2] : (args[1] as { code?: string } | undefined)?.code;
    if (code === 'DEP0123') return;
    emit(...args);
  }) as typeof process.emitWarning;
}
