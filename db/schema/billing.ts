import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, foreignKey, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';
import { users } from './access.js';
import { customers } from './customers.js';
import { gstRates, products } from './catalog.js';
import { deliveryItems } from './deliveries.js';
import { orders } from './orders.js';

/** What an invoice prints about its issuer (GST Rule 46), copied from the settings at issue. */
export interface SupplierBlock {
  name: string;
  address_lines: string[];
  gstin: string;
  pan: string;
  state: string;
  state_code: string;
  phone: string;
  email: string;
  upi_id: string;
}

export const invoiceKind = pgEnum('invoice_kind', ['tax_invoice', 'bill_of_supply', 'invoice_cum_bill_of_supply']);
export const invoiceStatus = pgEnum('invoice_status', ['issued', 'void']);
/** How much of an issued invoice is settled (a void one has none: null). */
export const invoicePaymentStatus = pgEnum('invoice_payment_status', ['unpaid', 'partially_paid', 'paid']);

export const invoices = pgTable(
  'invoices',
  {
    id: id(),
    number: text('number').notNull(),
    series: text('series').notNull(),
    financial_year: text('financial_year').notNull(),
    seq: integer('seq').notNull(),
    kind: invoiceKind('kind').notNull(),
    status: invoiceStatus('status').notNull().default('issued'),
    customer_id: uuid('customer_id').notNull(),
    period_start: date('period_start', { mode: 'string' }).notNull(),
    period_end: date('period_end', { mode: 'string' }).notNull(),
    issued_at: timestamp('issued_at', { withTimezone: true, mode: 'date' }).defaultNow().notNull(),
    invoice_date: date('invoice_date', { mode: 'string' }).notNull(),
    due_date: date('due_date', { mode: 'string' }).notNull(),
    place_of_supply: text('place_of_supply').notNull(),
    // The supplier block as it was when the invoice was issued (settings at that moment): the PDF prints this.
    supplier: jsonb('supplier').$type<SupplierBlock>().notNull(),
    taxable_paise: integer('taxable_paise').notNull(),
    exempt_paise: integer('exempt_paise').notNull(),
    cgst_paise: integer('cgst_paise').notNull(),
    sgst_paise: integer('sgst_paise').notNull(),
    total_paise: integer('total_paise').notNull(),
    // Settled by payment allocations and wallet credit (payment_allocations), kept by its triggers in the same
    // transaction; credited_paise is for credit notes (issue 12, later). Both are the only columns an issued invoice
    // lets change, and only from those triggers (invoices_guard).
    paid_paise: bigint('paid_paise', { mode: 'number' }).notNull().default(0),
    credited_paise: bigint('credited_paise', { mode: 'number' }).notNull().default(0),
    // Derived by PostgreSQL on every write, so the invoices list filters and sorts them like any column.
    balance_due_paise: bigint('balance_due_paise', { mode: 'number' })
      .notNull()
      .generatedAlwaysAs(sql`case when status = 'void' then 0 else total_paise - paid_paise - credited_paise end`),
    payment_status: invoicePaymentStatus('payment_status').generatedAlwaysAs(
      sql`case when status = 'void' then null::invoice_payment_status when paid_paise + credited_paise >= total_paise then 'paid'::invoice_payment_status when paid_paise + credited_paise > 0 then 'partially_paid'::invoice_payment_status else 'unpaid'::invoice_payment_status end`,
    ),
    run_id: uuid('run_id'),
    replaces_invoice_id: uuid('replaces_invoice_id'),
    void_reason: text('void_reason'),
    voided_at: timestamp('voided_at', { withTimezone: true, mode: 'date' }),
    voided_by: uuid('voided_by'),
    created_by: uuid('created_by'),
    created_at: createdAt(),
  },
  (t) => [
    uniqueIndex('invoices_number_key').on(t.number),
    // Invoice numbers are searched in part ("000123"): trigrams.
    index('invoices_number_trgm_idx').using('gin', t.number.op('gin_trgm_ops')),
    unique('invoices_series_year_seq_key').on(t.series, t.financial_year, t.seq),
    foreignKey({ name: 'invoices_customer_id_fk', columns: [t.customer_id], foreignColumns: [customers.id] }).onDelete('restrict'),
    foreignKey({ name: 'invoices_replaces_fk', columns: [t.replaces_invoice_id], foreignColumns: [t.id] }).onDelete('restrict'),
    foreignKey({ name: 'invoices_voided_by_fk', columns: [t.voided_by], foreignColumns: [users.id] }).onDelete('restrict'),
    foreignKey({ name: 'invoices_created_by_fk', columns: [t.created_by], foreignColumns: [users.id] }).onDelete('set null'),
    // GST Rule 46: at most 16 characters of A-Z, 0-9, '/' and '-', unique within the financial year.
    check('invoices_number_format', sql`${t.number} ~ '^[A-Z0-9/-]{1,16}$'`),
    check('invoices_seq_positive', sql`${t.seq} > 0`),
    // Business bounds (migration 0011): six-digit numbers, Rs 1 crore an invoice, the API's one date range.
    check('invoices_seq_max', sql`${t.seq} <= 999999`),
    check('invoices_total_max', sql`${t.total_paise} <= 1000000000`),
    check('invoices_date_range', sql`${t.invoice_date} between '2000-01-01' and '2100-12-31' and ${t.period_start} >= '2000-01-01' and ${t.due_date} <= '2100-12-31'`),
    check('invoices_financial_year_format', sql`${t.financial_year} ~ '^[0-9]{2}-[0-9]{2}$'`),
    check('invoices_amounts_nonnegative', sql`${t.taxable_paise} >= 0 and ${t.exempt_paise} >= 0 and ${t.cgst_paise} >= 0 and ${t.sgst_paise} >= 0`),
    check('invoices_total_exact', sql`${t.total_paise} = ${t.taxable_paise} + ${t.exempt_paise} + ${t.cgst_paise} + ${t.sgst_paise}`),
    check('invoices_period_valid', sql`${t.period_end} >= ${t.period_start} and ${t.due_date} >= ${t.invoice_date}`),
    check(
      'invoices_supplier_block',
      sql`jsonb_typeof(${t.supplier}) = 'object' and ${t.supplier} ?& array['name', 'address_lines', 'gstin', 'pan', 'state', 'state_code', 'phone', 'email', 'upi_id']`,
    ),
    check('invoices_void_consistent', sql`(${t.status} = 'void') = (${t.voided_at} is not null and ${t.void_reason} is not null)`),
    check('invoices_issued_not_voided', sql`${t.status} = 'void' or (${t.void_reason} is null and ${t.voided_at} is null and ${t.voided_by} is null)`),
    // The number is derived from (series, financial year, seq), and the year is the invoice date's (from 1 April).
    check('invoices_number_derived', sql`${t.number} = ${t.series} || '/' || ${t.financial_year} || '/' || lpad(${t.seq}::text, 6, '0')`),
    check(
      'invoices_financial_year_of_date',
      sql`${t.financial_year} = lpad((extract(year from ${t.invoice_date} - interval '3 months')::int % 100)::text, 2, '0') || '-' || lpad(((extract(year from ${t.invoice_date} - interval '3 months')::int + 1) % 100)::text, 2, '0')`,
    ),
    index('invoices_customer_period_idx').on(t.customer_id, t.period_start),
    index('invoices_issued_idx').on(t.issued_at),
    // A month's invoices by their date: the GST report and the finance registers (issue 14).
    index('invoices_invoice_date_idx').on(t.invoice_date, t.series, t.seq),
    // Target of the composite foreign keys of payment allocations: an allocation's invoice is its customer's.
    unique('invoices_id_customer_key').on(t.id, t.customer_id),
    // Money in never exceeds what is billed; a void invoice holds none (its allocations are reversed first).
    check('invoices_paid_within_total', sql`${t.paid_paise} >= 0 and ${t.credited_paise} >= 0 and ${t.paid_paise} + ${t.credited_paise} <= ${t.total_paise}`),
    check('invoices_void_unpaid', sql`${t.status} = 'issued' or (${t.paid_paise} = 0 and ${t.credited_paise} = 0)`),
    // Open invoices by customer and due date: per-customer balances, receivables aging, oldest-first allocation.
    index('invoices_open_idx').on(t.customer_id, t.due_date).where(sql`${t.status} = 'issued' and ${t.balance_due_paise} > 0`),
    // The invoices list sorts by these (id breaks ties in the same direction).
    index('invoices_balance_due_idx').on(t.balance_due_paise, t.id),
    index('invoices_paid_idx').on(t.paid_paise, t.id),
    index('invoices_payment_status_idx').on(t.payment_status, t.issued_at),
    index('invoices_payment_status_id_idx').on(t.payment_status, t.id),
  ],
);

