import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureDemoUsers } from '../../seeds/users.js';
import { rows } from '../api/support.js';
import { type AdminHarness, CHROMIUM, hasChromium, startAdmin, openFromMenu } from './harness.js';
import { freshCode } from './totp-codes.js';

// Two-factor sign-in in a browser: an admin adds a support agent with a first password; the agent signs in, sees the
// support menu, enrols an authenticator (the code computed here from the key the page shows) and signs in again with
// a code. Then the admin ends all of the agent's sessions and the agent's open page is sent back to the sign-in.
if (!hasChromium) console.warn(`Skipping the two-factor browser test: ${CHROMIUM} does not exist.`);

let h: AdminHarness;
const PASSWORD = 'Kadalekai Parishe 7';
const EMAIL = 'tara.totp@milkrun.test';

const menuOf = async (page: Page) => (await page.locator('.ant-layout-sider .ant-menu-item').allInnerTexts()).map((s) => s.trim()).filter(Boolean);

async function signIn(page: Page) {
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe.skipIf(!hasChromium)('two-factor sign-in in a browser', () => {
  beforeAll(async () => {
    h = await startAdmin(async (db) => void (await ensureDemoUsers(db)));
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  test('a new support user enrols TOTP from the profile page and signs in again with a code; an admin ends their sessions', async () => {
    const errors: string[] = [];
    const admin = await h.loggedIn('admin', errors);
    await admin.goto(`${h.base}/users/create`);
    await admin.locator('input#name').waitFor();
    await admin.getByLabel('Name').fill('Tara Totp');
    await admin.getByLabel('Email').fill(EMAIL);
    await admin.getByTestId('roles-select').click();
    await admin.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'support' }).first().click();
    await admin.keyboard.press('Escape');
    await admin.getByText('Type a password').click();
    await admin.getByLabel('New password').fill(PASSWORD);
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.waitForURL(/\/users\/show\//);
    const userPage = admin.url();

    // The user, in a fresh browser context: password only (not enrolled yet), the support menu and no admin entry.
    const context = await h.browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'Asia/Kolkata' });
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${h.base}/login`);
    await signIn(page);
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.getByTestId('current-user').getByText('support', { exact: true }).waitFor();
    await page.locator('.ant-layout-sider .ant-menu-item').first().waitFor({ state: 'attached' });
    const menu = await menuOf(page);
    expect(menu).toEqual(expect.arrayContaining(['Customers', 'Subscriptions', 'Orders', 'Product requests', 'Profile']));
    for (const notSupport of ['Users', 'Roles', 'Settings', 'Audit log', 'Invoice runs', 'Data health']) expect(menu).not.toContain(notSupport);

    // Enrolment from the profile page (the header's Profile button): key shown, first code typed, recovery codes shown once.
    await page.getByTestId('profile-link').click();
    await page.waitForURL(/\/profile/);
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    await page.locator('img[alt^="QR code"]').waitFor();
    const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const recovery = (await page.getByTestId('recovery-codes').innerText()).split(/\s+/).filter(Boolean);
    expect(recovery).toHaveLength(10);
    await page.getByLabel('Code from your authenticator app').fill(await freshCode(secret));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByText('Signing in needs your password and a code from your authenticator app.').waitFor();
    const [row] = await rows<{ enabled: boolean; sealed: string }>(h.database.db, sql`select totp_confirmed_at is not null as enabled, totp_secret as sealed from users where email = ${EMAIL}`);
    expect(row.enabled).toBe(true);
    expect(row.sealed).not.toContain(secret);

    // Signed out, the password alone is not enough any more: the page asks for the code, and the code signs in.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login/);
    await signIn(page);
    await page.getByLabel('Code from your authenticator app').waitFor();
    await page.getByLabel('Code from your authenticator app').fill(await freshCode(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.getByTestId('current-user').getByText('support', { exact: true }).waitFor();

    // The admin ends all of the user's sessions from the user's page; the user's next request goes back to sign-in.
    await admin.goto(userPage);
    await admin.getByRole('button', { name: 'End all sessions' }).click();
    await admin.getByRole('button', { name: 'End all sessions' }).last().click();
    await admin.getByText('1 session ended').waitFor();
    await openFromMenu(page, 'Customers');
    await page.waitForURL(/\/login/);
    // The log-out ends in a full load of /login: let it finish (closing a context mid-navigation can hang chromium).
    await page.waitForLoadState('networkidle');
    await page.getByLabel('Email').waitFor();
    const [left] = await rows<{ n: number }>(h.database.db, sql`select count(*)::int as n from sessions s join users u on u.id = s.user_id where u.email = ${EMAIL}`);
    expect(left.n).toBe(0);

    expect(errors).toEqual([]);
    await context.close();
    await admin.context().close();
  }, 180_000);
});
