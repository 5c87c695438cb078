import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, index, pgEnum, pgTable, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';
import { users } from './access.js';
import { invoices } from './billing.js';
import { payments, walletLots } from './payments.js';
import { disputes } from './disputes.js';

// Money back (issue 12, item 6): refunds of a payment, an approval queue with four eyes. The rules no CHECK can state
// (the sum of a payment's refunds within what was captured, states only forward, nothing rebound) are triggers in the
// migration (refunds).

/** Why money goes back. The first three reduce a billed supply: against an invoice they issue a credit note. */
export const refundReason = pgEnum('refund_reason', ['short_delivery', 'spoilt_product', 'billing_error', 'duplicate_payment', 'cancellation', 'goodwill']);
export const creditNoteReasons = ['short_delivery', 'spoilt_product', 'billing_error'] as const;
/** Back the way it came (cash, UPI, bank, the gateway), or into the customer's wallet as credit. */
export const refundDestination = pgEnum('refund_destination', ['source', 'wallet']);
/**
 * requested -> approved | rejected; approved -> processing (gateway) -> processed | failed; approved -> paid (cash, UPI,
 * bank, cheque: paid by hand with a reference); approved -> processed (wallet: credited in the approval's transaction).
 */
export const refundStatus = pgEnum('refund_status', ['requested', 'approved', 'rejected', 'processing', 'processed', 'failed', 'paid']);

