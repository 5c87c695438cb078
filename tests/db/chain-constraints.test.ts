import { sql, type SQL } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Ctx } from '../../api/lib/context.js';
import { todayIST } from '../../api/lib/dates.js';
import { pgErrorOf } from '../../api/lib/errors.js';
import { confirmDelivery } from '../../api/modules/deliveries/deliveries.service.js';
import type { Db } from '../../db/client.js';
import { freshDatabase } from '../helpers/app.js';
import { daysFromToday, makeCustomer, makeOrder, makeProduct, sqlRows, type CustomerFixture, type OrderFixture } from '../helpers/chain-fixtures.js';

// The delivery and billing rules of the chain, written around the API with raw SQL: each must refuse the write.
let database: Awaited<ReturnType<typeof freshDatabase>>;
let customer: CustomerFixture;
let milk: Awaited<ReturnType<typeof makeProduct>>;
let curd: Awaited<ReturnType<typeof makeProduct>>;
const db = () => database.db;
const today = todayIST();

/** The constraint that refused the promise (it must reject with a PostgreSQL error). */
async function refusedBy(promise: Promise<unknown>): Promise<string | undefined> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e ?? new Error('rejected with nothing'),
  );
  expect(err, 'the write should have been refused').toBeDefined();
  const pg = pgErrorOf(err);
  expect(pg, `not a PostgreSQL error: ${String(err)}`).toBeDefined();
  return pg!.constraint ?? pg!.constraint_name;
}

const exec = (d: Db, q: SQL) => d.execute(q);
const order = () => makeOrder(db(), { customer, items: [{ product: milk, quantity: 2 }, { product: curd, quantity: 1 }] });

const markDelivered = (d: Db, o: OrderFixture, on = today) =>
  exec(d, sql`update deliveries set status = 'delivered', delivered_at = now(), delivered_on = ${on} where id = ${o.delivery.id}`);
const recordItems = (d: Db, o: OrderFixture, quantity?: number) =>
  exec(
    d,
    sql`insert into delivery_items (delivery_id, order_id, order_item_id, ordered_quantity, quantity)
        select ${o.delivery.id}, oi.order_id, oi.id, oi.quantity, coalesce(${quantity ?? null}::int, oi.quantity) from order_items oi where oi.order_id = ${o.order.id}`,
  );
/** Billing records for every delivered item of a delivery, amounts computed the way the CHECKs state them. */
const billItems = (d: Db, o: OrderFixture) =>
  exec(
    d,
    sql`insert into billing_records (delivery_item_id, quantity, customer_id, order_id, product_id, service_date, unit_price_paise, hsn_code, gst_rate_bp, taxable_paise, cgst_paise, sgst_paise, total_paise)
        select di.id, di.quantity, o.customer_id, o.id, oi.product_id, ${today}, oi.unit_price_paise, p.hsn_code, p.gst_rate_bp,
               di.quantity * oi.unit_price_paise, t.half, t.half, di.quantity * oi.unit_price_paise + 2 * t.half
        from delivery_items di
        join order_items oi on oi.id = di.order_item_id
        join orders o on o.id = oi.order_id
        join products p on p.id = oi.product_id
        cross join lateral (select ((di.quantity * oi.unit_price_paise)::bigint * p.gst_rate_bp + 10000) / 20000 as half) t
        where di.delivery_id = ${o.delivery.id} and di.quantity > 0`,
  );
const statusOf = async (o: OrderFixture) => (await sqlRows<{ status: string }>(db(), sql`select status from deliveries where id = ${o.delivery.id}`))[0].status;
const countOf = async (q: SQL) => Number((await sqlRows<{ n: number }>(db(), q))[0].n);

/** A delivery confirmed through the service verb, as the API does it. */
async function confirmed(): Promise<OrderFixture> {
  const o = await order();
  const ctx: Ctx = { db: db(), inTx: false, actor: null, requestId: 'chain-constraints', log: pino({ level: 'silent' }) };
  await confirmDelivery(ctx, o.delivery.id, {});
  return o;
}

beforeAll(async () => {
  database = await freshDatabase();
  customer = await makeCustomer(db());
  milk = await makeProduct(db(), { price_paise: 2800, gst_rate_bp: 0 });
  curd = await makeProduct(db(), { price_paise: 4550, gst_rate_bp: 500, hsn_code: '0403' });
});
afterAll(() => database?.drop());