export const billingSource = pgEnum('billing_source', ['delivery', 'legacy_import']);

// One row per delivered item, written in the delivery's transaction; amounts are integer paise.
export const billingRecords = pgTable(
  'billing_records',
  {
    id: id(),
    delivery_item_id: uuid('delivery_item_id').notNull(),
    quantity: integer('quantity').notNull(),
    customer_id: uuid('customer_id').notNull(),
    order_id: uuid('order_id').notNull(),
    product_id: uuid('product_id').notNull(),
    service_date: date('service_date', { mode: 'string' }).notNull(),
    unit_price_paise: integer('unit_price_paise').notNull(),
    hsn_code: text('hsn_code').notNull(),
    gst_rate_bp: integer('gst_rate_bp').notNull(),
    taxable_paise: integer('taxable_paise').notNull(),
    cgst_paise: integer('cgst_paise').notNull(),
    sgst_paise: integer('sgst_paise').notNull(),
    total_paise: integer('total_paise').notNull(),
    source: billingSource('source').notNull().default('delivery'),
    // Billed by the old system before the import: never put on a Milkrun invoice.
    legacy_billed: boolean('legacy_billed').notNull().default(false),
    invoice_id: uuid('invoice_id'),
    created_at: createdAt(),
  },
  (t) => [
    uniqueIndex('billing_records_delivery_item_key').on(t.delivery_item_id),
    foreignKey({ name: 'billing_records_delivery_item_fk', columns: [t.delivery_item_id, t.quantity], foreignColumns: [deliveryItems.id, deliveryItems.quantity] }).onDelete('restrict'),
    foreignKey({ name: 'billing_records_order_customer_fk', columns: [t.order_id, t.customer_id], foreignColumns: [orders.id, orders.customer_id] }).onDelete('restrict'),
    foreignKey({ name: 'billing_records_customer_id_fk', columns: [t.customer_id], foreignColumns: [customers.id] }).onDelete('restrict'),
    foreignKey({ name: 'billing_records_product_id_fk', columns: [t.product_id], foreignColumns: [products.id] }).onDelete('restrict'),
    foreignKey({ name: 'billing_records_invoice_id_fk', columns: [t.invoice_id], foreignColumns: [invoices.id] }).onDelete('restrict'),
    check('billing_records_quantity_positive', sql`${t.quantity} > 0`),
    check('billing_records_unit_price_nonnegative', sql`${t.unit_price_paise} >= 0`),
    check('billing_records_unit_price_max', sql`${t.unit_price_paise} <= 10000000`),
    foreignKey({ name: 'billing_records_gst_rate_fk', columns: [t.gst_rate_bp], foreignColumns: [gstRates.rate_bp] }).onDelete('restrict'),
    check('billing_records_taxable_exact', sql`${t.taxable_paise}::bigint = ${t.quantity}::bigint * ${t.unit_price_paise}`),
    // CGST and SGST are each half the rate, rounded half up to the paisa.
    check('billing_records_tax_exact', sql`${t.cgst_paise}::bigint = (${t.taxable_paise}::bigint * ${t.gst_rate_bp} + 10000) / 20000 and ${t.sgst_paise} = ${t.cgst_paise}`),
    check('billing_records_total_exact', sql`${t.total_paise} = ${t.taxable_paise} + ${t.cgst_paise} + ${t.sgst_paise}`),
    check('billing_records_legacy_not_invoiced', sql`not (${t.legacy_billed} and ${t.invoice_id} is not null)`),
    index('billing_records_customer_date_idx').on(t.customer_id, t.service_date),
    index('billing_records_unbilled_idx').on(t.service_date, t.customer_id).where(sql`${t.invoice_id} is null and not ${t.legacy_billed}`),
    index('billing_records_invoice_idx').on(t.invoice_id),
    // q finds products first, then their records (a product with few records must not mean reading them all).
    index('billing_records_product_date_idx').on(t.product_id, t.service_date),
    // The list by service date, either direction (id breaks ties in the same direction).
    index('billing_records_date_id_idx').on(t.service_date, t.id),
  ],
);

