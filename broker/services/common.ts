// Shared shape of authenticated handlers.
import type * as grpc from '@grpc/grpc-js';
import type { Caller } from '../auth/caller';
import type { Broker } from '../broker';
import { invalid, toStatus } from '../errors';
import { cleanText } from '../../src/common/text';
import { traceArrival, tracing } from '../submit-trace';
import type { Role } from '../store/types';

export const CLIENT_ROLES: readonly Role[] = ['client', 'admin'];
export const PROVER_ROLES: readonly Role[] = ['prover', 'admin'];
export const ADMIN_ROLES: readonly Role[] = ['admin'];
export const ANY_ROLE: readonly Role[] = ['client', 'prover', 'admin'];

/** A unary handler that first authenticates the caller and checks its role. */
export function unary<Req, Res>(b: Broker, rpc: string, roles: readonly Role[], fn: (req: Req, caller: Caller) => Promise<Res>) {
  return (call: grpc.ServerUnaryCall<Req, Res>, cb: grpc.sendUnaryData<Res>) => {
    if (tracing) traceArrival(call.request as object);
    b.auth.authenticate(call.metadata, roles, rpc).then((caller) => fn(call.request, caller))
      .then((r) => cb(null, r), (e) => cb(toStatus(e)));
  };
}

/**
 * A free-text field checked against its limit: control characters removed (src/common/text.ts),
 * trimmed, then INVALID_ARGUMENT when longer than `max` characters (`after`: appended to that
 * message, e.g. ": nothing moved").
 */
export function boundedField(v: string, max: number, what: string, after = ''): string {
  const t = cleanText(v ?? '', Number.MAX_SAFE_INTEGER).trim();
  if (t.length > max) throw invalid(`${what} is ${t.length} characters long, the limit is ${max}${after}`);
  return t;
}
