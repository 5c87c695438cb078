import { sql } from 'drizzle-orm';
import { bigint, check, date, foreignKey, index, integer, pgEnum, pgTable, primaryKey, smallint, text, time, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';
import { users } from './access.js';
import { customers } from './customers.js';
import { deliveries } from './deliveries.js';
import { invoices } from './billing.js';
import { orders } from './orders.js';

// Support's disputes (issue 13): a customer's complaint about a delivery, an order or an invoice of theirs, with a
// thread and a guarded state machine. The moves allowed are rows of dispute_transitions, enforced by the trigger
// disputes_guard (migration disputes), which also bumps `version` on every change (the API's optimistic lock).

export const disputeCategory = pgEnum('dispute_category', [
  'missing_delivery',
  'short_quantity',
  'spoilt_product',
  'wrong_product',
  'late_delivery',
  'billing_error',
  'staff_behaviour',
  'other',
]);
export const disputePriority = pgEnum('dispute_priority', ['low', 'normal', 'high', 'urgent']);
export const disputeStatus = pgEnum('dispute_status', ['open', 'awaiting_customer', 'awaiting_support', 'resolved', 'closed']);
/** How a dispute ended: the four resolutions, or merged into another dispute of the same customer (closed). */
export const disputeOutcome = pgEnum('dispute_outcome', ['refund', 'wallet_credit', 'redelivery', 'explanation', 'merged']);
/** A public reply (goes to the customer), an internal note (never sent), a customer's message, an activity entry. */
export const disputeMessageKind = pgEnum('dispute_message_kind', ['public_reply', 'internal_note', 'customer_message', 'activity']);

/** The moves a dispute's status may make: data, read by the trigger disputes_guard and by the API's 409. */
export const disputeTransitions = pgTable(
  'dispute_transitions',
  {
    from_status: disputeStatus('from_status').notNull(),
    to_status: disputeStatus('to_status').notNull(),
  },
  (t) => [primaryKey({ name: 'dispute_transitions_pkey', columns: [t.from_status, t.to_status] }), check('dispute_transitions_not_same', sql`${t.from_status} <> ${t.to_status}`)],
);

export const disputes = pgTable(
  'disputes',
  {
    id: id(),
    /** What people say on the phone: "dispute 1042". */
    number: integer('number').generatedAlwaysAsIdentity().notNull(),
    customer_id: uuid('customer_id').notNull(),
    category: disputeCategory('category').notNull(),
    subject: text('subject').notNull(),
    priority: disputePriority('priority').notNull().default('normal'),
    status: disputeStatus('status').notNull().default('open'),
    /** Bumped by the database on every change (disputes_guard): a PATCH or move carries the version it read. */
    version: integer('version').notNull().default(1),
    assignee_id: uuid('assignee_id'),
    /** The links, each the customer's own (composite keys). A delivery carries its order so that order's customer binds it. */
    delivery_id: uuid('delivery_id'),
    delivery_order_id: uuid('delivery_order_id'),
    order_id: uuid('order_id'),
    invoice_id: uuid('invoice_id'),
    /** A new dispute opened by the customer's message on one resolved over a week ago (or closed): the one it follows. */
    follows_id: uuid('follows_id'),
    /** Closed as a duplicate of this dispute (same customer); its thread shows there. */
    merged_into_id: uuid('merged_into_id'),
    outcome: disputeOutcome('outcome'),
    outcome_note: text('outcome_note'),
    /** A redelivery's one-time order at no charge (the customer's). */
    redelivery_order_id: uuid('redelivery_order_id'),
    created_by: uuid('created_by'),
    first_response_at: timestamp('first_response_at', { withTimezone: true, mode: 'date' }),
    /** SLA (business minutes of the priority's policy on the business hours): when the first reply and the resolution are due. */
    first_response_due_at: timestamp('first_response_due_at', { withTimezone: true, mode: 'date' }),
    /** None while the clock is paused (awaiting the customer). */
    resolution_due_at: timestamp('resolution_due_at', { withTimezone: true, mode: 'date' }),
    /** Awaiting the customer since: the resolution clock is paused. */
    paused_since: timestamp('paused_since', { withTimezone: true, mode: 'date' }),
    /** Business minutes of the pauses that ended (added to the resolution target). */
    paused_minutes: integer('paused_minutes').notNull().default(0),
    /** When a breach escalated it (priority up one step); once per dispute. */
    escalated_at: timestamp('escalated_at', { withTimezone: true, mode: 'date' }),
    resolved_at: timestamp('resolved_at', { withTimezone: true, mode: 'date' }),
    closed_at: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    foreignKey({ name: 'disputes_customer_fk', columns: [t.customer_id], foreignColumns: [customers.id] }).onDelete('restrict'),
    foreignKey({ name: 'disputes_assignee_fk', columns: [t.assignee_id], foreignColumns: [users.id] }).onDelete('restrict'),
    foreignKey({ name: 'disputes_created_by_fk', columns: [t.created_by], foreignColumns: [users.id] }).onDelete('restrict'),
    // Same customer, always: a dispute can never point at another customer's order, delivery or invoice.
    foreignKey({ name: 'disputes_order_fk', columns: [t.order_id, t.customer_id], foreignColumns: [orders.id, orders.customer_id] }).onDelete('restrict'),
    foreignKey({ name: 'disputes_invoice_fk', columns: [t.invoice_id, t.customer_id], foreignColumns: [invoices.id, invoices.customer_id] }).onDelete('restrict'),
    foreignKey({ name: 'disputes_delivery_fk', columns: [t.delivery_id, t.delivery_order_id], foreignColumns: [deliveries.id, deliveries.order_id] }).onDelete('restrict'),
    foreignKey({ name: 'disputes_delivery_order_fk', columns: [t.delivery_order_id, t.customer_id], foreignColumns: [orders.id, orders.customer_id] }).onDelete('restrict'),
    foreignKey({ name: 'disputes_redelivery_order_fk', columns: [t.redelivery_order_id, t.customer_id], foreignColumns: [orders.id, orders.customer_id] }).onDelete('restrict'),
    foreignKey({ name: 'disputes_merged_into_fk', columns: [t.merged_into_id, t.customer_id], foreignColumns: [t.id, t.customer_id] }).onDelete('restrict'),
    foreignKey({ name: 'disputes_follows_fk', columns: [t.follows_id, t.customer_id], foreignColumns: [t.id, t.customer_id] }).onDelete('restrict'),
    check('disputes_follows_other', sql`${t.follows_id} is null or ${t.follows_id} <> ${t.id}`),
    unique('disputes_id_customer_key').on(t.id, t.customer_id),
    check('disputes_delivery_pair', sql`(${t.delivery_id} is null) = (${t.delivery_order_id} is null)`),
    check('disputes_subject_length', sql`length(trim(${t.subject})) between 3 and 200`),
    check('disputes_outcome_note_length', sql`coalesce(length(${t.outcome_note}), 0) <= 1000`),
    check('disputes_version_positive', sql`${t.version} > 0`),
    // The resolution clock is paused exactly while the dispute awaits the customer.
    check('disputes_pause_consistent', sql`((${t.status} = 'awaiting_customer') = (${t.paused_since} is not null)) and ${t.paused_minutes} >= 0 and (${t.paused_since} is null or ${t.resolution_due_at} is null)`),
    // Only a resolved or closed dispute has an outcome; a resolved one has one and its time; closed_at = closed.
    check(
      'disputes_outcome_consistent',
      sql`(${t.status} in ('resolved', 'closed') or (${t.outcome} is null and ${t.resolved_at} is null))
      and (${t.status} <> 'resolved' or (${t.outcome} is not null and ${t.outcome} <> 'merged' and ${t.resolved_at} is not null))
      and ((${t.status} = 'closed') = (${t.closed_at} is not null))
      and (${t.outcome} is distinct from 'redelivery' or ${t.redelivery_order_id} is not null)`,
    ),
    check(
      'disputes_merge_consistent',
      sql`((${t.merged_into_id} is not null) = (${t.outcome} is not null and ${t.outcome} = 'merged'))
      and (${t.merged_into_id} is null or (${t.status} = 'closed' and ${t.merged_into_id} <> ${t.id}))`,
    ),
    uniqueIndex('disputes_number_key').on(t.number),
    // The list: newest first, by state, by customer, by assignee; each filter with its index (50,000 customers).
    index('disputes_created_idx').on(t.created_at, t.id),
    index('disputes_updated_idx').on(t.updated_at, t.id),
    index('disputes_status_created_idx').on(t.status, t.created_at, t.id),
    index('disputes_priority_created_idx').on(t.priority, t.created_at),
    index('disputes_category_created_idx').on(t.category, t.created_at),
    index('disputes_customer_created_idx').on(t.customer_id, t.created_at),
    index('disputes_assignee_status_idx').on(t.assignee_id, t.status, t.created_at),
    index('disputes_delivery_idx').on(t.delivery_id),
    index('disputes_order_idx').on(t.order_id),
    index('disputes_invoice_idx').on(t.invoice_id),
    index('disputes_merged_into_idx').on(t.merged_into_id),
    index('disputes_subject_trgm_idx').using('gin', t.subject.op('gin_trgm_ops')),
    // The breach queue: first replies and resolutions still due, soonest first.
    index('disputes_first_response_due_idx').on(t.first_response_due_at).where(sql`${t.first_response_at} is null and ${t.status} in ('open', 'awaiting_support')`),
    index('disputes_resolution_due_idx').on(t.resolution_due_at).where(sql`${t.status} in ('open', 'awaiting_customer', 'awaiting_support')`),
  ],
);

export const disputeMessages = pgTable(
  'dispute_messages',
  {
    id: id(),
    dispute_id: uuid('dispute_id').notNull(),
    customer_id: uuid('customer_id').notNull(),
    kind: disputeMessageKind('kind').notNull(),
    /** Support's replies and notes; the user behind an activity entry (none: the system). */
    author_user_id: uuid('author_user_id'),
    /** A customer's own message: the dispute's customer. */
    author_customer_id: uuid('author_customer_id'),
    body: text('body').notNull(),
    created_at: timestamp('created_at', { withTimezone: true, mode: 'date' }).default(sql`clock_timestamp()`).notNull(),
    /** The order of writing: breaks ties of created_at (entries of one change can share a microsecond). */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
  },
  (t) => [
    foreignKey({ name: 'dispute_messages_dispute_fk', columns: [t.dispute_id, t.customer_id], foreignColumns: [disputes.id, disputes.customer_id] }).onDelete('restrict'),
    foreignKey({ name: 'dispute_messages_author_user_fk', columns: [t.author_user_id], foreignColumns: [users.id] }).onDelete('restrict'),
    foreignKey({ name: 'dispute_messages_author_customer_fk', columns: [t.author_customer_id], foreignColumns: [customers.id] }).onDelete('restrict'),
    check('dispute_messages_body_length', sql`length(trim(${t.body})) between 1 and 4000`),
    check(
      'dispute_messages_author_consistent',
      sql`(${t.kind} = 'customer_message' and ${t.author_customer_id} = ${t.customer_id} and ${t.author_user_id} is null)
       or (${t.kind} in ('public_reply', 'internal_note') and ${t.author_user_id} is not null and ${t.author_customer_id} is null)
       or (${t.kind} = 'activity' and ${t.author_customer_id} is null)`,
    ),
    index('dispute_messages_dispute_created_idx').on(t.dispute_id, t.created_at, t.seq),
  ],
);

/** Business hours (issue 13, item 5): several windows per ISO weekday (1 Monday .. 7 Sunday), local time Asia/Kolkata. */
export const businessHours = pgTable(
  'business_hours',
  {
    id: id(),
    weekday: smallint('weekday').notNull(),
    opens: time('opens').notNull(),
    closes: time('closes').notNull(),
  },
  (t) => [
    check('business_hours_weekday_range', sql`${t.weekday} between 1 and 7`),
    check('business_hours_window_valid', sql`${t.opens} < ${t.closes}`),
    uniqueIndex('business_hours_weekday_opens_key').on(t.weekday, t.opens),
  ],
);

/** Days the business is closed whatever the weekday (Diwali, Republic Day). */
export const businessHolidays = pgTable(
  'business_holidays',
  {
    day: date('day', { mode: 'string' }).primaryKey(),
    name: text('name').notNull(),
  },
  (t) => [check('business_holidays_name_length', sql`length(trim(${t.name})) between 1 and 100`)],
);

/** The SLA per priority, in business minutes: the first reply and the resolution. */
export const slaPolicies = pgTable(
  'sla_policies',
  {
    priority: disputePriority('priority').primaryKey(),
    first_response_minutes: integer('first_response_minutes').notNull(),
    resolution_minutes: integer('resolution_minutes').notNull(),
    updated_at: updatedAt(),
  },
  (t) => [
    check('sla_policies_minutes_range', sql`${t.first_response_minutes} between 1 and 100000 and ${t.resolution_minutes} between 1 and 100000`),
    check('sla_policies_resolution_after_response', sql`${t.resolution_minutes} >= ${t.first_response_minutes}`),
  ],
);
