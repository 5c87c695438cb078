import { sql } from 'drizzle-orm';
import { bigint, check, date, foreignKey, index, integer, pgEnum, pgTable, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';
import { users } from './access.js';
import { customers } from './customers.js';
import { invoices } from './billing.js';

// Money in (issue 12): payments, what they settle (allocations), customer credit (wallet lots and their ledger), and
// each customer's balances kept up to date by triggers. Amounts are bigint paise, > 0 wherever money moves.
// The triggers and guards that hold these rules are hand-written SQL in the migration (money_in).

// 'payment_method' is the orders' (how an order will be paid); this is how money came in.
export const paymentMode = pgEnum('payment_mode', ['cash', 'upi', 'bank_transfer', 'cheque', 'gateway']);
/**
 * The gateway's life of a payment (created, authorized, captured, refunded, or failed; only forward). A payment
 * recorded by hand is money already in: captured when recorded.
 */
export const paymentStatus = pgEnum('payment_status', ['created', 'authorized', 'captured', 'refunded', 'failed']);
/** A cheque's own states: received, deposited at the bank, then cleared or bounced. */
export const chequeStatus = pgEnum('cheque_status', ['received', 'deposited', 'cleared', 'bounced']);

export const payments = pgTable(
  'payments',
  {
    id: id(),
    customer_id: uuid('customer_id').notNull(),
    amount_paise: bigint('amount_paise', { mode: 'number' }).notNull(),
    method: paymentMode('method').notNull(),
    /** UTR, UPI reference, cheque number, gateway payment id; optional for cash only. */
    reference: text('reference'),
    received_on: date('received_on', { mode: 'string' }).notNull(),
    status: paymentStatus('status').notNull().default('captured'),
    cheque_status: chequeStatus('cheque_status'),
    cheque_deposited_on: date('cheque_deposited_on', { mode: 'string' }),
    cheque_cleared_on: date('cheque_cleared_on', { mode: 'string' }),
    bounced_on: date('bounced_on', { mode: 'string' }),
    bounce_reason: text('bounce_reason'),
    // Kept by triggers: what its live allocations settle, and what became wallet credit (lots it funded).
    allocated_paise: bigint('allocated_paise', { mode: 'number' }).notNull().default(0),
    credited_paise: bigint('credited_paise', { mode: 'number' }).notNull().default(0),
    // Kept by the refunds' trigger: what approved refunds took back out of it (not counting wallet credit they withdrew).
    refunded_paise: bigint('refunded_paise', { mode: 'number' }).notNull().default(0),
    note: text('note').notNull().default(''),
    recorded_by: uuid('recorded_by'),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    foreignKey({ name: 'payments_customer_id_fk', columns: [t.customer_id], foreignColumns: [customers.id] }).onDelete('restrict'),
    foreignKey({ name: 'payments_recorded_by_fk', columns: [t.recorded_by], foreignColumns: [users.id] }).onDelete('set null'),
    // Target of the composite foreign keys of allocations and wallet lots: their payment is their customer's.
    unique('payments_id_customer_key').on(t.id, t.customer_id),
    check('payments_amount_positive', sql`${t.amount_paise} > 0`),
    check('payments_amount_max', sql`${t.amount_paise} <= 1000000000`),
    check('payments_reference_required', sql`${t.method} = 'cash' or length(trim(coalesce(${t.reference}, ''))) > 0`),
    check('payments_reference_length', sql`${t.reference} is null or length(${t.reference}) <= 100`),
    check('payments_received_on_range', sql`${t.received_on} between '2000-01-01' and '2100-12-31'`),
    check('payments_cheque_status_for_cheques', sql`(${t.method} = 'cheque') = (${t.cheque_status} is not null)`),
    check(
      'payments_cheque_dates_consistent',
      sql`(${t.cheque_deposited_on} is not null) = coalesce(${t.cheque_status} in ('deposited', 'cleared', 'bounced'), false)
      and (${t.cheque_cleared_on} is not null) = coalesce(${t.cheque_status} = 'cleared', false)
      and (${t.bounced_on} is not null and length(trim(coalesce(${t.bounce_reason}, ''))) > 0) = coalesce(${t.cheque_status} = 'bounced', false)
      and (${t.bounce_reason} is null or ${t.bounced_on} is not null)
      and coalesce(${t.cheque_deposited_on} >= ${t.received_on}, true)
      and coalesce(${t.cheque_cleared_on} >= ${t.cheque_deposited_on}, true)
      and coalesce(${t.bounced_on} >= ${t.cheque_deposited_on}, true)`,
    ),
    // Never more settled and credited than the payment brought in.
    check('payments_applied_within_amount', sql`${t.allocated_paise} >= 0 and ${t.credited_paise} >= 0 and ${t.allocated_paise} + ${t.credited_paise} <= ${t.amount_paise}`),
    // Money refunded is no longer there to settle invoices or fund credit (migration refunds keeps refunded_paise).
    check('payments_refunded_within_amount', sql`${t.refunded_paise} >= 0 and ${t.allocated_paise} + ${t.credited_paise} + ${t.refunded_paise} <= ${t.amount_paise}`),
    // A bounced cheque settles nothing: its allocations are reversed before it is marked bounced.
    check('payments_bounced_unallocated', sql`${t.cheque_status} is distinct from 'bounced' or ${t.allocated_paise} = 0`),
    // One bank credit is recorded once: a UTR (bank transfer) or UPI reference is unique; a cheque number per
    // customer, unless it bounced (the same cheque may be presented again).
    uniqueIndex('payments_bank_reference_key').on(t.method, t.reference).where(sql`${t.method} in ('upi', 'bank_transfer')`),
    // A gateway payment (its id, pay_...) is recorded once: a webhook replayed or a hand entry cannot add it again.
    uniqueIndex('payments_gateway_reference_key').on(t.reference).where(sql`${t.method} = 'gateway'`),
    uniqueIndex('payments_cheque_number_key').on(t.customer_id, t.reference).where(sql`${t.method} = 'cheque' and ${t.cheque_status} <> 'bounced'`),
    index('payments_customer_received_idx').on(t.customer_id, t.received_on),
    index('payments_received_idx').on(t.received_on, t.id),
    index('payments_created_idx').on(t.created_at, t.id),
    index('payments_amount_idx').on(t.amount_paise, t.id),
    index('payments_recorded_by_idx').on(t.recorded_by, t.created_at),
    index('payments_reference_trgm_idx').using('gin', t.reference.op('gin_trgm_ops')),
    // Cheques waiting at the bank (the list's filter), a few at a time.
    index('payments_cheque_status_idx').on(t.cheque_status, t.received_on).where(sql`${t.cheque_status} is not null`),
  ],
);

/** Where a wallet lot's credit came from. Paid-in money (overpayment, top_up) never expires. */
export const walletLotSource = pgEnum('wallet_lot_source', ['overpayment', 'top_up', 'promo', 'refund']);

/**
 * Customer credit, lot by lot: each has its own amount, optional expiry and what is left of it. The ledger below is
 * the history; `remaining_paise` is kept from it by its trigger (the only writer), under the lot's row lock.
 */
export const walletLots = pgTable(
  'wallet_lots',
  {
    id: id(),
    customer_id: uuid('customer_id').notNull(),
    source: walletLotSource('source').notNull(),
    amount_paise: bigint('amount_paise', { mode: 'number' }).notNull(),
    remaining_paise: bigint('remaining_paise', { mode: 'number' }).notNull(),
    expires_at: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    /** The payment whose money this is (overpayment, top-up). */
    payment_id: uuid('payment_id'),
    note: text('note').notNull().default(''),
    created_by: uuid('created_by'),
    created_at: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'wallet_lots_customer_id_fk', columns: [t.customer_id], foreignColumns: [customers.id] }).onDelete('restrict'),
    foreignKey({ name: 'wallet_lots_payment_fk', columns: [t.payment_id, t.customer_id], foreignColumns: [payments.id, payments.customer_id] }).onDelete('restrict'),
    foreignKey({ name: 'wallet_lots_created_by_fk', columns: [t.created_by], foreignColumns: [users.id] }).onDelete('set null'),
    unique('wallet_lots_id_customer_key').on(t.id, t.customer_id),
    check('wallet_lots_amount_positive', sql`${t.amount_paise} > 0 and ${t.amount_paise} <= 1000000000`),
    // The wallet never goes below zero: no lot gives more than it holds, nor holds more than it was given.
    check('wallet_lots_remaining_within_amount', sql`${t.remaining_paise} between 0 and ${t.amount_paise}`),
    check('wallet_lots_paid_in_from_payment', sql`(${t.source} in ('overpayment', 'top_up')) = (${t.payment_id} is not null)`),
    check('wallet_lots_paid_in_never_expires', sql`${t.payment_id} is null or ${t.expires_at} is null`),
    // Open lots of a customer in drawing order (soonest expiry first), and lots for the expiry job.
    index('wallet_lots_open_idx').on(t.customer_id, t.expires_at).where(sql`${t.remaining_paise} > 0`),
    index('wallet_lots_expiring_idx').on(t.expires_at).where(sql`${t.remaining_paise} > 0 and ${t.expires_at} is not null`),
    index('wallet_lots_payment_idx').on(t.payment_id),
    // A customer's lots, all of them (the wallet page, statements).
    index('wallet_lots_customer_idx').on(t.customer_id, t.created_at),
  ],
);

