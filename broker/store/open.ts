// Store selection: the embedded SQLite file under the data dir (default), or PostgreSQL when given
// a postgres:// URL (`proofmarket broker --store URL`, or PM_DATABASE_URL).
import * as path from 'path';
import { PgBlobs, type SharedBlobs } from '../blobs';
import { openPostgresStore, PostgresStore } from './postgres/store';
import { SqliteStore } from './sqlite';
import type { MoneyPolicy, Store } from './types';

const PG_URL = /^postgres(ql)?:\/\//i;

/** Where a store spec points, for logs: the URL without its password, or the SQLite file. */
export function describeStore(spec: string, dataDir: string): string {
  if (!PG_URL.test(spec)) return path.join(dataDir, 'broker.db');
  try { const u = new URL(spec); if (u.password) u.password = '***'; return u.toString(); } catch { return 'postgres (unparsable URL)'; }
}

/**
 * Opens the store a spec names: '' → SQLite `dataDir/broker.db`; `postgres://user:pass@host:port/db`
 * (or postgresql://) → PostgreSQL, migrations applied. Anything else is an Error saying what is accepted.
 */
export async function openStore(spec: string, dataDir: string, money: MoneyPolicy): Promise<Store> {
  if (spec === '' || spec === 'sqlite') {
    // PM_SQLITE_CHECKPOINT=inline: SQLite's own auto-checkpoint inside the COMMIT, no worker thread (store/checkpoint.ts).
    return new SqliteStore(path.join(dataDir, 'broker.db'), { money, checkpoint: process.env.PM_SQLITE_CHECKPOINT === 'inline' ? false : undefined });
  }
  if (PG_URL.test(spec)) {
    try { return await openPostgresStore(spec, { money }); } catch (e) {
      throw new Error(`cannot open the PostgreSQL store at ${describeStore(spec, dataDir)}: ${(e as Error).message}`);
    }
  }
  throw new Error(`--store must be a postgres://user:password@host:port/database URL (or empty for the SQLite file under the data dir), got "${spec}"`);
}

/**
 * Calls `fn` whenever another broker sharing the store commits a job transition (PostgreSQL:
 * LISTEN on the outbox channel). Returns an unsubscribe, or null for stores no one else writes
 * to (SQLite), where the broker's own writes and its poll timer suffice.
 */
export function onOtherBrokersWrite(store: Store, fn: () => void): (() => void) | null {
  // Its own commits' wake-ups are skipped: the broker already notified and dispatched after them.
  return store instanceof PostgresStore ? store.subscribe((_seq, own) => { if (!own) fn(); }) : null;
}

/**
 * The blobs every broker of this store can read: PostgreSQL's blob tables (migration 0015), or null
 * for SQLite (one broker; its DATA/artifacts directory is all there is).
 */
export function sharedBlobsFor(store: Store): SharedBlobs | null {
  return store instanceof PostgresStore ? new PgBlobs(store.pool) : null;
}
