import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedDemo } from '../../seeds/demo.js';
import { type AdminHarness, CHROMIUM, hasChromium, SHOTS, startAdmin, openFromMenu } from './harness.js';

// The admin on a phone (390 x 844, as a manager or delivery staff opens it): nothing covers the page title, the header
// does not wrap, and each list keeps its row actions on screen.
if (!hasChromium) console.warn(`Skipping the phone browser test: ${CHROMIUM} does not exist.`);

const PHONE = { width: 390, height: 844 };
let h: AdminHarness;
let page: Page;
const errors: string[] = [];

/** Whether the element is inside the viewport and what is drawn at its middle-left point is the element itself. */
async function unobstructed(target: Locator): Promise<{ box: { x: number; y: number; width: number; height: number }; onTop: boolean }> {
  await target.scrollIntoViewIfNeeded();
  const box = (await target.boundingBox())!;
  const onTop = await target.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + Math.min(4, r.width / 2), r.top + r.height / 2);
    return !!hit && (el === hit || el.contains(hit));
  });
  return { box, onTop };
}

async function expectClear(target: Locator, what: string) {
  const { box, onTop } = await unobstructed(target);
  expect(box.x, `${what} starts on screen`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what} ends on screen`).toBeLessThanOrEqual(PHONE.width);
  expect(onTop, `nothing is drawn over ${what}`).toBe(true);
}

async function open(path: string, ready: string) {
  await page.goto(`${h.base}${path}`);
  await page.locator(ready).first().waitFor({ timeout: 20_000 }).catch(async (e) => { await page.screenshot({ path: `${SHOTS}/phone-debug-${path.slice(1)}.png` }); throw e; });
  // The page itself never scrolls sideways: wide tables scroll inside their own box.
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `${path} fits the phone's width`).toBeLessThanOrEqual(PHONE.width);
}

describe.skipIf(!hasChromium)('admin on a phone', () => {
  beforeAll(async () => {
    // Two days of history: orders, and today's deliveries still pending.
    h = await startAdmin((db) => seedDemo(db, { scale: 1, seed: 1, historyDays: 2 }));
    page = await h.loggedIn('admin', errors, { viewport: PHONE });
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  test('the header is one line: menu button, name of the app and an avatar menu with who is signed in', async () => {
    await open('/dashboard', '[data-testid=kpi-deliveries]');
    const header = page.locator('.ant-layout-header');
    expect((await header.boundingBox())!.height).toBe(64);
    await expect(page.getByText('admin@milkrun.test').isVisible()).resolves.toBe(false);
    await expectClear(page.getByRole('heading', { name: 'Dashboard' }), 'the dashboard title');
    await page.screenshot({ path: `${SHOTS}/phone-dashboard.png` });

    await page.getByTestId('user-menu').click();
    const menu = page.locator('.ant-dropdown:visible');
    await menu.getByText('admin@milkrun.test').waitFor();
    await expect(menu.getByText('Log out').isVisible()).resolves.toBe(true);
    await page.waitForTimeout(400); // the dropdown's opening animation
    await page.screenshot({ path: `${SHOTS}/phone-user-menu.png` });
    await page.keyboard.press('Escape');

    // The menu is a drawer opened from the header, and closes when a page is chosen.
    await page.getByTestId('menu-button').click();
    await openFromMenu(page, 'Deliveries', '.ant-drawer-open');
    await page.waitForURL(/\/deliveries/);
    await page.locator('.ant-drawer-open').waitFor({ state: 'detached' }).catch(() => undefined);
    await expect(page.locator('.ant-drawer-open').isVisible()).resolves.toBe(false);
  });

  test('deliveries: the title is clear and Confirm, Fail and Show stay on screen', async () => {
    await open('/deliveries', '.ant-table-row');
    await expectClear(page.locator('.ant-page-header-heading-title'), 'the deliveries title');
    const row = page.locator('.ant-table-row', { has: page.getByRole('button', { name: 'Confirm' }) }).first();
    await expectClear(row.getByRole('button', { name: 'Confirm' }), 'Confirm');
    await expectClear(row.getByRole('button', { name: 'Fail' }), 'Fail');
    await expectClear(row.locator('td').last().locator('button').last(), 'Show');
    await page.screenshot({ path: `${SHOTS}/phone-deliveries.png` });
    // Still on screen after the table is scrolled sideways to its start.
    await page.locator('.ant-table-content').first().evaluate((el) => el.scrollTo({ left: 0 }));
    await expectClear(row.getByRole('button', { name: 'Confirm' }), 'Confirm after scrolling');
  });

  test('product requests: the title is clear and Approve and Reject stay on screen', async () => {
    await open('/product-requests', '.ant-table-row');
    await expectClear(page.locator('.ant-page-header-heading-title'), 'the product requests title');
    const row = page.locator('.ant-table-row').first();
    await expectClear(row.getByRole('button', { name: 'Approve' }), 'Approve');
    await expectClear(row.getByRole('button', { name: 'Reject' }), 'Reject');
    await page.screenshot({ path: `${SHOTS}/phone-product-requests.png` });
  });

  test('orders: the title is clear and each row opens from a button on screen', async () => {
    await open('/orders', '.ant-table-row');
    await expectClear(page.locator('.ant-page-header-heading-title'), 'the orders title');
    await expectClear(page.locator('.ant-table-row').first().locator('td').last().locator('button'), 'Show');
    await page.screenshot({ path: `${SHOTS}/phone-orders.png` });
    await page.locator('.ant-table-row').first().locator('td').last().locator('button').click();
    await page.waitForURL(/\/orders\/show\//);
  });

  test('no page error on the way', () => {
    expect(errors).toEqual([]);
  });
});
