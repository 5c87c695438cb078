import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';

/**
 * Rows of a raw `db.execute(sql`...`)`: PGlite answers `{ rows }`, postgres-js an array (with extra fields).
 * Numbers from count()/sum() may come back as strings or bigints depending on the driver: cast in SQL (::int).
 */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown } | null)?.rows;
  if (Array.isArray(rows)) return rows as T[];
  throw new Error('rowsOf: unexpected result of db.execute');
}

/** The single row of a raw query that always returns exactly one (aggregates, INSERT ... RETURNING of one row). */
export function oneRow<T = Record<string, unknown>>(result: unknown): T {
  const [row] = rowsOf<T>(result);
  if (!row) throw new Error('oneRow: the query returned no row');
  return row;
}

const dialect = new PgDialect();

/**
 * db.execute, but as a prepared statement: postgres.js keeps it per connection by its text, so PostgreSQL parses and
 * plans it once instead of on every call (PGlite ignores the name). For hot statements of a fixed shape.
 */
export function executePrepared(db: Db, name: string, query: SQL): Promise<unknown> {
  return db._.session.prepareQuery(dialect.sqlToQuery(query), undefined, name, false).execute();
}

/** How long a statement of a long job (invoice run, import, data health) may take, in place of the API's timeout. */
export const JOB_STATEMENT_TIMEOUT = '15min';

/** Lifts the request's statement timeout for the rest of the current transaction (SET LOCAL), for a long job. */
export async function allowLongStatements(db: Db): Promise<void> {
  await db.execute(sql`select set_config('statement_timeout', ${JOB_STATEMENT_TIMEOUT}, true)`);
}
