import { createRoute } from '@hono/zod-openapi';
import { and, inArray, sql, type SQL } from 'drizzle-orm';
import { mountExport, type ListSource } from '../../lib/export.js';
import { selectionOf, type Row } from '../../lib/crud.js';
import { customerBalances, customers } from '../../../db/schema/index.js';
import { listAnswer, listSpecs, ok, page, permit, type Router } from '../../lib/http.js';
import { parseListQuery, type ListSpec } from '../../lib/rest.js';
import { byCustomer as searchCustomer } from '../../lib/search.js';
import { ReceivablesByZone, Receivable } from './receivables.schemas.js';
import { hasBalance, listReceivables, numericReceivable, receivableColumns as col, receivablesByZone, receivablesResource } from './receivables.service.js';

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

/** GET /api/receivables/export: the customers the list shows (something due or in credit), in its order, aged today. */
const receivableSource: ListSource = {
  // The cursor's rows are read by column name: the key is named id, as in every list.
  ids: (ctx, q) => ctx.db.select({ id: sql<string>`${customerBalances.customer_id}`.as('id') }).from(customerBalances).where(and(hasBalance, q.where)).orderBy(...q.orderBy),
  rows: async (ctx, ids, q) => {
    const rows = (await ctx.db
      .select(selectionOf(receivablesResource()) as never)
      .from(customerBalances)
      .where(inArray(customerBalances.customer_id, ids))
      .orderBy(...q.orderBy)) as Row[];
    return rows.map(numericReceivable);
  },
};

export function mountReceivables(app: Router) {
  listSpecs.set('/api/receivables', receivableListSpec);
  mountExport(app, { name: 'receivables', permission: 'receivables', list: receivableListSpec, source: receivableSource, row: Receivable });
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
