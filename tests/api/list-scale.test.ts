import { sql } from 'drizzle-orm';
import pino from 'pino';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../api/app.js';
import type { Ctx } from '../../api/lib/context.js';
import { COUNT_CAP, listRows, type Resource } from '../../api/lib/crud.js';
import { listSpecs } from '../../api/lib/http.js';
import { MAX_START, parseListQuery } from '../../api/lib/rest.js';
import { billingRecordResource } from '../../api/modules/billing/billing-records.service.js';
import { confirmDelivery, listDeliveries } from '../../api/modules/deliveries/deliveries.service.js';
import { orderResource } from '../../api/modules/orders/orders.service.js';
import { subscriptionResource } from '../../api/modules/subscriptions/subscriptions.service.js';
import { phoneDigits } from '../../api/lib/search.js';
import { APP_ROLE, openDatabase, type Db } from '../../db/client.js';
import { DEMO_PASSWORD } from '../../seeds/users.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeCustomer, makeOrder, makeProduct, makeZone, type CustomerFixture } from '../helpers/chain-fixtures.js';
import { expectJson, expectProblem, rows } from './support.js';

// The search, sort, paging and timeout rules that keep the lists fast at 50,000 customers (issue 10), on small data:
// each search rule finds the same rows as the plain ILIKE over the joined columns it replaced.

let t: TestApp;
let db: Db;
let jose: CustomerFixture;
let ravi: CustomerFixture;
let ravindra: CustomerFixture;
let meera: CustomerFixture;
let secondAddress: string;
let ctx: Ctx;

const ids = async (path: string) => {
  const list = await expectJson<{ id: string }[]>(await t.call('admin', 'GET', path), 200);
  return list.map((r) => r.id).sort();
};
const sqlIds = async (query: ReturnType<typeof sql>) => (await rows<{ id: string }>(db, query)).map((r) => r.id).sort();
/** The rows every word of `q` finds by `one` (each word must match, as q says). */
const everyWord = async (q: string, one: (w: string) => Promise<string[]>) =>
  (await Promise.all(q.split(' ').map(one))).reduce((all, found) => all.filter((id) => found.includes(id)));

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  const zone = await makeZone(db);
  const milk = await makeProduct(db, { price_paise: 2800 });
  jose = await makeCustomer(db, { zone_id: zone.id, name: 'José Ñúñez', phone: '+919876543210' });
  ravi = await makeCustomer(db, { zone_id: zone.id, name: 'RAVI Shankar', phone: '+917000012345' });
  ravindra = await makeCustomer(db, { zone_id: zone.id, name: 'Ravindra Rao', phone: '+917000067890', address: { line1: '4 MG Road', pin_code: '560001' } });
  meera = await makeCustomer(db, { zone_id: zone.id, name: 'Meera Iyer', phone: '+916123498765' });
  const [second] = await rows<{ id: string }>(
    db,
    sql`insert into addresses (customer_id, line1, landmark, pin_code, is_default) values (${ravindra.customer.id}, '12 Temple Street', 'Near Metro', '560099', false) returning id`,
  );
  secondAddress = second.id;
  const first = [];
  for (const c of [jose, ravi, ravindra, meera]) first.push(await makeOrder(db, { customer: c, items: [{ product: milk, quantity: 1 }] }));
  await makeOrder(db, { customer: { ...ravindra, address: { ...ravindra.address, id: secondAddress } }, items: [{ product: milk, quantity: 2 }] });
  const noted = await makeOrder(db, { customer: meera, items: [{ product: milk, quantity: 3 }] });
  await db.execute(sql`update orders set note = 'Ravi''s sister: ring twice' where id = ${noted.order.id}`);
  // Billing records of José's and Ravindra's first orders; curd and ghee are in the catalogue with none.
  ctx = { db, inTx: false, actor: null, requestId: 'list-scale', log: pino({ level: 'silent' }) };
  const curd = await makeProduct(db, { name: 'Curd 500 g', price_paise: 4500 });
  await makeProduct(db, { name: 'Cow Ghee 500 ml', price_paise: 45000 });
  for (const o of [first[0], first[2]]) await confirmDelivery(ctx, o.delivery.id, {});
  for (const [c, product] of [[ravi, milk], [meera, curd]] as const) {
    await db.execute(sql`insert into subscriptions (customer_id, address_id, product_id, quantity, schedule, start_date)
                         values (${c.customer.id}, ${c.address.id}, ${product.id}, 1, 'daily', current_date)`);
  }
});
afterAll(() => t?.close());

