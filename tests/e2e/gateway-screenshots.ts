/**
 * Screenshots of the gateway's money pages, for a person to look at (not a test), desktop and 390 px phone.
 *   PGLITE_DIR=/tmp/mr-gateway PORT=3103 MILKRUN_DEMO=1 npm start &   then   npx tsx tests/e2e/gateway-screenshots.ts [baseUrl]
 * PNGs land in tests/e2e/screenshots/ (gitignored).
 */
import { screenshots } from './shots.js';

const base = process.argv[2] ?? 'http://localhost:3103';
const { browser, session, shot, first } = await screenshots(base, 'gw-');
const finance = await session('finance');
const unmatched = await first<{ id: string }>(finance, 'gateway-payments', '&matched=false');
const matched = await first<{ id: string }>(finance, 'gateway-payments', '&matched=true&status=captured');
const file = await first<{ id: string }>(finance, 'settlements');
await shot(finance, '10-unmatched', '/gateway-payments', { wait: '.ant-table-row', full: true });
await shot(finance, '11-all', '/gateway-payments?filters[0][field]=matched&filters[0][operator]=eq&filters[0][value]=true', { wait: '.ant-table-row', full: true });
if (matched) await shot(finance, '12-show-matched', `/gateway-payments/show/${matched.id}`, { wait: '.ant-descriptions', full: true });
if (unmatched) {
  await shot(finance, '13-show-unmatched', `/gateway-payments/show/${unmatched.id}`, { wait: '.ant-descriptions', full: true });
  await finance.getByRole('button', { name: 'Assign' }).first().click();
  await finance.locator('.ant-modal [data-testid=assign-customer]').click();
  await finance.keyboard.type('a');
  await finance.locator('.ant-select-item-option').first().click({ timeout: 10_000 });
  await finance.getByRole('button', { name: /Assign…/ }).click();
  await shot(finance, '14-assign-confirm', undefined, { wait: '.ant-modal .ant-alert' });
  await finance.keyboard.press('Escape');
}
await shot(finance, '20-settlements', '/settlements', { wait: '.ant-table-row', full: true });
if (file) await shot(finance, '21-settlement-file', `/settlements/show/${file.id}`, { wait: '.ant-table-row', full: true });
await shot(finance, '30-exceptions', '/settlements/exceptions', { wait: '.ant-table-row', full: true });
// The upload's dry run: a file with a settled line, a new one and an unknown payment.
const csv = `settlement_id,utr,payment_id,amount,fee,tax,settled_at\nsetl_Shot,UTRSHOT01,pay_Shot404,120.00,2.40,0.43,2026-12-05 10:30:00\n`;
await finance.goto(`${base}/settlements`);
await finance.locator('input[type=file]').setInputFiles({ name: 'razorpay-shot.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
await shot(finance, '22-dry-run', undefined, { wait: '[data-testid=settlement-preview]', full: true });
await finance.setViewportSize({ width: 390, height: 844 });
await shot(finance, '40-unmatched-phone', '/gateway-payments', { wait: '.ant-table-row', full: true });
await shot(finance, '41-settlements-phone', '/settlements', { wait: '.ant-table-row', full: true });
await shot(finance, '42-exceptions-phone', '/settlements/exceptions', { wait: '.ant-table-row', full: true });
if (unmatched) await shot(finance, '43-show-phone', `/gateway-payments/show/${unmatched.id}`, { wait: '.ant-descriptions', full: true });
const support = await session('support');
await shot(support, '50-support-gateway', '/gateway-payments', { wait: '.ant-table-row' });
await shot(support, '51-support-settlements', '/settlements');
await browser.close();
