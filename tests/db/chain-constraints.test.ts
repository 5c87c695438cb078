import { sql, type SQL } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Ctx } from '../../api/lib/context.js';
import { todayIST } from '../../api/lib/dates.js';
import { confirmDelivery } from '../../api/modules/deliveries/deliveries.service.js';
import { issueInvoices, reissueInvoice, voidInvoice } from '../../api/modules/invoices/invoices.service.js';
import type { Db } from '../../db/client.js';
import { freshDatabase } from '../helpers/app.js';
import { daysFromToday, makeCustomer, makeOrder, makeProduct, makeStaff, sqlRows, type CustomerFixture, type OrderFixture } from '../helpers/chain-fixtures.js';
import { refusedBy } from '../helpers/refused.js';

// The delivery and billing rules of the chain, written around the API with raw SQL: each must refuse the write.
let database: Awaited<ReturnType<typeof freshDatabase>>;
let customer: CustomerFixture;
let otherCustomer: CustomerFixture;
let otherUserId: string;
let milk: Awaited<ReturnType<typeof makeProduct>>;
let curd: Awaited<ReturnType<typeof makeProduct>>;
const db = () => database.db;
const today = todayIST();

/** The constraint that refused the promise (it must reject with a PostgreSQL error). */

const exec = (d: Db, q: SQL) => d.execute(q);
const order = () => makeOrder(db(), { customer, items: [{ product: milk, quantity: 2 }, { product: curd, quantity: 1 }] });

/** A delivery marked delivered (or partial) with its order settled to match, as a confirmation does. */
const markDelivered = async (d: Db, o: OrderFixture, on = today, status: 'delivered' | 'partial' = 'delivered') => {
  await exec(d, sql`update deliveries set status = ${status}::delivery_status, delivered_at = now(), delivered_on = ${on} where id = ${o.delivery.id}`);
  await exec(d, sql`update orders set status = ${status === 'delivered' ? 'delivered' : 'partially_delivered'}::order_status where id = ${o.order.id}`);
};
const recordItems = (d: Db, o: OrderFixture, quantity?: number) =>
  exec(
    d,
    sql`insert into delivery_items (delivery_id, order_id, order_item_id, ordered_quantity, quantity)
        select ${o.delivery.id}, oi.order_id, oi.id, oi.quantity, coalesce(${quantity ?? null}::int, oi.quantity) from order_items oi where oi.order_id = ${o.order.id}`,
  );
