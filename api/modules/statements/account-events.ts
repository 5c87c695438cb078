import { sql, type SQL } from 'drizzle-orm';

/**
 * Everything that moves what a customer owes, as dated lines: debit raises it, credit lowers it (negative = in credit).
 * - an invoice (its date): debit its total; voiding it later: credit its total (the void's date);
 * - money received (captured payments, by the day received): credit; a cheque that bounced: debit, the day it bounced;
 * - credit given without money (promotional, refund to wallet): credit; credit that expired: debit;
 * - wallet credit spent on an invoice: a memo line (debit and credit 0): it moves money within the account.
 * - a credit note (its date): credit its total (it lowers its invoice's balance due);
 * - a refund, when its money goes back (paid by hand, processed by the gateway, or credited to the wallet: that lot
 *   is a credit line of its own): debit its amount. Until then (approved, at the gateway) it is pending: approval
 *   already raised what the customer owes (allocations cut, credit withdrawn) by what is on its way back to them;
 * - a refund that failed: its money stays as credit. What of it came back to the payment becomes credit that payment
 *   funds (no line, like the payment's other credit); the wallet credit it drew on comes back as a refund lot (a
 *   credit line), so a debit of that part answers it (the withdrawal, from the payment's credit, had no line).
 * So for every customer: the sum of debits - credits = the balance due of their issued invoices - their wallet
 * credit - their refunds pending (data health checks it); over any history, invoices - payments - credit notes +
 * refunds paid out (tests/api/statement.test.ts, a property test).
 *
 * `customer`: one customer's lines (uses the customer indexes), or null for everyone's (data health).
 */
export function accountEvents(customer: string | null): SQL {
  const of = (col: string) => (customer ? sql`${sql.raw(col)} = ${customer}::uuid` : sql`true`);
  return sql`
    select i.customer_id, i.invoice_date as on_date, 'invoice' as kind, i.id as document_id, i.number as reference,
           i.total_paise::bigint as debit, 0::bigint as credit, null::bigint as memo,
           to_char(i.period_start, 'FMDD Mon YYYY') || ' to ' || to_char(i.period_end, 'FMDD Mon YYYY') as detail, i.issued_at as at, 1 as tie
    from invoices i where ${of('i.customer_id')}
    union all
    select i.customer_id, (i.voided_at at time zone 'Asia/Kolkata')::date, 'invoice_void', i.id, i.number, 0, i.total_paise, null, i.void_reason, i.voided_at, 2
    from invoices i where ${of('i.customer_id')} and i.status = 'void'
    union all
    select p.customer_id, p.received_on, 'payment', p.id, p.reference, 0, p.amount_paise, null, p.method::text, p.created_at, 3
    from payments p where ${of('p.customer_id')} and p.status in ('captured', 'refunded')
    union all
    select p.customer_id, p.bounced_on, 'cheque_bounced', p.id, p.reference, p.amount_paise, 0, null, p.bounce_reason, p.updated_at, 4
    from payments p where ${of('p.customer_id')} and p.cheque_status = 'bounced'
    union all
    select l.customer_id, (l.created_at at time zone 'Asia/Kolkata')::date, 'wallet_credit', l.id, null, 0, l.amount_paise, null,
           l.source::text || coalesce(': ' || nullif(l.note, ''), ''), l.created_at, 5
    from wallet_lots l where ${of('l.customer_id')} and l.payment_id is null
    union all
    select t.customer_id, (t.created_at at time zone 'Asia/Kolkata')::date, case t.kind when 'expiry' then 'wallet_expired' else 'wallet_withdrawn' end,
           t.lot_id, null, t.amount_paise, 0, null, nullif(t.note, ''), t.created_at, 6
    from wallet_transactions t join wallet_lots l on l.id = t.lot_id
    where ${of('t.customer_id')} and (t.kind = 'expiry' or (t.kind = 'withdrawal' and l.payment_id is null))
    union all
    select a.customer_id, (a.created_at at time zone 'Asia/Kolkata')::date, 'wallet_applied', a.invoice_id, i.number, 0, 0, a.amount_paise, null, a.created_at, 7
    from payment_allocations a join invoices i on i.id = a.invoice_id where ${of('a.customer_id')} and a.wallet_transaction_id is not null
    union all
    select n.customer_id, n.note_date, 'credit_note', n.id, n.number, 0, n.total_paise, null, n.invoice_number, n.created_at, 8
    from credit_notes n where ${of('n.customer_id')}
    union all
    select r.customer_id, (coalesce(r.paid_at, r.processed_at) at time zone 'Asia/Kolkata')::date, 'refund', r.id,
           coalesce(r.paid_reference, r.provider_refund_id), r.amount_paise, 0, null,
           case when r.destination = 'wallet' then 'wallet' else (select p.method::text from payments p where p.id = r.payment_id) end,
           coalesce(r.paid_at, r.processed_at), 9
    from refunds r where ${of('r.customer_id')} and r.status in ('paid', 'processed')
    union all
    select r.customer_id, (r.failed_at at time zone 'Asia/Kolkata')::date, 'refund_failed', r.id, null, r.from_wallet_paise, 0, null,
           r.failure_reason, r.failed_at, 4
    from refunds r where ${of('r.customer_id')} and r.status = 'failed' and r.from_wallet_paise > 0`;
}

/**
 * Refunds approved whose money has not gone back yet (approved, or at the gateway), per customer: approval raised what
 * the customer owes by them, and their debit line comes when they are paid. `customer` as for accountEvents.
 */
export function refundsPending(customer: string | null): SQL {
  const of = customer ? sql`r.customer_id = ${customer}::uuid` : sql`true`;
  return sql`select r.customer_id, sum(r.amount_paise) as pending from refunds r
    where ${of} and r.status in ('approved', 'processing') group by r.customer_id`;
}
