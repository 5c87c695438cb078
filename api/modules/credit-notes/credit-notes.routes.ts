import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { creditNotes, customers } from '../../../db/schema/index.js';
import { created, IdParam, jsonBody, mountResource, ok, permit, type Router } from '../../lib/http.js';
import { byCustomer as searchByCustomer } from '../../lib/search.js';
import { renderCreditNotePdf } from './credit-notes.pdf.js';
import { CreditNote, CreditNoteCreate, CreditNoteLine, creditNoteReasons } from './credit-notes.schemas.js';
import { createCreditNoteOnce, creditNoteColumns, creditNoteDocument, creditNoteLinesOf, creditNoteResource } from './credit-notes.service.js';

const byCustomer = (cond: ReturnType<typeof sql>) => sql`${creditNotes.customer_id} in (select ${customers.id} from ${customers} where ${cond})`;

export function mountCreditNotes(app: Router) {
  app.openapi(
    createRoute({
      ...permit('credit-notes', 'create'),
      method: 'post',
      path: '/api/credit-notes',
      tags: ['credit-notes'],
      summary: "Adjust an invoice without a refund: a credit note lowers its balance due (lines and tax reversed in proportion). Honours Idempotency-Key.",
      request: jsonBody(CreditNoteCreate),
      responses: created(CreditNote, 'The credit note'),
    }),
    async (c) => {
      const answer = await createCreditNoteOnce(c.get('ctx'), c.req.valid('json'), c.req.header('idempotency-key'));
      if (answer.replayed) c.header('idempotent-replayed', 'true');
      return c.json(answer.body, answer.status as 201);
    },
  );
  app.openapi(
    createRoute({
      ...permit('credit-notes', 'show'),
      method: 'get',
      path: '/api/credit-notes/{id}/lines',
      tags: ['credit-notes'],
      request: { params: IdParam },
      responses: ok(z.array(CreditNoteLine), 'The lines of the credit note'),
    }),
    async (c) => {
      const rows = await creditNoteLinesOf(c.get('ctx'), c.req.valid('param').id);
      c.header('x-total-count', String(rows.length));
      return c.json(rows, 200);
    },
  );
  app.openapi(
    createRoute({
      ...permit('credit-notes', 'show'),
      method: 'get',
      path: '/api/credit-notes/{id}/pdf',
      tags: ['credit-notes'],
      summary: 'The credit note as a PDF (citing the invoice it reduces)',
      request: { params: IdParam },
      responses: { 200: { description: 'PDF', content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } } },
    }),
    async (c) => {
      const document = await creditNoteDocument(c.get('ctx'), c.req.valid('param').id);
      const pdf = await renderCreditNotePdf(document);
      const filename = `${String(document.note.number).replace(/\//g, '-')}.pdf`;
      return c.body(new Uint8Array(pdf), 200, { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${filename}"` });
    },
  );
  mountResource(app, {
    resource: creditNoteResource,
    row: CreditNote,
    exportable: true,
    list: {
      fields: {
        id: { column: creditNotes.id, type: 'uuid' },
        number: { column: creditNotes.number, type: 'text', sortable: true },
        reason: { column: creditNotes.reason, type: 'enum', values: creditNoteReasons },
        customer_id: { column: creditNotes.customer_id, type: 'uuid' },
        customer_name: { column: creditNoteColumns.customer_name, type: 'text', sortable: 'narrowed', via: { column: customers.name, where: byCustomer } },
        invoice_id: { column: creditNotes.invoice_id, type: 'uuid' },
        refund_id: { column: creditNotes.refund_id, type: 'uuid' },
        financial_year: { column: creditNotes.financial_year, type: 'text' },
        note_date: { column: creditNotes.note_date, type: 'date', sortable: true },
        total_paise: { column: creditNotes.total_paise, type: 'int', sortable: true },
        created_at: { column: creditNotes.created_at, type: 'timestamp', sortable: true },
      },
      search: [creditNotes.number, searchByCustomer(creditNotes.customer_id)],
      defaultSort: { field: 'created_at', order: 'desc' },
      narrowedBy: ['customer_id', 'invoice_id'],
    },
  });
}
