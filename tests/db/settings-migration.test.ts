import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, expect, test } from 'vitest';
import { assertTestDatabaseName } from '../helpers/app.js';
import { rows } from '../api/support.js';
import { type Db, pgliteExtensions } from '../../db/client.js';

// An invoice issued before the settings existed keeps the supplier block it was printed with (the constants of the
// time): the migration fills it without an UPDATE, so the triggers that freeze issued invoices do not stand in its way.
const migrations = join(import.meta.dirname, '../../db/migrations');
const journal = JSON.parse(readFileSync(join(migrations, 'meta/_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
const settingsIdx = journal.entries.find((e) => e.tag.endsWith('_settings'))!.idx;

/** A copy of the migrations folder whose journal stops before the settings migration. */
function migrationsBefore(): string {
  const dir = mkdtempSync(join(tmpdir(), 'milkrun-migrations-'));
  cpSync(migrations, dir, { recursive: true });
  writeFileSync(join(dir, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.filter((e) => e.idx < settingsIdx) }));
  return dir;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** An empty database (PGlite, or a new PostgreSQL database when TEST_DATABASE_URL is set) and a migrate(folder). */
async function emptyDatabase(): Promise<{ db: Db; migrate: (folder: string) => Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const client = await PGlite.create('memory://', { extensions: pgliteExtensions });
    cleanups.push(() => client.close());
    const db = drizzlePglite(client) as unknown as Db;
    return { db, migrate: (migrationsFolder) => migratePglite(db as never, { migrationsFolder }) };
  }
  const base = assertTestDatabaseName(url);
  const name = `milkrun_${randomBytes(6).toString('hex')}_test`;
  const admin = postgres(base.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const dbUrl = new URL(base.toString());
  dbUrl.pathname = `/${name}`;
  const client = postgres(dbUrl.toString(), { max: 1, onnotice: () => {} });
  cleanups.push(async () => {
    await client.end();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });
  const db = drizzlePostgres(client) as unknown as Db;
  return { db, migrate: (migrationsFolder) => migratePostgres(db as never, { migrationsFolder }) };
}

test('invoices issued before the settings migration get the supplier block of the old constants; new ones need their own', async () => {
  const before = migrationsBefore();
  cleanups.push(async () => rmSync(before, { recursive: true, force: true }));
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
