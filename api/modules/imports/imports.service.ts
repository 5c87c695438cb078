import { resolve } from 'node:path';
import { allowLongStatements } from '../../lib/sql.js';
import { desc, eq, ne } from 'drizzle-orm';
import { importAnomalies, importRuns } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import type { Ctx } from '../../lib/context.js';
import type { Resource } from '../../lib/crud.js';
import { formatRupees } from '../../../shared/money.js';
import { COLLECTIONS, LegacyPlan, type CollectionCount, type Progress, type Rejection } from './legacy.plan.js';
import { LegacyWriter, type Backfill } from './legacy.write.js';

export interface ImportInput {
  /** The folder of the mongoexport files (`<collection>.json`). */
  dir: string;
  dryRun?: boolean;
  batchSize?: number;
  progress?: Progress;
  /** "Today" in IST, for the check that nothing was delivered in the future (tests pin it). */
  today?: string;
}

export interface ImportReport {
  run_id: string | null;
  source: string;
  dry_run: boolean;
  started_at: string;
  finished_at: string;
  duration_ms: number;
  counts: Record<string, CollectionCount>;
  anomalies: ReturnType<LegacyPlan['anomalies']>['anomalies'];
  backfill: Backfill;
  /** Delivered orders the old system had billed: imported with legacy_billed = true, never invoiced again. */
  legacy_billed: { billing_records: number; amount_paise: number };
  other_findings: ReturnType<LegacyPlan['anomalies']>['other_findings'];
  zones_created: string[];
  products_needing_tax_review: string[];
  rejected: Rejection[];
  rejected_total: number;
  notes: string[];
  memory: { index_bytes: number };
}

const REJECTED_IN_REPORT = 200;

class DryRunDone extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run: rolled back');
  }
}

/**
 * Imports an export of the old MongoDB system (see shared/legacy/README.md): pass 1 reads everything and plans,
 * pass 2 writes in batches. A dry run does the same writes inside one transaction and rolls it back, so its
 * report is exactly the report of a real run on the same database.
 */
export async function importLegacy(ctx: Ctx, input: ImportInput): Promise<ImportReport> {
  const started = new Date();
  const source = resolve(input.dir);
  const dryRun = input.dryRun ?? false;
  const plan = new LegacyPlan(source, input.today);
  await plan.scan(input.progress);
  const options = { dryRun, actorId: ctx.actor?.id ?? null, batchSize: input.batchSize, progress: input.progress };

  if (dryRun) {
    try {
      await ctx.db.transaction(async (db) => {
        const tx: Ctx = { ...ctx, db: db as unknown as Ctx['db'], inTx: true };
        await allowLongStatements(tx.db); // a long job: not bound by the API's per-request statement timeout
        const [run] = await tx.db.insert(importRuns).values({ source, dry_run: true, actor_id: options.actorId }).returning({ id: importRuns.id });
        const writer = new LegacyWriter(tx, plan, { ...options, runId: run.id });
        await writer.run();
        throw new DryRunDone(buildReport(plan, writer, { runId: null, source, dryRun, started }));
      });
    } catch (err) {
      if (err instanceof DryRunDone) return err.report;
      throw err;
    }
    throw new Error('unreachable');
  }

  const [run] = await ctx.db.insert(importRuns).values({ source, dry_run: false, actor_id: options.actorId }).returning({ id: importRuns.id });
  try {
    const writer = new LegacyWriter(ctx, plan, { ...options, runId: run.id });
    await writer.run();
    const report = buildReport(plan, writer, { runId: run.id, source, dryRun, started });
    await ctx.db.transaction(async (db) => {
      const tx: Ctx = { ...ctx, db: db as unknown as Ctx['db'], inTx: true };
      await tx.db.update(importRuns).set({ status: 'completed', finished_at: new Date(report.finished_at), report }).where(eq(importRuns.id, run.id));
      await audit(tx, { action: 'legacy_import_completed', table: 'import_runs', recordId: run.id, after: { counts: report.counts, anomalies: report.anomalies, backfill: report.backfill } });
    });
    return report;
  } catch (err) {
    await ctx.db.update(importRuns).set({ status: 'failed', finished_at: new Date(), error: (err as Error).message?.slice(0, 2000) ?? String(err) }).where(eq(importRuns.id, run.id));
    throw err;
  }
}

