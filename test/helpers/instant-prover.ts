// A scripted prover on a raw ProverHub session, for benchmarks and tests of the result path: it
// registers with a huge slot count, takes every assignment at once and answers it with a proof it
// already has (no proving), at once or — while `hold` is set — when release() is called. Its
// results can also be written by hand (send), e.g. a wrong proof or the same result twice.
import * as crypto from 'crypto';
import type * as grpc from '@grpc/grpc-js';
import { channelCredentials, clientOptions } from '../../src/common/connect';
import { newProverHubClient, type BrokerMessage__Output, type ProverMessage } from '../../src/common/proto';

export type Answer = { proofJson: string; publicJson: string };

export interface Assigned { jobId: string; leaseToken: string; inputJson: string }

export interface InstantProverOptions {
  /** The proof for an assignment's input JSON, or undefined (its lease is then just held). */
  answer: (inputJson: string) => Answer | undefined;
  /** Asking price per proof, micro-credits (default 0). */
  price?: string;
  onAssigned?: (jobId: string, at: number) => void;
  /** When each result was written to the stream (performance.now()). */
  onResult?: (jobId: string, at: number) => void;
  /** Each ack: "accepted" is sent right after the job's DONE transition commits. */
  onAck?: (jobId: string, status: string, message: string, at: number) => void;
}

export interface InstantProver {
  proverId: string;
  /** While true, answerable assignments wait for release(). */
  hold: boolean;
  /** Every assignment received, by job id. */
  readonly assigned: Map<string, Assigned>;
  /** Answers every held assignment now (one stream write each); returns how many. */
  release(): number;
  /** Writes one result as given. */
  send(jobId: string, leaseToken: string, proof: Answer): void;
  /** Writes one progress report (`fraction` 0..1, `stage` e.g. "proving"). */
  progress(jobId: string, leaseToken: string, fraction: number, stage: string): void;
  stop(): void;
}

export async function instantProver(address: string, apiKey: string, o: InstantProverOptions): Promise<InstantProver> {
  const connect = { apiKey };
  const c = newProverHubClient(address, channelCredentials(connect), clientOptions(connect));
  type Reg = { proverId: string; proverSecret: string; sessionEpoch: string };
  const res = await new Promise<Reg>((resolve, reject) => c.Register({
    proverKey: `instant-${process.pid}-${crypto.randomBytes(3).toString('hex')}`, name: 'instant',
    capabilities: { curves: ['CURVE_BN254'], backends: ['instant'], maxConstraints: '0', devices: [], bench: [], slots: 1_000_000, price: o.price ?? '0', pricePerMConstraints: '0' },
  }, (e: grpc.ServiceError | null, r?: Reg) => e || !r ? reject(e) : resolve(r)));
  const s = c.Session();
  const held: { a: Assigned; proof: Answer }[] = [];
  const send = (jobId: string, leaseToken: string, proof: Answer) => {
    o.onResult?.(jobId, performance.now());
    s.write({ result: { jobId, leaseToken, proof, backend: 'instant', proveMs: '1' } } as unknown as ProverMessage);
  };
  const p: InstantProver = {
    proverId: res.proverId,
    hold: false,
    assigned: new Map(),
    release: () => { const n = held.length; for (const h of held.splice(0)) send(h.a.jobId, h.a.leaseToken, h.proof); return n; },
    send,
    progress: (jobId, leaseToken, fraction, stage) => { s.write({ progress: { jobId, leaseToken, fraction, stage } } as unknown as ProverMessage); },
    stop: () => { s.cancel(); c.close(); },
  };
  s.on('data', (m: BrokerMessage__Output) => {
    if (m.ack) { o.onAck?.(m.ack.jobId, m.ack.status, m.ack.message, performance.now()); return; }
    const a = m.assignment;
    if (!a) return;
    o.onAssigned?.(a.jobId, performance.now());
    const as: Assigned = { jobId: a.jobId, leaseToken: a.leaseToken, inputJson: a.inputJson ?? '' };
    p.assigned.set(a.jobId, as);
    const proof = a.inputJson ? o.answer(a.inputJson) : undefined;
    if (!proof) return;
    if (p.hold) held.push({ a: as, proof }); else send(a.jobId, a.leaseToken, proof);
  });
  s.on('error', () => {});
  s.write({ hello: { proverId: res.proverId, proverSecret: res.proverSecret, sessionEpoch: res.sessionEpoch } } as ProverMessage);
  s.write({ heartbeat: { leaseTokens: [] } } as unknown as ProverMessage);
  return p;
}
