import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addDays, todayIST } from '../../api/lib/dates.js';
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
const phone = () => `+9195${String(Math.floor(Math.random() * 1e4)).padStart(4, '0')}${String(++seq).padStart(4, '0')}`;
const post = (role: Role, path: string, body?: unknown) => t.call(role, 'POST', path, body);
const patch = (role: Role, path: string, body?: unknown) => t.call(role, 'PATCH', path, body);
const today = todayIST();
const day = (n: number) => addDays(today, n);

async function zone() {
  return json(await post('admin', '/api/zones', { name: uniq('Zone') }), 201);
}
async function customer(zoneId: string) {
  const c = await json(await post('admin', '/api/customers', { name: uniq('Customer'), phone: phone(), zone_id: zoneId, address: { label: 'Home', line1: '7 Temple Street', pin_code: '560003' } }), 201);
  const [address] = await rows<{ id: string }>(sql`select id from addresses where customer_id = ${c.id}`);
  return { id: c.id as string, name: c.name as string, address_id: address.id };
}
async function product(price = 2800) {
  return json(await post('admin', '/api/products', { name: uniq('Milk'), sku: uniq('SKU').toUpperCase().replace(/[^A-Z0-9]+/g, '-'), unit: 'packet', price_paise: price, hsn_code: '0401' }), 201);
}
const subscriptionCount = () => count(sql`select count(*)::int as n from subscriptions`);
const generate = async (from: string, to: string) => json(await post('manager', '/api/orders/generate', { from, to }), 200);
const ordersOf = (subscriptionId: string) =>
  rows<{ id: string; day: string; status: string; quantity: number; total_paise: number; address_id: string; delivery_status: string }>(sql`
    select o.id, o.delivery_date::text as day, o.status, oi.quantity, o.total_paise, o.address_id, d.status as delivery_status
    from orders o join order_items oi on oi.order_id = o.id join deliveries d on d.order_id = o.id
    where o.subscription_id = ${subscriptionId} order by o.delivery_date`);

let z: any;
let c: { id: string; name: string; address_id: string };
let other: { id: string; name: string; address_id: string };
let milk: any;
const valid = () => ({ customer_id: c.id, address_id: c.address_id, product_id: milk.id, quantity: 1, schedule: 'daily', start_date: day(1) });

beforeAll(async () => {
  t = await createTestApp();
  z = await zone();
  c = await customer(z.id);
  other = await customer(z.id);
  milk = await product();
});
afterAll(() => t?.close());

// ---------------------------------------------------------------------------------------------------
// Subscriptions
// ---------------------------------------------------------------------------------------------------

