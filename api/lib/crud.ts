import { and, eq, getTableColumns, inArray, is, sql, SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { flatFields, flatRowMapper, renderSql, rowsOf } from './sql.js';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import { zoneScope } from './access.js';
import { audit } from './audit.js';
import { transaction, type Ctx } from './context.js';
import { notFound } from './errors.js';
import type { ListQuery } from './rest.js';

export type Row = Record<string, unknown>;
type Selection = Record<string, AnyPgColumn | SQL.Aliased | SQL>;

/** A table exposed as a simple-rest resource; the generic verbs below serve every plain one. */
export interface Resource {
  name: string;
  label: string;
  table: PgTable & { id: AnyPgColumn };
  /** What a row looks like in JSON; defaults to the table's columns minus `hidden`. */
  selection?: Selection;
  hidden?: string[];
  /**
   * Rows in these zones only, for a request whose grant is limited to the actor's zones: list, show and every verb
   * that reads its row through getRow (update, delete, and the services' locks) see nothing else, so such a row is
   * a 404. Indexed: through customers.zone_id and the customer id each zoned table carries.
   */
  inZones?: (zoneIds: string[]) => SQL;
  /** The row's key when the table has no `id` column (a row per customer: customer_id); answered as `id` too. */
  key?: AnyPgColumn;
}

const keyOf = (resource: Resource): AnyPgColumn => resource.key ?? resource.table.id;

/** The request's zone limit on a resource's rows, or undefined when there is none. */
export function zoneFilter(ctx: Ctx, resource: Resource): SQL | undefined {
  if (!resource.inZones) return undefined;
  const zones = zoneScope(ctx);
  return zones ? resource.inZones(zones) : undefined;
}

/** A customer-id column limited to customers of the zones (empty: none). */
export const customerInZones = (customerId: AnyPgColumn | SQL, zoneIds: string[]) =>
  zoneIds.length ? sql`${customerId} in (select c.id from customers c where c.zone_id in (${sql.join(zoneIds.map((z) => sql`${z}::uuid`), sql`, `)}))` : sql`false`;

export function selectionOf(resource: Resource): Selection {
  // With one table in FROM, drizzle strips the table name from columns at the top level of a selected SQL, so
  // `customers.zone_id = zones.id` in a subquery became `"zone_id" = "id"` (always false); nested SQL stays qualified.
  if (resource.selection) return Object.fromEntries(Object.entries(resource.selection).map(([k, v]) => [k, is(v, SQL.Aliased) ? sql`${v.sql}`.as(v.fieldAlias) : v]));
  const cols = getTableColumns(resource.table) as Record<string, AnyPgColumn>;
  const hidden = new Set(resource.hidden ?? []);
  return Object.fromEntries(Object.entries(cols).filter(([k]) => !hidden.has(k)));
}

/** A list's page and its total; `estimated` when the total is the planner's estimate (see countCap). */
export interface ListPage {
  rows: Row[];
  total: number;
  estimated: boolean;
}

/**
 * Totals up to this many rows are counted exactly (an index scan of at most this many entries); past it the total is
 * PostgreSQL's estimate of the list's rows, marked estimated (x-total-count-estimated: true, "about N" in the admin).
 */
export const COUNT_CAP = 10_000;

/** The exact count of `rows` (a query builder of the list's rows) up to COUNT_CAP + 1, as one subquery. */
export const cappedCount = (rows: SQLWrapper) => sql<number>`(select count(*)::int from (${rows} limit ${COUNT_CAP + 1}) as capped)`;

/** The planner's estimate of how many rows a query returns (EXPLAIN, no execution). */
export async function estimateRows(db: Db, rows: SQLWrapper): Promise<number> {
  const [first] = rowsOf<Record<string, unknown>>(await db.execute(sql`explain (format json) ${rows}`));
  const raw = Object.values(first)[0];
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: { 'Plan Rows': number } }[];
  return Math.round(plan[0].Plan['Plan Rows']);
}

/** The total of a list from its capped count: exact under the cap, otherwise the estimate (never below the cap). */
export async function totalOf(db: Db, capped: number, rows: SQLWrapper): Promise<{ total: number; estimated: boolean }> {
  if (capped <= COUNT_CAP) return { total: capped, estimated: false };
  return { total: Math.max(COUNT_CAP + 1, await estimateRows(db, rows)), estimated: true };
}

/**
 * A page and its total in one statement. The page's ids are found first (ORDER BY, OFFSET and LIMIT on the table's
 * own columns and indexes), then only those rows are read with their computed columns: OFFSET would otherwise
 * compute them for every skipped row. The count is an uncorrelated subquery (an InitPlan, evaluated once), capped.
 */
