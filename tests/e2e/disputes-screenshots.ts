/**
 * Screenshots of the disputes pages (list, a dispute with its thread and evidence, the create form from a delivery,
 * the resolve dialog), desktop and 390 px phone, for a person to look at (not a test); as support, on the demo business.
 *   PGLITE_DIR=/tmp/mr-disputes PORT=3105 npm start &   then   npx tsx tests/e2e/disputes-screenshots.ts [baseUrl] [outDir]
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../seeds/users.js';
import { chromiumArgs, CHROMIUM } from './harness.js';

const base = process.argv[2] ?? 'http://localhost:3105';
const out = process.argv[3] ?? '/tmp/shots/disputes';
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });

async function session(width: number, height: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'en-IN', timezoneId: 'Asia/Kolkata' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`page error (${width}):`, e.message));
  page.on('console', (m) => m.type() === 'error' && console.error(`console (${width}):`, m.text()));
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill('support@milkrun.test');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

async function shot(page: Page, name: string, wait?: string, full = true) {
  await page.waitForLoadState('networkidle');
  if (wait) await page.locator(wait).first().waitFor({ timeout: 15_000 }).catch(() => console.error(`  (${name}: ${wait} not found)`));
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: full });
  console.log(`${out}/${name}.png`);
}

for (const [width, height] of [
  [1440, 900],
  [390, 844],
] as const) {
  const page = await session(width, height);
  await page.goto(`${base}/disputes`);
  await shot(page, `list-${width}`, '.ant-table-row');
  // The dispute with the longest thread: awaiting support, with a note.
  const res = await page.request.get(`${base}/api/disputes?_start=0&_end=5&status=awaiting_support`);
  const [d] = (await res.json()) as { id: string }[];
  if (d) {
    await page.goto(`${base}/disputes/show/${d.id}`);
    await shot(page, `show-${width}`, '[data-testid=dispute-thread]');
    await page.getByTestId('dispute-resolve').click();
    await page.getByTestId('resolve-outcome').getByText('Refund', { exact: true }).click();
    await shot(page, `resolve-${width}`, '.ant-modal', false);
  }
  await page.goto(`${base}/disputes?sla_attention=true`);
  await shot(page, `breach-queue-${width}`, '.ant-table-row');
  await page.goto(`${base}/business-hours`);
  await shot(page, `hours-${width}`, '[data-testid=business-hours] .ant-table-row');
  await page.goto(`${base}/disputes/create`);
  await shot(page, `create-${width}`, 'form', false);
  await page.context().close();
}
await browser.close();
