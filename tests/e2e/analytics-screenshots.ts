/**
 * Screenshots of the analytics page and the dashboard's links, for a person to look at (not a test), 1440 and 390 px.
 *   PGLITE_DIR=/tmp/mr-analytics PORT=3104 npm start &   then   npx tsx tests/e2e/analytics-screenshots.ts [baseUrl]
 * PNGs land in tests/e2e/screenshots/ (gitignored).
 */
import { screenshots } from './shots.js';

const base = process.argv[2] ?? 'http://localhost:3104';
const { browser, session, shot, first } = await screenshots(base);
const finance = await session('finance');
const allDrawn = '[data-testid=card-receivables-ageing] .recharts-bar-rectangle';
await shot(finance, 'a10-analytics', '/analytics', { wait: allDrawn, full: true });
// Hover a bar of the first chart: the value in INR.
const bar = finance.locator('[data-testid=chart-revenue-by-day] .recharts-bar-rectangle').nth(20);
await bar.hover().catch(() => console.error('  no bar to hover'));
await finance.waitForTimeout(300);
await shot(finance, 'a11-analytics-hover', undefined, {});
const zone = await first<{ id: string }>(finance, 'zones', '&_sort=name&_order=asc');
await shot(finance, 'a12-analytics-zone-90d', `/analytics?from=${new Date(Date.now() - 89 * 864e5).toISOString().slice(0, 10)}&to=${new Date().toISOString().slice(0, 10)}&zone_id=${zone?.id}`, { wait: allDrawn, full: true });
await shot(finance, 'a20-dashboard', '/dashboard', { wait: '[data-testid=kpi-link-pending]' });
await finance.setViewportSize({ width: 390, height: 844 });
await shot(finance, 'a30-analytics-phone', '/analytics', { wait: allDrawn, full: true });
const manager = await session('manager');
await shot(manager, 'a40-analytics-manager', '/analytics', { wait: allDrawn });
const support = await session('support');
await shot(support, 'a50-analytics-support-forbidden', '/analytics');
await browser.close();
