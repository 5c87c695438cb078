/**
 * Screenshots of the money pages (payments, receivables, a customer's statement and wallet), for a person to look at
 * (not a test), at 1440 px and at 390 px (phone).
 *   PGLITE_DIR=/tmp/mr-money PORT=3101 npm start &   then   npx tsx tests/e2e/money-screenshots.ts [baseUrl] [outDir]
 * PNGs land in tests/e2e/screenshots/ (gitignored) with the prefix "money-".
 */
import { screenshots } from './shots.js';

const base = process.argv[2] ?? 'http://localhost:3101';
const only = process.argv[3]?.split(',');
const { browser, session, shot, first } = await screenshots(base, 'money-');
const finance = await session('finance');
const want = (name: string) => !only || only.some((o) => name.startsWith(o));

const cheque = await first<{ id: string }>(finance, 'payments', '&method=cheque&cheque_status=bounced');
const pendingCheque = await first<{ id: string }>(finance, 'payments', '&method=cheque&cheque_status=deposited') ?? (await first<{ id: string }>(finance, 'payments', '&method=cheque&cheque_status=received'));
const upi = await first<{ id: string; customer_id: string }>(finance, 'payments', '&method=upi&_sort=received_on&_order=desc');
const partly = await first<{ id: string; customer_id: string }>(finance, 'invoices', '&payment_status=partially_paid');
const credited = await first<{ customer_id: string }>(finance, 'receivables', '&_sort=wallet_paise&_order=desc');

for (const [width, suffix] of [[1440, ''], [390, '-phone']] as const) {
  await finance.setViewportSize({ width, height: width > 400 ? 900 : 844 });
  if (want('payments')) await shot(finance, `payments-list${suffix}`, '/payments', { wait: '.ant-table-row' });
  if (want('payments')) await shot(finance, `payments-create${suffix}`, '/payments/create', { wait: 'form', full: true });
  if (want('payments') && upi) await shot(finance, `payments-show-upi${suffix}`, `/payments/show/${upi.id}`, { wait: '[data-testid=payment-details]', full: true });
  if (want('payments') && cheque) await shot(finance, `payments-show-bounced${suffix}`, `/payments/show/${cheque.id}`, { wait: '[data-testid=payment-details]', full: true });
  if (want('payments') && pendingCheque) await shot(finance, `payments-show-cheque${suffix}`, `/payments/show/${pendingCheque.id}`, { wait: '[data-testid=payment-details]' });
  if (want('invoices')) await shot(finance, `invoices-list${suffix}`, '/invoices', { wait: '.ant-table-row' });
  if (want('invoices') && partly) await shot(finance, `invoices-show-partly${suffix}`, `/invoices/show/${partly.id}`, { wait: '[data-testid=invoice-payments]', full: true });
  if (want('receivables')) await shot(finance, `receivables${suffix}`, '/receivables', { wait: '.ant-table-row', full: true });
  if (want('customer') && partly) await shot(finance, `customer-statement${suffix}`, `/customers/show/${partly.customer_id}?tab=statement`, { wait: '[data-testid=statement] .ant-table-row', full: true });
  if (want('customer') && credited) await shot(finance, `customer-wallet${suffix}`, `/customers/show/${credited.customer_id}?tab=wallet`, { wait: '[data-testid=wallet]', full: true });
}
if (want('menu')) {
  const support = await session('support');
  await shot(support, 'menu-support', '/payments', { wait: '.ant-table-row' });
  const manager = await session('manager');
  await shot(manager, 'menu-manager', '/payments', { wait: '.ant-table-row' });
}
await browser.close();