export const refunds = pgTable(
  'refunds',
  {
    id: id(),
    payment_id: uuid('payment_id').notNull(),
    customer_id: uuid('customer_id').notNull(),
    /** The invoice a credit-note reason reduces (the credit note cites it); none for the other reasons. */
    invoice_id: uuid('invoice_id'),
    amount_paise: bigint('amount_paise', { mode: 'number' }).notNull(),
    reason: refundReason('reason').notNull(),
    destination: refundDestination('destination').notNull(),
    status: refundStatus('status').notNull().default('requested'),
    note: text('note').notNull().default(''),
    requested_by: uuid('requested_by').notNull(),
    requested_at: timestamp('requested_at', { withTimezone: true, mode: 'date' }).defaultNow().notNull(),
    approved_by: uuid('approved_by'),
    approved_at: timestamp('approved_at', { withTimezone: true, mode: 'date' }),
    rejected_by: uuid('rejected_by'),
    rejected_at: timestamp('rejected_at', { withTimezone: true, mode: 'date' }),
    rejection_reason: text('rejection_reason'),
    /** What of the amount came out of wallet lots the payment funded (its overpayment), set at approval. */
    from_wallet_paise: bigint('from_wallet_paise', { mode: 'number' }).notNull().default(0),
    /** The gateway refund (processing, then processed or failed by its webhook). */
    provider: text('provider'),
    provider_refund_id: text('provider_refund_id'),
    sent_at: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
    processed_at: timestamp('processed_at', { withTimezone: true, mode: 'date' }),
    failed_at: timestamp('failed_at', { withTimezone: true, mode: 'date' }),
    failure_reason: text('failure_reason'),
    /** Paid by hand (cash, UPI, bank transfer): the reference of the money sent back. */
    paid_reference: text('paid_reference'),
    paid_by: uuid('paid_by'),
    paid_at: timestamp('paid_at', { withTimezone: true, mode: 'date' }),
    /** The wallet lot this refund credited (destination wallet), or that took back its wallet part when it failed. */
    wallet_lot_id: uuid('wallet_lot_id'),
    /** The dispute this refund resolves (issue 13): its approval resolves the dispute, its rejection hands it back to support. */
    dispute_id: uuid('dispute_id'),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    // Composite keys: the payment, the invoice and the wallet lot are all the refund's customer's.
    foreignKey({ name: 'refunds_payment_fk', columns: [t.payment_id, t.customer_id], foreignColumns: [payments.id, payments.customer_id] }).onDelete('restrict'),
    foreignKey({ name: 'refunds_invoice_fk', columns: [t.invoice_id, t.customer_id], foreignColumns: [invoices.id, invoices.customer_id] }).onDelete('restrict'),
    foreignKey({ name: 'refunds_wallet_lot_fk', columns: [t.wallet_lot_id, t.customer_id], foreignColumns: [walletLots.id, walletLots.customer_id] }).onDelete('restrict'),
    foreignKey({ name: 'refunds_dispute_fk', columns: [t.dispute_id, t.customer_id], foreignColumns: [disputes.id, disputes.customer_id] }).onDelete('restrict'),
    foreignKey({ name: 'refunds_requested_by_fk', columns: [t.requested_by], foreignColumns: [users.id] }).onDelete('restrict'),
    foreignKey({ name: 'refunds_approved_by_fk', columns: [t.approved_by], foreignColumns: [users.id] }).onDelete('restrict'),
    foreignKey({ name: 'refunds_rejected_by_fk', columns: [t.rejected_by], foreignColumns: [users.id] }).onDelete('restrict'),
    foreignKey({ name: 'refunds_paid_by_fk', columns: [t.paid_by], foreignColumns: [users.id] }).onDelete('restrict'),
    // Target of the credit notes' composite key: a credit note's refund is its customer's.
    unique('refunds_id_customer_key').on(t.id, t.customer_id),
    check('refunds_amount_positive', sql`${t.amount_paise} > 0`),
    check('refunds_amount_max', sql`${t.amount_paise} <= 1000000000`),
    check('refunds_note_length', sql`length(${t.note}) <= 1000`),
    // Four eyes: whoever asked for the money back is never the one who approves it.
    check('refunds_not_own_approval', sql`${t.approved_by} <> ${t.requested_by}`),
    check('refunds_invoice_for_credit_reasons', sql`${t.invoice_id} is null or ${t.reason} in ('short_delivery', 'spoilt_product', 'billing_error')`),
    check(
      'refunds_approval_consistent',
      sql`((${t.approved_by} is not null and ${t.approved_at} is not null) = (${t.status} in ('approved', 'processing', 'processed', 'failed', 'paid')))
      and (${t.approved_at} is not null or ${t.approved_by} is null)`,
    ),
    check(
      'refunds_rejection_consistent',
      sql`(${t.rejected_by} is not null and ${t.rejected_at} is not null and length(trim(coalesce(${t.rejection_reason}, ''))) > 0) = (${t.status} = 'rejected')
      and (${t.status} = 'rejected' or (${t.rejected_by} is null and ${t.rejected_at} is null and ${t.rejection_reason} is null))`,
    ),
    check(
      'refunds_result_consistent',
      sql`(${t.processed_at} is not null) = (${t.status} = 'processed')
      and (${t.failed_at} is not null and length(trim(coalesce(${t.failure_reason}, ''))) > 0) = (${t.status} = 'failed')
      and (${t.failure_reason} is null or ${t.failed_at} is not null)
      and (${t.paid_at} is not null and ${t.paid_by} is not null and length(trim(coalesce(${t.paid_reference}, ''))) > 0) = (${t.status} = 'paid')
      and (${t.paid_reference} is null or ${t.paid_at} is not null)
      and (${t.provider_refund_id} is not null or (${t.status} <> 'processing' and (${t.status} <> 'processed' or ${t.destination} = 'wallet')))
      and (${t.provider_refund_id} is null or (${t.provider} is not null and ${t.sent_at} is not null))`,
    ),
    // A wallet refund is credited at once (approved -> processed) to a lot of its own; nothing is sent nor paid by hand.
    check(
      'refunds_wallet_destination',
      sql`(${t.destination} = 'source' or (${t.status} not in ('processing', 'paid', 'failed') and ${t.provider_refund_id} is null))
      and ((${t.destination} = 'wallet' and ${t.status} = 'processed') <= (${t.wallet_lot_id} is not null))
      and (${t.wallet_lot_id} is null or (${t.destination} = 'wallet' and ${t.status} = 'processed') or ${t.status} = 'failed')`,
    ),
    check('refunds_from_wallet_within_amount', sql`${t.from_wallet_paise} between 0 and ${t.amount_paise}`),
    check(
      'refunds_text_lengths',
      sql`coalesce(length(${t.rejection_reason}), 0) <= 500 and coalesce(length(${t.failure_reason}), 0) <= 500
      and coalesce(length(${t.paid_reference}), 0) <= 100 and coalesce(length(${t.provider_refund_id}), 0) <= 100 and coalesce(length(${t.provider}), 0) <= 40`,
    ),
    uniqueIndex('refunds_provider_refund_key').on(t.provider, t.provider_refund_id),
    uniqueIndex('refunds_wallet_lot_key').on(t.wallet_lot_id),
    // The queue by state, newest first; each filter of the list has its index (50,000 customers).
    index('refunds_status_created_idx').on(t.status, t.created_at, t.id),
    index('refunds_created_idx').on(t.created_at, t.id),
    index('refunds_amount_idx').on(t.amount_paise, t.id),
    index('refunds_reason_created_idx').on(t.reason, t.created_at),
    index('refunds_customer_created_idx').on(t.customer_id, t.created_at),
    index('refunds_payment_idx').on(t.payment_id),
    index('refunds_invoice_idx').on(t.invoice_id),
    index('refunds_dispute_idx').on(t.dispute_id).where(sql`${t.dispute_id} is not null`),
    index('refunds_requested_by_idx').on(t.requested_by, t.created_at),
  ],
);
