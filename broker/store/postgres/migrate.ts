// The store's numbered migrations (../migrations/NNNN_name.sql, shared with SQLite) applied to
// PostgreSQL at start, each in its own transaction and recorded in schema_migrations. Brokers
// starting at once on one database take turns (a transaction-scoped advisory lock), so each
// migration runs exactly once.
import type { Pool, PoolClient } from 'pg';
import { loadMigrations } from '../sqlite';

/** Arbitrary constant (below 2^53, exact as a JS number): the advisory lock key of migrations ("pmmig"). */
const MIGRATION_LOCK = 0x706d6d6967;

/**
 * The migrations are written in the SQL subset SQLite and PostgreSQL share; the two differences
 * they use are rewritten here (each marked in the .sql file with a "PostgreSQL:" comment).
 */
export function toPostgresSql(sql: string): string {
  return sql
    .replace(/\bINTEGER\s+PRIMARY\s+KEY\s+AUTOINCREMENT\b/gi, 'BIGSERIAL PRIMARY KEY')
    .replace(/\bBLOB\b/g, 'BYTEA');
}

async function inTx<T>(c: PoolClient, fn: () => Promise<T>): Promise<T> {
  await c.query('BEGIN');
  try { const r = await fn(); await c.query('COMMIT'); return r; } catch (e) { await c.query('ROLLBACK').catch(() => {}); throw e; }
}

/** Applies pending migrations; throws when the database is newer than this broker. Returns the versions applied. */
export async function migratePostgres(pool: Pool, where: string): Promise<number[]> {
  const all = loadMigrations();
  const newest = all.length ? all[all.length - 1].version : 0;
  const c = await pool.connect();
  const applied: number[] = [];
  try {
    await inTx(c, async () => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await c.query(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ms BIGINT NOT NULL)`);
    });
    for (const m of all) {
      await inTx(c, async () => {
        await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        const done = new Set((await c.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version)));
        const unknown = [...done].filter((v) => v > newest);
        if (unknown.length) throw new Error(`store ${where} has migration ${Math.max(...unknown)}, this broker knows up to ${newest}: upgrade the broker`);
        if (done.has(m.version)) return;
        await c.query(toPostgresSql(m.sql));
        await c.query('INSERT INTO schema_migrations (version, name, applied_ms) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
        applied.push(m.version);
      });
    }
  } finally { c.release(); }
  return applied;
}
