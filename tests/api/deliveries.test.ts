import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { todayIST } from '../../api/lib/dates.js';
import { billingRecords, deliveries, deliveryItems, orders } from '../../db/schema/index.js';
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
  makeStaff,
  makeZone,
  problemOf,
  sqlRows,
  type CustomerFixture,
  type OrderFixture,
  type StaffFixture,
} from '../helpers/chain-fixtures.js';
import { deliveredAt } from '../helpers/delivered-at.js';

let t: TestApp;
let zone: { id: string; name: string };
let otherZone: { id: string; name: string };
let milk: Awaited<ReturnType<typeof makeProduct>>;
let cheese: Awaited<ReturnType<typeof makeProduct>>;
let asha: StaffFixture;
let bala: StaffFixture;
let ashaCookie: string;
let customer: CustomerFixture;

const db = () => t.database.db;
const confirm = (o: OrderFixture, body: unknown = {}, headers: Record<string, string> = {}) =>
  t.call('manager', 'POST', `/api/deliveries/${o.delivery.id}/confirm`, body, headers);
const newOrder = (opts: Partial<Parameters<typeof makeOrder>[1]> = {}) =>
  makeOrder(db(), {
    customer,
    items: [
      { product: milk, quantity: 2 },
      { product: cheese, quantity: 3, unit_price_paise: 12345 },
    ],
    staff_id: asha.staff.id,
    ...opts,
  });
const billsOf = (orderId: string) => db().select().from(billingRecords).where(eq(billingRecords.order_id, orderId));
const itemsOf = (deliveryId: string) => db().select().from(deliveryItems).where(eq(deliveryItems.delivery_id, deliveryId));
const deliveryRow = async (id: string) => (await db().select().from(deliveries).where(eq(deliveries.id, id)))[0];
const orderRow = async (id: string) => (await db().select().from(orders).where(eq(orders.id, id)))[0];
const auditCount = async (recordId: string, action: string) =>
  Number((await sqlRows<{ n: number }>(db(), sql`select count(*)::int as n from audit_logs where record_id = ${recordId} and action = ${action}`))[0].n);

beforeAll(async () => {
  t = await createTestApp();
  zone = await makeZone(db());
  otherZone = await makeZone(db());
  milk = await makeProduct(db(), { price_paise: 2800, gst_rate_bp: 0, hsn_code: '0401' });
  cheese = await makeProduct(db(), { price_paise: 12345, gst_rate_bp: 1200, hsn_code: '0406', unit: 'piece', unit_size: '200 g' });
  asha = await makeStaff(db(), { zone_id: zone.id, name: 'Asha Rider', login: true });
  bala = await makeStaff(db(), { zone_id: zone.id, name: 'Bala Rider', login: true });
  ashaCookie = await loginCookie(t.app, asha.user!.email, asha.user!.password);
  customer = await makeCustomer(db(), { zone_id: zone.id });
});
afterAll(() => t?.close());

