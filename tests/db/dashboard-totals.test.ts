import { sql, type SQL } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Ctx } from '../../api/lib/context.js';
import { confirmDelivery } from '../../api/modules/deliveries/deliveries.service.js';
import { runInvoices } from '../../api/modules/invoices/invoice-runs.service.js';
import { voidInvoice } from '../../api/modules/invoices/invoices.service.js';
import type { Db } from '../../db/client.js';
import { freshDatabase } from '../helpers/app.js';
import { rolledBack } from '../helpers/rolled-back.js';
import { daysFromToday, makeCustomer, makeOrder, makeProduct, sqlRows, type CustomerFixture, type OrderFixture } from '../helpers/chain-fixtures.js';

// The dashboard's totals (delivery_day_counts, billing_day_totals, customer_unbilled, invoice_day_totals), kept by the
// triggers of migration dashboard_totals: written to with raw SQL, one row or many per statement, then compared with the recount
// of the view dashboard_totals_drift, which must stay empty, and with figures known here.

let database: Awaited<ReturnType<typeof freshDatabase>>;
let ctx: Ctx;
let customer: CustomerFixture;
let other: CustomerFixture;
let milk: Awaited<ReturnType<typeof makeProduct>>;
let curd: Awaited<ReturnType<typeof makeProduct>>;
const db = () => database.db;
const exec = (d: Db, q: SQL) => d.execute(q);

const drift = () => sqlRows<{ totals: string; key: string; kept: string; counted: string }>(db(), sql`select * from dashboard_totals_drift order by totals, key`);
const deliveriesOn = async (day: string, d: Db = db()) =>
  (
    await sqlRows<Record<string, number>>(
      d,
      sql`select coalesce(sum(pending), 0)::int as pending, coalesce(sum(delivered), 0)::int as delivered, coalesce(sum(partial), 0)::int as partial,
                 coalesce(sum(failed), 0)::int as failed from delivery_day_counts where order_date = ${day}`,
    )
  )[0];
const billingOn = async (day: string, d: Db = db()) =>
  (
    await sqlRows<Record<string, number>>(
      d,
      sql`select coalesce(sum(records), 0)::int as records, coalesce(sum(amount_paise), 0)::int as amount, coalesce(sum(orders), 0)::int as orders,
                 coalesce(sum(unbilled_records), 0)::int as unbilled, coalesce(sum(unbilled_paise), 0)::int as unbilled_paise
          from billing_day_totals where service_date = ${day}`,
    )
  )[0];
const unbilledOf = async (c: CustomerFixture, d: Db = db()) =>
  Number((await sqlRows<{ n: number }>(d, sql`select coalesce(sum(records), 0)::int as n from customer_unbilled where customer_id = ${c.customer.id}`))[0].n);

/** Settles a delivery as a confirmation would, in raw SQL and one transaction: outcome, order status, items, billing records. */
async function settle(d: Db, o: OrderFixture, on: string, outcome: 'delivered' | 'partial' | 'failed') {
  await d.transaction(async (tx) => {
    const t = tx as unknown as Db;
    if (outcome === 'failed') {
      await exec(t, sql`update deliveries set status = 'failed', delivered_at = now(), delivered_on = ${on}, failure_reason = 'Door locked' where id = ${o.delivery.id}`);
      await exec(t, sql`update orders set status = 'failed' where id = ${o.order.id}`);
      return;
    }
    await exec(t, sql`update deliveries set status = ${outcome}::delivery_status, delivered_at = now(), delivered_on = ${on} where id = ${o.delivery.id}`);
    await exec(t, sql`update orders set status = ${outcome === 'delivered' ? 'delivered' : 'partially_delivered'}::order_status where id = ${o.order.id}`);
    // A partial delivery leaves the first item out (quantity 0, so no billing record for it).
    await exec(
      t,
      sql`insert into delivery_items (delivery_id, order_id, order_item_id, ordered_quantity, quantity)
          select ${o.delivery.id}, oi.order_id, oi.id, oi.quantity, case when ${outcome} = 'partial' and oi.id = ${o.items[0].id} then 0 else oi.quantity end
          from order_items oi where oi.order_id = ${o.order.id}`,
    );
    await bill(t, [o], on);
  });
}

