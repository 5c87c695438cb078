import { readFileSync } from 'node:fs';
import type { Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureDemoUsers } from '../../seeds/users.js';
import { type AdminHarness, CHROMIUM, hasChromium, openFromMenu } from './harness.js';
import { startAdmin } from './harness.js';

// What a browser downloads to reach the dashboard: split by route, compressed, and cached for good.
if (!hasChromium) console.warn(`Skipping the admin assets browser test: ${CHROMIUM} does not exist.`);

/** The first page's script budget (issue 9, item 14): login, then the dashboard, compressed bytes on the wire. */
const FIRST_PAGE_SCRIPT_BUDGET = 400 * 1024;

let h: AdminHarness;

type Manifest = Record<string, { file: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[] }>;

/** Files a manifest key loads statically (itself and its imports, transitively). */
function closure(m: Manifest, keys: string[]): Set<string> {
  const seen = new Set<string>();
  const files = new Set<string>();
  const visit = (k: string) => {
    if (seen.has(k) || !m[k]) return;
    seen.add(k);
    files.add(`/${m[k].file}`);
    for (const i of m[k].imports ?? []) visit(i);
  };
  keys.forEach(visit);
  return files;
}

/** The dashboard chart's own chunks (recharts): lazily imported, fetched once the figures are on screen. */
function chartOnlyChunks(): Set<string> {
  const m = JSON.parse(readFileSync('admin/dist/.vite/manifest.json', 'utf8')) as Manifest;
  const key = (suffix: string) => Object.keys(m).find((k) => k.endsWith(suffix))!;
  const chart = closure(m, [key('pages/dashboard/DailyChart.tsx')]);
  const page = closure(m, [...Object.keys(m).filter((k) => m[k].isEntry), key('pages/dashboard/index.tsx')]);
  return new Set([...chart].filter((f) => !page.has(f)));
}

describe.skipIf(!hasChromium)('admin assets', () => {
  beforeAll(async () => {
    h = await startAdmin(async (db) => {
      await ensureDemoUsers(db);
    });
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  test('login then dashboard fetch at most 400 KB of compressed script, each asset immutable, the shell revalidated', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'Asia/Kolkata' });
    const page = await context.newPage();
    const responses: Response[] = [];
    page.on('response', (r) => responses.push(r));

    await page.goto(`${h.base}/login`);
    await page.getByLabel('Email').fill('finance@milkrun.test');
    await page.getByLabel('Password').fill('milkrun');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('kpi-deliveries').waitFor();
    await page.waitForLoadState('networkidle');
    const chartChunks = chartOnlyChunks();
    expect(chartChunks.size, 'recharts sits in chunks of its own').toBeGreaterThan(0);

    const shell = responses.find((r) => new URL(r.url()).pathname === '/login')!;
    expect(shell.headers()['cache-control']).toBe('no-cache');

    const scripts = responses.filter((r) => r.request().resourceType() === 'script');
    expect(scripts.length).toBeGreaterThan(1); // split: the entry plus the dashboard's chunks
    let wire = 0;
    for (const r of scripts) {
      const name = new URL(r.url()).pathname;
      expect(name, 'every script is a hashed asset').toMatch(/^\/assets\/[\w-]+-[\w-]{8}\.js$/);
      expect(r.headers()['cache-control'], name).toBe('public, max-age=31536000, immutable');
      // Under 1 KB compression saves nothing worth a header; everything else goes compressed.
      if ((await r.body()).length >= 1024) expect(r.headers()['content-encoding'], name).toMatch(/^(br|gzip)$/);
      if (!chartChunks.has(name)) wire += (await r.request().sizes()).responseBodySize;
    }
    console.log(`first page: ${scripts.length} scripts, ${(wire / 1024).toFixed(1)} KB ${[...new Set(scripts.map((r) => r.headers()['content-encoding']))].join('/')}`);
    expect(wire).toBeLessThanOrEqual(FIRST_PAGE_SCRIPT_BUDGET);

    // Pages not opened stay on the server: the orders list's chunk is fetched only when its route opens.
    const before = scripts.length;
    await openFromMenu(page, 'Orders');
    await page.waitForURL(/\/orders/);
    await page.locator('.ant-page-header-heading-title', { hasText: 'Orders' }).waitFor();
    expect(responses.filter((r) => r.request().resourceType() === 'script').length).toBeGreaterThan(before);
    await context.close();
  });
});
