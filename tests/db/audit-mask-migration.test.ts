import { sql } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { refusedBy, rows } from '../api/support.js';
import { emptyDatabase, migrations, migrationsBefore } from '../helpers/migration-steps.js';

// Audit rows written before the audit writer masked payout details kept staff account numbers and UPI ids in full:
// the migration masks them to the last four, as the writer does now, and leaves the log append-only again.

test('staff audit rows written before are masked to the last four; other rows and keys are untouched', async () => {
  const before = migrationsBefore('_audit_mask_payout_details');
  const { db, migrate } = await emptyDatabase();
  await migrate(before);

  // As the old writer left them: a staff member created with an account, then moved to a UPI id.
  const staffRow = { id: '00000000-0000-4000-8000-000000000001', name: 'Old Pay', bank_account_number: '001234567890', bank_ifsc: 'SBIN0001234', upi_id: null };
  const moved = { ...staffRow, bank_account_number: null, bank_ifsc: null, upi_id: 'old.pay@okicici' };
  await db.execute(sql`insert into audit_logs (action, table_name, record_id, before, after) values
    ('create', 'staff', ${staffRow.id}, null, ${JSON.stringify(staffRow)}::jsonb),
    ('update', 'staff', ${staffRow.id}, ${JSON.stringify(staffRow)}::jsonb, ${JSON.stringify(moved)}::jsonb),
    ('update', 'settings', null, null, ${JSON.stringify({ supplier_upi_id: 'milkrun@upi', upi_id: 'milkrun@upi' })}::jsonb)`);

  await migrate(migrations);

  const log = await rows<{ table_name: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }>(
    db,
    sql`select table_name, before, after from audit_logs order by action, table_name`,
  );
  const staffRows = log.filter((a) => a.table_name === 'staff');
  expect(JSON.stringify(staffRows)).not.toContain('001234567890');
  expect(JSON.stringify(staffRows)).not.toContain('old.pay@');
  expect(staffRows[0].after).toEqual({ ...staffRow, bank_account_number: '••••7890' });
  expect(staffRows[1].before).toEqual({ ...staffRow, bank_account_number: '••••7890' });
  expect(staffRows[1].after).toEqual({ ...moved, upi_id: '••••.pay@okicici' });
  // The supplier's UPI id is printed on every invoice: not a staff payout detail.
  expect(log.find((a) => a.table_name === 'settings')!.after).toEqual({ supplier_upi_id: 'milkrun@upi', upi_id: 'milkrun@upi' });

  // The trigger is back: the log cannot be edited after the migration.
  expect(await refusedBy(db.execute(sql`update audit_logs set action = 'x' where table_name = 'staff'`))).toMatchObject({ constraint: 'audit_logs_append_only' });
  const [fn] = await rows<{ n: number }>(db, sql`select count(*)::int as n from pg_proc where proname = 'audit_mask_payout_details'`);
  expect(fn.n).toBe(0);
}, 120_000); // it migrates a fresh database twice: slow on a busy machine
