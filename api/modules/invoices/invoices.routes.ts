import { createRoute, z } from '@hono/zod-openapi';
import { invoiceLines, invoiceRuns, invoices } from '../../../db/schema/index.js';
import { getRow, listRows } from '../../lib/crud.js';
import { mountExport, resourceSource } from '../../lib/export.js';
import { created, IdParam, jsonBody, listAnswer, listSpecs, mountResource, ok, page, permit, type Router } from '../../lib/http.js';
import { parseListQuery, type ListSpec } from '../../lib/rest.js';
import { byCustomer } from '../../lib/search.js';
import { invoiceRunColumns, invoiceRunResource, startInvoiceRun } from './invoice-runs.service.js';
import { renderInvoicePdf } from './invoices.pdf.js';
import { Invoice, InvoiceLine, InvoiceRun, invoiceKinds, invoicePaymentStatuses, invoiceRunStatuses, invoiceStatuses, RunBody, RunQuery, VoidBody } from './invoices.schemas.js';
import { invoiceColumns, invoiceDocument, invoiceLineResource, invoiceLinesOf, invoiceResource, reissueInvoiceOnce, voidInvoiceOnce } from './invoices.service.js';


const invoiceLineList: ListSpec = {
  fields: {
    id: { column: invoiceLines.id, type: 'uuid' },
    invoice_id: { column: invoiceLines.invoice_id, type: 'uuid' },
    product_id: { column: invoiceLines.product_id, type: 'uuid' },
    description: { column: invoiceLines.description, type: 'text', sortable: true },
    hsn_code: { column: invoiceLines.hsn_code, type: 'text', sortable: true },
    gst_rate_bp: { column: invoiceLines.gst_rate_bp, type: 'int', sortable: true },
    quantity: { column: invoiceLines.quantity, type: 'int', sortable: true },
    total_paise: { column: invoiceLines.total_paise, type: 'int', sortable: true },
  },
  search: [invoiceLines.description, invoiceLines.hsn_code],
  defaultSort: { field: 'description', order: 'asc' },
};