describe('search (q) finds the same rows as before, through the indexes', () => {
  test('customers: name in any case, accents kept as typed, email; every word must match', async () => {
    // The rule it replaced: name, phone or email contains the word, ignoring case.
    const before = (w: string) => sqlIds(sql`select id from customers where name ilike ${`%${w}%`} or phone ilike ${`%${w}%`} or email ilike ${`%${w}%`}`);
    for (const w of ['ravi', 'RAVI', 'josé', 'JOSÉ', 'Ñúñez', 'jose', 'rao', 'iyer']) expect(await ids(`/api/customers?q=${encodeURIComponent(w)}`), w).toEqual(await before(w));
    expect(await ids('/api/customers?q=ravi')).toEqual([ravi.customer.id, ravindra.customer.id].sort());
    expect(await ids(`/api/customers?q=${encodeURIComponent('josé')}`)).toEqual([jose.customer.id]);
    // Accents are matched as typed, as before: "jose" is not "José".
    expect(await ids('/api/customers?q=jose')).toEqual([]);
    expect(await ids('/api/customers?q=ravi%20rao')).toEqual([ravindra.customer.id]);
  });

  test('a phone number is found by its digits in any form people type it', async () => {
    for (const form of ['98765 43210', '+91 98765 43210', '+919876543210', '09876543210', '0 98765 43210', '919876543210', '98765-43210', '(+91) 98765 43210']) {
      expect(await ids(`/api/customers?q=${encodeURIComponent(form)}`), form).toEqual([jose.customer.id]);
    }
    // Part of a number, anywhere in it (Meera's ends in 98765).
    expect(await ids('/api/customers?q=98765')).toEqual([jose.customer.id, meera.customer.id].sort());
    expect(phoneDigits('+91 98765')).toBe('98765');
    expect(phoneDigits('0 98765 43210')).toBe('9876543210');
    expect(phoneDigits('ravi')).toBeNull();
  });

  test("orders: the customer's name or phone first, then their orders, or the order's note", async () => {
    const before = (w: string) =>
      sqlIds(sql`select o.id from orders o join customers c on c.id = o.customer_id where c.name ilike ${`%${w}%`} or o.note ilike ${`%${w}%`}`);
    for (const w of ['ravi', 'RAVI', 'Ñúñez', 'sister', 'meera']) expect(await ids(`/api/orders?q=${encodeURIComponent(w)}`), w).toEqual(await before(w));
    // "ravi" is in two names and in one note of Meera's order.
    expect((await ids('/api/orders?q=ravi')).length).toBe(4);
    // Both words must match: Ravindra's two orders (his name has both), not the noted one.
    const both = await sqlIds(sql`select id from orders where customer_id = ${ravindra.customer.id}`);
    expect(await ids('/api/orders?q=ravi%20rao')).toEqual(both);
    // New: the customer's phone, in any form.
    expect(await ids(`/api/orders?q=${encodeURIComponent('+91 98765 43210')}`)).toEqual(await sqlIds(sql`select id from orders where customer_id = ${jose.customer.id}`));
  });

  test("deliveries: the customer first, or the delivery's own address line and pin code (not the customer's other address)", async () => {
    const before = (w: string) =>
      sqlIds(sql`select d.id from deliveries d join orders o on o.id = d.order_id join customers c on c.id = o.customer_id join addresses a on a.id = o.address_id
        where c.name ilike ${`%${w}%`} or c.phone ilike ${`%${w}%`} or a.pin_code ilike ${`%${w}%`}
           or concat_ws(', ', nullif(a.line1, ''), nullif(a.line2, ''), nullif(a.landmark, '')) ilike ${`%${w}%`}`);
    for (const w of ['560099', 'temple', 'Street, Near', 'ravi', '98765', 'mg road']) expect(await ids(`/api/deliveries?q=${encodeURIComponent(w)}`), w).toEqual(await before(w));
    const toSecond = await sqlIds(sql`select d.id from deliveries d join orders o on o.id = d.order_id where o.address_id = ${secondAddress}`);
    expect(toSecond).toHaveLength(1);
    expect(await ids('/api/deliveries?q=560099')).toEqual(toSecond);
    // The page and its count are read side by side: the total is still the count of the rows found.
    for (const w of ['ravi', '560099']) {
      const res = await t.call('admin', 'GET', `/api/deliveries?q=${w}&_start=0&_end=1`);
      expect(Number(res.headers.get('x-total-count')), w).toBe((await before(w)).length);
      expect(await expectJson<unknown[]>(res, 200)).toHaveLength(1);
    }
  });

  test("the planner is told that an order's address decides its customer (a pin code's total is estimated from both)", async () => {
    const [stats] = await rows<{ kinds: string; columns: string }>(
      db,
      sql`select s.stxkind::text as kinds, (select string_agg(a.attname, ',' order by a.attname) from pg_attribute a where a.attrelid = s.stxrelid and a.attnum = any(s.stxkeys)) as columns
        from pg_statistic_ext s where s.stxrelid = 'orders'::regclass and s.stxname = 'orders_customer_address_stats'`,
    );
    expect(stats).toEqual({ kinds: '{f}', columns: 'address_id,customer_id' });
  });

  test('billing records: the customer, the product or the invoice number first, then their records', async () => {
    const before = (w: string) =>
      sqlIds(sql`select b.id from billing_records b join customers c on c.id = b.customer_id join products p on p.id = b.product_id
        left join invoices i on i.id = b.invoice_id where c.name ilike ${`%${w}%`} or c.phone ilike ${`%${w}%`} or p.name ilike ${`%${w}%`} or i.number ilike ${`%${w}%`}`);
    for (const w of ['ravi', 'josé', 'milk', 'MILK', 'rao milk', '98765']) expect(await ids(`/api/billing-records?q=${encodeURIComponent(w)}`), w).toEqual(await everyWord(w, before));
    expect(await ids('/api/billing-records?q=rao%20milk')).toHaveLength(1);
    expect(await ids('/api/billing-records?q=milk')).toHaveLength(2);
    // A word that matches products with no records, or nothing at all, finds none (no table read).
    expect(await ids('/api/billing-records?q=ghee')).toEqual([]);
    expect(await ids('/api/billing-records?q=curd')).toEqual([]);
    expect(await ids('/api/billing-records?q=zzyzx')).toEqual([]);
    expect(await ids(`/api/billing-records?q=${encodeURIComponent('+91 98765 43210')}`)).toEqual(await sqlIds(sql`select id from billing_records where customer_id = ${jose.customer.id}`));
  });

  test('subscriptions: the customer or the product first; filters by customer or product name through their tables', async () => {
    const before = (w: string) =>
      sqlIds(sql`select s.id from subscriptions s join customers c on c.id = s.customer_id join products p on p.id = s.product_id
        where c.name ilike ${`%${w}%`} or c.phone ilike ${`%${w}%`} or p.name ilike ${`%${w}%`}`);
    for (const w of ['ravi', 'curd', 'meera curd', 'ghee']) expect(await ids(`/api/subscriptions?q=${encodeURIComponent(w)}`), w).toEqual(await everyWord(w, before));
    expect(await ids('/api/subscriptions?q=meera%20curd')).toHaveLength(1);
    expect(await ids(`/api/subscriptions?customer_name=${encodeURIComponent('Meera Iyer')}`)).toEqual(await sqlIds(sql`select id from subscriptions where customer_id = ${meera.customer.id}`));
    expect(await ids('/api/subscriptions?customer_name_like=ravi')).toEqual(await sqlIds(sql`select id from subscriptions where customer_id = ${ravi.customer.id}`));
    expect(await ids('/api/subscriptions?product_name=Curd%20500%20g')).toEqual(await sqlIds(sql`select s.id from subscriptions s join products p on p.id = s.product_id where p.name = 'Curd 500 g'`));
  });

  test('ids looked up first find the same rows as the subqueries they replace (what a word matching too many gets)', async () => {
    // Without a database to ask, parseListQuery leaves every keyed term a subquery: the form a word past LOOKUP_MAX keeps.
    const lists: [string, (q: Awaited<ReturnType<typeof parseListQuery>>) => Promise<{ rows: Record<string, unknown>[] }>, string[]][] = [
      ['/api/orders', (q) => listRows(ctx, orderResource, q), ['ravi', 'ravi rao', 'sister', '98765', 'zzyzx']],
      ['/api/deliveries', (q) => listDeliveries(ctx, q), ['560099', 'temple', 'ravi', 'mg road', 'ravindra 560001']],
      ['/api/billing-records', (q) => listRows(ctx, billingRecordResource as Resource, q), ['ravi', 'milk', 'ghee', 'rao milk']],
      ['/api/subscriptions', (q) => listRows(ctx, subscriptionResource, q), ['ravi', 'curd', 'iyer curd']],
    ];
    for (const [path, list, words] of lists) {
      for (const w of words) {
        const params = new URLSearchParams({ q: w, _end: '100' });
        const keyed = await list(await parseListQuery(params, listSpecs.get(path)!, db));
        const subqueries = await list(await parseListQuery(params, listSpecs.get(path)!));
        expect(keyed.rows.map((r) => r.id), `${path} q=${w}`).toEqual(subqueries.rows.map((r) => r.id));
      }
    }
  });

  test('deliveries filtered by when they were made (indexed) find the same rows', async () => {
    const today = (await rows<{ d: string }>(db, sql`select (now() at time zone 'Asia/Kolkata')::date::text as d`))[0].d;
    const made = await sqlIds(sql`select id from deliveries where delivered_on = ${today}`);
    expect(made.length).toBe(2);
    expect(await ids(`/api/deliveries?delivered_on=${today}`)).toEqual(made);
    const since = new Date(Date.now() - 3600_000).toISOString();
    expect(await ids(`/api/deliveries?delivered_at_gte=${encodeURIComponent(since)}`)).toEqual(await sqlIds(sql`select id from deliveries where delivered_at >= ${since}::timestamptz`));
  });

  test('deliveries by status and orders by their delivery status (the status index) find the same rows, newest first', async () => {
    const statuses = await rows<{ status: string }>(db, sql`select distinct status::text as status from deliveries`);
    expect(statuses.length).toBeGreaterThan(1);
    for (const status of ['pending', 'delivered', 'partial', 'failed']) {
      const deliveries = await sqlIds(sql`select id from deliveries where status = ${status}`);
      expect(await ids(`/api/deliveries?status=${status}&_end=100`), status).toEqual(deliveries);
      const orders = await sqlIds(sql`select o.id from orders o join deliveries d on d.order_id = o.id where d.status = ${status}`);
      expect(await ids(`/api/orders?delivery_status=${status}&_end=100`), status).toEqual(orders);
      const res = await t.call('admin', 'GET', `/api/deliveries?status=${status}&_sort=order_date&_order=desc&_end=100`);
      const dates = (await expectJson<{ order_date: string }[]>(res, 200)).map((r) => r.order_date);
      expect(dates).toEqual([...dates].sort().reverse());
      expect(res.headers.get('x-total-count')).toBe(String(deliveries.length));
    }
  });

  test('deliveries filtered by zone, pin code and zone name (through the order\'s customer and address) find the same rows', async () => {
    const through = sql`from deliveries d join orders o on o.id = d.order_id join customers c on c.id = o.customer_id join addresses a on a.id = o.address_id join zones z on z.id = c.zone_id`;
    const zone = jose.customer.zone_id as string;
    const [{ name }] = await rows<{ name: string }>(db, sql`select name from zones where id = ${zone}`);
    expect(await ids(`/api/deliveries?zone_id=${zone}&_end=100`)).toEqual(await sqlIds(sql`select d.id ${through} where c.zone_id = ${zone}`));
    expect(await ids(`/api/deliveries?zone_name=${encodeURIComponent(name)}&_end=100`)).toEqual(await sqlIds(sql`select d.id ${through} where z.name = ${name}`));
    for (const pin of ['560099', '560001']) {
      const want = await sqlIds(sql`select d.id ${through} where a.pin_code = ${pin}`);
      expect(want.length, pin).toBeGreaterThan(0);
      expect(await ids(`/api/deliveries?pin_code=${pin}&_end=100`), pin).toEqual(want);
    }
  });

  test('filters through another table (order address, zone, customer name) find the same rows', async () => {
    expect(await ids(`/api/orders?address_id=${secondAddress}`)).toEqual(await sqlIds(sql`select id from orders where address_id = ${secondAddress}`));
    expect(await ids(`/api/orders?customer_name=${encodeURIComponent('RAVI Shankar')}`)).toEqual(await sqlIds(sql`select id from orders where customer_id = ${ravi.customer.id}`));
    expect(await ids(`/api/orders?zone_id=${jose.customer.zone_id}&_end=100`)).toEqual(
      await sqlIds(sql`select o.id from orders o join customers c on c.id = o.customer_id where c.zone_id = ${jose.customer.zone_id}`),
    );
  });
});

