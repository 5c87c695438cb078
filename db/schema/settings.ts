import { sql } from 'drizzle-orm';
import { check, foreignKey, integer, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './access.js';

/**
 * The business's own settings: one row (id 1), edited by an admin. The supplier block is what GST Rule 46 asks an
 * invoice to print; each issued invoice keeps a copy of it (invoices.supplier), so changing it here never changes one.
 */
export const settings = pgTable(
  'settings',
  {
    id: smallint('id').primaryKey().default(1),
    supplier_name: text('supplier_name').notNull(),
    // One to four lines, separated by a newline, as printed under the name.
    supplier_address: text('supplier_address').notNull(),
    supplier_gstin: text('supplier_gstin').notNull(),
    supplier_pan: text('supplier_pan').notNull(),
    supplier_state: text('supplier_state').notNull(),
    supplier_state_code: text('supplier_state_code').notNull(),
    supplier_phone: text('supplier_phone').notNull(),
    supplier_email: text('supplier_email').notNull(),
    supplier_upi_id: text('supplier_upi_id').notNull(),
    payment_term_days: integer('payment_term_days').notNull(),
    // Invoice number prefixes: taxed for any invoice with a taxed line, exempt for bills of supply.
    series_taxed: text('series_taxed').notNull(),
    series_exempt: text('series_exempt').notNull(),
    updated_at: timestamp('updated_at', { withTimezone: true, mode: 'date' }).defaultNow().notNull(),
    updated_by: uuid('updated_by'),
  },
  (t) => [
    check('settings_single_row', sql`${t.id} = 1`),
    foreignKey({ name: 'settings_updated_by_fk', columns: [t.updated_by], foreignColumns: [users.id] }).onDelete('set null'),
    check('settings_supplier_name_length', sql`char_length(btrim(${t.supplier_name})) between 1 and 120`),
    check('settings_supplier_address_lines', sql`${t.supplier_address} ~ '^[^\\n]{1,100}(\\n[^\\n]{1,100}){0,3}$'`),
    // 2 digits of state, the PAN, the entity number, Z, a check character (its checksum is verified by the API).
    check('settings_gstin_format', sql`${t.supplier_gstin} ~ '^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$'`),
    check('settings_pan_format', sql`${t.supplier_pan} ~ '^[A-Z]{5}[0-9]{4}[A-Z]$'`),
    check('settings_pan_in_gstin', sql`substr(${t.supplier_gstin}, 3, 10) = ${t.supplier_pan}`),
    check('settings_state_code_of_gstin', sql`${t.supplier_state_code} = left(${t.supplier_gstin}, 2)`),
    check('settings_supplier_state_length', sql`char_length(btrim(${t.supplier_state})) between 1 and 60`),
    check('settings_supplier_phone_format', sql`${t.supplier_phone} ~ '^\\+?[0-9][0-9 -]{5,18}[0-9]$'`),
    check('settings_supplier_email_format', sql`char_length(${t.supplier_email}) <= 254 and ${t.supplier_email} ~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'`),
    check('settings_upi_id_format', sql`${t.supplier_upi_id} ~ '^[A-Za-z0-9._-]{2,64}@[A-Za-z][A-Za-z0-9]{1,63}$'`),
    check('settings_payment_term_range', sql`${t.payment_term_days} between 0 and 365`),
    // A number is PREFIX/26-27/000123: a prefix of at most 3 keeps it within GST Rule 46's 16 characters.
    check('settings_series_format', sql`${t.series_taxed} ~ '^[A-Z0-9]{1,3}$' and ${t.series_exempt} ~ '^[A-Z0-9]{1,3}$'`),
    check('settings_series_distinct', sql`${t.series_taxed} <> ${t.series_exempt}`),
  ],
);
