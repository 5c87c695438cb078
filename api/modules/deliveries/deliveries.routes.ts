import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { deliveries } from '../../../db/schema/index.js';
import { byCustomer, type SearchWord } from '../../lib/search.js';
import { IdParam, jsonBody, listAnswer, listSpecs, ok, page, permit, type Router } from '../../lib/http.js';
import { parseListQuery, type ListSpec } from '../../lib/rest.js';
import { ConfirmBody, ConfirmResult, Delivery, deliveryStatuses, FailBody, orderKinds, ReassignBody, RunSheet, RunSheetQuery, shifts } from './deliveries.schemas.js';
import { mountExport } from '../../lib/export.js';
import { confirmDeliveryOnce, deliveryListSource, deliveryColumns as col, failDelivery, getDelivery, listDeliveries, reassignDelivery } from './deliveries.service.js';
import { runSheet } from './run-sheets.service.js';

const tags = ['deliveries'];
// What the delivery's address line shows (deliveryColumns.address_line), or its pin code, contains the word (both
// trigram-indexed).
const addressWhere = (w: SearchWord) => sql`(address_line(a.line1, a.line2, a.landmark) ilike ${w.pattern} or a.pin_code ilike ${w.pattern})`;

export const deliveryListSpec: ListSpec = {
  fields: {
    id: { column: deliveries.id, type: 'uuid' },
    order_id: { column: deliveries.order_id, type: 'uuid' },
    order_date: { column: deliveries.order_date, type: 'date', sortable: true },
    status: { column: deliveries.status, type: 'enum', values: deliveryStatuses, sortable: 'narrowed' },
    staff_id: { column: deliveries.staff_id, type: 'uuid' },
    staff_name: { column: col.staff_name, type: 'text', sortable: 'narrowed' },
    customer_id: { column: col.customer_id, type: 'uuid' },
    customer_name: { column: col.customer_name, type: 'text', sortable: 'narrowed' },
    zone_id: { column: col.zone_id, type: 'uuid' },
    zone_name: { column: col.zone_name, type: 'text', sortable: 'narrowed' },
    pin_code: { column: col.pin_code, type: 'text', sortable: 'narrowed' },
    shift: { column: col.shift, type: 'enum', values: shifts, sortable: 'narrowed' },
    kind: { column: col.kind, type: 'enum', values: orderKinds, sortable: 'narrowed' },
    delivered_at: { column: deliveries.delivered_at, type: 'timestamp', sortable: 'narrowed' },
    delivered_on: { column: deliveries.delivered_on, type: 'date', sortable: 'narrowed' },
    created_at: { column: deliveries.created_at, type: 'timestamp', sortable: 'narrowed' },
  },
  // The customer first (name, phone digits), then their deliveries through their orders; or the delivery's address
  // (line, landmark, pin): the customers who have one, then their orders at it.
  search: [
    byCustomer(col.customer_id),
    {
      key: col.customer_id,
      ids: (w) => sql`select a.customer_id from addresses a where ${addressWhere(w)}`,
      exact: { column: col.address_id, ids: (w) => sql`select a.id from addresses a where ${addressWhere(w)}` },
    },
  ],
  narrowedBy: ['order_id', 'customer_id'],
  defaultSort: { field: 'order_date', order: 'desc' },
};

export function mountDeliveries(app: Router) {
  listSpecs.set('/api/deliveries', deliveryListSpec);
  app.openapi(
    createRoute({
      ...permit('deliveries', 'list'),
      method: 'get',
      path: '/api/deliveries',
      tags,
      summary: 'List deliveries (simple-rest); delivery staff see only their own',
      responses: page(Delivery),
    }),
    async (c) => {
      const ctx = c.get('ctx');
      return listAnswer(c, await listDeliveries(ctx, await parseListQuery(new URL(c.req.url).searchParams, deliveryListSpec, ctx.db)));
    },
  );
  mountExport(app, { name: 'deliveries', permission: 'deliveries', list: deliveryListSpec, source: deliveryListSource, row: Delivery });
  app.openapi(createRoute({ ...permit('deliveries', 'show'), method: 'get', path: '/api/deliveries/{id}', tags, request: { params: IdParam }, responses: ok(Delivery, 'The delivery') }), async (c) => {
    const ctx = c.get('ctx');
    return c.json(await getDelivery(ctx, c.req.valid('param').id), 200);
  });
  app.openapi(
    createRoute({
      ...permit('deliveries', 'edit'),
      method: 'patch',
      path: '/api/deliveries/{id}',
      tags,
      summary: 'Reassign a pending delivery ({staff_id})',
      request: { params: IdParam, ...jsonBody(ReassignBody) },
      responses: ok(Delivery, 'The delivery'),
    }),
    async (c) => {
      const ctx = c.get('ctx');
      return c.json(await reassignDelivery(ctx, c.req.valid('param').id, c.req.valid('json')), 200);
    },
  );
  app.openapi(
    createRoute({
      ...permit('deliveries', 'confirm'),
      method: 'post',
      path: '/api/deliveries/{id}/confirm',
      tags,
      summary: 'Confirm a pending delivery: delivered quantities (items left out = delivered in full), billing records, order status. Honours Idempotency-Key.',
      request: { params: IdParam, ...jsonBody(ConfirmBody) },
      responses: ok(ConfirmResult, 'The confirmed delivery with its items and billing record ids'),
    }),
    async (c) => {
      const ctx = c.get('ctx');
      const answer = await confirmDeliveryOnce(ctx, c.req.valid('param').id, c.req.valid('json'), c.req.header('idempotency-key'));
      if (answer.replayed) c.header('idempotent-replayed', 'true');
      return c.json(answer.body, answer.status as 200);
    },
  );
  app.openapi(
    createRoute({
      ...permit('deliveries', 'fail'),
      method: 'post',
      path: '/api/deliveries/{id}/fail',
      tags,
      summary: 'Record that a pending delivery could not be made, with a reason',
      request: { params: IdParam, ...jsonBody(FailBody) },
      responses: ok(Delivery, 'The failed delivery'),
    }),
    async (c) => {
      const ctx = c.get('ctx');
      return c.json(await failDelivery(ctx, c.req.valid('param').id, c.req.valid('json')), 200);
    },
  );
  app.openapi(
    createRoute({
      ...permit('run-sheets', 'list'),
      method: 'get',
      path: '/api/run-sheets',
      tags: ['run-sheets'],
      summary: 'Stops of a date and shift, for one staff member or all (delivery staff: their own)',
      request: { query: RunSheetQuery },
      responses: ok(RunSheet, 'The run sheet'),
    }),
    async (c) => {
      const ctx = c.get('ctx');
      return c.json(await runSheet(ctx, c.req.valid('query')), 200);
    },
  );
}
