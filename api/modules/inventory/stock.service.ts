import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { depots, products, staff, stockBatches, stockMovements } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { getRow, type Resource, type Row } from '../../lib/crud.js';
import { addDays, todayIST } from '../../lib/dates.js';
import { AppError, notFound, unprocessable } from '../../lib/errors.js';
import { rowsOf } from '../../lib/sql.js';
import { forecastSql } from './forecast.service.js';
import type { MovementCreate } from './stock.schemas.js';

export const movementResource: Resource = {
  name: 'stock-movements',
  label: 'Stock movement',
  table: stockMovements,
  selection: {
    id: stockMovements.id, kind: stockMovements.kind, product_id: stockMovements.product_id, depot_id: stockMovements.depot_id, batch_id: stockMovements.batch_id,
    quantity: stockMovements.quantity, reason: stockMovements.reason, run_date: stockMovements.run_date, run_shift: stockMovements.run_shift, staff_id: stockMovements.staff_id,
    purchase_order_line_id: stockMovements.purchase_order_line_id, transfer_id: stockMovements.transfer_id, created_by: stockMovements.created_by, created_at: stockMovements.created_at,
    product_name: sql<string>`(select p.name from products p where p.id = ${stockMovements.product_id})`.as('product_name'),
    depot_name: sql<string>`(select d.name from depots d where d.id = ${stockMovements.depot_id})`.as('depot_name'),
    batch_code: sql<string>`(select b.batch_code from stock_batches b where b.id = ${stockMovements.batch_id})`.as('batch_code'),
    expiry_date: sql<string>`(select to_char(b.expiry_date, 'YYYY-MM-DD') from stock_batches b where b.id = ${stockMovements.batch_id})`.as('expiry_date'),
    staff_name: sql<string | null>`(select s.name from staff s where s.id = ${stockMovements.staff_id})`.as('staff_name'),
    // The product's stock at the depot right after this line (ledger order: created_at, then id, as the list sorts ties):
    // a sum over its index (product, depot, created_at), so a page of the ledger shows its running balance.
    balance: sql<number>`(select coalesce(sum(m2.quantity), 0)::int from stock_movements m2 where m2.product_id = ${stockMovements.product_id} and m2.depot_id = ${stockMovements.depot_id} and (m2.created_at, m2.id) <= (${stockMovements.created_at}, ${stockMovements.id}))`.as('balance'),
  },
};

interface Line {
  kind: (typeof stockMovements.$inferInsert)['kind'];
  batch_id: string;
  depot_id: string;
  quantity: number;
  run?: { date: string; shift: 'morning' | 'evening'; staff_id: string };
  transfer_id?: string;
  purchase_order_line_id?: string;
}

/** Inserts ledger lines of one product; the trigger moves each batch in the same statement (never below zero). */
export async function insertLines(ctx: Ctx, productId: string, reason: string, lines: Line[]): Promise<string[]> {
  if (!lines.length) return [];
  const rows = await ctx.db
    .insert(stockMovements)
    .values(
      lines.map((l) => ({
        kind: l.kind, product_id: productId, depot_id: l.depot_id, batch_id: l.batch_id, quantity: l.quantity, reason,
        run_date: l.run?.date ?? null, run_shift: l.run?.shift ?? null, staff_id: l.run?.staff_id ?? null,
        transfer_id: l.transfer_id ?? null, purchase_order_line_id: l.purchase_order_line_id ?? null, created_by: ctx.actor?.id ?? null,
        // A context with its own clock (the demo's history, tests) dates its lines by it; otherwise the database's now().
        ...(ctx.now ? { created_at: ctx.now() } : {}),
      })),
    )
    .returning({ id: stockMovements.id });
  return rows.map((r) => r.id);
}

async function names(ctx: Ctx, productId: string, depotId: string) {
  const [p] = await ctx.db.select({ name: products.name }).from(products).where(eq(products.id, productId));
  if (!p) throw notFound('Product');
  const [d] = await ctx.db.select({ name: depots.name }).from(depots).where(eq(depots.id, depotId));
  if (!d) throw notFound('Depot');
  return { product: p.name, depot: d.name };
}

