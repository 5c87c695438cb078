import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import pino from 'pino';
import type { Ctx } from '../../api/lib/context.js';
import { todayIST } from '../../api/lib/dates.js';
import { pgErrorOf } from '../../api/lib/errors.js';
import { issueInvoices } from '../../api/modules/invoices/invoices.service.js';
import { billingRecords } from '../../db/schema/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import {
  bodyOf,
  callAs,
  daysFromToday,
  itemOf,
  loginCookie,
  makeCustomer,
  makeOrder,
  makeProduct,
  makeZone,
  makeStaff,
  problemOf,
  type CustomerFixture,
  type OrderFixture,
} from '../helpers/chain-fixtures.js';

let t: TestApp;
let ravi: CustomerFixture;
let meena: CustomerFixture;
let milk: Awaited<ReturnType<typeof makeProduct>>;
let ghee: Awaited<ReturnType<typeof makeProduct>>;
let today: OrderFixture;
let earlier: OrderFixture;
let meenas: OrderFixture;
let invoiceId: string;
let invoiceNumber: string;
const db = () => t.database.db;

const list = async (query: string, role: 'admin' | 'finance' | 'support' | 'manager' = 'finance') => {
  const res = await t.call(role, 'GET', `/api/billing-records?${query}`);
  const rows = await bodyOf<any[]>(res, 200);
  expect(Number(res.headers.get('x-total-count'))).toBe(rows.length);
  return rows;
};

beforeAll(async () => {
  t = await createTestApp();
  const zone = await makeZone(db());
  ravi = await makeCustomer(db(), { zone_id: zone.id, name: 'Ravi Billing' });
  meena = await makeCustomer(db(), { zone_id: zone.id, name: 'Meena Billing' });
  milk = await makeProduct(db(), { name: 'Toned Milk 500ml', price_paise: 2700, gst_rate_bp: 0, hsn_code: '0401' });
  ghee = await makeProduct(db(), { name: 'Cow Ghee 200ml', price_paise: 15999, gst_rate_bp: 1200, hsn_code: '0405', unit: 'bottle', unit_size: '200 ml' });
  earlier = await makeOrder(db(), { customer: ravi, items: [{ product: milk, quantity: 2 }], delivery_date: daysFromToday(-3) });
  today = await makeOrder(db(), { customer: ravi, items: [{ product: milk, quantity: 1 }, { product: ghee, quantity: 2 }] });
  meenas = await makeOrder(db(), { customer: meena, items: [{ product: ghee, quantity: 1 }] });
  const confirm = (o: OrderFixture, body: unknown = {}) => t.call('manager', 'POST', `/api/deliveries/${o.delivery.id}/confirm`, body);
  await bodyOf(await confirm(earlier, { delivered_at: `${daysFromToday(-3)}T07:00:00+05:30` }), 200);
  await bodyOf(await confirm(today, { items: [{ order_item_id: itemOf(today, ghee).id, quantity: 1 }] }), 200);
  await bodyOf(await confirm(meenas), 200);

  // Put Ravi's earlier record on an issued invoice (as the invoice run will), so invoice filters have something to find.
  const [record] = await db().select().from(billingRecords).where(eq(billingRecords.order_id, earlier.order.id));
  const day = record.service_date;
  // Issued by the service, the only way to take a number (the series counter, triggers invoices_seq_from_counter).
  const ctx: Ctx = { db: db(), inTx: false, actor: null, requestId: 'billing-records-test', log: pino({ level: 'silent' }) };
  const [issued] = await issueInvoices(ctx, { customerIds: [ravi.customer.id], periodStart: day, periodEnd: day, invoiceDate: todayIST() });
  invoiceId = issued.id;
  invoiceNumber = issued.number;
});
afterAll(() => t?.close());

