import { createRoute, z } from '@hono/zod-openapi';
import { IdParam, ok, permit, type Router } from '../../lib/http.js';
import { getSettings, supplierBlock } from '../settings/settings.service.js';
import { renderStatementPdf } from './statements.pdf.js';
import { Statement, StatementQuery } from './statements.schemas.js';
import { statementOf } from './statements.service.js';

const tags = ['statements'];

export function mountStatements(app: Router) {
  app.openapi(
    createRoute({
      ...permit('statements', 'show'),
      method: 'get',
      path: '/api/customers/{id}/statement',
      tags,
      summary: "A customer's statement of account for ?from=&to= (YYYY-MM-DD): opening balance, lines with the running balance, closing balance",
      request: { params: IdParam, query: StatementQuery },
      responses: ok(Statement, 'The statement'),
    }),
    async (c) => c.json(await statementOf(c.get('ctx'), c.req.valid('param').id, c.req.valid('query')), 200),
  );
  app.openapi(
    createRoute({
      ...permit('statements', 'show'),
      method: 'get',
      path: '/api/customers/{id}/statement/pdf',
      tags,
      summary: 'The statement of account as a PDF (same range parameters)',
      request: { params: IdParam, query: StatementQuery },
      responses: { 200: { description: 'PDF', content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } } },
    }),
    async (c) => {
      const ctx = c.get('ctx');
      const statement = await statementOf(ctx, c.req.valid('param').id, c.req.valid('query'));
      const pdf = await renderStatementPdf(statement, supplierBlock(await getSettings(ctx)));
      const filename = `statement-${statement.customer.name.replace(/[^A-Za-z0-9]+/g, '-')}-${statement.from}-${statement.to}.pdf`;
      return c.body(new Uint8Array(pdf), 200, { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${filename}"` });
    },
  );
}