describe('sorting, paging and totals of big lists', () => {
  test('a sort with no index is refused on the whole list, with how to narrow it; allowed for one customer or after an indexed key', async () => {
    const refused = await expectProblem(await t.call('admin', 'GET', '/api/orders?_sort=customer_name&_order=asc'), 400, 'sort_needs_filter');
    expect(refused.message).toMatch(/filter by customer_id/);
    expect(refused.message).toMatch(/delivery_date/);
    const mine = await expectJson<{ total_paise: number }[]>(await t.call('admin', 'GET', `/api/orders?customer_id=${ravindra.customer.id}&_sort=status&_order=asc`), 200);
    expect(mine).toHaveLength(2);
    await expectJson(await t.call('admin', 'GET', '/api/orders?_sort=delivery_date,customer_name&_order=desc,asc'), 200);
    await expectProblem(await t.call('admin', 'GET', '/api/order-items'), 400, 'list_needs_filter');
  });

  test('the whole list sorts both ways by an indexed column, ties broken by id in the same direction', async () => {
    const asc = await expectJson<{ id: string; total_paise: number }[]>(await t.call('admin', 'GET', '/api/orders?_sort=total_paise&_order=asc&_end=100'), 200);
    const desc = await expectJson<{ id: string; total_paise: number }[]>(await t.call('admin', 'GET', '/api/orders?_sort=total_paise&_order=desc&_end=100'), 200);
    expect(desc.map((r) => r.id)).toEqual(asc.map((r) => r.id).reverse());
  });

  test(`pages past row ${MAX_START} are refused early with how to narrow the list`, async () => {
    const deep = await expectProblem(await t.call('admin', 'GET', `/api/orders?_start=${MAX_START + 25}&_end=${MAX_START + 50}`), 400, 'page_too_deep');
    expect(deep.message).toMatch(/filter or a search/);
    expect(deep.message).toMatch(/sort the other way/);
    const last = await t.call('admin', 'GET', `/api/orders?_start=${MAX_START}&_end=${MAX_START + 25}`);
    expect(last.status).toBe(200);
    expect(last.headers.get('x-total-count')).toBe('6');
  });

  test(`x-total-count is exact up to ${COUNT_CAP} rows, past it the planner's estimate marked x-total-count-estimated`, async () => {
    await db.execute(sql`insert into audit_logs (action, table_name) select 'bulk', 'scale_test' from generate_series(1, ${COUNT_CAP + 50})`);
    await db.execute(sql`analyze audit_logs`);
    const big = await t.call('admin', 'GET', '/api/audit-logs?_end=25', undefined, { origin: 'http://localhost:5173' });
    expect(big.status).toBe(200);
    expect(big.headers.get('x-total-count-estimated')).toBe('true');
    expect(Number(big.headers.get('x-total-count'))).toBeGreaterThan(COUNT_CAP);
    // The admin on another origin (Vite dev server) may read it.
    expect(big.headers.get('access-control-expose-headers')).toMatch(/x-total-count-estimated/);
    const small = await t.call('admin', 'GET', '/api/audit-logs?_end=25&table_name=zones');
    expect(small.headers.get('x-total-count-estimated')).toBeNull();
    const [{ n }] = await rows<{ n: number }>(db, sql`select count(*)::int as n from audit_logs where table_name = 'zones'`);
    expect(small.headers.get('x-total-count')).toBe(String(n));
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('statement timeout (PostgreSQL; PGlite cannot cancel a statement)', () => {
  test('a statement over the timeout ends in a 503 problem, changes nothing, and the connection serves the next request', async () => {
    const url = t.database.url!;
    const timed = await openDatabase({ url, max: 1, role: APP_ROLE, statementTimeoutMs: 300 });
    const locker = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const app = createApp({ database: timed, logger: pino({ level: 'silent' }) });
      const login = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@milkrun.test', password: DEMO_PASSWORD }) });
      const cookie = login.headers.get('set-cookie')!.split(';')[0];
      const id = jose.customer.id;
      // Another session holds the customer's row: the update waits for the lock until the timeout ends it.
      const reserved = await locker.reserve();
      await reserved`begin`;
      await reserved`select id from customers where id = ${id} for update`;
      const started = performance.now();
      const res = await app.request(`/api/customers/${id}`, { method: 'PATCH', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Changed' }) });
      const body = await expectProblem(res, 503, 'query_timeout');
      expect(body.message).toMatch(/took too long/);
      expect(performance.now() - started).toBeLessThan(5000);
      await reserved`rollback`;
      reserved.release();
      // The one pooled connection answers the next request, and the row kept its name.
      const again = await expectJson<{ name: string }>(await app.request(`/api/customers/${id}`, { headers: { cookie } }), 200);
      expect(again.name).toBe('José Ñúñez');
    } finally {
      await locker.end();
      await timed.close();
    }
  });
});