export const invoiceLines = pgTable(
  'invoice_lines',
  {
    id: id(),
    invoice_id: uuid('invoice_id').notNull(),
    product_id: uuid('product_id').notNull(),
    description: text('description').notNull(),
    hsn_code: text('hsn_code').notNull(),
    unit: text('unit').notNull(),
    quantity: integer('quantity').notNull(),
    unit_price_paise: integer('unit_price_paise').notNull(),
    gst_rate_bp: integer('gst_rate_bp').notNull(),
    taxable_paise: integer('taxable_paise').notNull(),
    cgst_paise: integer('cgst_paise').notNull(),
    sgst_paise: integer('sgst_paise').notNull(),
    total_paise: integer('total_paise').notNull(),
  },
  (t) => [
    foreignKey({ name: 'invoice_lines_invoice_id_fk', columns: [t.invoice_id], foreignColumns: [invoices.id] }).onDelete('restrict'),
    foreignKey({ name: 'invoice_lines_product_id_fk', columns: [t.product_id], foreignColumns: [products.id] }).onDelete('restrict'),
    foreignKey({ name: 'invoice_lines_gst_rate_fk', columns: [t.gst_rate_bp], foreignColumns: [gstRates.rate_bp] }).onDelete('restrict'),
    check('invoice_lines_quantity_positive', sql`${t.quantity} > 0`),
    check(
      'invoice_lines_bounds',
      sql`${t.quantity} <= 1000000 and ${t.unit_price_paise} between 0 and 10000000 and ${t.taxable_paise} >= 0 and ${t.cgst_paise} >= 0 and ${t.sgst_paise} >= 0`,
    ),
    check('invoice_lines_total_exact', sql`${t.total_paise} = ${t.taxable_paise} + ${t.cgst_paise} + ${t.sgst_paise}`),
    index('invoice_lines_invoice_idx').on(t.invoice_id),
  ],
);