/** Columns of a billing record that a test may set otherwise than the delivered item says (SQL over di, oi, o, p). */
interface BillOverrides {
  customer_id?: SQL;
  order_id?: SQL;
  product_id?: SQL;
  service_date?: SQL;
  unit_price_paise?: SQL;
  hsn_code?: SQL;
  gst_rate_bp?: SQL;
}
/** Billing records for every delivered item of a delivery, amounts computed the way the CHECKs state them. */
const billItems = (d: Db, o: OrderFixture, v: BillOverrides = {}) =>
  exec(
    d,
    sql`insert into billing_records (delivery_item_id, quantity, customer_id, order_id, product_id, service_date, unit_price_paise, hsn_code, gst_rate_bp, taxable_paise, cgst_paise, sgst_paise, total_paise)
        select di.id, di.quantity, x.customer_id, x.order_id, x.product_id, x.service_date, x.price, x.hsn, x.rate,
               di.quantity * x.price, t.half, t.half, di.quantity * x.price + 2 * t.half
        from delivery_items di
        join order_items oi on oi.id = di.order_item_id
        join orders o on o.id = oi.order_id
        join products p on p.id = oi.product_id
        cross join lateral (select ${v.customer_id ?? sql`o.customer_id`} as customer_id, ${v.order_id ?? sql`o.id`} as order_id,
                                   ${v.product_id ?? sql`oi.product_id`} as product_id, ${v.service_date ?? sql`${today}::date`} as service_date,
                                   ${v.unit_price_paise ?? sql`oi.unit_price_paise`}::int as price, ${v.hsn_code ?? sql`p.hsn_code`}::text as hsn,
                                   ${v.gst_rate_bp ?? sql`p.gst_rate_bp`}::int as rate) x
        cross join lateral (select ((di.quantity * x.price)::bigint * x.rate + 10000) / 20000 as half) t
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
  otherCustomer = await makeCustomer(db());
  [{ id: otherUserId }] = await sqlRows<{ id: string }>(db(), sql`insert into users (email, name, password_hash) values ('chain-other@milkrun.test', 'Other', 'x') returning id`);
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
    expect(await refusedBy(exec(db(), sql`update deliveries set order_date = ${daysFromToday(-1)} where id = ${o.delivery.id}`))).toBe('deliveries_order_fixed');
    expect(
      await refusedBy(exec(db(), sql`insert into deliveries (order_id, order_date) values ('00000000-0000-4000-8000-000000000000', ${daysFromToday(-1)})`)),
    ).toBe('deliveries_order_fk');
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

/** A raw-SQL delivery of the whole order (statuses, quantities, billing records), committed, with overrides refused or not. */
const deliverRaw = (o: OrderFixture, v: BillOverrides = {}, quantity?: number) =>
  db().transaction(async (tx) => {
    await markDelivered(tx as unknown as Db, o);
    await recordItems(tx as unknown as Db, o, quantity);
    await billItems(tx as unknown as Db, o, v);
  });

describe('a billing record is bound to its delivered item (item 4)', () => {
  test('the same writes with nothing changed commit', async () => {
    const o = await order();
    await deliverRaw(o);
    expect(await countOf(sql`select count(*)::int as n from billing_records where order_id = ${o.order.id}`)).toBe(2);
  });

  test.each([
    ["another customer's order (and that customer)", 'other_order'],
    ['another product', 'product'],
    ['a price of 1 paisa', 'price'],
    ['0% GST on a 5% product', 'rate'],
    ["HSN 'nonsense'", 'hsn'],
    ['a service date in 2020', 'date'],
  ])('billing a delivered item at %s is refused (billing_records_match_delivery)', async (_what, kind) => {
    const o = await order();
    const other = await makeOrder(db(), { customer: otherCustomer, items: [{ product: milk, quantity: 2 }] });
    const v: BillOverrides = {
      other_order: { order_id: sql`${other.order.id}::uuid`, customer_id: sql`${otherCustomer.customer.id}::uuid` },
      product: { product_id: sql`case when oi.product_id = ${milk.id}::uuid then ${curd.id}::uuid else ${milk.id}::uuid end` },
      price: { unit_price_paise: sql`1` },
      rate: { gst_rate_bp: sql`0` },
      hsn: { hsn_code: sql`'nonsense'` },
      date: { service_date: sql`'2020-01-01'::date` },
    }[kind]!;
    expect(await refusedBy(deliverRaw(o, v))).toBe('billing_records_match_delivery');
    expect(await countOf(sql`select count(*)::int as n from billing_records where order_id in (${o.order.id}, ${other.order.id})`)).toBe(0);
    expect(await statusOf(o)).toBe('pending');
  });

  test('a billing record naming an order of another customer than its own is refused by the composite key', async () => {
    const o = await order();
    expect(await refusedBy(deliverRaw(o, { customer_id: sql`${otherCustomer.customer.id}::uuid` }))).toBe('billing_records_order_customer_fk');
  });

  test("rebinding a written record to another customer's order, or to another delivered item, is refused", async () => {
    const o = await confirmed();
    const other = await makeOrder(db(), { customer: otherCustomer, items: [{ product: milk, quantity: 2 }] });
    const ctx: Ctx = { db: db(), inTx: false, actor: null, requestId: 'chain-constraints', log: pino({ level: 'silent' }) };
    await confirmDelivery(ctx, other.delivery.id, {});
    expect(
      await refusedBy(exec(db(), sql`update billing_records set order_id = ${other.order.id}, customer_id = ${otherCustomer.customer.id} where order_id = ${o.order.id}`)),
    ).toBe('billing_records_immutable');
    const [theirs] = await sqlRows(db(), sql`select delivery_item_id from billing_records where order_id = ${other.order.id}`);
    expect(
      await refusedBy(exec(db(), sql`update billing_records set delivery_item_id = ${theirs.delivery_item_id} where order_id = ${o.order.id} and product_id = ${milk.id}`)),
    ).toBe('billing_records_immutable');
    expect(await refusedBy(exec(db(), sql`update orders set customer_id = ${otherCustomer.customer.id}, address_id = ${otherCustomer.address.id} where id = ${o.order.id}`))).toBe('orders_fixed');
    expect(await countOf(sql`select count(*)::int as n from billing_records where order_id = ${o.order.id} and customer_id = ${customer.customer.id}`)).toBe(2);
  });
});

describe('statuses follow the facts (item 5)', () => {
  const inTx = (fn: (d: Db) => Promise<unknown>) => db().transaction(async (tx) => void (await fn(tx as unknown as Db)));

  test('an order set delivered (or failed) without its delivery is refused at COMMIT, and so is one inserted settled', async () => {
    const o = await order();
    expect(await refusedBy(exec(db(), sql`update orders set status = 'delivered' where id = ${o.order.id}`))).toBe('orders_status_matches_delivery');
    expect(await refusedBy(exec(db(), sql`update orders set status = 'failed' where id = ${o.order.id}`))).toBe('orders_status_matches_delivery');
    expect(
      await refusedBy(
        exec(db(), sql`insert into orders (customer_id, address_id, kind, delivery_date, status) values (${customer.customer.id}, ${customer.address.id}, 'one_time', ${today}, 'delivered')`),
      ),
    ).toBe('orders_status_matches_delivery');
    expect((await sqlRows(db(), sql`select status from orders where id = ${o.order.id}`))[0].status).toBe('pending');
  });

  test('a delivery given an outcome while its order stays pending is refused at COMMIT', async () => {
    const o = await order();
    expect(
      await refusedBy(exec(db(), sql`update deliveries set status = 'failed', delivered_at = now(), delivered_on = ${today}, failure_reason = 'Locked' where id = ${o.delivery.id}`)),
    ).toBe('deliveries_order_status_matches');
  });

  test('a delivery marked delivered with every quantity 0, or with a short one, is refused; partial with all in full too', async () => {
    expect(await refusedBy(deliverRaw(await order(), {}, 0))).toBe('deliveries_quantities_match_status');
    const short = await order();
    expect(await refusedBy(inTx(async (d) => {
      await markDelivered(d, short);
      await exec(d, sql`insert into delivery_items (delivery_id, order_id, order_item_id, ordered_quantity, quantity)
        select ${short.delivery.id}, oi.order_id, oi.id, oi.quantity, case when oi.product_id = ${milk.id}::uuid then 1 else oi.quantity end from order_items oi where oi.order_id = ${short.order.id}`);
      await billItems(d, short);
    }))).toBe('deliveries_quantities_match_status');
    const nothing = await order();
    expect(await refusedBy(inTx(async (d) => {
      await markDelivered(d, nothing, today, 'partial');
      await recordItems(d, nothing, 0);
    }))).toBe('deliveries_quantities_match_status');
    const whole = await order();
    expect(await refusedBy(inTx(async (d) => {
      await markDelivered(d, whole, today, 'partial');
      await recordItems(d, whole);
      await billItems(d, whole);
    }))).toBe('deliveries_quantities_match_status');
  });

  test('a delivered (and billed) order cannot go back to cancelled or pending, nor change its address or total', async () => {
    const o = await confirmed();
    for (const status of ['cancelled', 'pending', 'failed']) {
      expect(await refusedBy(exec(db(), sql`update orders set status = ${status}::order_status where id = ${o.order.id}`)), status).toBe('orders_outcome_final');
    }
    expect(await refusedBy(exec(db(), sql`update orders set total_paise = 0 where id = ${o.order.id}`))).toBe('orders_outcome_final');
    expect((await sqlRows(db(), sql`select status from orders where id = ${o.order.id}`))[0].status).toBe('delivered');
  });

  test('an item added to a delivered order, or its price, quantity or date changed, or removed, is refused', async () => {
    const o = await makeOrder(db(), { customer, items: [{ product: milk, quantity: 2 }] });
    const ctx: Ctx = { db: db(), inTx: false, actor: null, requestId: 'chain-constraints', log: pino({ level: 'silent' }) };
    await confirmDelivery(ctx, o.delivery.id, {});
    expect(
      await refusedBy(exec(db(), sql`insert into order_items (order_id, product_id, quantity, unit_price_paise) values (${o.order.id}, ${curd.id}, 1, 4550)`)),
    ).toBe('order_items_order_settled');
    expect(await refusedBy(exec(db(), sql`update order_items set unit_price_paise = 1 where order_id = ${o.order.id}`))).toBe('order_items_order_settled');
    expect(await refusedBy(exec(db(), sql`delete from order_items where order_id = ${o.order.id}`))).toBe('order_items_order_settled');
    expect(await refusedBy(exec(db(), sql`update orders set delivery_date = ${daysFromToday(-1)} where id = ${o.order.id}`))).toBe('orders_fixed');
    expect(await refusedBy(exec(db(), sql`update order_items set product_id = ${curd.id} where order_id = ${o.order.id}`))).toBe('order_items_fixed');
    expect(await countOf(sql`select count(*)::int as n from order_items where order_id = ${o.order.id} and unit_price_paise = ${milk.price_paise}`)).toBe(1);
  });

  test('proof of delivery (position, note, time, confirmer, staff) is not rewritten after confirmation', async () => {
    const o = await confirmed();
    const member = await makeStaff(db());
    for (const set of [sql`lat = 12.9, lng = 77.6`, sql`proof_note = 'rewritten'`, sql`delivered_at = delivered_at - interval '1 hour'`, sql`confirmed_by = ${otherUserId}`, sql`staff_id = ${member.staff.id}`]) {
      expect(await refusedBy(exec(db(), sql`update deliveries set ${set} where id = ${o.delivery.id}`))).toBe('deliveries_outcome_final');
    }
    // A pending delivery may still be reassigned.
    const pending = await order();
    await exec(db(), sql`update deliveries set staff_id = ${member.staff.id} where id = ${pending.delivery.id}`);
  });

  test('a failed delivery cannot be re-pointed to another order, and no delivery can be deleted', async () => {
    const o = await order();
    await inTx(async (d) => {
      await exec(d, sql`update deliveries set status = 'failed', delivered_at = now(), delivered_on = ${today}, failure_reason = 'Locked' where id = ${o.delivery.id}`);
      await exec(d, sql`update orders set status = 'failed' where id = ${o.order.id}`);
    });
    const other = await makeOrder(db(), { customer, items: [{ product: milk, quantity: 1 }], delivery_date: daysFromToday(-1) });
    expect(await refusedBy(exec(db(), sql`update deliveries set order_id = ${other.order.id}, order_date = ${other.order.delivery_date} where id = ${o.delivery.id}`))).toBe(
      'deliveries_order_fixed',
    );
    expect(await refusedBy(exec(db(), sql`delete from deliveries where id = ${other.delivery.id}`))).toBe('deliveries_not_deleted');
    expect(await refusedBy(exec(db(), sql`delete from deliveries where id = ${o.delivery.id}`))).toBe('deliveries_not_deleted');
    expect(await countOf(sql`select count(*)::int as n from deliveries where id in (${o.delivery.id}, ${other.delivery.id})`)).toBe(2);
  });

  test("a subscription order keeps its date and product and moves only to its subscription's address", async () => {
    const [second] = await sqlRows<{ id: string }>(db(), sql`insert into addresses (customer_id, line1, pin_code) values (${customer.customer.id}, '2 Brigade Road', '560025') returning id`);
    const [sub] = await sqlRows<{ id: string }>(
      db(),
      sql`insert into subscriptions (customer_id, address_id, product_id, quantity, schedule, start_date) values (${customer.customer.id}, ${customer.address.id}, ${milk.id}, 2, 'daily', ${today}) returning id`,
    );
    const o = await makeOrder(db(), { customer, items: [{ product: milk, quantity: 2 }], subscription_id: sub.id, delivery_date: daysFromToday(1) });
    expect(await refusedBy(exec(db(), sql`update orders set address_id = ${second.id} where id = ${o.order.id}`))).toBe('orders_subscription_address');
    expect(await refusedBy(exec(db(), sql`update orders set delivery_date = ${daysFromToday(2)} where id = ${o.order.id}`))).toBe('orders_fixed');
    expect(await refusedBy(exec(db(), sql`update order_items set product_id = ${curd.id} where order_id = ${o.order.id}`))).toBe('order_items_fixed');
    // The subscription moves first: then its pending order follows (what reconcileOrders does).
    await exec(db(), sql`update subscriptions set address_id = ${second.id} where id = ${sub.id}`);
    await exec(db(), sql`update orders set address_id = ${second.id} where id = ${o.order.id}`);
    expect((await sqlRows(db(), sql`select address_id from orders where id = ${o.order.id}`))[0].address_id).toBe(second.id);
  });
});

describe('issued invoices are immutable except the void transition (item 6)', () => {
  const ctx = (): Ctx => ({ db: db(), inTx: false, actor: null, requestId: 'chain-constraints', log: pino({ level: 'silent' }) });
  const month = today.slice(0, 7);
  /** A fresh customer's delivered order, invoiced: the invoice row. */
  async function invoiced() {
    const c = await makeCustomer(db());
    const o = await makeOrder(db(), { customer: c, items: [{ product: milk, quantity: 2 }, { product: curd, quantity: 1 }] });
    await confirmDelivery(ctx(), o.delivery.id, {});
    const [issued] = await issueInvoices(ctx(), { customerIds: [c.customer.id], periodStart: `${month}-01`, periodEnd: today, invoiceDate: today });
    const [invoice] = await sqlRows(db(), sql`select * from invoices where id = ${issued.id}`);
    return { c, o, invoice };
  }
  const linePair = (invoiceId: string) =>
    exec(
      db(),
      sql`insert into invoice_lines (invoice_id, product_id, description, hsn_code, unit, quantity, unit_price_paise, gst_rate_bp, taxable_paise, cgst_paise, sgst_paise, total_paise)
          values (${invoiceId}, ${milk.id}, 'plus', '0401', 'packet', 1, 100, 0, 100, 0, 0, 100), (${invoiceId}, ${milk.id}, 'minus', '0401', 'packet', 1, 0, 0, -100, 0, 0, -100)`,
    );

  const plusLine = (invoiceId: string) =>
    exec(
      db(),
      sql`insert into invoice_lines (invoice_id, product_id, description, hsn_code, unit, quantity, unit_price_paise, gst_rate_bp, taxable_paise, cgst_paise, sgst_paise, total_paise)
          values (${invoiceId}, ${milk.id}, 'plus', '0401', 'packet', 1, 100, 0, 100, 0, 0, 100)`,
    );

  test('a +/- pair of lines (or any line) added to an issued (or void) invoice is refused', async () => {
    const { invoice } = await invoiced();
    // The minus line cannot exist at all (invoice_lines_bounds); a plus line alone is refused for the invoice's sake.
    expect(await refusedBy(linePair(invoice.id))).toBe('invoice_lines_bounds');
    expect(await refusedBy(plusLine(invoice.id))).toBe('invoices_immutable');
    await voidInvoice(ctx(), invoice.id, { reason: 'test' });
    expect(await refusedBy(plusLine(invoice.id))).toBe('invoices_immutable');
    expect(await countOf(sql`select count(*)::int as n from invoice_lines where invoice_id = ${invoice.id}`)).toBe(2);
  });

  test('a void reason (or time, or author) without voiding is refused', async () => {
    const { invoice } = await invoiced();
    expect(await refusedBy(exec(db(), sql`update invoices set void_reason = 'quietly' where id = ${invoice.id}`))).toBe('invoices_immutable');
    expect(await refusedBy(exec(db(), sql`update invoices set voided_at = now() where id = ${invoice.id}`))).toBe('invoices_immutable');
    expect(
      await refusedBy(
        exec(db(), sql`insert into invoices (number, series, financial_year, seq, kind, customer_id, period_start, period_end, invoice_date, due_date, place_of_supply, supplier, taxable_paise, exempt_paise, cgst_paise, sgst_paise, total_paise, void_reason)
          select 'X' || number, 'X' || series, financial_year, seq, kind, customer_id, period_start, period_end, invoice_date, due_date, place_of_supply, supplier, 0, 0, 0, 0, 0, 'sneaky' from invoices where id = ${invoice.id}`),
      ),
    ).toBe('invoices_issued_not_voided');
    expect((await sqlRows(db(), sql`select status, void_reason from invoices where id = ${invoice.id}`))[0]).toEqual({ status: 'issued', void_reason: null });
  });

  test('a new billing record cannot join an issued invoice, even of its own customer and period', async () => {
    const { c, invoice } = await invoiced();
    const later = await makeOrder(db(), { customer: c, items: [{ product: milk, quantity: 1 }] });
    await confirmDelivery(ctx(), later.delivery.id, {});
    expect(await refusedBy(exec(db(), sql`update billing_records set invoice_id = ${invoice.id} where order_id = ${later.order.id}`))).toBe('invoices_immutable');
    expect(await countOf(sql`select count(*)::int as n from billing_records where invoice_id = ${invoice.id}`)).toBe(2);
  });

  test('void then reissue still works, and the reissued invoice carries the records', async () => {
    const { invoice } = await invoiced();
    await voidInvoice(ctx(), invoice.id, { reason: 'wrong address' });
    const again = await reissueInvoice(ctx(), invoice.id, { invoice_date: today });
    expect(await countOf(sql`select count(*)::int as n from billing_records where invoice_id = ${again.id as string}`)).toBe(2);
  });
});

describe('invoice numbers come from their series counter (item 7)', () => {
  /** An invoice row written by hand, copied from an issued one with the given overrides. */
  const insertInvoice = (from: string, v: { number: SQL; series?: SQL; financial_year?: SQL; seq: SQL; invoice_date?: SQL }, d: Db = db()) =>
    exec(
      d,
      sql`insert into invoices (number, series, financial_year, seq, kind, customer_id, period_start, period_end, invoice_date, due_date, place_of_supply, supplier, taxable_paise, exempt_paise, cgst_paise, sgst_paise, total_paise)
          select ${v.number}, ${v.series ?? sql`series`}, ${v.financial_year ?? sql`financial_year`}, ${v.seq}, kind, customer_id, period_start, period_end,
                 ${v.invoice_date ?? sql`invoice_date`}, ${v.invoice_date ?? sql`invoice_date`} + 15, place_of_supply, supplier, 0, 0, 0, 0, 0
          from invoices where id = ${from}`,
    );
  let last: Record<string, any>;
  beforeAll(async () => {
    const c = await makeCustomer(db());
    const o = await makeOrder(db(), { customer: c, items: [{ product: curd, quantity: 1 }] });
    const ctx: Ctx = { db: db(), inTx: false, actor: null, requestId: 'chain-constraints', log: pino({ level: 'silent' }) };
    await confirmDelivery(ctx, o.delivery.id, {});
    const [issued] = await issueInvoices(ctx, { customerIds: [c.customer.id], periodStart: `${today.slice(0, 7)}-01`, periodEnd: today, invoiceDate: today });
    [last] = await sqlRows(db(), sql`select * from invoices where series = (select series from invoices where id = ${issued.id}) order by seq desc limit 1`);
  });

  test('an invoice whose total is not the sum of its lines is refused at COMMIT (invoices_total_matches_lines)', async () => {
    const seq = last.seq + 1;
    expect(
      await refusedBy(
        db().transaction(async (tx) => {
          await exec(tx as unknown as Db, sql`update document_series set next_seq = next_seq + 1 where series = ${last.series} and financial_year = ${last.financial_year}`);
          await exec(
            tx as unknown as Db,
            sql`insert into invoices (number, series, financial_year, seq, kind, customer_id, period_start, period_end, invoice_date, due_date, place_of_supply, supplier, taxable_paise, exempt_paise, cgst_paise, sgst_paise, total_paise)
                select series || '/' || financial_year || '/' || lpad(${seq}::text, 6, '0'), series, financial_year, ${seq}, kind, customer_id, period_start, period_end,
                       invoice_date, due_date, place_of_supply, supplier, 0, 100, 0, 0, 100 from invoices where id = ${last.id}`,
          );
        }),
      ),
    ).toBe('invoices_total_matches_lines');
  });

  test('a number that is not series/year/seq is refused (MR/26-27/000172 with seq 171)', async () => {
    const seq = last.seq + 1;
    const wrong = `${last.series}/${last.financial_year}/${String(seq + 1).padStart(6, '0')}`;
    expect(await refusedBy(insertInvoice(last.id, { number: sql`${wrong}`, seq: sql`${seq}` }))).toBe('invoices_number_derived');
  });

  test('a financial year other than the invoice date\'s is refused (19-20 on a December 2026 invoice)', async () => {
    expect(
      await refusedBy(insertInvoice(last.id, { number: sql`series || '/19-20/000001'`, financial_year: sql`'19-20'`, seq: sql`1`, invoice_date: sql`'2026-12-15'::date` })),
    ).toBe('invoices_financial_year_of_date');
  });

  test('a number the counter has not handed out, or one past a gap, is refused; so is a counter moved without its invoice', async () => {
    const number = (seq: number) => sql`${`${last.series}/${last.financial_year}/${String(seq).padStart(6, '0')}`}`;
    // The next number, without taking it from the counter.
    expect(await refusedBy(insertInvoice(last.id, { number: number(last.seq + 1), seq: sql`${last.seq + 1}` }))).toBe('invoices_seq_from_counter');
    // Taken from the counter, but leaving a gap.
    expect(
      await refusedBy(
        db().transaction(async (tx) => {
          await exec(tx as unknown as Db, sql`update document_series set next_seq = next_seq + 5 where series = ${last.series} and financial_year = ${last.financial_year}`);
          await insertInvoice(last.id, { number: number(last.seq + 3), seq: sql`${last.seq + 3}` }, tx as unknown as Db);
        }),
      ),
    ).toBe('invoices_seq_from_counter');
    expect(
      await refusedBy(exec(db(), sql`update document_series set next_seq = next_seq + 1 where series = ${last.series} and financial_year = ${last.financial_year}`)),
    ).toBe('document_series_no_gap');
    expect(await refusedBy(exec(db(), sql`delete from document_series where series = ${last.series} and financial_year = ${last.financial_year}`))).toBe('document_series_no_gap');
    expect(await countOf(sql`select next_seq - 1 as n from document_series where series = ${last.series} and financial_year = ${last.financial_year}`)).toBe(last.seq);
  });
});

describe('business bounds on magnitudes (item 8)', () => {
  let o: OrderFixture;
  let sub: { id: string };
  let inv: Record<string, any>;
  beforeAll(async () => {
    o = await order();
    [sub] = await sqlRows<{ id: string }>(
      db(),
      sql`insert into subscriptions (customer_id, address_id, product_id, quantity, schedule, start_date) values (${customer.customer.id}, ${customer.address.id}, ${milk.id}, 1, 'daily', ${today}) returning id`,
    );
    [inv] = await sqlRows(db(), sql`select * from invoices order by created_at limit 1`);
  });
  const cases: [string, () => SQL][] = [
    ['products_price_paise_max', () => sql`update products set price_paise = 2147483647 where id = ${milk.id}`],
    ['product_requests_price_paise_max', () => sql`insert into product_requests (name, unit, price_paise, hsn_code) values ('Gold milk', 'packet', 2147483647, '0401')`],
    ['order_items_bounds', () => sql`update order_items set quantity = 2000000000 where order_id = ${o.order.id}`],
    ['order_items_bounds', () => sql`update order_items set unit_price_paise = 2147483647 where order_id = ${o.order.id}`],
    ['orders_total_max', () => sql`update orders set total_paise = 2147483647 where id = ${o.order.id}`],
    ['orders_date_range', () => sql`insert into orders (customer_id, address_id, kind, delivery_date) values (${customer.customer.id}, ${customer.address.id}, 'one_time', '9999-12-31')`],
    ['subscription_pauses_date_range', () => sql`insert into subscription_pauses (subscription_id, from_date, to_date) values (${sub.id}, '1900-01-01', '9999-12-31')`],
    ['subscriptions_date_range', () => sql`update subscriptions set end_date = '9999-12-31' where id = ${sub.id}`],
    ['subscription_overrides_date_range', () => sql`insert into subscription_overrides (subscription_id, date, quantity) values (${sub.id}, '1900-01-01', 1)`],
    ['invoice_runs_counts_valid', () => sql`insert into invoice_runs (month, amount_paise) values (${today.slice(0, 7) + '-01'}, -1)`],
    ['invoice_runs_counts_valid', () => sql`insert into invoice_runs (month, total_customers, processed_customers) values (${today.slice(0, 7) + '-01'}, 1, 2)`],
    ['invoice_runs_month_range', () => sql`insert into invoice_runs (month) values ('9999-12-01')`],
    [
      'billing_records_unit_price_max',
      () => sql`insert into billing_records (delivery_item_id, quantity, customer_id, order_id, product_id, service_date, unit_price_paise, hsn_code, gst_rate_bp, taxable_paise, cgst_paise, sgst_paise, total_paise)
                values (gen_random_uuid(), 1, ${customer.customer.id}, ${o.order.id}, ${milk.id}, ${today}, 20000000, '0401', 0, 20000000, 0, 0, 20000000)`,
    ],
    [
      'invoice_lines_bounds',
      () => sql`insert into invoice_lines (invoice_id, product_id, description, hsn_code, unit, quantity, unit_price_paise, gst_rate_bp, taxable_paise, cgst_paise, sgst_paise, total_paise)
                values (${inv.id}, ${milk.id}, 'huge', '0401', 'packet', 2000000000, 1, 0, 2000000000, 0, 0, 2000000000)`,
    ],
    [
      'invoices_total_max',
      () => sql`insert into invoices (number, series, financial_year, seq, kind, customer_id, period_start, period_end, invoice_date, due_date, taxable_paise, exempt_paise, cgst_paise, sgst_paise, total_paise, place_of_supply, supplier)
                values ('ZZ/' || ${inv.financial_year} || '/000001', 'ZZ', ${inv.financial_year}, 1, 'bill_of_supply', ${inv.customer_id}, ${inv.period_start}, ${inv.period_end}, ${inv.invoice_date}, ${inv.due_date}, 0, 1500000000, 0, 0, 1500000000, ${inv.place_of_supply}, ${JSON.stringify(inv.supplier)}::jsonb)`,
    ],
    [
      'invoices_seq_max',
      () => sql`insert into invoices (number, series, financial_year, seq, kind, customer_id, period_start, period_end, invoice_date, due_date, taxable_paise, exempt_paise, cgst_paise, sgst_paise, total_paise, place_of_supply, supplier)
                values ('ZZ/' || ${inv.financial_year} || '/100000', 'ZZ', ${inv.financial_year}, 1000000, 'bill_of_supply', ${inv.customer_id}, ${inv.period_start}, ${inv.period_end}, ${inv.invoice_date}, ${inv.due_date}, 0, 0, 0, 0, 0, ${inv.place_of_supply}, ${JSON.stringify(inv.supplier)}::jsonb)`,
    ],
    [
      'invoices_date_range',
      () => sql`insert into invoices (number, series, financial_year, seq, kind, customer_id, period_start, period_end, invoice_date, due_date, taxable_paise, exempt_paise, cgst_paise, sgst_paise, total_paise, place_of_supply, supplier)
                values ('ZZ/' || ${inv.financial_year} || '/000001', 'ZZ', ${inv.financial_year}, 1, 'bill_of_supply', ${inv.customer_id}, '1900-01-01', ${inv.period_end}, ${inv.invoice_date}, ${inv.due_date}, 0, 0, 0, 0, 0, ${inv.place_of_supply}, ${JSON.stringify(inv.supplier)}::jsonb)`,
    ],
    ['document_series_next_max', () => sql`update document_series set next_seq = 1000001 where series = ${inv.series} and financial_year = ${inv.financial_year}`],
  ];
  test.each(cases)('%s refuses an absurd value', async (name, statement) => {
    expect(await refusedBy(exec(db(), statement()))).toBe(name);
  });
  test('the rows are untouched', async () => {
    expect((await sqlRows(db(), sql`select price_paise from products where id = ${milk.id}`))[0].price_paise).toBe(2800);
    expect(await countOf(sql`select count(*)::int as n from order_items where order_id = ${o.order.id} and quantity <= 2`)).toBe(2);
  });
});
