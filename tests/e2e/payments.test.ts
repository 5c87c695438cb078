import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rowsOf } from '../../api/lib/sql.js';
import { customers, invoices, paymentAllocations, payments } from '../../db/schema/index.js';
import { seedDemo } from '../../seeds/demo.js';
import { type AdminHarness, hasChromium, SHOTS, startAdmin, openFromMenu } from './harness.js';

// Finance records a UPI payment against one chosen unpaid invoice, double-clicking the button; the invoice then shows
// paid (balance ₹0.00, tag "paid"), the payment is on the customer's statement, and the database holds one payment
// settling that invoice. (Chosen invoices before the oldest is the API's rule, tested in tests/api/payments.test.ts.)

let h: AdminHarness;
const inr = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' });

describe.skipIf(!hasChromium)('payments in a browser', () => {
  beforeAll(async () => {
    h = await startAdmin((db) => seedDemo(db, { scale: 0.05, seed: 21, historyDays: 70 }));
  }, 600_000);
  afterAll(async () => {
    await h?.close();
  });

  test('finance records a UPI payment against a chosen invoice; it is paid and on the statement', async () => {
    const db = h.database.db;
    // An unpaid invoice (or, should the seed leave none, one partly paid), of a customer owing on as many invoices as any.
    const [target] = rowsOf<{ id: string; number: string; customer_id: string; due: number; phone: string; name: string; open: number }>(
      await db.execute(sql`select i.id, i.number, i.customer_id, i.balance_due_paise::int as due, c.phone, c.name,
          (select count(*)::int from invoices o where o.customer_id = i.customer_id and o.status = 'issued' and o.balance_due_paise > 0) as open
        from invoices i join customers c on c.id = i.customer_id
        where i.status = 'issued' and i.balance_due_paise > 0
        order by (i.payment_status = 'unpaid') desc, open desc, i.invoice_date desc, i.number desc limit 1`),
    );
    expect(target, 'the demo has an invoice still owing').toBeDefined();
    const rupees = (target.due / 100).toFixed(2);
    const reference = `4${String(Date.now()).slice(-11)}`;

    const errors: string[] = [];
    const page = await h.loggedIn('finance', errors);
    // From the menu: Money > Payments > Record payment.
    await openFromMenu(page, 'Payments');
    await page.waitForURL(/\/payments/);
    await page.getByRole('button', { name: 'Record payment' }).click();
    await page.waitForURL(/\/payments\/create/);

    // The customer picker searches by phone digits; the option names the customer and phone.
    await page.getByTestId('payment-customer').click();
    await page.keyboard.type(target.phone.slice(-10));
    await page.locator('.ant-select-item-option').filter({ hasText: target.name }).first().click();
    await page.getByLabel('Amount received').fill(rupees);
    await expect(page.getByRole('radio', { name: 'UPI' }).isChecked()).resolves.toBe(true);
    // Reference is required for UPI: the form says so before anything is sent.
    await page.getByRole('button', { name: 'Record payment' }).click();
    await page.getByText('A upi payment needs its reference').waitFor();
    await page.getByLabel('UPI reference (UTR)').fill(reference);
    await page.getByTestId('payment-invoices').click();
    await page.locator('.ant-select-item-option').filter({ hasText: target.number }).click();
    await page.keyboard.press('Escape');
    await page.screenshot({ path: `${SHOTS}/e2e-payment-form.png`, fullPage: true });

    // A double click records once (one Idempotency-Key for the form).
    await page.getByRole('button', { name: 'Record payment' }).dblclick();
    await page.waitForURL(/\/payments\/show\//);
    const allocations = page.getByTestId('payment-allocations');
    await allocations.getByText(target.number).waitFor();
    await page.screenshot({ path: `${SHOTS}/e2e-payment-show.png`, fullPage: true });

    // The invoice: paid, nothing due.
    await allocations.getByText(target.number).click();
    await page.waitForURL(new RegExp(`/invoices/show/${target.id}`));
    const card = page.getByTestId('invoice-payments');
    await card.getByTestId('payment-status').getByText('paid', { exact: true }).waitFor();
    expect(await card.getByTestId('invoice-balance').innerText()).toBe(inr.format(0));
    await card.getByText(reference).waitFor();
    await page.screenshot({ path: `${SHOTS}/e2e-payment-invoice-paid.png`, fullPage: true });

    // The customer's statement has the payment, by its reference.
    await page.goto(`${h.base}/customers/show/${target.customer_id}?tab=statement`);
    const statement = page.getByTestId('statement');
    await statement.getByText(`Payment received by UPI, ref. ${reference}`).waitFor();
    await page.screenshot({ path: `${SHOTS}/e2e-payment-statement.png`, fullPage: true });
    expect(errors).toEqual([]);

    // The database: one payment with that reference, settling the chosen invoice in full.
    const made = await db.select().from(payments).where(and(eq(payments.customer_id, target.customer_id), eq(payments.reference, reference)));
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ method: 'upi', amount_paise: target.due, status: 'captured', allocated_paise: target.due, credited_paise: 0 });
    const settles = await db.select().from(paymentAllocations).where(eq(paymentAllocations.payment_id, made[0].id));
    expect(settles.map((a) => [a.invoice_id, a.amount_paise])).toEqual([[target.id, target.due]]);
    const [inv] = await db.select().from(invoices).where(eq(invoices.id, target.id));
    expect(inv).toMatchObject({ balance_due_paise: 0, payment_status: 'paid' });
    const [c] = await db.select({ id: customers.id }).from(customers).where(eq(customers.id, target.customer_id));
    expect(c).toBeDefined();
  }, 180_000);
});
