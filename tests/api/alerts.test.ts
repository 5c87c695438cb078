import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Ctx } from '../../api/lib/context.js';
import { addDays, todayIST } from '../../api/lib/dates.js';
import { checkAlerts } from '../../api/modules/alerts/alerts.service.js';
import { flushRequestStats, recordRequest, resetRequestStats } from '../../api/modules/alerts/request-stats.js';
import { openDatabase, type Database } from '../../db/client.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeCustomer, makeOrder, makeProduct, makeZone } from '../helpers/chain-fixtures.js';
import { countOf, expectJson, expectProblem, rows } from './support.js';

// Alerts as data (issue 17, item 2): each rule fires once when its condition is injected, stays one incident while it
// holds, clears when it recovers, and each firing and clearing is an email to every admin in the outbox, written in the
// same transaction. Two processes checking at once fire one incident.
let t: TestApp;
const db = () => t.database.db;
const ctxOn = (database: Database): Ctx => ({ db: database.db, inTx: false, actor: null, requestId: 'alert-test', log: pino({ level: 'silent' }) });
const check = () => checkAlerts(ctxOn(t.database));
const ruleId = async (kind: string) => (await rows<{ id: string }>(db(), sql`select id from alert_rules where kind = ${kind}::alert_kind`))[0].id;
const incidents = (id: string) => rows<{ id: string; value: number; cleared_at: Date | null; cleared_value: number | null }>(db(), sql`select id, value, cleared_at, cleared_value from alerts where rule_id = ${id}::uuid order by fired_at`);
const mails = (alertId: string, template: string) => countOf(db(), sql`select count(*) as n from notifications where template = ${template} and payload->>'alert_id' = ${alertId} and channel = 'email'`);
const admins = () => countOf(db(), sql`select count(distinct u.id) as n from users u join user_roles ur on ur.user_id = u.id join roles r on r.id = ur.role_id where r.name = 'admin' and u.is_active`);

beforeAll(async () => {
  t = await createTestApp();
  // A clean data-health run just finished: the job has no reason to start one.
  await db().execute(sql`insert into data_health_runs (finished_at, result) values (now(), '{"ok": true, "checks": [{"name": "x", "count": 0}]}')`);
  // Rules other than the one under test must stay quiet: only the p99 and error rate read request_stats, kept empty.
  resetRequestStats();
});
afterAll(() => t?.close());

/** Injects a rule's condition, checks (fires once, twice checked), recovers, checks (clears once). */
async function firesOnceAndClears(kind: string, inject: () => Promise<unknown>, recover: () => Promise<unknown>, expectedValue?: number) {
  const id = await ruleId(kind);
  expect(await incidents(id)).toEqual([]);
  await inject();
  const first = await check();
  expect(first.skipped).toBe(false);
  const [fired] = await incidents(id);
  expect(fired, `${kind} should have fired`).toBeDefined();
  expect(first.fired).toContain(fired.id);
  if (expectedValue !== undefined) expect(fired.value).toBe(expectedValue);
  expect(await mails(fired.id, 'alert.fired')).toBe(await admins());
  const [mail] = await rows<{ payload: any; recipient: string }>(db(), sql`select payload, recipient from notifications where payload->>'alert_id' = ${fired.id} limit 1`);
  expect(mail.payload).toMatchObject({ rule: { id, kind }, value: fired.value });
  expect(typeof mail.payload.threshold).toBe('number');
  // Still above: the same incident, no second firing or mail.
  await check();
  expect(await incidents(id)).toHaveLength(1);
  expect(await mails(fired.id, 'alert.fired')).toBe(await admins());
  await recover();
  const after = await check();
  expect(after.cleared).toContain(fired.id);
  const [cleared] = await incidents(id);
  expect(cleared.cleared_at).not.toBeNull();
  expect(await mails(fired.id, 'alert.cleared')).toBe(await admins());
  await check();
  expect(await incidents(id)).toHaveLength(1);
}

