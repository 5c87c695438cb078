import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { pgErrorOf } from '../../api/lib/errors.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.call('admin', 'POST', '/api/zones', { name: 'Hebbal' });
});
afterAll(() => t.close());

test('TRUNCATE of the audit log is refused and the rows stay', async () => {
  const before = await t.database.db.execute(sql`select count(*)::int as n from audit_logs`);
  const err = await t.database.db.execute(sql`truncate audit_logs`).then(() => null, (e: unknown) => e);
  expect(pgErrorOf(err)?.message ?? String(err)).toMatch(/append-only/);
  const after = await t.database.db.execute(sql`select count(*)::int as n from audit_logs`);
  expect(after).toEqual(before);
});
