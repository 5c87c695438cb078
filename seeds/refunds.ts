import { sql } from 'drizzle-orm';
import { rowsOf } from '../api/lib/sql.js';
import { addDays, todayIST } from '../api/lib/dates.js';
import { fakeRefundProvider } from '../api/modules/refunds/provider.js';
import { applyRefundResult, approveRefund, payRefund, rejectRefund, requestRefund, sendRefund } from '../api/modules/refunds/refunds.service.js';
import type { Db } from '../db/client.js';
import { systemCtx } from './history.js';

// The demo's money going back (issue 12, items 6 and 7), a step of its own after the history (and after the payments
// step, whose payments it uses when there are some): refunds in every state of the queue, a few of them awaiting
// approval (one above the ₹2,000 that needs a second-factor code), and one approved short delivery with its credit note.

interface Candidate {
  invoice_id: string;
  customer_id: string;
  number: string;
  invoice_date: string;
  total: number;
  due: number;
}

interface Plan {
  reason: 'short_delivery' | 'spoilt_product' | 'goodwill' | 'billing_error' | 'cancellation';
  /** Share of the invoice's total, rounded to whole rupees; or a fixed amount. */
  share?: number;
  amount?: number;
  destination: 'source' | 'wallet';
  by: 'support' | 'finance';
  note: string;
  then?: 'approve_and_pay' | 'approve' | 'reject';
  /** At least this much paid on the invoice (the refund above ₹2,000). */
  minTotal?: number;
}

const plans: Plan[] = [
  { reason: 'short_delivery', share: 0.08, destination: 'source', by: 'support', note: 'Two packets of toned milk missing on Sunday; the customer called the same morning.' },
  { reason: 'spoilt_product', share: 0.05, destination: 'wallet', by: 'support', note: 'Curd was sour on delivery (photo sent on WhatsApp). Credit to the wallet as the customer asked.' },
  { reason: 'goodwill', amount: 5000, destination: 'wallet', by: 'finance', note: 'Delivery missed twice in a week during the road works: goodwill credit.' },
  { reason: 'short_delivery', amount: 210000, minTotal: 220000, destination: 'source', by: 'support', note: 'Whole week of deliveries missed while the gate was locked; the customer was away.' },
  { reason: 'short_delivery', share: 0.1, destination: 'source', by: 'support', note: 'Paneer short by one pack on three days.', then: 'approve_and_pay' },
  { reason: 'billing_error', share: 0.04, destination: 'source', by: 'support', note: 'Customer says the ghee was billed twice.', then: 'reject' },
  // Approved, the money not sent back yet (finance marks it paid with the UPI reference); and one to the wallet, done.
  { reason: 'goodwill', amount: 15000, destination: 'source', by: 'support', note: 'Festival week: two late deliveries in a row.', then: 'approve' },
  { reason: 'cancellation', amount: 12000, destination: 'wallet', by: 'support', note: 'Paused for a fortnight after paying for the month: keep it as credit.', then: 'approve' },
];

/** A captured payment (not through the gateway) settling at least `need` of the invoice; made when the invoice is unpaid. */
async function paymentFor(db: Db, c: Candidate, need: number, seq: number): Promise<string | null> {
  const [found] = rowsOf<{ id: string }>(
    await db.execute(sql`select a.payment_id as id from payment_allocations a join payments p on p.id = a.payment_id
      where a.invoice_id = ${c.invoice_id} and a.reversed_at is null and a.amount_paise >= ${need} and p.status = 'captured' and p.method <> 'gateway'
        and coalesce(p.cheque_status = 'cleared', true)
        and not exists (select 1 from refunds r where r.payment_id = p.id)
      limit 1`),
  );
  if (found) return found.id;
  if (c.due !== c.total) return null;
  const received = [addDays(c.invoice_date, 3), todayIST()].sort()[0];
  return db.transaction(async (tx) => {
    const [p] = rowsOf<{ id: string }>(
      await tx.execute(sql`insert into payments (customer_id, amount_paise, method, reference, received_on, note)
        values (${c.customer_id}, ${c.total}, 'upi', ${`UPIRFD${String(440000 + seq)}`}, ${received}, ${`UPI payment of ${c.number}`}) returning id`),
    );
    await tx.execute(sql`insert into payment_allocations (customer_id, invoice_id, payment_id, amount_paise) values (${c.customer_id}, ${c.invoice_id}, ${p.id}, ${c.total})`);
    return p.id;
  });
}

