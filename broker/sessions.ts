// Connected prover sessions: who is connected, which leases occupy its slots, and the few things
// the broker says to a prover outside a request/response (assignments, cancels, acks).
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '../src/common/log';
import type { BrokerMessage, ProverMessage__Output } from '../src/common/proto';
import { toStatus } from './errors';
import { supersededStatus } from './prover-identity';
import type { JobRecord, ProverCaps } from './store/types';

export type SessionCall = grpc.ServerDuplexStream<ProverMessage__Output, BrokerMessage>;

export interface ProverSession {
  proverId: string;
  /** The operator account the prover runs for (its balance is the stake). */
  operatorId: string;
  name: string;
  call: SessionCall;
  caps: ProverCaps;
  reputation: number;
  /** Jobs leased to this prover that still occupy one of its slots. */
  active: Set<string>;
  closed: boolean;
  /** Set at hello: the first heartbeat re-sends leases the prover does not know about. */
  resync: boolean;
  /** Jobs acknowledged on this session (recent ones), so a heartbeat racing an ack does not repeat it. */
  acked: Set<string>;
  /** The session epoch its hello carried (bumped by every Register of the prover). */
  epoch: number;
  /**
   * Results being taken in (prover-hub.ts), by job id: the tail of that job's result handling.
   * Results of different jobs are handled side by side; a heartbeat leaves these jobs alone.
   */
  results?: Map<string, Promise<void>>;
}

export type AckStatus = 'accepted' | 'rejected' | 'stale' | 'recorded';

export class Sessions {
  private readonly map = new Map<string, ProverSession>();
  constructor(private readonly log: Logger) {}

  get(proverId: string): ProverSession | undefined { return this.map.get(proverId); }
  all(): ProverSession[] { return [...this.map.values()]; }

  /**
   * Registers a new session for its prover (its hello passed the secret and epoch checks). An
   * older one is fenced: marked closed (its later messages are dropped) and ended with
   * FAILED_PRECONDITION "superseded", which tells its daemon to stop rather than reconnect.
   */
  open(s: ProverSession): void {
    const old = this.map.get(s.proverId);
    // Two hellos checked against the store concurrently: the one of the later Register wins.
    if (old && old !== s && !old.closed && old.epoch > s.epoch) throw supersededStatus(s.proverId, old.epoch);
    this.map.set(s.proverId, s);
    if (old && old !== s) {
      old.closed = true;
      this.log.warn(`prover ${s.proverId}: a newer session (epoch ${s.epoch}) replaces the open one`);
      try { old.call.emit('error', toStatus(supersededStatus(s.proverId, s.epoch))); } catch { /* gone */ }
    }
  }

  /** Whether `s` is still its prover's session (not closed, not superseded). */
  isCurrent(s: ProverSession): boolean {
    return !s.closed && this.map.get(s.proverId) === s;
  }

  /** Forgets the session if it is still the current one for its prover. */
  closed(s: ProverSession): void {
    s.closed = true;
    if (this.map.get(s.proverId) === s) this.map.delete(s.proverId);
  }

  closeAll(): void {
    for (const s of this.map.values()) { s.closed = true; try { s.call.end(); } catch { /* gone */ } }
    this.map.clear();
  }

  /** Sessions with a free slot. */
  free(): ProverSession[] {
    return this.all().filter((s) => !s.closed && s.active.size < Math.max(1, s.caps.slots));
  }

  send(s: ProverSession, m: BrokerMessage): void {
    if (s.closed) return;
    try { s.call.write(m); } catch (e) { this.log.warn(`write to prover ${s.proverId} failed: ${(e as Error).message}`); }
  }

  ack(s: ProverSession, jobId: string, status: AckStatus, message: string): void {
    s.acked.add(jobId);
    if (s.acked.size > 1000) s.acked.delete(s.acked.values().next().value as string);
    this.send(s, { ack: { jobId, status, message } });
  }

  /** Tells the prover holding a job (if connected) to stop, and frees its slot. */
  revoke(prev: JobRecord, reason: 'cancelled' | 'expired' | 'lease_lost' | 'moved'): void {
    if (!prev.proverId || !prev.leaseToken) return;
    const s = this.map.get(prev.proverId);
    if (!s) return;
    s.active.delete(prev.id);
    this.send(s, { cancel: { jobId: prev.id, leaseToken: prev.leaseToken, reason } });
  }
}
