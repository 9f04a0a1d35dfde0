// The attack suite's tools: a raw ProverHub client that says whatever an attacker would (any
// prover key, id, secret, epoch; any API key) and records everything the broker sends it, so a
// test can assert that nothing leaked to it and how the broker refused it.
import * as assert from 'assert';
import * as grpc from '@grpc/grpc-js';
import { MarketError } from '../../src/client/market';
import {
  channelCredentials, clientOptions, newProverHubClient,
  type BrokerMessage__Output, type ConnectOptions, type ProverHubGrpcClient, type ProverMessage,
} from '../../src/common';

export interface RegisterReply { proverId: string; proverSecret: string; sessionEpoch: string; heartbeatMs: number; leaseMs: number }

export interface RawRegister {
  key: string;
  secret?: string;
  name?: string;
  curves?: ('CURVE_BN254' | 'CURVE_BLS12_381')[];
  price?: string;
}

/** One Session stream opened by a RawProver: what came back, and how it ended. */
export class RawSession {
  readonly messages: BrokerMessage__Output[] = [];
  /** The status the broker ended the stream with (null while open). */
  status: grpc.ServiceError | null = null;
  ended = false;
  readonly done: Promise<grpc.ServiceError | null>;

  constructor(readonly call: grpc.ClientDuplexStream<ProverMessage, BrokerMessage__Output>) {
    this.done = new Promise((resolve) => {
      call.on('data', (m: BrokerMessage__Output) => this.messages.push(m));
      call.on('error', (e: grpc.ServiceError) => { this.status = e; this.ended = true; resolve(e); });
      call.on('end', () => { this.ended = true; resolve(this.status); });
    });
  }

  write(m: ProverMessage): void {
    try { this.call.write(m); } catch { /* the broker ended it */ }
  }

  /** Anything a prover could use: assignments (inputs, lease tokens) or acks. */
  leaked(): BrokerMessage__Output[] {
    return this.messages.filter((m) => m.assignment || m.ack);
  }

  /** Waits for the broker to end the stream, at most `ms`; null if it is still open then. */
  async endedWithin(ms: number): Promise<grpc.ServiceError | null> {
    let t: NodeJS.Timeout | undefined;
    const r = await Promise.race([this.done, new Promise<'open'>((res) => { t = setTimeout(() => res('open'), ms); })]);
    clearTimeout(t);
    return r === 'open' ? null : r;
  }

  close(): void {
    try { this.call.cancel(); } catch { /* closed */ }
  }
}

/** A ProverHub client under the attacker's control. */
export class RawProver {
  readonly hub: ProverHubGrpcClient;
  private readonly sessions: RawSession[] = [];

  constructor(address: string, connect: ConnectOptions = {}) {
    this.hub = newProverHubClient(address, channelCredentials(connect), clientOptions(connect));
  }

  register(r: RawRegister): Promise<RegisterReply> {
    return new Promise((resolve, reject) => {
      this.hub.register({
        proverKey: r.key, name: r.name ?? r.key, proverSecret: r.secret ?? '',
        capabilities: {
          curves: r.curves ?? ['CURVE_BN254', 'CURVE_BLS12_381'], backends: ['snarkjs'], maxConstraints: '0', slots: 4,
          price: r.price ?? '0', devices: [{ name: 'attacker', memoryBytes: '0', backend: 'snarkjs' }],
        },
      }, { deadline: Date.now() + 20_000 }, (err, res) => err ? reject(err) : resolve(res as RegisterReply));
    });
  }

  /** Opens a Session and says hello with whatever id, secret and epoch it is given, then heartbeats with no leases. */
  hello(proverId: string, proverSecret = '', sessionEpoch = '0'): RawSession {
    const s = new RawSession(this.hub.session());
    this.sessions.push(s);
    s.write({ hello: { proverId, proverSecret, sessionEpoch } });
    s.write({ heartbeat: { leaseTokens: [] } });
    return s;
  }

  close(): void {
    for (const s of this.sessions) s.close();
    this.hub.close();
  }
}

/** The gRPC status name of an error thrown by a raw call (e.g. 'PERMISSION_DENIED'). */
export function statusName(e: unknown): string {
  const code = (e as { code?: number })?.code;
  return typeof code === 'number' ? grpc.status[code] ?? String(code) : `not a gRPC error: ${String(e)}`;
}

/** Runs `fn`, expects it to fail with `status` (a MarketError or a raw gRPC error), and returns the message. */
export async function refused(fn: () => Promise<unknown>, status: string): Promise<string> {
  try {
    await fn();
  } catch (e) {
    const name = e instanceof MarketError ? e.codeName : statusName(e);
    assert.strictEqual(name, status, `expected ${status}, got ${name}: ${(e as Error).message}`);
    return e instanceof MarketError ? e.message : (e as grpc.ServiceError).details;
  }
  assert.fail(`expected ${status}, but the call succeeded`);
}