describe('confirming a delivery', () => {
  test('in full: every item recorded, one billing record per item with exact paise and tax, statuses settled, audited', async () => {
    const o = await newOrder();
    const body = await bodyOf(await confirm(o, { lat: 12.97, lng: 77.59, proof_note: 'Left at the door' }), 200);
    expect(body).toMatchObject({ id: o.delivery.id, status: 'delivered', order_status: 'delivered', delivered_on: todayIST(), lat: 12.97, lng: 77.59, proof_note: 'Left at the door' });
    expect(body.billed_total_paise).toBe(5600 + 41479);
    expect(body.items).toHaveLength(2);

    const items = await itemsOf(o.delivery.id);
    expect(items.map((i) => [i.order_item_id, i.ordered_quantity, i.quantity]).sort()).toEqual(
      [
        [itemOf(o, milk).id, 2, 2],
        [itemOf(o, cheese).id, 3, 3],
      ].sort(),
    );
    const bills = await billsOf(o.order.id);
    expect(bills).toHaveLength(2);
    const milkBill = bills.find((b) => b.product_id === milk.id)!;
    const cheeseBill = bills.find((b) => b.product_id === cheese.id)!;
    // Exempt milk: 2 x Rs 28.00, no tax.
    expect(milkBill).toMatchObject({ quantity: 2, unit_price_paise: 2800, hsn_code: '0401', gst_rate_bp: 0, taxable_paise: 5600, cgst_paise: 0, sgst_paise: 0, total_paise: 5600 });
    // 12% cheese: 3 x Rs 123.45 = 370.35; CGST = SGST = 6% = 22.2210 -> 22.22.
    expect(cheeseBill).toMatchObject({ quantity: 3, unit_price_paise: 12345, hsn_code: '0406', gst_rate_bp: 1200, taxable_paise: 37035, cgst_paise: 2222, sgst_paise: 2222, total_paise: 41479 });
    for (const b of bills) {
      expect(b).toMatchObject({ customer_id: customer.customer.id, order_id: o.order.id, service_date: todayIST(), source: 'delivery', invoice_id: null, legacy_billed: false });
      expect(items.find((i) => i.id === b.delivery_item_id)?.quantity).toBe(b.quantity);
    }
    const d = await deliveryRow(o.delivery.id);
    expect(d).toMatchObject({ status: 'delivered', delivered_on: todayIST(), confirmed_by: t.userIds.manager, proof_note: 'Left at the door' });
    expect(Math.abs(d.delivered_at!.getTime() - Date.now())).toBeLessThan(60_000);
    expect((await orderRow(o.order.id)).status).toBe('delivered');
    expect(await auditCount(o.delivery.id, 'confirm')).toBe(1);
  });

  test('partially: omitted items are delivered in full, a zero quantity is recorded but not billed', async () => {
    const o = await newOrder();
    const body = await bodyOf(await confirm(o, { items: [{ order_item_id: itemOf(o, milk).id, quantity: 0 }] }), 200);
    expect(body).toMatchObject({ status: 'partial', order_status: 'partially_delivered', billed_total_paise: 41479 });
    const items = await itemsOf(o.delivery.id);
    expect(items).toHaveLength(2);
    expect(items.find((i) => i.order_item_id === itemOf(o, milk).id)?.quantity).toBe(0);
    const bills = await billsOf(o.order.id);
    expect(bills.map((b) => [b.product_id, b.quantity])).toEqual([[cheese.id, 3]]);
    expect((await deliveryRow(o.delivery.id)).status).toBe('partial');
    expect((await orderRow(o.order.id)).status).toBe('partially_delivered');
  });

  test('partially with a smaller quantity bills what was delivered', async () => {
    const o = await newOrder();
    await bodyOf(await confirm(o, { items: [{ order_item_id: itemOf(o, cheese).id, quantity: 1 }] }), 200);
    const cheeseBill = (await billsOf(o.order.id)).find((b) => b.product_id === cheese.id)!;
    // 1 x 123.45 at 12%: 6% of 12345 = 740.7 -> 741 paise each half (half up).
    expect(cheeseBill).toMatchObject({ quantity: 1, taxable_paise: 12345, cgst_paise: 741, sgst_paise: 741, total_paise: 13827 });
  });

  test('a second confirmation is a 409 and writes nothing', async () => {
    const o = await newOrder();
    await bodyOf(await confirm(o), 200);
    const again = await problemOf(await confirm(o), 409, 'already_confirmed');
    expect(again.message).toMatch(/already delivered/);
    expect(await billsOf(o.order.id)).toHaveLength(2);
    expect(await itemsOf(o.delivery.id)).toHaveLength(2);
    expect(await auditCount(o.delivery.id, 'confirm')).toBe(1);
  });

  test('a retry with the same Idempotency-Key returns the first answer and creates nothing more', async () => {
    const o = await newOrder();
    const key = `confirm-${o.delivery.id}`;
    const first = await confirm(o, {}, { 'idempotency-key': key });
    const firstBody = await bodyOf(first, 200);
    const retry = await confirm(o, {}, { 'idempotency-key': key });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await bodyOf(retry, 200)).toEqual(firstBody);
    expect(await billsOf(o.order.id)).toHaveLength(2);
    expect(await itemsOf(o.delivery.id)).toHaveLength(2);
    expect(await auditCount(o.delivery.id, 'confirm')).toBe(1);
    // Another key is another request: the delivery is already confirmed.
    await problemOf(await confirm(o, {}, { 'idempotency-key': `${key}-other` }), 409, 'already_confirmed');
    // A failed attempt leaves no claim: the key of a refused request can be used again.
    const o2 = await newOrder();
    await problemOf(await confirm(o2, { items: [{ order_item_id: itemOf(o2, milk).id, quantity: 9 }] }, { 'idempotency-key': 'retry-me' }), 422, 'bad_quantity');
    await bodyOf(await confirm(o2, {}, { 'idempotency-key': 'retry-me' }), 200);
  });

  test('two concurrent confirmations: one 200, one 409, exactly one set of billing records', { tags: ['race'] }, async () => {
    const o = await newOrder();
    const results = await Promise.all([confirm(o), confirm(o)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = results.find((r) => r.status === 409)!;
    await problemOf(loser, 409, 'already_confirmed');
    expect(await billsOf(o.order.id)).toHaveLength(2);
    expect(await itemsOf(o.delivery.id)).toHaveLength(2);
  });

  test('a confirmation racing a failure: one wins, the other is a 409, the rows agree with the winner', { tags: ['race'] }, async () => {
    for (let i = 0; i < 3; i++) {
      const o = await newOrder();
      const [c, f] = await Promise.all([confirm(o), t.call('manager', 'POST', `/api/deliveries/${o.delivery.id}/fail`, { reason: 'Nobody home' })]);
      expect([c.status, f.status].sort()).toEqual([200, 409]);
      const d = await deliveryRow(o.delivery.id);
      const bills = await billsOf(o.order.id);
      if (c.status === 200) {
        expect([d.status, (await orderRow(o.order.id)).status, bills.length]).toEqual(['delivered', 'delivered', 2]);
      } else {
        expect([d.status, (await orderRow(o.order.id)).status, bills.length]).toEqual(['failed', 'failed', 0]);
        expect(await itemsOf(o.delivery.id)).toHaveLength(0);
      }
    }
  });

  test('two concurrent retries with one Idempotency-Key: both get the same 200, one set of records', { tags: ['race'] }, async () => {
    const o = await newOrder();
    const headers = { 'idempotency-key': `race-${o.delivery.id}` };
    const [a, b] = await Promise.all([confirm(o, {}, headers), confirm(o, {}, headers)]);
    expect(await bodyOf(a, 200)).toEqual(await bodyOf(b, 200));
    expect(await billsOf(o.order.id)).toHaveLength(2);
  });

  test('a quantity above the ordered one is a 422 and writes nothing', async () => {
    const o = await newOrder();
    const p = await problemOf(await confirm(o, { items: [{ order_item_id: itemOf(o, milk).id, quantity: 3 }] }), 422, 'bad_quantity');
    expect(p.message).toMatch(/3 delivered but 2 ordered/);
    expect((await deliveryRow(o.delivery.id)).status).toBe('pending');
    expect(await itemsOf(o.delivery.id)).toHaveLength(0);
    expect(await billsOf(o.order.id)).toHaveLength(0);
  });

  test('refuses a time in the future, a time before the order date, nothing delivered, strangers and duplicates', async () => {
    const o = await newOrder();
    const tomorrow = new Date(Date.now() + 26 * 3600_000).toISOString();
    await problemOf(await confirm(o, { delivered_at: tomorrow }), 422, 'delivery_in_future');
    // The database's CHECK deliveries_not_before_order, mapped to its message.
    const before = await problemOf(await confirm(o, { delivered_at: `${daysFromToday(-2)}T07:00:00+05:30` }), 422, 'delivered_before_order');
    expect(before.message).toMatch(/before its order's date/);
    const zero = o.items.map((i) => ({ order_item_id: i.id, quantity: 0 }));
    const nothing = await problemOf(await confirm(o, { items: zero }), 422, 'nothing_delivered');
    expect(nothing.message).toMatch(/failed/);
    const other = await newOrder();
    await problemOf(await confirm(o, { items: [{ order_item_id: other.items[0].id, quantity: 1 }] }), 422, 'item_not_of_order');
    const twice = [itemOf(o, milk), itemOf(o, milk)].map((i) => ({ order_item_id: i.id, quantity: 1 }));
    await problemOf(await confirm(o, { items: twice }), 422, 'duplicate_item');
    await problemOf(await confirm(o, { items: [{ order_item_id: itemOf(o, milk).id, quantity: -1 }] }), 400, 'validation_failed');
    await problemOf(await confirm(o, { lat: 12.9 }), 400, 'validation_failed');
    await problemOf(await confirm(o, { colour: 'blue' }), 400, 'validation_failed');
    expect((await deliveryRow(o.delivery.id)).status).toBe('pending');
    expect(await itemsOf(o.delivery.id)).toHaveLength(0);
    // A confirmation dated yesterday for yesterday's order is fine; the billing record is dated then.
    const late = await newOrder({ delivery_date: daysFromToday(-1) });
    const body = await bodyOf(await confirm(late, { delivered_at: `${daysFromToday(-1)}T23:30:00+05:30` }), 200);
    expect(body.delivered_on).toBe(daysFromToday(-1));
    expect((await billsOf(late.order.id)).map((b) => b.service_date)).toEqual([daysFromToday(-1), daysFromToday(-1)]);
  });

  test('an unknown delivery is a 404; a cancelled order cannot be confirmed', async () => {
    await problemOf(await t.call('manager', 'POST', '/api/deliveries/00000000-0000-4000-8000-000000000000/confirm', {}), 404, 'not_found');
    const o = await newOrder();
    await db().update(orders).set({ status: 'cancelled' }).where(eq(orders.id, o.order.id));
    await problemOf(await confirm(o), 409, 'order_not_pending');
    expect(await itemsOf(o.delivery.id)).toHaveLength(0);
  });

  test('roles without the confirm permission get a 403', async () => {
    const o = await newOrder();
    await problemOf(await t.call('support', 'POST', `/api/deliveries/${o.delivery.id}/confirm`, {}), 403, 'forbidden');
    await problemOf(await t.call('finance', 'POST', `/api/deliveries/${o.delivery.id}/confirm`, {}), 403, 'forbidden');
    // Refused before the body is validated: a role without the right learns nothing about the schema.
    await problemOf(await t.call('support', 'POST', `/api/deliveries/${o.delivery.id}/confirm`, { colour: 'blue' }), 403, 'forbidden');
    await problemOf(await t.call('support', 'PATCH', `/api/deliveries/${o.delivery.id}`, { colour: 'blue' }), 403, 'forbidden');
    expect((await deliveryRow(o.delivery.id)).status).toBe('pending');
  });
});

describe('failing a delivery', () => {
  test('needs a reason of at least 3 characters', async () => {
    const o = await newOrder();
    await problemOf(await t.call('manager', 'POST', `/api/deliveries/${o.delivery.id}/fail`, {}), 400, 'validation_failed');
    await problemOf(await t.call('manager', 'POST', `/api/deliveries/${o.delivery.id}/fail`, { reason: '  x ' }), 400, 'validation_failed');
    expect((await deliveryRow(o.delivery.id)).status).toBe('pending');
  });

  test('records the reason, fails the order, bills nothing, and is final', async () => {
    const o = await newOrder();
    const body = await bodyOf(await t.call('manager', 'POST', `/api/deliveries/${o.delivery.id}/fail`, { reason: 'Gate locked, no answer' }), 200);
    expect(body).toMatchObject({ status: 'failed', failure_reason: 'Gate locked, no answer', order_status: 'failed', delivered_on: todayIST() });
    expect(await deliveryRow(o.delivery.id)).toMatchObject({ status: 'failed', failure_reason: 'Gate locked, no answer', confirmed_by: t.userIds.manager });
    expect((await orderRow(o.order.id)).status).toBe('failed');
    expect(await billsOf(o.order.id)).toHaveLength(0);
    expect(await auditCount(o.delivery.id, 'fail')).toBe(1);
    await problemOf(await confirm(o), 409, 'already_confirmed');
    await problemOf(await t.call('manager', 'POST', `/api/deliveries/${o.delivery.id}/fail`, { reason: 'Again' }), 409, 'already_confirmed');
  });

  test('refuses a failure time in the future', async () => {
    const o = await newOrder();
    const at = new Date(Date.now() + 3 * 3600_000).toISOString();
    await problemOf(await t.call('manager', 'POST', `/api/deliveries/${o.delivery.id}/fail`, { reason: 'Rain', at }), 422, 'delivery_in_future');
  });
});

describe('delivery staff', () => {
  let own: OrderFixture;
  let others: OrderFixture;
  let unassigned: OrderFixture;
  beforeAll(async () => {
    const c = await makeCustomer(db(), { zone_id: otherZone.id });
    own = await makeOrder(db(), { customer: c, items: [{ product: milk, quantity: 1 }], staff_id: asha.staff.id });
    others = await makeOrder(db(), { customer: c, items: [{ product: milk, quantity: 1 }], staff_id: bala.staff.id });
    unassigned = await makeOrder(db(), { customer: c, items: [{ product: milk, quantity: 1 }], staff_id: null });
  });

  test('list only their own deliveries, whatever the filters', async () => {
    const res = await callAs(t.app, ashaCookie, 'GET', '/api/deliveries?_start=0&_end=1000');
    const rows = await bodyOf<any[]>(res, 200);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.staff_id === asha.staff.id)).toBe(true);
    expect(Number(res.headers.get('x-total-count'))).toBe(rows.length);
    const ids = rows.map((r) => r.id);
    expect(ids).toContain(own.delivery.id);
    expect(ids).not.toContain(others.delivery.id);
    expect(ids).not.toContain(unassigned.delivery.id);
    const sneaky = await callAs(t.app, ashaCookie, 'GET', `/api/deliveries?staff_id=${bala.staff.id}`);
    expect(await bodyOf(sneaky, 200)).toEqual([]);
    expect(sneaky.headers.get('x-total-count')).toBe('0');
  });

  test('see their own delivery but get a 403 on another\'s', async () => {
    expect((await bodyOf(await callAs(t.app, ashaCookie, 'GET', `/api/deliveries/${own.delivery.id}`), 200)).id).toBe(own.delivery.id);
    await problemOf(await callAs(t.app, ashaCookie, 'GET', `/api/deliveries/${others.delivery.id}`), 403, 'forbidden');
  });

  test('cannot confirm or fail another\'s delivery (403, nothing written), can confirm their own', async () => {
    await problemOf(await callAs(t.app, ashaCookie, 'POST', `/api/deliveries/${others.delivery.id}/confirm`, {}), 403, 'forbidden');
    await problemOf(await callAs(t.app, ashaCookie, 'POST', `/api/deliveries/${unassigned.delivery.id}/confirm`, {}), 403, 'forbidden');
    await problemOf(await callAs(t.app, ashaCookie, 'POST', `/api/deliveries/${others.delivery.id}/fail`, { reason: 'Not mine' }), 403, 'forbidden');
    expect((await deliveryRow(others.delivery.id)).status).toBe('pending');
    expect(await itemsOf(others.delivery.id)).toHaveLength(0);
    const body = await bodyOf(await callAs(t.app, ashaCookie, 'POST', `/api/deliveries/${own.delivery.id}/confirm`, {}, { 'idempotency-key': 'phone-1' }), 200);
    expect(body.status).toBe('delivered');
    expect((await deliveryRow(own.delivery.id)).confirmed_by).toBe(asha.user!.id);
    expect(await billsOf(own.order.id)).toHaveLength(1);
  });

  test('cannot reassign, and cannot read billing records', async () => {
    await problemOf(await callAs(t.app, ashaCookie, 'PATCH', `/api/deliveries/${own.delivery.id}`, { staff_id: asha.staff.id }), 403, 'forbidden');
    await problemOf(await callAs(t.app, ashaCookie, 'GET', '/api/billing-records'), 403, 'forbidden');
  });

  test('a delivery_staff login without a staff row sees nothing (403)', async () => {
    const lonely = await makeStaff(db(), { login: true });
    await db().execute(sql`update staff set user_id = null where id = ${lonely.staff.id}`);
    const cookie = await loginCookie(t.app, lonely.user!.email, lonely.user!.password);
    await problemOf(await callAs(t.app, cookie, 'GET', '/api/deliveries'), 403, 'forbidden');
  });

  test('/api/auth/me tells the staff id', async () => {
    const me = await bodyOf(await callAs(t.app, ashaCookie, 'GET', '/api/auth/me'), 200);
    expect(me).toMatchObject({ staff_id: asha.staff.id, roles: ['delivery_staff'] });
  });
});

