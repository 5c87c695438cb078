import { sql } from 'drizzle-orm';
import { bigint, check, date, foreignKey, index, integer, pgEnum, pgTable, text, time, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';
import { users } from './access.js';
import { zones } from './customers.js';
import { deliveries } from './deliveries.js';
import { staff } from './staff.js';

// Staff pay (issue 15): rate cards per zone with effective dates, earnings lines written by the database when a
// delivery is settled (trigger deliveries_earn), and payout batches that pay each line at most once. The rules no
// CHECK can state (one card in force per zone and day, lines bound to their delivery, a line in one live batch, a
// batch's items the sum of their lines) are in the hand-written migration staff_pay_rules.

/**
 * What a zone's staff earn, from effective_from to effective_to (inclusive; open-ended when null). zone_id null is
 * the default card, for zones without one of their own. Money in paise; the on-time windows are IST wall-clock times.
 */
export const rateCards = pgTable(
  'rate_cards',
  {
    id: id(),
    zone_id: uuid('zone_id'),
    effective_from: date('effective_from', { mode: 'string' }).notNull(),
    effective_to: date('effective_to', { mode: 'string' }),
    base_per_drop_paise: integer('base_per_drop_paise').notNull(),
    per_litre_paise: integer('per_litre_paise').notNull(),
    on_time_bonus_paise: integer('on_time_bonus_paise').notNull(),
    /** Taken off (a negative line) for a failed delivery whose reason is the staff's fault. */
    failure_deduction_paise: integer('failure_deduction_paise').notNull(),
    /** Paid for a failed delivery that was not the staff's fault (the customer was away): the attempt. */
    failed_attempt_paise: integer('failed_attempt_paise').notNull().default(0),
    morning_start: time('morning_start').notNull().default('05:00'),
    morning_end: time('morning_end').notNull().default('08:00'),
    evening_start: time('evening_start').notNull().default('17:00'),
    evening_end: time('evening_end').notNull().default('20:00'),
    note: text('note').notNull().default(''),
    created_by: uuid('created_by'),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    foreignKey({ name: 'rate_cards_zone_id_fk', columns: [t.zone_id], foreignColumns: [zones.id] }).onDelete('restrict'),
    foreignKey({ name: 'rate_cards_created_by_fk', columns: [t.created_by], foreignColumns: [users.id] }).onDelete('set null'),
    check(
      'rate_cards_amounts_valid',
      sql`${t.base_per_drop_paise} between 0 and 10000000 and ${t.per_litre_paise} between 0 and 10000000 and ${t.on_time_bonus_paise} between 0 and 10000000
       and ${t.failure_deduction_paise} between 0 and 10000000 and ${t.failed_attempt_paise} between 0 and 10000000`,
    ),
    check('rate_cards_period_valid', sql`${t.effective_to} is null or ${t.effective_to} >= ${t.effective_from}`),
    check('rate_cards_windows_valid', sql`${t.morning_start} < ${t.morning_end} and ${t.evening_start} < ${t.evening_end}`),
    check('rate_cards_note_length', sql`length(${t.note}) <= 500`),
    index('rate_cards_zone_from_idx').on(t.zone_id, t.effective_from),
  ],
);

/**
 * base, litres, on_time: earned by a delivered (or partly delivered) drop; attempt: a failed one that was not the
 * staff's fault; failure_deduction: one that was (negative); adjustment: by hand, with a reason, on no delivery.
 */
export const earningsType = pgEnum('earnings_type', ['base', 'litres', 'on_time', 'attempt', 'failure_deduction', 'adjustment']);

export const payoutBatchStatus = pgEnum('payout_batch_status', ['draft', 'approved', 'paid', 'failed', 'reversed']);
export const payoutItemStatus = pgEnum('payout_item_status', ['pending', 'paid', 'failed', 'reversed']);

/** A month's payout: drafted by one person, approved by another (with a fresh TOTP), then paid through the bank. */
export const payoutBatches = pgTable(
  'payout_batches',
  {
    id: id(),
    /** The first day of the month it pays; it takes every unpaid line earned up to period_end. */
    month: date('month', { mode: 'string' }).notNull(),
    period_end: date('period_end', { mode: 'string' }).notNull(),
    status: payoutBatchStatus('status').notNull().default('draft'),
    total_paise: bigint('total_paise', { mode: 'number' }).notNull().default(0),
    staff_count: integer('staff_count').notNull().default(0),
    created_by: uuid('created_by').notNull(),
    approved_by: uuid('approved_by'),
    approved_at: timestamp('approved_at', { withTimezone: true, mode: 'date' }),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    foreignKey({ name: 'payout_batches_created_by_fk', columns: [t.created_by], foreignColumns: [users.id] }).onDelete('restrict'),
    foreignKey({ name: 'payout_batches_approved_by_fk', columns: [t.approved_by], foreignColumns: [users.id] }).onDelete('restrict'),
    check('payout_batches_month_first_day', sql`extract(day from ${t.month}) = 1 and ${t.period_end} = (${t.month} + interval '1 month' - interval '1 day')::date`),
    // Four eyes, whatever the API does: whoever drafted a batch never approves it.
    check('payout_batches_four_eyes', sql`${t.approved_by} is null or ${t.approved_by} <> ${t.created_by}`),
    check(
      'payout_batches_approval_consistent',
      sql`(${t.status} = 'draft') = (${t.approved_by} is null) and (${t.approved_by} is null) = (${t.approved_at} is null)`,
    ),
    check('payout_batches_totals_nonnegative', sql`${t.total_paise} >= 0 and ${t.staff_count} >= 0`),
    // Two drafts of one month at the same moment: the second insert waits on this key and then finds the first.
    uniqueIndex('payout_batches_one_draft_per_month').on(t.month).where(sql`${t.status} = 'draft'`),
    index('payout_batches_month_idx').on(t.month, t.created_at),
    index('payout_batches_status_idx').on(t.status, t.created_at),
  ],
);

/** One staff member's transfer in a batch: the net of their lines, to the account or UPI id they had when drafted. */
export const payoutItems = pgTable(
  'payout_items',
  {
    id: id(),
    batch_id: uuid('batch_id').notNull(),
    staff_id: uuid('staff_id').notNull(),
    beneficiary_name: text('beneficiary_name').notNull(),
    account_number: text('account_number'),
    ifsc: text('ifsc'),
    upi_id: text('upi_id'),
    amount_paise: bigint('amount_paise', { mode: 'number' }).notNull(),
    line_count: integer('line_count').notNull(),
    status: payoutItemStatus('status').notNull().default('pending'),
    bank_reference: text('bank_reference'),
    failure_reason: text('failure_reason'),
    paid_at: timestamp('paid_at', { withTimezone: true, mode: 'date' }),
    settled_by: uuid('settled_by'),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    foreignKey({ name: 'payout_items_batch_id_fk', columns: [t.batch_id], foreignColumns: [payoutBatches.id] }).onDelete('restrict'),
    foreignKey({ name: 'payout_items_staff_id_fk', columns: [t.staff_id], foreignColumns: [staff.id] }).onDelete('restrict'),
    foreignKey({ name: 'payout_items_settled_by_fk', columns: [t.settled_by], foreignColumns: [users.id] }).onDelete('restrict'),
    uniqueIndex('payout_items_batch_staff_key').on(t.batch_id, t.staff_id),
    // Target of earnings_lines' composite key: a line joins an item of its own staff member, in that item's batch.
    unique('payout_items_id_batch_staff_key').on(t.id, t.batch_id, t.staff_id),
    check('payout_items_amount_positive', sql`${t.amount_paise} > 0 and ${t.line_count} > 0`),
    check(
      'payout_items_destination_valid',
      sql`(${t.account_number} is not null and ${t.ifsc} is not null and ${t.upi_id} is null
          and ${t.account_number} ~ '^[0-9]{9,18}$' and ${t.ifsc} ~ '^[A-Z]{4}0[A-Z0-9]{6}$')
        or (${t.upi_id} is not null and ${t.account_number} is null and ${t.ifsc} is null
          and ${t.upi_id} ~ '^[a-zA-Z0-9._-]{2,200}@[a-zA-Z][a-zA-Z0-9]{1,63}$')`,
    ),
    check(
      'payout_items_result_consistent',
      sql`(${t.status} in ('paid', 'reversed')) = (${t.paid_at} is not null and length(trim(coalesce(${t.bank_reference}, ''))) > 0)
       and (${t.status} in ('failed', 'reversed')) = (length(trim(coalesce(${t.failure_reason}, ''))) > 0)
       and (${t.status} = 'pending') = (${t.settled_by} is null)
       and coalesce(length(${t.bank_reference}), 0) <= 100 and coalesce(length(${t.failure_reason}), 0) <= 500`,
    ),
    index('payout_items_staff_idx').on(t.staff_id),
  ],
);

export const earningsLines = pgTable(
  'earnings_lines',
  {
    id: id(),
    staff_id: uuid('staff_id').notNull(),
    delivery_id: uuid('delivery_id'),
    type: earningsType('type').notNull(),
    amount_paise: bigint('amount_paise', { mode: 'number' }).notNull(),
    earned_on: date('earned_on', { mode: 'string' }).notNull(),
    rate_card_id: uuid('rate_card_id'),
    /** Litres lines: the millilitres delivered. */
    quantity_ml: integer('quantity_ml'),
    /** Adjustments: why, and who made it. */
    reason: text('reason'),
    created_by: uuid('created_by'),
    payout_batch_id: uuid('payout_batch_id'),
    payout_item_id: uuid('payout_item_id'),
    created_at: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'earnings_lines_staff_id_fk', columns: [t.staff_id], foreignColumns: [staff.id] }).onDelete('restrict'),
    foreignKey({ name: 'earnings_lines_delivery_id_fk', columns: [t.delivery_id], foreignColumns: [deliveries.id] }).onDelete('restrict'),
    foreignKey({ name: 'earnings_lines_rate_card_id_fk', columns: [t.rate_card_id], foreignColumns: [rateCards.id] }).onDelete('restrict'),
    foreignKey({ name: 'earnings_lines_created_by_fk', columns: [t.created_by], foreignColumns: [users.id] }).onDelete('restrict'),
    foreignKey({
      name: 'earnings_lines_payout_item_fk',
      columns: [t.payout_item_id, t.payout_batch_id, t.staff_id],
      foreignColumns: [payoutItems.id, payoutItems.batch_id, payoutItems.staff_id],
    }).onDelete('restrict'),
    // One line per delivery and type: a delivery is paid once (adjustments have no delivery).
    uniqueIndex('earnings_lines_delivery_type_key').on(t.delivery_id, t.type),
    check(
      'earnings_lines_kind_consistent',
      sql`(${t.type} = 'adjustment') = (${t.delivery_id} is null)
       and (${t.type} = 'adjustment') = (length(trim(coalesce(${t.reason}, ''))) >= 3)
       and (${t.type} = 'litres') = (${t.quantity_ml} is not null and ${t.quantity_ml} > 0)
       and coalesce(length(${t.reason}), 0) <= 500`,
    ),
    check(
      'earnings_lines_amount_sign',
      sql`abs(${t.amount_paise}) <= 100000000 and case ${t.type} when 'failure_deduction' then ${t.amount_paise} <= 0
        when 'adjustment' then ${t.amount_paise} <> 0 else ${t.amount_paise} >= 0 end`,
    ),
    check('earnings_lines_payout_pair', sql`(${t.payout_batch_id} is null) = (${t.payout_item_id} is null)`),
    index('earnings_lines_staff_day_idx').on(t.staff_id, t.earned_on, t.id),
    index('earnings_lines_day_idx').on(t.earned_on, t.id),
    index('earnings_lines_type_day_idx').on(t.type, t.earned_on),
    index('earnings_lines_batch_idx').on(t.payout_batch_id).where(sql`${t.payout_batch_id} is not null`),
    index('earnings_lines_item_idx').on(t.payout_item_id).where(sql`${t.payout_item_id} is not null`),
    // A card's lines (the list's count, its guard's last day, the foreign key's check when a card is deleted).
    index('earnings_lines_rate_card_idx').on(t.rate_card_id, t.earned_on),
    // q searches the reason, which only adjustments have: a small trigram index of those lines, not a read of them all.
    index('earnings_lines_reason_trgm_idx').using('gin', t.reason.op('gin_trgm_ops')).where(sql`${t.reason} is not null`),
    // What a draft takes: a staff member's unpaid lines up to a day.
    index('earnings_lines_unpaid_idx').on(t.staff_id, t.earned_on).where(sql`${t.payout_item_id} is null`),
  ],
);

/**
 * Deliveries an UPDATE settled in the current transaction and not yet earned: a statement trigger queues them, the
 * first firing of the deferred deliveries_earn at commit earns them all in one INSERT ... SELECT and empties it.
 */
export const earningsDue = pgTable('earnings_due', {
  delivery_id: uuid('delivery_id').primaryKey(),
});
