// Authentication of every RPC: `authorization: Bearer <key>` metadata → the calling account.
// No key / unknown key / revoked key → UNAUTHENTICATED; a role the RPC does not admit →
// PERMISSION_DENIED. Handlers receive the Caller and scope what they read and write to it.
import * as grpc from '@grpc/grpc-js';
import { RpcError } from '../errors';
import type { Role, Store } from '../store/types';
import { hashApiKey } from './keys';

export interface Caller { accountId: string; name: string; role: Role }

export const unauthenticated = (m: string) => new RpcError(grpc.status.UNAUTHENTICATED, m);
export const permissionDenied = (m: string) => new RpcError(grpc.status.PERMISSION_DENIED, m);

/** The bearer token of a call's metadata, or null. */
export function bearer(md: grpc.Metadata): string | null {
  const v = md.get('authorization')[0];
  if (v === undefined) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(String(v));
  return m ? m[1] : null;
}

/**
 * Why a request has no usable key: none sent, or an authorization in another form. The value
 * itself is never echoed: it may be a password (Basic) or a key written wrong.
 */
export function missingBearer(sentSomething: boolean): string {
  return sentSomething ? 'the authorization given is not "Bearer <key>" (Basic and other schemes are not accepted)' : 'no API key';
}

export class Authenticator {
  /** Small cache: key hash → caller, for a few seconds (revocation takes effect within ttlMs). */
  private readonly cache = new Map<string, { caller: Caller; until: number }>();
  constructor(private readonly store: Store, private readonly ttlMs = 2000) {}

  /** Resolves the caller of `md` and checks its role is one of `roles`. */
  async authenticate(md: grpc.Metadata, roles: readonly Role[], rpc: string): Promise<Caller> {
    const key = bearer(md);
    if (!key) {
      throw unauthenticated(`${rpc}: ${missingBearer(md.get('authorization').length > 0)}: send metadata "authorization: Bearer <key>" (CLI: --api-key KEY or PM_API_KEY)`);
    }
    const h = hashApiKey(key);
    const now = Date.now();
    let caller = this.cache.get(h);
    if (!caller || caller.until < now) {
      const hit = await this.store.findApiKey(h);
      if (!hit) throw unauthenticated(`${rpc}: API key not recognised by this broker`);
      if (hit.key.revokedMs) throw unauthenticated(`${rpc}: API key ${hit.key.id} of account "${hit.account.name}" was revoked`);
      if (hit.account.role === 'system') throw unauthenticated(`${rpc}: API key not recognised by this broker`);
      caller = { caller: { accountId: hit.account.id, name: hit.account.name, role: hit.account.role }, until: now + this.ttlMs };
      this.cache.set(h, caller);
      if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value as string);
    }
    if (!roles.includes(caller.caller.role)) {
      throw permissionDenied(`${rpc} needs ${/^[aeiou]/.test(roles[0]) ? 'an' : 'a'} ${roles.join(' or ')} account; "${caller.caller.name}" is ${caller.caller.role}`);
    }
    return caller.caller;
  }

  /** Forgets cached callers (after a revocation on this broker). */
  flush(): void { this.cache.clear(); }
}