describe('reassigning a delivery', () => {
  test('moves a pending delivery to another staff member, audited', async () => {
    const o = await newOrder();
    const body = await bodyOf(await t.call('manager', 'PATCH', `/api/deliveries/${o.delivery.id}`, { staff_id: bala.staff.id }), 200);
    expect(body).toMatchObject({ staff_id: bala.staff.id, staff_name: 'Bala Rider' });
    expect((await deliveryRow(o.delivery.id)).staff_id).toBe(bala.staff.id);
    expect(await auditCount(o.delivery.id, 'reassign')).toBe(1);
    const unassigned = await bodyOf(await t.call('manager', 'PATCH', `/api/deliveries/${o.delivery.id}`, { staff_id: null }), 200);
    expect(unassigned).toMatchObject({ staff_id: null, staff_name: null });
  });

  test('is refused once the delivery has its outcome (409), for unknown or inactive staff (422), and for support (403)', async () => {
    const o = await newOrder();
    await problemOf(await t.call('manager', 'PATCH', `/api/deliveries/${o.delivery.id}`, { staff_id: '00000000-0000-4000-8000-000000000000' }), 422, 'unknown_staff');
    const retired = await makeStaff(db(), { is_active: false });
    await problemOf(await t.call('manager', 'PATCH', `/api/deliveries/${o.delivery.id}`, { staff_id: retired.staff.id }), 422, 'staff_inactive');
    await problemOf(await t.call('support', 'PATCH', `/api/deliveries/${o.delivery.id}`, { staff_id: bala.staff.id }), 403, 'forbidden');
    await problemOf(await t.call('manager', 'PATCH', `/api/deliveries/${o.delivery.id}`, { status: 'delivered' }), 400, 'validation_failed');
    await bodyOf(await confirm(o), 200);
    const late = await problemOf(await t.call('manager', 'PATCH', `/api/deliveries/${o.delivery.id}`, { staff_id: bala.staff.id }), 409, 'delivery_not_pending');
    expect(late.message).toMatch(/already delivered/);
    expect((await deliveryRow(o.delivery.id)).staff_id).toBe(asha.staff.id);
  });
});

