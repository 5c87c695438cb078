import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_WEBHOOK_SECRET } from '../../api/lib/env.js';
import { signBody } from '../../api/modules/gateway/signature.js';
import { runInvoices } from '../../api/modules/invoices/invoice-runs.service.js';
import { enqueueNotifications } from '../../api/modules/notifications/outbox.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeCustomer, makeOrder, makeProduct, makeZone } from '../helpers/chain-fixtures.js';
import { serviceCtx } from '../helpers/money-fixtures.js';
import { loopback, metricValue, remote } from '../helpers/metrics-text.js';
import { countOf, expectJson, expectProblem } from './support.js';
import { sql } from 'drizzle-orm';

// GET /metrics (issue 17, item 1): Prometheus text, no session; loopback or the bearer token, else 401. Counters move
// with what the API does (a delivery confirmed, a validation failure, a webhook), by route pattern, never a raw path.
const TOKEN = 'metrics-token-for-tests-0123456789';
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ metricsToken: TOKEN });
});
afterAll(() => t?.close());

const scrape = async (env: object = loopback, headers: Record<string, string> = {}) => {
  const res = await t.app.request('/metrics', { headers }, env);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
};

describe('who may read /metrics', () => {
  test('the machine itself, without a session or a token', async () => {
    const text = await scrape();
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toContain('milkrun_billing_records_created_total');
  });

  test('a remote caller without the token, with a wrong one, or forwarded by a local proxy: 401', async () => {
    await expectProblem(await t.app.request('/metrics', {}, remote), 401, 'unauthorized');
    await expectProblem(await t.app.request('/metrics', { headers: { authorization: 'Bearer wrong-token-wrong-token' } }, remote), 401, 'unauthorized');
    await expectProblem(await t.app.request('/metrics', { headers: { authorization: TOKEN } }, remote), 401, 'unauthorized');
    await expectProblem(await t.app.request('/metrics', { headers: { 'x-forwarded-for': '198.51.100.1' } }, loopback), 401, 'unauthorized');
    // An in-process call has no socket: not provably local.
    await expectProblem(await t.app.request('/metrics'), 401, 'unauthorized');
    // A session does not open it either.
    await expectProblem(await t.app.request('/metrics', { headers: { cookie: await t.cookie('admin') } }, remote), 401, 'unauthorized');
  });

  test('a remote caller with Authorization: Bearer $METRICS_TOKEN', async () => {
    const text = await scrape(remote, { authorization: `Bearer ${TOKEN}` });
    expect(text).toContain('http_requests_total');
  });
});