/**
 * Takes `quantity` from the depot's batches of the product, those that expire first (FEFO), not expired on `onDate`.
 * The batches are locked (FOR UPDATE): of two dispatches of the last crates, the second waits, re-reads what the first
 * left and is refused with how much is there. Nothing is written when there is not enough.
 */
export async function takeFefo(ctx: Ctx, productId: string, depotId: string, quantity: number, onDate: string | null, verb: string) {
  const batches = await ctx.db
    .select({ id: stockBatches.id, quantity: stockBatches.quantity })
    .from(stockBatches)
    .where(and(eq(stockBatches.product_id, productId), eq(stockBatches.depot_id, depotId), sql`${stockBatches.quantity} > 0`, onDate ? sql`${stockBatches.expiry_date} >= ${onDate}::date` : undefined))
    .orderBy(stockBatches.expiry_date, stockBatches.batch_code)
    .for('update');
  const available = batches.reduce((s, b) => s + b.quantity, 0);
  if (available < quantity) {
    const n = await names(ctx, productId, depotId);
    throw new AppError(409, 'insufficient_stock', `Only ${available} of ${n.product} at ${n.depot}${onDate ? ` (not expired on ${onDate})` : ''}; ${quantity} asked. Nothing was ${verb}.`, { available, requested: quantity });
  }
  const taken: { batch_id: string; quantity: number }[] = [];
  let left = quantity;
  for (const b of batches) {
    if (left === 0) break;
    const q = Math.min(left, b.quantity);
    taken.push({ batch_id: b.id, quantity: q });
    left -= q;
  }
  return taken;
}

/** One named batch, locked, with enough in it. */
async function takeBatch(ctx: Ctx, batchId: string, productId: string, depotId: string, quantity: number, verb: string) {
  const [b] = await ctx.db.select().from(stockBatches).where(eq(stockBatches.id, batchId)).for('update');
  if (!b || b.product_id !== productId || b.depot_id !== depotId) throw unprocessable('That batch does not exist for this product at this depot.', 'unknown_batch');
  if (b.quantity < quantity) throw new AppError(409, 'insufficient_stock', `Only ${b.quantity} left in batch ${b.batch_code}; ${quantity} asked. Nothing was ${verb}.`, { available: b.quantity, requested: quantity });
  return [{ batch_id: b.id, quantity }];
}

/** The batch with this code at the depot, created empty when new (two creating it at once: the unique key settles it). */
export async function batchFor(ctx: Ctx, productId: string, depotId: string, code: string, expiry: string): Promise<string> {
  await ctx.db.insert(stockBatches).values({ product_id: productId, depot_id: depotId, batch_code: code, expiry_date: expiry }).onConflictDoNothing();
  const [b] = await ctx.db
    .select({ id: stockBatches.id, expiry_date: stockBatches.expiry_date })
    .from(stockBatches)
    .where(and(eq(stockBatches.product_id, productId), eq(stockBatches.depot_id, depotId), eq(stockBatches.batch_code, code)));
  if (b.expiry_date !== expiry) throw unprocessable(`Batch ${code} is already recorded with expiry ${b.expiry_date}.`, 'batch_expiry_differs');
  return b.id;
}