describe('each rule fires once and clears', () => {
  test('broken links found by data health', () =>
    firesOnceAndClears(
      'data_health_broken',
      () => db().execute(sql`insert into data_health_runs (started_at, finished_at, result) values (now(), now() + interval '1 second', '{"ok": false, "checks": [{"name": "a", "count": 2}, {"name": "b", "count": 1}]}')`),
      () => db().execute(sql`insert into data_health_runs (started_at, finished_at, result) values (now(), now() + interval '2 seconds', '{"ok": true, "checks": [{"name": "a", "count": 0}]}')`),
      3,
    ));

  test('error rate over 1% for 5 minutes (read from every process\'s request_stats)', () =>
    firesOnceAndClears(
      'error_rate',
      async () => {
        // Two processes' minutes: 3 errors in 100 requests = 300 basis points.
        await db().execute(sql`insert into request_stats (minute, process_id, requests, errors, buckets) values
          (date_trunc('minute', now()), 'host-a:1', 60, 3, '{60,0,0,0,0,0,0,0,0,0,0,0}'), (date_trunc('minute', now()) - interval '1 minute', 'host-b:2', 40, 0, '{40,0,0,0,0,0,0,0,0,0,0,0}')`);
      },
      () => db().execute(sql`update request_stats set errors = 0`),
      300,
    ));

  test('p99 latency over 1 s', async () => {
    await db().execute(sql`delete from request_stats`);
    await firesOnceAndClears(
      'p99_latency',
      // 100 requests, 2 of them between 1 and 2.5 s: the 99th is in the 2500 ms bucket.
      () => db().execute(sql`insert into request_stats (minute, process_id, requests, errors, buckets) values (date_trunc('minute', now()), 'host-a:1', 100, 0, '{90,5,3,0,0,0,0,0,2,0,0,0}')`),
      () => db().execute(sql`update request_stats set buckets = '{90,5,5,0,0,0,0,0,0,0,0,0}'`),
      2500,
    );
    await db().execute(sql`delete from request_stats`);
  });

  test('failed or stalled invoice run', () =>
    firesOnceAndClears(
      'invoice_run_failed',
      () => db().execute(sql`insert into invoice_runs (month, status, error, finished_at) values ('2026-04-01', 'failed', 'disk full', now())`),
      () => db().execute(sql`update invoice_runs set finished_at = now() - interval '3 days', created_at = now() - interval '3 days' where status = 'failed'`),
      1,
    ));

  test('a stalled invoice run (running, no progress for 10 minutes) fires the same rule', async () => {
    // The process running it died (a deploy, a crash): nothing marks it failed until the next run starts.
    const id = await ruleId('invoice_run_failed');
    const open = async () => (await incidents(id)).filter((a) => !a.cleared_at);
    expect(await open()).toEqual([]);
    await db().execute(sql`insert into invoice_runs (month, status, updated_at) values ('2026-06-01', 'running', now() - interval '11 minutes')`);
    const first = await check();
    const [fired] = await open();
    expect(fired, 'a stalled run should have fired').toBeDefined();
    expect(first.fired).toContain(fired.id);
    expect(fired.value).toBe(1);
    expect(await mails(fired.id, 'alert.fired')).toBe(await admins());
    await check();
    expect(await open()).toHaveLength(1);
    await db().execute(sql`update invoice_runs set status = 'completed', finished_at = now(), updated_at = now() where month = '2026-06-01'`);
    expect((await check()).cleared).toContain(fired.id);
    expect(await open()).toEqual([]);
  });

  test('delivered items still unbilled at midnight', async () => {
    const zone = await makeZone(db());
    const customer = await makeCustomer(db(), { zone_id: zone.id });
    const milk = await makeProduct(db(), { price_paise: 2800, gst_rate_bp: 0, hsn_code: '0401' });
    const yesterday = addDays(todayIST(), -1);
    const o = await makeOrder(db(), { customer, items: [{ product: milk, quantity: 2 }], delivery_date: yesterday });
    // The chain's triggers refuse an unbilled delivered item: written with them off, as a bypass would.
    const bypass = (q: ReturnType<typeof sql>) =>
      db().transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(q);
      });
    await firesOnceAndClears(
      'unbilled_at_midnight',
      () =>
        bypass(sql`with d as (update deliveries set status = 'delivered', delivered_on = ${yesterday}::date, delivered_at = now() - interval '1 day' where id = ${o.delivery.id}::uuid returning id)
          insert into delivery_items (delivery_id, order_id, order_item_id, ordered_quantity, quantity) select id, ${o.order.id}::uuid, ${o.items[0].id}::uuid, 2, 2 from d`),
      () => bypass(sql`delete from delivery_items where delivery_id = ${o.delivery.id}::uuid`),
      1,
    );
  });

  test('notifications backlog', () =>
    firesOnceAndClears(
      'notifications_backlog',
      () => db().execute(sql`insert into notifications (channel, recipient, template, created_at) select 'email', 'late' || g || '@milkrun.test', 'dispute.escalated', now() - interval '20 minutes' from generate_series(1, 101) g`),
      () => db().execute(sql`update notifications set status = 'sent', sent_at = now() where template = 'dispute.escalated'`),
      101,
    ));
});

