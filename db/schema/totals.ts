import { bigint, date, integer, pgTable, primaryKey, smallint, text, unique, uuid } from 'drizzle-orm/pg-core';
import { shift } from './subscriptions.js';

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

// The analytics charts' figures (migration analytics_totals), kept the same way: by the triggers that keep the
// dashboard's, each chart then reads a few thousand rows for a quarter instead of millions of records and deliveries.
// The zone is the customer's zone now: moving a customer to another zone moves their rows (customers_zone_keeps_totals).
// The view analytics_totals_drift recounts them and data health reports any difference.

/** Billing records by service date and zone: how many, their value, and the orders they bill (revenue by day of a zone). */
export const billingZoneDayTotals = pgTable(
  'billing_zone_day_totals',
  {
    service_date: date('service_date', { mode: 'string' }).notNull(),
    zone_id: uuid('zone_id').notNull(),
    slot: smallint('slot').notNull(),
    records: integer('records').notNull().default(0),
    amount_paise: bigint('amount_paise', { mode: 'number' }).notNull().default(0),
    /** Orders with at least one billing record of this day. */
    orders: integer('orders').notNull().default(0),
  },
  (t) => [primaryKey({ name: 'billing_zone_day_totals_pkey', columns: [t.service_date, t.zone_id, t.slot] })],
);

/** Billing records by service date, zone, product and the order's shift: units and value (products by shift, top products). */
export const billingProductDayTotals = pgTable(
  'billing_product_day_totals',
  {
    service_date: date('service_date', { mode: 'string' }).notNull(),
    zone_id: uuid('zone_id').notNull(),
    product_id: uuid('product_id').notNull(),
    shift: shift('shift').notNull(),
    slot: smallint('slot').notNull(),
    records: integer('records').notNull().default(0),
    units: bigint('units', { mode: 'number' }).notNull().default(0),
    amount_paise: bigint('amount_paise', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ name: 'billing_product_day_totals_pkey', columns: [t.service_date, t.zone_id, t.product_id, t.shift, t.slot] })],
);

/**
 * The days of a month on which a customer was billed for a product: bit d-1 of `days` for day d. Customers billed in a
 * range (distinct, which no per-day total can add up) are those with a bit in it: one row per customer and product a
 * month instead of a record a day. Not split into slots: only that customer's own confirmations write the row.
 */
export const customerBilledDays = pgTable(
  'customer_billed_days',
  {
    month: date('month', { mode: 'string' }).notNull(),
    customer_id: uuid('customer_id').notNull(),
    product_id: uuid('product_id').notNull(),
    days: integer('days').notNull(),
  },
  (t) => [primaryKey({ name: 'customer_billed_days_pkey', columns: [t.month, t.customer_id, t.product_id] })],
);

/**
 * Deliveries by order date and zone and outcome, those of cancelled orders included (the charts count every delivery):
 * delivered splits into on time (on the order's day) and late (after it).
 */
export const deliveryZoneDayCounts = pgTable(
  'delivery_zone_day_counts',
  {
    order_date: date('order_date', { mode: 'string' }).notNull(),
    zone_id: uuid('zone_id').notNull(),
    slot: smallint('slot').notNull(),
    pending: integer('pending').notNull().default(0),
    delivered: integer('delivered').notNull().default(0),
    on_time: integer('on_time').notNull().default(0),
    late: integer('late').notNull().default(0),
    partial: integer('partial').notNull().default(0),
    failed: integer('failed').notNull().default(0),
  },
  (t) => [primaryKey({ name: 'delivery_zone_day_counts_pkey', columns: [t.order_date, t.zone_id, t.slot] })],
);

/**
 * Deliveries made or failed by order date, zone, staff member and failure reason (the staff performance and failure
 * reasons charts), those of cancelled orders included as in delivery_zone_day_counts; pending ones are not counted.
 * `staff_id` is null for deliveries nobody was assigned; `failure_reason` is the trimmed reason of failed deliveries,
 * null for the others. Moved with a delivery that changes staff (a reassignment, a staff member deleted) or with a
 * customer who changes zone.
 */
export const deliveryStaffDayCounts = pgTable(
  'delivery_staff_day_counts',
  {
    order_date: date('order_date', { mode: 'string' }).notNull(),
    zone_id: uuid('zone_id').notNull(),
    staff_id: uuid('staff_id'),
    failure_reason: text('failure_reason'),
    slot: smallint('slot').notNull(),
    delivered: integer('delivered').notNull().default(0),
    on_time: integer('on_time').notNull().default(0),
    partial: integer('partial').notNull().default(0),
    failed: integer('failed').notNull().default(0),
  },
  // Unassigned deliveries and those with no failure reason are one key each (nulls not distinct), as group by sees them.
  (t) => [unique('delivery_staff_day_counts_key').on(t.order_date, t.zone_id, t.staff_id, t.failure_reason, t.slot).nullsNotDistinct()],
);