describe('creating and editing subscriptions', () => {
  test('weekdays go in as ISO numbers, are stored as a bit mask, and come back as both', async () => {
    const sub = await json(await post('support', '/api/subscriptions', { ...valid(), schedule: 'weekdays', weekdays: [5, 1, 3], shift: 'evening', quantity: 2 }), 201);
    expect(sub).toMatchObject({ schedule: 'weekdays', weekdays: [1, 3, 5], weekdays_mask: 42, shift: 'evening', quantity: 2, status: 'active', cancelled_at: null, end_date: null });
    expect(sub).toMatchObject({ customer_name: c.name, product_name: milk.name, address_line: 'Home, 7 Temple Street, 560003', paused_today: false });
    const [row] = await rows(sql`select weekdays from subscriptions where id = ${sub.id}`);
    expect(row.weekdays).toBe(2 + 8 + 32);
    expect(await count(sql`select count(*)::int as n from audit_logs where table_name = 'subscriptions' and record_id = ${sub.id} and action = 'create'`)).toBe(1);

    // Changing the schedule to daily drops the weekdays; back to weekdays needs them.
    const daily = await json(await patch('support', `/api/subscriptions/${sub.id}`, { schedule: 'daily', weekdays: [1] }), 200);
    expect(daily).toMatchObject({ schedule: 'daily', weekdays: [], weekdays_mask: 0 });
    const body = await problem(await patch('support', `/api/subscriptions/${sub.id}`, { schedule: 'weekdays' }), 422, 'bad_weekdays');
    expect(body.message).toBe('Choose at least one weekday.');
    const sundays = await json(await patch('support', `/api/subscriptions/${sub.id}`, { schedule: 'weekdays', weekdays: [7] }), 200);
    expect(sundays).toMatchObject({ weekdays: [7], weekdays_mask: 128 });
  });

  test.each([
    ['quantity 0', { quantity: 0 }, 'quantity: The quantity must be between 1 and 100.'],
    ['quantity 101', { quantity: 101 }, 'quantity: The quantity must be between 1 and 100.'],
    ['an end before the start', { end_date: day(0) }, 'end_date: The end date cannot be before the start date.'],
    ['weekdays without days', { schedule: 'weekdays' }, 'weekdays: Choose at least one weekday.'],
    ['a weekday 8', { schedule: 'weekdays', weekdays: [8] }, 'weekdays'],
    ['a schedule of fortnightly', { schedule: 'fortnightly' }, 'The schedule must be daily, alternate or weekdays.'],
    ['a date that does not exist', { start_date: '2030-02-30' }, 'start_date: "2030-02-30" is a date that does not exist.'],
  ])('%s is a 400 naming the field', async (_name, change, message) => {
    const before = await subscriptionCount();
    const body = await problem(await post('support', '/api/subscriptions', { ...valid(), ...change }), 400, 'validation_failed');
    expect(body.message).toContain(message);
    expect(await subscriptionCount()).toBe(before);
  });

  test('an address of another customer is refused by the composite FK (422), through the API and with raw SQL', async () => {
    const before = await subscriptionCount();
    const body = await problem(await post('support', '/api/subscriptions', { ...valid(), address_id: other.address_id }), 422, 'address_not_of_customer');
    expect(body.message).toBe("The address must be one of this customer's addresses.");
    expect(body.constraint).toBe('subscriptions_customer_address_fk');
    expect(
      await refusedBy(
        t.database.db.execute(sql`insert into subscriptions (customer_id, address_id, product_id, quantity, schedule, start_date)
          values (${c.id}, ${other.address_id}, ${milk.id}, 1, 'daily', ${day(1)})`),
      ),
    ).toBe('subscriptions_customer_address_fk');
    const sub = await json(await post('support', '/api/subscriptions', valid()), 201);
    await problem(await patch('support', `/api/subscriptions/${sub.id}`, { address_id: other.address_id }), 422, 'address_not_of_customer');
    expect(await refusedBy(t.database.db.execute(sql`update subscriptions set address_id = ${other.address_id} where id = ${sub.id}`))).toBe('subscriptions_customer_address_fk');
    expect(await subscriptionCount()).toBe(before + 1);
  });

  test('unknown or inactive customers and products off sale are refused with a message', async () => {
    const before = await subscriptionCount();
    let body = await problem(await post('support', '/api/subscriptions', { ...valid(), customer_id: '00000000-0000-4000-8000-000000000000' }), 422, 'unknown_customer');
    expect(body.message).toBe('That customer does not exist.');
    const old = await product(1500);
    await json(await patch('admin', `/api/products/${old.id}`, { is_active: false }), 200);
    body = await problem(await post('support', '/api/subscriptions', { ...valid(), product_id: old.id }), 422, 'product_inactive');
    expect(body.message).toBe(`${old.name} is no longer sold; choose another product.`);
    const gone = await customer(z.id);
    await json(await patch('admin', `/api/customers/${gone.id}`, { status: 'inactive' }), 200);
    body = await problem(await post('support', '/api/subscriptions', { ...valid(), customer_id: gone.id, address_id: gone.address_id }), 422, 'customer_inactive');
    expect(body.message).toBe(`${gone.name} is inactive; reactivate the customer first.`);
    expect(await subscriptionCount()).toBe(before);
  });

  test('customer, product and start date are fixed; a cancelled subscription cannot be edited', async () => {
    const sub = await json(await post('support', '/api/subscriptions', valid()), 201);
    // An edit form sending the record back unchanged is fine.
    await json(await patch('support', `/api/subscriptions/${sub.id}`, { customer_id: c.id, product_id: milk.id, start_date: sub.start_date, quantity: 3 }), 200);
    await problem(await patch('support', `/api/subscriptions/${sub.id}`, { customer_id: other.id }), 422, 'fixed_field');
    await problem(await patch('support', `/api/subscriptions/${sub.id}`, { start_date: day(5) }), 422, 'fixed_field');
    await problem(await patch('support', `/api/subscriptions/${sub.id}`, { end_date: day(0) }), 422, 'bad_dates');
    const cancelled = await json(await post('support', `/api/subscriptions/${sub.id}/cancel`), 200);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.cancelled_at).toBeTruthy();
    await problem(await post('support', `/api/subscriptions/${sub.id}/cancel`), 409, 'already_cancelled');
    await problem(await patch('support', `/api/subscriptions/${sub.id}`, { quantity: 2 }), 409, 'subscription_cancelled');
    const [row] = await rows(sql`select quantity, status from subscriptions where id = ${sub.id}`);
    expect(row).toEqual({ quantity: 3, status: 'cancelled' });
  });

  test('list: filters, search, sorts, total; finance reads but cannot change', async () => {
    const mine = await customer(z.id);
    const a = await json(await post('support', '/api/subscriptions', { ...valid(), customer_id: mine.id, address_id: mine.address_id, schedule: 'alternate', shift: 'evening' }), 201);
    const b = await json(await post('support', '/api/subscriptions', { ...valid(), customer_id: mine.id, address_id: mine.address_id, quantity: 4 }), 201);
    const res = await t.call('finance', 'GET', `/api/subscriptions?customer_id=${mine.id}&_sort=quantity&_order=desc`);
    expect(res.headers.get('x-total-count')).toBe('2');
    expect((await json(res, 200)).map((s: any) => s.id)).toEqual([b.id, a.id]);
    const evening = await json(await t.call('finance', 'GET', `/api/subscriptions?customer_id=${mine.id}&shift=evening&schedule=alternate&status=active`), 200);
    expect(evening.map((s: any) => s.id)).toEqual([a.id]);
    const found = await json(await t.call('finance', 'GET', `/api/subscriptions?q=${encodeURIComponent(mine.name)}`), 200);
    expect(found.map((s: any) => s.id).sort()).toEqual([a.id, b.id].sort());
    await problem(await t.call('finance', 'GET', '/api/subscriptions?colour=red'), 400, 'unknown_filter');
    await problem(await post('finance', '/api/subscriptions', valid()), 403, 'forbidden');
    await problem(await post('finance', `/api/subscriptions/${a.id}/cancel`), 403, 'forbidden');
    await problem(await t.call('support', 'DELETE', `/api/subscriptions/${a.id}`), 404);
  });
});

