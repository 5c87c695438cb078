/**
 * Screenshots of the refund and credit note pages, for a person to look at (not a test), at 1440 and 390 px.
 *   PGLITE_DIR=/tmp/mr-refunds PORT=3102 npm start &   then   npx tsx tests/e2e/refunds-screenshots.ts [baseUrl]
 * It only reads (and opens the request form without sending it): the demo's refunds in every state and its credit note.
 * PNGs land in tests/e2e/screenshots/ (gitignored).
 */
import type { Page } from 'playwright-core';
import { screenshots } from './shots.js';

const base = process.argv[2] ?? 'http://localhost:3102';
const { browser, session, shot, first } = await screenshots(base, 'refunds-');

// The wide page as a window shows it (a full-page shot would float the menu's collapse button over its entries), the
// phone page whole.
async function both(page: Page, name: string, path: string, wait?: string, full = true) {
  await page.setViewportSize({ width: 1440, height: 900 });
  await shot(page, `${name}-1440`, path, { wait });
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, `${name}-390`, path, { wait, full });
  await page.setViewportSize({ width: 1440, height: 900 });
}

const finance = await session('finance');
await both(finance, 'r10-list', '/refunds', '.ant-table-row');
await both(finance, 'r11-list-requested', '/refunds?filters[0][field]=status&filters[0][operator]=eq&filters[0][value]=requested', '.ant-table-row');
for (const status of ['requested', 'approved', 'rejected', 'processing', 'processed', 'failed', 'paid']) {
  const r = await first<{ id: string }>(finance, 'refunds', `&status=${status}`);
  if (!r) {
    console.log(`  no ${status} refund in the demo`);
    continue;
  }
  await both(finance, `r2-show-${status}`, `/refunds/show/${r.id}`, '.ant-descriptions');
}
await both(finance, 'r30-create', '/refunds/create', 'form');
// The form with a customer and a payment chosen: a customer with a payment in hand.
const payment = await first<{ id: string; customer_id: string }>(finance, 'payments', '&status=captured&method=upi');
if (payment) await both(finance, 'r31-create-filled', `/refunds/create?customer_id=${payment.customer_id}&payment_id=${payment.id}`, '[data-testid=refundable]');
// A payment with refunds: its page lists them and offers Request refund.
const refunded = await first<{ payment_id: string }>(finance, 'refunds', '&status=approved');
if (refunded) await both(finance, 'r32-payment-with-refunds', `/payments/show/${refunded.payment_id}`, '[data-testid=payment-refunds]');
await both(finance, 'r40-credit-notes', '/credit-notes', '.ant-table-row');
const note = await first<{ id: string; invoice_id: string }>(finance, 'credit-notes');
if (note) {
  await both(finance, 'r41-credit-note', `/credit-notes/show/${note.id}`, '.ant-table-row');
  await both(finance, 'r42-invoice-with-note', `/invoices/show/${note.invoice_id}`, '[data-testid=invoice-credit-notes]');
  const pdf = await finance.request.get(`${base}/api/credit-notes/${note.id}/pdf`);
  console.log('  credit note pdf:', pdf.status(), pdf.headers()['content-type'], (await pdf.body()).subarray(0, 5).toString());
}
const support = await session('support');
await both(support, 'r50-support-list', '/refunds', '.ant-table-row');
await browser.close();