/** Records a movement by hand (dispatch, return, wastage, spoilage, transfer, adjustment): its lines and audit, one transaction. */
export async function recordMovement(ctx: Ctx, input: MovementCreate): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const { product_id: productId, depot_id: depotId } = input;
    let lines: Line[] = [];
    const run = input.run_date && input.shift && input.staff_id ? { date: input.run_date, shift: input.shift, staff_id: input.staff_id } : undefined;
    if (run) {
      const [member] = await tx.db.select({ id: staff.id }).from(staff).where(eq(staff.id, run.staff_id));
      if (!member) throw unprocessable('That staff member does not exist.', 'unknown_staff');
    }
    switch (input.kind) {
      case 'dispatch': {
        const taken = input.batch_id ? await takeBatch(tx, input.batch_id, productId, depotId, input.quantity, 'dispatched') : await takeFefo(tx, productId, depotId, input.quantity, run!.date, 'dispatched');
        lines = taken.map((t) => ({ kind: 'dispatch', batch_id: t.batch_id, depot_id: depotId, quantity: -t.quantity, run }));
        break;
      }
      case 'return': {
        // Back into a batch the run took it from: the one that expires last, when none is named (the freshest came back).
        let batchId = input.batch_id;
        if (!batchId) {
          const [last] = rowsOf<{ batch_id: string }>(
            await tx.db.execute(sql`select m.batch_id from stock_movements m join stock_batches b on b.id = m.batch_id
              where m.kind = 'dispatch' and m.product_id = ${productId} and m.depot_id = ${depotId}
              and m.run_date = ${run!.date} and m.run_shift = ${run!.shift} and m.staff_id = ${run!.staff_id} order by b.expiry_date desc, b.batch_code desc limit 1`),
          );
          if (!last) throw unprocessable('Nothing of this product was dispatched to that run: there is nothing to return.', 'nothing_dispatched');
          batchId = last.batch_id;
        }
        lines = [{ kind: 'return', batch_id: batchId, depot_id: depotId, quantity: input.quantity, run }];
        break;
      }
      case 'wastage':
      case 'spoilage': {
        const taken = input.batch_id ? await takeBatch(tx, input.batch_id, productId, depotId, input.quantity, 'written off') : await takeFefo(tx, productId, depotId, input.quantity, null, 'written off');
        lines = taken.map((t) => ({ kind: input.kind as 'wastage', batch_id: t.batch_id, depot_id: depotId, quantity: -t.quantity }));
        break;
      }
      case 'transfer': {
        const toDepot = input.to_depot_id!;
        const taken = input.batch_id ? await takeBatch(tx, input.batch_id, productId, depotId, input.quantity, 'transferred') : await takeFefo(tx, productId, depotId, input.quantity, todayIST(), 'transferred');
        const transferId = randomUUID();
        for (const t of taken) {
          const [src] = await tx.db.select({ code: stockBatches.batch_code, expiry: stockBatches.expiry_date }).from(stockBatches).where(eq(stockBatches.id, t.batch_id));
          const target = await batchFor(tx, productId, toDepot, src.code, src.expiry);
          lines.push({ kind: 'transfer_out', batch_id: t.batch_id, depot_id: depotId, quantity: -t.quantity, transfer_id: transferId });
          lines.push({ kind: 'transfer_in', batch_id: target, depot_id: toDepot, quantity: t.quantity, transfer_id: transferId });
        }
        break;
      }
      case 'adjustment': {
        let batchId = input.batch_id;
        if (batchId && input.quantity < 0) await takeBatch(tx, batchId, productId, depotId, -input.quantity, 'adjusted');
        if (!batchId) batchId = await batchFor(tx, productId, depotId, input.batch_code!, input.expiry_date!);
        lines = [{ kind: 'adjustment', batch_id: batchId, depot_id: depotId, quantity: input.quantity }];
        break;
      }
    }
    const ids = await insertLines(tx, productId, input.reason, lines);
    const rows = [];
    for (const id of ids) rows.push(await getRow(tx, movementResource, id));
    await audit(tx, { action: input.kind, table: 'stock_movements', recordId: ids[0], after: { input, lines: ids } });
    return { ...rows[0], lines: rows };
  });
}

/**
 * Writes off what is left of batches past their expiry (expiry_date before `today`), a ledger line each. Claims up to
 * `limit` batches at a time with FOR UPDATE SKIP LOCKED, so several processes share the work and none writes a batch off
 * twice: once written off, its quantity is 0 and it no longer matches.
 */
