import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dataHealth } from '../../api/modules/health/health.service.js';
import { applyCreditToInvoice, grantPromo } from '../../api/modules/wallets/wallets.service.js';
import { invoices, payments } from '../../db/schema/index.js';
import { seedDemo } from '../../seeds/demo.js';
import { paymentSeedContext, seedRunPayments } from '../../seeds/payments.js';
import { DEMO_STAFF_EMAIL } from '../../seeds/history.js';
import { rowsOf } from '../../api/lib/sql.js';
import { freshDatabase } from '../helpers/app.js';

// The demo's payments follow each invoice run. The run first spends the customer's wallet credit (an overpayment the
// month before, a top-up) on the new invoice, and that can settle it whole: the seed then asked the API to pay an
// invoice already paid ("Invoice MR/26-27/000035 is already paid." at scale 0.2, seed 21, 150 days). It pays what is
// still due now, and nothing on an invoice the credit settled.

type Database = Awaited<ReturnType<typeof freshDatabase>>;

/** Data health's findings: none, refunds included (their statement lines came with the refunds pages, issue 12). */
async function findings(db: Database['db']): Promise<string[]> {
  const health = await dataHealth(db);
  return health.checks.filter((c) => c.count > 0).map((c) => `${c.name}: ${c.examples.join(', ')}`);
}

/** Issued invoices paid past their total (the database refuses it; counted here as a second look). */
async function overpaid(db: Database['db']): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from invoices where status = 'issued' and paid_paise + credited_paise > total_paise`));
  return row.n;
}

describe('the demo seed pays what the invoice run left due', () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase();
    await seedDemo(database.db, { scale: 0.05, seed: 21, historyDays: 70 });
  }, 600_000);
  afterAll(() => database?.drop());

  test('a run whose invoices credit already settled (whole or in part) gets payments of what is left, and no error', async () => {
    const db = database.db;
    // The run with the most invoices still owing (arrears and part payments of the demo).
    const [run] = rowsOf<{ id: string }>(
      await db.execute(sql`select run_id as id from invoices where run_id is not null and status = 'issued' and balance_due_paise > 1000
        group by run_id order by count(*) desc, run_id limit 1`),
    );
    expect(run).toBeDefined();
    const p = await paymentSeedContext(db, 99, DEMO_STAFF_EMAIL);
    // Wallet credit settles the run's open invoices as the next run would: the first ones whole, one in part.
    const open = await db
      .select({ id: invoices.id, customer_id: invoices.customer_id, due: invoices.balance_due_paise })
      .from(invoices)
      .where(and(eq(invoices.run_id, run.id), eq(invoices.status, 'issued'), gt(invoices.balance_due_paise, 1000)))
      .orderBy(asc(invoices.number))
      .limit(4);
    expect(open.length).toBeGreaterThanOrEqual(2);
    const whole = open.slice(0, -1);
    for (const [i, inv] of open.entries()) {
      const amount = i === open.length - 1 ? Math.floor(inv.due / 2) : inv.due;
      await grantPromo(p.finance, inv.customer_id, { amount_paise: amount, note: 'Credit as the next run would spend it' });
      await applyCreditToInvoice(p.finance, inv.id, { amount_paise: amount });
    }
    const settled = await db.select({ id: invoices.id, due: invoices.balance_due_paise }).from(invoices).where(eq(invoices.run_id, run.id));
    expect(settled.filter((s) => whole.some((o) => o.id === s.id)).every((s) => s.due === 0)).toBe(true);

    const paymentsOn = async (id: string) =>
      rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from payment_allocations where invoice_id = ${id} and payment_id is not null and reversed_at is null`))[0].n;
    const paidBefore = await Promise.all(open.map((o) => paymentsOn(o.id)));
    const before = await db.select({ n: sql<number>`count(*)::int` }).from(payments);
    // Before the fix: "Invoice ... is already paid." (a 422 from allocatePayment) on the first settled invoice.
    const made = await seedRunPayments(p, run.id);
    expect(made.payments).toBeGreaterThan(0);
    const after = await db.select({ n: sql<number>`count(*)::int` }).from(payments);
    expect(after[0].n - before[0].n).toBe(made.payments);
    // No new payment settles the invoices credit had settled whole (the seed paid this run once already: what
    // partly paid them then is still there).
    for (const [i, inv] of whole.entries()) expect(await paymentsOn(inv.id)).toBe(paidBefore[i]);
    expect(await findings(db)).toEqual([]);
  }, 120_000);
});

// Seeds and scales that once ended in "is already paid", and a few others: the whole demo loads, and its money adds up.
const CASES = [
  { scale: 0.2, seed: 21, historyDays: 150 },
  { scale: 0.05, seed: 3, historyDays: 120 },
];

describe.each(CASES)('the demo business at scale $scale, seed $seed, $historyDays days', ({ scale, seed, historyDays }) => {
  test('loads, and data health finds nothing', async () => {
    const database = await freshDatabase();
    try {
      await seedDemo(database.db, { scale, seed, historyDays });
      expect(await findings(database.db)).toEqual([]);
      expect(await overpaid(database.db)).toBe(0);
    } finally {
      await database.drop();
    }
  }, 900_000);
});