/** Billing records for every delivered item of the deliveries, in one statement (amounts as the CHECKs state them). */
const bill = (d: Db, os: OrderFixture[], on: string) =>
  exec(
    d,
    sql`insert into billing_records (delivery_item_id, quantity, customer_id, order_id, product_id, service_date, unit_price_paise, hsn_code, gst_rate_bp, taxable_paise, cgst_paise, sgst_paise, total_paise)
        select di.id, di.quantity, o.customer_id, o.id, oi.product_id, ${on}::date, oi.unit_price_paise, p.hsn_code, p.gst_rate_bp,
               di.quantity * oi.unit_price_paise, t.half, t.half, di.quantity * oi.unit_price_paise + 2 * t.half
        from delivery_items di join order_items oi on oi.id = di.order_item_id join orders o on o.id = oi.order_id join products p on p.id = oi.product_id
        cross join lateral (select ((di.quantity * oi.unit_price_paise)::bigint * p.gst_rate_bp + 10000) / 20000 as half) t
        where di.delivery_id in (${sql.join(os.map((o) => sql`${o.delivery.id}::uuid`), sql`, `)}) and di.quantity > 0`,
  );

/** Total of a line as the CHECKs compute it (CGST and SGST each half the rate, rounded half up). */
const lineTotal = (price: number, qty: number, rateBp: number) => price * qty + 2 * Math.floor((price * qty * rateBp + 10_000) / 20_000);
const order = (c: CustomerFixture, day: string) => makeOrder(db(), { customer: c, delivery_date: day, items: [{ product: milk, quantity: 2 }, { product: curd, quantity: 1 }] });
const orderTotal = () => lineTotal(milk.price_paise, 2, milk.gst_rate_bp) + lineTotal(curd.price_paise, 1, curd.gst_rate_bp);


beforeAll(async () => {
  database = await freshDatabase();
  ctx = { db: db(), inTx: false, actor: null, requestId: 'dashboard-totals', log: pino({ level: 'silent' }) };
  customer = await makeCustomer(db());
  other = await makeCustomer(db());
  milk = await makeProduct(db(), { price_paise: 2800, gst_rate_bp: 0 });
  curd = await makeProduct(db(), { price_paise: 4550, gst_rate_bp: 500, hsn_code: '0403' });
});
afterAll(() => database?.drop());

