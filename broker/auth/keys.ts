// API keys: 32 random bytes, base64url, prefixed "pm_" so a leaked key is recognisable. Shown once
// at creation; only the sha256 is stored. Sent as gRPC metadata `authorization: Bearer <key>`.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { AccountRecord, Role, Store } from '../store/types';

export function generateApiKey(): string {
  return 'pm_' + crypto.randomBytes(32).toString('base64url');
}

export function hashApiKey(key: string): string {
  return crypto.createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Creates an account with a fresh key; returns the key (the only time it exists in clear). */
export async function createAccountWithKey(store: Store, name: string, role: Role, nowMs = Date.now()):
  Promise<{ outcome: 'created' | 'name_taken'; account: AccountRecord; apiKey: string | null; keyId: string }> {
  const r = await store.createAccount(name, role, nowMs);
  if (r.outcome !== 'created') return { ...r, apiKey: null, keyId: '' };
  const apiKey = generateApiKey();
  const k = await store.addApiKey(r.account.id, hashApiKey(apiKey), nowMs);
  return { ...r, apiKey, keyId: k.id };
}

/** Issues an additional key for an existing account. */
export async function issueApiKey(store: Store, accountId: string, nowMs = Date.now()): Promise<{ keyId: string; apiKey: string }> {
  const apiKey = generateApiKey();
  const k = await store.addApiKey(accountId, hashApiKey(apiKey), nowMs);
  return { keyId: k.id, apiKey };
}

/** Writes a key file readable only by its owner (0600). */
export function writeKeyFile(file: string, key: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, key + '\n', { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

export function readKeyFile(file: string): string | null {
  try { return fs.readFileSync(file, 'utf8').trim() || null; } catch { return null; }
}

export const ADMIN_KEY_FILE = 'admin.key';
export const CLIENT_KEY_FILE = 'client.key';
export const PROVER_KEY_FILE = 'prover.key';
export const LOCAL_CLIENT = 'local-client';
export const LOCAL_PROVER = 'local-prover';

/**
 * First start on an empty data dir: an `admin` account whose key goes to DATA/admin.key. With
 * `local`, also a `local-client` and a `local-prover` account (DATA/client.key, DATA/prover.key),
 * so `proofmarket start` works with no setup step. A key whose file is lost is re-issued (the old
 * key keeps working until revoked). Returns the files written now.
 */
export async function bootstrapAccounts(store: Store, dataDir: string, local: boolean): Promise<string[]> {
  const written: string[] = [];
  const want: [string, Role, string][] = [['admin', 'admin', ADMIN_KEY_FILE]];
  if (local) want.push([LOCAL_CLIENT, 'client', CLIENT_KEY_FILE], [LOCAL_PROVER, 'prover', PROVER_KEY_FILE]);
  for (const [name, role, file] of want) {
    const f = path.join(dataDir, file);
    const existing = await store.getAccount(name);
    if (existing && readKeyFile(f)) continue;
    let key: string;
    if (!existing) {
      const r = await createAccountWithKey(store, name, role);
      if (!r.apiKey) continue;
      key = r.apiKey;
    } else {
      if (existing.role !== role) throw new Error(`account "${name}" exists with role ${existing.role}, expected ${role}`);
      key = (await issueApiKey(store, existing.id)).apiKey;
    }
    writeKeyFile(f, key);
    written.push(f);
  }
  return written;
}
