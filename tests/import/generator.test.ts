import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importLegacy } from '../../api/modules/imports/imports.service.js';
import { freshDatabase } from '../helpers/app.js';
import { generateExport, type Expected } from './generate-export.js';
import { brokenLinks, query, serviceCtx } from './support.js';

// Tens of thousands of orders (about 28 per customer a month); LEGACY_GEN_CUSTOMERS scales it up by hand.
const CUSTOMERS = Number(process.env.LEGACY_GEN_CUSTOMERS ?? 800);
// Live heap (after a full collection) may grow by this much while importing: the importer streams its files and
// keeps its per-document state in typed arrays outside the heap, so what is live is one batch in flight. Holding
// the export's documents as objects would take several times the export's size (20+ MB here).
const LIVE_HEAP_LIMIT_BYTES = 16 * 1024 * 1024;

// A full collection on demand, so heapUsed measures what is live and not what V8 has yet to collect.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('legacy import of a generated export', () => {
  let dir: string;
  let expected: Expected;
  let database: Awaited<ReturnType<typeof freshDatabase>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'milkrun-legacy-gen-'));
    expected = await generateExport(dir, { customers: CUSTOMERS, days: 31, start: '2026-01-01', seed: 7 });
    database = await freshDatabase();
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database?.drop();
  });

  it('imports tens of thousands of orders with the right counts, in bounded memory', { timeout: 900_000 }, async () => {
    expect(expected.counts.orders).toBeGreaterThan(20_000);
    gc();
    const before = process.memoryUsage().heapUsed;
    let peakLive = 0;
    let afterReading = 0;
    // Measured at every progress line: after reading the export, and after each batch of 1000 orders written.
    const progress = (message: string) => {
      gc();
      const live = process.memoryUsage().heapUsed - before;
      peakLive = Math.max(peakLive, live);
      if (message.startsWith('read the export')) afterReading = live;
    };
    let peakSampled = before;
    const sampler = setInterval(() => (peakSampled = Math.max(peakSampled, process.memoryUsage().heapUsed)), 25);
    const started = performance.now();
    const report = await importLegacy(serviceCtx(database.db), { dir, progress }).finally(() => clearInterval(sampler));
    const seconds = (performance.now() - started) / 1000;
    const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
    console.log(
      `generated export: ${expected.counts.orders} orders, ${expected.counts.delivery_statuses} delivery rows, ${mb(expected.bytes)}; ` +
        `imported on ${database.kind} in ${seconds.toFixed(1)} s (${Math.round(expected.counts.orders / seconds)} orders/s); ` +
        `live heap growth: ${mb(afterReading)} after reading, ${mb(peakLive)} at most; compact indexes (typed arrays) ${mb(report.memory.index_bytes)}; ` +
        `heapUsed peak incl. garbage +${mb(peakSampled - before)}`,
    );

    expect(report.anomalies).toEqual(expected.anomalies);
    for (const [c, read] of Object.entries(expected.counts)) expect(report.counts[c].read, c).toBe(read);
    expect(report.counts.orders).toMatchObject({ imported: expected.imported_orders, skipped: expected.anomalies.orphan_orders, rejected: 0 });
    expect(report.rejected_total).toBe(0);
    const [rows] = await query<{ orders: number; delivered: number; backfill: number; legacy: number }>(
      database.db,
      sql`select (select count(*)::int from orders) as orders,
                 (select count(*)::int from deliveries where status = 'delivered') as delivered,
                 (select coalesce(sum(taxable_paise), 0)::bigint from billing_records where not legacy_billed) as backfill,
                 (select coalesce(sum(taxable_paise), 0)::bigint from billing_records where legacy_billed) as legacy`,
    );
    expect(Number(rows.orders)).toBe(expected.imported_orders);
    expect(Number(rows.delivered)).toBe(expected.delivered_orders);
    expect(Number(rows.backfill)).toBe(expected.anomalies.unbilled_delivered_one_time_paise);
    expect(Number(rows.backfill) + Number(rows.legacy)).toBe(expected.anomalies.delivered_value_paise);
    expect(Object.values(await brokenLinks(database.db)).every((n) => n === 0)).toBe(true);
    // Bounded: far below the export's size, and the indexes take a few bytes a document.
    expect(peakLive).toBeLessThan(LIVE_HEAP_LIMIT_BYTES);
    expect(afterReading).toBeLessThan(LIVE_HEAP_LIMIT_BYTES);
    expect(report.memory.index_bytes / (expected.counts.orders + expected.counts.delivery_statuses)).toBeLessThan(200);
  });
});
