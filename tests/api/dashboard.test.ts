import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Ctx } from '../../api/lib/context.js';
import { addDays, todayIST } from '../../api/lib/dates.js';
import type { Dashboard } from '../../api/modules/dashboard/dashboard.service.js';
import { confirmDelivery, failDelivery } from '../../api/modules/deliveries/deliveries.service.js';
import { runInvoices } from '../../api/modules/invoices/invoice-runs.service.js';
import { voidInvoice } from '../../api/modules/invoices/invoices.service.js';
import { billingRecords, invoices, orders, products } from '../../db/schema/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { bodyOf, callAs, itemOf, loginCookie, makeCustomer, makeOrder, makeProduct, makeStaff, makeZone, problemOf, type CustomerFixture } from '../helpers/chain-fixtures.js';

// The start page's figures, checked against a small chain whose amounts are known to the paisa.

type Product = typeof products.$inferSelect;

let t: TestApp;
let ctx: Ctx;
let milk: Product;
let ghee: Product;
const today = todayIST();
const month = today.slice(0, 7);
const recent = addDays(today, -5); // inside the 30-day window
const old = addDays(today, -40); // outside it, and always in an earlier month
/** Each billing record the fixtures should leave (service date and total), to compute the expected figures independently. */
const billed: { date: string; total: number; invoiced?: boolean }[] = [];

async function deliver(customer: CustomerFixture, day: string, items: { product: Product; quantity: number }[]) {
  const o = await makeOrder(t.database.db, { customer, delivery_date: day, items });
  await confirmDelivery(ctx, o.delivery.id, { delivered_at: day === today ? new Date() : new Date(`${day}T06:30:00+05:30`) });
  return o;
}

const totalOf = (p: Product, qty: number) => {
  const taxable = p.price_paise * qty;
  const half = Math.floor((taxable * p.gst_rate_bp + 10_000) / 20_000);
  return taxable + 2 * half;
};

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  ctx = {
    db,
    inTx: false,
    actor: { id: t.userIds.admin, email: 'admin@milkrun.test', name: 'Asha Admin', roles: ['admin'], permissions: [{ resource: '*', action: '*', conditions: null }] },
    requestId: 'dashboard-test',
    log: pino({ level: 'silent' }),
  };
  const zone = await makeZone(db);
  milk = await makeProduct(db, { price_paise: 2700, gst_rate_bp: 0 });
  ghee = await makeProduct(db, { name: `Ghee ${zone.id.slice(0, 4)}`, unit: 'bottle', price_paise: 36050, hsn_code: '0405', gst_rate_bp: 1200 });
  const [asha, bina, chetan] = [await makeCustomer(db, { zone_id: zone.id }), await makeCustomer(db, { zone_id: zone.id }), await makeCustomer(db, { zone_id: zone.id })];

  // Today: one delivered, one partial (2 of 3 packets), one failed, one pending, one pending of a cancelled order.
  await deliver(asha, today, [{ product: milk, quantity: 2 }]);
  billed.push({ date: today, total: totalOf(milk, 2) });
  const partial = await makeOrder(db, { customer: bina, delivery_date: today, items: [{ product: milk, quantity: 3 }] });
  await confirmDelivery(ctx, partial.delivery.id, { delivered_at: new Date(), items: [{ order_item_id: itemOf(partial, milk).id, quantity: 2 }] });
  billed.push({ date: today, total: totalOf(milk, 2) });
  const failed = await makeOrder(db, { customer: chetan, delivery_date: today, items: [{ product: milk, quantity: 1 }] });
  await failDelivery(ctx, failed.delivery.id, { reason: 'Door locked, no answer', at: new Date() });
  await makeOrder(db, { customer: chetan, delivery_date: today, shift: 'evening', items: [{ product: milk, quantity: 1 }] });
  const cancelled = await makeOrder(db, { customer: asha, delivery_date: today, shift: 'evening', items: [{ product: ghee, quantity: 1 }] });
  await db.update(orders).set({ status: 'cancelled' }).where(eq(orders.id, cancelled.order.id));

  // Five days ago: milk and ghee (12% GST) for Asha.
  await deliver(asha, recent, [{ product: milk, quantity: 1 }, { product: ghee, quantity: 1 }]);
  billed.push({ date: recent, total: totalOf(milk, 1) }, { date: recent, total: totalOf(ghee, 1) });

  // Forty days ago, then invoiced today: two invoices dated this month, one of them voided (its records released).
  await deliver(bina, old, [{ product: ghee, quantity: 2 }]);
  await deliver(chetan, old, [{ product: milk, quantity: 4 }]);
  await runInvoices(ctx, { month: old.slice(0, 7) });
  const [chetanInvoice] = await db.select().from(invoices).where(eq(invoices.customer_id, chetan.customer.id));
  await voidInvoice(ctx, chetanInvoice.id, { reason: 'Wrong address printed' });
  billed.push({ date: old, total: totalOf(ghee, 2), invoiced: true }, { date: old, total: totalOf(milk, 4) });
}, 120_000);

