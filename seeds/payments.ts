import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { customers, invoices, staff, users } from '../db/schema/index.js';
import type { Ctx } from '../api/lib/context.js';
import { addDays, todayIST } from '../api/lib/dates.js';
import { loadActor } from '../api/modules/auth/auth.service.js';
import { bounceCheque, clearCheque, depositCheque, recordPayment } from '../api/modules/payments/payments.service.js';
import { grantPromo, expireWalletLots } from '../api/modules/wallets/wallets.service.js';
import { createLot } from '../api/modules/wallets/wallet-ledger.js';
import { Random } from './random.js';

// Payments for the demo's invoices, month by month right after each run (so credit left over is applied by the next
// run): most pay on time by UPI, cash or bank transfer, some partly, some not at all (arrears), a few overpay;
// cheques are deposited and cleared, and one bounces. Cash in the demo runner's zone is recorded by the runner.
// Through the service verbs the API uses, so every row is audited and every rule holds.

export interface PaymentSeedContext {
  finance: Ctx;
  runner: Ctx | null;
  runnerZone: string | null;
  rnd: Random;
  today: string;
  months: number;
  bounced: boolean;
}

export async function paymentSeedContext(db: Db, seed: number, runnerEmail: string, today = todayIST()): Promise<PaymentSeedContext> {
  const actorOf = async (email: string) => {
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
    return u ? { db, inTx: false, actor: await loadActor(db, u.id), requestId: 'seed', log: (await import('pino')).default({ level: 'silent' }) } : null;
  };
  const finance = await actorOf('finance@milkrun.test');
  if (!finance) throw new Error('paymentSeedContext: the demo finance user is missing');
  const runner = await actorOf(runnerEmail);
  const [runnerStaff] = runner ? await db.select({ zone_id: staff.zone_id }).from(staff).where(eq(staff.user_id, runner.actor!.id)) : [];
  return { finance, runner, runnerZone: runnerStaff?.zone_id ?? null, rnd: new Random(seed), today, months: 0, bounced: false };
}

const digits = (rnd: Random, n: number) => Array.from({ length: n }, () => rnd.int(0, 9)).join('');
const clamp = (day: string, today: string) => (day > today ? today : day);

