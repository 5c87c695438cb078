import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './access.js';
import { customerLanguage, customers } from './customers.js';
import { disputes } from './disputes.js';
import { createdAt, id } from './columns.js';

export const notificationChannel = pgEnum('notification_channel', ['email', 'whatsapp', 'sms']);
export const notificationStatus = pgEnum('notification_status', ['pending', 'sending', 'sent', 'dead']);

// The outbox: a message is a row written in the transaction of what caused it; a worker (any API process, one
// row at a time under FOR UPDATE SKIP LOCKED) sends it, retries with backoff, and gives up into 'dead'.
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    channel: notificationChannel('channel').notNull(),
    recipient: text('recipient').notNull(),
    template: text('template').notNull(),
    /** The language its template is rendered in (the customer's, when it is for a customer). */
    language: customerLanguage('language').notNull().default('en'),
    payload: jsonb('payload').notNull().default(sql`'{}'::jsonb`),
    status: notificationStatus('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    next_attempt_at: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }).defaultNow().notNull(),
    // A worker claims a row until this instant; past it, a row left 'sending' by a killed process is claimed again.
    locked_until: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    last_error: text('last_error'),
    // Same key, one message: an incident or an event notified twice is written once.
    dedupe_key: text('dedupe_key'),
    user_id: uuid('user_id'),
    customer_id: uuid('customer_id'),
    created_at: createdAt(),
    sent_at: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
    last_attempt_at: timestamp('last_attempt_at', { withTimezone: true, mode: 'date' }),
    /** The provider's id of the message sent (WhatsApp's wamid), to trace it with them. */
    provider_message_id: text('provider_message_id'),
  },
  (t) => [
    foreignKey({ name: 'notifications_user_id_fk', columns: [t.user_id], foreignColumns: [users.id] }).onDelete('set null'),
    foreignKey({ name: 'notifications_customer_id_fk', columns: [t.customer_id], foreignColumns: [customers.id] }).onDelete('set null'),
    uniqueIndex('notifications_dedupe_key').on(t.dedupe_key).where(sql`${t.dedupe_key} is not null`),
    index('notifications_due_idx').on(t.next_attempt_at).where(sql`${t.status} in ('pending', 'sending')`),
    index('notifications_created_idx').on(t.created_at, t.id),
    index('notifications_status_idx').on(t.status, t.created_at),
    check('notifications_recipient_valid', sql`length(${t.recipient}) between 3 and 320`),
    check('notifications_template_valid', sql`${t.template} ~ '^[a-z][a-z0-9_.-]{1,79}$'`),
    check('notifications_attempts_nonnegative', sql`${t.attempts} >= 0`),
    check('notifications_sent_consistent', sql`(${t.status} = 'sent') = (${t.sent_at} is not null)`),
    check('notifications_dead_has_error', sql`${t.status} <> 'dead' or ${t.last_error} is not null`),
  ],
);

export const inboundStatus = pgEnum('inbound_message_status', ['matched', 'unmatched', 'assigned']);

// Customers' messages brought by the WhatsApp webhook (issue 13 item 8): each once (the provider's message id is
// unique), matched to the customer by phone and put in their dispute thread; an unknown phone waits 'unmatched' until
// support assigns it to a customer. The dispute it landed in is that customer's (composite key).
export const inboundMessages = pgTable(
  'inbound_messages',
  {
    id: id(),
    provider_message_id: text('provider_message_id').notNull(),
    /** The sender as E.164 (+919876543210). */
    from_phone: text('from_phone').notNull(),
    /** The name the sender's WhatsApp profile shows, when the webhook says. */
    profile_name: text('profile_name'),
    body: text('body').notNull(),
    /** When the customer sent it (the webhook's timestamp). */
    sent_at: timestamp('sent_at', { withTimezone: true, mode: 'date' }).notNull(),
    status: inboundStatus('status').notNull(),
    customer_id: uuid('customer_id'),
    dispute_id: uuid('dispute_id'),
    assigned_by: uuid('assigned_by'),
    assigned_at: timestamp('assigned_at', { withTimezone: true, mode: 'date' }),
    created_at: createdAt(),
  },
  (t) => [
    uniqueIndex('inbound_messages_provider_message_key').on(t.provider_message_id),
    foreignKey({ name: 'inbound_messages_customer_fk', columns: [t.customer_id], foreignColumns: [customers.id] }).onDelete('restrict'),
    foreignKey({ name: 'inbound_messages_dispute_fk', columns: [t.dispute_id, t.customer_id], foreignColumns: [disputes.id, disputes.customer_id] }).onDelete('restrict'),
    foreignKey({ name: 'inbound_messages_assigned_by_fk', columns: [t.assigned_by], foreignColumns: [users.id] }).onDelete('restrict'),
    check('inbound_messages_phone_valid', sql`${t.from_phone} ~ '^\\+[1-9][0-9]{6,14}$'`),
    check('inbound_messages_body_length', sql`length(${t.body}) between 1 and 4096 and length(${t.provider_message_id}) between 1 and 200`),
    // Unmatched: no customer and no dispute yet; matched or assigned: the customer's dispute it went to; assigned: by whom and when.
    check(
      'inbound_messages_status_consistent',
      sql`((${t.status} = 'unmatched') = (${t.customer_id} is null)) and ((${t.status} = 'unmatched') = (${t.dispute_id} is null))
      and ((${t.status} = 'assigned') = (${t.assigned_at} is not null)) and ((${t.status} = 'assigned') = (${t.assigned_by} is not null))`,
    ),
    index('inbound_messages_status_idx').on(t.status, t.created_at),
    index('inbound_messages_created_idx').on(t.created_at, t.id),
    index('inbound_messages_customer_idx').on(t.customer_id),
    index('inbound_messages_dispute_idx').on(t.dispute_id),
  ],
);

// Round-robin assignment of new disputes (issue 13 item 5): the last support user given one, per queue, in the database
// so every API process shares one rotation; the row is locked while the next is chosen, so two disputes opened at once
// go to two different people.
export const assignmentRotation = pgTable(
  'assignment_rotation',
  {
    queue: text('queue').primaryKey(),
    last_user_id: uuid('last_user_id'),
    updated_at: timestamp('updated_at', { withTimezone: true, mode: 'date' }).defaultNow().notNull(),
  },
  (t) => [
    foreignKey({ name: 'assignment_rotation_last_user_fk', columns: [t.last_user_id], foreignColumns: [users.id] }).onDelete('set null'),
    check('assignment_rotation_queue_known', sql`${t.queue} in ('disputes')`),
  ],
);
