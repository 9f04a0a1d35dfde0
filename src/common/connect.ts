// How a process reaches the broker, and how the broker listens: TLS (optional) and the API key.
//
// - Clients (CLI, MarketClient, the prover daemon) send their API key on every call as gRPC
//   metadata `authorization: Bearer <key>`. It is attached by a client interceptor rather than
//   call credentials, because grpc-js refuses call credentials on a plaintext channel and the
//   loopback default (`npm start`) is plaintext.
// - TLS is off unless asked for: a client turns it on with a CA bundle (`--tls-ca FILE`, the PEM
//   that signed the broker's certificate; a self-signed certificate is its own CA) or with the
//   system's roots (`--tls`); the broker with `--tls-cert FILE --tls-key FILE`.
import * as fs from 'fs';
import { createSecureContext } from 'tls';
import * as grpc from '@grpc/grpc-js';
import { MAX_MESSAGE_BYTES } from './proto';

export interface ConnectOptions {
  /** API key sent as `authorization: Bearer <key>` on every call; null/undefined = none. */
  apiKey?: string | null;
  /**
   * TLS: null/undefined = plaintext; `{}` = TLS verified against the system's roots;
   * `{ caFile }` = TLS verified against this PEM bundle only.
   */
  tls?: ClientTlsOptions | null;
}

export interface ClientTlsOptions {
  /** PEM file with the CA certificate(s) that signed the broker's certificate. */
  caFile?: string | null;
  /**
   * Accept the broker's certificate whatever name it was issued for (the chain is still checked).
   * Only for a process that knows whom it dials, e.g. `start`'s local prover reaching its own
   * broker at 127.0.0.1 with a certificate made for a DNS name. Default false.
   */
  skipHostnameCheck?: boolean;
}

export interface ServerTlsOptions {
  /** PEM certificate chain of the broker (leaf first). */
  certFile: string;
  /** PEM private key of that certificate. */
  keyFile: string;
}

/** Message size limits both ends use (artifact chunks are 1 MiB; witnesses can be bigger). */
export const MESSAGE_LIMITS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
};

function readPem(file: string, what: string): Buffer {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new Error(`cannot read ${what} ${file}: ${(e as Error).message}`);
  }
  if (!buf.includes('-----BEGIN ')) throw new Error(`${what} ${file} is not a PEM file (no "-----BEGIN" line)`);
  return buf;
}

/** The channel credentials for `o.tls`: plaintext when it is null. */
export function channelCredentials(o: ConnectOptions = {}): grpc.ChannelCredentials {
  if (!o.tls) return grpc.credentials.createInsecure();
  const ca = o.tls.caFile ? readPem(o.tls.caFile, 'TLS CA file') : null;
  return grpc.credentials.createSsl(ca, null, null, o.tls.skipHostnameCheck ? { checkServerIdentity: () => undefined } : undefined);
}

/** Adds `authorization: Bearer <apiKey>` to the metadata of every call made through a client. */
export function apiKeyInterceptor(apiKey: string): grpc.Interceptor {
  const value = `Bearer ${apiKey}`;
  return (options, next) => new grpc.InterceptingCall(next(options), {
    start(metadata, listener, nextStart) {
      metadata.set('authorization', value);
      nextStart(metadata, listener);
    },
  });
}

/** Client options: message limits, the API key interceptor, plus `extra` (keepalive and the like). */
export function clientOptions(o: ConnectOptions = {}, extra: grpc.ClientOptions = {}): grpc.ClientOptions {
  const key = o.apiKey?.trim();
  if (o.apiKey !== undefined && o.apiKey !== null && !key) throw new Error('the API key is empty');
  if (key && !/^[\x21-\x7e]+$/.test(key)) throw new Error('the API key has characters that cannot be sent as gRPC metadata (expected printable ASCII, no spaces)');
  return {
    ...MESSAGE_LIMITS, ...extra,
    ...(key ? { interceptors: [...(extra.interceptors ?? []), apiKeyInterceptor(key)] } : {}),
  };
}

/** Server credentials: TLS with the given certificate and key, or plaintext when `tls` is null. */
export function serverCredentials(tls: ServerTlsOptions | null | undefined): grpc.ServerCredentials {
  if (!tls) return grpc.ServerCredentials.createInsecure();
  const cert = readPem(tls.certFile, 'TLS certificate');
  const key = readPem(tls.keyFile, 'TLS key');
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key.toString('latin1'))) {
    throw new Error(`TLS key ${tls.keyFile} holds no private key (expected a "-----BEGIN ... PRIVATE KEY-----" block)`);
  }
  try {
    createSecureContext({ cert, key }); // a key of another certificate fails here, not at the first handshake
  } catch (e) {
    throw new Error(`TLS certificate ${tls.certFile} and key ${tls.keyFile} do not work together: ${(e as Error).message}`);
  }
  return grpc.ServerCredentials.createSsl(null, [{ cert_chain: cert, private_key: key }], false);
}

/** True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}
