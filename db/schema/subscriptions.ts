import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, pgEnum, pgTable, smallint, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';
import { addresses, customers } from './customers.js';
import { products } from './catalog.js';

export const scheduleKind = pgEnum('schedule_kind', ['daily', 'alternate', 'weekdays']);
export const shift = pgEnum('shift', ['morning', 'evening']);
export const subscriptionStatus = pgEnum('subscription_status', ['active', 'cancelled']);

export const subscriptions = pgTable(
  'subscriptions',
  {
    id: id(),
    customer_id: uuid('customer_id').notNull(),
    address_id: uuid('address_id').notNull(),
    product_id: uuid('product_id').notNull(),
    quantity: integer('quantity').notNull(),
    schedule: scheduleKind('schedule').notNull(),
    // ISO weekdays as a bit mask (bit 1 = Monday ... bit 7 = Sunday), used when schedule = 'weekdays'.
    weekdays: smallint('weekdays').notNull().default(0),
    shift: shift('shift').notNull().default('morning'),
    start_date: date('start_date', { mode: 'string' }).notNull(),
    end_date: date('end_date', { mode: 'string' }),
    status: subscriptionStatus('status').notNull().default('active'),
    cancelled_at: timestamp('cancelled_at', { withTimezone: true, mode: 'date' }),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    // The address must be one of this customer's addresses.
    foreignKey({ name: 'subscriptions_customer_address_fk', columns: [t.customer_id, t.address_id], foreignColumns: [addresses.customer_id, addresses.id] }).onDelete('restrict'),
    foreignKey({ name: 'subscriptions_customer_id_fk', columns: [t.customer_id], foreignColumns: [customers.id] }).onDelete('restrict'),
    foreignKey({ name: 'subscriptions_product_id_fk', columns: [t.product_id], foreignColumns: [products.id] }).onDelete('restrict'),
    // Target of orders' composite FK: a subscription order belongs to the subscription's customer.
    unique('subscriptions_id_customer_key').on(t.id, t.customer_id),
    check('subscriptions_quantity_positive', sql`${t.quantity} > 0 and ${t.quantity} <= 100`),
    // Business bounds (migration 0011): the API's one date range.
    check('subscriptions_date_range', sql`${t.start_date} >= '2000-01-01' and coalesce(${t.end_date}, ${t.start_date}) <= '2100-12-31' and ${t.start_date} <= '2100-12-31'`),
    check('subscriptions_end_after_start', sql`${t.end_date} is null or ${t.end_date} >= ${t.start_date}`),
    check('subscriptions_weekdays_valid', sql`(${t.schedule} = 'weekdays') = (${t.weekdays} <> 0) and ${t.weekdays} between 0 and 254 and ${t.weekdays} % 2 = 0`),
    check('subscriptions_cancelled_consistent', sql`(${t.status} = 'cancelled') = (${t.cancelled_at} is not null)`),
    index('subscriptions_customer_idx').on(t.customer_id),
    index('subscriptions_active_idx').on(t.shift, t.start_date).where(sql`${t.status} = 'active'`),
  ],
);

// Overlapping pauses of one subscription are refused by an exclusion constraint (migration chain_triggers).
export const subscriptionPauses = pgTable(
  'subscription_pauses',
  {
    id: id(),
    subscription_id: uuid('subscription_id').notNull(),
    from_date: date('from_date', { mode: 'string' }).notNull(),
    to_date: date('to_date', { mode: 'string' }).notNull(),
    reason: text('reason').notNull().default(''),
    created_at: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'subscription_pauses_subscription_id_fk', columns: [t.subscription_id], foreignColumns: [subscriptions.id] }).onDelete('cascade'),
    check('subscription_pauses_range_valid', sql`${t.to_date} >= ${t.from_date}`),
    check('subscription_pauses_date_range', sql`${t.from_date} >= '2000-01-01' and ${t.to_date} <= '2100-12-31'`),
    index('subscription_pauses_subscription_idx').on(t.subscription_id),
  ],
);

// A one-day change of quantity: 2 packets on Sunday the 12th, or 0 (skip) on the 15th.
export const subscriptionOverrides = pgTable(
  'subscription_overrides',
  {
    id: id(),
    subscription_id: uuid('subscription_id').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    quantity: integer('quantity').notNull(),
    created_at: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'subscription_overrides_subscription_id_fk', columns: [t.subscription_id], foreignColumns: [subscriptions.id] }).onDelete('cascade'),
    uniqueIndex('subscription_overrides_subscription_date_key').on(t.subscription_id, t.date),
    check('subscription_overrides_quantity_range', sql`${t.quantity} >= 0 and ${t.quantity} <= 100`),
    check('subscription_overrides_date_range', sql`${t.date} between '2000-01-01' and '2100-12-31'`),
  ],
);