describe('what moves', () => {
  test('confirming a delivery: billing records, audit rows, and the request under its route pattern', async () => {
    const db = t.database.db;
    const zone = await makeZone(db);
    const customer = await makeCustomer(db, { zone_id: zone.id });
    const milk = await makeProduct(db, { price_paise: 2800, gst_rate_bp: 0, hsn_code: '0401' });
    const ghee = await makeProduct(db, { price_paise: 36000, gst_rate_bp: 1200, hsn_code: '0405', unit: 'bottle' });
    const o = await makeOrder(db, { customer, items: [{ product: milk, quantity: 2 }, { product: ghee, quantity: 1 }] });
    const route = { route: '/api/deliveries/:id/confirm', method: 'POST', status: '200' };
    const before = await scrape();
    await expectJson(await t.call('manager', 'POST', `/api/deliveries/${o.delivery.id}/confirm`, {}), 200);
    const after = await scrape();
    expect(await countOf(db, sql`select count(*) as n from billing_records where order_id = ${o.order.id}`)).toBe(2);
    expect(metricValue(after, 'milkrun_billing_records_created_total') - metricValue(before, 'milkrun_billing_records_created_total')).toBe(2);
    expect(metricValue(after, 'milkrun_audit_rows_written_total') - metricValue(before, 'milkrun_audit_rows_written_total')).toBe(1);
    expect(metricValue(after, 'http_requests_total', route) - metricValue(before, 'http_requests_total', route)).toBe(1);
    expect(metricValue(after, 'http_request_duration_seconds_count', route) - metricValue(before, 'http_request_duration_seconds_count', route)).toBe(1);
    // The pattern, never the id.
    expect(after).not.toContain(o.delivery.id);
    // A second confirmation is a 409: no billing record counted.
    await expectProblem(await t.call('manager', 'POST', `/api/deliveries/${o.delivery.id}/confirm`, {}), 409);
    expect(metricValue(await scrape(), 'milkrun_billing_records_created_total')).toBe(metricValue(after, 'milkrun_billing_records_created_total'));
  });

  test('an audited change counts its audit row once committed', async () => {
    const before = await scrape();
    await expectJson(await t.call('admin', 'POST', '/api/zones', { name: `Metrics zone ${randomUUID().slice(0, 6)}` }), 201);
    const mid = await scrape();
    expect(metricValue(mid, 'milkrun_audit_rows_written_total') - metricValue(before, 'milkrun_audit_rows_written_total')).toBe(1);
  });

  test('a validation failure counts under its route', async () => {
    const labels = { route: '/api/zones' };
    const before = metricValue(await scrape(), 'milkrun_validation_failures_total', labels);
    await expectProblem(await t.call('admin', 'POST', '/api/zones', { name: 42 }), 400, 'validation_failed');
    await expectProblem(await t.call('admin', 'GET', '/api/zones?_sort=nope'), 400);
    expect(metricValue(await scrape(), 'milkrun_validation_failures_total', labels) - before).toBe(2);
  });

  test('webhooks: received, duplicate, refused', async () => {
    const before = await scrape();
    const body = JSON.stringify({ entity: 'event', event: 'payment.authorized', contains: ['payment'], payload: { payment: { entity: { id: `pay_M${Date.now()}`, entity: 'payment', amount: 1000, currency: 'INR', status: 'authorized', notes: {} } } }, created_at: Math.floor(Date.now() / 1000) });
    const eventId = `evt_${randomUUID().replace(/-/g, '').slice(0, 14)}`;
    const send = (signature: string) =>
      t.app.request('/api/webhooks/razorpay', { method: 'POST', headers: { 'content-type': 'application/json', 'x-razorpay-event-id': eventId, 'x-razorpay-signature': signature }, body });
    await expectJson(await send(signBody(body, DEMO_WEBHOOK_SECRET)), 200);
    await expectJson(await send(signBody(body, DEMO_WEBHOOK_SECRET)), 200);
    await expectProblem(await send('00'), 401, 'bad_signature');
    const after = await scrape();
    for (const [name, n] of [['milkrun_webhooks_received_total', 1], ['milkrun_webhooks_duplicate_total', 1], ['milkrun_webhooks_refused_total', 1]] as const) {
      expect(metricValue(after, name) - metricValue(before, name), name).toBe(n);
    }
  });

  test('an invoice run: started and completed', async () => {
    const before = await scrape();
    await runInvoices(serviceCtx(t.database.db, t.userIds.finance), { month: '2026-01' });
    const after = await scrape();
    for (const outcome of ['started', 'completed']) {
      expect(metricValue(after, 'milkrun_invoice_runs_total', { outcome }) - metricValue(before, 'milkrun_invoice_runs_total', { outcome }), outcome).toBe(1);
    }
  });

  test('notifications waiting: read from the database at each scrape', async () => {
    const before = metricValue(await scrape(), 'milkrun_notifications_waiting', { channel: 'email' });
    await enqueueNotifications(t.database.db, [
      { channel: 'email', recipient: 'ops@milkrun.test', template: 'alert.fired' },
      { channel: 'email', recipient: 'ops2@milkrun.test', template: 'alert.fired' },
    ]);
    expect(metricValue(await scrape(), 'milkrun_notifications_waiting', { channel: 'email' }) - before).toBe(2);
  });

  test.skipIf(!process.env.TEST_DATABASE_URL)('PostgreSQL: statements are timed and connections counted', async () => {
    const before = metricValue(await scrape(), 'milkrun_db_query_duration_seconds_count', { outcome: 'ok' });
    await expectJson(await t.call('admin', 'GET', '/api/zones'), 200);
    const after = await scrape();
    expect(metricValue(after, 'milkrun_db_query_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThan(before);
    expect(metricValue(after, 'milkrun_db_connections')).toBeGreaterThan(0);
    expect(metricValue(after, 'milkrun_db_queries_in_flight')).toBe(0);
  });
});