/**
 * The wallet's ledger, append-only: credit (a lot is made), debit (spent on an invoice), expiry (what was left of a lot
 * at its expiry), reinstate (a spent amount back, its allocation reversed), withdrawal (money taken out: the lot's
 * payment bounced; later, refunds out of the wallet). A customer's balance is the sum of its lines.
 */
export const walletEntryKind = pgEnum('wallet_entry_kind', ['credit', 'debit', 'expiry', 'reinstate', 'withdrawal']);

export const walletTransactions = pgTable(
  'wallet_transactions',
  {
    id: id(),
    customer_id: uuid('customer_id').notNull(),
    lot_id: uuid('lot_id').notNull(),
    kind: walletEntryKind('kind').notNull(),
    amount_paise: bigint('amount_paise', { mode: 'number' }).notNull(),
    invoice_id: uuid('invoice_id'),
    note: text('note').notNull().default(''),
    created_by: uuid('created_by'),
    created_at: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'wallet_transactions_lot_fk', columns: [t.lot_id, t.customer_id], foreignColumns: [walletLots.id, walletLots.customer_id] }).onDelete('restrict'),
    foreignKey({ name: 'wallet_transactions_invoice_fk', columns: [t.invoice_id, t.customer_id], foreignColumns: [invoices.id, invoices.customer_id] }).onDelete('restrict'),
    foreignKey({ name: 'wallet_transactions_created_by_fk', columns: [t.created_by], foreignColumns: [users.id] }).onDelete('set null'),
    unique('wallet_transactions_id_customer_key').on(t.id, t.customer_id),
    check('wallet_transactions_amount_positive', sql`${t.amount_paise} > 0`),
    check('wallet_transactions_invoice_for_applied', sql`${t.kind} not in ('debit', 'reinstate') or ${t.invoice_id} is not null`),
    // A lot is credited once, when it is made.
    uniqueIndex('wallet_transactions_one_credit_per_lot').on(t.lot_id).where(sql`${t.kind} = 'credit'`),
    index('wallet_transactions_customer_idx').on(t.customer_id, t.created_at, t.id),
    index('wallet_transactions_lot_idx').on(t.lot_id),
    // The whole ledger by time, either direction (id breaks ties in the same direction).
    index('wallet_transactions_created_idx').on(t.created_at, t.id),
  ],
);

