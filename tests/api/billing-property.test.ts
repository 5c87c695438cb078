import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { addDays, monthBounds } from '../../api/lib/dates.js';
import { lineAmounts } from '../../shared/money.js';
import { confirmDelivery, failDelivery } from '../../api/modules/deliveries/deliveries.service.js';
import { runInvoices } from '../../api/modules/invoices/invoice-runs.service.js';
import { generateOrders } from '../../api/modules/orders/generate.service.js';
import { createOneTimeOrder } from '../../api/modules/orders/orders.service.js';
import { createOverride, createPause, createSubscription } from '../../api/modules/subscriptions/subscriptions.service.js';
import type { Ctx } from '../../api/lib/context.js';
import { products } from '../../db/schema/index.js';
import { systemCtx } from '../../seeds/history.js';
import { productCatalogue } from '../../seeds/catalog-data.js';
import { makeCustomer, makeZone, sqlRows } from '../helpers/chain-fixtures.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { deliveredAt } from '../helpers/delivered-at.js';

// For any month of subscriptions (with pauses and one-day changes), one-time orders and deliveries that are
// full, partial or failed, the month's invoices add up to the delivered quantity x price + tax, to the paisa.

let t: TestApp;
let ctx: Ctx;
let catalogue: { id: string; price_paise: number; gst_rate_bp: number }[];
const MONTH = '2026-09';
const { start, end } = monthBounds(MONTH);

beforeAll(async () => {
  t = await createTestApp();
  ctx = await systemCtx(t.database.db, t.userIds.admin);
  // Prices and GST rates from the real catalogue: exempt milk and curd, 5% groceries, 12% butter and ghee.
  catalogue = await t.database.db
    .insert(products)
    .values(productCatalogue.map((p) => ({ ...p })))
    .returning({ id: products.id, price_paise: products.price_paise, gst_rate_bp: products.gst_rate_bp });
});
afterAll(() => t.close());

