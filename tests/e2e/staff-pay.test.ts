import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatPaise } from '../../admin/src/format.js';
import { seedDemo } from '../../seeds/demo.js';
import { createUser } from '../../seeds/users.js';
import { rows } from '../api/support.js';
import { type AdminHarness, CHROMIUM, hasChromium, openFromMenu, SHOTS, startAdmin } from './harness.js';
import { freshCode } from './totp-codes.js';

// Staff pay in a browser (issue 15): a manager with an authenticator opens last month's payout batch (drafted by
// finance in the demo), reviews one staff member's month from it, and approves the batch with a fresh code; the
// finance user who drafted it finds Approve disabled with the reason.
if (!hasChromium) console.warn(`Skipping the staff pay browser test: ${CHROMIUM} does not exist.`);

let h: AdminHarness;
const EMAIL = 'meera.payouts@milkrun.test';
const PASSWORD = 'Jayanagar Filter Coffee 7';
let secret = '';

async function api(path: string, body: unknown, cookie = ''): Promise<Response> {
  return fetch(`${h.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
}

describe.skipIf(!hasChromium)('staff pay in a browser', () => {
  beforeAll(async () => {
    h = await startAdmin(async (db) => {
      // Enough history for last month's earnings and its draft batch (drafted by finance).
      await seedDemo(db, { scale: 0.2, seed: 15, historyDays: 40 });
      await createUser(db, { email: EMAIL, name: 'Meera Manager', password: PASSWORD, roles: ['manager'] });
    });
    const login = await api('/api/auth/login', { email: EMAIL, password: PASSWORD });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    secret = ((await (await api('/api/auth/totp/enroll', {}, cookie)).json()) as { secret: string }).secret;
    expect((await api('/api/auth/totp/confirm', { code: await freshCode(secret) }, cookie)).status).toBe(200);
  }, 240_000);
  afterAll(async () => {
    await h?.close();
  });

  test("the manager reviews a staff member's month and approves finance's draft with a code", async () => {
    const errors: string[] = [];
    const [draft] = await rows<{ id: string; month: string; total: number; creator: string }>(
      h.database.db,
      sql`select b.id, to_char(b.month, 'YYYY-MM') as month, b.total_paise::int as total, u.email as creator from payout_batches b join users u on u.id = b.created_by where b.status = 'draft'`,
    );
    expect(draft.creator).toBe('finance@milkrun.test');

    // The drafter may not approve: the button is there, disabled, with the reason.
    const finance = await h.loggedIn('finance', errors, { startPath: `/field/payout-batches/show/${draft.id}` });
    await finance.getByText('You drafted this batch', { exact: false }).first().waitFor();
    expect(await finance.getByRole('button', { name: 'Approve' }).isDisabled()).toBe(true);
    await finance.context().close();

    const context = await h.browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'Asia/Kolkata', acceptDownloads: true });
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${h.base}/login`);
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Code from your authenticator app').fill(await freshCode(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));

    // Payout batches from the Field menu; the draft opens with its transfers.
    await openFromMenu(page, 'Payout batches');
    await page.waitForURL(/\/field\/payout-batches/);
    await page.locator('.ant-table-row', { hasText: 'Draft' }).getByRole('link').first().click();
    await page.waitForURL(new RegExp(`/field/payout-batches/show/${draft.id}`));
    await page.getByText(formatPaise(draft.total), { exact: true }).first().waitFor();
    const [first] = await rows<{ staff_id: string; name: string; amount: number }>(
      h.database.db,
      sql`select staff_id, beneficiary_name as name, amount_paise::int as amount from payout_items where batch_id = ${draft.id} order by amount_paise desc limit 1`,
    );
    const transfer = page.locator('.ant-table-row', { hasText: first.name });
    await transfer.getByText(formatPaise(first.amount)).waitFor();

    // That staff member's month, from the transfer: their figures are the database's.
    await transfer.getByRole('link', { name: first.name }).click();
    await page.waitForURL(new RegExp(`/field/earnings/staff/${first.staff_id}\\?month=${draft.month}`));
    const [month] = await rows<{ total: number; drops: number }>(
      h.database.db,
      sql`select coalesce(sum(amount_paise), 0)::int as total, count(*) filter (where type = 'base')::int as drops from earnings_lines
          where staff_id = ${first.staff_id} and to_char(earned_on, 'YYYY-MM') = ${draft.month}`,
    );
    const kpi = (title: string) => page.locator('.ant-statistic', { hasText: title }).locator('.ant-statistic-content');
    await expect.poll(async () => (await kpi('Earned').innerText()).trim()).toBe(formatPaise(month.total));
    expect((await kpi('Drops').innerText()).trim()).toBe(String(month.drops));
    await page.getByTestId('month-chart').locator('.recharts-bar-rectangle').first().waitFor();
    await page.getByText(': staff this month', { exact: false }).waitFor();
    await page.screenshot({ path: `${SHOTS}/staff-pay-e2e-month.png`, fullPage: true });

    // Back to the batch: approve, and the step-up dialog asks for a fresh code.
    await page.goBack();
    await page.waitForURL(new RegExp(`/field/payout-batches/show/${draft.id}`));
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: 'Approve' }).click();
    const dialog = page.locator('.ant-modal', { hasText: 'Confirm with your authenticator app' });
    await dialog.getByLabel('Authenticator code').fill(await freshCode(secret));
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('.ant-descriptions').getByText('Approved', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Download bank file' }).waitFor();

    const [after] = await rows<{ status: string; approver: string; creator: string; pending: number }>(
      h.database.db,
      sql`select b.status::text, a.email as approver, c.email as creator, (select count(*)::int from payout_items i where i.batch_id = b.id and i.status = 'pending') as pending
          from payout_batches b join users a on a.id = b.approved_by join users c on c.id = b.created_by where b.id = ${draft.id}`,
    );
    expect(after).toEqual({ status: 'approved', approver: EMAIL, creator: 'finance@milkrun.test', pending: expect.any(Number) });
    expect(after.pending).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}/staff-pay-e2e-approved.png` });
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);
});