export async function listRows(ctx: Ctx, resource: Resource, query: ListQuery): Promise<ListPage> {
  const t = resource.table;
  const key = keyOf(resource);
  const where = and(query.where, zoneFilter(ctx, resource));
  const matching = ctx.db.select({ one: sql`1` }).from(t as never).where(where);
  const page = listStatement(ctx.db, resource, where, query.orderBy);
  const values = { limit: query.limit, offset: query.offset };
  // Prepared: PostgreSQL plans each list shape once per connection, not on every page. Not a search: its plan depends
  // on how many rows the ids its words found hold (a few: through their index; many: in the list's order).
  const name = query.searched ? undefined : 'list';
  let rows: Row[];
  if (page) {
    rows = (await ctx.db._.session.prepareQuery({ sql: page.sql, params: [...page.params, ...page.whereParams] }, page.fields as never, name, true, page.mapRows as never).execute(values)) as Row[];
  } else {
    const pageIds = ctx.db.select({ id: key }).from(t as never).where(where).orderBy(...query.orderBy).limit(query.limit).offset(query.offset);
    const statement = ctx.db
      .select({ ...selectionOf(resource), [TOTAL]: cappedCount(matching).as(TOTAL) } as never)
      .from(t as never)
      .where(inArray(key, pageIds))
      .orderBy(...query.orderBy);
    rows = (await (name ? statement.prepare(name).execute() : statement)) as Row[];
  }
  let capped: number;
  if (rows.length === 0) {
    if (query.offset === 0) return { rows, total: 0, estimated: false };
    [{ capped }] = (await ctx.db.select({ capped: cappedCount(matching) }).from(sql`(select 1) as one`)) as { capped: number }[];
  } else {
    capped = Number(rows[0][TOTAL]);
    for (const row of rows) delete row[TOTAL];
  }
  return { rows, ...(await totalOf(ctx.db, Number(capped), matching)) };
}

/**
 * The list statement of listRows, its text rendered once per resource, filter shape and order: drizzle would render
 * the whole statement (every computed column's subquery) on every request, most of a small list's CPU. Only the
 * WHERE (rendered per request, for its values) changes between two requests of one shape: the statement is rendered
 * with a marker where the WHERE goes (twice: the page's ids and the count), and each request's WHERE text, its
 * parameters numbered after the statement's own, goes in its place. The same statement text as before, but for the
 * parameters' numbering. Undefined (drizzle renders it all) when the order has parameters of its own, or the WHERE's
 * parameters are not numbered plainly in order.
 */
function listStatement(db: Db, resource: Resource, where: SQL | undefined, orderBy: SQL[]) {
  const order = renderSql(sql.join(orderBy, sql`, `));
  if (order.params.length) return undefined;
  const w = where ? renderSql(where) : { sql: 'true', params: [] };
  const numbers = [...w.sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
  if (numbers.length !== w.params.length || numbers.some((n, i) => n !== i + 1)) return undefined;
  const cacheKey = `${resource.name}\n${order.sql}\n${w.sql}`;
  let shape = listShapes.get(cacheKey);
  if (!shape) {
    if (listShapes.size >= LIST_SHAPES) listShapes.clear();
    listShapes.set(cacheKey, (shape = listShape(db, resource, orderBy)));
  }
  if (!shape.fields) return undefined;
  const base = shape.params.length;
  const whereSql = base ? w.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + base}`) : w.sql;
  return { sql: shape.parts.join(whereSql), params: shape.params, whereParams: w.params, fields: shape.fields, mapRows: shape.mapRows };
}

const WHERE_MARK = '/*milkrun:where*/';
/** Shapes kept (resource, filters and order, not their values); past it the cache starts over. */
const LIST_SHAPES = 500;
const listShapes = new Map<string, ReturnType<typeof listShape>>();

function listShape(db: Db, resource: Resource, orderBy: SQL[]) {
  // Only the builder's text is kept: rendering never touches the database.
  const t = resource.table;
  const mark = sql.raw(WHERE_MARK);
  const matching = db.select({ one: sql`1` }).from(t as never).where(mark);
  const pageIds = db.select({ id: keyOf(resource) }).from(t as never).where(mark).orderBy(...orderBy).limit(sql.placeholder('limit')).offset(sql.placeholder('offset'));
  const selection = { ...selectionOf(resource), [TOTAL]: cappedCount(matching).as(TOTAL) };
  const statement = db.select(selection as never).from(t as never).where(inArray(keyOf(resource), pageIds)).orderBy(...orderBy);
  const { sql: text, params } = statement.toSQL();
  const parts = text.split(WHERE_MARK);
  if (parts.length !== 3) throw new Error(`listShape: the WHERE appears ${parts.length - 1} times in ${text}`);
  const fields = flatFields(selection);
  return { parts, params, fields, mapRows: fields && flatRowMapper(fields) };
}

const TOTAL = '__total';

export async function getRow(ctx: Ctx, resource: Resource, id: string, opts: { lock?: boolean } = {}): Promise<Row> {
  const q = ctx.db
    .select(selectionOf(resource) as never)
    .from(resource.table as never)
    .where(and(eq(keyOf(resource), id), zoneFilter(ctx, resource)));
  const [row] = (opts.lock ? await q.for('update') : await q) as Row[];
  if (!row) throw notFound(resource.label);
  return row;
}

export async function createRow(ctx: Ctx, resource: Resource, values: Row): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const [inserted] = (await tx.db.insert(resource.table).values(values as never).returning({ id: resource.table.id })) as { id: string }[];
    const row = await getRow(tx, resource, inserted.id);
    await audit(tx, { action: 'create', table: resource.name, recordId: inserted.id, after: row });
    return row;
  });
}

export async function updateRow(ctx: Ctx, resource: Resource, id: string, patch: Row): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const before = await getRow(tx, resource, id, { lock: true });
    if (Object.keys(patch).length === 0) return before;
    await tx.db.update(resource.table).set(patch as never).where(eq(resource.table.id, id));
    const after = await getRow(tx, resource, id);
    await audit(tx, { action: 'update', table: resource.name, recordId: id, before, after });
    return after;
  });
}

export async function deleteRow(ctx: Ctx, resource: Resource, id: string): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const before = await getRow(tx, resource, id, { lock: true });
    await tx.db.delete(resource.table).where(eq(resource.table.id, id));
    await audit(tx, { action: 'delete', table: resource.name, recordId: id, before });
    return before;
  });
}