describe('deliveries', () => {
  test('a delivery without an order is refused', async () => {
    expect(
      await refusedBy(exec(db(), sql`insert into deliveries (order_id, order_date) values ('00000000-0000-4000-8000-000000000000', ${today})`)),
    ).toBe('deliveries_order_fk');
  });

  test('a second delivery for an order is refused', async () => {
    const o = await order();
    expect(await refusedBy(exec(db(), sql`insert into deliveries (order_id, order_date) values (${o.order.id}, ${o.order.delivery_date})`))).toBe('deliveries_order_id_key');
  });

  test('a delivery dated otherwise than its order is refused', async () => {
    const o = await order();
    expect(await refusedBy(exec(db(), sql`update deliveries set order_date = ${daysFromToday(-1)} where id = ${o.delivery.id}`))).toBe('deliveries_order_fk');
  });

  test('an outcome dated before the order date is refused', async () => {
    const o = await order();
    expect(
      await refusedBy(
        exec(db(), sql`update deliveries set status = 'failed', delivered_at = now() - interval '2 days', delivered_on = ${daysFromToday(-2)}, failure_reason = 'Early' where id = ${o.delivery.id}`),
      ),
    ).toBe('deliveries_not_before_order');
  });

  test('an outcome dated in the future is refused', async () => {
    const o = await makeOrder(db(), { customer, items: [{ product: milk, quantity: 1 }], delivery_date: daysFromToday(1) });
    expect(
      await refusedBy(
        exec(db(), sql`update deliveries set status = 'failed', delivered_at = now() + interval '1 day', delivered_on = ${daysFromToday(1)}, failure_reason = 'Later' where id = ${o.delivery.id}`),
      ),
    ).toBe('deliveries_not_in_future');
  });

  test('a failed delivery needs its reason', async () => {
    const o = await order();
    expect(await refusedBy(exec(db(), sql`update deliveries set status = 'failed', delivered_at = now(), delivered_on = ${today} where id = ${o.delivery.id}`))).toBe(
      'deliveries_outcome_consistent',
    );
  });

  test('an outcome is final: a confirmed delivery cannot go back to pending or become failed', async () => {
    const o = await confirmed();
    expect(await refusedBy(exec(db(), sql`update deliveries set status = 'pending', delivered_at = null, delivered_on = null where id = ${o.delivery.id}`))).toBe(
      'deliveries_outcome_final',
    );
    expect(await refusedBy(exec(db(), sql`update deliveries set status = 'failed', failure_reason = 'Oops' where id = ${o.delivery.id}`))).toBe('deliveries_outcome_final');
  });

  test('a confirmed delivery records every item of its order (checked at COMMIT)', async () => {
    const o = await order();
    let reached = false;
    const constraint = await refusedBy(
      db().transaction(async (tx) => {
        await markDelivered(tx as unknown as Db, o);
        await exec(
          tx as unknown as Db,
          sql`insert into delivery_items (delivery_id, order_id, order_item_id, ordered_quantity, quantity) select ${o.delivery.id}, order_id, id, quantity, quantity from order_items where order_id = ${o.order.id} and product_id = ${milk.id}`,
        );
        await billItems(tx as unknown as Db, o);
        reached = true;
      }),
    );
    expect(reached).toBe(true);
    expect(constraint).toBe('deliveries_items_complete');
    expect(await statusOf(o)).toBe('pending');
  });
});

describe('delivery items', () => {
  test('a delivered item with no billing record is refused at COMMIT (and the same writes with billing records commit)', async () => {
    const o = await order();
    let reached = false;
    const constraint = await refusedBy(
      db().transaction(async (tx) => {
        await markDelivered(tx as unknown as Db, o);
        await recordItems(tx as unknown as Db, o);
        reached = true; // every statement was accepted: only COMMIT can refuse
      }),
    );
    expect(reached).toBe(true);
    expect(constraint).toBe('delivery_items_billed');
    expect(await statusOf(o)).toBe('pending');
    expect(await countOf(sql`select count(*)::int as n from delivery_items where delivery_id = ${o.delivery.id}`)).toBe(0);

    await db().transaction(async (tx) => {
      await markDelivered(tx as unknown as Db, o);
      await recordItems(tx as unknown as Db, o);
      await billItems(tx as unknown as Db, o);
    });
    expect(await statusOf(o)).toBe('delivered');
    expect(await countOf(sql`select count(*)::int as n from billing_records where order_id = ${o.order.id}`)).toBe(2);
  });

  test('quantities on a delivery that is not confirmed are refused at COMMIT', async () => {
    const o = await order();
    expect(
      await refusedBy(
        db().transaction(async (tx) => {
          await recordItems(tx as unknown as Db, o, 0);
        }),
      ),
    ).toBe('delivery_items_confirmed_delivery');
  });

  test('a quantity above the ordered one is refused', async () => {
    const o = await order();
    expect(await refusedBy(db().transaction(async (tx) => {
      await markDelivered(tx as unknown as Db, o);
      await recordItems(tx as unknown as Db, o, 3);
    }))).toBe('delivery_items_quantity_range');
  });

  test('a negative quantity is refused', async () => {
    const o = await order();
    expect(await refusedBy(db().transaction(async (tx) => {
      await markDelivered(tx as unknown as Db, o);
      await recordItems(tx as unknown as Db, o, -1);
    }))).toBe('delivery_items_quantity_range');
  });

  test('an ordered quantity that differs from the order is refused', async () => {
    const o = await order();
    const item = o.items.find((i) => i.product_id === milk.id)!;
    expect(
      await refusedBy(
        exec(db(), sql`insert into delivery_items (delivery_id, order_id, order_item_id, ordered_quantity, quantity) values (${o.delivery.id}, ${o.order.id}, ${item.id}, 5, 5)`),
      ),
    ).toBe('delivery_items_ordered_quantity_fk');
  });

  test('an item of another order is refused', async () => {
    const o = await order();
    const other = await order();
    const item = other.items[0];
    expect(
      await refusedBy(
        exec(db(), sql`insert into delivery_items (delivery_id, order_id, order_item_id, ordered_quantity, quantity) values (${o.delivery.id}, ${o.order.id}, ${item.id}, ${item.quantity}, 1)`),
      ),
    ).toBe('delivery_items_order_item_fk');
  });

  test('an item cannot be delivered twice', async () => {
    const o = await confirmed();
    expect(await refusedBy(recordItems(db(), o))).toBe('delivery_items_order_item_key');
  });

  test('recorded quantities cannot be changed or removed', async () => {
    const o = await confirmed();
    expect(await refusedBy(exec(db(), sql`update delivery_items set quantity = 1 where delivery_id = ${o.delivery.id}`))).toBe('delivery_items_immutable');
    expect(await refusedBy(exec(db(), sql`delete from delivery_items where delivery_id = ${o.delivery.id}`))).toBe('delivery_items_immutable');
  });
});