// ---------------------------------------------------------------------------------------------------
// Pauses and one-day changes
// ---------------------------------------------------------------------------------------------------

describe('pauses', () => {
  test('an overlapping pause is refused by the exclusion constraint (409), also with raw SQL', async () => {
    const sub = await json(await post('support', '/api/subscriptions', valid()), 201);
    const pause = await json(await post('support', `/api/subscriptions/${sub.id}/pause`, { from_date: day(10), to_date: day(15), reason: 'Travelling' }), 201);
    expect(pause).toMatchObject({ subscription_id: sub.id, customer_id: c.id, from_date: day(10), to_date: day(15), reason: 'Travelling', state: 'upcoming' });
    const body = await problem(await post('support', `/api/subscriptions/${sub.id}/pause`, { from_date: day(15), to_date: day(20) }), 409, 'pause_overlaps');
    expect(body.message).toBe('This pause overlaps another pause of the same subscription.');
    expect(body.constraint).toBe('subscription_pauses_no_overlap');
    expect(
      await refusedBy(t.database.db.execute(sql`insert into subscription_pauses (subscription_id, from_date, to_date) values (${sub.id}, ${day(12)}, ${day(13)})`)),
    ).toBe('subscription_pauses_no_overlap');
    // Adjacent is fine; another subscription is independent.
    await json(await post('support', '/api/subscription-pauses', { subscription_id: sub.id, from_date: day(16), to_date: day(16) }), 201);
    const list = await json(await t.call('finance', 'GET', `/api/subscription-pauses?subscription_id=${sub.id}&_sort=from_date&_order=asc`), 200);
    expect(list.map((p: any) => [p.from_date, p.to_date])).toEqual([
      [day(10), day(15)],
      [day(16), day(16)],
    ]);
  });

  test('two overlapping pauses sent at the same moment: one wins, the other is a 409', { tags: ['race'] }, async () => {
    const sub = await json(await post('support', '/api/subscriptions', valid()), 201);
    const [a, b] = await Promise.all([
      post('support', `/api/subscriptions/${sub.id}/pause`, { from_date: day(40), to_date: day(45) }),
      post('manager', `/api/subscriptions/${sub.id}/pause`, { from_date: day(44), to_date: day(50) }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect(await count(sql`select count(*)::int as n from subscription_pauses where subscription_id = ${sub.id}`)).toBe(1);
  });

  test('a pause may not start in the past nor end before it starts; a cancelled subscription cannot be paused', async () => {
    const sub = await json(await post('support', '/api/subscriptions', valid()), 201);
    expect((await problem(await post('support', `/api/subscriptions/${sub.id}/pause`, { from_date: day(-1), to_date: day(2) }), 422, 'date_in_past')).message).toContain('past');
    expect((await problem(await post('support', `/api/subscriptions/${sub.id}/pause`, { from_date: day(3), to_date: day(2) }), 400)).message).toContain('A pause must end on or after the day it starts.');
    await json(await post('support', `/api/subscriptions/${sub.id}/cancel`), 200);
    await problem(await post('support', `/api/subscriptions/${sub.id}/pause`, { from_date: day(3), to_date: day(4) }), 409, 'subscription_cancelled');
    expect(await count(sql`select count(*)::int as n from subscription_pauses where subscription_id = ${sub.id}`)).toBe(0);
  });

  test('resume ends the covering pause the day before, deletes one that starts that day or has not started; DELETE only before it starts', async () => {
    const sub = await json(await post('support', '/api/subscriptions', valid()), 201);
    const running = await json(await post('support', `/api/subscriptions/${sub.id}/pause`, { from_date: day(0), to_date: day(6) }), 201);
    expect(running.state).toBe('active');
    const shown = await json(await t.call('support', 'GET', `/api/subscriptions/${sub.id}`), 200);
    expect(shown.paused_today).toBe(true);
    // A started pause cannot be deleted, only ended.
    await problem(await t.call('support', 'DELETE', `/api/subscription-pauses/${running.id}`), 409, 'pause_started');

    const ended = await json(await post('support', `/api/subscriptions/${sub.id}/resume`, { date: day(3) }), 200);
    expect(ended.action).toBe('ended');
    expect(ended.pause).toMatchObject({ id: running.id, from_date: day(0), to_date: day(2) });
    // Resuming today a pause that started today deletes it.
    const again = await json(await post('support', `/api/subscriptions/${sub.id}/resume`), 200);
    expect(again.action).toBe('deleted');
    expect(again.subscription.paused_today).toBe(false);
    expect(await count(sql`select count(*)::int as n from subscription_pauses where subscription_id = ${sub.id}`)).toBe(0);

    // No pause covering today: resume deletes the next one that has not started.
    const later = await json(await post('support', `/api/subscriptions/${sub.id}/pause`, { from_date: day(20), to_date: day(25) }), 201);
    const resumed = await json(await post('support', `/api/subscriptions/${sub.id}/resume`, {}), 200);
    expect([resumed.action, resumed.pause.id]).toEqual(['deleted', later.id]);
    const body = await problem(await post('support', `/api/subscriptions/${sub.id}/resume`), 409, 'not_paused');
    expect(body.message).toContain('not paused');
    await problem(await post('support', `/api/subscriptions/${sub.id}/resume`, { date: day(-1) }), 422, 'date_in_past');

    const future = await json(await post('support', `/api/subscriptions/${sub.id}/pause`, { from_date: day(30), to_date: day(31) }), 201);
    const deleted = await json(await t.call('support', 'DELETE', `/api/subscription-pauses/${future.id}`), 200);
    expect(deleted.id).toBe(future.id);
    expect(await count(sql`select count(*)::int as n from subscription_pauses where id = ${future.id}`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from audit_logs where table_name = 'subscription-pauses' and record_id = ${future.id}`)).toBe(2);
    await problem(await t.call('finance', 'DELETE', `/api/subscription-pauses/${future.id}`), 403);
  });
});

describe('one-day changes', () => {
  test('create, edit, delete; one per day (409); 0..100; not in the past nor outside the subscription', async () => {
    const sub = await json(await post('support', '/api/subscriptions', { ...valid(), end_date: day(30) }), 201);
    const o = await json(await post('support', '/api/subscription-overrides', { subscription_id: sub.id, date: day(5), quantity: 0 }), 201);
    expect(o).toMatchObject({ subscription_id: sub.id, customer_id: c.id, product_name: milk.name, date: day(5), quantity: 0, regular_quantity: 1 });
    const dup = await problem(await post('support', '/api/subscription-overrides', { subscription_id: sub.id, date: day(5), quantity: 2 }), 409, 'override_exists');
    expect(dup.message).toBe('There is already a change for that day; edit it instead.');
    expect((await json(await patch('support', `/api/subscription-overrides/${o.id}`, { quantity: 2 }), 200)).quantity).toBe(2);
    expect((await problem(await patch('support', `/api/subscription-overrides/${o.id}`, { quantity: 101 }), 400)).message).toContain('between 0 and 100');
    expect((await problem(await post('support', '/api/subscription-overrides', { subscription_id: sub.id, date: day(-1), quantity: 2 }), 422, 'date_in_past')).message).toContain('passed');
    expect((await problem(await post('support', '/api/subscription-overrides', { subscription_id: sub.id, date: day(31), quantity: 2 }), 422, 'outside_subscription')).message).toContain('outside the subscription');
    const list = await json(await t.call('finance', 'GET', `/api/subscription-overrides?subscription_id=${sub.id}`), 200);
    expect(list.map((x: any) => [x.date, x.quantity])).toEqual([[day(5), 2]]);
    await json(await t.call('support', 'DELETE', `/api/subscription-overrides/${o.id}`), 200);
    expect(await count(sql`select count(*)::int as n from subscription_overrides where subscription_id = ${sub.id}`)).toBe(0);
    await problem(await post('finance', '/api/subscription-overrides', { subscription_id: sub.id, date: day(6), quantity: 2 }), 403);
    expect(await refusedBy(t.database.db.execute(sql`insert into subscription_overrides (subscription_id, date, quantity) values (${sub.id}, ${day(7)}, -1)`))).toBe('subscription_overrides_quantity_range');
  });
});

// ---------------------------------------------------------------------------------------------------
// Changes after orders were generated
// ---------------------------------------------------------------------------------------------------

describe('changes to a subscription re-plan its orders already generated (from today, pending deliveries only)', () => {
  test('one-day changes, pauses, resume, quantity and address edits, cancel', async () => {
    const mine = await customer(z.id);
    const sub = await json(await post('support', '/api/subscriptions', { ...valid(), customer_id: mine.id, address_id: mine.address_id, start_date: day(0), quantity: 2 }), 201);
    await generate(day(0), day(6));
    const state = async () => (await ordersOf(sub.id)).map((o) => `d${Math.round((Date.parse(o.day) - Date.parse(today)) / 86_400_000)}:${o.status}:${o.quantity}`);
    expect(await state()).toEqual(['d0:pending:2', 'd1:pending:2', 'd2:pending:2', 'd3:pending:2', 'd4:pending:2', 'd5:pending:2', 'd6:pending:2']);

    await json(await post('support', '/api/subscription-overrides', { subscription_id: sub.id, date: day(2), quantity: 0 }), 201);
    const more = await json(await post('support', '/api/subscription-overrides', { subscription_id: sub.id, date: day(3), quantity: 5 }), 201);
    expect(await state()).toEqual(['d0:pending:2', 'd1:pending:2', 'd2:cancelled:2', 'd3:pending:5', 'd4:pending:2', 'd5:pending:2', 'd6:pending:2']);
    const [d3] = (await ordersOf(sub.id)).filter((o) => o.day === day(3));
    expect(d3.total_paise).toBe(5 * 2800);

    await json(await post('support', `/api/subscriptions/${sub.id}/pause`, { from_date: day(4), to_date: day(5) }), 201);
    expect(await state()).toEqual(['d0:pending:2', 'd1:pending:2', 'd2:cancelled:2', 'd3:pending:5', 'd4:cancelled:2', 'd5:cancelled:2', 'd6:pending:2']);
    await json(await post('support', `/api/subscriptions/${sub.id}/resume`, { date: day(5) }), 200);
    await json(await t.call('support', 'DELETE', `/api/subscription-overrides/${more.id}`), 200);
    expect(await state()).toEqual(['d0:pending:2', 'd1:pending:2', 'd2:cancelled:2', 'd3:pending:2', 'd4:cancelled:2', 'd5:pending:2', 'd6:pending:2']);

    // A delivery with an outcome is history: later edits leave its order alone.
    const [first] = await ordersOf(sub.id);
    // One statement: the delivery and its order settle together (checked at COMMIT).
    await t.database.db.execute(sql`with d as (update deliveries set status = 'failed', delivered_at = now(), delivered_on = ${today}, failure_reason = 'Nobody home' where order_id = ${first.id})
      update orders set status = 'failed' where id = ${first.id}`);

    const office = await json(await post('admin', '/api/addresses', { customer_id: mine.id, label: 'Office', line1: '1 Residency Road', pin_code: '560025' }), 201);
    await json(await patch('support', `/api/subscriptions/${sub.id}`, { quantity: 1, address_id: office.id }), 200);
    expect(await state()).toEqual(['d0:failed:2', 'd1:pending:1', 'd2:cancelled:2', 'd3:pending:1', 'd4:cancelled:2', 'd5:pending:1', 'd6:pending:1']);
    for (const o of (await ordersOf(sub.id)).filter((x) => x.status === 'pending')) {
      expect(o.address_id).toBe(office.id);
      expect(o.total_paise).toBe(2800);
    }

    // Cancelling takes effect after today: every later pending order is cancelled; their delivery rows stay pending.
    await json(await post('support', `/api/subscriptions/${sub.id}/cancel`), 200);
    expect(await state()).toEqual(['d0:failed:2', 'd1:cancelled:1', 'd2:cancelled:2', 'd3:cancelled:1', 'd4:cancelled:2', 'd5:cancelled:1', 'd6:cancelled:1']);
    expect((await ordersOf(sub.id)).slice(1).every((o) => o.delivery_status === 'pending')).toBe(true);
    expect(await count(sql`select count(*)::int as n from audit_logs where table_name = 'orders' and action = 'reconcile' and record_id = ${sub.id}`)).toBeGreaterThanOrEqual(6);
  });

  test('cancelling keeps today\'s order (it may be on its way)', async () => {
    const mine = await customer(z.id);
    const sub = await json(await post('support', '/api/subscriptions', { ...valid(), customer_id: mine.id, address_id: mine.address_id, start_date: day(0) }), 201);
    await generate(day(0), day(1));
    await json(await post('support', `/api/subscriptions/${sub.id}/cancel`), 200);
    const got = (await ordersOf(sub.id)).map((o) => [o.day, o.status]);
    // (Days up to day 6 were generated earlier, so the new subscription got those orders at creation.)
    expect(got).toHaveLength(7);
    expect(got[0]).toEqual([day(0), 'pending']);
    expect(got.slice(1).every(([, status]) => status === 'cancelled')).toBe(true);
  });

  test('a subscription created or resumed for days already generated gets their orders at once', async () => {
    const mine = await customer(z.id);
    const sub = await json(await post('support', '/api/subscriptions', { ...valid(), customer_id: mine.id, address_id: mine.address_id, start_date: day(2), end_date: day(4) }), 201);
    // Days up to day(6) were generated by the previous test, so day 2..4 exist as orders right away.
    expect((await ordersOf(sub.id)).map((o) => o.day)).toEqual([day(2), day(3), day(4)]);
  });
});

// ---------------------------------------------------------------------------------------------------
// Calendar
// ---------------------------------------------------------------------------------------------------

describe("a customer's month as a calendar", () => {
  test('statuses: delivered, partial, failed, pending, missed, scheduled, paused, skipped, cancelled; one-time orders too', async () => {
    const db = t.database.db;
    const mine = await customer(z.id);
    const curd = await product(4000);
    // Start 12 days ago (a back-dated subscription is allowed; past days simply were never generated).
    const sub = await json(await post('support', '/api/subscriptions', { ...valid(), customer_id: mine.id, address_id: mine.address_id, start_date: day(-12), quantity: 2 }), 201);
    const alt = await json(await post('support', '/api/subscriptions', { ...valid(), customer_id: mine.id, address_id: mine.address_id, product_id: curd.id, schedule: 'alternate', start_date: day(1), shift: 'evening' }), 201);
    await generate(day(-12), day(-9));
    await generate(day(0), day(8));
    const orders = await ordersOf(sub.id);
    const orderOn = (n: number) => orders.find((o) => o.day === day(n))!;

    // Outcomes written as the deliveries module would: delivered (with billing), partial, failed.
    const settle = async (n: number, delivered: number) => {
      const o = orderOn(n);
      await db.transaction(async (tx) => {
        const status = delivered === 2 ? 'delivered' : 'partial';
        await tx.execute(sql`update deliveries set status = ${status}, delivered_at = now(), delivered_on = ${day(n)} where order_id = ${o.id}`);
        const item = (await tx.execute(sql`
          insert into delivery_items (delivery_id, order_id, order_item_id, ordered_quantity, quantity)
          select d.id, d.order_id, oi.id, oi.quantity, ${delivered} from deliveries d join order_items oi on oi.order_id = d.order_id where d.order_id = ${o.id}
          returning id`)) as unknown;
        const itemId = (Array.isArray(item) ? item : (item as { rows: any[] }).rows)[0].id;
        await tx.execute(sql`
          insert into billing_records (delivery_item_id, quantity, customer_id, order_id, product_id, service_date, unit_price_paise, hsn_code, gst_rate_bp, taxable_paise, cgst_paise, sgst_paise, total_paise)
          values (${itemId}, ${delivered}, ${mine.id}, ${o.id}, ${milk.id}, ${day(n)}, 2800, '0401', 0, ${delivered * 2800}, 0, 0, ${delivered * 2800})`);
        await tx.execute(sql`update orders set status = ${delivered === 2 ? 'delivered' : 'partially_delivered'} where id = ${o.id}`);
      });
    };
    await settle(-12, 2);
    await settle(-11, 1);
    await db.execute(sql`with d as (update deliveries set status = 'failed', delivered_at = now(), delivered_on = ${day(-10)}, failure_reason = 'Gate locked' where order_id = ${orderOn(-10).id})
      update orders set status = 'failed' where id = ${orderOn(-10).id}`);
    // day(-9): generated, never confirmed -> pending; day(-8)..day(-1): never generated -> missed.
    await json(await post('support', `/api/subscriptions/${sub.id}/pause`, { from_date: day(3), to_date: day(4) }), 201);
    await json(await post('support', '/api/subscription-overrides', { subscription_id: sub.id, date: day(5), quantity: 0 }), 201);
    await json(await post('support', '/api/subscription-overrides', { subscription_id: sub.id, date: day(6), quantity: 4 }), 201);
    const oneTime = await json(await post('support', '/api/orders', { customer_id: mine.id, address_id: mine.address_id, delivery_date: day(2), items: [{ product_id: curd.id, quantity: 3 }] }), 201);
    const dropped = await json(await post('support', '/api/orders', { customer_id: mine.id, address_id: mine.address_id, delivery_date: day(2), shift: 'evening', items: [{ product_id: milk.id, quantity: 1 }] }), 201);
    await json(await post('admin', `/api/orders/${dropped.id}/cancel`), 200);

    // The months the days fall in (the window may straddle two months).
    const byDate = new Map<string, any[]>();
    for (const month of new Set([day(-12), day(8)].map((d) => d.slice(0, 7)))) {
      const cal = await json(await t.call('finance', 'GET', `/api/customers/${mine.id}/calendar?month=${month}`), 200);
      expect(cal.month).toBe(month);
      expect(cal.today).toBe(today);
      const [y, m] = month.split('-').map(Number);
      expect(cal.days).toHaveLength(new Date(Date.UTC(y, m, 0)).getUTCDate());
      for (const d of cal.days) byDate.set(d.date, d.entries);
    }
    const daily = (n: number) => byDate.get(day(n))!.filter((e) => e.subscription_id === sub.id).map((e) => `${e.status}:${e.quantity}${e.delivered_quantity === null ? '' : `/${e.delivered_quantity}`}`);
    expect(daily(-13)).toEqual([]);
    expect(daily(-12)).toEqual(['delivered:2/2']);
    expect(daily(-11)).toEqual(['partial:2/1']);
    expect(daily(-10)).toEqual(['failed:2']);
    expect(daily(-9)).toEqual(['pending:2']);
    for (let n = -8; n <= -1; n++) expect(daily(n)).toEqual(['missed:2']);
    expect(daily(0)).toEqual(['scheduled:2']);
    expect(daily(3)).toEqual(['paused:0']);
    expect(daily(4)).toEqual(['paused:0']);
    expect(daily(5)).toEqual(['skipped:0']);
    expect(daily(6)).toEqual(['scheduled:4']);
    expect(daily(9)).toEqual(['scheduled:2']); // not generated yet, still owed
    const first = byDate.get(day(-12))![0];
    expect(first).toMatchObject({ kind: 'subscription', subscription_id: sub.id, product_id: milk.id, product_name: milk.name, shift: 'morning', order_id: orderOn(-12).id });

    // Alternate days from its start, in the evening, after the morning entries.
    const altDays = [...byDate].filter(([, es]) => es.some((e) => e.subscription_id === alt.id)).map(([d]) => d);
    expect(altDays.filter((d) => d <= day(9))).toEqual([day(1), day(3), day(5), day(7), day(9)]);
    const d2 = byDate.get(day(2))!;
    expect(d2.map((e) => [e.kind, e.shift, e.status])).toEqual([
      ['subscription', 'morning', 'scheduled'],
      ['one_time', 'morning', 'scheduled'],
      ['one_time', 'evening', 'cancelled'],
    ]);
    expect(d2[1]).toMatchObject({ order_id: oneTime.id, subscription_id: null, product_name: curd.name, quantity: 3 });

    // Cancelled from tomorrow: every later generated day shows cancelled (paused or skipped ones too), the days not generated nothing.
    await json(await post('support', `/api/subscriptions/${sub.id}/cancel`), 200);
    const after = new Map<string, any[]>();
    for (const month of new Set([day(0), day(9)].map((d) => d.slice(0, 7)))) {
      const cal = await json(await t.call('support', 'GET', `/api/customers/${mine.id}/calendar?month=${month}`), 200);
      for (const d of cal.days) after.set(d.date, d.entries.filter((e: any) => e.subscription_id === sub.id).map((e: any) => e.status));
    }
    expect(after.get(day(0))).toEqual(['scheduled']);
    expect(after.get(day(1))).toEqual(['cancelled']);
    expect(after.get(day(3))).toEqual(['cancelled']);
    expect(after.get(day(5))).toEqual(['cancelled']);
    expect(after.get(day(9))).toEqual([]);
  });

  test('an unknown customer is a 404, a bad month a 400; the month defaults to the current one', async () => {
    await problem(await t.call('support', 'GET', '/api/customers/00000000-0000-4000-8000-000000000000/calendar?month=2030-01'), 404);
    await problem(await t.call('support', 'GET', `/api/customers/${c.id}/calendar?month=2030-13`), 400);
    const cal = await json(await t.call('support', 'GET', `/api/customers/${c.id}/calendar`), 200);
    expect(cal.month).toBe(today.slice(0, 7));
  });
});
