import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addDays, todayIST } from '../../api/lib/dates.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeCustomer, makeOrder, makeProduct, type CustomerFixture } from '../helpers/chain-fixtures.js';
import { countOf, expectJson, expectProblem, milkRequest, UNKNOWN_ID } from './support.js';

// What every request meets at the edge, whatever its route: bounded dates, no NUL in text.
let t: TestApp;
let fixture: CustomerFixture;
let product: Awaited<ReturnType<typeof makeProduct>>;

beforeAll(async () => {
  t = await createTestApp();
  fixture = await makeCustomer(t.database.db);
  product = await makeProduct(t.database.db);
});
afterAll(() => t?.close());

const customerId = () => fixture.customer.id;

describe('dates: one rule (a day that exists, 2000-01-01 to 2100-12-31) for bodies, queries and filters', () => {
  test('a calendar month past 9999 answers 400 at once instead of hanging the process', async () => {
    for (const month of ['9999-12', '2101-01', '1999-12', '2026-13', '0000-01']) {
      const body = await expectProblem(await t.call('finance', 'GET', `/api/customers/${customerId()}/calendar?month=${month}`), 400, 'validation_failed');
      expect(body.message).toContain('month');
    }
    // The edges of the range still answer, with every day of the month.
    const last = await expectJson<{ days: { date: string }[] }>(await t.call('finance', 'GET', `/api/customers/${customerId()}/calendar?month=2100-12`), 200);
    expect(last.days.map((d) => d.date)).toHaveLength(31);
    expect(last.days.at(-1)!.date).toBe('2100-12-31');
    const first = await expectJson<{ days: { date: string }[] }>(await t.call('finance', 'GET', `/api/customers/${customerId()}/calendar?month=2000-02`), 200);
    expect(first.days.map((d) => d.date)).toHaveLength(29);
    // The process still answers.
    expect((await t.call('admin', 'GET', '/api/health')).status).toBe(200);
  }, 10_000);

  test('a one-time order dated 9999-12-31, or on a day that does not exist, is refused and nothing is written', async () => {
    const before = await countOf(t.database.db, sql`select count(*) as n from orders`);
    for (const [day, words] of [
      ['9999-12-31', '2100-12-31'],
      ['2026-02-30', 'does not exist'],
      ['1999-12-31', '2000-01-01'],
      ['26-01-01', '2026-07-15'],
    ]) {
      const body = await expectProblem(
        await t.call('admin', 'POST', '/api/orders', {
          customer_id: customerId(),
          address_id: fixture.address.id,
          delivery_date: day,
          items: [{ product_id: product.id, quantity: 1 }],
        }),
        400,
        'validation_failed',
      );
      expect(body.message).toContain('delivery_date');
      expect(body.message).toContain(words);
    }
    expect(await countOf(t.database.db, sql`select count(*) as n from orders`)).toBe(before);
  });

  test.each([
    ['subscription start', 'POST', '/api/subscriptions', () => ({ customer_id: customerId(), address_id: fixture.address.id, product_id: product.id, quantity: 1, schedule: 'daily', start_date: '2026-02-30' }), 'start_date'],
    ['subscription end', 'POST', '/api/subscriptions', () => ({ customer_id: customerId(), address_id: fixture.address.id, product_id: product.id, quantity: 1, schedule: 'daily', start_date: '2026-02-01', end_date: '9999-12-31' }), 'end_date'],
    ['pause from 1900', 'POST', `/api/subscription-pauses`, () => ({ subscription_id: UNKNOWN_ID, from_date: '1900-01-01', to_date: '2026-01-01' }), 'from_date'],
    ['invoice run month', 'POST', '/api/invoice-runs', () => ({ month: '9999-12' }), 'month'],
    ['generation range', 'POST', '/api/orders/generate', () => ({ from: '9999-12-30', to: '9999-12-31' }), 'from'],
    ['confirmation time', 'POST', `/api/deliveries/${UNKNOWN_ID}/confirm`, () => ({ delivered_at: '9999-12-31T06:00:00+05:30' }), 'delivered_at'],
    ['confirmation time that does not exist', 'POST', `/api/deliveries/${UNKNOWN_ID}/confirm`, () => ({ delivered_at: '2026-02-30T06:00:00+05:30' }), 'delivered_at'],
    ['failure time', 'POST', `/api/deliveries/${UNKNOWN_ID}/fail`, () => ({ reason: 'Door locked', at: '-271821-04-20T00:00:00Z' }), 'at'],
  ])('%s out of range is a 400 naming the field', async (_what, method, path, body, field) => {
    const problem = await expectProblem(await t.call('admin', method, path, body()), 400, 'validation_failed');
    expect(problem.message).toContain(field);
  });

  test('a run sheet for a date out of range is a 400', async () => {
    await expectProblem(await t.call('admin', 'GET', '/api/run-sheets?date=9999-12-31'), 400, 'validation_failed');
    await expectProblem(await t.call('admin', 'GET', '/api/run-sheets?date=2026-02-30'), 400, 'validation_failed');
  });

  test.each([
    ['timestamp on a day that does not exist', '/api/customers?created_at_gte=2026-02-30', 'does not exist'],
    ['timestamp at the end of time', '/api/customers?created_at_gte=-271821-04-20', '-271821-04-20'],
    ['timestamp past the range', '/api/customers?created_at_lte=2101-01-01T00:00:00Z', '2100-12-31'],
    ['timestamp before the range', '/api/audit-logs?created_at_gte=1999-12-31T00:00:00Z', '2000-01-01'],
    ['timestamp with an hour that does not exist', '/api/customers?created_at_gte=2026-01-01T25:00:00Z', 'time'],
    ['date on a day that does not exist', '/api/orders?delivery_date_gte=2026-02-30', 'does not exist'],
    ['date past the range', '/api/orders?delivery_date_lte=9999-12-31', '2100-12-31'],
    ['date equality before the range', '/api/billing-records?service_date=1999-12-31', '2000-01-01'],
    ['date in another shape', '/api/orders?delivery_date=15-07-2026', 'YYYY-MM-DD'],
  ])('filter: %s is a 400', async (_what, path, words) => {
    const body = await expectProblem(await t.call('admin', 'GET', path), 400, 'bad_filter');
    expect(body.message).toContain(words);
  });

  test('filters inside the range still work, as the admin sends them', async () => {
    const today = todayIST();
    // The admin's IST day range: the first instant of 2000-01-01 in IST is 1999-12-31T18:30Z, and is in range.
    for (const path of [
      `/api/customers?created_at_gte=1999-12-31T18:30:00.000Z&created_at_lte=2100-12-31T18:29:59.999Z`,
      `/api/customers?created_at_gte=${today}`,
      `/api/customers?created_at_gte=${today}T00:00:00%2B05:30`,
      `/api/orders?delivery_date_gte=2000-01-01&delivery_date_lte=2100-12-31`,
    ]) {
      expect((await t.call('admin', 'GET', path)).status, path).toBe(200);
    }
    const all = await t.call('admin', 'GET', '/api/customers?created_at_gte=2000-01-01T00:00:00%2B05:30');
    expect(Number(all.headers.get('x-total-count'))).toBeGreaterThan(0);
  });
});

