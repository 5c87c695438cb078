import { sql } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { rows } from '../api/support.js';
import { emptyDatabase, migrations, migrationsBefore } from '../helpers/migration-steps.js';

// An invoice issued before the settings existed keeps the supplier block it was printed with (the constants of the
// time): the migration fills it without an UPDATE, so the triggers that freeze issued invoices do not stand in its way.

test('invoices issued before the settings migration get the supplier block of the old constants; new ones need their own', async () => {
  const before = migrationsBefore('_settings');
  const { db, migrate } = await emptyDatabase();
  await migrate(before);

  // An issued invoice as the old code wrote it (no lines, nothing billed: totals 0 match), its number from the counter.
  await db.execute(sql`insert into zones (name) values ('Old zone')`);
  await db.execute(sql`insert into customers (name, phone, zone_id) select 'Old customer', '+919800000001', id from zones`);
  await db.transaction(async (tx) => {
    await tx.execute(sql`insert into document_series (series, financial_year, next_seq) values ('MR', '25-26', 2)`);
    await tx.execute(sql`
      insert into invoices (number, series, financial_year, seq, kind, customer_id, period_start, period_end, invoice_date, due_date,
                            taxable_paise, exempt_paise, cgst_paise, sgst_paise, total_paise)
      select 'MR/25-26/000001', 'MR', '25-26', 1, 'tax_invoice', id, '2026-03-01', '2026-03-31', '2026-03-31', '2026-04-15', 0, 0, 0, 0, 0 from customers`);
  });

  await migrate(migrations);

  const [old] = await rows<{ supplier: unknown; place_of_supply: string }>(db, sql`select supplier, place_of_supply from invoices`);
  expect(old.place_of_supply).toBe('Karnataka (29)');
  expect(old.supplier).toEqual({
    name: 'Milkrun Dairy Pvt Ltd',
    address_lines: ['No. 42, 3rd Cross, HSR Layout Sector 2', 'Bengaluru, Karnataka 560102'],
    gstin: '29AAACM1234A1Z5',
    pan: 'AAACM1234A',
    state: 'Karnataka',
    state_code: '29',
    phone: '+91 80 4000 1234',
    email: 'billing@milkrun.example',
    upi_id: 'milkrun@upi',
  });
  const [settingsRow] = await rows(db, sql`select series_taxed, series_exempt, payment_term_days from settings`);
  expect(settingsRow).toEqual({ series_taxed: 'MR', series_exempt: 'BS', payment_term_days: 15 });

  // The default served the backfill only: an invoice written now must bring its own block and place of supply.
  const refused = await db
    .execute(
      sql`insert into invoices (number, series, financial_year, seq, kind, customer_id, period_start, period_end, invoice_date, due_date,
                                taxable_paise, exempt_paise, cgst_paise, sgst_paise, total_paise)
          select 'MR/25-26/000002', 'MR', '25-26', 2, 'tax_invoice', id, '2026-03-01', '2026-03-31', '2026-03-31', '2026-04-15', 0, 0, 0, 0, 0 from customers`,
    )
    .then(() => undefined, (e: { cause?: { code?: string; column?: string; column_name?: string } }) => e.cause?.code);
  expect(refused).toBe('23502'); // not_null_violation
}, 120_000); // it migrates a fresh database twice: slow on a busy machine
