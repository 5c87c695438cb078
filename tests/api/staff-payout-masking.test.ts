import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeStaff, sqlRows, type StaffFixture } from '../helpers/chain-fixtures.js';
import { expectJson } from './support.js';

// Where staff are paid is for those who pay them: support reads staff but sees account numbers and UPI ids masked
// to their last four; managers and finance (payout batches) see them in full.

let t: TestApp;
let bank: StaffFixture;
let upi: StaffFixture;
type Row = { id: string; bank_account_number: string | null; bank_ifsc: string | null; upi_id: string | null };

beforeAll(async () => {
  t = await createTestApp();
  bank = await makeStaff(t.database.db, { name: 'Masked Bank' });
  upi = await makeStaff(t.database.db, { name: 'Masked Upi' });
  await t.database.db.execute(sql`update staff set bank_account_number = '001234567890', bank_ifsc = 'SBIN0001234' where id = ${bank.staff.id}`);
  await t.database.db.execute(sql`update staff set upi_id = 'sita.pay@okicici' where id = ${upi.staff.id}`);
});
afterAll(() => t?.close());

const listOf = async (role: 'support' | 'manager' | 'finance') => {
  const rows = await expectJson<Row[]>(await t.call(role, 'GET', `/api/staff?id=${bank.staff.id}&id=${upi.staff.id}`), 200);
  return Object.fromEntries(rows.map((r) => [r.id, r]));
};

describe('staff payout details by role', () => {
  test('support sees the last four only, in the list and the row; the stored values are untouched', async () => {
    const rows = await listOf('support');
    expect(rows[bank.staff.id].bank_account_number).toBe('••••7890');
    expect(rows[bank.staff.id].bank_ifsc).toBe('SBIN0001234');
    expect(rows[upi.staff.id].upi_id).toBe('••••.pay@okicici');
    const one = await expectJson<Row>(await t.call('support', 'GET', `/api/staff/${bank.staff.id}`), 200);
    expect(one.bank_account_number).toBe('••••7890');
    expect(JSON.stringify(one)).not.toContain('001234567890');
    const stored = await sqlRows<{ a: string; u: string }>(t.database.db, sql`select (select bank_account_number from staff where id = ${bank.staff.id}) as a, (select upi_id from staff where id = ${upi.staff.id}) as u`);
    expect(stored[0]).toEqual({ a: '001234567890', u: 'sita.pay@okicici' });
  });

  test('managers and finance, who work payout batches, see them in full', async () => {
    for (const role of ['manager', 'finance'] as const) {
      const rows = await listOf(role);
      expect(rows[bank.staff.id].bank_account_number).toBe('001234567890');
      expect(rows[upi.staff.id].upi_id).toBe('sita.pay@okicici');
    }
    // A manager's edit answers the row in full too.
    const edited = await expectJson<Row>(await t.call('manager', 'PATCH', `/api/staff/${upi.staff.id}`, { upi_id: 'sita.new@okaxis' }), 200);
    expect(edited.upi_id).toBe('sita.new@okaxis');
  });
});

describe('the audit log keeps payout details masked', () => {
  test('a staff member created and edited with bank and UPI details: the audit rows hold only the last four', async () => {
    const created = await expectJson<Row>(
      await t.call('manager', 'POST', '/api/staff', { name: 'Audited Pay', phone: '+919811122233', bank_account_number: '556677889900', bank_ifsc: 'HDFC0001234' }),
      201,
    );
    await expectJson(await t.call('manager', 'PATCH', `/api/staff/${created.id}`, { bank_account_number: '112233445566' }), 200);
    await expectJson(await t.call('manager', 'PATCH', `/api/staff/${created.id}`, { bank_account_number: null, bank_ifsc: null, upi_id: 'audited.pay@okaxis' }), 200);

    const stored = await sqlRows<{ action: string; before: Row | null; after: Row | null }>(
      t.database.db,
      sql`select action, before, after from audit_logs where table_name = 'staff' and record_id = ${created.id} order by created_at, id`,
    );
    expect(stored.map((a) => a.action)).toEqual(['create', 'update', 'update']);
    const text = JSON.stringify(stored);
    for (const full of ['556677889900', '112233445566', 'audited.pay@okaxis']) expect(text).not.toContain(full);
    expect(stored[0].after?.bank_account_number).toBe('••••9900');
    expect(stored[1].before?.bank_account_number).toBe('••••9900');
    expect(stored[1].after?.bank_account_number).toBe('••••5566');
    expect(stored[2].after?.upi_id).toBe('••••.pay@okaxis');
    // What is not a payout detail stays whole: the IFSC names a branch, not an account.
    expect(stored[0].after?.bank_ifsc).toBe('HDFC0001234');

    // The audit list answers what is stored: masked, for every role that reads it.
    for (const role of ['manager', 'finance'] as const) {
      const listed = await expectJson<{ before: Row | null; after: Row | null }[]>(await t.call(role, 'GET', `/api/audit-logs?record_id=${created.id}&_sort=created_at&_order=asc`), 200);
      expect(listed).toHaveLength(3);
      expect(JSON.stringify(listed)).not.toContain('112233445566');
      expect(listed.map((a) => a.after?.bank_account_number ?? null)).toEqual(['••••9900', '••••5566', null]);
    }
  });
});
