/**
 * Screenshots of two-factor sign-in, sessions and step-up in the admin, for a person to look at (not a test).
 *   npm run build && npx tsx tests/e2e/profile-screenshots.ts [outDir]      (default /tmp/shots/totp)
 * Serves the built admin on a fresh database of its own (the demo logins and a few users made here).
 */
import { mkdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { createUser, DEMO_PASSWORD, ensureDemoUsers } from '../../seeds/users.js';
import { rows } from '../api/support.js';
import { startAdmin } from './harness.js';
import { freshCode } from './totp-codes.js';

const out = process.argv[2] ?? '/tmp/shots/totp';
mkdirSync(out, { recursive: true });
const PASSWORD = 'a-long-enough-password';

const h = await startAdmin(async (db) => {
  await ensureDemoUsers(db);
  await db.execute(sql`insert into roles (name, description, requires_totp) values ('guarded', 'needs two-factor sign-in', true)`);
  await db.execute(sql`insert into permissions (role_id, resource, action) select id, 'zones', 'list' from roles where name = 'guarded'`);
  await createUser(db, { email: 'guarded@milkrun.test', name: 'Gita Guarded', password: PASSWORD, roles: ['guarded'] });
  await db.execute(sql`insert into roles (name, description) values ('approver', 'creates zones with a fresh code')`);
  await db.execute(sql`
    insert into permissions (role_id, resource, action, conditions)
    select id, r.resource, r.action, r.conditions::jsonb from roles,
      (values ('zones', 'list', null), ('zones', 'create', '{"step_up": true}')) as r(resource, action, conditions)
    where name = 'approver'`);
  await createUser(db, { email: 'approver@milkrun.test', name: 'Arjun Approver', password: PASSWORD, roles: ['approver'] });
});

async function shot(page: Page, name: string, opts: { wait?: string; full?: boolean } = {}) {
  await page.waitForLoadState('networkidle');
  if (opts.wait) await page.locator(opts.wait).first().waitFor({ timeout: 15_000 }).catch(() => console.error(`  (${name}: ${opts.wait} not found)`));
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: opts.full ?? false });
  console.log(`${out}/${name}.png`);
}

