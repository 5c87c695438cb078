import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addDays, isoWeekday, todayIST } from '../../api/lib/dates.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { refusedBy } from '../helpers/refused.js';

// ---------------------------------------------------------------------------------------------------
// Helpers (kept local so this file depends only on the committed test helpers)
// ---------------------------------------------------------------------------------------------------

let t: TestApp;
type Role = 'admin' | 'finance' | 'support' | 'manager';

async function json<T = any>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, `expected ${status}, got ${res.status}: ${text}`).toBe(status);
  return JSON.parse(text) as T;
}
async function problem(res: Response, status: number, code?: string): Promise<{ message: string; code: string; constraint?: string }> {
  const body = await json(res, status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(typeof body.message).toBe('string');
  if (code) expect(body.code, body.message).toBe(code);
  return body;
}
async function rows<T = Record<string, any>>(query: SQL): Promise<T[]> {
  const result = (await t.database.db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
const count = async (query: SQL) => Number((await rows<{ n: number }>(query))[0].n);
let seq = 0;
const uniq = (p: string) => `${p} ${++seq}-${Math.random().toString(36).slice(2, 6)}`;
const phone = () => `+9196${String(Math.floor(Math.random() * 1e4)).padStart(4, '0')}${String(++seq).padStart(4, '0')}`;
const post = (role: Role, path: string, body?: unknown, headers?: Record<string, string>) => t.call(role, 'POST', path, body, headers);

async function zone() {
  return json(await post('admin', '/api/zones', { name: uniq('Zone') }), 201);
}
async function customer(zoneId: string, status: 'active' | 'paused' | 'inactive' = 'active') {
  const c = await json(await post('admin', '/api/customers', { name: uniq('Customer'), phone: phone(), zone_id: zoneId, status, address: { line1: '4 MG Road', pin_code: '560001' } }), 201);
  const [address] = await rows<{ id: string }>(sql`select id from addresses where customer_id = ${c.id}`);
  return { id: c.id as string, address_id: address.id };
}
async function product(price = 2800, extra: Record<string, unknown> = {}) {
  return json(
    await post('admin', '/api/products', { name: uniq('Milk'), sku: uniq('SKU').toUpperCase().replace(/[^A-Z0-9]+/g, '-'), unit: 'packet', price_paise: price, hsn_code: '0401', ...extra }),
    201,
  );
}
async function staffMember(zoneId: string | null, is_active = true) {
  return json(await post('admin', '/api/staff', { name: uniq('Staff'), phone: phone(), zone_id: zoneId, is_active }), 201);
}
async function subscribe(c: { id: string; address_id: string }, productId: string, extra: Record<string, unknown>) {
  return json(await post('admin', '/api/subscriptions', { customer_id: c.id, address_id: c.address_id, product_id: productId, quantity: 1, schedule: 'daily', ...extra }), 201);
}
const generate = async (from: string, to: string, shift?: string) => json(await post('manager', '/api/orders/generate', { from, to, shift }), 200);
const ordersOf = (subscriptionId: string) =>
  rows<{ id: string; day: string; shift: string; status: string; total_paise: number; quantity: number; unit_price_paise: number; staff_id: string | null; order_date: string; delivery_status: string }>(sql`
    select o.id, o.delivery_date::text as day, o.shift, o.status, o.total_paise, oi.quantity, oi.unit_price_paise,
           d.staff_id, d.order_date::text as order_date, d.status as delivery_status
    from orders o join order_items oi on oi.order_id = o.id left join deliveries d on d.order_id = o.id
    where o.subscription_id = ${subscriptionId} order by o.delivery_date, o.shift`);
const chainCounts = async () => ({
  orders: await count(sql`select count(*)::int as n from orders`),
  items: await count(sql`select count(*)::int as n from order_items`),
  deliveries: await count(sql`select count(*)::int as n from deliveries`),
});
const days = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
};

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

// ---------------------------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------------------------

describe('generating subscription orders', () => {
  // A fortnight far enough ahead that pauses and one-day changes may be set on it; 2030-06-03 is a Monday.
  const FROM = '2030-06-03';
  const TO = '2030-06-16';
  let z: any;
  let staffA: any;
  let staffB: any;
  let milk: any;
  let curd: any;
  let c1: { id: string; address_id: string };
  let c2: { id: string; address_id: string };
  let daily: any;
  let alternate: any;
  let weekdays: any;
  let first: any;

  beforeAll(async () => {
    expect(isoWeekday(FROM)).toBe(1);
    z = await zone();
    staffA = await staffMember(z.id);
    staffB = await staffMember(z.id);
    await staffMember(z.id, false); // inactive: never assigned
    milk = await product(2800);
    curd = await product(4500);
    c1 = await customer(z.id);
    c2 = await customer(z.id);
    daily = await subscribe(c1, milk.id, { schedule: 'daily', quantity: 2, start_date: FROM });
    // Alternate days count from the start date, a Tuesday.
    alternate = await subscribe(c2, milk.id, { schedule: 'alternate', start_date: '2030-06-04' });
    weekdays = await subscribe(c2, curd.id, { schedule: 'weekdays', weekdays: [1, 3, 5], start_date: FROM, end_date: '2030-06-14' });
    // Daily is paused on the 8th and 9th, skips the 10th, takes 3 on the 11th; the weekday one adds Sunday the 9th.
    await json(await post('support', `/api/subscriptions/${daily.id}/pause`, { from_date: '2030-06-08', to_date: '2030-06-09', reason: 'Away' }), 201);
    await json(await post('support', '/api/subscription-overrides', { subscription_id: daily.id, date: '2030-06-10', quantity: 0 }), 201);
    await json(await post('support', '/api/subscription-overrides', { subscription_id: daily.id, date: '2030-06-11', quantity: 3 }), 201);
    await json(await post('support', '/api/subscription-overrides', { subscription_id: weekdays.id, date: '2030-06-09', quantity: 2 }), 201);
    first = await generate(FROM, TO);
  });

  test('daily: every day but the pause and the skipped day, with the one-day quantity', async () => {
    const got = await ordersOf(daily.id);
    const expected = days(FROM, TO).filter((d) => !['2030-06-08', '2030-06-09', '2030-06-10'].includes(d));
    expect(got.map((o) => o.day)).toEqual(expected);
    for (const o of got) {
      const qty = o.day === '2030-06-11' ? 3 : 2;
      expect(o.quantity).toBe(qty);
      expect(o.total_paise).toBe(qty * 2800);
      expect(o.unit_price_paise).toBe(2800);
      expect(o.status).toBe('pending');
      expect(o.shift).toBe('morning');
    }
  });

  test('alternate: every other day counted from the start date', async () => {
    const got = await ordersOf(alternate.id);
    expect(got.map((o) => o.day)).toEqual(['2030-06-04', '2030-06-06', '2030-06-08', '2030-06-10', '2030-06-12', '2030-06-14', '2030-06-16']);
  });

  test('weekdays: Monday, Wednesday, Friday until the end date, plus the one-day extra drop on Sunday', async () => {
    const got = await ordersOf(weekdays.id);
    expect(got.map((o) => [o.day, o.quantity])).toEqual([
      ['2030-06-03', 1],
      ['2030-06-05', 1],
      ['2030-06-07', 1],
      ['2030-06-09', 2],
      ['2030-06-10', 1],
      ['2030-06-12', 1],
      ['2030-06-14', 1],
    ]);
    for (const o of got) expect(o.unit_price_paise).toBe(4500);
  });

  test('each order has one item and one pending delivery dated the order date, with an active staff member of the zone', async () => {
    expect(first).toEqual({ orders_created: 11 + 7 + 7, items_created: 25, deliveries_created: 25 });
    const all = [...(await ordersOf(daily.id)), ...(await ordersOf(alternate.id)), ...(await ordersOf(weekdays.id))];
    expect(all).toHaveLength(25);
    for (const o of all) {
      expect(o.delivery_status).toBe('pending');
      expect(o.order_date).toBe(o.day);
      expect([staffA.id, staffB.id]).toContain(o.staff_id);
    }
    // Deterministic: a customer keeps the same person every day.
    for (const sub of [daily, alternate, weekdays]) {
      const staffIds = new Set((await ordersOf(sub.id)).map((o) => o.staff_id));
      expect(staffIds.size).toBe(1);
    }
    expect(new Set((await ordersOf(alternate.id)).map((o) => o.staff_id))).toEqual(new Set((await ordersOf(weekdays.id)).map((o) => o.staff_id)));
  });

  test('generating again creates nothing new', async () => {
    const before = await chainCounts();
    expect(await generate(FROM, TO)).toEqual({ orders_created: 0, items_created: 0, deliveries_created: 0 });
    expect(await generate('2030-06-10', '2030-06-12', 'morning')).toEqual({ orders_created: 0, items_created: 0, deliveries_created: 0 });
    expect(await chainCounts()).toEqual(before);
  });

  test('two runs at the same moment create each order once', { tags: ['race'] }, async () => {
    const [a, b] = await Promise.all([generate('2030-06-20', '2030-06-22'), generate('2030-06-21', '2030-06-23')]);
    const daily20to23 = (await ordersOf(daily.id)).filter((o) => o.day >= '2030-06-20' && o.day <= '2030-06-23');
    expect(daily20to23.map((o) => o.day)).toEqual(['2030-06-20', '2030-06-21', '2030-06-22', '2030-06-23']);
    const created = await count(sql`select count(*)::int as n from orders where delivery_date between '2030-06-20' and '2030-06-23'`);
    expect(a.orders_created + b.orders_created).toBe(created);
    expect(await count(sql`select count(*)::int as n from (select subscription_id, delivery_date from orders where subscription_id is not null group by 1, 2 having count(*) > 1) x`)).toBe(0);
  });

  test('prices are snapshotted: a new catalogue price applies to days generated afterwards only', async () => {
    await json(await t.call('admin', 'PATCH', `/api/products/${milk.id}`, { price_paise: 3000 }), 200);
    // The 17th: daily yes; alternate no (13 days after its start); weekdays no (after its end date).
    expect(await generate('2030-06-17', '2030-06-17')).toEqual({ orders_created: 1, items_created: 1, deliveries_created: 1 });
    const got = await ordersOf(daily.id);
    expect(got.filter((o) => o.day < '2030-06-17').every((o) => o.unit_price_paise === 2800 && o.total_paise === o.quantity * 2800)).toBe(true);
    const later = got.find((o) => o.day === '2030-06-17')!;
    expect([later.unit_price_paise, later.total_paise]).toEqual([3000, 6000]);
  });

  test('one audit row summarises the run', async () => {
    const audits = await rows<{ after: any; n: number }>(sql`select after from audit_logs where action = 'generate' and table_name = 'orders' order by created_at`);
    expect(audits.length).toBeGreaterThanOrEqual(1);
    const a = typeof audits[0].after === 'string' ? JSON.parse(audits[0].after) : audits[0].after;
    expect(a).toMatchObject({ from: FROM, to: TO, orders_created: 25, items_created: 25, deliveries_created: 25 });
  });
});

describe('what generation leaves out', () => {
  const DAY = '2030-07-01';
  test('inactive or paused customers, cancelled subscriptions, products off sale, other shifts; no staff in the zone leaves the delivery unassigned', async () => {
    const z = await zone(); // no staff here
    const milk = await product(2600);
    const offSale = await product(5000);
    const active = await customer(z.id);
    const subMorning = await subscribe(active, milk.id, { start_date: DAY });
    const subEvening = await subscribe(active, offSale.id, { start_date: DAY, shift: 'evening' });
    const pausedCustomer = await customer(z.id);
    const subPausedCustomer = await subscribe(pausedCustomer, milk.id, { start_date: DAY });
    await json(await t.call('admin', 'PATCH', `/api/customers/${pausedCustomer.id}`, { status: 'paused' }), 200);
    const gone = await customer(z.id);
    const subGone = await subscribe(gone, milk.id, { start_date: DAY });
    await json(await t.call('admin', 'PATCH', `/api/customers/${gone.id}`, { status: 'inactive' }), 200);
    const cancelled = await subscribe(await customer(z.id), milk.id, { start_date: DAY });
    await json(await post('support', `/api/subscriptions/${cancelled.id}/cancel`), 200);
    const future = await subscribe(await customer(z.id), milk.id, { start_date: '2030-07-02' });

    // Morning only: the evening subscription waits.
    // (Counts are per subscription: earlier tests' open-ended subscriptions also owe this day.)
    await generate(DAY, DAY, 'morning');
    expect(await ordersOf(subEvening.id)).toEqual([]);
    const [o, more] = await ordersOf(subMorning.id);
    expect(more).toBeUndefined();
    expect(o).toMatchObject({ day: DAY, shift: 'morning', staff_id: null, delivery_status: 'pending' });

    // Off sale: no evening order either.
    await json(await t.call('admin', 'PATCH', `/api/products/${offSale.id}`, { is_active: false }), 200);
    await generate(DAY, DAY);
    for (const sub of [subEvening, subPausedCustomer, subGone, cancelled, future]) expect(await ordersOf(sub.id)).toEqual([]);
  });

  test('ranges: at most 62 days, and not backwards (400 with the reason); only managers and admins generate', async () => {
    expect((await problem(await post('manager', '/api/orders/generate', { from: '2030-01-01', to: '2030-03-05' }), 400)).message).toContain('at most 62 days');
    expect((await problem(await post('manager', '/api/orders/generate', { from: '2030-01-02', to: '2030-01-01' }), 400)).message).toContain('cannot be before');
    expect((await problem(await post('manager', '/api/orders/generate', { from: '2030-02-30', to: '2030-03-01' }), 400)).message).toContain('does not exist');
    expect((await problem(await post('manager', '/api/orders/generate', { from: '2030-01-01', to: '2030-01-01', shift: 'night' }), 400)).message).toContain('morning or evening');
    await problem(await post('finance', '/api/orders/generate', { from: '2030-01-01', to: '2030-01-01' }), 403, 'forbidden');
    await problem(await post('support', '/api/orders/generate', { from: '2030-01-01', to: '2030-01-01' }), 403, 'forbidden');
    expect((await json(await post('admin', '/api/orders/generate', { from: '2030-01-01', to: '2030-03-03' }), 200)).orders_created).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------------
// One-time orders
// ---------------------------------------------------------------------------------------------------

describe('one-time orders', () => {
  let z: any;
  let member: any;
  let c: { id: string; address_id: string };
  let other: { id: string; address_id: string };
  let milk: any;
  let ghee: any;
  const tomorrow = addDays(todayIST(), 1);
  const orderCount = () => count(sql`select count(*)::int as n from orders where customer_id = ${c.id}`);
  const base = () => ({ customer_id: c.id, address_id: c.address_id, delivery_date: tomorrow, shift: 'morning', payment_method: 'upi', items: [{ product_id: milk.id, quantity: 2 }] });

  beforeAll(async () => {
    z = await zone();
    member = await staffMember(z.id);
    c = await customer(z.id);
    other = await customer(z.id);
    milk = await product(2800);
    ghee = await product(65000, { hsn_code: '0405', gst_rate_bp: 500 });
  });

  test('support creates one: catalogue prices, total, items, a pending delivery with the zone staff, one audit row', async () => {
    const body = await json(
      await post('support', '/api/orders', { ...base(), note: 'Ring twice', items: [{ product_id: milk.id, quantity: 2 }, { product_id: ghee.id, quantity: 1, unit_price_paise: 65000 }] }),
      201,
    );
    expect(body).toMatchObject({ kind: 'one_time', subscription_id: null, status: 'pending', total_paise: 2 * 2800 + 65000, payment_method: 'upi', note: 'Ring twice', delivery_date: tomorrow, item_count: 2, delivery_status: 'pending', staff_id: member.id });
    const byName = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(body.items.map((i: any) => [i.product_name, i.quantity, i.unit_price_paise, i.amount_paise]).sort(byName)).toEqual(
      [
        [milk.name, 2, 2800, 5600],
        [ghee.name, 1, 65000, 65000],
      ].sort(byName),
    );
    const [d] = await rows(sql`select order_date::text as order_date, status, staff_id from deliveries where order_id = ${body.id}`);
    expect(d).toEqual({ order_date: tomorrow, status: 'pending', staff_id: member.id });
    expect(await count(sql`select count(*)::int as n from audit_logs where table_name = 'orders' and record_id = ${body.id} and action = 'create'`)).toBe(1);
    const [creator] = await rows(sql`select created_by from orders where id = ${body.id}`);
    expect(creator.created_by).toBe(t.userIds.support);
  });

  test('a retry with the same Idempotency-Key returns the first order and creates no second one', async () => {
    const before = await orderCount();
    const headers = { 'idempotency-key': `order-${Math.random()}` };
    const a = await json(await post('support', '/api/orders', base(), headers), 201);
    const b = await json(await post('support', '/api/orders', base(), headers), 201);
    expect(b.id).toBe(a.id);
    expect(await orderCount()).toBe(before + 1);
  });

  test.each([
    ['no items', (b: any) => ({ ...b, items: [] }), 400, 'validation_failed', 'Add at least one item.'],
    ['quantity 0', (b: any) => ({ ...b, items: [{ product_id: b.items[0].product_id, quantity: 0 }] }), 400, 'validation_failed', 'Every item needs a quantity of at least 1.'],
    ['quantity -1', (b: any) => ({ ...b, items: [{ product_id: b.items[0].product_id, quantity: -1 }] }), 400, 'validation_failed', 'Every item needs a quantity of at least 1.'],
    ['a negative price', (b: any) => ({ ...b, items: [{ ...b.items[0], unit_price_paise: -100 }] }), 400, 'validation_failed', 'A price cannot be negative.'],
    ['an unknown payment method', (b: any) => ({ ...b, payment_method: 'cheque' }), 400, 'validation_failed', 'The payment method must be one of postpaid, cash, upi, card, wallet.'],
    ['a delivery date in the past', (b: any) => ({ ...b, delivery_date: addDays(todayIST(), -1) }), 422, 'date_in_past', 'is in the past; choose today or a later day.'],
    ['an unknown customer', (b: any) => ({ ...b, customer_id: '00000000-0000-4000-8000-000000000000' }), 422, 'unknown_customer', 'That customer does not exist.'],
    ['an unknown product', (b: any) => ({ ...b, items: [{ product_id: '00000000-0000-4000-8000-000000000000', quantity: 1 }] }), 422, 'unknown_product', 'Item 1: that product does not exist.'],
  ])('%s is refused with a clear message and no order', async (_name, change, status, code, message) => {
    const before = await orderCount();
    const body = await problem(await post('support', '/api/orders', change(base())), status, code);
    expect(body.message).toContain(message);
    expect(await orderCount()).toBe(before);
  });

  test('an address of another customer, an inactive customer, a product off sale, a product twice, a stale price', async () => {
    const before = await orderCount();
    let body = await problem(await post('support', '/api/orders', { ...base(), address_id: other.address_id }), 422, 'address_not_of_customer');
    expect(body.message).toBe("The delivery address must be one of this customer's addresses.");
    body = await problem(await post('support', '/api/orders', { ...base(), items: [{ product_id: milk.id, quantity: 1 }, { product_id: milk.id, quantity: 2 }] }), 422, 'duplicate_item');
    expect(body.message).toBe(`${milk.name} appears twice in the order; combine the quantities into one line.`);
    body = await problem(await post('support', '/api/orders', { ...base(), items: [{ product_id: milk.id, quantity: 1, unit_price_paise: 2500 }] }), 409, 'price_changed');
    expect(body.message).toContain(milk.name);
    expect(body.message).toMatch(/₹28\.00.*₹25\.00/);
    const old = await product(1000);
    await json(await t.call('admin', 'PATCH', `/api/products/${old.id}`, { is_active: false }), 200);
    body = await problem(await post('support', '/api/orders', { ...base(), items: [{ product_id: old.id, quantity: 1 }] }), 422, 'product_inactive');
    expect(body.message).toBe(`${old.name} is no longer sold; remove it from the order.`);
    const gone = await customer(z.id);
    await json(await t.call('admin', 'PATCH', `/api/customers/${gone.id}`, { status: 'inactive' }), 200);
    body = await problem(await post('support', '/api/orders', { ...base(), customer_id: gone.id, address_id: gone.address_id }), 422, 'customer_inactive');
    expect(body.message).toContain('is inactive');
    expect(await orderCount()).toBe(before);
    expect(await count(sql`select count(*)::int as n from orders where customer_id = ${gone.id}`)).toBe(0);
  });

  test('the database itself refuses an address of another customer and a negative price (raw SQL)', async () => {
    const db = t.database.db;
    expect(
      await refusedBy(db.execute(sql`insert into orders (customer_id, address_id, kind, delivery_date) values (${c.id}, ${other.address_id}, 'one_time', ${tomorrow})`)),
    ).toBe('orders_customer_address_fk');
    const [o] = await rows(sql`insert into orders (customer_id, address_id, kind, delivery_date) values (${c.id}, ${c.address_id}, 'one_time', ${tomorrow}) returning id`);
    expect(await refusedBy(db.execute(sql`insert into order_items (order_id, product_id, quantity, unit_price_paise) values (${o.id}, ${milk.id}, 1, -1)`))).toBe('order_items_unit_price_nonnegative');
    expect(await refusedBy(db.execute(sql`insert into order_items (order_id, product_id, quantity, unit_price_paise) values (${o.id}, ${milk.id}, 0, 100)`))).toBe('order_items_quantity_positive');
    await db.execute(sql`delete from orders where id = ${o.id}`);
  });

  test('finance cannot create orders; support cannot cancel or generate them', async () => {
    const before = await orderCount();
    await problem(await post('finance', '/api/orders', base()), 403, 'forbidden');
    expect(await orderCount()).toBe(before);
    const o = await json(await post('support', '/api/orders', base()), 201);
    await problem(await post('support', `/api/orders/${o.id}/cancel`), 403, 'forbidden');
    await json(await t.call('finance', 'GET', `/api/orders/${o.id}`), 200);
  });
});

// ---------------------------------------------------------------------------------------------------
// Lists and cancelling
// ---------------------------------------------------------------------------------------------------

describe('orders and order items as simple-rest lists', () => {
  test('filters, sorts, names and counts', async () => {
    const z = await zone();
    const c = await customer(z.id);
    const milk = await product(2000);
    const butter = await product(5500, { hsn_code: '0405', gst_rate_bp: 500 });
    const d1 = addDays(todayIST(), 3);
    const d2 = addDays(todayIST(), 4);
    const small = await json(await post('admin', '/api/orders', { customer_id: c.id, address_id: c.address_id, delivery_date: d1, items: [{ product_id: milk.id, quantity: 1 }] }), 201);
    const big = await json(
      await post('admin', '/api/orders', { customer_id: c.id, address_id: c.address_id, delivery_date: d2, shift: 'evening', items: [{ product_id: milk.id, quantity: 3 }, { product_id: butter.id, quantity: 2 }] }),
      201,
    );
    const res = await t.call('finance', 'GET', `/api/orders?customer_id=${c.id}&_sort=total_paise&_order=desc&_start=0&_end=10`);
    const list = await json(res, 200);
    expect(res.headers.get('x-total-count')).toBe('2');
    expect(list.map((o: any) => o.id)).toEqual([big.id, small.id]);
    expect(list[0]).toMatchObject({ customer_name: expect.any(String), zone_id: z.id, zone_name: z.name, item_count: 2, kind: 'one_time', total_paise: 3 * 2000 + 2 * 5500 });

    const byDate = await json(await t.call('finance', 'GET', `/api/orders?customer_id=${c.id}&delivery_date_gte=${d2}&delivery_date_lte=${d2}&kind=one_time&status=pending&shift=evening`), 200);
    expect(byDate.map((o: any) => o.id)).toEqual([big.id]);
    const byZone = await json(await t.call('finance', 'GET', `/api/orders?zone_id=${z.id}&_sort=delivery_date&_order=asc`), 200);
    expect(byZone.map((o: any) => o.id)).toEqual([small.id, big.id]);
    await problem(await t.call('finance', 'GET', '/api/orders?colour=red'), 400, 'unknown_filter');
    await problem(await t.call('finance', 'GET', '/api/orders?status=lost'), 400);

    const items = await json(await t.call('support', 'GET', `/api/order-items?order_id=${big.id}&_sort=product_name&_order=asc`), 200);
    expect(items).toHaveLength(2);
    expect(items.map((i: any) => i.product_name).sort()).toEqual([milk.name, butter.name].sort());
    expect(items.find((i: any) => i.product_id === butter.id)).toMatchObject({ quantity: 2, unit_price_paise: 5500, amount_paise: 11000 });
  });
});

describe('cancelling an order', () => {
  test('a pending order is cancelled once; its pending delivery row stays; a second cancel is a 409', async () => {
    const z = await zone();
    const c = await customer(z.id);
    const milk = await product(2000);
    const o = await json(await post('admin', '/api/orders', { customer_id: c.id, address_id: c.address_id, delivery_date: addDays(todayIST(), 2), items: [{ product_id: milk.id, quantity: 1 }] }), 201);
    const after = await json(await post('manager', `/api/orders/${o.id}/cancel`, { reason: 'Customer called' }), 200);
    expect(after.status).toBe('cancelled');
    const [row] = await rows(sql`select o.status, d.status as delivery_status from orders o join deliveries d on d.order_id = o.id where o.id = ${o.id}`);
    expect(row).toEqual({ status: 'cancelled', delivery_status: 'pending' });
    const body = await problem(await post('manager', `/api/orders/${o.id}/cancel`), 409, 'order_not_pending');
    expect(body.message).toContain('already cancelled');
    const [audit] = await rows(sql`select after from audit_logs where action = 'cancel' and record_id = ${o.id}`);
    expect(JSON.stringify(audit.after)).toContain('Customer called');
    await problem(await post('manager', '/api/orders/00000000-0000-4000-8000-000000000000/cancel'), 404);
  });

  test('an order whose delivery already has an outcome cannot be cancelled', async () => {
    const z = await zone();
    const c = await customer(z.id);
    const milk = await product(2000);
    const o = await json(await post('admin', '/api/orders', { customer_id: c.id, address_id: c.address_id, delivery_date: todayIST(), items: [{ product_id: milk.id, quantity: 1 }] }), 201);
    // The delivery and its order settle together (deliveries_order_status_matches checks at COMMIT).
    await t.database.db.execute(sql`with d as (update deliveries set status = 'failed', delivered_at = now(), delivered_on = ${todayIST()}, failure_reason = 'Locked gate' where order_id = ${o.id})
      update orders set status = 'failed' where id = ${o.id}`);
    // A delivery's outcome settles its order with it, so the order itself is what refuses.
    const body = await problem(await post('admin', `/api/orders/${o.id}/cancel`), 409, 'order_not_pending');
    expect(body.message).toContain('already failed');
    const [row] = await rows(sql`select status from orders where id = ${o.id}`);
    expect(row.status).toBe('failed');
  });

  test('cancelling a subscription order skips that day for good: regenerating does not bring it back', async () => {
    const z = await zone();
    const c = await customer(z.id);
    const milk = await product(2000);
    const sub = await subscribe(c, milk.id, { start_date: '2030-08-01' });
    await generate('2030-08-01', '2030-08-03');
    const [, second] = await ordersOf(sub.id);
    await json(await post('admin', `/api/orders/${second.id}/cancel`), 200);
    const [override] = await rows(sql`select quantity from subscription_overrides where subscription_id = ${sub.id} and date = '2030-08-02'`);
    expect(override.quantity).toBe(0);
    expect((await generate('2030-08-01', '2030-08-03')).orders_created).toBe(0);
    // A change to the subscription re-plans its generated days; the cancelled day stays cancelled.
    await json(await t.call('admin', 'PATCH', `/api/subscriptions/${sub.id}`, { quantity: 2 }), 200);
    expect((await ordersOf(sub.id)).map((o) => [o.day, o.status, o.quantity])).toEqual([
      ['2030-08-01', 'pending', 2],
      ['2030-08-02', 'cancelled', 1],
      ['2030-08-03', 'pending', 2],
    ]);
  });
});