describe('deliveries per day', () => {
  test('counted by status as they are written and settled; deliveries of cancelled orders are left out', async () => {
    const day = daysFromToday(-3);
    const [a, b, c, d] = [await order(customer, day), await order(customer, day), await order(other, day), await order(other, day)];
    expect(await deliveriesOn(day)).toEqual({ pending: 4, delivered: 0, partial: 0, failed: 0 });

    await exec(db(), sql`update orders set status = 'cancelled' where id = ${d.order.id}`);
    expect(await deliveriesOn(day)).toEqual({ pending: 3, delivered: 0, partial: 0, failed: 0 });
    await exec(db(), sql`update orders set status = 'pending' where id = ${d.order.id}`);
    expect(await deliveriesOn(day)).toEqual({ pending: 4, delivered: 0, partial: 0, failed: 0 });
    await exec(db(), sql`update orders set status = 'cancelled' where id = ${d.order.id}`);

    await settle(db(), a, day, 'delivered');
    await settle(db(), b, day, 'partial');
    await settle(db(), c, day, 'failed');
    expect(await deliveriesOn(day)).toEqual({ pending: 0, delivered: 1, partial: 1, failed: 1 });
    // Statements that change neither date nor status (a staff assignment) leave the counts alone.
    await exec(db(), sql`update deliveries set proof_note = proof_note where order_date = ${day}`);
    expect(await deliveriesOn(day)).toEqual({ pending: 0, delivered: 1, partial: 1, failed: 1 });
    expect(await drift()).toEqual([]);
  });

  test('a day settled in one UPDATE statement (as a bulk settlement does): one count per status, cancelled orders left out', async () => {
    const day = daysFromToday(-5);
    const os = [await order(customer, day), await order(customer, day), await order(other, day), await order(other, day), await order(other, day)];
    await exec(db(), sql`update orders set status = 'cancelled' where id = ${os[4].order.id}`);
    const after = await rolledBack(db(), async (tx) => {
      // Four fail at once; the fifth's order is cancelled, so its delivery counts nowhere before or after.
      await exec(
        tx,
        sql`update deliveries set status = 'failed', delivered_at = now(), delivered_on = order_date, failure_reason = 'Door locked'
            where id in (${sql.join(os.slice(0, 4).map((o) => sql`${o.delivery.id}::uuid`), sql`, `)})`,
      );
      await exec(tx, sql`update orders set status = 'failed' where id in (${sql.join(os.slice(0, 4).map((o) => sql`${o.order.id}::uuid`), sql`, `)})`);
      return { counts: await deliveriesOn(day, tx), drift: await sqlRows(tx, sql`select * from dashboard_totals_drift`) };
    });
    expect(after).toEqual({ counts: { pending: 0, delivered: 0, partial: 0, failed: 4 }, drift: [] });
    expect(await deliveriesOn(day)).toEqual({ pending: 4, delivered: 0, partial: 0, failed: 0 });
  });

  test('many deliveries in one statement, and deletes (guards off, rolled back)', async () => {
    const day = daysFromToday(-4);
    const os = [await order(customer, day), await order(other, day)];
    const after = await rolledBack(db(), async (tx) => {
      // Both deliveries replaced at once: one DELETE and one INSERT statement of two rows each.
      await exec(tx, sql`alter table deliveries disable trigger deliveries_guard`);
      await exec(tx, sql`create temporary table kept_deliveries on commit drop as select * from deliveries where order_date = ${day}`);
      await exec(tx, sql`delete from deliveries where order_date = ${day}`);
      const gone = await deliveriesOn(day, tx);
      await exec(tx, sql`insert into deliveries select * from kept_deliveries`);
      return { gone, back: await deliveriesOn(day, tx), drift: await sqlRows(tx, sql`select * from dashboard_totals_drift`) };
    });
    expect(after).toEqual({ gone: { pending: 0, delivered: 0, partial: 0, failed: 0 }, back: { pending: 2, delivered: 0, partial: 0, failed: 0 }, drift: [] });
    expect(os).toHaveLength(2);
    expect(await drift()).toEqual([]);
  });
});

