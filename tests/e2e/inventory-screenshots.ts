/**
 * Screenshots of the inventory pages, for a person to look at (not a test), at 1440 and 390 px.
 *   PGLITE_DIR=/tmp/mr-inventory PORT=3106 MILKRUN_DEMO=1 npm start &   then   npx tsx tests/e2e/inventory-screenshots.ts [baseUrl] [outDir]
 * It only reads (and opens forms without sending them). PNGs land in tests/e2e/screenshots/ (gitignored) or outDir.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { SHOTS } from './harness.js';
import { screenshots } from './shots.js';

const base = process.argv[2] ?? 'http://localhost:3106';
const out = process.argv[3];
const { browser, session, shot, first } = await screenshots(base, 'inventory-');
if (out) mkdirSync(out, { recursive: true });

async function both(page: Page, name: string, path: string, wait?: string) {
  for (const [w, h] of [[1440, 900], [390, 844]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await shot(page, `${name}-${w}`, path, { wait, full: w === 390 });
    if (out) copyFileSync(`${SHOTS}/inventory-${name}-${w}.png`, `${out}/${name}-${w}.png`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

const manager = await session('manager');
await both(manager, 'i10-stock', '/stock', '[data-testid=waste-chart]');
const level = await first<{ product_id: string; depot_id: string }>(manager, 'stock');
if (level) await both(manager, 'i11-ledger', `/stock/ledger/${level.product_id}/${level.depot_id}`, '.ant-table-row');
await both(manager, 'i20-reorder', '/reorder-proposals', '.ant-table-row');
await both(manager, 'i30-purchase-orders', '/purchase-orders', '.ant-table-row');
for (const status of ['draft', 'sent', 'received']) {
  const po = await first<{ id: string }>(manager, 'purchase-orders', `&status=${status}`);
  if (po) await both(manager, `i31-po-${status}`, `/purchase-orders/show/${po.id}`, '.ant-descriptions');
}
await both(manager, 'i32-po-create', '/purchase-orders/create', 'form');
await both(manager, 'i40-forecast', '/forecast', '[data-testid=forecast-chart]');
await both(manager, 'i50-movements', '/stock-movements', '.ant-table-row');
await both(manager, 'i60-suppliers', '/suppliers', '.ant-table-row');
const supplier = await first<{ id: string }>(manager, 'suppliers');
if (supplier) await both(manager, 'i61-supplier-edit', `/suppliers/edit/${supplier.id}`, 'form');
await both(manager, 'i70-depots', '/depots', '.ant-table-row');
const depot = await first<{ id: string }>(manager, 'depots');
if (depot) await both(manager, 'i71-depot-edit', `/depots/edit/${depot.id}`, 'form');
await browser.close();
