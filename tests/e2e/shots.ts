import { mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../seeds/users.js';
import { chromiumArgs, CHROMIUM, SHOTS } from './harness.js';

export interface Shots {
  browser: Browser;
  /** A page logged in as the demo user of `role`; page errors and console errors are printed. */
  session(role: string): Promise<Page>;
  /** Opens `path` (if given), waits for the network and `opts.wait`, and saves tests/e2e/screenshots/<prefix><name>.png. */
  shot(page: Page, name: string, path?: string, opts?: { wait?: string; full?: boolean }): Promise<void>;
  /** The first row of a list of the API, as the page's session sees it. */
  first<T = { id: string }>(page: Page, resource: string, query?: string): Promise<T | undefined>;
}

/** What the screenshot scripts (pages for a person to look at, not tests) share, against a running server at `base`. */
export async function screenshots(base: string, prefix = ''): Promise<Shots> {
  mkdirSync(SHOTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
  return {
    browser,
    async session(role) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-IN', timezoneId: 'Asia/Kolkata' });
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error(`[${role}] page error:`, e.message));
      page.on('console', (m) => m.type() === 'error' && console.error(`[${role}] console:`, m.text()));
      await page.goto(`${base}/login`);
      await page.getByLabel('Email').fill(`${role}@milkrun.test`);
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      return page;
    },
    async shot(page, name, path, opts = {}) {
      if (path) await page.goto(`${base}${path}`);
      await page.waitForLoadState('networkidle');
      if (opts.wait) await page.locator(opts.wait).first().waitFor({ timeout: 15_000 }).catch(() => console.error(`  (${name}: ${opts.wait} not found)`));
      await page.waitForTimeout(400);
      if (opts.full) await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${SHOTS}/${prefix}${name}.png`, fullPage: opts.full ?? false });
      console.log(`${prefix}${name}.png  ${page.url()}`);
    },
    async first<T>(page: Page, resource: string, query = '') {
      const res = await page.request.get(`${base}/api/${resource}?_start=0&_end=1${query}`);
      return ((await res.json()) as T[])[0];
    },
  };
}
