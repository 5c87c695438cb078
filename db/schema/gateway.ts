import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';
import { users } from './access.js';
import { customers } from './customers.js';
import { paymentStatus, payments } from './payments.js';

// Gateway payments (issue 12, item 4): what the payment gateway (Razorpay) tells us by webhook. Every event is kept
// once (its id is unique, claimed in the transaction of its effect); every payment the gateway names is kept, with
// or without a customer we know (unmatched ones wait for finance to assign them). A captured payment of a known
// customer becomes a `payments` row (method gateway, reference = the gateway's payment id), settled like any other.
// The rules no CHECK can state (states only forward, what was paid never changes, events append-only) are triggers
// in the migration (gateway_payments).

export const gatewayPayments = pgTable(
  'gateway_payments',
  {
    id: id(),
    /** The gateway's id of the payment (Razorpay `pay_...`). */
    gateway_payment_id: text('gateway_payment_id').notNull(),
    /** created, authorized, captured, refunded, or failed: only forward (trigger), whatever order events arrive in. */
    status: paymentStatus('status').notNull().default('created'),
    amount_paise: bigint('amount_paise', { mode: 'number' }).notNull(),
    /** upi, card, netbanking, wallet ... as the gateway says. */
    method: text('method'),
    email: text('email'),
    contact: text('contact'),
    /** Our customer; null while unmatched (the event named none, or one we do not know). */
    customer_id: uuid('customer_id'),
    /** What the event's notes.customer_id said, kept as sent (for finance, when it matched no customer). */
    notes_customer_id: text('notes_customer_id'),
    /** The payment recorded for it once captured with a customer (allocated oldest invoices first). */
    payment_id: uuid('payment_id'),
    authorized_at: timestamp('authorized_at', { withTimezone: true, mode: 'date' }),
    captured_at: timestamp('captured_at', { withTimezone: true, mode: 'date' }),
    failed_at: timestamp('failed_at', { withTimezone: true, mode: 'date' }),
    failure_reason: text('failure_reason'),
    /** Who assigned an unmatched payment to its customer, and when. */
    assigned_by: uuid('assigned_by'),
    assigned_at: timestamp('assigned_at', { withTimezone: true, mode: 'date' }),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    uniqueIndex('gateway_payments_gateway_id_key').on(t.gateway_payment_id),
    uniqueIndex('gateway_payments_payment_key').on(t.payment_id),
    foreignKey({ name: 'gateway_payments_customer_id_fk', columns: [t.customer_id], foreignColumns: [customers.id] }).onDelete('restrict'),
    foreignKey({ name: 'gateway_payments_payment_fk', columns: [t.payment_id, t.customer_id], foreignColumns: [payments.id, payments.customer_id] }).onDelete('restrict'),
    foreignKey({ name: 'gateway_payments_assigned_by_fk', columns: [t.assigned_by], foreignColumns: [users.id] }).onDelete('set null'),
    check('gateway_payments_amount_valid', sql`${t.amount_paise} > 0 and ${t.amount_paise} <= 1000000000`),
    check('gateway_payments_id_format', sql`length(${t.gateway_payment_id}) between 1 and 100`),
    check(
      'gateway_payments_text_lengths',
      sql`coalesce(length(${t.method}), 0) <= 40 and coalesce(length(${t.email}), 0) <= 200 and coalesce(length(${t.contact}), 0) <= 40
      and coalesce(length(${t.notes_customer_id}), 0) <= 100 and coalesce(length(${t.failure_reason}), 0) <= 500`,
    ),
    // Money is recorded for a payment only once it is captured, and only for its customer.
    check('gateway_payments_recorded_when_captured', sql`${t.payment_id} is null or (${t.status} in ('captured', 'refunded') and ${t.customer_id} is not null)`),
    check(
      'gateway_payments_dates_follow_status',
      sql`(${t.captured_at} is not null) = (${t.status} in ('captured', 'refunded'))
      and (${t.failed_at} is not null) = (${t.status} = 'failed')
      and (${t.failure_reason} is null or ${t.failed_at} is not null)`,
    ),
    check('gateway_payments_assignment_consistent', sql`(${t.assigned_at} is null or ${t.customer_id} is not null) and (${t.assigned_by} is null or ${t.assigned_at} is not null)`),
    index('gateway_payments_created_idx').on(t.created_at, t.id),
    index('gateway_payments_captured_idx').on(t.captured_at, t.id),
    index('gateway_payments_amount_idx').on(t.amount_paise, t.id),
    index('gateway_payments_status_idx').on(t.status, t.created_at),
    index('gateway_payments_customer_idx').on(t.customer_id, t.created_at),
    // The unmatched queue: money captured for nobody we know yet.
    index('gateway_payments_unmatched_idx').on(t.created_at, t.id).where(sql`${t.customer_id} is null`),
    index('gateway_payments_gateway_id_trgm_idx').using('gin', sql`${t.gateway_payment_id} gin_trgm_ops`),
    // The list's search (q) matches any of these: each indexed, so the OR of them is a bitmap of index scans.
    index('gateway_payments_email_trgm_idx').using('gin', sql`${t.email} gin_trgm_ops`),
    index('gateway_payments_contact_trgm_idx').using('gin', sql`${t.contact} gin_trgm_ops`),
  ],
);

/** What became of an event: its effect, or why it had none (it is kept either way, and never applied twice). */
export const gatewayEventOutcome = pgEnum('gateway_event_outcome', ['received', 'applied', 'stale', 'unmatched', 'ignored']);

export const gatewayEvents = pgTable(
  'gateway_events',
  {
    id: id(),
    /** x-razorpay-event-id: the key that makes a replay change nothing. */
    event_id: text('event_id').notNull(),
    event: text('event').notNull(),
    gateway_payment_id: text('gateway_payment_id'),
    gateway_refund_id: text('gateway_refund_id'),
    outcome: gatewayEventOutcome('outcome').notNull().default('received'),
    detail: text('detail').notNull().default(''),
    payload: jsonb('payload').notNull(),
    received_at: timestamp('received_at', { withTimezone: true, mode: 'date' }).defaultNow().notNull(),
  },
  (t) => [
    uniqueIndex('gateway_events_event_id_key').on(t.event_id),
    check('gateway_events_text_lengths', sql`length(${t.event_id}) between 1 and 100 and length(${t.event}) between 1 and 60 and length(${t.detail}) <= 500
      and coalesce(length(${t.gateway_payment_id}), 0) <= 100 and coalesce(length(${t.gateway_refund_id}), 0) <= 100`),
    index('gateway_events_received_idx').on(t.received_at, t.id),
    index('gateway_events_payment_idx').on(t.gateway_payment_id, t.received_at),
    index('gateway_events_refund_idx').on(t.gateway_refund_id),
  ],
);
