import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { APP_ROLE } from '../../db/client.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { bodyOf, makeCustomer, makeOrder, makeProduct, sqlRows } from '../helpers/chain-fixtures.js';

// The API's PostgreSQL role (migration 0008_app_role): what it may not do is refused by the database itself.
// PGlite has one superuser connection and no roles to speak of, so this runs on PostgreSQL only.
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

describe.runIf(onPostgres)('the app role on PostgreSQL', () => {
  let t: TestApp;
  let asApp: postgres.Sql;

  /** Runs one statement as milkrun_app and returns the SQLSTATE it failed with, or 'ok'. */
  const codeOf = (statement: string) =>
    asApp.unsafe(statement).then(
      () => 'ok',
      (e: { code?: string }) => e.code ?? String(e),
    );
  const count = async (table: string) => (await sqlRows<{ n: number }>(t.database.db, sql.raw(`select count(*)::int as n from ${table}`)))[0].n;

  beforeAll(async () => {
    t = await createTestApp();
    asApp = postgres(t.database.url!, { max: 1, onnotice: () => {}, connection: { role: APP_ROLE } as never });
    // A delivered and invoiced order made through the API, which itself runs as the app role.
    const customer = await makeCustomer(t.database.db);
    const milk = await makeProduct(t.database.db);
    const order = await makeOrder(t.database.db, { customer, items: [{ product: milk, quantity: 2 }], delivery_date: '2026-10-05' });
    await bodyOf(await t.call('admin', 'POST', `/api/deliveries/${order.delivery.id}/confirm`, { delivered_at: '2026-10-05T06:30:00+05:30' }), 200);
    await bodyOf(await t.call('finance', 'POST', '/api/invoice-runs?wait=true', { month: '2026-10' }), 201);
  });
  afterAll(async () => {
    await asApp?.end();
    await t?.close();
  });

  test('the app connection is the app role, not a superuser', async () => {
    const [me] = await asApp`select current_user as role, (select rolsuper from pg_roles where rolname = current_user) as super`;
    expect(me).toEqual({ role: APP_ROLE, super: false });
  });

  test('TRUNCATE of billing tables and the audit log is refused (42501) and the rows stay', async () => {
    const before = { billing: await count('billing_records'), lines: await count('invoice_lines'), invoices: await count('invoices'), audit: await count('audit_logs') };
    expect(before.billing).toBe(1);
    expect(before.invoices).toBe(1);
    expect(await codeOf('truncate billing_records, invoice_lines, invoices cascade')).toBe('42501');
    expect(await codeOf('truncate invoices')).toBe('42501');
    expect(await codeOf('truncate audit_logs')).toBe('42501');
    expect({ billing: await count('billing_records'), lines: await count('invoice_lines'), invoices: await count('invoices'), audit: await count('audit_logs') }).toEqual(before);
  });

  test('audit rows cannot be updated or deleted (42501, before any trigger)', async () => {
    const before = await sqlRows(t.database.db, sql`select id, action from audit_logs order by id`);
    expect(before.length).toBeGreaterThan(0);
    expect(await codeOf(`update audit_logs set action = 'forged'`)).toBe('42501');
    expect(await codeOf('delete from audit_logs')).toBe('42501');
    expect(await sqlRows(t.database.db, sql`select id, action from audit_logs order by id`)).toEqual(before);
  });

  test('the chain is never deleted from and issued invoice lines never rewritten', async () => {
    expect(await codeOf('delete from billing_records')).toBe('42501');
    expect(await codeOf('delete from invoices')).toBe('42501');
    expect(await codeOf('delete from deliveries')).toBe('42501');
    expect(await codeOf('delete from orders')).toBe('42501');
    expect(await codeOf('update invoice_lines set quantity = 1')).toBe('42501');
    expect(await codeOf('delete from invoice_lines')).toBe('42501');
    expect(await count('billing_records')).toBe(1);
  });

  test('no DDL, no disabling triggers, no replica mode', async () => {
    expect(await codeOf('create table stolen (id int)')).toBe('42501');
    expect(await codeOf('drop table audit_logs')).toBe('42501');
    expect(await codeOf('alter table invoices disable trigger all')).toBe('42501');
    expect(await codeOf('alter table billing_records drop constraint billing_records_quantity_positive')).toBe('42501');
    expect(await codeOf('set session_replication_role = replica')).toBe('42501');
  });

  test("the dashboard's totals are written by their triggers only (which the app role's writes fire)", async () => {
    for (const table of ['delivery_day_counts', 'billing_day_totals', 'customer_unbilled', 'invoice_day_totals']) {
      expect(await codeOf(`select * from ${table}`), table).toBe('ok');
      expect(await codeOf(`update ${table} set ${table === 'customer_unbilled' ? 'records = records' : 'slot = slot'} + 1`), table).toBe('42501');
      expect(await codeOf(`delete from ${table}`), table).toBe('42501');
    }
    expect(await codeOf(`insert into billing_day_totals (service_date, slot, records) values ('2026-10-05', 0, 1)`)).toBe('42501');
    // The confirmation and the invoice run above (through the API, as the app role) kept them: no drift.
    expect(await sqlRows(t.database.db, sql`select * from dashboard_totals_drift`)).toEqual([]);
    expect(await sqlRows(t.database.db, sql`select sum(records)::int as records, sum(unbilled_records)::int as unbilled from billing_day_totals where service_date = '2026-10-05'`)).toEqual([
      { records: 1, unbilled: 0 },
    ]);
  });

  test('what the API needs still works as the app role: reads, writes, sessions', async () => {
    expect(await codeOf(`insert into zones (name) values ('App role zone')`)).toBe('ok');
    expect(await codeOf(`update zones set name = 'App role zone 2' where name = 'App role zone'`)).toBe('ok');
    expect(await codeOf(`delete from zones where name = 'App role zone 2'`)).toBe('ok');
    expect(await codeOf('delete from sessions where expires_at < now()')).toBe('ok');
    const zone = await bodyOf<{ id: string }>(await t.call('manager', 'POST', '/api/zones', { name: 'Made by the app role' }), 201);
    const audit = await sqlRows(t.database.db, sql`select action from audit_logs where record_id = ${zone.id}`);
    expect(audit).toEqual([{ action: 'create' }]);
  });
});
