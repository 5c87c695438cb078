/**
 * How long a manager on a phone over 4G waits for the dashboard (issue 9, item 14). Not a test: timings depend on the
 * machine. Against a running server with the demo loaded:
 *   PORT=3104 npm start &   then   npx tsx tests/bench/admin-load.ts [http://localhost:3104] [role]
 * Chromium at 390 x 844 with CDP emulation: 150 ms round trip, 9 Mbit/s down, 3 Mbit/s up, CPU slowed 4x
 * (CPU_SLOWDOWN=n to change). Prints,
 * for a first visit (empty cache, already logged in), a repeat visit (assets from the cache) and the login page then
 * the dashboard: the time to the dashboard's figures on screen, and the script bytes on the wire.
 */
import { chromium, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../seeds/users.js';
import { chromiumArgs, CHROMIUM } from '../e2e/harness.js';

const base = process.argv[2] ?? 'http://localhost:3000';
const role = process.argv[3] ?? 'manager';
const network = { offline: false, latency: 150, downloadThroughput: (9e6 / 8) | 0, uploadThroughput: (3e6 / 8) | 0 };

const browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
const context = await browser.newContext({ viewport: { width: 390, height: 844 }, timezoneId: 'Asia/Kolkata', deviceScaleFactor: 2, isMobile: true, hasTouch: true });
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Network.enable');

/** Script bytes as received (compressed) for requests that finish while `run` goes. */
async function measure(label: string, run: (p: Page) => Promise<void>) {
  let bytes = 0;
  let scripts = 0;
  const types = new Map<string, string>();
  const onResponse = (e: { requestId: string; type: string }) => types.set(e.requestId, e.type);
  const onFinished = (e: { requestId: string; encodedDataLength: number }) => {
    if (types.get(e.requestId) === 'Script') {
      bytes += e.encodedDataLength;
      scripts += 1;
    }
  };
  cdp.on('Network.responseReceived', onResponse);
  cdp.on('Network.loadingFinished', onFinished);
  await cdp.send('Network.emulateNetworkConditions', network);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(process.env.CPU_SLOWDOWN ?? 4) });
  const started = performance.now();
  await run(page);
  const ms = performance.now() - started;
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  cdp.off('Network.responseReceived', onResponse);
  cdp.off('Network.loadingFinished', onFinished);
  console.log(`${label.padEnd(44)} ${(ms / 1000).toFixed(2)} s   ${scripts} scripts, ${(bytes / 1024).toFixed(1)} KB on the wire (incl. headers)`);
}

const dashboardShown = (p: Page) => p.getByTestId('kpi-deliveries').waitFor({ timeout: 60_000 });

// Logged in without throttling (the cookie), then the first visit to the dashboard with an empty cache.
await context.request.post(`${base}/api/auth/login`, { data: { email: `${role}@milkrun.test`, password: DEMO_PASSWORD } });
await measure('first visit, empty cache: /dashboard', async (p) => {
  await p.goto(`${base}/dashboard`);
  await dashboardShown(p);
});
await page.goto('about:blank');
await measure('repeat visit, assets cached: /dashboard', async (p) => {
  await p.goto(`${base}/dashboard`);
  await dashboardShown(p);
});

// A new phone: the login page with an empty cache, sign in (typing not counted), the dashboard.
await context.clearCookies();
await cdp.send('Network.clearBrowserCache');
await page.goto('about:blank');
await measure('empty cache: /login shown', async (p) => {
  await p.goto(`${base}/login`);
  await p.getByLabel('Email').waitFor();
});
await page.getByLabel('Email').fill(`${role}@milkrun.test`);
await page.getByLabel('Password').fill(DEMO_PASSWORD);
await measure('then Sign in until the dashboard is shown', async (p) => {
  await p.getByRole('button', { name: 'Sign in' }).click();
  await dashboardShown(p);
});
await browser.close();
