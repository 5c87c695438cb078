import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureDemoUsers } from '../../seeds/users.js';
import { rows } from '../api/support.js';
import { type AdminHarness, CHROMIUM, hasChromium, startAdmin, openFromMenu } from './harness.js';

// An admin adds a support agent in the browser with a one-time link; the agent opens the link signed out, chooses a
// password, signs in, and sees the support menu and nothing of the admin's.
if (!hasChromium) console.warn(`Skipping the users browser test: ${CHROMIUM} does not exist.`);

let h: AdminHarness;

/** The entries of the side menu, as a signed-in page shows them. */
const menuOf = async (page: Page) => (await page.locator('.ant-layout-sider .ant-menu-item').allInnerTexts()).map((s) => s.trim()).filter(Boolean);

describe.skipIf(!hasChromium)('users in a browser', () => {
  beforeAll(async () => {
    h = await startAdmin(async (db) => void (await ensureDemoUsers(db)));
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  test('an admin creates a support user with a link; the user sets a password, signs in and sees only the support menu', async () => {
    const errors: string[] = [];
    const admin = await h.loggedIn('admin', errors);
    await openFromMenu(admin, 'Users');
    await admin.waitForURL(/\/users/);
    await admin.getByRole('button', { name: 'Add user' }).click();
    await admin.waitForURL(/\/users\/create/);
    await admin.locator('input#name').waitFor();
    await admin.getByLabel('Name').fill('Shreya Support');
    await admin.getByLabel('Email').fill('shreya@milkrun.test');
    await admin.getByTestId('roles-select').click();
    await admin.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'support' }).first().click();
    await admin.keyboard.press('Escape');
    // The link is the default: the admin never knows the password.
    await admin.getByRole('button', { name: 'Save' }).click();
    const link = (await admin.getByTestId('password-link').innerText()).trim();
    expect(link).toMatch(new RegExp(`^${h.base}/set-password\\?token=[A-Za-z0-9_-]{43}$`));
    await admin.getByRole('button', { name: 'I have copied the link' }).click();
    await admin.waitForURL(/\/users\/show\//);
    await admin.locator('.ant-descriptions').getByText('shreya@milkrun.test').waitFor();

    const [user] = await rows<{ id: string; roles: string[] }>(
      h.database.db,
      sql`select u.id, array(select r.name from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = u.id) as roles from users u where email = 'shreya@milkrun.test'`,
    );
    expect(user.roles).toEqual(['support']);

    // The user, in a browser of their own: the link, a password, then the sign-in page.
    const context = await h.browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'Asia/Kolkata' });
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(link);
    await page.getByLabel('New password').fill('Kadalekai Parishe 7');
    await page.getByLabel('The same again').fill('Kadalekai Parishe 7');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('Your password is set').waitFor();
    await page.getByRole('button', { name: 'Go to sign in' }).click();
    await page.waitForURL(/\/login/);
    await page.getByLabel('Email').fill('shreya@milkrun.test');
    await page.getByLabel('Password').fill('Kadalekai Parishe 7');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.getByTestId('current-user').getByText('support', { exact: true }).waitFor();
    await page.locator('.ant-layout-sider .ant-menu-item').first().waitFor({ state: 'attached' });
    const theirs = await menuOf(page);

    // The same menu as the demo support user's, and none of the admin's own entries.
    const demo = await h.loggedIn('support', errors);
    await demo.locator('.ant-layout-sider .ant-menu-item').first().waitFor({ state: 'attached' });
    expect(theirs).toEqual(await menuOf(demo));
    expect(theirs).toContain('Customers');
    for (const adminOnly of ['Users', 'Roles', 'Settings']) expect(theirs).not.toContain(adminOnly);
    expect(await menuOf(admin)).toEqual(expect.arrayContaining(['Users', 'Roles', 'Settings']));

    const [used] = await rows<{ used: boolean }>(h.database.db, sql`select used_at is not null as used from password_links where user_id = ${user.id}`);
    expect(used.used).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
    await demo.context().close();
    await admin.context().close();
  }, 120_000);
});
