// gRPC status errors with messages a person can act on.
import * as grpc from '@grpc/grpc-js';

export class RpcError extends Error {
  constructor(readonly code: grpc.status, message: string) { super(message); }
}

export const notFound = (m: string) => new RpcError(grpc.status.NOT_FOUND, m);
export const invalid = (m: string) => new RpcError(grpc.status.INVALID_ARGUMENT, m);
export const precondition = (m: string) => new RpcError(grpc.status.FAILED_PRECONDITION, m);
export const alreadyExists = (m: string) => new RpcError(grpc.status.ALREADY_EXISTS, m);
export const exhausted = (m: string) => new RpcError(grpc.status.RESOURCE_EXHAUSTED, m);
export const permissionDenied = (m: string) => new RpcError(grpc.status.PERMISSION_DENIED, m);
export const unavailable = (m: string) => new RpcError(grpc.status.UNAVAILABLE, m);
export const aborted = (m: string) => new RpcError(grpc.status.ABORTED, m);

/**
 * Most characters of a status message sent to a client. Messages echo what the caller sent (an
 * id, a name); grpc-js sends the message percent-encoded in an HTTP/2 trailer, and one past the
 * peer's header-list limit (~64 KiB) is never delivered: the client's call did not settle at all
 * (the CLI exited 0 having printed nothing). 4096 characters, at most 9 bytes each encoded, stay
 * well below it.
 */
export const MAX_STATUS_MESSAGE_CHARS = 4096;

/** `m`, cut to MAX_STATUS_MESSAGE_CHARS (never inside a surrogate pair), saying how much was cut. */
export function capStatusMessage(m: string): string {
  if (m.length <= MAX_STATUS_MESSAGE_CHARS) return m;
  let keep = MAX_STATUS_MESSAGE_CHARS;
  const last = m.charCodeAt(keep - 1);
  if (last >= 0xd800 && last <= 0xdbff) keep -= 1;
  return `${m.slice(0, keep)} … (${m.length - keep} more characters cut)`;
}

/** Any thrown value → a grpc ServiceError-shaped object (unknown errors become INTERNAL); the message capped. */
export function toStatus(e: unknown): Partial<grpc.ServiceError> & { code: grpc.status; details: string } {
  if (e instanceof RpcError) {
    const m = capStatusMessage(e.message);
    return { code: e.code, details: m, message: m, name: 'RpcError' };
  }
  const msg = e instanceof Error ? e.message : String(e);
  return { code: grpc.status.INTERNAL, details: capStatusMessage(`internal error: ${msg}`), message: capStatusMessage(msg), name: 'Error' };
}
