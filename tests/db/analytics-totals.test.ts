import { sql, type SQL } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Ctx } from '../../api/lib/context.js';
import { confirmDelivery, failDelivery } from '../../api/modules/deliveries/deliveries.service.js';
import { cancelOrder } from '../../api/modules/orders/orders.service.js';
import { runInvoices } from '../../api/modules/invoices/invoice-runs.service.js';
import type { Db } from '../../db/client.js';
import { freshDatabase } from '../helpers/app.js';
import { rolledBack } from '../helpers/rolled-back.js';
import { deliveredAt } from '../helpers/delivered-at.js';
import { refusal } from '../helpers/refused.js';
import { daysFromToday, itemOf, makeCustomer, makeOrder, makeProduct, makeZone, sqlRows, type CustomerFixture, type OrderFixture } from '../helpers/chain-fixtures.js';

// The analytics charts' kept totals (billing_zone_day_totals, billing_product_day_totals, customer_billed_days,
// delivery_zone_day_counts; migration analytics_totals; delivery_staff_day_counts, migration delivery_staff_totals), written through the services and with raw SQL, one row or
// many per statement, then compared with a direct count of the base tables (the view analytics_totals_drift, which
// must stay empty) and with figures known here.

let database: Awaited<ReturnType<typeof freshDatabase>>;
let ctx: Ctx;
let zoneA: string;
let zoneB: string;
let ann: CustomerFixture;
let bob: CustomerFixture;
let milk: Awaited<ReturnType<typeof makeProduct>>;
let curd: Awaited<ReturnType<typeof makeProduct>>;
const db = () => database.db;
const exec = (d: Db, q: SQL) => d.execute(q);

const drift = (d: Db = db()) => sqlRows<{ totals: string; key: string; kept: string; counted: string }>(d, sql`select * from analytics_totals_drift order by totals, key`);
const deliveriesOf = async (zone: string, day: string, d: Db = db()) =>
  (
    await sqlRows<Record<string, number>>(
      d,
      sql`select coalesce(sum(pending), 0)::int as pending, coalesce(sum(delivered), 0)::int as delivered, coalesce(sum(on_time), 0)::int as on_time,
                 coalesce(sum(late), 0)::int as late, coalesce(sum(partial), 0)::int as partial, coalesce(sum(failed), 0)::int as failed
          from delivery_zone_day_counts where zone_id = ${zone} and order_date = ${day}`,
    )
  )[0];
const billedOf = async (zone: string, day: string, d: Db = db()) =>
  (
    await sqlRows<Record<string, number>>(
      d,
      sql`select coalesce(sum(records), 0)::int as records, coalesce(sum(amount_paise), 0)::int as amount, coalesce(sum(orders), 0)::int as orders
          from billing_zone_day_totals where zone_id = ${zone} and service_date = ${day}`,
    )
  )[0];
const unitsOf = async (zone: string, day: string, productId: string, d: Db = db()) =>
  (
    await sqlRows<Record<string, number>>(
      d,
      sql`select coalesce(sum(records), 0)::int as records, coalesce(sum(units), 0)::int as units
          from billing_product_day_totals where zone_id = ${zone} and service_date = ${day} and product_id = ${productId}`,
    )
  )[0];
/** The days of the month of `day` on which the customer was billed for the product (day numbers). */
const billedDays = async (c: CustomerFixture, productId: string, day: string, d: Db = db()) => {
  const [row] = await sqlRows<{ days: number }>(
    d,
    sql`select days from customer_billed_days where customer_id = ${c.customer.id} and product_id = ${productId} and month = date_trunc('month', ${day}::date)::date`,
  );
  if (!row) return [];
  return Array.from({ length: 31 }, (_, i) => i + 1).filter((n) => (row.days & (1 << (n - 1))) !== 0);
};
const dayOfMonth = (day: string) => Number(day.slice(8, 10));

const order = (c: CustomerFixture, day: string, items = [{ product: milk, quantity: 2 }, { product: curd, quantity: 1 }]) =>
  makeOrder(db(), { customer: c, delivery_date: day, items });