describe('billing records per day and unbilled per customer', () => {
  test('records, amount, orders billed and unbilled, for one order and for several in one statement', async () => {
    const day = daysFromToday(-5);
    const before = await unbilledOf(customer);
    const one = await order(customer, day);
    await settle(db(), one, day, 'delivered');
    expect(await billingOn(day)).toEqual({ records: 2, amount: orderTotal(), orders: 1, unbilled: 2, unbilled_paise: orderTotal() });
    expect(await unbilledOf(customer)).toBe(before + 2);

    // Three deliveries recorded, then billed by one INSERT of six rows.
    const three = [await order(customer, day), await order(other, day), await order(other, day)];
    await db().transaction(async (tx) => {
      const t = tx as unknown as Db;
      for (const o of three) {
        await exec(t, sql`update deliveries set status = 'delivered', delivered_at = now(), delivered_on = ${day} where id = ${o.delivery.id}`);
        await exec(t, sql`update orders set status = 'delivered' where id = ${o.order.id}`);
        await exec(t, sql`insert into delivery_items (delivery_id, order_id, order_item_id, ordered_quantity, quantity)
                          select ${o.delivery.id}, order_id, id, quantity, quantity from order_items where order_id = ${o.order.id}`);
      }
      await bill(t, three, day);
    });
    expect(await billingOn(day)).toEqual({ records: 8, amount: 4 * orderTotal(), orders: 4, unbilled: 8, unbilled_paise: 4 * orderTotal() });
    expect(await drift()).toEqual([]);
  });

  test('an invoice run moves records out of unbilled, a void brings them back; invoices are counted by date while issued', async () => {
    const day = daysFromToday(-40);
    const month = day.slice(0, 7);
    const mine = [await order(customer, day), await order(customer, day)];
    for (const o of mine) await settle(db(), o, day, 'delivered');
    const billed = await billingOn(day);
    expect(billed).toMatchObject({ records: 4, orders: 2, unbilled: 4 });
    const issued = async () =>
      (await sqlRows<{ n: number; paise: number }>(db(), sql`select coalesce(sum(issued), 0)::int as n, coalesce(sum(issued_paise), 0)::int as paise from invoice_day_totals`))[0];
    const issuedBefore = await issued();

    await runInvoices(ctx, { month });
    const [invoice] = await sqlRows<{ id: string; total_paise: number }>(
      db(),
      sql`select id, total_paise from invoices where customer_id = ${customer.customer.id} and status = 'issued' and period_start = ${`${month}-01`}`,
    );
    expect(invoice.total_paise).toBe(2 * orderTotal());
    expect(await billingOn(day)).toEqual({ ...billed, unbilled: 0, unbilled_paise: 0 });
    expect(await issued()).toEqual({ n: issuedBefore.n + 1, paise: issuedBefore.paise + invoice.total_paise });
    expect(await drift()).toEqual([]);

    await voidInvoice(ctx, invoice.id, { reason: 'Wrong address printed' });
    expect(await issued()).toEqual(issuedBefore);
    expect(await billingOn(day)).toEqual(billed);
    expect(await drift()).toEqual([]);
  });

  test('deletes and moves of records (guards off, rolled back): an order leaves its day with its last record', async () => {
    const day = daysFromToday(-6);
    const o = await order(customer, day);
    await settle(db(), o, day, 'delivered');
    const out = await rolledBack(db(), async (tx) => {
      await exec(tx, sql`alter table billing_records disable trigger billing_records_guard`);
      const steps: Record<string, unknown> = {};
      const [first] = await sqlRows<{ id: string }>(tx, sql`select id from billing_records where order_id = ${o.order.id} order by id limit 1`);
      await exec(tx, sql`delete from billing_records where id = ${first.id}`);
      steps.oneGone = await billingOn(day, tx);
      await exec(tx, sql`update billing_records set service_date = ${daysFromToday(-7)} where order_id = ${o.order.id}`);
      steps.moved = [await billingOn(day, tx), await billingOn(daysFromToday(-7), tx)];
      await exec(tx, sql`delete from billing_records where order_id = ${o.order.id}`);
      steps.allGone = await billingOn(daysFromToday(-7), tx);
      steps.drift = await sqlRows(tx, sql`select * from dashboard_totals_drift`);
      return steps;
    });
    const curdTotal = lineTotal(curd.price_paise, 1, curd.gst_rate_bp);
    const milkTotal = lineTotal(milk.price_paise, 2, milk.gst_rate_bp);
    const left = (out.oneGone as { amount: number }).amount === curdTotal ? curdTotal : milkTotal;
    expect(out.oneGone).toEqual({ records: 1, amount: left, orders: 1, unbilled: 1, unbilled_paise: left });
    expect(out.moved).toEqual([
      { records: 0, amount: 0, orders: 0, unbilled: 0, unbilled_paise: 0 },
      { records: 1, amount: left, orders: 1, unbilled: 1, unbilled_paise: left },
    ]);
    expect(out.allGone).toEqual({ records: 0, amount: 0, orders: 0, unbilled: 0, unbilled_paise: 0 });
    expect(out.drift).toEqual([]);
    expect(await drift()).toEqual([]);
  });

  test('TRUNCATE empties the totals with the rows', async () => {
    const out = await rolledBack(db(), async (tx) => {
      await exec(tx, sql`truncate billing_records, invoice_lines, invoices, delivery_items, deliveries cascade`);
      return sqlRows<{ n: number }>(
        tx,
        sql`select (select count(*) from delivery_day_counts) + (select count(*) from billing_day_totals) + (select count(*) from customer_unbilled)
                   + (select count(*) from invoice_day_totals) as n`,
      );
    });
    expect(Number(out[0].n)).toBe(0);
    expect(await drift()).toEqual([]);
  });
});

