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

/** Any thrown value → a grpc ServiceError-shaped object (unknown errors become INTERNAL). */
export function toStatus(e: unknown): Partial<grpc.ServiceError> & { code: grpc.status; details: string } {
  if (e instanceof RpcError) return { code: e.code, details: e.message, message: e.message, name: 'RpcError' };
  const msg = e instanceof Error ? e.message : String(e);
  return { code: grpc.status.INTERNAL, details: `internal error: ${msg}`, message: msg, name: 'Error' };
}