test('request counts flushed by a process land in request_stats and add up across flushes', async () => {
  resetRequestStats();
  for (let i = 0; i < 3; i++) recordRequest(0.02, 200);
  recordRequest(1.5, 503);
  await flushRequestStats(db(), 'flush-test:1');
  recordRequest(0.002, 200);
  await flushRequestStats(db(), 'flush-test:1');
  const [r] = await rows<{ requests: number; errors: number; buckets: number[] | string }>(db(), sql`select requests, errors, buckets from request_stats where process_id = 'flush-test:1'`);
  expect(r).toMatchObject({ requests: 5, errors: 1 });
  expect(String(r.buckets).replace(/[{}]/g, '').split(',').map(Number)).toEqual([1, 0, 3, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
  await db().execute(sql`delete from request_stats`);
});

test('two processes checking at the same moment fire one incident and one set of mails', async () => {
  // On PostgreSQL a second connection pool, as a second API process has; on PGlite the same (one) connection.
  const other = t.database.url ? await openDatabase({ url: t.database.url, max: 2 }) : t.database;
  try {
    const id = await ruleId('invoice_run_failed');
    for (let round = 0; round < 3; round++) {
      await db().execute(sql`insert into invoice_runs (month, status, error, finished_at) values ('2026-05-01', 'failed', 'round ${sql.raw(String(round))}', now())`);
      const results = await Promise.all([checkAlerts(ctxOn(t.database)), checkAlerts(ctxOn(other)), checkAlerts(ctxOn(other))]);
      expect(results.flatMap((r) => r.fired)).toHaveLength(1);
      const open = (await incidents(id)).filter((a) => !a.cleared_at);
      expect(open).toHaveLength(1);
      expect(await mails(open[0].id, 'alert.fired')).toBe(await admins());
      await db().execute(sql`update invoice_runs set finished_at = now() - interval '3 days' where status = 'failed'`);
      await check();
    }
  } finally {
    if (other !== t.database) await other.close();
  }
});

test('only a process that runs the jobs starts the data-health run, and only when the last is older than the window', async () => {
  const runs = () => countOf(db(), sql`select count(*) as n from data_health_runs`);
  await db().execute(sql`update data_health_runs set started_at = started_at - interval '2 hours', finished_at = finished_at - interval '2 hours'`);
  const before = await runs();
  // MILKRUN_JOBS=0: the rule is checked, the stale run is not replaced.
  const off = await checkAlerts(ctxOn(t.database), { startDataHealth: false });
  expect(off.dataHealthRun).toBeUndefined();
  expect(await runs()).toBe(before);
  const on = await checkAlerts(ctxOn(t.database));
  expect(on.dataHealthRun).toBeDefined();
  await on.dataHealthRun;
  expect(await runs()).toBe(before + 1);
  const [last] = await rows<{ finished_at: Date | null; checks: number }>(
    db(),
    sql`select finished_at, jsonb_array_length(result->'checks') as checks from data_health_runs order by started_at desc limit 1`,
  );
  expect(last.finished_at).not.toBeNull();
  expect(last.checks).toBeGreaterThan(40);
  // Fresh now: the next check starts none.
  expect((await checkAlerts(ctxOn(t.database))).dataHealthRun).toBeUndefined();
  expect(await runs()).toBe(before + 1);
});

describe('the API (admin only)', () => {
  test('rules: list, edit threshold, window and enabled, create; audited; bad input is a 400', async () => {
    const list = await expectJson<any[]>(await t.call('admin', 'GET', '/api/alert-rules?_sort=name&_order=asc'), 200);
    expect(list.length).toBeGreaterThanOrEqual(6);
    const p99 = list.find((r) => r.kind === 'p99_latency');
    const edited = await expectJson(await t.call('admin', 'PATCH', `/api/alert-rules/${p99.id}`, { threshold: 2000, window_minutes: 10, enabled: false }), 200);
    expect(edited).toMatchObject({ threshold: 2000, window_minutes: 10, enabled: false });
    expect(await countOf(db(), sql`select count(*) as n from audit_logs where table_name = 'alert-rules' and record_id = ${p99.id}::uuid`)).toBe(1);
    await expectProblem(await t.call('admin', 'PATCH', `/api/alert-rules/${p99.id}`, { window_minutes: 0 }), 400, 'validation_failed');
    await expectProblem(await t.call('admin', 'PATCH', `/api/alert-rules/${p99.id}`, { kind: 'error_rate' }), 400, 'validation_failed');
    const made = await expectJson(await t.call('admin', 'POST', '/api/alert-rules', { kind: 'notifications_backlog', name: 'Backlog, severe', threshold: 1000, window_minutes: 60 }), 201);
    expect(made).toMatchObject({ enabled: true, kind: 'notifications_backlog' });
    await expectProblem(await t.call('admin', 'POST', '/api/alert-rules', { kind: 'notifications_backlog', name: 'Backlog, severe', threshold: 1, window_minutes: 1 }), 409, 'duplicate_name');
  });

  test('incidents: newest first with their rule, filterable by kind', async () => {
    const res = await t.call('admin', 'GET', '/api/alerts?_start=0&_end=50');
    const list = await expectJson<any[]>(res, 200);
    expect(Number(res.headers.get('x-total-count'))).toBe(list.length);
    expect(list.length).toBeGreaterThanOrEqual(6);
    expect(list[0]).toHaveProperty('rule_name');
    const times = list.map((a) => Date.parse(a.fired_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const failed = await expectJson<any[]>(await t.call('admin', 'GET', '/api/alerts?kind=invoice_run_failed'), 200);
    expect(failed.every((a) => a.kind === 'invoice_run_failed')).toBe(true);
  });

  test('other roles are refused', async () => {
    for (const role of ['finance', 'support', 'manager'] as const) {
      await expectProblem(await t.call(role, 'GET', '/api/alert-rules'), 403);
      await expectProblem(await t.call(role, 'GET', '/api/alerts'), 403);
    }
  });
});
