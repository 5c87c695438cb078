import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addDays, monthBounds, todayIST } from '../../api/lib/dates.js';
import { createUser, DEMO_PASSWORD } from '../../seeds/users.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { API_ENTRY, startApiProcess, type ApiProcess } from '../helpers/api-process.js';
import { makeCustomer, makeOrder, makeProduct, makeZone, type OrderFixture } from '../helpers/chain-fixtures.js';
import { countOf, expectJson, milkRequest, rows } from './support.js';

/*
 * A deployment runs several API processes on one PostgreSQL. These start two real ones (the server entry point, each
 * on its own loopback port and connection pool) on this file's database and send the two sides of each race to
 * different processes at the same moment: the outcome must be what one process gives (see the race tests of
 * deliveries, product-requests, invoices and login-guard), asserted on the answers and on the rows left.
 */
const onPostgres = !!process.env.TEST_DATABASE_URL;
if (!onPostgres) {
  console.log(
    'two-processes.test.ts skipped: two API processes need PostgreSQL (PGlite is one process). ' +
      'They run in the race-pg project when PostgreSQL answers, or with TEST_DATABASE_URL.',
  );
}

describe.skipIf(!onPostgres)(`two API processes (${API_ENTRY}) on one PostgreSQL`, { tags: ['race'] }, () => {
  let t: TestApp;
  let a: ApiProcess;
  let b: ApiProcess;
  const cookies: Record<'admin' | 'manager' | 'support' | 'finance', string> = { admin: '', manager: '', support: '', finance: '' };
  const db = () => t.database.db;
  const count = (query: ReturnType<typeof sql>) => countOf(db(), query);

  beforeAll(async () => {
    t = await createTestApp();
    [a, b] = await Promise.all([startApiProcess(t.database.url!, 'a'), startApiProcess(t.database.url!, 'b')]);
    // Sessions live in the database: a cookie from process a is good on process b.
    for (const role of Object.keys(cookies) as (keyof typeof cookies)[]) cookies[role] = await a.login(`${role}@milkrun.test`, DEMO_PASSWORD);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await t?.close();
  });

  /** Both answers with their JSON bodies, in the order sent (a, then b). */
  const both = async (ra: Promise<Response>, rb: Promise<Response>) => {
    const answers = await Promise.all([ra, rb]);
    return Promise.all(answers.map(async (r, i) => ({ via: i ? 'b' : 'a', status: r.status, body: JSON.parse(await r.text()) })));
  };

  test('two confirmations of one delivery: one 200, one 409 already_confirmed, one set of delivered items and billing records', async () => {
    const zone = await makeZone(db());
    const customer = await makeCustomer(db(), { zone_id: zone.id });
    const milk = await makeProduct(db(), { price_paise: 2800, gst_rate_bp: 0, hsn_code: '0401' });
    const ghee = await makeProduct(db(), { price_paise: 36000, gst_rate_bp: 1200, hsn_code: '0405', unit: 'bottle' });
    for (let round = 0; round < 5; round++) {
      const o: OrderFixture = await makeOrder(db(), { customer, items: [{ product: milk, quantity: 2 }, { product: ghee, quantity: 1 }] });
      const path = `/api/deliveries/${o.delivery.id}/confirm`;
      const answers = await both(a.call(cookies.manager, 'POST', path, {}), b.call(cookies.manager, 'POST', path, {}));
      expect(answers.map((x) => x.status).sort(), JSON.stringify(answers)).toEqual([200, 409]);
      const winner = answers.find((x) => x.status === 200)!;
      const loser = answers.find((x) => x.status === 409)!;
      expect(loser.body.code).toBe('already_confirmed');
      expect(winner.body).toMatchObject({ id: o.delivery.id, status: 'delivered', order_status: 'delivered' });
      const [delivery] = await rows<{ status: string; order_status: string }>(
        db(),
        sql`select d.status, o.status as order_status from deliveries d join orders o on o.id = d.order_id where d.id = ${o.delivery.id}`,
      );
      expect(delivery).toEqual({ status: 'delivered', order_status: 'delivered' });
      expect(await count(sql`select count(*) as n from delivery_items where delivery_id = ${o.delivery.id}`)).toBe(2);
      expect(await count(sql`select count(*) as n from billing_records where order_id = ${o.order.id}`)).toBe(2);
      // The records are the winner's (its answer names them), and one audit row says who confirmed.
      const billed = await rows<{ id: string }>(db(), sql`select id from billing_records where order_id = ${o.order.id} order by id`);
      expect(billed.map((r) => r.id)).toEqual(winner.body.items.map((i: { billing_record_id: string }) => i.billing_record_id).sort());
      expect(await count(sql`select count(*) as n from audit_logs where record_id = ${o.delivery.id} and action = 'confirm'`)).toBe(1);
    }
  });

  test('two approvals of one product request: one 200, one 409 already_decided, one product and one approve audit row', async () => {
    for (let round = 0; round < 5; round++) {
      const request = await expectJson(await a.call(cookies.support, 'POST', '/api/product-requests', milkRequest()), 201);
      const path = `/api/product-requests/${request.id}/approve`;
      const answers = await both(a.call(cookies.admin, 'POST', path, {}), b.call(cookies.manager, 'POST', path, {}));
      expect(answers.map((x) => x.status).sort(), JSON.stringify(answers)).toEqual([200, 409]);
      const winner = answers.find((x) => x.status === 200)!;
      const loser = answers.find((x) => x.status === 409)!;
      expect(loser.body.code).toBe('already_decided');
      expect(loser.body.message).toMatch(/^This request was already approved by /);
      const products = await rows<{ id: string }>(db(), sql`select id from products where lower(name) = lower(${request.name})`);
      expect(products).toHaveLength(1);
      expect(winner.body.product_id).toBe(products[0].id);
      const [row] = await rows<{ status: string; product_id: string; decided_by: string }>(db(), sql`select status, product_id, decided_by from product_requests where id = ${request.id}`);
      expect(row).toEqual({ status: 'approved', product_id: products[0].id, decided_by: t.userIds[winner.via === 'a' ? 'admin' : 'manager'] });
      expect(await count(sql`select count(*) as n from audit_logs where record_id = ${request.id} and action = 'approve'`)).toBe(1);
      expect(await count(sql`select count(*) as n from audit_logs where table_name = 'products' and record_id = ${products[0].id}`)).toBe(1);
    }
  });

  test('two invoice runs of one month: every customer invoiced once, no duplicate number, no gap, every record billed once', async () => {
    const month = addDays(monthBounds(todayIST().slice(0, 7)).start, -1).slice(0, 7);
    const zone = await makeZone(db());
    const milk = await makeProduct(db(), { price_paise: 2700, gst_rate_bp: 0, hsn_code: '0401' });
    const butter = await makeProduct(db(), { price_paise: 5810, gst_rate_bp: 1200, hsn_code: '0405', unit: 'piece' });
    for (let i = 0; i < 8; i++) {
      const customer = await makeCustomer(db(), { zone_id: zone.id });
      const day = `${month}-${String(1 + i).padStart(2, '0')}`;
      // Alternate exempt-only and mixed customers, so both series are taken by both runs.
      const items = i % 2 ? [{ product: milk, quantity: 2 }] : [{ product: milk, quantity: 1 }, { product: butter, quantity: 1 }];
      const o = await makeOrder(db(), { customer, delivery_date: day, items });
      await expectJson(await a.call(cookies.manager, 'POST', `/api/deliveries/${o.delivery.id}/confirm`, { delivered_at: `${day}T07:00:00+05:30` }), 200);
    }
    const { start, end } = monthBounds(month);
    const total = await count(sql`select coalesce(sum(total_paise), 0) as n from billing_records where service_date between ${start} and ${end}`);

    const answers = await both(
      a.call(cookies.finance, 'POST', '/api/invoice-runs?wait=true', { month }),
      b.call(cookies.finance, 'POST', '/api/invoice-runs?wait=true', { month }),
    );
    expect(answers.map((x) => x.status), JSON.stringify(answers)).toEqual([201, 201]);
    expect(answers.map((x) => x.body.status)).toEqual(['completed', 'completed']);
    expect(answers[0].body.invoices_created + answers[1].body.invoices_created).toBe(8);
    expect(Number(answers[0].body.amount_paise) + Number(answers[1].body.amount_paise)).toBe(total);

    const made = await rows<{ customer_id: string; number: string }>(db(), sql`select customer_id, number from invoices where period_start = ${start}`);
    expect(made).toHaveLength(8);
    expect(new Set(made.map((i) => i.customer_id)).size).toBe(8);
    expect(new Set(made.map((i) => i.number)).size).toBe(8);
    expect(await count(sql`select count(*) as n from billing_records where service_date between ${start} and ${end} and invoice_id is null`)).toBe(0);
    // Each series and year numbered 1..n, and its counter's next number is n + 1.
    const series = await rows<{ series: string; n: number; max_seq: number; next_seq: number }>(
      db(),
      sql`select i.series, count(*)::int as n, max(i.seq)::int as max_seq, max(s.next_seq)::int as next_seq
          from invoices i join document_series s using (series, financial_year) group by i.series, i.financial_year`,
    );
    expect(series.length).toBe(2);
    for (const s of series) expect([s.max_seq, Number(s.next_seq)], s.series).toEqual([s.n, s.n + 1]);
    // Each invoice's total is its records' total.
    expect(
      await count(sql`select count(*) as n from invoices i where i.period_start = ${start}
                      and i.total_paise <> (select sum(total_paise) from billing_records b where b.invoice_id = i.id)`),
    ).toBe(0);
  });

  test('twenty wrong passwords for one email, ten on each process at once: 5 are checked (401), the other 15 refused (429)', async () => {
    const email = 'lockout-two-processes@milkrun.test';
    await createUser(db(), { email, name: 'Lola Lockout', password: 'right-password', roles: ['support'] });
    const attempts = Array.from({ length: 20 }, (_, i) => (i % 2 ? b : a).call(null, 'POST', '/api/auth/login', { email, password: `wrong-${i}` }));
    const answers = await Promise.all(attempts.map(async (pending) => {
      const r = await pending;
      return { status: r.status, code: (await r.json()).code as string };
    }));
    const checked = answers.filter((x) => x.status === 401);
    const refused = answers.filter((x) => x.status === 429);
    expect(checked.length + refused.length, JSON.stringify(answers)).toBe(20);
    expect(checked.every((x) => x.code === 'unauthorized') && refused.every((x) => x.code === 'too_many_attempts')).toBe(true);
    // The rule is at most 5 checked; one process (login-guard.test.ts) checks exactly 5, and so must two.
    expect(checked.length, `${checked.length} of 20 passwords were checked`).toBe(5);
    expect(refused.length).toBe(15);
    expect(await count(sql`select count(*) as n from login_attempts where email = ${email} and not succeeded`)).toBe(5);
    // Locked: the right password is refused too, and no session was made.
    expect((await b.call(null, 'POST', '/api/auth/login', { email, password: 'right-password' })).status).toBe(429);
    expect(await count(sql`select count(*) as n from sessions s join users u on u.id = s.user_id where u.email = ${email}`)).toBe(0);
  });
});