/** The payments of one invoice run's invoices (in number order), received between their date and today. */
export async function seedRunPayments(p: PaymentSeedContext, runId: string): Promise<{ payments: number; cheques: number }> {
  const { rnd, today, finance } = p;
  const db = finance.db;
  const issued = await db
    // What each invoice still owes after the run: the run spends the customer's wallet credit (an earlier overpayment
    // or top-up) on it first, and credit may settle it whole. Paying `total_paise` regardless asked the API to settle
    // a paid invoice ("Invoice ... is already paid"), and only some seeds and scales leave credit that large.
    .select({ id: invoices.id, customer_id: invoices.customer_id, total: invoices.balance_due_paise, invoice_date: invoices.invoice_date, due_date: invoices.due_date, zone_id: customers.zone_id })
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customer_id))
    .where(eq(invoices.run_id, runId))
    .orderBy(asc(invoices.number));
  let made = 0;
  let cheques = 0;
  const chequesToBank: { id: string; received: string; bounce: boolean }[] = [];
  for (const [i, inv] of issued.entries()) {
    if (inv.invoice_date > today) continue;
    const roll = rnd.next();
    // Paid in full by wallet credit when the run issued it: nothing left to pay (the roll is drawn all the same, so
    // the other invoices of a seed get the payments they got before).
    if (inv.total <= 0) continue;
    // The first invoices of the first run are the demo's fixed cases: a cheque that bounces, one that clears.
    const fixed = p.months === 0 && i < 2 ? (i === 0 ? 'bounce' : 'cheque') : null;
    if (!fixed && roll < 0.1) continue; // arrears: nothing paid yet
    const amount = fixed || roll >= 0.22 ? inv.total : Math.max(100, Math.round((inv.total * rnd.int(40, 80)) / 100 / 1000) * 1000);
    const topped = !fixed && roll > 0.93 ? Math.ceil((inv.total + 1) / 50000) * 50000 : amount; // a few round up: credit
    const late = !fixed && roll > 0.88 && roll <= 0.93;
    const received = clamp(late ? addDays(inv.due_date, rnd.int(3, 20)) : addDays(inv.invoice_date, rnd.int(0, 6)), today);
    const m = rnd.next();
    const method = fixed ? 'cheque' : m < 0.55 ? 'upi' : m < 0.8 ? 'cash' : m < 0.93 ? 'bank_transfer' : 'cheque';
    const reference = method === 'upi' ? digits(rnd, 12) : method === 'bank_transfer' ? `UTR${digits(rnd, 13)}` : method === 'cheque' ? digits(rnd, 6) : null;
    const ctx = method === 'cash' && p.runner && inv.zone_id === p.runnerZone ? p.runner : finance;
    const payment = await recordPayment(ctx, { customer_id: inv.customer_id, amount_paise: topped, method, reference, received_on: received, invoice_ids: [inv.id] });
    made++;
    if (method === 'cheque') {
      cheques++;
      chequesToBank.push({ id: payment.id as string, received, bounce: fixed === 'bounce' && !p.bounced });
      if (fixed === 'bounce') p.bounced = true;
    }
  }
  // Cheques go to the bank a day later and clear two days after that (those still in the future stay pending).
  for (const c of chequesToBank) {
    const deposited = addDays(c.received, 1);
    if (deposited > today) continue;
    await depositCheque(finance, c.id, { deposited_on: deposited });
    const settled = addDays(deposited, 2);
    if (settled > today) continue;
    if (c.bounce) await bounceCheque(finance, c.id, { reason: 'Insufficient funds (returned by the bank, memo R01)', bounced_on: settled });
    else await clearCheque(finance, c.id, { cleared_on: settled });
  }
  p.months++;
  return { payments: made, cheques };
}

/**
 * Credit beside the payments: a few top-ups and referral credits for customers with invoices, and one promotional
 * credit that has already expired (the expiry job then writes its line), so the wallet pages have every kind of lot.
 */
export async function seedWalletCredit(p: PaymentSeedContext): Promise<{ topUps: number; promos: number; expired: number }> {
  const { rnd, finance } = p;
  const db = finance.db;
  const billed = await db.execute(sql`select distinct customer_id from invoices order by customer_id limit 40`);
  const ids = ((Array.isArray(billed) ? billed : (billed as { rows: unknown[] }).rows) as { customer_id: string }[]).map((r) => r.customer_id);
  let topUps = 0;
  let promos = 0;
  for (const [i, customerId] of ids.entries()) {
    if (i % 9 === 3) {
      await recordPayment(finance, { customer_id: customerId, amount_paise: rnd.int(5, 30) * 10000, method: 'upi', reference: digits(rnd, 12), received_on: addDays(p.today, -rnd.int(0, 5)) }, { toWallet: true });
      topUps++;
    } else if (i % 9 === 5) {
      await grantPromo(finance, customerId, { amount_paise: rnd.pick([5000, 10000, 15000]), note: rnd.pick(['Referral bonus', 'Sorry for the late delivery', 'Festival offer']) });
      promos++;
    }
  }
  let expired = 0;
  if (ids.length) {
    // A Diwali offer nobody used: given 40 days ago for 30 days, written straight as a lot (the API refuses an expiry in the past).
    await finance.db.transaction(async (tx) => {
      await createLot({ ...finance, db: tx as unknown as Db, inTx: true }, { customerId: ids[0], source: 'promo', amountPaise: 7500, expiresAt: new Date(Date.now() - 10 * 86_400_000), note: 'Diwali offer' });
    });
    expired = (await expireWalletLots({ ...finance, actor: null })).expired;
  }
  return { topUps, promos, expired };
}