const day = fc.integer({ min: 0, max: 29 });
const subscriptionArb = fc.record({
  product: fc.nat(),
  quantity: fc.integer({ min: 1, max: 3 }),
  schedule: fc.constantFrom('daily', 'alternate', 'weekdays'),
  weekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
  shift: fc.constantFrom('morning', 'evening'),
  startOffset: fc.integer({ min: -10, max: 20 }),
  pause: fc.option(fc.record({ from: day, length: fc.integer({ min: 0, max: 6 }) })),
  override: fc.option(fc.record({ day, quantity: fc.integer({ min: 0, max: 4 }) })),
});
const oneTimeArb = fc.record({
  day,
  items: fc.uniqueArray(fc.record({ product: fc.nat(), quantity: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 3, selector: (i) => i.product % 26 }),
});
const customerArb = fc.record({
  subscriptions: fc.array(subscriptionArb, { minLength: 0, maxLength: 2 }),
  oneTime: fc.array(oneTimeArb, { minLength: 0, maxLength: 3 }),
});
// One outcome per delivery, in order: full, partial (a share of each item) or failed.
const outcomesArb = fc.array(fc.record({ kind: fc.constantFrom('full', 'full', 'full', 'partial', 'failed'), share: fc.double({ min: 0, max: 1, noNaN: true }) }), { minLength: 40, maxLength: 40 });

test('invoices of a month equal delivered quantity x price + tax, to the paisa', async () => {
  const zone = await makeZone(t.database.db);
  await fc.assert(
    fc.asyncProperty(fc.array(customerArb, { minLength: 1, maxLength: 3 }), outcomesArb, async (people, outcomes) => {
      const db = t.database.db;
      const ids: string[] = [];
      for (const person of people) {
        const { customer, address } = await makeCustomer(db, { zone_id: zone.id });
        ids.push(customer.id);
        for (const s of person.subscriptions) {
          const from = addDays(start, s.startOffset);
          const sub = await createSubscription(
            ctx,
            { customer_id: customer.id, address_id: address.id, product_id: catalogue[s.product % catalogue.length].id, quantity: s.quantity, schedule: s.schedule, weekdays: s.schedule === 'weekdays' ? s.weekdays : undefined, shift: s.shift, start_date: from } as never,
            { today: from },
          );
          if (s.pause) {
            const pauseFrom = addDays(from, s.pause.from % 15);
            await createPause(ctx, { subscription_id: sub.id as string, from_date: pauseFrom, to_date: addDays(pauseFrom, s.pause.length) }, { today: from });
          }
          if (s.override) await createOverride(ctx, { subscription_id: sub.id as string, date: addDays(from, s.override.day % 15), quantity: s.override.quantity } as never, { today: from });
        }
        for (const o of person.oneTime) {
          const when = addDays(start, o.day);
          await createOneTimeOrder(
            ctx,
            { customer_id: customer.id, address_id: address.id, delivery_date: when, items: o.items.map((i) => ({ product_id: catalogue[i.product % catalogue.length].id, quantity: i.quantity })) } as never,
            { today: when },
          );
        }
      }
      await generateOrders(ctx, { from: start, to: end });

      const pending = await sqlRows<{ id: string; day: string; items: { id: string; quantity: number }[] }>(
        db,
        sql`select d.id, d.order_date::text as day,
                   (select json_agg(json_build_object('id', oi.id, 'quantity', oi.quantity) order by oi.id) from order_items oi where oi.order_id = d.order_id) as items
            from deliveries d join orders o on o.id = d.order_id
            where d.status = 'pending' and o.status = 'pending' and o.customer_id in ${ids}
              and d.order_date between ${start} and ${end} order by d.order_date, d.id`,
      );
      for (const [i, d] of pending.entries()) {
        const outcome = outcomes[i % outcomes.length];
        const at = deliveredAt(d.day, '07:00');
        const items = typeof d.items === 'string' ? JSON.parse(d.items) : d.items;
        if (outcome.kind === 'failed') {
          await failDelivery(ctx, d.id, { reason: 'Door locked', at });
          continue;
        }
        const delivered = items.map((it: { id: string; quantity: number }) => ({ order_item_id: it.id, quantity: outcome.kind === 'full' ? it.quantity : Math.floor(it.quantity * outcome.share) }));
        if (!delivered.some((it: { quantity: number }) => it.quantity > 0)) await failDelivery(ctx, d.id, { reason: 'Nothing in stock', at });
        else await confirmDelivery(ctx, d.id, { items: delivered, delivered_at: at });
      }
      for (const id of ids) await runInvoices(ctx, { month: MONTH, customer_id: id, invoice_date: addDays(end, 1) });

      // The expectation, computed from what was delivered: quantity x the order's price, plus tax per line.
      const lines = await sqlRows<{ quantity: number; price: number; rate: number }>(
        db,
        sql`select di.quantity, oi.unit_price_paise as price, p.gst_rate_bp as rate
            from delivery_items di join order_items oi on oi.id = di.order_item_id join products p on p.id = oi.product_id
            join orders o on o.id = di.order_id
            where o.customer_id in ${ids} and di.quantity > 0 and o.delivery_date between ${start} and ${end}`,
      );
      const expected = lines.reduce((sum, l) => sum + lineAmounts(l.quantity, l.price, l.rate).total_paise, 0);
      const [{ invoiced, unbilled }] = await sqlRows<{ invoiced: number; unbilled: number }>(
        db,
        sql`select (select coalesce(sum(total_paise), 0)::int from invoices where customer_id in ${ids} and status = 'issued') as invoiced,
                   (select count(*)::int from billing_records where customer_id in ${ids} and invoice_id is null and service_date between ${start} and ${end}) as unbilled`,
      );
      expect(unbilled).toBe(0);
      expect(invoiced).toBe(expected);
    }),
    { numRuns: Number(process.env.PROPERTY_RUNS ?? 6), seed: process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined, endOnFailure: true },
  );
}, 600_000);