function buildReport(plan: LegacyPlan, writer: LegacyWriter, run: { runId: string | null; source: string; dryRun: boolean; started: Date }): ImportReport {
  const finished = new Date();
  const { anomalies, other_findings } = plan.anomalies();
  const counts: Record<string, CollectionCount> = {};
  for (const c of COLLECTIONS) if (plan.present.has(c)) counts[c] = plan.counts[c];
  return {
    run_id: run.runId,
    source: run.source,
    dry_run: run.dryRun,
    started_at: run.started.toISOString(),
    finished_at: finished.toISOString(),
    duration_ms: finished.getTime() - run.started.getTime(),
    counts,
    anomalies,
    backfill: { ...writer.backfill },
    legacy_billed: { ...writer.legacyBilled },
    other_findings,
    zones_created: writer.zonesCreated,
    products_needing_tax_review: writer.productsUnclassified,
    rejected: plan.rejections.slice(0, REJECTED_IN_REPORT),
    rejected_total: plan.rejections.length,
    notes: plan.notes,
    memory: { index_bytes: plan.indexBytes },
  };
}

const rupees = (paise: number) => formatRupees(paise);

/** The report as a person reads it, amounts in rupees. */
export function formatSummary(r: ImportReport): string {
  const a = r.anomalies;
  const lines: string[] = [];
  lines.push(`${r.dry_run ? 'DRY RUN (nothing was changed)' : 'Import'} of ${r.source} in ${(r.duration_ms / 1000).toFixed(1)} s`);
  lines.push('');
  const head = ['collection', 'read', 'imported', 'already', 'linked', 'skipped', 'rejected'];
  const rows = Object.entries(r.counts).map(([c, n]) => [c, n.read, n.imported, n.already_imported, n.linked_existing, n.skipped, n.rejected].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const fmt = (row: string[]) => row.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  lines.push(fmt(head), ...rows.map(fmt));
  lines.push('');
  lines.push('What the old data says:');
  lines.push(`  delivered orders worth                 ${rupees(a.delivered_value_paise)}`);
  lines.push(`  delivery found by order id             ${a.orders_delivery_linked_by_order_id} orders`);
  lines.push(`  delivery found by customer and date    ${a.orders_delivery_linked_by_customer_and_date} orders`);
  lines.push(`  delivered one-time orders              ${a.delivered_one_time_orders}`);
  lines.push(`  ... never billed                       ${a.unbilled_delivered_one_time_orders} orders, ${rupees(a.unbilled_delivered_one_time_paise)}`);
  lines.push(`  orphan orders (no such customer)       ${a.orphan_orders}`);
  lines.push(`  phantom deliveries (no order)          ${a.phantom_deliveries}`);
  lines.push(`  duplicate delivery marks               ${a.duplicate_delivery_marks}`);
  lines.push(`  customers without a user link          ${a.customers_without_user_id}`);
  const o = r.other_findings;
  const extras = Object.entries(o).filter(([, v]) => v > 0);
  if (extras.length) lines.push(`  also: ${extras.map(([k, v]) => `${k.replace(/_/g, ' ')} ${k.endsWith('paise') ? rupees(v) : v}`).join('; ')}`);
  lines.push('');
  lines.push(
    `Recovered revenue: ${r.backfill.billing_records_created} billing records for ${r.backfill.orders} delivered orders the old system never billed, ${rupees(r.backfill.amount_paise)}` +
      (r.backfill.tax_paise ? ` + GST ${rupees(r.backfill.tax_paise)} = ${rupees(r.backfill.total_paise)}` : '') +
      (r.dry_run ? ' (would be created)' : '; the next invoice run bills them.'),
  );
  lines.push(`Billed by the old system: ${r.legacy_billed.billing_records} billing records, ${rupees(r.legacy_billed.amount_paise)} (marked legacy_billed, never invoiced again).`);
  if (r.zones_created.length) lines.push(`Zones created: ${r.zones_created.join(', ')}.`);
  if (r.products_needing_tax_review.length) lines.push(`Check HSN and GST of: ${r.products_needing_tax_review.join(', ')}.`);
  if (r.rejected_total) {
    lines.push('');
    lines.push(`Rejected documents: ${r.rejected_total}${r.rejected_total > r.rejected.length ? ` (first ${r.rejected.length} below, all of them on the data-health page)` : ''}`);
    for (const x of r.rejected.slice(0, 20)) lines.push(`  ${x.collection} ${x.legacy_id ?? '?'}${x.line ? ` (line ${x.line})` : ''}: ${x.reason}`);
    if (r.rejected.length > 20) lines.push(`  ... and ${r.rejected_total - 20} more in the report file`);
  }
  for (const n of r.notes) lines.push(`Note: ${n}`);
  return lines.join('\n');
}

// ---- read side for the admin ----

export const importRunResource: Resource = { name: 'imports', label: 'Import', table: importRuns };
export const importAnomalyResource: Resource = { name: 'import-anomalies', label: 'Import anomaly', table: importAnomalies };

/** The last finished import (completed or failed) with its report. */
export async function latestImport(ctx: Ctx) {
  const [row] = await ctx.db.select().from(importRuns).where(ne(importRuns.status, 'running')).orderBy(desc(importRuns.started_at)).limit(1);
  // No import yet is a normal state, not an error: the admin shows an empty state without a failed request.
  return row ?? null;
}
