/**
 * The GST report of the 50,000-customer month (issue 14 target: under 5 s).
 *   createdb -T milkrun_bench_perf_seeded milkrun_bench_gst   (a month prepared by `npm run bench -- --reuse`)
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/milkrun_bench_gst npx tsx tests/bench/gst-report.ts [--month 2026-11]
 * Invoices what is left of the month first (runInvoices, dated the month's last day; an interrupted run is finished), then times
 * GET /api/reports/gst's service and its XLSX three times each on a warm database.
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../db/client.js';
import { monthBounds } from '../../api/lib/dates.js';
import { rowsOf } from '../../api/lib/sql.js';
import { runInvoices } from '../../api/modules/invoices/invoice-runs.service.js';
import { gstReport } from '../../api/modules/reports/gst-report.service.js';
import { gstReportXlsx } from '../../api/modules/reports/gst-report.xlsx.js';
import { systemCtx } from '../../seeds/history.js';
import { benchUrl } from './db.js';

const { values } = parseArgs({ options: { month: { type: 'string', default: '2026-11' } } });
const month = values.month!;
const { start, end } = monthBounds(month);
const database = await openDatabase({ url: benchUrl().toString(), max: 4 });
await database.migrate();
const [admin] = rowsOf<{ id: string }>(await database.db.execute(sql`select u.id from users u join user_roles ur on ur.user_id = u.id join roles r on r.id = ur.role_id where r.name = 'admin' limit 1`));
const ctx = await systemCtx(database.db, admin.id);
const count = async () => rowsOf<{ n: number; lines: number }>(await database.db.execute(sql`
  select count(distinct i.id)::int as n, count(*)::int as lines from invoices i join invoice_lines l on l.invoice_id = i.id where i.invoice_date between ${start} and ${end}`))[0];
// Safe to re-run: a run invoices only what is left (an interrupted one is finished here), nothing once all is invoiced.
const t0 = performance.now();
const run = await runInvoices(ctx, { month, invoice_date: end });
console.log(`invoiced ${month}: ${run.invoices_created} new invoices in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
if (run.invoices_created > 0) {
  await database.db.execute(sql`analyze invoices`);
  await database.db.execute(sql`analyze invoice_lines`);
}
const figures = await count();
console.log(`${month}: ${figures.n} invoices, ${figures.lines} lines`);
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  const report = await gstReport(ctx, month);
  const t1 = performance.now();
  const file = await gstReportXlsx(report);
  const t2 = performance.now();
  console.log(`run ${i + 1}: report ${(t1 - t0).toFixed(0)} ms (${report.hsn.length} HSN rows, ${report.documents.length} series), xlsx ${(t2 - t1).toFixed(0)} ms (${file.length} bytes)`);
}
await database.close();