describe('billing records', () => {
  test('rows carry customer, product and invoice number', async () => {
    const rows = await list(`order_id=${today.order.id}&_sort=product_name&_order=asc`);
    expect(rows.map((r) => r.product_name)).toEqual(['Cow Ghee 200ml', 'Toned Milk 500ml']);
    // 1 x Rs 159.99 at 12%: 6% = 9.5994 -> 9.60 each.
    expect(rows[0]).toMatchObject({
      customer_id: ravi.customer.id,
      customer_name: 'Ravi Billing',
      product_id: ghee.id,
      quantity: 1,
      unit_price_paise: 15999,
      hsn_code: '0405',
      gst_rate_bp: 1200,
      taxable_paise: 15999,
      cgst_paise: 960,
      sgst_paise: 960,
      total_paise: 17919,
      service_date: todayIST(),
      source: 'delivery',
      legacy_billed: false,
      invoice_id: null,
      invoice_number: null,
      is_invoiced: false,
    });
    expect(rows[1]).toMatchObject({ quantity: 1, taxable_paise: 2700, cgst_paise: 0, total_paise: 2700 });
    const [invoiced] = await list(`order_id=${earlier.order.id}`);
    expect(invoiced).toMatchObject({ invoice_id: invoiceId, invoice_number: invoiceNumber, is_invoiced: true, quantity: 2, total_paise: 5400, service_date: daysFromToday(-3) });
    const one = await bodyOf(await t.call('support', 'GET', `/api/billing-records/${invoiced.id}`), 200);
    expect(one).toEqual(invoiced);
  });

  test('filters: customer, product, invoice, service date range, source, legacy, is_invoiced; q searches names', async () => {
    const ids = async (query: string) => (await list(query)).map((r) => r.id).sort();
    const all = await list('_end=1000');
    expect(all).toHaveLength(4);
    expect(await ids(`customer_id=${meena.customer.id}`)).toHaveLength(1);
    expect((await list(`product_id=${ghee.id}`)).map((r) => r.customer_name).sort()).toEqual(['Meena Billing', 'Ravi Billing']);
    expect((await list(`invoice_id=${invoiceId}`)).map((r) => r.order_id)).toEqual([earlier.order.id]);
    expect(await list(`service_date_gte=${todayIST()}`)).toHaveLength(3);
    expect((await list(`service_date_lte=${daysFromToday(-1)}`)).map((r) => r.order_id)).toEqual([earlier.order.id]);
    expect(await list('source=delivery')).toHaveLength(4);
    expect(await list('source=legacy_import')).toHaveLength(0);
    expect(await list('legacy_billed=true')).toHaveLength(0);
    // Still to invoice: not on an invoice and not billed by the old system.
    expect(await list('is_invoiced=false&legacy_billed=false')).toHaveLength(3);
    expect((await list('is_invoiced=true')).map((r) => r.id)).toEqual([all.find((r) => r.invoice_id)!.id]);
    expect((await list('q=meena')).map((r) => r.customer_name)).toEqual(['Meena Billing']);
    const ravisOrders = all.filter((r) => r.customer_id !== meena.customer.id);
    const ravi = ravisOrders[0].customer_id;
    expect((await list(`customer_id=${ravi}&_sort=total_paise&_order=desc`)).map((r) => r.total_paise)).toEqual(ravisOrders.map((r) => r.total_paise).sort((a, b) => b - a));
    // On the whole list (millions of rows at scale) only indexed columns sort; the refusal says how to narrow it.
    const refused = await problemOf(await t.call('finance', 'GET', '/api/billing-records?_sort=total_paise&_order=desc'), 400, 'sort_needs_filter');
    expect(refused.message).toMatch(/filter by customer_id/);
    await problemOf(await t.call('finance', 'GET', '/api/billing-records?unbilled=true'), 400, 'unknown_filter');
    await problemOf(await t.call('finance', 'GET', '/api/billing-records?source=manual'), 400, 'bad_filter');
  });

  test('are read-only through the API and in the database', async () => {
    const [row] = await list(`customer_id=${meena.customer.id}`, 'admin');
    expect((await t.call('admin', 'POST', '/api/billing-records', { ...row, id: undefined })).status).toBe(404);
    expect((await t.call('admin', 'PATCH', `/api/billing-records/${row.id}`, { total_paise: 1 })).status).toBe(404);
    expect((await t.call('admin', 'DELETE', `/api/billing-records/${row.id}`)).status).toBe(404);
    await expect(db().execute(sql`update billing_records set total_paise = 1 where id = ${row.id}`)).rejects.toSatisfy((e: unknown) => [pgErrorOf(e)?.constraint, pgErrorOf(e)?.constraint_name].includes('billing_records_immutable'));
    expect((await db().select().from(billingRecords).where(eq(billingRecords.id, row.id)))[0].total_paise).toBe(17919);
  });

  test('who may read them: finance, support and managers; not delivery staff', async () => {
    for (const role of ['admin', 'finance', 'support', 'manager'] as const) expect(await list('', role)).toHaveLength(4);
    const rider = await makeStaff(db(), { login: true });
    const cookie = await loginCookie(t.app, rider.user!.email, rider.user!.password);
    await problemOf(await callAs(t.app, cookie, 'GET', '/api/billing-records'), 403, 'forbidden');
    await problemOf(await t.call('finance', 'GET', '/api/billing-records/00000000-0000-4000-8000-000000000000'), 404, 'not_found');
  });
});