beforeAll(async () => {
  database = await freshDatabase();
  ctx = { db: db(), inTx: false, actor: null, requestId: 'analytics-totals', log: pino({ level: 'silent' }) };
  zoneA = (await makeZone(db())).id;
  zoneB = (await makeZone(db())).id;
  ann = await makeCustomer(db(), { zone_id: zoneA });
  bob = await makeCustomer(db(), { zone_id: zoneB });
  milk = await makeProduct(db(), { price_paise: 2800, gst_rate_bp: 0 });
  curd = await makeProduct(db(), { price_paise: 4550, gst_rate_bp: 500, hsn_code: '0403' });
});
afterAll(() => database?.drop());

describe('deliveries per day and zone', () => {
  test('pending, on time, late, partial and failed as deliveries are made, confirmed, failed and cancelled', async () => {
    const day = daysFromToday(-3);
    const [a1, a2, a3, a4, a5] = [await order(ann, day), await order(ann, day), await order(ann, day), await order(ann, day), await order(ann, day)];
    const b1 = await order(bob, day);
    expect(await deliveriesOf(zoneA, day)).toEqual({ pending: 5, delivered: 0, on_time: 0, late: 0, partial: 0, failed: 0 });
    expect(await deliveriesOf(zoneB, day)).toMatchObject({ pending: 1 });

    await confirmDelivery(ctx, a1.delivery.id, { delivered_at: deliveredAt(day) });
    await confirmDelivery(ctx, a2.delivery.id, { delivered_at: deliveredAt(daysFromToday(-2)) });
    await confirmDelivery(ctx, a3.delivery.id, { delivered_at: deliveredAt(day), items: [{ order_item_id: itemOf(a3, milk).id, quantity: 1 }] });
    await failDelivery(ctx, a4.delivery.id, { reason: 'Door locked', at: deliveredAt(day) });
    // A cancelled order's delivery stays in the charts' counts (they count every delivery), unlike the dashboard's.
    await cancelOrder(ctx, a5.order.id, { reason: 'Customer away' });
    await confirmDelivery(ctx, b1.delivery.id, { delivered_at: deliveredAt(day) });
    expect(await deliveriesOf(zoneA, day)).toEqual({ pending: 1, delivered: 2, on_time: 1, late: 1, partial: 1, failed: 1 });
    expect(await deliveriesOf(zoneB, day)).toEqual({ pending: 0, delivered: 1, on_time: 1, late: 0, partial: 0, failed: 0 });
    // Statements that change neither date, status nor day delivered leave the counts alone.
    await exec(db(), sql`update deliveries set proof_note = proof_note where order_date = ${day}`);
    expect(await deliveriesOf(zoneA, day)).toMatchObject({ pending: 1, delivered: 2 });
    expect(await drift()).toEqual([]);
  });

  test('many deliveries in one statement, deletes and a changed day delivered (guards off, rolled back)', async () => {
    const day = daysFromToday(-4);
    const os = [await order(ann, day), await order(ann, day), await order(bob, day)];
    // Confirmed on another day: its items keep it out of the delete below.
    const made = await order(ann, daysFromToday(-10));
    await confirmDelivery(ctx, made.delivery.id, { delivered_at: deliveredAt(daysFromToday(-10)) });
    const out = await rolledBack(db(), async (tx) => {
      await exec(tx, sql`alter table deliveries disable trigger deliveries_guard`);
      await exec(tx, sql`create temporary table kept_deliveries on commit drop as select * from deliveries where order_date = ${day}`);
      await exec(tx, sql`delete from deliveries where order_date = ${day}`);
      const gone = [await deliveriesOf(zoneA, day, tx), await deliveriesOf(zoneB, day, tx)];
      await exec(tx, sql`insert into deliveries select * from kept_deliveries`);
      const back = [await deliveriesOf(zoneA, day, tx), await deliveriesOf(zoneB, day, tx)];
      // Delivered a day later than recorded: on time becomes late.
      await exec(tx, sql`update deliveries set delivered_on = ${daysFromToday(-9)} where id = ${made.delivery.id}`);
      return { gone, back, late: await deliveriesOf(zoneA, daysFromToday(-10), tx), drift: await drift(tx) };
    });
    const none = { pending: 0, delivered: 0, on_time: 0, late: 0, partial: 0, failed: 0 };
    expect(out.gone).toEqual([none, none]);
    expect(out.back).toEqual([{ ...none, pending: 2 }, { ...none, pending: 1 }]);
    expect(out.late).toEqual({ ...none, delivered: 1, late: 1 });
    expect(out.drift).toEqual([]);
    expect(await drift()).toEqual([]);
  });
});