async function newPage(browser: Browser, width: number) {
  const context = await browser.newContext({ viewport: { width, height: width < 768 ? 844 : 900 }, timezoneId: 'Asia/Kolkata', userAgent: width < 768 ? 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1' : undefined });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.base });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  page.on('console', (m) => m.type() === 'error' && console.error('console:', m.text()));
  return page;
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${h.base}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Enrols the signed-in user of `page` from the profile page; returns the secret the page showed. */
async function enrol(page: Page, prefix: string, width: number): Promise<string> {
  await page.goto(`${h.base}/profile`);
  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  await page.getByTestId('recovery-codes').waitFor();
  await shot(page, `${prefix}-enrol-${width}`, { wait: 'img[alt^="QR code"]', full: true });
  const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s+/g, '');
  await page.getByLabel('Code from your authenticator app').fill(await freshCode(secret));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await page.getByText('Signing in needs your password and a code').waitFor();
  return secret;
}

for (const width of [1440, 390]) {
  // Admin: profile with sessions, enrolment, then a second session to end.
  const admin = await newPage(h.browser, width);
  await signIn(admin, 'admin@milkrun.test', DEMO_PASSWORD);
  await admin.waitForURL((u) => !u.pathname.startsWith('/login'));
  await admin.goto(`${h.base}/profile`);
  await shot(admin, `10-profile-${width}`, { wait: '[data-testid=session]', full: true });
  const secret = await enrol(admin, '11-profile', width);
  await shot(admin, `12-profile-on-${width}`, { wait: '[data-testid=session]', full: true });

  // Another browser signs in (with a code now): two sessions, one ended with a confirmation.
  const other = await newPage(h.browser, width === 390 ? 1440 : 390);
  await signIn(other, 'admin@milkrun.test', DEMO_PASSWORD);
  await other.getByLabel('Code from your authenticator app').waitFor();
  await shot(other, `20-login-code-${width === 390 ? 1440 : 390}`);
  await other.getByLabel('Code from your authenticator app').fill('000000');
  await other.getByRole('button', { name: 'Verify' }).click();
  await shot(other, `21-login-code-wrong-${width === 390 ? 1440 : 390}`, { wait: '[role=alert]' });
  await other.getByRole('button', { name: 'Use a recovery code' }).click();
  await shot(other, `22-login-recovery-${width === 390 ? 1440 : 390}`);
  await other.getByRole('button', { name: 'Use a code from the app' }).click();
  await other.getByLabel('Code from your authenticator app').fill(await freshCode(secret));
  await other.getByRole('button', { name: 'Verify' }).click();
  await other.waitForURL((u) => !u.pathname.startsWith('/login'));
  await admin.reload();
  await admin.locator('[data-testid=session]').nth(1).waitFor();
  await admin.locator('[data-testid=session]', { hasNotText: 'this device' }).first().getByRole('button', { name: 'End' }).click();
  await shot(admin, `13-profile-end-session-${width}`, { wait: '.ant-popconfirm', full: false });
  await admin.getByRole('button', { name: 'End session' }).click();
  await admin.getByText('Session ended').waitFor();
  await shot(admin, `14-profile-session-ended-${width}`, { full: true });
  await admin.getByRole('button', { name: 'Turn off two-factor sign-in' }).click();
  await shot(admin, `15-profile-turn-off-${width}`, { wait: '.ant-modal' });
  await admin.getByLabel('Code from your authenticator app').fill(await freshCode(secret));
  await admin.getByRole('button', { name: 'Turn off', exact: true }).click();
  await admin.getByText('Two-factor sign-in is off').first().waitFor();
  // An admin ends all sessions of another user from the user's page.
  const [{ id: guardedId }] = await rows<{ id: string }>(h.database.db, sql`select id from users where email = 'guarded@milkrun.test'`);
  await admin.goto(`${h.base}/users/show/${guardedId}`);
  await admin.getByRole('button', { name: 'End all sessions' }).click();
  await shot(admin, `16-user-end-sessions-${width}`, { wait: '.ant-popconfirm' });
  await admin.context().close();
  await other.context().close();

  // A role that requires two-factor sign-in: only the profile page until it is set up.
  const guarded = await newPage(h.browser, width);
  await signIn(guarded, 'guarded@milkrun.test', PASSWORD);
  await guarded.waitForURL(/\/profile/);
  await shot(guarded, `30-enrolment-required-${width}`, { wait: '[data-testid=enrolment-required]', full: true });
  if (width < 768) {
    await guarded.getByTestId('menu-button').click();
    await shot(guarded, `31-enrolment-required-menu-${width}`, { wait: '.ant-drawer' });
  }
  await guarded.context().close();

  // Step-up: creating a zone needs a fresh code; the dialog asks and the request is sent again.
  const approver = await newPage(h.browser, width);
  await signIn(approver, 'approver@milkrun.test', PASSWORD);
  await approver.waitForURL((u) => !u.pathname.startsWith('/login'));
  const approverSecret = await enrol(approver, '40-approver', width);
  await approver.goto(`${h.base}/zones/create`);
  await approver.getByLabel('Name').fill(`Step-up zone ${width}`);
  await approver.getByRole('button', { name: 'Save' }).click();
  await shot(approver, `41-step-up-${width}`, { wait: '.ant-modal' });
  await approver.getByLabel('Authenticator code').fill('000000');
  await approver.getByRole('button', { name: 'Confirm' }).click();
  await shot(approver, `42-step-up-wrong-${width}`, { wait: '.ant-modal [role=alert]' });
  await approver.getByLabel('Authenticator code').fill(await freshCode(approverSecret));
  await approver.getByRole('button', { name: 'Confirm' }).click();
  await approver.waitForURL(/\/zones$/);
  await shot(approver, `43-step-up-done-${width}`, { wait: '.ant-table-row' });
  await approver.context().close();
  // The next width enrols the same users again: turn the approver's factor off in the database.
  await h.database.db.execute(sql`update users set totp_secret = null, totp_confirmed_at = null, totp_last_step = null where email = 'approver@milkrun.test'`);
}

await h.close();
