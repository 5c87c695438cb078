import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exportTuning } from '../../api/lib/export.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeZone, sqlRows } from '../helpers/chain-fixtures.js';

// An export whose client stops reading waits on every write, holding its transaction and database connection (on
// PGlite the only one: every other request waits behind it). The time limit (EXPORT_TIME_LIMIT_MS) breaks it off:
// the stream ends, the transaction commits its audit row (completed: false, timed_out: true), the connection is free.

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  const zone = await makeZone(t.database.db);
  await t.database.db.execute(sql`
    insert into customers (name, phone, zone_id)
    select 'Limit customer ' || g, '+91' || (7000000000 + g)::text, ${zone.id} from generate_series(1, 120) g`);
});
afterAll(async () => {
  exportTuning.batch = 1000;
  exportTuning.lines = 10_000;
  exportTuning.timeLimitMs = 10 * 60_000;
  await t?.close();
});

const exportAudits = () =>
  sqlRows<{ after: Record<string, unknown> }>(t.database.db, sql`select after from audit_logs where action = 'export' and table_name = 'customers' order by created_at`);

describe('export time limit', () => {
  test('an export nobody reads is cut off at the limit: the next request is answered and the audit row says so', async () => {
    // Small batches (rows, and CSV lines the database formats), so the writes wait on the reader early.
    exportTuning.batch = 5;
    exportTuning.lines = 5;
    exportTuning.timeLimitMs = 400;
    const started = performance.now();
    // The answer comes back at once (a stream); its body is never read, so the writes soon wait on the reader.
    const res = await t.call('admin', 'GET', '/api/customers/export?format=csv&_sort=name&_order=asc');
    expect(res.status).toBe(200);
    // Without the limit this waits forever on PGlite (the export's transaction holds the one connection); on
    // PostgreSQL it is answered from the pool at once. Either way it is answered, and the export has ended by now.
    const zones = await t.call('admin', 'GET', '/api/zones?_start=0&_end=5');
    expect(zones.status).toBe(200);
    await expect.poll(async () => (await exportAudits()).length, { timeout: 5_000, interval: 50 }).toBe(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(350);
    const [audit] = await exportAudits();
    expect(audit.after).toMatchObject({ format: 'csv', completed: false, timed_out: true });
    expect(Number(audit.after.rows)).toBeLessThan(120);
    // What the client gets, if it reads at last, ends short: the rows written before the cut.
    const text = await res.text();
    expect(text.split('\r\n').length - 2).toBeLessThan(120);
  });

  test('an export read as it comes, within the limit, completes and is audited as completed', async () => {
    exportTuning.batch = 5;
    exportTuning.timeLimitMs = 30_000;
    const res = await t.call('admin', 'GET', '/api/customers/export?format=json&_sort=name&_order=asc');
    const rows = JSON.parse(await res.text()) as unknown[];
    expect(rows.length).toBeGreaterThanOrEqual(120);
    const audits = await exportAudits();
    expect(audits.at(-1)!.after).toMatchObject({ format: 'json', completed: true, rows: rows.length });
    expect(audits.at(-1)!.after).not.toHaveProperty('timed_out');
  });
});