/**
 * What settles an invoice: part of a payment, or wallet credit (one debit line of the ledger). Never deleted nor
 * rebound: undoing one (a bounced cheque, a void invoice) marks it reversed, which its trigger takes off the invoice.
 */
export const paymentAllocations = pgTable(
  'payment_allocations',
  {
    id: id(),
    customer_id: uuid('customer_id').notNull(),
    invoice_id: uuid('invoice_id').notNull(),
    payment_id: uuid('payment_id'),
    wallet_transaction_id: uuid('wallet_transaction_id'),
    amount_paise: bigint('amount_paise', { mode: 'number' }).notNull(),
    created_by: uuid('created_by'),
    created_at: createdAt(),
    reversed_at: timestamp('reversed_at', { withTimezone: true, mode: 'date' }),
    reversed_by: uuid('reversed_by'),
    reversal_reason: text('reversal_reason'),
  },
  (t) => [
    // Composite keys: the invoice, the payment and the wallet line are all the allocation's customer's.
    foreignKey({ name: 'payment_allocations_invoice_fk', columns: [t.invoice_id, t.customer_id], foreignColumns: [invoices.id, invoices.customer_id] }).onDelete('restrict'),
    foreignKey({ name: 'payment_allocations_payment_fk', columns: [t.payment_id, t.customer_id], foreignColumns: [payments.id, payments.customer_id] }).onDelete('restrict'),
    foreignKey({
      name: 'payment_allocations_wallet_fk',
      columns: [t.wallet_transaction_id, t.customer_id],
      foreignColumns: [walletTransactions.id, walletTransactions.customer_id],
    }).onDelete('restrict'),
    foreignKey({ name: 'payment_allocations_created_by_fk', columns: [t.created_by], foreignColumns: [users.id] }).onDelete('set null'),
    foreignKey({ name: 'payment_allocations_reversed_by_fk', columns: [t.reversed_by], foreignColumns: [users.id] }).onDelete('set null'),
    check('payment_allocations_amount_positive', sql`${t.amount_paise} > 0`),
    check('payment_allocations_one_source', sql`(${t.payment_id} is null) <> (${t.wallet_transaction_id} is null)`),
    check('payment_allocations_reversal_consistent', sql`(${t.reversed_at} is null) = (${t.reversal_reason} is null) and (${t.reversed_by} is null or ${t.reversed_at} is not null)`),
    uniqueIndex('payment_allocations_wallet_line_key').on(t.wallet_transaction_id),
    index('payment_allocations_invoice_idx').on(t.invoice_id, t.created_at),
    index('payment_allocations_payment_idx').on(t.payment_id),
    index('payment_allocations_customer_idx').on(t.customer_id, t.created_at),
    index('payment_allocations_created_idx').on(t.created_at, t.id),
  ],
);

