import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rowsOf } from './sql.js';

/**
 * A list's rows as CSV lines written by the database: one text column per row (the exports' rules: rupees for
 * *_paise, IST times, text neutralised and quoted by RFC 4180), so the API only passes strings on. Formatting each cell
 * in JavaScript cost more than reading the rows (issue 14's benchmark x). The cell rules are csvCell's in export.ts;
 * tests/api/export-csv-sql.test.ts holds the two equal on every list.
 */

/** The names added next to ids (export.ts's addNames adds them per batch), here as subqueries of the lines' query. */
export const NAMES: { id: string; name: string; table: string }[] = [
  { id: 'customer_id', name: 'customer_name', table: 'customers' },
  { id: 'zone_id', name: 'zone_name', table: 'zones' },
  { id: 'product_id', name: 'product_name', table: 'products' },
  { id: 'staff_id', name: 'staff_name', table: 'staff' },
  { id: 'user_id', name: 'user_name', table: 'users' },
];

type Kind = 'plain' | 'number' | 'money' | 'instant' | 'text';

/**
 * How a column of this type is written, by the rules csvCell applies; null for a type only JavaScript writes that
 * way (json, arrays, timestamps without a zone): the export formats batches then.
 */
function kindOf(name: string, type: { typname: string; typcategory: string }): Kind | null {
  switch (type.typname) {
    case 'int2':
    case 'int4':
    case 'int8':
    case 'numeric':
      return name.endsWith('_paise') ? 'money' : 'number';
    case 'float4':
    case 'float8':
      return 'number';
    case 'uuid':
    case 'bool':
    case 'date':
      return 'plain';
    case 'timestamptz':
      return 'instant';
  }
  // Strings and enums: text from the data.
  return type.typcategory === 'S' || type.typcategory === 'E' ? 'text' : null;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

// Regular expressions (standard strings: the backslashes reach the regex engine, which reads \t \r \n).
/** A formula's first character: =, +, -, @, tab, CR. */
const FORMULA = String.raw`'^[-=+@\t\r]'`;
/** What makes a field quoted: a quote, comma or line break. */
const QUOTED = String.raw`'[",\r\n]'`;
/** Either: the cell needs more than its text. */
const SPECIAL = String.raw`'^[-=+@\t\r]|[",\r\n]'`;

/**
 * One cell as SQL text, never null (`column` of the relation `alias`). Text: a leading =, +, -, @, tab or CR gets a '
 * (CSV injection); a field with a quote, comma or line break is quoted, its quotes doubled. One regular expression
 * passes the common cell through untouched.
 */
function cellSql(alias: string, column: string, kind: Kind): string {
  const c = `${alias}.${ident(column)}`;
  switch (kind) {
    case 'plain':
    case 'number':
      return `coalesce(${c}::text, '')`;
    // Exact: numeric times 0.01 keeps two decimals ("1234.50", "-0.05"), as paiseToRupees writes them.
    case 'money':
      return `coalesce((${c} * 0.01)::text, '')`;
    // "2026-11-05 07:30:00": the IST wall-clock time, seconds truncated as istText does (IST has no summer time).
    case 'instant':
      return `coalesce(to_char((${c} at time zone 'UTC') + interval '330 minutes', 'YYYY-MM-DD HH24:MI:SS'), '')`;
    case 'text': {
      const t = `${c}::text`;
      const neutral = `case when ${t} ~ ${FORMULA} then '''' || ${t} else ${t} end`;
      return (
        `case when ${c} is null then '' when ${t} !~ ${SPECIAL} then ${t} ` +
        `when ${t} ~ ${QUOTED} then '"' || replace(${neutral}, '"', '""') || '"' else ${neutral} end`
      );
    }
  }
}

export interface CsvLines {
  /** The columns in the order of the lines' cells (the list's, then the names added). */
  columns: string[];
  /** SELECT line FROM (the rows): one CSV record per row, without its CRLF, in the rows' order. */
  lines: SQL;
}

/**
 * The SQL of `rows` as CSV lines, or null when a column has a type only JavaScript writes by the rules (the caller
 * formats batches then). Reads the columns' types first (LIMIT 0: no row is read).
 */
export async function csvLines(db: Db, rows: SQLWrapper): Promise<CsvLines | null> {
  // Named by the selection's keys, in its order, as the rows JavaScript reads are: drizzle leaves columns unaliased
  // in SQL (a join's customers.name and zones.name are both "name") and names them when it maps a row.
  const keys = 'getSelectedFields' in rows && typeof rows.getSelectedFields === 'function' ? Object.keys(rows.getSelectedFields() as object) : null;
  const base = keys ? sql`(${rows}) q(${sql.raw(keys.map(ident).join(', '))})` : sql`(${rows}) q`;
  const fields = columnsOf(await db.execute(sql`select * from ${base} limit 0`));
  if (keys && keys.length !== fields.length) return null;
  const oids = [...new Set(fields.map((f) => f.type))];
  const types = new Map(
    rowsOf<{ oid: number; typname: string; typcategory: string }>(
      await db.execute(sql`select oid::int as oid, typname::text as typname, typcategory::text as typcategory from pg_type where oid = any(${`{${oids.join(',')}}`}::oid[])`),
    ).map((t) => [Number(t.oid), t]),
  );
  const present = new Set(fields.map((f) => f.name));
  const added = NAMES.filter((n) => present.has(n.id) && !present.has(n.name));
  // Two levels when names are added: they are read once per row (OFFSET 0 keeps PostgreSQL from folding the level into
  // the next, which would look a name up for each mention of it), then each cell may name its column more than once.
  // Neither level joins or sorts, so the rows come out in the list's order.
  const alias = added.length ? 'r' : 'q';
  const columns: string[] = [];
  const cells: string[] = [];
  for (const f of fields) {
    const type = types.get(f.type);
    const kind = type ? kindOf(f.name, type) : null;
    if (!kind) return null;
    columns.push(f.name);
    cells.push(cellSql(alias, f.name, kind));
  }
  // Readable names where the row has only an id (its customer_id, product_id, ...), as addNames adds them.
  for (const n of added) {
    columns.push(n.name);
    cells.push(cellSql(alias, n.name, 'text'));
  }
  const line = sql.raw(cells.join(` || ',' || `));
  if (!added.length) return { columns, lines: sql`select ${line} as line from ${base}` };
  const names = sql.raw(added.map((n) => `(select n.name::text from ${ident(n.table)} n where n.id = q.${ident(n.id)}) as ${ident(n.name)}`).join(', '));
  return { columns, lines: sql`select ${line} as line from (select q.*, ${names} from ${base} offset 0) r` };
}

/** The result's columns (name, type oid): postgres.js puts them on the result array, PGlite answers `fields`. */
function columnsOf(result: unknown): { name: string; type: number }[] {
  const pg = (result as { columns?: { name: string; type: number }[] }).columns;
  if (Array.isArray(pg)) return pg.map((c) => ({ name: c.name, type: c.type }));
  const lite = (result as { fields?: { name: string; dataTypeID: number }[] }).fields;
  if (Array.isArray(lite)) return lite.map((f) => ({ name: f.name, type: f.dataTypeID }));
  throw new Error('csvLines: the driver gave no columns');
}