describe('listing deliveries', () => {
  let a: OrderFixture;
  let b: OrderFixture;
  let c2: CustomerFixture;
  const day = daysFromToday(-5);
  beforeAll(async () => {
    c2 = await makeCustomer(db(), { zone_id: otherZone.id, name: 'Listing Customer', address: { line1: '7 Temple Street', landmark: 'Near the tank', pin_code: '560011' } });
    a = await makeOrder(db(), { customer: c2, items: [{ product: milk, quantity: 1 }, { product: cheese, quantity: 1 }], staff_id: bala.staff.id, delivery_date: day, shift: 'evening' });
    b = await makeOrder(db(), { customer: c2, items: [{ product: milk, quantity: 1 }], staff_id: asha.staff.id, delivery_date: daysFromToday(-4) });
  });

  test('rows carry customer, address, zone, staff, order and item count', async () => {
    const row = await bodyOf(await t.call('manager', 'GET', `/api/deliveries/${a.delivery.id}`), 200);
    expect(row).toMatchObject({
      id: a.delivery.id,
      order_id: a.order.id,
      order_date: day,
      status: 'pending',
      customer_id: c2.customer.id,
      customer_name: 'Listing Customer',
      address_line: '7 Temple Street, Near the tank',
      pin_code: '560011',
      zone_id: otherZone.id,
      zone_name: otherZone.name,
      staff_id: bala.staff.id,
      staff_name: 'Bala Rider',
      delivery_date: day,
      shift: 'evening',
      kind: 'one_time',
      item_count: 2,
    });
  });

  test('filters by customer, zone, shift, staff, status and order date range; sorts; refuses unknown fields', async () => {
    const ids = async (query: string) => {
      const res = await t.call('manager', 'GET', `/api/deliveries?${query}`);
      const rows = await bodyOf<any[]>(res, 200);
      expect(Number(res.headers.get('x-total-count'))).toBe(rows.length);
      return rows.map((r) => r.id);
    };
    expect(await ids(`customer_id=${c2.customer.id}&_sort=order_date&_order=asc`)).toEqual([a.delivery.id, b.delivery.id]);
    expect(await ids(`customer_id=${c2.customer.id}&_sort=order_date&_order=desc`)).toEqual([b.delivery.id, a.delivery.id]);
    expect(await ids(`customer_id=${c2.customer.id}&shift=evening`)).toEqual([a.delivery.id]);
    expect(await ids(`customer_id=${c2.customer.id}&staff_id=${asha.staff.id}`)).toEqual([b.delivery.id]);
    expect(await ids(`zone_id=${otherZone.id}&order_date_gte=${day}&order_date_lte=${day}`)).toEqual([a.delivery.id]);
    expect(await ids(`customer_id=${c2.customer.id}&status=delivered`)).toEqual([]);
    expect(await ids(`id=${a.delivery.id}&id=${b.delivery.id}&_sort=order_date`)).toEqual([a.delivery.id, b.delivery.id]);
    expect(await ids(`q=Temple&_sort=order_date`)).toEqual([a.delivery.id, b.delivery.id]);
    const sorted = await bodyOf<any[]>(await t.call('manager', 'GET', `/api/deliveries?customer_id=${c2.customer.id}&_sort=status,delivered_at&_order=asc,desc&_end=1000`), 200);
    expect(sorted.map((r) => r.id).sort()).toEqual([a.delivery.id, b.delivery.id].sort());
    // The whole list sorts only by indexed columns; the refusal says how to narrow it.
    const refused = await problemOf(await t.call('manager', 'GET', '/api/deliveries?_sort=status,delivered_at&_order=asc,desc'), 400, 'sort_needs_filter');
    expect(refused.message).toMatch(/filter by order_id or customer_id/);
    await problemOf(await t.call('manager', 'GET', '/api/deliveries?colour=red'), 400, 'unknown_filter');
    await problemOf(await t.call('manager', 'GET', '/api/deliveries?_sort=proof_note'), 400, 'unknown_sort');
    await problemOf(await t.call('manager', 'GET', '/api/deliveries?shift=night'), 400, 'bad_filter');
  });
});

