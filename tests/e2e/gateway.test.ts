import pino from 'pino';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { receiveWebhook } from '../../api/modules/gateway/webhook.service.js';
import { ensureDemoUsers } from '../../seeds/users.js';
import type { Db } from '../../db/client.js';
import { makeCustomer, makeProduct, sqlRows, type CustomerFixture } from '../helpers/chain-fixtures.js';
import { makeInvoice, serviceCtx } from '../helpers/money-fixtures.js';
import { type AdminHarness, hasChromium, SHOTS, startAdmin, openFromMenu } from './harness.js';

// Finance works the gateway's money in a browser: assigns an unmatched Razorpay payment to its customer (confirmed),
// whose invoice it then pays; uploads a settlement file (dry run, then apply) that gives a payment its UTR; resolves
// the exception for the line naming a payment nobody knows. The database must agree at each step.

let h: AdminHarness;
let customer: CustomerFixture;
let invoiceId: string;
const PAY_UNMATCHED = 'pay_E2eUnmatched01';
const PAY_MATCHED = 'pay_E2eMatched01';

async function captured(db: Db, id: string, amount: number, customerId: string | null) {
  const body = JSON.stringify({
    event: 'payment.captured',
    payload: { payment: { entity: { id, amount, currency: 'INR', method: 'upi', email: 'payer@example.com', notes: customerId ? { customer_id: customerId } : {}, created_at: Math.floor(Date.now() / 1000) - 600 } } },
  });
  await receiveWebhook({ db, inTx: false, actor: null, requestId: 'e2e', log: pino({ level: 'silent' }) }, `evt_${id}`, body);
}

describe.skipIf(!hasChromium)('gateway payments and settlements in a browser', () => {
  beforeAll(async () => {
    h = await startAdmin(async (db) => {
      const users = await ensureDemoUsers(db);
      customer = await makeCustomer(db, { name: 'Lakshmi Settlement' });
      const product = await makeProduct(db, { price_paise: 25000, gst_rate_bp: 0 });
      invoiceId = (await makeInvoice(serviceCtx(db, users.finance), customer, product)).id;
      await captured(db, PAY_UNMATCHED, 25000, null);
      const other = await makeCustomer(db);
      await captured(db, PAY_MATCHED, 9900, other.customer.id);
    });
  }, 600_000);
  afterAll(async () => {
    await h?.close();
  });

  test('finance assigns an unmatched payment, applies a settlement file and resolves its exception', async () => {
    const db = h.database.db;
    const errors: string[] = [];
    const page = await h.loggedIn('finance', errors);
    await openFromMenu(page, 'Gateway payments');
    await page.waitForURL(/\/gateway-payments/);
    const row = page.locator('.ant-table-row', { hasText: PAY_UNMATCHED });
    await row.waitFor();
    await expect(page.locator('.ant-table-row', { hasText: PAY_MATCHED }).count()).resolves.toBe(0);

    await row.getByRole('button', { name: 'Assign' }).click();
    const modal = page.locator('.ant-modal');
    await modal.locator('[data-testid=assign-customer]').click();
    await page.keyboard.type('Lakshmi');
    await page.locator('.ant-select-item-option', { hasText: 'Lakshmi Settlement' }).click();
    await modal.getByRole('button', { name: /Assign…/ }).click();
    // Asked first: nothing is written before the second click.
    await modal.locator('.ant-alert').waitFor();
    expect((await sqlRows(db, sql`select customer_id from gateway_payments where gateway_payment_id = ${PAY_UNMATCHED}`))[0].customer_id).toBeNull();
    await modal.getByRole('button', { name: /Yes, assign to Lakshmi Settlement/ }).click();
    await page.locator('.ant-table-row', { hasText: PAY_UNMATCHED }).waitFor({ state: 'detached' });
    const [gp] = await sqlRows(db, sql`select customer_id, payment_id from gateway_payments where gateway_payment_id = ${PAY_UNMATCHED}`);
    expect(gp.customer_id).toBe(customer.customer.id);
    expect(gp.payment_id).not.toBeNull();
    expect((await sqlRows(db, sql`select payment_status::text as s from invoices where id = ${invoiceId}`))[0].s).toBe('paid');

    // The settlement file: the matched payment, and one nobody knows.
    await openFromMenu(page, 'Settlements');
    await page.waitForURL(/\/settlements/);
    const csv = `settlement_id,utr,payment_id,amount,fee,tax,settled_at\r\nsetl_E2E,UTRE2E0001,${PAY_MATCHED},99.00,1.98,0.36,2026-12-05 10:30:00\r\nsetl_E2E,UTRE2E0001,pay_E2eNobody,10.00,0.20,0.04,2026-12-05 10:30:00\r\n`;
    await page.locator('input[type=file]').setInputFiles({ name: 'settlement-e2e.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const preview = page.locator('[data-testid=settlement-preview]');
    await preview.waitFor();
    await expect(preview.getByText('unknown payment').count()).resolves.toBeGreaterThan(0);
    expect((await sqlRows(db, sql`select count(*)::int as n from settlement_uploads`))[0].n).toBe(0);
    await page.screenshot({ path: `${SHOTS}/e2e-gateway-dry-run.png`, fullPage: true });
    await preview.getByRole('button', { name: 'Apply file' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/\/settlements\/show\//);
    await page.locator('.ant-table-row', { hasText: PAY_MATCHED }).waitFor();
    const [line] = await sqlRows(db, sql`select status::text as status, utr from settlement_lines where payment_ref = ${PAY_MATCHED}`);
    expect(line).toEqual({ status: 'matched', utr: 'UTRE2E0001' });

    // The exceptions queue: the unknown payment, resolved with a note.
    await openFromMenu(page, 'Settlement exceptions');
    await page.waitForURL(/\/settlements\/exceptions/);
    const exception = page.locator('.ant-table-row', { hasText: 'pay_E2eNobody' });
    await exception.getByRole('button', { name: 'Resolve' }).click();
    await page.locator('.ant-modal textarea').fill('Razorpay test payment, not ours');
    await page.locator('.ant-modal').getByRole('button', { name: 'Resolve' }).click();
    await exception.waitFor({ state: 'detached' });
    const [resolved] = await sqlRows(db, sql`select e.status::text as status, e.resolution from settlement_exceptions e join settlement_lines l on l.id = e.settlement_line_id where l.payment_ref = 'pay_E2eNobody'`);
    expect(resolved).toEqual({ status: 'resolved', resolution: 'Razorpay test payment, not ours' });
    expect(errors).toEqual([]);
  });
});