/**
 * Each customer's balances, kept by triggers in the transaction that changes them (invoices, wallet lots), so the
 * receivables list sorts and filters 50,000 customers by index: the sum of open invoices' balance due, the oldest
 * due date among them, and the wallet credit. Nothing else writes it (customer_balances_derived).
 */
export const customerBalances = pgTable(
  'customer_balances',
  {
    customer_id: uuid('customer_id').primaryKey(),
    balance_due_paise: bigint('balance_due_paise', { mode: 'number' }).notNull().default(0),
    open_invoices: integer('open_invoices').notNull().default(0),
    oldest_due_date: date('oldest_due_date', { mode: 'string' }),
    wallet_paise: bigint('wallet_paise', { mode: 'number' }).notNull().default(0),
    updated_at: updatedAt(),
  },
  (t) => [
    foreignKey({ name: 'customer_balances_customer_id_fk', columns: [t.customer_id], foreignColumns: [customers.id] }).onDelete('cascade'),
    check('customer_balances_nonnegative', sql`${t.balance_due_paise} >= 0 and ${t.wallet_paise} >= 0 and ${t.open_invoices} >= 0`),
    check('customer_balances_oldest_when_open', sql`(${t.open_invoices} > 0) = (${t.oldest_due_date} is not null)`),
    index('customer_balances_due_idx').on(t.balance_due_paise, t.customer_id),
    index('customer_balances_oldest_idx').on(t.oldest_due_date, t.customer_id),
    index('customer_balances_wallet_idx').on(t.wallet_paise, t.customer_id),
  ],
);