describe('billing records per day, zone and product, and the days each customer was billed', () => {
  test('records, units, value and orders per zone as confirmations bill them; the bit of each day billed', async () => {
    const day = daysFromToday(-5);
    const o1 = await order(ann, day);
    const o2 = await order(ann, day, [{ product: milk, quantity: 3 }]);
    await confirmDelivery(ctx, o1.delivery.id, { delivered_at: deliveredAt(day) });
    await confirmDelivery(ctx, o2.delivery.id, { delivered_at: deliveredAt(day) });
    expect(await billedOf(zoneA, day)).toMatchObject({ records: 3, orders: 2 });
    expect(await unitsOf(zoneA, day, milk.id)).toEqual({ records: 2, units: 5 });
    expect(await unitsOf(zoneA, day, curd.id)).toEqual({ records: 1, units: 1 });
    expect(await billedOf(zoneB, day)).toMatchObject({ records: 0, orders: 0 });
    expect(await billedDays(ann, milk.id, day)).toContain(dayOfMonth(day));
    expect(await billedDays(bob, milk.id, day)).not.toContain(dayOfMonth(day));
    expect(await drift()).toEqual([]);
  });

  test('several deliveries billed by one INSERT; an invoice run changes nothing here', async () => {
    const day = daysFromToday(-40);
    const os = [await order(ann, day), await order(bob, day), await order(bob, day)];
    await db().transaction(async (tx) => {
      const t = tx as unknown as Db;
      for (const o of os) {
        await exec(t, sql`update deliveries set status = 'delivered', delivered_at = now(), delivered_on = ${day} where id = ${o.delivery.id}`);
        await exec(t, sql`update orders set status = 'delivered' where id = ${o.order.id}`);
        await exec(t, sql`insert into delivery_items (delivery_id, order_id, order_item_id, ordered_quantity, quantity)
                          select ${o.delivery.id}, order_id, id, quantity, quantity from order_items where order_id = ${o.order.id}`);
      }
      await exec(
        t,
        sql`insert into billing_records (delivery_item_id, quantity, customer_id, order_id, product_id, service_date, unit_price_paise, hsn_code, gst_rate_bp, taxable_paise, cgst_paise, sgst_paise, total_paise)
            select di.id, di.quantity, o.customer_id, o.id, oi.product_id, ${day}::date, oi.unit_price_paise, p.hsn_code, p.gst_rate_bp,
                   di.quantity * oi.unit_price_paise, t.half, t.half, di.quantity * oi.unit_price_paise + 2 * t.half
            from delivery_items di join order_items oi on oi.id = di.order_item_id join orders o on o.id = oi.order_id join products p on p.id = oi.product_id
            cross join lateral (select ((di.quantity * oi.unit_price_paise)::bigint * p.gst_rate_bp + 10000) / 20000 as half) t
            where di.delivery_id in (${sql.join(os.map((o) => sql`${o.delivery.id}::uuid`), sql`, `)})`,
      );
    });
    expect(await billedOf(zoneA, day)).toMatchObject({ records: 2, orders: 1 });
    expect(await billedOf(zoneB, day)).toMatchObject({ records: 4, orders: 2 });
    expect(await unitsOf(zoneB, day, milk.id)).toEqual({ records: 2, units: 4 });
    const kept = await sqlRows(db(), sql`select * from billing_zone_day_totals order by service_date, zone_id, slot`);
    await runInvoices(ctx, { month: day.slice(0, 7) });
    expect(await sqlRows(db(), sql`select count(*)::int as n from billing_records where invoice_id is not null and service_date = ${day}`)).toEqual([{ n: 6 }]);
    expect(await sqlRows(db(), sql`select * from billing_zone_day_totals order by service_date, zone_id, slot`)).toEqual(kept);
    expect(await drift()).toEqual([]);
  });

  test('deletes and moves of records (guards off, rolled back): a day loses its bit with its last record', async () => {
    const day = daysFromToday(-6);
    const other = daysFromToday(-7);
    const o = await order(bob, day);
    await confirmDelivery(ctx, o.delivery.id, { delivered_at: deliveredAt(day) });
    const out = await rolledBack(db(), async (tx) => {
      await exec(tx, sql`alter table billing_records disable trigger billing_records_guard`);
      const steps: Record<string, unknown> = {};
      await exec(tx, sql`delete from billing_records where order_id = ${o.order.id} and product_id = ${curd.id}`);
      steps.curdGone = [await unitsOf(zoneB, day, curd.id, tx), await billedDays(bob, curd.id, day, tx), await billedOf(zoneB, day, tx)];
      await exec(tx, sql`update billing_records set service_date = ${other} where order_id = ${o.order.id}`);
      steps.moved = [await unitsOf(zoneB, day, milk.id, tx), await unitsOf(zoneB, other, milk.id, tx), await billedOf(zoneB, day, tx), await billedOf(zoneB, other, tx)];
      steps.days = await billedDays(bob, milk.id, other, tx);
      steps.drift = await drift(tx);
      await exec(tx, sql`delete from billing_records where order_id = ${o.order.id}`);
      steps.allGone = [await unitsOf(zoneB, other, milk.id, tx), await billedOf(zoneB, other, tx)];
      steps.finalDrift = await drift(tx);
      return steps;
    });
    const [curdUnits, curdDays, billedLeft] = out.curdGone as [unknown, number[], unknown];
    expect(curdUnits).toEqual({ records: 0, units: 0 });
    expect(curdDays).not.toContain(dayOfMonth(day));
    expect(billedLeft).toMatchObject({ records: 1, orders: 1 });
    expect(out.moved).toEqual([{ records: 0, units: 0 }, { records: 1, units: 2 }, { records: 0, amount: 0, orders: 0 }, { records: 1, amount: 2 * milk.price_paise, orders: 1 }]);
    expect(out.days).toContain(dayOfMonth(other));
    expect(out.drift).toEqual([]);
    expect(out.allGone).toEqual([{ records: 0, units: 0 }, { records: 0, amount: 0, orders: 0 }]);
    expect(out.finalDrift).toEqual([]);
    expect(await drift()).toEqual([]);
  });
});