describe('text: a NUL character anywhere is a 400 at the edge, never a 500', () => {
  const NUL = '\u0000';
  const bodies: [string, string, string, () => unknown][] = [
    ['customer name', 'POST', '/api/customers', () => ({ name: `Ravi${NUL}`, phone: '+919811111111', zone_id: fixture.customer.zone_id })],
    ['customer notes', 'PATCH', `/api/customers/:customer`, () => ({ notes: `gate${NUL}code` })],
    ['product request name', 'POST', '/api/product-requests', () => milkRequest({ name: `Milk${NUL}` })],
    ['order note', 'POST', '/api/orders', () => ({ customer_id: customerId(), address_id: fixture.address.id, delivery_date: todayIST(), note: `ring${NUL}`, items: [{ product_id: product.id, quantity: 1 }] })],
    ['confirmation proof note', 'POST', '/api/deliveries/:delivery/confirm', () => ({ proof_note: `left at door${NUL}` })],
    ['failure reason', 'POST', '/api/deliveries/:delivery/fail', () => ({ reason: `locked${NUL}` })],
    ['a key of the body', 'POST', '/api/zones', () => ({ [`name${NUL}`]: 'x', name: 'Zone with a NUL key' })],
    ['a string deep in an array', 'POST', '/api/orders', () => ({ customer_id: customerId(), address_id: fixture.address.id, delivery_date: todayIST(), items: [{ product_id: `${product.id}${NUL}`, quantity: 1 }] })],
  ];
  test.each(bodies)('in a body: %s', async (_what, method, template, body) => {
    const o = await makeOrder(t.database.db, { customer: fixture, items: [{ product, quantity: 1 }], delivery_date: addDays(todayIST(), -1) });
    const path = template.replace(':customer', customerId()).replace(':delivery', o.delivery.id);
    const audit = await countOf(t.database.db, sql`select count(*) as n from audit_logs`);
    const problem = await expectProblem(await t.call('admin', method, path, body()), 400, 'bad_text');
    expect(problem.message).toContain('NUL');
    // Nothing happened: no audit row, the delivery is still pending, the customer unchanged.
    expect(await countOf(t.database.db, sql`select count(*) as n from audit_logs`)).toBe(audit);
    expect(await countOf(t.database.db, sql`select count(*) as n from deliveries where id = ${o.delivery.id} and status = 'pending'`)).toBe(1);
    expect(await countOf(t.database.db, sql`select count(*) as n from customers where notes like ${'%gate%'}`)).toBe(0);
  });

  test.each([
    ['q', '/api/customers?q=ravi%00'],
    ['a _like filter', '/api/customers?name_like=%00'],
    ['an equality filter on text', '/api/customers?phone=%2B91%00'],
    ['an equality filter on a uuid', `/api/customers?zone_id=${UNKNOWN_ID}%00`],
    ['a path parameter', `/api/customers/${UNKNOWN_ID}%00`],
    ['a sort field', '/api/customers?_sort=name%00'],
  ])('in the URL: %s', async (_what, path) => {
    const problem = await expectProblem(await t.call('admin', 'GET', path), 400, 'bad_text');
    expect(problem.message).toContain('NUL');
  });

  test('a filter value or q longer than 200 characters is a 400', async () => {
    const long = 'a'.repeat(201);
    await expectProblem(await t.call('admin', 'GET', `/api/customers?q=${long}`), 400, 'bad_filter');
    await expectProblem(await t.call('admin', 'GET', `/api/customers?name_like=${long}`), 400, 'bad_filter');
    expect((await t.call('admin', 'GET', `/api/customers?name_like=${'a'.repeat(200)}`)).status).toBe(200);
  });

  test('login refuses an overlong email or password before hashing anything', async () => {
    const email = await expectProblem(await t.call(null, 'POST', '/api/auth/login', { email: `${'a'.repeat(250)}@milkrun.test`, password: 'x' }), 400, 'validation_failed');
    expect(email.message).toContain('email');
    const password = await expectProblem(await t.call(null, 'POST', '/api/auth/login', { email: 'admin@milkrun.test', password: 'x'.repeat(1001) }), 400, 'validation_failed');
    expect(password.message).toContain('password');
  });
});