export async function writeOffExpired(ctx: Ctx, today = todayIST(), limit = 500): Promise<{ batches: number; units: number }> {
  let batches = 0;
  let units = 0;
  for (;;) {
    const done = await transaction(ctx, async (tx) => {
      const claimed = rowsOf<{ id: string; product_id: string; depot_id: string; quantity: number }>(
        await tx.db.execute(sql`select id, product_id, depot_id, quantity from stock_batches where quantity > 0 and expiry_date < ${today}::date
          order by expiry_date, id limit ${limit} for update skip locked`),
      );
      if (!claimed.length) return 0;
      await tx.db.insert(stockMovements).values(
        claimed.map((b) => ({ kind: 'expiry' as const, product_id: b.product_id, depot_id: b.depot_id, batch_id: b.id, quantity: -b.quantity, reason: `Expired before ${today}`, ...(tx.now ? { created_at: tx.now() } : {}) })),
      );
      const n = claimed.reduce((s, b) => s + b.quantity, 0);
      await audit(tx, { action: 'expiry_write_off', table: 'stock_movements', after: { today, batches: claimed.length, units: n } });
      batches += claimed.length;
      units += n;
      return claimed.length;
    });
    if (done < limit) return { batches, units };
  }
}

/**
 * Stock per product and depot: on hand, batches, what expires today and tomorrow, incoming (ordered and not yet
 * received on approved or sent purchase orders) and tomorrow's forecast; low when tomorrow's forecast exceeds what is
 * there and coming. Rows for every product with stock, incoming or demand at an active depot.
 */
export async function stockLevels(ctx: Ctx, input: { depot_id?: string; product_id?: string; low?: boolean; today?: string }) {
  const today = input.today ?? todayIST();
  const tomorrow = addDays(today, 1);
  const rows = rowsOf<Record<string, unknown>>(
    await ctx.db.execute(sql`
      with fc as (
        select product_id, depot_id, sum(subscription_quantity + expected_one_time_quantity)::int as q
        from (${forecastSql(tomorrow, 1, input.depot_id)}) f where depot_id is not null group by 1, 2
      ),
      st as (
        select product_id, depot_id, sum(quantity)::int as quantity, count(*) filter (where quantity > 0)::int as batches,
               coalesce(sum(quantity) filter (where expiry_date = ${today}::date), 0)::int as expiring_today,
               coalesce(sum(quantity) filter (where expiry_date = ${tomorrow}::date), 0)::int as expiring_tomorrow
        from stock_batches where quantity > 0 group by 1, 2
      ),
      inc as (
        select l.product_id, o.depot_id, sum(l.quantity - l.quantity_accepted - l.quantity_rejected)::int as q
        from purchase_order_lines l join purchase_orders o on o.id = l.purchase_order_id
        where o.status in ('approved', 'sent', 'partially_received') group by 1, 2
      ),
      keys as (select product_id, depot_id from st union select product_id, depot_id from fc union select product_id, depot_id from inc)
      select k.product_id || ':' || k.depot_id as id, k.product_id, p.name as product_name, k.depot_id, d.name as depot_name,
             coalesce(st.quantity, 0) as quantity, coalesce(st.batches, 0) as batches, coalesce(st.expiring_today, 0) as expiring_today,
             coalesce(st.expiring_tomorrow, 0) as expiring_tomorrow, coalesce(inc.q, 0) as incoming, coalesce(fc.q, 0) as forecast_tomorrow,
             coalesce(fc.q, 0) > coalesce(st.quantity, 0) - coalesce(st.expiring_today, 0) + coalesce(inc.q, 0) as low
      from keys k
      join products p on p.id = k.product_id
      join depots d on d.id = k.depot_id
      left join st on st.product_id = k.product_id and st.depot_id = k.depot_id
      left join fc on fc.product_id = k.product_id and fc.depot_id = k.depot_id
      left join inc on inc.product_id = k.product_id and inc.depot_id = k.depot_id
      where d.is_active
        ${input.depot_id ? sql`and k.depot_id = ${input.depot_id}::uuid` : sql``}
        ${input.product_id ? sql`and k.product_id = ${input.product_id}::uuid` : sql``}
      order by d.name, p.name`),
  );
  const shaped = rows.map((r) => ({
    ...r,
    quantity: Number(r.quantity), batches: Number(r.batches), expiring_today: Number(r.expiring_today), expiring_tomorrow: Number(r.expiring_tomorrow),
    incoming: Number(r.incoming), forecast_tomorrow: Number(r.forecast_tomorrow), low: Boolean(r.low),
  }));
  return input.low === undefined ? shaped : shaped.filter((r) => r.low === input.low);
}
