import { createRoute, z } from '@hono/zod-openapi';
import { audit } from '../../lib/audit.js';
import type { Context } from 'hono';
import { transaction, type Ctx } from '../../lib/context.js';
import { allowed, ok, permit, type AppEnv, type Router } from '../../lib/http.js';
import { gstReport } from './gst-report.service.js';
import { gstReportXlsx } from './gst-report.xlsx.js';
import { CollectionsQuery, CollectionsRegister, GstReport, GstReportQuery, Revenue, RevenueQuery, SalesRegisterQuery, SalesRegisterTotals } from './reports.schemas.js';
import { collectionsColumns, collectionsRegister, salesRegisterTotals } from './registers.service.js';
import { fileTypes, tableFile, type TableColumn, type TableRow } from './table-file.js';
import { revenue } from './revenue.service.js';

export function mountReports(app: Router) {
  app.openapi(
    createRoute({
      // Either grant lets the request in; the handler then needs show for JSON and export for the workbook.
      ...permit('reports', 'show', 'export'),
      method: 'get',
      path: '/api/reports/gst',
      tags: ['reports'],
      summary: "A month's GST figures for GSTR-1: B2C small (table 7), nil-rated and exempt (8), HSN summary (12), documents (13), credit notes",
      request: { query: GstReportQuery },
      responses: {
        200: {
          description: 'The GST report of the month (JSON), or with format=xlsx the GSTR-1 workbook',
          content: {
            'application/json': { schema: GstReport },
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) },
          },
        },
      },
    }),
    async (c) => {
      const { month, format } = c.req.valid('query');
      if (format !== 'xlsx') {
        const ctx = allowed(c, 'reports', 'show');
        return c.json(await gstReport(ctx, month), 200);
      }
      const ctx = allowed(c, 'reports', 'export');
      // The export is audited (who, which report, which month); the figures are read in the same transaction.
      const report = await transaction(ctx, async (tx) => {
        const r = await gstReport(tx, month);
        await audit(tx, { action: 'export', table: 'reports', after: { report: 'gst', month, format, rows: r.hsn.length + r.b2cs.length + r.documents.length } });
        return r;
      });
      const file = await gstReportXlsx(report);
      return c.body(new Uint8Array(file), 200, {
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-disposition': `attachment; filename="gst-report-${month}.xlsx"`,
      });
    },
  );
  app.openapi(
    createRoute({
      ...permit('reports', 'show', 'export'),
      method: 'get',
      path: '/api/reports/revenue',
      tags: ['reports'],
      summary: 'Revenue of issued invoices over a range of months, by month, zone or product, with totals (JSON, or format=csv|xlsx)',
      request: { query: RevenueQuery },
      responses: files(Revenue, 'The revenue rows and their totals'),
    }),
    async (c) => {
      const { format, ...q } = c.req.valid('query');
      if (!format || format === 'json') return c.json(await revenue(allowed(c, 'reports', 'show'), q), 200);
      const ctx = allowed(c, 'reports', 'export');
      const columns: TableColumn[] = [
        { key: 'label', label: q.by === 'month' ? 'Month' : q.by === 'zone' ? 'Zone' : 'Product', kind: 'text' },
        { key: 'invoices', label: 'Invoices', kind: 'count' },
        { key: 'quantity', label: 'Quantity', kind: 'count' },
        { key: 'value_paise', label: 'Value before tax', kind: 'paise' },
        { key: 'cgst_paise', label: 'CGST', kind: 'paise' },
        { key: 'sgst_paise', label: 'SGST', kind: 'paise' },
        { key: 'total_paise', label: 'Total', kind: 'paise' },
      ];
      return sendTable(c, ctx, format, `revenue-by-${q.by}-${q.from}-${q.to}`, { report: 'revenue', ...q }, async (tx) => {
        const r = await revenue(tx, q);
        return { columns, rows: r.rows as unknown as TableRow[], totals: { ...r.totals, quantity: r.rows.reduce((a, x) => a + x.quantity, 0) } };
      });
    },
  );
  app.openapi(
    createRoute({
      ...permit('reports', 'show'),
      method: 'get',
      path: '/api/reports/sales-register',
      tags: ['reports'],
      summary: "The sales register's totals for a range of invoice dates (the register itself is GET /api/invoices and its export, with invoice_date_gte/lte)",
      request: { query: SalesRegisterQuery },
      responses: ok(SalesRegisterTotals, 'Totals of the issued invoices dated in the range, and how many were voided'),
    }),
    async (c) => c.json(await salesRegisterTotals(c.get('ctx'), c.req.valid('query')), 200),
  );
  app.openapi(
    createRoute({
      ...permit('reports', 'show', 'export'),
      method: 'get',
      path: '/api/reports/collections',
      tags: ['reports'],
      summary: 'Collections register: money received per day by method, with totals (JSON, or format=csv|xlsx)',
      request: { query: CollectionsQuery },
      responses: files(CollectionsRegister, 'The days with money received and the totals by method'),
    }),
    async (c) => {
      const { format, ...q } = c.req.valid('query');
      if (!format || format === 'json') return c.json(await collectionsRegister(allowed(c, 'reports', 'show'), q), 200);
      const ctx = allowed(c, 'reports', 'export');
      return sendTable(c, ctx, format, `collections-${q.from}-${q.to}`, { report: 'collections', ...q }, async (tx) => {
        const r = await collectionsRegister(tx, q);
        return { columns: collectionsColumns, rows: r.rows, totals: r.totals };
      });
    },
  );
}

/** A report route's answers: JSON, or the same table as CSV or XLSX. */
const files = (schema: z.ZodType, description: string) => ({
  200: {
    description: `${description} (JSON), or with format=csv|xlsx the table as a file`,
    content: {
      'application/json': { schema },
      'text/csv': { schema: z.string() },
      [fileTypes.xlsx]: { schema: z.string().openapi({ format: 'binary' }) },
    },
  },
});

/** The table as a file, read and audited (who, which report, its parameters, rows) in one transaction. */
async function sendTable(
  c: Context<AppEnv>,
  ctx: Ctx,
  format: 'csv' | 'xlsx',
  name: string,
  what: Record<string, unknown>,
  read: (tx: Ctx) => Promise<{ columns: TableColumn[]; rows: TableRow[]; totals: TableRow }>,
) {
  const t = await transaction(ctx, async (tx) => {
    const table = await read(tx);
    await audit(tx, { action: 'export', table: 'reports', after: { ...what, format, rows: table.rows.length } });
    return table;
  });
  const body = await tableFile(format, name, t.columns, t.rows, t.totals);
  return c.body(body as never, 200, { 'content-type': fileTypes[format], 'content-disposition': `attachment; filename="${name}.${format}"` });
}
