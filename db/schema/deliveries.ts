import { sql } from 'drizzle-orm';
import { check, date, doublePrecision, foreignKey, index, integer, pgEnum, pgTable, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';
import { users } from './access.js';
import { orderItems, orders } from './orders.js';
import { staff } from './staff.js';

export const deliveryStatus = pgEnum('delivery_status', ['pending', 'delivered', 'partial', 'failed']);

/** Whose fault a failed delivery was: only the staff's costs them a deduction (their rate card's). */
export const failureFault = pgEnum('failure_fault', ['staff', 'customer', 'business']);

/** Reason codes for a failed delivery, as data: each says whose fault it was (staff earnings read it). */
export const failureReasons = pgTable(
  'failure_reasons',
  {
    code: text('code').primaryKey(),
    label: text('label').notNull(),
    fault: failureFault('fault').notNull(),
    created_at: createdAt(),
  },
  (t) => [
    check('failure_reasons_code_format', sql`${t.code} ~ '^[a-z][a-z0-9_]{1,39}$'`),
    check('failure_reasons_label_length', sql`length(trim(${t.label})) between 3 and 120`),
  ],
);

export const deliveries = pgTable(
  'deliveries',
  {
    id: id(),
    // UNIQUE: an order has one delivery, so it can never be delivered twice.
    order_id: uuid('order_id').notNull(),
    order_date: date('order_date', { mode: 'string' }).notNull(),
    staff_id: uuid('staff_id'),
    status: deliveryStatus('status').notNull().default('pending'),
    delivered_at: timestamp('delivered_at', { withTimezone: true, mode: 'date' }),
    delivered_on: date('delivered_on', { mode: 'string' }),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    proof_note: text('proof_note').notNull().default(''),
    failure_reason: text('failure_reason'),
    /** The reason's code (failure_reasons), when one was chosen: it says whose fault the failure was. */
    failure_code: text('failure_code'),
    confirmed_by: uuid('confirmed_by'),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    uniqueIndex('deliveries_order_id_key').on(t.order_id),
    // The order's date rides along (composite FK) so a CHECK can refuse a delivery before it.
    foreignKey({ name: 'deliveries_order_fk', columns: [t.order_id, t.order_date], foreignColumns: [orders.id, orders.delivery_date] }).onDelete('restrict').onUpdate('cascade'),
    foreignKey({ name: 'deliveries_staff_id_fk', columns: [t.staff_id], foreignColumns: [staff.id] }).onDelete('set null'),
    foreignKey({ name: 'deliveries_failure_code_fk', columns: [t.failure_code], foreignColumns: [failureReasons.code] }).onDelete('restrict'),
    check('deliveries_failure_code_when_failed', sql`${t.failure_code} is null or ${t.status} = 'failed'`),
    foreignKey({ name: 'deliveries_confirmed_by_fk', columns: [t.confirmed_by], foreignColumns: [users.id] }).onDelete('set null'),
    unique('deliveries_id_order_key').on(t.id, t.order_id),
    check('deliveries_not_before_order', sql`${t.delivered_on} is null or ${t.delivered_on} >= ${t.order_date}`),
    check(
      'deliveries_outcome_consistent',
      sql`(${t.status} = 'pending' and ${t.delivered_at} is null and ${t.delivered_on} is null and ${t.failure_reason} is null)
       or (${t.status} in ('delivered', 'partial') and ${t.delivered_at} is not null and ${t.delivered_on} is not null and ${t.failure_reason} is null)
       or (${t.status} = 'failed' and ${t.delivered_at} is not null and ${t.delivered_on} is not null and length(trim(coalesce(${t.failure_reason}, ''))) > 0)`,
    ),
    check('deliveries_lat_range', sql`${t.lat} is null or ${t.lat} between -90 and 90`),
    check('deliveries_lng_range', sql`${t.lng} is null or ${t.lng} between -180 and 180`),
    index('deliveries_staff_date_idx').on(t.staff_id, t.order_date),
    index('deliveries_date_status_idx').on(t.order_date, t.status),
    // The list by order date, either direction (id breaks ties in the same direction).
    index('deliveries_date_id_idx').on(t.order_date, t.id),
    // A status's deliveries, newest first (the list by status, the orders list by delivery_status): pending ones are
    // a day's, failed and partial a few in a hundred, so walking the date index or the table to find them reads
    // every delivery.
    index('deliveries_status_date_idx').on(t.status, t.order_date, t.id),
    // Filters by when a delivery was made (the list's delivered_on and delivered_at filters). Partial: pending
    // deliveries (a day's generation inserts fifty thousand) have neither and are not indexed.
    index('deliveries_delivered_on_idx').on(t.delivered_on).where(sql`${t.delivered_on} is not null`),
    index('deliveries_delivered_at_idx').on(t.delivered_at).where(sql`${t.delivered_at} is not null`),
  ],
);

export const deliveryItems = pgTable(
  'delivery_items',
  {
    id: id(),
    delivery_id: uuid('delivery_id').notNull(),
    order_id: uuid('order_id').notNull(),
    order_item_id: uuid('order_item_id').notNull(),
    ordered_quantity: integer('ordered_quantity').notNull(),
    quantity: integer('quantity').notNull(),
    created_at: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'delivery_items_delivery_fk', columns: [t.delivery_id, t.order_id], foreignColumns: [deliveries.id, deliveries.order_id] }).onDelete('restrict'),
    foreignKey({ name: 'delivery_items_order_item_fk', columns: [t.order_id, t.order_item_id], foreignColumns: [orderItems.order_id, orderItems.id] }).onDelete('restrict'),
    foreignKey({ name: 'delivery_items_ordered_quantity_fk', columns: [t.order_item_id, t.ordered_quantity], foreignColumns: [orderItems.id, orderItems.quantity] }).onDelete('restrict'),
    uniqueIndex('delivery_items_order_item_key').on(t.order_item_id),
    // Target of billing_records' composite FK: the billed quantity is the delivered quantity.
    unique('delivery_items_id_quantity_key').on(t.id, t.quantity),
    check('delivery_items_quantity_range', sql`${t.quantity} >= 0 and ${t.quantity} <= ${t.ordered_quantity}`),
    index('delivery_items_delivery_idx').on(t.delivery_id),
  ],
);