describe('billing records', () => {
  test('a second billing record for the same delivered item is refused', async () => {
    const o = await confirmed();
    expect(await countOf(sql`select count(*)::int as n from billing_records where order_id = ${o.order.id}`)).toBe(2);
    expect(await refusedBy(billItems(db(), o))).toBe('billing_records_delivery_item_key');
  });

  test('a billing record needs a delivered item of the same quantity', async () => {
    const o = await confirmed();
    const [bill] = await sqlRows<Record<string, any>>(db(), sql`select * from billing_records where order_id = ${o.order.id} and product_id = ${milk.id}`);
    expect(
      await refusedBy(
        exec(
          db(),
          sql`insert into billing_records (delivery_item_id, quantity, customer_id, order_id, product_id, service_date, unit_price_paise, hsn_code, gst_rate_bp, taxable_paise, cgst_paise, sgst_paise, total_paise)
              values ('00000000-0000-4000-8000-000000000000', 1, ${bill.customer_id}, ${bill.order_id}, ${bill.product_id}, ${today}, 2800, '0401', 0, 2800, 0, 0, 2800)`,
        ),
      ),
    ).toBe('billing_records_delivery_item_fk');
  });

  test('amounts must follow the rounding rule', async () => {
    const o = await order();
    expect(
      await refusedBy(
        db().transaction(async (tx) => {
          await markDelivered(tx as unknown as Db, o);
          await recordItems(tx as unknown as Db, o);
          await exec(
            tx as unknown as Db,
            sql`insert into billing_records (delivery_item_id, quantity, customer_id, order_id, product_id, service_date, unit_price_paise, hsn_code, gst_rate_bp, taxable_paise, cgst_paise, sgst_paise, total_paise)
                select di.id, di.quantity, ${customer.customer.id}, ${o.order.id}, ${curd.id}, ${today}, 4550, '0403', 500, 4550, 113, 113, 4776
                from delivery_items di join order_items oi on oi.id = di.order_item_id where di.delivery_id = ${o.delivery.id} and oi.product_id = ${curd.id}`,
          );
        }),
      ),
    ).toBe('billing_records_tax_exact');
  });

  test('amounts cannot be changed and records cannot be deleted', async () => {
    const o = await confirmed();
    expect(await refusedBy(exec(db(), sql`update billing_records set total_paise = total_paise + 1 where order_id = ${o.order.id}`))).toBe('billing_records_immutable');
    expect(await refusedBy(exec(db(), sql`update billing_records set quantity = 1, taxable_paise = unit_price_paise, cgst_paise = 0, sgst_paise = 0, total_paise = unit_price_paise where order_id = ${o.order.id} and product_id = ${milk.id}`))).toBe(
      'billing_records_immutable',
    );
    expect(await refusedBy(exec(db(), sql`delete from billing_records where order_id = ${o.order.id}`))).toBe('billing_records_immutable');
    expect(await countOf(sql`select count(*)::int as n from billing_records where order_id = ${o.order.id}`)).toBe(2);
    // 1 curd at 45.50 with 5% GST: 2.5% = 1.1375 -> 1.14 each half.
    expect((await sqlRows(db(), sql`select taxable_paise, cgst_paise, sgst_paise, total_paise from billing_records where order_id = ${o.order.id} and product_id = ${curd.id}`))[0]).toEqual({
      taxable_paise: 4550,
      cgst_paise: 114,
      sgst_paise: 114,
      total_paise: 4778,
    });
  });
});
