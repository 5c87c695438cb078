import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, pgEnum, pgTable, text, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';
import { users } from './access.js';
import { addresses, customers } from './customers.js';
import { products } from './catalog.js';
import { shift, subscriptions } from './subscriptions.js';

export const orderKind = pgEnum('order_kind', ['subscription', 'one_time']);
export const orderStatus = pgEnum('order_status', ['pending', 'delivered', 'partially_delivered', 'failed', 'cancelled']);
export const paymentMethod = pgEnum('payment_method', ['postpaid', 'cash', 'upi', 'card', 'wallet']);

export const orders = pgTable(
  'orders',
  {
    id: id(),
    customer_id: uuid('customer_id').notNull(),
    address_id: uuid('address_id').notNull(),
    kind: orderKind('kind').notNull(),
    subscription_id: uuid('subscription_id'),
    delivery_date: date('delivery_date', { mode: 'string' }).notNull(),
    shift: shift('shift').notNull().default('morning'),
    status: orderStatus('status').notNull().default('pending'),
    payment_method: paymentMethod('payment_method').notNull().default('postpaid'),
    total_paise: integer('total_paise').notNull().default(0),
    note: text('note').notNull().default(''),
    created_by: uuid('created_by'),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    foreignKey({ name: 'orders_customer_id_fk', columns: [t.customer_id], foreignColumns: [customers.id] }).onDelete('restrict'),
    // The delivery address is one of this customer's addresses.
    foreignKey({ name: 'orders_customer_address_fk', columns: [t.customer_id, t.address_id], foreignColumns: [addresses.customer_id, addresses.id] }).onDelete('restrict'),
    // A subscription order belongs to the subscription's own customer.
    foreignKey({ name: 'orders_subscription_customer_fk', columns: [t.subscription_id, t.customer_id], foreignColumns: [subscriptions.id, subscriptions.customer_id] }).onDelete('restrict'),
    foreignKey({ name: 'orders_created_by_fk', columns: [t.created_by], foreignColumns: [users.id] }).onDelete('set null'),
    check('orders_kind_subscription', sql`(${t.kind} = 'subscription') = (${t.subscription_id} is not null)`),
    check('orders_total_nonnegative', sql`${t.total_paise} >= 0`),
    // Business bounds (migration 0011): Rs 10 lakh an order; the API's one date range.
    check('orders_total_max', sql`${t.total_paise} <= 100000000`),
    check('orders_date_range', sql`${t.delivery_date} between '2000-01-01' and '2100-12-31'`),
    // Generating a day's orders twice creates nothing new.
    uniqueIndex('orders_subscription_date_shift_key').on(t.subscription_id, t.delivery_date, t.shift),
    unique('orders_id_date_key').on(t.id, t.delivery_date),
    unique('orders_id_customer_key').on(t.id, t.customer_id),
    index('orders_date_status_idx').on(t.delivery_date, t.status),
    // The orders list filtered by status, newest first (the admin's default "pending" view): reads the first page
    // straight off the index and counts the status's rows index-only (npm run bench, GET /api/orders).
    index('orders_status_date_idx').on(t.status, t.delivery_date.desc().nullsFirst(), t.id),
    index('orders_customer_date_idx').on(t.customer_id, t.delivery_date),
    // The whole list's sortable columns, each with id so a page in either direction reads straight off the index.
    index('orders_created_idx').on(t.created_at, t.id),
    index('orders_date_id_idx').on(t.delivery_date, t.id),
    index('orders_total_idx').on(t.total_paise, t.id),
    // The forecast's expected one-time demand reads the one-time orders of 56 past days (api/modules/inventory/forecast):
    // a few among millions of subscription orders, found here without the planner scanning them all.
    index('orders_one_time_date_idx').on(t.delivery_date).where(sql`${t.kind} = 'one_time' and ${t.status} <> 'cancelled'`),
    // q searches notes by trigrams (ILIKE '%word%'); most orders have none, so only those with one are indexed.
    index('orders_note_trgm_idx').using('gin', t.note.op('gin_trgm_ops')).where(sql`${t.note} <> ''`),
  ],
);

export const orderItems = pgTable(
  'order_items',
  {
    id: id(),
    order_id: uuid('order_id').notNull(),
    product_id: uuid('product_id').notNull(),
    quantity: integer('quantity').notNull(),
    unit_price_paise: integer('unit_price_paise').notNull(),
    created_at: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'order_items_order_id_fk', columns: [t.order_id], foreignColumns: [orders.id] }).onDelete('cascade'),
    foreignKey({ name: 'order_items_product_id_fk', columns: [t.product_id], foreignColumns: [products.id] }).onDelete('restrict'),
    uniqueIndex('order_items_order_product_key').on(t.order_id, t.product_id),
    // Targets of delivery_items' composite FKs: the item is of this order, and its ordered quantity caps the delivered one.
    unique('order_items_order_id_id_key').on(t.order_id, t.id),
    unique('order_items_id_quantity_key').on(t.id, t.quantity),
    check('order_items_quantity_positive', sql`${t.quantity} > 0`),
    check('order_items_unit_price_nonnegative', sql`${t.unit_price_paise} >= 0`),
    check('order_items_bounds', sql`${t.quantity} <= 1000 and ${t.unit_price_paise} <= 10000000`),
  ],
);
