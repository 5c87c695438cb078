import { Column, is, SQL, sql, Subquery } from 'drizzle-orm';
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

/**
 * A statement of a fixed shape rendered to SQL text once: `build` writes it with sql.placeholder(name) wherever a
 * value goes, and each call fills those in and runs it as a prepared statement (see executePrepared). Drizzle
 * otherwise renders a statement's text anew on every call, walking every fragment, which on the hottest statements
 * (every request's session lookup, the confirmation) costs more CPU than PostgreSQL spends answering them.
 */
export function preparedStatement(name: string, build: () => SQL): (db: Db, values: Record<string, unknown>) => Promise<unknown> {
  let query: ReturnType<PgDialect['sqlToQuery']> | undefined;
  return (db, values) => {
    query ??= dialect.sqlToQuery(build());
    return db._.session.prepareQuery(query, undefined, name, false).execute(values);
  };
}

/** Renders SQL to its text and parameters (what drizzle sends), without running it. */
export const renderSql = (query: SQL) => dialect.sqlToQuery(query);

type SelectedField = { path: string[]; field: unknown };

/**
 * A flat selection's fields in the order drizzle selects and maps them ({ path: [name], field }, as its
 * orderSelectedFields gives them); undefined when a value is not a column or SQL (a nested selection).
 */
export function flatFields(selection: Record<string, unknown>): SelectedField[] | undefined {
  const fields = Object.entries(selection).map(([name, field]) => ({ path: [name], field }));
  return fields.every(({ field }) => is(field, Column) || is(field, SQL) || is(field, SQL.Aliased) || is(field, Subquery)) ? fields : undefined;
}
type Decoder = { mapFromDriverValue(value: unknown): unknown };

/**
 * The rows of a flat selection (one value per column, as drizzle's select maps them) from the driver's arrays, each
 * column's decoder looked up once rather than for every value; undefined for a nested selection (drizzle maps those).
 */
export function flatRowMapper(fields: SelectedField[]): ((rows: unknown[][]) => Record<string, unknown>[]) | undefined {
  if (fields.some((f) => f.path.length !== 1)) return undefined;
  const names = fields.map((f) => f.path[0]);
  const decoders = fields.map(({ field }) => {
    // As drizzle's mapResultRow finds it (`decoder` is internal to drizzle's SQL).
    const decoderOf = (s: SQL) => (s as unknown as { decoder: Decoder }).decoder;
    return is(field, Column) ? (field as Decoder) : is(field, SQL) ? decoderOf(field) : is(field, Subquery) ? decoderOf(field._.sql) : decoderOf((field as SQL.Aliased).sql);
  });
  return (rows) =>
    rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) {
        const raw = row[i];
        out[names[i]] = raw === null ? null : decoders[i].mapFromDriverValue(raw);
      }
      return out;
    });
}
