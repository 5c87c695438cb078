import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { productRequests, products } from '../../db/schema/index.js';
import { seedDemo } from '../../seeds/demo.js';
import { type AdminHarness, CHROMIUM, hasChromium, SHOTS, startAdmin, openFromMenu } from './harness.js';

// The admin in a real browser against the real app: build, seed, serve, click.
if (!hasChromium) console.warn(`Skipping the admin browser test: ${CHROMIUM} does not exist (apt-get install chromium; CI installs it).`);

let h: AdminHarness;

describe.skipIf(!hasChromium)('admin in a browser', () => {
  beforeAll(async () => {
    h = await startAdmin((db) => seedDemo(db, { scale: 1, seed: 1 }));
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  const loggedIn = (role: 'admin' | 'support', errors: string[]) => h.loggedIn(role, errors, { startPath: '/product-requests' });

  test('an admin approves a pending request with its row button; it moves to Approved and becomes a product', async () => {
    const errors: string[] = [];
    const page = await loggedIn('admin', errors);
    await openFromMenu(page, 'Product requests');
    await page.waitForURL(/\/product-requests/);

    const row = page.locator('.ant-table-row').first();
    await row.getByRole('button', { name: 'Approve' }).waitFor();
    const id = (await row.getAttribute('data-row-key'))!;
    const name = (await row.locator('a').first().textContent())!.trim();
    const [before] = await h.database.db.select().from(productRequests).where(eq(productRequests.id, id));
    expect(before).toMatchObject({ status: 'pending', name });

    await row.getByRole('button', { name: 'Approve' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: 'Approve' }).click();
    await page.locator('.ant-notification-notice-success', { hasText: `Approved: ${name}` }).waitFor();
    // Gone from Pending once the list refetches ...
    await page.locator(`.ant-table-row[data-row-key="${id}"]`).waitFor({ state: 'detached' });
    // ... and listed under Approved.
    await page.getByRole('tab', { name: 'Approved' }).click();
    const approvedRow = page.locator(`.ant-table-row[data-row-key="${id}"]`);
    await approvedRow.waitFor();
    expect(await approvedRow.textContent()).toContain('Asha Admin');
    await page.screenshot({ path: `${SHOTS}/e2e-admin-approved.png` });

    const [after] = await h.database.db.select().from(productRequests).where(eq(productRequests.id, id));
    expect(after.status).toBe('approved');
    expect(after.decided_at).not.toBeNull();
    expect(after.product_id).not.toBeNull();
    const made = await h.database.db.select().from(products).where(eq(products.name, name));
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ id: after.product_id, price_paise: before.price_paise, is_active: true });
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  test('support sees the wrong-password message, then the requests without any Approve or Reject button', async () => {
    const errors: string[] = [];
    const context = await h.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${h.base}/login`);
    await page.getByLabel('Email').fill('support@milkrun.test');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The API's own words, shown on the form, once: no notification repeats them.
    await page.locator('.ant-alert-error', { hasText: 'Wrong email or password.' }).waitFor();
    await page.waitForTimeout(300);
    expect(await page.getByText('Wrong email or password.').count()).toBe(1);
    expect(await page.locator('.ant-notification-notice').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/e2e-login-wrong-password.png` });
    await context.close();

    const support = await loggedIn('support', errors);
    await support.goto(`${h.base}/product-requests`);
    await support.locator('.ant-table-row').first().waitFor();
    // This notice renders only once the access check has answered "no", so the counts below are not early.
    await support.getByText('A manager or admin approves or rejects these requests.').waitFor();
    expect(await support.locator('.ant-table-row').count()).toBeGreaterThan(0);
    expect(await support.getByRole('button', { name: /Approve/ }).count()).toBe(0);
    expect(await support.getByRole('button', { name: /Reject/ }).count()).toBe(0);
    expect(await support.locator('.ant-table-selection-column').count()).toBe(0);
    // Support may still ask for a product.
    expect(await support.getByRole('button', { name: 'New request' }).count()).toBe(1);
    await support.screenshot({ path: `${SHOTS}/e2e-support-requests.png` });
    expect(errors).toEqual([]);
    await support.context().close();
  }, 120_000);
});