describe('the triggers', () => {
  test('keep the totals on insert, update, delete and truncate of deliveries, billing records and invoices, and on cancelling an order', async () => {
    const triggers = await sqlRows<{ name: string }>(
      db(),
      // The dashboard's tables only (stock_movements_keeps_totals keeps stock, not the dashboard).
      sql`select tgname as name from pg_trigger where not tgisinternal and tgname ~ '_keeps?_totals'
        and tgrelid::regclass::text in ('billing_records', 'deliveries', 'invoices', 'orders') order by tgname`,
    );
    expect(triggers.map((t) => t.name)).toEqual([
      'billing_records_keep_totals_delete',
      'billing_records_keep_totals_insert',
      'billing_records_keep_totals_update',
      'billing_records_truncate_keeps_totals',
      'deliveries_keep_totals_delete',
      'deliveries_keep_totals_insert',
      'deliveries_keep_totals_update',
      'deliveries_truncate_keeps_totals',
      'invoices_keep_totals_delete',
      'invoices_keep_totals_insert',
      'invoices_keep_totals_update',
      'invoices_truncate_keeps_totals',
      'orders_cancel_keeps_totals',
    ]);
  });
});

describe('drift', () => {
  test('rows written with the triggers off show as drift, by table and day (and customer)', async () => {
    const day = daysFromToday(-8);
    const o = await order(other, day);
    await settle(db(), o, day, 'delivered');
    const found = await rolledBack(db(), async (tx) => {
      await exec(tx, sql`set local session_replication_role = replica`);
      await exec(tx, sql`delete from billing_records where order_id = ${o.order.id}`);
      return sqlRows<{ totals: string; key: string; kept: string; counted: string }>(tx, sql`select * from dashboard_totals_drift order by totals, key`);
    });
    expect(found.map((r) => `${r.totals} ${r.key}`)).toEqual([`billing_day_totals ${day}`, `customer_unbilled ${other.customer.id}`]);
    expect(found[0].counted).toBe('records 0, paise 0, orders 0, unbilled 0 (0 paise)');
    expect(found[0].kept).toBe(`records 2, paise ${orderTotal()}, orders 1, unbilled 2 (${orderTotal()} paise)`);
    expect(await drift()).toEqual([]);
  });
});

describe('concurrent confirmations', () => {
  test('confirmations at once (several slots on PostgreSQL) add up to the recount', { tags: ['race'] }, async () => {
    const day = daysFromToday(0);
    const os = await Promise.all(Array.from({ length: 12 }, (_, i) => order(i % 2 ? customer : other, day)));
    const before = await billingOn(day);
    const results = await Promise.allSettled(os.map((o) => confirmDelivery(ctx, o.delivery.id, {})));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await deliveriesOn(day)).toMatchObject({ pending: 0, delivered: 12 });
    // On PostgreSQL the pool's connections wrote to their own slots of the day (PGlite has one connection).
    const [{ slots }] = await sqlRows<{ slots: number }>(db(), sql`select count(distinct slot)::int as slots from billing_day_totals where service_date = ${day}`);
    if (process.env.TEST_DATABASE_URL) expect(slots).toBeGreaterThan(1);
    expect(await billingOn(day)).toEqual({
      records: before.records + 24,
      amount: before.amount + 12 * orderTotal(),
      orders: before.orders + 12,
      unbilled: before.unbilled + 24,
      unbilled_paise: before.unbilled_paise + 12 * orderTotal(),
    });
    expect(await drift()).toEqual([]);
  });
});
