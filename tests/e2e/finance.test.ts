import { readFileSync } from 'node:fs';
import { and, asc, eq, gte, isNull, lte, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { monthBounds, todayIST } from '../../api/lib/dates.js';
import { confirmDelivery } from '../../api/modules/deliveries/deliveries.service.js';
import { billingRecords, deliveries, invoiceLines, invoiceRuns, invoices, orders, users } from '../../db/schema/index.js';
import { systemCtx } from '../../seeds/history.js';
import { seedDemo } from '../../seeds/demo.js';
import { type AdminHarness, hasChromium, SHOTS, startAdmin, openFromMenu } from './harness.js';

// Finance runs the current month from the admin, watches it finish, opens an invoice and downloads its PDF;
// then the database must agree: every invoice of the run totals its billing records, to the paisa.

const today = todayIST();
const month = today.slice(0, 7);
const inr = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' });

let h: AdminHarness;

describe.skipIf(!hasChromium)('finance in a browser', () => {
  beforeAll(async () => {
    h = await startAdmin(async (db) => {
      // A small business with five weeks of history: last month is closed and invoiced by the seed, this one is open.
      await seedDemo(db, { scale: 0.2, seed: 11, historyDays: 35 });
      // A few of today's deliveries confirmed through the service verb, so this month has unbilled records even on the 1st.
      const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.email, 'admin@milkrun.test'));
      const ctx = await systemCtx(db, admin.id);
      const due = await db
        .select({ id: deliveries.id })
        .from(deliveries)
        .innerJoin(orders, eq(orders.id, deliveries.order_id))
        .where(and(eq(deliveries.order_date, today), eq(deliveries.status, 'pending'), eq(orders.status, 'pending')))
        .orderBy(asc(deliveries.id))
        .limit(3);
      for (const d of due) await confirmDelivery(ctx, d.id, { delivered_at: new Date() });
    });
  }, 600_000);

  afterAll(async () => {
    await h?.close();
  });

  test('finance runs this month, opens an invoice and downloads its PDF; invoices equal their billing records', async () => {
    const db = h.database.db;
    const { start, end } = monthBounds(month);
    const unbilledBefore = await db
      .select({ customer_id: billingRecords.customer_id, total: sql<number>`sum(${billingRecords.total_paise})::int` })
      .from(billingRecords)
      .where(and(isNull(billingRecords.invoice_id), eq(billingRecords.legacy_billed, false), gte(billingRecords.service_date, start), lte(billingRecords.service_date, end)))
      .groupBy(billingRecords.customer_id);
    expect(unbilledBefore.length).toBeGreaterThan(0);

    const errors: string[] = [];
    const page = await h.loggedIn('finance', errors);
    await openFromMenu(page, 'Invoice runs');
    await page.waitForURL(/\/invoice-runs/);
    await page.getByRole('button', { name: 'Run month' }).click();
    await page.waitForURL(/\/invoice-runs\/create/);

    // The month picker offers past and current months only.
    await page.locator('form .ant-picker').click();
    await page.locator(`.ant-picker-dropdown .ant-picker-cell[title="${month}"]`).click();
    const next = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1)).toISOString().slice(0, 7);
    if (next.slice(0, 4) === month.slice(0, 4)) expect(await page.locator(`.ant-picker-cell[title="${next}"]`).getAttribute('class')).toContain('ant-picker-cell-disabled');
    // Under load the dropdown can swallow the click and leave the default (last month): make sure the month took.
    const label = new Date(`${month}-01T00:00:00Z`).toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
    const input = page.locator('form .ant-picker input');
    for (let i = 0; i < 3 && (await input.inputValue()) !== label; i++) {
      await page.locator('form .ant-picker').click();
      await page.locator(`.ant-picker-dropdown .ant-picker-cell[title="${month}"]`).click();
    }
    expect(await input.inputValue()).toBe(label);
    await page.locator('.ant-card').getByRole('button', { name: 'Run month' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: 'Run' }).click();

    // The progress page polls the run until it is done.
    await page.waitForURL(/\/invoice-runs\/show\//);
    const runId = page.url().split('/').pop()!;
    await page.locator('[data-testid=run-progress]').waitFor();
    await page.screenshot({ path: `${SHOTS}/e2e-finance-run-progress.png` });
    await page
      .getByText(/^Done: \d+ customers? processed\.$/)
      .waitFor({ timeout: 120_000 })
      .catch(async (e: Error) => {
        await page.screenshot({ path: `${SHOTS}/e2e-finance-run-failed.png` });
        const [row] = await db.select().from(invoiceRuns).where(eq(invoiceRuns.id, runId));
        throw new Error(`${e.message}\nThe run in the database: ${JSON.stringify(row)}`);
      });
    await page.getByText(`${unbilledBefore.length} / ${unbilledBefore.length} customers processed`).waitFor();
    await page.screenshot({ path: `${SHOTS}/e2e-finance-run.png` });

    const [run] = await db.select().from(invoiceRuns).where(eq(invoiceRuns.id, runId));
    expect(run).toMatchObject({ status: 'completed', month: start, total_customers: unbilledBefore.length, processed_customers: unbilledBefore.length, invoices_created: unbilledBefore.length });
    expect(run.amount_paise).toBe(unbilledBefore.reduce((s, r) => s + r.total, 0));

    // From the run to the month's invoices, to one invoice.
    await page.getByRole('button', { name: /Invoices of / }).click();
    await page.waitForURL(/\/invoices\?/);
    const firstRow = page.locator('.ant-table-row').first();
    await firstRow.waitFor();
    const invoiceId = (await firstRow.getAttribute('data-row-key'))!;
    await firstRow.locator('a').first().click();
    await page.waitForURL(new RegExp(`/invoices/show/${invoiceId}`));
    await page.locator('.ant-table-row').first().waitFor();
    const [invoice] = await db.select().from(invoices).where(eq(invoices.id, invoiceId));
    expect(invoice.period_start).toBe(start);
    await expect.poll(() => page.getByTestId('invoice-total').textContent()).toBe(inr.format(invoice.total_paise / 100));
    expect(await page.getByRole('heading', { name: `Invoice ${invoice.number}` }).count()).toBe(1);

    // Download PDF (a link to the API, same origin: the session cookie goes along). Chromium reports no network
    // response for a download, so the status and type are read with the page's own cookies from the same URL.
    const link = page.getByRole('link', { name: /Download PDF/ });
    const href = (await link.getAttribute('href'))!;
    expect(href).toBe(`/api/invoices/${invoiceId}/pdf`);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(`${invoice.number.replace(/\//g, '-')}.pdf`);
    const file = readFileSync((await download.path())!);
    expect(file.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const response = await page.request.get(`${h.base}${href}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    expect((await response.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.screenshot({ path: `${SHOTS}/e2e-finance-invoice.png`, fullPage: true });

    // The database: each invoice of the run equals its billing records and its lines; nothing of the month is left unbilled.
    const made = await db.select().from(invoices).where(eq(invoices.run_id, runId));
    expect(made).toHaveLength(unbilledBefore.length);
    for (const inv of made) {
      const [records] = await db
        .select({ n: sql<number>`count(*)::int`, total: sql<number>`coalesce(sum(${billingRecords.total_paise}), 0)::int`, customers: sql<number>`count(distinct ${billingRecords.customer_id})::int` })
        .from(billingRecords)
        .where(eq(billingRecords.invoice_id, inv.id));
      const [lines] = await db.select({ total: sql<number>`coalesce(sum(${invoiceLines.total_paise}), 0)::int` }).from(invoiceLines).where(eq(invoiceLines.invoice_id, inv.id));
      expect(records.n).toBeGreaterThan(0);
      expect(records.customers).toBe(1);
      expect(inv.total_paise).toBe(records.total);
      expect(inv.total_paise).toBe(lines.total);
      expect(inv.total_paise).toBe(unbilledBefore.find((u) => u.customer_id === inv.customer_id)?.total);
    }
    const [left] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(billingRecords)
      .where(and(isNull(billingRecords.invoice_id), eq(billingRecords.legacy_billed, false), gte(billingRecords.service_date, start), lte(billingRecords.service_date, end)));
    expect(left.n).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 300_000);

  test('finance voids an invoice with a reason and reissues it, each request with an Idempotency-Key', async () => {
    const db = h.database.db;
    const [issued] = await db.select().from(invoices).where(and(eq(invoices.status, 'issued'), sql`${invoices.period_start} < ${monthBounds(month).start}`)).limit(1);
    expect(issued).toBeDefined();
    const errors: string[] = [];
    const page = await h.loggedIn('finance', errors);
    await page.goto(`${h.base}/invoices/show/${issued.id}`);
    await page.getByRole('button', { name: 'Void' }).click();
    const modal = page.locator('.ant-modal');
    await modal.getByLabel('Reason').fill('Billed to the old address');
    const [voidRequest] = await Promise.all([page.waitForRequest(/\/void$/), modal.getByRole('button', { name: 'Void invoice' }).click()]);
    expect(voidRequest.headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    await page.getByText('Void since').waitFor();

    await page.getByRole('button', { name: 'Reissue' }).click();
    const [reissueRequest] = await Promise.all([
      page.waitForRequest(/\/reissue$/),
      page.locator('.ant-popconfirm').getByRole('button', { name: 'Reissue' }).click(),
    ]);
    expect(reissueRequest.headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    await page.waitForURL((u) => u.pathname.startsWith('/invoices/show/') && !u.pathname.endsWith(issued.id));
    await page.locator('.ant-descriptions-item-label', { hasText: 'Replaces' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/e2e-finance-reissued.png`, fullPage: true });

    // The database: the old invoice is void, exactly one new one replaces it, with the same total and a new number.
    const replacements = await db.select().from(invoices).where(eq(invoices.replaces_invoice_id, issued.id));
    expect(replacements).toHaveLength(1);
    expect(replacements[0]).toMatchObject({ status: 'issued', customer_id: issued.customer_id, total_paise: issued.total_paise });
    expect(replacements[0].number).not.toBe(issued.number);
    const [old] = await db.select().from(invoices).where(eq(invoices.id, issued.id));
    expect(old).toMatchObject({ status: 'void', void_reason: 'Billed to the old address' });
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
