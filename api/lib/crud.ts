import { count, eq, getTableColumns, is, sql, SQL } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
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
}

export function selectionOf(resource: Resource): Selection {
  // With one table in FROM, drizzle strips the table name from columns at the top level of a selected SQL, so
  // `customers.zone_id = zones.id` in a subquery became `"zone_id" = "id"` (always false); nested SQL stays qualified.
  if (resource.selection) return Object.fromEntries(Object.entries(resource.selection).map(([k, v]) => [k, is(v, SQL.Aliased) ? sql`${v.sql}`.as(v.fieldAlias) : v]));
  const cols = getTableColumns(resource.table) as Record<string, AnyPgColumn>;
  const hidden = new Set(resource.hidden ?? []);
  return Object.fromEntries(Object.entries(cols).filter(([k]) => !hidden.has(k)));
}

/**
 * A page and the total count in one statement: the count is an uncorrelated subquery, which PostgreSQL evaluates
 * once (an InitPlan) and repeats on every row, so a list costs one round trip instead of two. Only a page past the
 * end, which carries no row to read it from, asks for the count separately.
 */
export async function listRows(ctx: Ctx, resource: Resource, query: ListQuery): Promise<{ rows: Row[]; total: number }> {
  const where = query.where ?? sql`true`;
  const rows = (await ctx.db
    .select({ ...selectionOf(resource), [TOTAL]: sql<number>`(select count(*)::int from ${resource.table} where ${where})`.as(TOTAL) } as never)
    .from(resource.table as never)
    .where(query.where)
    .orderBy(...query.orderBy)
    .limit(query.limit)
    .offset(query.offset)
    // Prepared: PostgreSQL plans each list shape once per connection, not on every page.
    .prepare('list')
    .execute()) as Row[];
  if (rows.length === 0) {
    if (query.offset === 0) return { rows, total: 0 };
    const [{ total }] = await ctx.db.select({ total: count() }).from(resource.table as never).where(query.where);
    return { rows, total: Number(total) };
  }
  const total = Number(rows[0][TOTAL]);
  for (const row of rows) delete row[TOTAL];
  return { rows, total };
}

const TOTAL = '__total';

export async function getRow(ctx: Ctx, resource: Resource, id: string, opts: { lock?: boolean } = {}): Promise<Row> {
  const q = ctx.db
    .select(selectionOf(resource) as never)
    .from(resource.table as never)
    .where(eq(resource.table.id, id));
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
