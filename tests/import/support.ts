import { sql } from 'drizzle-orm';
import pino from 'pino';
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../api/lib/context.js';

// A copy of shared/legacy/sample (the old system's January 2026, with expected.json), so CI has it.
export const SAMPLE_DIR = new URL('./sample/', import.meta.url).pathname;

export function serviceCtx(db: Db, actorId: string | null = null): Ctx {
  return {
    db,
    inTx: false,
    actor: actorId ? { id: actorId, email: 'admin@milkrun.test', name: 'Admin', roles: ['admin'], permissions: [] } : null,
    requestId: 'test-import',
    log: pino({ level: 'silent' }),
  };
}

export async function query<T = Record<string, unknown>>(db: Db, q: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(q)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export const TABLES = [
  'zones',
  'customers',
  'addresses',
  'products',
  'staff',
  'subscriptions',
  'subscription_pauses',
  'orders',
  'order_items',
  'deliveries',
  'delivery_items',
  'billing_records',
  'invoices',
  'legacy_ids',
] as const;

/** Row counts of the tables an import writes. */
export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) {
    const [r] = await query<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(t)}`);
    out[t] = Number(r.n);
  }
  return out;
}

/**
 * The chain's key invariants, checked with SQL (the data-health service checks the same and more; this does not
 * depend on it): each returns the number of broken rows.
 */
export async function brokenLinks(db: Db): Promise<Record<string, number>> {
  const checks: Record<string, ReturnType<typeof sql>> = {
    orders_without_customer: sql`select count(*)::int as n from orders o where not exists (select 1 from customers c where c.id = o.customer_id)`,
    orders_total_differs: sql`select count(*)::int as n from orders o where o.total_paise <> (select coalesce(sum(quantity * unit_price_paise), 0) from order_items i where i.order_id = o.id)`,
    orders_without_delivery: sql`select count(*)::int as n from orders o where o.status <> 'cancelled' and not exists (select 1 from deliveries d where d.order_id = o.id)`,
    delivered_items_without_billing: sql`select count(*)::int as n from delivery_items di where di.quantity > 0 and not exists (select 1 from billing_records b where b.delivery_item_id = di.id)`,
    billing_without_delivered_item: sql`select count(*)::int as n from billing_records b where not exists (select 1 from delivery_items di where di.id = b.delivery_item_id and di.quantity = b.quantity)`,
    delivered_orders_not_delivered: sql`select count(*)::int as n from orders o join deliveries d on d.order_id = o.id where (o.status = 'delivered') <> (d.status = 'delivered')`,
    delivery_day_not_order_day: sql`select count(*)::int as n from deliveries d where d.delivered_on is not null and d.delivered_on <> d.order_date`,
  };
  const out: Record<string, number> = {};
  for (const [name, q] of Object.entries(checks)) out[name] = Number((await query<{ n: number }>(db, q))[0].n);
  return out;
}
