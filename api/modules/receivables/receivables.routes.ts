import { createRoute } from '@hono/zod-openapi';
import { sql, type SQL } from 'drizzle-orm';
import { customerBalances, customers } from '../../../db/schema/index.js';
import { listAnswer, listSpecs, ok, page, permit, type Router } from '../../lib/http.js';
import { parseListQuery, type ListSpec } from '../../lib/rest.js';
import { byCustomer as searchCustomer } from '../../lib/search.js';
import { ReceivablesByZone, Receivable } from './receivables.schemas.js';
import { listReceivables, receivableColumns as col, receivablesByZone } from './receivables.service.js';

const tags = ['receivables'];
const byCustomer = (column: typeof customers.zone_id) => ({ column, where: (cond: SQL) => sql`${customerBalances.customer_id} in (select ${customers.id} from ${customers} where ${cond})` });

export const receivableListSpec: ListSpec = {
  fields: {
    id: { column: customerBalances.customer_id, type: 'uuid' },
    customer_id: { column: customerBalances.customer_id, type: 'uuid' },
    zone_id: { column: col.zone_id, type: 'uuid', via: byCustomer(customers.zone_id) },
    balance_due_paise: { column: customerBalances.balance_due_paise, type: 'int', sortable: true },
    wallet_paise: { column: customerBalances.wallet_paise, type: 'int', sortable: true },
    open_invoices: { column: customerBalances.open_invoices, type: 'int' },
    // Aging filters: oldest_due_date_lte=<today - 90 days> is "something over 90 days past due".
    oldest_due_date: { column: customerBalances.oldest_due_date, type: 'date', sortable: true },
  },
  search: [searchCustomer(customerBalances.customer_id)],
  defaultSort: { field: 'balance_due_paise', order: 'desc' },
};

export function mountReceivables(app: Router) {
  listSpecs.set('/api/receivables', receivableListSpec);
  app.openapi(
    createRoute({
      ...permit('receivables', 'list'),
      method: 'get',
      path: '/api/receivables',
      tags,
      summary: "Every customer's balance due aged (not due, 1-30, 31-60, 61-90, over 90 days past due) and wallet credit (simple-rest)",
      responses: page(Receivable),
    }),
    async (c) => listAnswer(c, await listReceivables(c.get('ctx'), await parseListQuery(new URL(c.req.url).searchParams, receivableListSpec, c.get('ctx').db))),
  );
  app.openapi(
    createRoute({ ...permit('receivables', 'list'), method: 'get', path: '/api/receivables/zones', tags, summary: 'Receivables totals by zone, aged, and the grand total', responses: ok(ReceivablesByZone, 'Totals by zone') }),
    async (c) => c.json(await receivablesByZone(c.get('ctx')), 200),
  );
}
