// PostgreSQL for tests: the server named by PM_TEST_PG_URL (.ci/run starts a throwaway one), a
// fresh database per suite, skipped with a message when no server is configured.
import * as crypto from 'crypto';
import { Client } from 'pg';

/** The test server's URL (any database on it; suites create their own), or null. */
export const PG_URL: string | null = process.env.PM_TEST_PG_URL || null;

/** Call in a `before` hook: skips the suite, saying how to run it, when PM_TEST_PG_URL is unset. */
export function requirePg(ctx: Mocha.Context, what: string): void {
  if (PG_URL) return;
  console.log(`    (skipped ${what}: set PM_TEST_PG_URL=postgres://user@host:port/db to run it; .ci/run starts a throwaway server)`);
  ctx.skip();
}

/** Creates an empty database pm_test_<label>_<random> on the test server; drop() removes it. */
export async function freshPgDatabase(label: string, server: string | null = PG_URL): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const PG_URL = server;
  if (!PG_URL) throw new Error('PM_TEST_PG_URL is not set');
  const name = `pm_test_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: PG_URL });
  await admin.connect();
  try { await admin.query(`CREATE DATABASE ${name}`); } finally { await admin.end(); }
  const u = new URL(PG_URL); u.pathname = `/${name}`;
  return {
    url: u.toString(), name,
    drop: async () => {
      const c = new Client({ connectionString: PG_URL });
      await c.connect();
      try { await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } finally { await c.end(); }
    },
  };
}