export function mountInvoices(app: Router) {
  // Month run: answers at once with the run (202) and processes it in the background; ?wait=true answers when it has finished.
  app.openapi(
    createRoute({
      ...permit('invoice-runs', 'create'),
      method: 'post',
      path: '/api/invoice-runs',
      tags: ['invoice-runs'],
      summary: 'Invoice a month (all customers, or one): one invoice per customer with unbilled records of that month',
      request: { query: RunQuery, ...jsonBody(RunBody) },
      responses: { ...created(InvoiceRun, 'Finished run (wait=true)'), 202: { content: { 'application/json': { schema: InvoiceRun } }, description: 'Run started; watch GET /api/invoice-runs/{id}' } },
    }),
    async (c) => {
      const ctx = c.get('ctx');
      const { run, done } = await startInvoiceRun(ctx, c.req.valid('json'));
      if (c.req.valid('query').wait === 'true') return c.json(await done, 201);
      // Nobody awaits a background run; its failure is logged and recorded on the run row.
      done.catch(() => {});
      return c.json(run, 202);
    },
  );
  mountResource(app, {
    resource: invoiceRunResource,
    row: InvoiceRun,
    list: {
      fields: {
        id: { column: invoiceRuns.id, type: 'uuid' },
        month: { column: invoiceRuns.month, type: 'date', sortable: true },
        customer_id: { column: invoiceRuns.customer_id, type: 'uuid' },
        customer_name: { column: invoiceRunColumns.customer_name, type: 'text', sortable: true },
        status: { column: invoiceRuns.status, type: 'enum', values: invoiceRunStatuses, sortable: true },
        started_by: { column: invoiceRuns.started_by, type: 'uuid' },
        invoices_created: { column: invoiceRuns.invoices_created, type: 'int', sortable: true },
        amount_paise: { column: invoiceRuns.amount_paise, type: 'int', sortable: true },
        created_at: { column: invoiceRuns.created_at, type: 'timestamp', sortable: true },
        finished_at: { column: invoiceRuns.finished_at, type: 'timestamp', sortable: true },
      },
      defaultSort: { field: 'created_at', order: 'desc' },
    },
  });

  app.openapi(
    createRoute({ ...permit('invoices', 'show'), method: 'get', path: '/api/invoices/{id}/lines', tags: ['invoices'], request: { params: IdParam }, responses: ok(z.array(InvoiceLine), 'The lines of the invoice') }),
    async (c) => {
      const ctx = c.get('ctx');
      const rows = await invoiceLinesOf(ctx, c.req.valid('param').id);
      c.header('x-total-count', String(rows.length));
      return c.json(rows, 200);
    },
  );
  app.openapi(
    createRoute({
      ...permit('invoices', 'show'),
      method: 'get',
      path: '/api/invoices/{id}/pdf',
      tags: ['invoices'],
      summary: 'The invoice as a PDF (GST Rule 46 particulars)',
      request: { params: IdParam },
      responses: { 200: { description: 'PDF', content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } } },
    }),
    async (c) => {
      const ctx = c.get('ctx');
      const document = await invoiceDocument(ctx, c.req.valid('param').id);
      const pdf = await renderInvoicePdf(document);
      const filename = `${String(document.invoice.number).replace(/\//g, '-')}.pdf`;
      return c.body(new Uint8Array(pdf), 200, { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${filename}"` });
    },
  );
  app.openapi(
    createRoute({
      ...permit('invoices', 'void'),
      method: 'post',
      path: '/api/invoices/{id}/void',
      tags: ['invoices'],
      summary: 'Void an issued invoice and release its billing records. Honours Idempotency-Key.',
      request: { params: IdParam, ...jsonBody(VoidBody) },
      responses: ok(Invoice, 'The void invoice'),
    }),
    async (c) => {
      const ctx = c.get('ctx');
      const answer = await voidInvoiceOnce(ctx, c.req.valid('param').id, c.req.valid('json'), c.req.header('idempotency-key'));
      if (answer.replayed) c.header('idempotent-replayed', 'true');
      return c.json(answer.body, answer.status as 200);
    },
  );
  app.openapi(
    createRoute({
      ...permit('invoices', 'reissue'),
      method: 'post',
      path: '/api/invoices/{id}/reissue',
      tags: ['invoices'],
      summary: 'Issue a new invoice, with the next number, for the records a void invoice released. Honours Idempotency-Key.',
      request: { params: IdParam },
      responses: created(Invoice, 'The new invoice'),
    }),
    async (c) => {
      const ctx = c.get('ctx');
      const answer = await reissueInvoiceOnce(ctx, c.req.valid('param').id, c.req.header('idempotency-key'));
      if (answer.replayed) c.header('idempotent-replayed', 'true');
      return c.json(answer.body, answer.status as 201);
    },
  );
  mountResource(app, {
    resource: invoiceResource,
    exportable: true,
    row: Invoice,
    list: {
      fields: {
        id: { column: invoices.id, type: 'uuid' },
        number: { column: invoices.number, type: 'text', sortable: true },
        series: { column: invoices.series, type: 'text', sortable: true },
        financial_year: { column: invoices.financial_year, type: 'text', sortable: true },
        kind: { column: invoices.kind, type: 'enum', values: invoiceKinds, sortable: true },
        status: { column: invoices.status, type: 'enum', values: invoiceStatuses, sortable: true },
        customer_id: { column: invoices.customer_id, type: 'uuid' },
        customer_name: { column: invoiceColumns.customer_name, type: 'text', sortable: true },
        period_start: { column: invoices.period_start, type: 'date', sortable: true },
        period_end: { column: invoices.period_end, type: 'date', sortable: true },
        invoice_date: { column: invoices.invoice_date, type: 'date', sortable: true },
        due_date: { column: invoices.due_date, type: 'date', sortable: true },
        issued_at: { column: invoices.issued_at, type: 'timestamp', sortable: true },
        total_paise: { column: invoices.total_paise, type: 'int', sortable: true },
        paid_paise: { column: invoices.paid_paise, type: 'int', sortable: true },
        balance_due_paise: { column: invoices.balance_due_paise, type: 'int', sortable: true },
        payment_status: { column: invoices.payment_status, type: 'enum', values: invoicePaymentStatuses, sortable: true },
        run_id: { column: invoices.run_id, type: 'uuid' },
        replaces_invoice_id: { column: invoices.replaces_invoice_id, type: 'uuid' },
      },
      search: [invoices.number, byCustomer(invoices.customer_id)],
      defaultSort: { field: 'issued_at', order: 'desc' },
    },
  });

  // Invoice lines are part of the invoice: reading them takes the invoices permission.
  listSpecs.set('/api/invoice-lines', invoiceLineList);
  app.openapi(
    createRoute({ ...permit('invoices', 'list'), method: 'get', path: '/api/invoice-lines', tags: ['invoice-lines'], summary: 'List invoice lines (filter invoice_id)', responses: page(InvoiceLine) }),
    async (c) => {
      const ctx = c.get('ctx');
      return listAnswer(c, await listRows(ctx, invoiceLineResource, await parseListQuery(new URL(c.req.url).searchParams, invoiceLineList, ctx.db)));
    },
  );
  mountExport(app, { name: 'invoice-lines', permission: 'invoices', list: invoiceLineList, source: resourceSource(invoiceLineResource), row: InvoiceLine });
  app.openapi(
    createRoute({ ...permit('invoices', 'show'), method: 'get', path: '/api/invoice-lines/{id}', tags: ['invoice-lines'], request: { params: IdParam }, responses: ok(InvoiceLine, 'The line') }),
    async (c) => {
      const ctx = c.get('ctx');
      return c.json(await getRow(ctx, invoiceLineResource, c.req.valid('param').id), 200);
    },
  );
}
