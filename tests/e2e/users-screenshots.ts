/**
 * Screenshots of the users pages (list, create with a link, edit, show and its reset, the set-password page), desktop and
 * 390 px phone, for a person to look at (not a test). Creates a few users through the pages as it goes.
 *   PGLITE_DIR=/tmp/mr-users PORT=3291 npm start &   then   npx tsx tests/e2e/users-screenshots.ts [baseUrl] [outDir]
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../seeds/users.js';
import { chromiumArgs, CHROMIUM } from './harness.js';

const base = process.argv[2] ?? 'http://localhost:3291';
const out = process.argv[3] ?? '/tmp/shots/users';
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
const run = Date.now().toString(36);

async function session(width: number, height: number, signIn = true): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'en-IN', timezoneId: 'Asia/Kolkata' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`page error (${width}):`, e.message));
  page.on('console', (m) => m.type() === 'error' && console.error(`console (${width}):`, m.text()));
  if (signIn) {
    await page.goto(`${base}/login`);
    await page.getByLabel('Email').fill('admin@milkrun.test');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  }
  return page;
}

async function shot(page: Page, name: string, wait?: string) {
  await page.waitForLoadState('networkidle');
  if (wait) await page.locator(wait).first().waitFor({ timeout: 15_000 }).catch(() => console.error(`  (${name}: ${wait} not found)`));
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${out}/${name}.png` });
  console.log(`${out}/${name}.png`);
}

/** Picks options of the roles multi-select by their visible names. */
async function pickRoles(page: Page, names: string[]) {
  await page.getByTestId('roles-select').click();
  for (const n of names) await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: n }).first().click();
  await page.keyboard.press('Escape');
}

let linkPath = '';
for (const [label, width, height] of [
  ['desktop', 1440, 900],
  ['phone', 390, 844],
] as const) {
  const p = await session(width, height);
  await p.goto(`${base}/users`);
  await shot(p, `${label}-01-list`, '.ant-table-row');
  await p.goto(`${base}/users?filters[0][field]=role&filters[0][operator]=eq&filters[0][value]=admin`);
  await shot(p, `${label}-02-list-filtered-admin`, '.ant-table-row');

  // Create: empty submit shows the form's checks; a weak typed password is refused as typed; then a link.
  await p.goto(`${base}/users/create`);
  await shot(p, `${label}-03-create`, 'form');
  await p.getByRole('button', { name: 'Save' }).click();
  await shot(p, `${label}-04-create-invalid`, '.ant-form-item-explain-error');
  await p.getByLabel('Name').fill(`Shreya Support ${label}`);
  await p.getByLabel('Email').fill(`shreya-${label}-${run}@milkrun.test`);
  await pickRoles(p, ['support']);
  await p.getByLabel('Type a password').check();
  await p.getByTestId('password-input').fill('Password@123');
  await p.getByTestId('password-input').blur();
  await shot(p, `${label}-05-create-weak-password`, '.ant-form-item-explain-error');
  // A taken email: the API's 409 shows above the form.
  await p.getByLabel('Email').fill('support@milkrun.test');
  await p.getByTestId('password-input').fill('Kadalekai Parishe 7');
  await p.getByRole('button', { name: 'Save' }).click();
  await shot(p, `${label}-06-create-taken-email`, '[data-testid=server-error]');
  await p.getByLabel('Email').fill(`shreya-${label}-${run}@milkrun.test`);
  await p.getByLabel('Send a set-password link').check();
  await p.getByRole('button', { name: 'Save' }).click();
  await shot(p, `${label}-07-created-link`, '[data-testid=password-link]');
  linkPath = new URL((await p.getByTestId('password-link').innerText()).trim()).pathname + new URL((await p.getByTestId('password-link').innerText()).trim()).search;
  await p.getByRole('button', { name: 'I have copied the link' }).click();
  await p.waitForURL(/\/users\/show\//);
  await shot(p, `${label}-08-show`, '.ant-descriptions');

  // Reset: the modal, then its link.
  await p.getByRole('button', { name: 'Reset password' }).click();
  await shot(p, `${label}-09-reset`, '.ant-modal');
  await p.locator('.ant-modal-footer').getByRole('button', { name: 'Reset password' }).click();
  await shot(p, `${label}-10-reset-link`, '.ant-modal [data-testid=password-link]');
  linkPath = new URL((await p.locator('.ant-modal [data-testid=password-link]').innerText()).trim()).pathname + new URL((await p.locator('.ant-modal [data-testid=password-link]').innerText()).trim()).search;
  await p.locator('.ant-modal-footer').getByRole('button', { name: 'Close' }).click();

  // Edit: roles and the active switch, with its confirmation.
  await p.getByRole('button', { name: 'Edit' }).click();
  await p.waitForURL(/\/users\/edit\//);
  await shot(p, `${label}-11-edit`, 'input#name');
  await p.getByRole('switch').click();
  await p.getByRole('button', { name: 'Save' }).click();
  await shot(p, `${label}-12-edit-deactivate-confirm`, '.ant-modal-confirm');
  await p.getByRole('button', { name: 'Cancel' }).click();

  // The last active admin: the API's 409 above the form.
  const adminId = await p.evaluate(async () => ((await (await fetch('/api/users?role=admin&_end=1')).json()) as { id: string }[])[0].id);
  await p.goto(`${base}/users/edit/${adminId}`);
  await p.locator('input#name').waitFor();
  await p.getByRole('switch').click();
  await p.getByRole('button', { name: 'Save' }).click();
  await p.locator('.ant-modal-confirm').getByRole('button', { name: 'Deactivate' }).click();
  await shot(p, `${label}-13-last-admin`, '[data-testid=server-error]');

  // The set-password page, signed out: the form, a weak password, done, and the used link again.
  const anon = await session(width, height, false);
  await anon.goto(`${base}${linkPath}`);
  await shot(anon, `${label}-14-set-password`, 'form');
  await anon.getByLabel('New password').fill('qwerty12345');
  await anon.getByLabel('The same again').fill('qwerty12345');
  await anon.getByRole('button', { name: 'Set password' }).click();
  await shot(anon, `${label}-15-set-password-weak`, '.ant-form-item-explain-error');
  await anon.getByLabel('New password').fill('Filter Coffee At Six');
  await anon.getByLabel('The same again').fill('Filter Coffee At Six');
  await anon.getByRole('button', { name: 'Set password' }).click();
  await shot(anon, `${label}-16-set-password-done`, '.ant-result-success');
  await anon.goto(`${base}${linkPath}`);
  await anon.getByLabel('New password').fill('Another Good One 42');
  await anon.getByLabel('The same again').fill('Another Good One 42');
  await anon.getByRole('button', { name: 'Set password' }).click();
  await shot(anon, `${label}-17-set-password-used`, '.ant-result-warning');
  await anon.context().close();
  await p.context().close();
}
await browser.close();