describe('a customer moved to another zone', () => {
  test('takes their deliveries and billing records to the new zone, and back', async () => {
    const day = daysFromToday(-8);
    const carol = await makeCustomer(db(), { zone_id: zoneA });
    const made = await order(carol, day);
    await confirmDelivery(ctx, made.delivery.id, { delivered_at: deliveredAt(day) });
    await order(carol, day, [{ product: milk, quantity: 1 }]);
    const inA = { deliveries: await deliveriesOf(zoneA, day), billed: await billedOf(zoneA, day), milk: await unitsOf(zoneA, day, milk.id) };
    const inB = { deliveries: await deliveriesOf(zoneB, day), billed: await billedOf(zoneB, day), milk: await unitsOf(zoneB, day, milk.id) };
    expect(inA.deliveries).toMatchObject({ pending: 1, delivered: 1 });

    await exec(db(), sql`update customers set zone_id = ${zoneB} where id = ${carol.customer.id}`);
    expect(await deliveriesOf(zoneA, day)).toMatchObject({ pending: inA.deliveries.pending - 1, delivered: inA.deliveries.delivered - 1 });
    expect(await deliveriesOf(zoneB, day)).toMatchObject({ pending: inB.deliveries.pending + 1, delivered: inB.deliveries.delivered + 1 });
    expect(await billedOf(zoneA, day)).toEqual({ records: inA.billed.records - 2, amount: expect.any(Number), orders: inA.billed.orders - 1 });
    expect(await billedOf(zoneB, day)).toMatchObject({ records: inB.billed.records + 2, orders: inB.billed.orders + 1 });
    expect(await unitsOf(zoneB, day, milk.id)).toEqual({ records: inB.milk.records + 1, units: inB.milk.units + 2 });
    expect(await drift()).toEqual([]);

    // A statement that leaves the zone as it is moves nothing.
    await exec(db(), sql`update customers set zone_id = zone_id, name = name where id = ${carol.customer.id}`);
    await exec(db(), sql`update customers set zone_id = ${zoneA} where id = ${carol.customer.id}`);
    expect(await deliveriesOf(zoneA, day)).toEqual(inA.deliveries);
    expect(await billedOf(zoneA, day)).toEqual(inA.billed);
    expect(await unitsOf(zoneA, day, milk.id)).toEqual(inA.milk);
    expect(await drift()).toEqual([]);
  });
});

