import { bigint, date, integer, pgTable, primaryKey, smallint, uuid } from 'drizzle-orm/pg-core';

// The dashboard's figures, kept per day by triggers on the rows they count (migration dashboard_totals), so the start page reads a
// few hundred rows instead of aggregating a month of billing records. Derived data: the view dashboard_totals_drift
// recounts them from the rows, and data health (`npm run check`) reports any difference.
//
// Each day is split into `slot`s (the writing backend's pid modulo 16): concurrent confirmations of the same day
// update different rows instead of queueing on one row lock until commit. Only a day's sum over its slots means
// anything; a single slot may be negative (a delivery counted pending in one slot and confirmed in another).

/** Deliveries by order date and status, leaving out deliveries of cancelled orders (as the dashboard does). */
export const deliveryDayCounts = pgTable(
  'delivery_day_counts',
  {
    order_date: date('order_date', { mode: 'string' }).notNull(),
    slot: smallint('slot').notNull(),
    pending: integer('pending').notNull().default(0),
    delivered: integer('delivered').notNull().default(0),
    partial: integer('partial').notNull().default(0),
    failed: integer('failed').notNull().default(0),
  },
  (t) => [primaryKey({ name: 'delivery_day_counts_pkey', columns: [t.order_date, t.slot] })],
);

/** Billing records by service date: all of them, the orders they bill, and those on no invoice yet (not legacy-billed). */
export const billingDayTotals = pgTable(
  'billing_day_totals',
  {
    service_date: date('service_date', { mode: 'string' }).notNull(),
    slot: smallint('slot').notNull(),
    records: integer('records').notNull().default(0),
    amount_paise: bigint('amount_paise', { mode: 'number' }).notNull().default(0),
    /** Orders with at least one billing record of this day (the dashboard's deliveries per day). */
    orders: integer('orders').notNull().default(0),
    unbilled_records: integer('unbilled_records').notNull().default(0),
    unbilled_paise: bigint('unbilled_paise', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ name: 'billing_day_totals_pkey', columns: [t.service_date, t.slot] })],
);

/** Billing records on no invoice yet (not legacy-billed), per customer: the dashboard counts customers with any. */
// No foreign key: a customer with billing records cannot be deleted, and a row left over would show as drift.
export const customerUnbilled = pgTable('customer_unbilled', {
  customer_id: uuid('customer_id').primaryKey(),
  records: integer('records').notNull().default(0),
});

/** Issued (not void) invoices by invoice date. */
export const invoiceDayTotals = pgTable(
  'invoice_day_totals',
  {
    invoice_date: date('invoice_date', { mode: 'string' }).notNull(),
    slot: smallint('slot').notNull(),
    issued: integer('issued').notNull().default(0),
    issued_paise: bigint('issued_paise', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ name: 'invoice_day_totals_pkey', columns: [t.invoice_date, t.slot] })],
);