// Gapless numbering: the next number of each series and financial year, taken under a row lock in the invoice's transaction.
export const documentSeries = pgTable(
  'document_series',
  {
    series: text('series').notNull(),
    financial_year: text('financial_year').notNull(),
    next_seq: integer('next_seq').notNull().default(1),
  },
  (t) => [primaryKey({ name: 'document_series_pkey', columns: [t.series, t.financial_year] }), check('document_series_next_positive', sql`${t.next_seq} > 0`), check('document_series_next_max', sql`${t.next_seq} <= 1000000`)],
);

export const invoiceRunStatus = pgEnum('invoice_run_status', ['running', 'completed', 'failed']);

export const invoiceRuns = pgTable(
  'invoice_runs',
  {
    id: id(),
    month: date('month', { mode: 'string' }).notNull(),
    customer_id: uuid('customer_id'),
    status: invoiceRunStatus('status').notNull().default('running'),
    total_customers: integer('total_customers').notNull().default(0),
    processed_customers: integer('processed_customers').notNull().default(0),
    invoices_created: integer('invoices_created').notNull().default(0),
    // bigint: a month's run of a large business passes 2^31 paise (about ₹2.1 crore).
    amount_paise: bigint('amount_paise', { mode: 'number' }).notNull().default(0),
    error: text('error'),
    started_by: uuid('started_by'),
    created_at: createdAt(),
    updated_at: updatedAt(),
    finished_at: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    foreignKey({ name: 'invoice_runs_customer_id_fk', columns: [t.customer_id], foreignColumns: [customers.id] }).onDelete('restrict'),
    foreignKey({ name: 'invoice_runs_started_by_fk', columns: [t.started_by], foreignColumns: [users.id] }).onDelete('set null'),
    check('invoice_runs_month_first_day', sql`extract(day from ${t.month}) = 1`),
    check('invoice_runs_month_range', sql`${t.month} between '2000-01-01' and '2100-12-01'`),
    check(
      'invoice_runs_counts_valid',
      sql`${t.amount_paise} >= 0 and ${t.total_customers} >= 0 and ${t.processed_customers} between 0 and ${t.total_customers} and ${t.invoices_created} between 0 and ${t.processed_customers}`,
    ),
    index('invoice_runs_created_idx').on(t.created_at),
  ],
);

// A retried request with the same Idempotency-Key gets the first answer instead of doing the work again.
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    key: text('key').notNull(),
    user_id: uuid('user_id').notNull(),
    scope: text('scope').notNull(),
    status: integer('status'),
    response: text('response'),
    created_at: createdAt(),
  },
  (t) => [primaryKey({ name: 'idempotency_keys_pkey', columns: [t.key, t.user_id] }), foreignKey({ name: 'idempotency_keys_user_id_fk', columns: [t.user_id], foreignColumns: [users.id] }).onDelete('cascade')],
);
