// Several brokers behind one client: `--broker a:1,b:2` (or PM_BROKER). Brokers sharing one
// database are interchangeable, so a client talks to one at a time and moves to the next when a
// call fails UNAVAILABLE (the broker is gone or unreachable), retrying the call there. Only
// calls that are safe to repeat go through `call` (reads; SubmitJob carries a request id, so a
// repeat returns the job the first attempt created). With one broker nothing is retried: the
// error reaches the caller as before.
import * as grpc from '@grpc/grpc-js';
import { formatAddress, parseAddress } from '../common/address';

/** "a:1, b:2" → ["a:1", "b:2"] (each normalised; duplicates dropped). Throws on an empty list or a bad address. */
export function parseBrokerList(s: string): string[] {
  const out: string[] = [];
  for (const part of String(s ?? '').split(',')) {
    if (!part.trim()) continue;
    const a = formatAddress(parseAddress(part.trim()));
    if (!out.includes(a)) out.push(a);
  }
  if (!out.length) throw new Error(`no broker address in "${s}" (expected HOST:PORT[,HOST:PORT...])`);
  return out;
}

export class BrokerPool<C extends { close(): void }> {
  readonly addresses: string[];
  private readonly clients: (C | null)[];
  private cur = 0;

  /** `list`: one address or a comma-separated list; `make` builds the gRPC client of one address. */
  constructor(list: string, private readonly make: (address: string) => C, private readonly onFailover?: (from: string, to: string) => void) {
    this.addresses = parseBrokerList(list);
    this.clients = this.addresses.map(() => null);
    this.clients[0] = make(this.addresses[0]);
  }

  /** The client of the broker in use. */
  get client(): C {
    return (this.clients[this.cur] ??= this.make(this.addresses[this.cur]));
  }

  get address(): string { return this.addresses[this.cur]; }

  /** Moves to the next broker (no-op with one). */
  next(): void {
    if (this.addresses.length < 2) return;
    const from = this.address;
    this.cur = (this.cur + 1) % this.addresses.length;
    this.onFailover?.(from, this.address);
  }

  /**
   * Runs `fn` against the current broker; on UNAVAILABLE moves to the next one and tries again,
   * up to two rounds over the list (with a short pause after each full round).
   */
  async call<T>(fn: (c: C) => Promise<T>): Promise<T> {
    const tries = this.addresses.length < 2 ? 1 : this.addresses.length * 2;
    for (let i = 0; ; i++) {
      try {
        return await fn(this.client);
      } catch (e) {
        if (i + 1 >= tries || (e as { code?: number }).code !== grpc.status.UNAVAILABLE) throw e;
        this.next();
        if ((i + 1) % this.addresses.length === 0) await new Promise((r) => setTimeout(r, 300));
      }
    }
  }

  /**
   * For calls that must not run twice (a deposit): one try; on UNAVAILABLE the next call goes to
   * the next broker, and the error reaches the caller (who can check, e.g. the ledger, and retry).
   */
  async callOnce<T>(fn: (c: C) => Promise<T>): Promise<T> {
    try { return await fn(this.client); } catch (e) {
      if ((e as { code?: number }).code === grpc.status.UNAVAILABLE) this.next();
      throw e;
    }
  }

  close(): void { for (const c of this.clients) c?.close(); }
}
