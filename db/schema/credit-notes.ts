import { sql } from 'drizzle-orm';
import { bigint, check, date, foreignKey, index, integer, jsonb, pgTable, text, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.js';
import { users } from './access.js';
import { gstRates } from './catalog.js';
import { invoiceLines, invoices, type SupplierBlock } from './billing.js';
import { refundReason, refunds } from './refunds.js';

// GST credit notes (issue 12, item 7): a billed supply reduced after invoicing (short delivery, spoilt goods, a
// billing error). Their own gapless series per financial year (CN/26-27/000001), citing the invoice they reduce, with
// its lines and tax reversed in the same proportion. Immutable once issued. Triggers in the migration (credit_notes).

export const creditNotes = pgTable(
  'credit_notes',
  {
    id: id(),
    number: text('number').notNull(),
    financial_year: text('financial_year').notNull(),
    seq: integer('seq').notNull(),
    customer_id: uuid('customer_id').notNull(),
    invoice_id: uuid('invoice_id').notNull(),
    /** The refund that issued it; none for an adjustment of the invoice alone (its balance due falls). */
    refund_id: uuid('refund_id'),
    reason: refundReason('reason').notNull(),
    note: text('note').notNull().default(''),
    note_date: date('note_date', { mode: 'string' }).notNull(),
    // The invoice it cites (GST: the number and date of the original invoice), as printed on it.
    invoice_number: text('invoice_number').notNull(),
    invoice_date: date('invoice_date', { mode: 'string' }).notNull(),
    place_of_supply: text('place_of_supply').notNull(),
    // The supplier block at issue (settings then), as invoices keep theirs.
    supplier: jsonb('supplier').$type<SupplierBlock>().notNull(),
    taxable_paise: bigint('taxable_paise', { mode: 'number' }).notNull(),
    exempt_paise: bigint('exempt_paise', { mode: 'number' }).notNull(),
    cgst_paise: bigint('cgst_paise', { mode: 'number' }).notNull(),
    sgst_paise: bigint('sgst_paise', { mode: 'number' }).notNull(),
    total_paise: bigint('total_paise', { mode: 'number' }).notNull(),
    created_by: uuid('created_by'),
    created_at: createdAt(),
  },
  (t) => [
    uniqueIndex('credit_notes_number_key').on(t.number),
    unique('credit_notes_year_seq_key').on(t.financial_year, t.seq),
    uniqueIndex('credit_notes_refund_key').on(t.refund_id),
    foreignKey({ name: 'credit_notes_invoice_fk', columns: [t.invoice_id, t.customer_id], foreignColumns: [invoices.id, invoices.customer_id] }).onDelete('restrict'),
    foreignKey({ name: 'credit_notes_refund_fk', columns: [t.refund_id, t.customer_id], foreignColumns: [refunds.id, refunds.customer_id] }).onDelete('restrict'),
    foreignKey({ name: 'credit_notes_created_by_fk', columns: [t.created_by], foreignColumns: [users.id] }).onDelete('set null'),
    // CN/26-27/000001: its financial year and sequence, 15 characters (GST Rule 46: at most 16 of A-Z, 0-9, / and -).
    check('credit_notes_number_derived', sql`${t.number} = 'CN/' || ${t.financial_year} || '/' || lpad(${t.seq}::text, 6, '0') and ${t.number} ~ '^[A-Z0-9/-]{1,16}$'`),
    check('credit_notes_seq_range', sql`${t.seq} between 1 and 999999`),
    check(
      'credit_notes_financial_year_of_date',
      sql`${t.financial_year} = lpad((extract(year from ${t.note_date} - interval '3 months')::int % 100)::text, 2, '0') || '-' || lpad(((extract(year from ${t.note_date} - interval '3 months')::int + 1) % 100)::text, 2, '0')`,
    ),
    check('credit_notes_credit_reason', sql`${t.reason} in ('short_delivery', 'spoilt_product', 'billing_error')`),
    check('credit_notes_amounts_valid', sql`${t.taxable_paise} >= 0 and ${t.exempt_paise} >= 0 and ${t.cgst_paise} >= 0 and ${t.sgst_paise} >= 0 and ${t.total_paise} > 0 and ${t.total_paise} <= 1000000000`),
    check('credit_notes_total_exact', sql`${t.total_paise} = ${t.taxable_paise} + ${t.exempt_paise} + ${t.cgst_paise} + ${t.sgst_paise}`),
    check('credit_notes_note_length', sql`length(${t.note}) <= 1000`),
    check('credit_notes_date_range', sql`${t.note_date} between '2000-01-01' and '2100-12-31' and ${t.note_date} >= ${t.invoice_date}`),
    index('credit_notes_invoice_idx').on(t.invoice_id),
    index('credit_notes_customer_date_idx').on(t.customer_id, t.note_date),
    index('credit_notes_date_idx').on(t.note_date, t.id),
    index('credit_notes_created_idx').on(t.created_at, t.id),
    index('credit_notes_total_idx').on(t.total_paise, t.id),
    index('credit_notes_reason_idx').on(t.reason, t.created_at),
    index('credit_notes_number_trgm_idx').using('gin', t.number.op('gin_trgm_ops')),
  ],
);

/** A line of a credit note: the part of one invoice line it reverses, tax and all. */
export const creditNoteLines = pgTable(
  'credit_note_lines',
  {
    id: id(),
    credit_note_id: uuid('credit_note_id').notNull(),
    invoice_line_id: uuid('invoice_line_id').notNull(),
    description: text('description').notNull(),
    hsn_code: text('hsn_code').notNull(),
    unit: text('unit').notNull(),
    gst_rate_bp: integer('gst_rate_bp').notNull(),
    taxable_paise: bigint('taxable_paise', { mode: 'number' }).notNull(),
    cgst_paise: bigint('cgst_paise', { mode: 'number' }).notNull(),
    sgst_paise: bigint('sgst_paise', { mode: 'number' }).notNull(),
    total_paise: bigint('total_paise', { mode: 'number' }).notNull(),
    created_at: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'credit_note_lines_note_fk', columns: [t.credit_note_id], foreignColumns: [creditNotes.id] }).onDelete('restrict'),
    foreignKey({ name: 'credit_note_lines_invoice_line_fk', columns: [t.invoice_line_id], foreignColumns: [invoiceLines.id] }).onDelete('restrict'),
    foreignKey({ name: 'credit_note_lines_gst_rate_fk', columns: [t.gst_rate_bp], foreignColumns: [gstRates.rate_bp] }).onDelete('restrict'),
    check('credit_note_lines_amounts_valid', sql`${t.taxable_paise} >= 0 and ${t.cgst_paise} >= 0 and ${t.sgst_paise} >= 0 and ${t.total_paise} > 0`),
    check('credit_note_lines_total_exact', sql`${t.total_paise} = ${t.taxable_paise} + ${t.cgst_paise} + ${t.sgst_paise}`),
    index('credit_note_lines_note_idx').on(t.credit_note_id),
    index('credit_note_lines_invoice_line_idx').on(t.invoice_line_id),
  ],
);

/** Gapless numbering of credit notes: the next number of each financial year, taken under its row lock. */
export const creditNoteSeries = pgTable(
  'credit_note_series',
  {
    financial_year: text('financial_year').primaryKey(),
    next_seq: integer('next_seq').notNull().default(1),
  },
  (t) => [check('credit_note_series_next_range', sql`${t.next_seq} between 1 and 1000000`)],
);
