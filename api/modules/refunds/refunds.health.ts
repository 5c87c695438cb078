import { sql } from 'drizzle-orm';
import type { CheckSpec } from '../health/health.service.js';

// Data health of money going back (refunds and credit notes): what a bypass of the rules (triggers disabled, a restore
// without constraints) could leave broken. `npm run check` and the Data health page run them with the chain's.
export const moneyBackChecks: CheckSpec[] = [
  {
    name: 'refunds_past_capture',
    label: "Payments whose refunds pass what was captured, refunds of money not in hand, or a refunded amount that is not its approved refunds'",
    broken: sql`with standing as (
        select payment_id, sum(amount_paise) as asked,
               coalesce(sum(amount_paise - from_wallet_paise) filter (where status in ('approved', 'processing', 'processed', 'paid')), 0) as taken
        from refunds where status not in ('rejected', 'failed') group by payment_id
      )
      select p.id::text as id from payments p join standing s on s.payment_id = p.id
      where s.asked > p.amount_paise or p.refunded_paise <> s.taken
         or p.status not in ('captured', 'refunded') or coalesce(p.cheque_status <> 'cleared', false)
      union
      select p.id::text from payments p
      where (p.refunded_paise <> 0 and not exists (select 1 from refunds r where r.payment_id = p.id and r.status not in ('rejected', 'failed')))
         or p.allocated_paise + p.credited_paise + p.refunded_paise > p.amount_paise`,
  },
  {
    name: 'refunds_inconsistent',
    label: 'Refunds approved by whoever asked for them, in a state without its decision, or approved against an invoice with no credit note',
    broken: sql`select r.id::text as id from refunds r
      where r.approved_by = r.requested_by
         or (r.status in ('approved', 'processing', 'processed', 'failed', 'paid')) <> (r.approved_by is not null)
         or (r.status = 'rejected') <> (r.rejected_by is not null)
         or (r.status = 'paid') <> (r.paid_reference is not null)
         or (r.status = 'processing' and r.provider_refund_id is null)
         or (r.destination = 'wallet' and r.status = 'processed' and r.wallet_lot_id is null)
         or (r.invoice_id is not null and r.status in ('approved', 'processing', 'processed', 'paid')
             and not exists (select 1 from credit_notes n where n.refund_id = r.id))`,
  },
  {
    name: 'credit_notes_past_invoice',
    label: 'Invoices whose credit notes pass their total, differ from what is credited on them, or stand on a void invoice',
    broken: sql`select i.id::text as id from invoices i
      join (select invoice_id, sum(total_paise) as noted from credit_notes group by invoice_id) c on c.invoice_id = i.id
      where c.noted > i.total_paise or i.credited_paise <> c.noted or i.status = 'void'
      union
      select i.id::text from invoices i
      where i.credited_paise <> 0 and not exists (select 1 from credit_notes c where c.invoice_id = i.id)`,
  },
  {
    name: 'credit_notes_inconsistent',
    label: 'Credit notes that are not the sum of their lines, reverse more of an invoice line than it holds, or differ from their refund',
    broken: sql`select n.id::text as id from credit_notes n
      left join (select credit_note_id, sum(total_paise) as total from credit_note_lines group by credit_note_id) l on l.credit_note_id = n.id
      where coalesce(l.total, 0) <> n.total_paise or n.total_paise <> n.taxable_paise + n.exempt_paise + n.cgst_paise + n.sgst_paise
      union
      select n.id::text from credit_notes n join refunds r on r.id = n.refund_id
      where (r.amount_paise, r.invoice_id, r.reason) is distinct from (n.total_paise, n.invoice_id, n.reason)
      union
      select cl.credit_note_id::text from credit_note_lines cl
      join (select invoice_line_id, sum(taxable_paise) as taxable, sum(cgst_paise) as cgst, sum(sgst_paise) as sgst
            from credit_note_lines group by invoice_line_id) s on s.invoice_line_id = cl.invoice_line_id
      join invoice_lines il on il.id = cl.invoice_line_id
      where s.taxable > il.taxable_paise or s.cgst > il.cgst_paise or s.sgst > il.sgst_paise`,
  },
  {
    name: 'credit_note_number_gaps',
    label: 'Missing numbers in the credit note series (per financial year)',
    broken: sql`with bounds as (
        select coalesce(u.financial_year, s.financial_year) as financial_year, greatest(coalesce(u.top, 0), coalesce(s.next_seq - 1, 0)) as top
        from (select financial_year, max(seq) as top from credit_notes group by financial_year) u
        full join credit_note_series s on s.financial_year = u.financial_year
      )
      select 'CN/' || b.financial_year || '#' || g.n as id
      from bounds b cross join lateral generate_series(1, b.top) as g(n)
      where not exists (select 1 from credit_notes n where n.financial_year = b.financial_year and n.seq = g.n)`,
  },
];