describe('truncate, drift and the triggers', () => {
  test('TRUNCATE empties the totals with the rows', async () => {
    const out = await rolledBack(db(), async (tx) => {
      await exec(tx, sql`truncate billing_records, invoice_lines, invoices, delivery_items, deliveries cascade`);
      return sqlRows<{ n: number }>(
        tx,
        sql`select (select count(*) from billing_zone_day_totals) + (select count(*) from billing_product_day_totals)
                   + (select count(*) from customer_billed_days) + (select count(*) from delivery_zone_day_counts)
                   + (select count(*) from delivery_staff_day_counts) as n`,
      );
    });
    expect(Number(out[0].n)).toBe(0);
    expect(await drift()).toEqual([]);
  });

  test('rows written with the triggers off show as drift, by table and key', async () => {
    const day = daysFromToday(-9);
    const o = await order(bob, day, [{ product: milk, quantity: 2 }]);
    await confirmDelivery(ctx, o.delivery.id, { delivered_at: deliveredAt(day) });
    const found = await rolledBack(db(), async (tx) => {
      await exec(tx, sql`set local session_replication_role = replica`);
      await exec(tx, sql`delete from billing_records where order_id = ${o.order.id}`);
      await exec(tx, sql`update deliveries set status = 'pending', delivered_at = null, delivered_on = null where id = ${o.delivery.id}`);
      return drift(tx);
    });
    const month = `${day.slice(0, 7)}-01`;
    expect(found.map((r) => `${r.totals} ${r.key}`)).toEqual([
      `billing_product_day_totals ${day} ${zoneB} ${milk.id} morning`,
      `billing_zone_day_totals ${day} ${zoneB}`,
      `customer_billed_days ${month} ${bob.customer.id} ${milk.id}`,
      `delivery_staff_day_counts ${day} ${zoneB} unassigned`,
      `delivery_zone_day_counts ${day} ${zoneB}`,
    ]);
    expect(found[1]).toMatchObject({ kept: `records 1, paise ${2 * milk.price_paise}, orders 1`, counted: 'records 0, paise 0, orders 0' });
    expect(found[3]).toMatchObject({ kept: 'delivered 1 (on time 1), partial 0, failed 0', counted: 'delivered 0 (on time 0), partial 0, failed 0' });
    expect(found[4].counted).toBe('pending 1, delivered 0 (on time 0, late 0), partial 0, failed 0');
    expect(await drift()).toEqual([]);
  });

  test('delivery_staff_day_counts_key: one row per day, zone, staff member (none: one key), reason (none: one key) and slot', async () => {
    const day = daysFromToday(-12);
    const o = await order(ann, day);
    await confirmDelivery(ctx, o.delivery.id, { delivered_at: deliveredAt(day) });
    const kept = await sqlRows<{ n: number }>(db(), sql`select count(*)::int as n from delivery_staff_day_counts where order_date = ${day} and staff_id is null and failure_reason is null`);
    expect(kept[0].n).toBe(1);
    const refused = await rolledBack(db(), async (tx) =>
      refusal(
        exec(tx, sql`insert into delivery_staff_day_counts (order_date, zone_id, staff_id, failure_reason, slot, delivered)
                     select order_date, zone_id, staff_id, failure_reason, slot, 1 from delivery_staff_day_counts where order_date = ${day}`),
      ),
    );
    expect(refused.constraint).toBe('delivery_staff_day_counts_key');
    expect(await drift()).toEqual([]);
  });

  test('the customers trigger that moves a customer\'s totals is there', async () => {
    const triggers = await sqlRows<{ name: string }>(db(), sql`select tgname as name from pg_trigger where not tgisinternal and tgrelid = 'customers'::regclass and tgname ~ 'totals'`);
    expect(triggers.map((t) => t.name)).toEqual(['customers_zone_keeps_totals']);
  });
});

describe('concurrent confirmations', () => {
  test('confirmations at once (several slots on PostgreSQL) add up to the recount', { tags: ['race'] }, async () => {
    const day = daysFromToday(0);
    const os: OrderFixture[] = await Promise.all(Array.from({ length: 12 }, (_, i) => order(i % 2 ? ann : bob, day)));
    const before = [await billedOf(zoneA, day), await billedOf(zoneB, day)];
    const results = await Promise.allSettled(os.map((o) => confirmDelivery(ctx, o.delivery.id, {})));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await billedOf(zoneA, day)).toMatchObject({ records: before[0].records + 12, orders: before[0].orders + 6 });
    expect(await billedOf(zoneB, day)).toMatchObject({ records: before[1].records + 12, orders: before[1].orders + 6 });
    expect(await drift()).toEqual([]);
  });
});
