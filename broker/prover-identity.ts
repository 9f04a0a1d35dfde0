// A prover daemon's identity: the secret issued at its first Register (stored only as a SHA-256)
// and the session epoch every Register bumps. Register must present the secret once one is bound;
// a Session hello must present the secret and the epoch of the latest Register. So a process that
// never registered cannot say hello with a victim's prover id, and of two processes holding the
// same identity only the one that registered last holds the session: the other is fenced.
import * as crypto from 'crypto';
import { notFound, permissionDenied, precondition, type RpcError } from './errors';
import type { ProverRecord } from './store/types';

/** A fresh prover secret: 32 random bytes, base64url, with a prefix that says what it is. */
export function newProverSecret(): string {
  return 'pms_' + crypto.randomBytes(32).toString('base64url');
}

export function secretSha256(secret: string): string {
  return crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex'); const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && crypto.timingSafeEqual(x, y);
}

/** The message for a Register whose secret does not match the prover key's. */
export function registerMismatchMessage(key: string, presented: boolean): string {
  return presented
    ? `prover key "${key}" is bound to another secret than the one presented: another daemon holds this identity. ` +
      'Give this daemon its own --data dir (a new prover id), or restore that daemon\'s identity.json'
    : `prover key "${key}" is registered already and this request carries no prover secret: only the daemon ` +
      'holding its identity.json can register as it. Give this daemon its own --data dir (a new prover id)';
}

export interface HelloClaim { proverId: string; proverSecret: string; sessionEpoch: string }

/**
 * Checks a Session hello against the prover's record; throws the status to end the stream with.
 * `p` is null when the prover does not exist (or belongs to another operator: the same answer, so
 * the reply reveals nothing).
 */
export function checkHello(p: ProverRecord | null, h: HelloClaim): void {
  if (!p) throw notFound(`unknown prover id "${h.proverId}": call Register first`);
  if (!h.proverSecret || !sameHash(secretSha256(h.proverSecret), p.secretSha256)) {
    throw permissionDenied(
      `hello for prover ${p.id} does not carry its secret: only the daemon that registered it can open its session`);
  }
  const epoch = Number(h.sessionEpoch);
  if (epoch !== p.sessionEpoch) {
    throw precondition(
      `stale session for prover ${p.id}: hello carries epoch ${h.sessionEpoch}, but the prover registered again since ` +
      `(epoch ${p.sessionEpoch}); another process runs with this identity`);
  }
}

/** The status an older session of a prover is ended with when a newer one says hello. */
export function supersededStatus(proverId: string, epoch: number): RpcError {
  return precondition(
    `session superseded: prover ${proverId} registered again and opened a newer session (epoch ${epoch}); ` +
    'this process no longer holds its leases. Two daemons share one identity (the same --data dir)?');
}
