import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { type Browser, chromium, type Page } from 'playwright-core';
import { onTestFailed, vi } from 'vitest';
import { createApp } from '../../api/app.js';
import type { Db } from '../../db/client.js';
import { DEMO_PASSWORD } from '../../seeds/users.js';
import { freshDatabase } from '../helpers/app.js';

// A browser test waits on a page that shares two cores with the database and the test run: 30 s was seen to run out
// in CI on a step that takes 10 s when the machine is idle. A test that sets its own timeout keeps it.
vi.setConfig({ testTimeout: 120_000 });

// Shared setup of the browser tests: build the admin once, a fresh database, the real app on a free port, chromium.
export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = 'tests/e2e/screenshots';
// Without Chromium a developer's run skips the browser tests (and says so); CI never skips them: the run fails instead.
export const hasChromium = existsSync(CHROMIUM) || process.env.CI === 'true';
if (!existsSync(CHROMIUM)) console.warn(`browser tests: ${CHROMIUM} not found (apt-get install chromium)${process.env.CI === 'true' ? '; CI runs them anyway and fails' : '; skipped'}`);
export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export type Role = 'admin' | 'finance' | 'support' | 'manager';

export interface AdminHarness {
  database: Awaited<ReturnType<typeof freshDatabase>>;
  browser: Browser;
  /** http://127.0.0.1:<port> of the app serving the API and the built admin. */
  base: string;
  /** A fresh browser context (own cookies), logged in through the login page; page errors land in `errors`. */
  loggedIn(role: Role, errors: string[], opts?: { startPath?: string; viewport?: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}

/** Builds the admin if admin/dist is missing, seeds a fresh database with `seed`, serves the app and opens chromium. */
export async function startAdmin(seed: (db: Db) => Promise<void>): Promise<AdminHarness> {
  if (!existsSync('admin/dist/index.html')) {
    const build = spawnSync('npx', ['vite', 'build', '--config', 'admin/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit', timeout: 170_000 });
    if (build.status !== 0) throw new Error('The admin build failed; see above.');
  }
  const database = await freshDatabase();
  await seed(database.db);
  const app = createApp({ database, logger: pino({ level: 'silent' }), adminDir: 'admin/dist' });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
  mkdirSync(SHOTS, { recursive: true });

  const loggedIn: AdminHarness['loggedIn'] = async (role, errors, opts = {}) => {
    const viewport = opts.viewport ?? { width: 1440, height: 900 };
    const context = await browser.newContext({ viewport, timezoneId: 'Asia/Kolkata', acceptDownloads: true });
    // A step may wait 60 s, not Playwright's 30: in a CI run beside a benchmark, two pages answered after 30 s.
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    // CI keeps only its log: a failed test prints where each of its pages stood and what it said, and the failed requests.
    const failed: string[] = [];
    page.on('response', (r) => void (r.status() >= 400 && failed.push(`${r.status()} ${r.request().method()} ${r.url()}`)));
    page.on('requestfailed', (r) => void failed.push(`failed ${r.method()} ${r.url()}: ${r.failure()?.errorText ?? ''}`));
    // From a test only: a page opened in a hook has no test of its own to fail.
    try {
      onTestFailed(() => describePage(page, role, failed));
    } catch {
      /* opened in beforeAll */
    }
    await page.goto(`${base}${opts.startPath ?? '/'}`);
    // Not logged in: the app sends us to the login page.
    await page.waitForURL(/\/login/);
    await page.getByLabel('Email').fill(`${role}@milkrun.test`);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    // Below 768 px who is signed in sits behind the avatar menu.
    if (viewport.width < 768) await page.getByTestId('user-menu').waitFor();
    else await page.getByTestId('current-user').getByText(role, { exact: true }).waitFor();
    return page;
  };

  return {
    database,
    browser,
    base,
    loggedIn,
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await database.drop();
    },
  };
}

/** What a page shows, for a failed test's log: its address, its text (cut), the requests that failed. */
async function describePage(page: Page, role: string, failed: string[]): Promise<void> {
  if (page.isClosed()) return;
  const text = await page.locator('body').innerText({ timeout: 2000 }).catch((e: Error) => `(no text: ${e.message})`);
  console.log(`[${role}'s page at the failure] ${page.url()}\n${text.replace(/\n{2,}/g, '\n').slice(0, 1500)}\n[failed requests] ${failed.slice(-10).join('\n') || 'none'}`);
}

/** Opens a page from the side menu, unfolding its group first when it is folded (only the open page's group starts open). */
export async function openFromMenu(page: Page, label: string, menu = '.ant-layout-sider'): Promise<void> {
  const sider = page.locator(menu);
  // `has` reads its locator from inside each submenu: built from the page, not from the sider.
  const inside = page.locator('.ant-menu-item').getByText(label, { exact: true });
  const entry = sider.locator('.ant-menu-item').getByText(label, { exact: true });
  await entry.waitFor({ state: 'attached' });
  if (!(await entry.isVisible())) {
    await sider.locator('.ant-menu-submenu').filter({ has: inside }).locator('.ant-menu-submenu-title').first().click();
    // The group unfolds in an animation that moves its entries: a click during it was seen (under load) to press on
    // the entry and release on the list behind it, which navigates nowhere. Click once the group stands still.
    await entry.waitFor();
    await sider.locator('[class*="ant-motion-collapse"]').waitFor({ state: 'detached' });
  }
  await entry.click();
}