describe('run sheets', () => {
  const day = daysFromToday(-10);
  let chitra: StaffFixture;
  let chitraCookie: string;
  let stops: Record<string, OrderFixture>;
  let people: Record<string, CustomerFixture>;
  beforeAll(async () => {
    chitra = await makeStaff(db(), { name: 'Chitra Rider', login: true });
    chitraCookie = await loginCookie(t.app, chitra.user!.email, chitra.user!.password);
    const z = await makeZone(db());
    people = {
      far: await makeCustomer(db(), { zone_id: z.id, name: 'Far Customer', address: { line1: '9 Lake Road', pin_code: '560034', lat: 12.93, lng: 77.62 } }),
      nearB: await makeCustomer(db(), { zone_id: z.id, name: 'Near B', address: { line1: 'B Block 2', pin_code: '560011', landmark: 'Opposite the park' } }),
      nearA: await makeCustomer(db(), { zone_id: z.id, name: 'Near A', address: { line1: 'A Block 1', pin_code: '560011' } }),
    };
    stops = {
      far: await makeOrder(db(), { customer: people.far, items: [{ product: milk, quantity: 2 }, { product: cheese, quantity: 1 }], staff_id: chitra.staff.id, delivery_date: day }),
      nearB: await makeOrder(db(), { customer: people.nearB, items: [{ product: milk, quantity: 1 }], staff_id: chitra.staff.id, delivery_date: day }),
      nearA: await makeOrder(db(), { customer: people.nearA, items: [{ product: milk, quantity: 3 }], staff_id: chitra.staff.id, delivery_date: day }),
      evening: await makeOrder(db(), { customer: people.nearA, items: [{ product: milk, quantity: 5 }], staff_id: chitra.staff.id, delivery_date: day, shift: 'evening' }),
      otherDay: await makeOrder(db(), { customer: people.nearA, items: [{ product: milk, quantity: 5 }], staff_id: chitra.staff.id, delivery_date: daysFromToday(-9) }),
      cancelled: await makeOrder(db(), { customer: people.far, items: [{ product: cheese, quantity: 4 }], staff_id: chitra.staff.id, delivery_date: day, kind: 'one_time' }),
      balas: await makeOrder(db(), { customer: people.far, items: [{ product: cheese, quantity: 2 }], staff_id: bala.staff.id, delivery_date: day }),
      nobody: await makeOrder(db(), { customer: people.nearB, items: [{ product: cheese, quantity: 1 }], staff_id: null, delivery_date: day }),
    };
    await db().update(orders).set({ status: 'cancelled' }).where(eq(orders.id, stops.cancelled.order.id));
    await bodyOf(await t.call('manager', 'POST', `/api/deliveries/${stops.far.delivery.id}/confirm`, { delivered_at: deliveredAt(day).toISOString(), items: [{ order_item_id: itemOf(stops.far, milk).id, quantity: 1 }] }), 200);
  });

  test('one staff member\'s sheet: stops by PIN code and street, with items and totals', async () => {
    const sheet = await bodyOf(await t.call('manager', 'GET', `/api/run-sheets?date=${day}&shift=morning&staff_id=${chitra.staff.id}`), 200);
    expect(sheet.date).toBe(day);
    expect(sheet.shift).toBe('morning');
    expect(sheet.staff).toEqual({ id: chitra.staff.id, name: 'Chitra Rider' });
    expect(sheet.stops.map((s: any) => s.customer_name)).toEqual(['Near A', 'Near B', 'Far Customer']);
    expect(sheet.stops.map((s: any) => s.stop_number)).toEqual([1, 2, 3]);
    const [first, second, third] = sheet.stops;
    expect(first).toMatchObject({
      delivery_id: stops.nearA.delivery.id,
      order_id: stops.nearA.order.id,
      status: 'pending',
      phone: people.nearA.customer.phone,
      address: { line1: 'A Block 1', landmark: '', pin_code: '560011', lat: null, lng: null },
      items: [{ order_item_id: stops.nearA.items[0].id, product_name: milk.name, unit_size: '500 ml', quantity: 3, delivered_quantity: null }],
    });
    expect(second.address).toMatchObject({ line1: 'B Block 2', landmark: 'Opposite the park' });
    expect(third).toMatchObject({ status: 'partial', address: { pin_code: '560034', lat: 12.93, lng: 77.62 } });
    expect(third.items.map((i: any) => [i.product_name, i.quantity, i.delivered_quantity]).sort()).toEqual(
      [
        [cheese.name, 1, 1],
        [milk.name, 2, 1],
      ].sort(),
    );
    expect(sheet.totals).toEqual(
      [
        { product_name: cheese.name, unit_size: '200 g', quantity: 1 },
        { product_name: milk.name, unit_size: '500 ml', quantity: 6 },
      ].sort((x, y) => x.product_name.localeCompare(y.product_name)),
    );
  });

  test('without staff_id a manager gets every staff member\'s stops, grouped, unassigned last', async () => {
    const sheet = await bodyOf(await t.call('manager', 'GET', `/api/run-sheets?date=${day}&shift=morning`), 200);
    expect(sheet.staff).toBeNull();
    expect(sheet.stops.map((s: any) => [s.staff_name, s.stop_number, s.delivery_id])).toEqual([
      ['Bala Rider', 1, stops.balas.delivery.id],
      ['Chitra Rider', 1, stops.nearA.delivery.id],
      ['Chitra Rider', 2, stops.nearB.delivery.id],
      ['Chitra Rider', 3, stops.far.delivery.id],
      [null, 1, stops.nobody.delivery.id],
    ]);
    const evening = await bodyOf(await t.call('manager', 'GET', `/api/run-sheets?date=${day}&shift=evening`), 200);
    expect(evening.stops.map((s: any) => s.delivery_id)).toEqual([stops.evening.delivery.id]);
  });

  test('delivery staff get their own sheet, never another\'s', async () => {
    const sheet = await bodyOf(await callAs(t.app, chitraCookie, 'GET', `/api/run-sheets?date=${day}&shift=morning`), 200);
    expect(sheet.staff.id).toBe(chitra.staff.id);
    expect(sheet.stops).toHaveLength(3);
    expect((await bodyOf(await callAs(t.app, chitraCookie, 'GET', `/api/run-sheets?date=${day}&staff_id=${chitra.staff.id}`), 200)).stops).toHaveLength(3);
    await problemOf(await callAs(t.app, chitraCookie, 'GET', `/api/run-sheets?date=${day}&staff_id=${bala.staff.id}`), 403, 'forbidden');
  });

  test('bad parameters are a 400, an unknown staff member a 404, support a 403', async () => {
    await problemOf(await t.call('manager', 'GET', `/api/run-sheets?date=yesterday`), 400, 'validation_failed');
    await problemOf(await t.call('manager', 'GET', `/api/run-sheets?date=${day}&shift=night`), 400, 'validation_failed');
    await problemOf(await t.call('manager', 'GET', `/api/run-sheets?date=${day}&zone=north`), 400, 'validation_failed');
    await problemOf(await t.call('manager', 'GET', `/api/run-sheets?date=${day}&staff_id=00000000-0000-4000-8000-000000000000`), 404, 'not_found');
    await problemOf(await t.call('support', 'GET', `/api/run-sheets?date=${day}`), 403, 'forbidden');
  });
});