export async function seedRefunds(db: Db, userIds: Record<string, string>, opts: { log?: (line: string) => void } = {}): Promise<void> {
  const log = opts.log ?? (() => {});
  const support = await systemCtx(db, userIds.support);
  const finance = await systemCtx(db, userIds.finance);
  const candidates = rowsOf<Candidate & { total: string; due: string }>(
    await db.execute(sql`select id as invoice_id, customer_id, number, invoice_date::text, total_paise as total, balance_due_paise as due
      from invoices where status = 'issued' and total_paise >= 20000 order by invoice_date desc, total_paise desc, number limit 400`),
  ).map((c) => ({ ...c, total: Number(c.total), due: Number(c.due) }));
  const used = new Set<string>();
  let made = 0;
  let seq = 0;
  for (const plan of plans) {
    const pool = plan.minTotal ? [...candidates].sort((a, b) => b.total - a.total) : candidates;
    for (const c of pool) {
      if (used.has(c.customer_id) || (plan.minTotal && c.total < plan.minTotal)) continue;
      const amount = plan.amount ?? Math.max(100, Math.round((c.total * (plan.share ?? 0.05)) / 100) * 100);
      const payment = await paymentFor(db, c, amount, ++seq);
      if (!payment) continue;
      used.add(c.customer_id);
      const refund = await requestRefund(plan.by === 'support' ? support : finance, {
        payment_id: payment,
        amount_paise: amount,
        reason: plan.reason,
        destination: plan.destination,
        note: plan.note,
        invoice_id: plan.reason === 'short_delivery' || plan.reason === 'spoilt_product' || plan.reason === 'billing_error' ? c.invoice_id : undefined,
      });
      if (plan.then === 'approve') {
        await approveRefund(finance, refund.id as string);
      } else if (plan.then === 'approve_and_pay') {
        await approveRefund(finance, refund.id as string);
        await payRefund(finance, refund.id as string, { reference: `UPI-RFD-${String(seq).padStart(6, '0')}` });
      } else if (plan.then === 'reject') {
        await rejectRefund(finance, refund.id as string, { reason: 'Billed once: the second line is the evening delivery of the same day.' });
      }
      made++;
      break;
    }
  }
  log(`refunds: ${made} (awaiting approval, approved, to the wallet, paid with its credit note, rejected)`);
}

/**
 * Refunds of gateway payments (after the gateway step, whose captured payments they refund), sent through a fake
 * gateway whose answers come back as the webhook would bring them: one processed, one failed (its money stays as the
 * customer's wallet credit), one still at the gateway.
 */
export async function seedGatewayRefunds(db: Db, userIds: Record<string, string>, opts: { log?: (line: string) => void } = {}): Promise<void> {
  const log = opts.log ?? (() => {});
  const support = await systemCtx(db, userIds.support);
  const finance = await systemCtx(db, userIds.finance);
  const gateway = { ...finance, actor: null, requestId: 'seed-gateway-refunds' };
  const provider = fakeRefundProvider({ report: (r) => applyRefundResult(gateway, r) });
  const captured = rowsOf<{ id: string; amount: number }>(
    await db.execute(sql`select p.id, p.amount_paise::int as amount from payments p
      where p.method = 'gateway' and p.status = 'captured' and p.amount_paise >= 3000
        and not exists (select 1 from refunds r where r.payment_id = p.id)
      order by p.received_on desc, p.id limit 3`),
  );
  const outcomes = ['processed', 'failed', null] as const;
  const notes = ['Charged twice by the UPI app: the bank shows two debits.', 'Cancelled the week after paying online.', 'Customer moved out of the delivery area.'];
  let made = 0;
  for (const [i, p] of captured.entries()) {
    const amount = Math.max(1000, Math.floor(p.amount / 3 / 100) * 100);
    const refund = await requestRefund(support, { payment_id: p.id, amount_paise: amount, reason: i === 0 ? 'duplicate_payment' : 'cancellation', destination: 'source', note: notes[i] });
    await approveRefund(finance, refund.id as string);
    const sent = await sendRefund(finance, refund.id as string, provider);
    const outcome = outcomes[i];
    if (outcome) await provider.settle(String(sent.provider_refund_id), outcome, outcome === 'failed' ? 'The beneficiary bank rejected the credit (account closed).' : undefined);
    made++;
  }
  log(`gateway refunds: ${made} (processed, failed, at the gateway)`);
}
