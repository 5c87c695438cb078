import { createRoute, z } from '@hono/zod-openapi';
import { audit } from '../../lib/audit.js';
import { transaction } from '../../lib/context.js';
import { allowed, ok, permit, type Router } from '../../lib/http.js';
import { gstReport } from './gst-report.service.js';
import { gstReportXlsx } from './gst-report.xlsx.js';
import { GstReport, GstReportQuery, Revenue, RevenueQuery } from './reports.schemas.js';
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
      ...permit('reports', 'show'),
      method: 'get',
      path: '/api/reports/revenue',
      tags: ['reports'],
      summary: 'Revenue of issued invoices over a range of months, by month, zone or product, with totals',
      request: { query: RevenueQuery },
      responses: ok(Revenue, 'The revenue rows and their totals'),
    }),
    async (c) => c.json(await revenue(c.get('ctx'), c.req.valid('query')), 200),
  );
}