afterAll(() => t?.close());

describe('GET /api/dashboard', () => {
  test("today's deliveries, this month's billing, unbilled records, this month's invoices and 30 days of value", async () => {
    const d = await bodyOf<Dashboard>(await t.call('finance', 'GET', '/api/dashboard'), 200);
    expect(d.today).toBe(today);
    expect(d.month).toBe(month);
    // The cancelled order's pending delivery is not work for today.
    expect(d.deliveries_today).toEqual({ pending: 1, delivered: 2, partial: 1, failed: 1, total: 4 });

    const sum = (rows: typeof billed) => rows.reduce((s, r) => s + r.total, 0);
    const thisMonth = billed.filter((r) => r.date.startsWith(month));
    expect(d.billed_this_month).toEqual({ records: thisMonth.length, amount_paise: sum(thisMonth) });
    const open = billed.filter((r) => !r.invoiced);
    expect(d.unbilled).toMatchObject({ records: open.length, amount_paise: sum(open) });
    expect(d.unbilled.customers).toBe(3);
    expect(d.unbilled.oldest_service_date).toBe(old);
    expect(d.invoices_this_month).toEqual({ count: 1, amount_paise: totalOf(ghee, 2) });

    expect(d.daily).toHaveLength(30);
    expect(d.daily[0].date).toBe(addDays(today, -29));
    expect(d.daily.at(-1)).toEqual({ date: today, delivered_paise: totalOf(milk, 2) * 2, deliveries: 2 });
    expect(d.daily.find((x) => x.date === recent)).toEqual({ date: recent, delivered_paise: totalOf(milk, 1) + totalOf(ghee, 1), deliveries: 1 });
    expect(d.daily.filter((x) => x.date !== today && x.date !== recent).every((x) => x.delivered_paise === 0 && x.deliveries === 0)).toBe(true);

    // The same figures straight from the rows the chain left.
    const records = await t.database.db.select().from(billingRecords);
    expect(records).toHaveLength(billed.length);
    expect(records.filter((r) => r.invoice_id === null).reduce((s, r) => s + r.total_paise, 0)).toBe(d.unbilled.amount_paise);
    expect(records.filter((r) => r.service_date.startsWith(month)).reduce((s, r) => s + r.total_paise, 0)).toBe(d.billed_this_month.amount_paise);
  });

  test('needs the billing records list permission: managers and support read it, delivery staff do not, nobody without a session', async () => {
    expect((await t.call('manager', 'GET', '/api/dashboard')).status).toBe(200);
    expect((await t.call('support', 'GET', '/api/dashboard')).status).toBe(200);
    await problemOf(await t.call(null, 'GET', '/api/dashboard'), 401);
    const { user } = await makeStaff(t.database.db, { login: true });
    const cookie = await loginCookie(t.app, user!.email, user!.password);
    await problemOf(await callAs(t.app, cookie, 'GET', '/api/dashboard'), 403);
  });
});
