import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { customers, disputes } from '../../../db/schema/index.js';
import { created, IdParam, jsonBody, mountResource, ok, permit, type Router } from '../../lib/http.js';
import { byCustomer as searchByCustomer } from '../../lib/search.js';
import {
  Dispute,
  DisputeCreate,
  DisputeMessage,
  DisputePatch,
  GoodwillCredit,
  Merge,
  MessageCreate,
  CustomerMessageCreate,
  Resolve,
  Transition,
  disputeCategories,
  disputeOutcomes,
  disputePriorities,
  disputeStatuses,
} from './disputes.schemas.js';
import { addMessage, createDispute, customerMessage, listMessages, mergeDisputes, resolveDispute, transitionDispute, updateDispute } from './disputes.service.js';
import { disputeColumns, disputeResource, slaAttention } from './disputes.thread.js';
import { mountSla } from './sla.routes.js';

const byCustomer = (cond: ReturnType<typeof sql>) => sql`${disputes.customer_id} in (select ${customers.id} from ${customers} where ${cond})`;

export function mountDisputes(app: Router) {
  const tags = ['disputes'];
  mountSla(app);
  app.openapi(
    createRoute({
      ...permit('disputes', 'show'),
      method: 'get',
      path: '/api/disputes/{id}/messages',
      tags,
      summary: "The dispute's thread, oldest first: customer messages, public replies, internal notes and activity entries (with those of disputes merged into it)",
      request: { params: IdParam },
      responses: ok(z.array(DisputeMessage), 'The thread'),
    }),
    async (c) => c.json(await listMessages(c.get('ctx'), c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({
      ...permit('disputes', 'reply'),
      method: 'post',
      path: '/api/disputes/{id}/messages',
      tags,
      summary: 'A public reply to the customer (moves it to awaiting_customer) or, with internal: true, a note support keeps to itself',
      request: { params: IdParam, ...jsonBody(MessageCreate) },
      responses: created(DisputeMessage, 'The message'),
    }),
    async (c) => c.json(await addMessage(c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 201),
  );
  app.openapi(
    createRoute({
      ...permit('disputes', 'reply'),
      method: 'post',
      path: '/api/disputes/{id}/customer-messages',
      tags,
      summary:
        "What the customer said (on the phone): support has the ball again (awaiting_support). On a dispute resolved within 7 days it reopens it; on one resolved longer ago, or closed, it opens a new dispute following the old one",
      request: { params: IdParam, ...jsonBody(CustomerMessageCreate) },
      responses: created(Dispute, 'The dispute the message landed on (a new one when it follows the old)'),
    }),
    async (c) => c.json(await customerMessage(c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 201),
  );
  app.openapi(
    createRoute({
      ...permit('disputes', 'transition'),
      method: 'post',
      path: '/api/disputes/{id}/transition',
      tags,
      summary: 'Move the dispute to another status, at the version read (an illegal move is a 409 naming the allowed ones; a stale version a 409)',
      request: { params: IdParam, ...jsonBody(Transition) },
      responses: ok(Dispute, 'The dispute'),
    }),
    async (c) => c.json(await transitionDispute(c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(
    createRoute({
      ...permit('disputes', 'merge'),
      method: 'post',
      path: '/api/disputes/{id}/merge',
      tags,
      summary: "Merge another dispute of the same customer into this one: it is closed as merged, its thread and links join this one's",
      request: { params: IdParam, ...jsonBody(Merge) },
      responses: ok(Dispute, 'The dispute merged into'),
    }),
    async (c) => c.json(await mergeDisputes(c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(
    createRoute({
      ...permit('disputes', 'resolve'),
      method: 'post',
      path: '/api/disputes/{id}/resolve',
      tags,
      summary:
        'Resolve with an outcome: explanation; wallet_credit (a promotional credit: the wallets promo grant, or disputes credit up to its amount limit); redelivery (a one-time order at no charge); refund (a request in the refund queue: the dispute is resolved when it is approved)',
      request: { params: IdParam, ...jsonBody(Resolve) },
      responses: ok(Dispute, 'The dispute'),
    }),
    async (c) => c.json(await resolveDispute(c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(
    createRoute({
      ...permit('disputes', 'credit'),
      method: 'post',
      path: '/api/disputes/{id}/goodwill-credit',
      tags,
      summary:
        "Resolve with a goodwill wallet credit under the disputes credit grant (support: up to its amount limit, Rs 500 as migrated; above it a 403 naming the limit). The same as resolve with outcome wallet_credit, for a role without wallets promo",
      request: { params: IdParam, ...jsonBody(GoodwillCredit) },
      responses: ok(Dispute, 'The dispute, resolved'),
    }),
    async (c) => c.json(await resolveDispute(c.get('ctx'), c.req.valid('param').id, { outcome: 'wallet_credit', ...c.req.valid('json') }), 200),
  );
  mountResource(app, {
    resource: disputeResource,
    row: Dispute,
    create: { body: DisputeCreate, run: createDispute },
    update: { body: DisputePatch, run: updateDispute },
    exportable: true,
    list: {
      fields: {
        id: { column: disputes.id, type: 'uuid' },
        number: { column: disputes.number, type: 'int' },
        status: { column: disputes.status, type: 'enum', values: disputeStatuses },
        priority: { column: disputes.priority, type: 'enum', values: disputePriorities, sortable: true },
        category: { column: disputes.category, type: 'enum', values: disputeCategories },
        outcome: { column: disputes.outcome, type: 'enum', values: disputeOutcomes },
        customer_id: { column: disputes.customer_id, type: 'uuid' },
        customer_name: { column: disputeColumns.customer_name, type: 'text', sortable: 'narrowed', via: { column: customers.name, where: byCustomer } },
        assignee_id: { column: disputes.assignee_id, type: 'uuid' },
        delivery_id: { column: disputes.delivery_id, type: 'uuid' },
        order_id: { column: disputes.order_id, type: 'uuid' },
        invoice_id: { column: disputes.invoice_id, type: 'uuid' },
        merged_into_id: { column: disputes.merged_into_id, type: 'uuid' },
        subject: { column: disputes.subject, type: 'text' },
        created_at: { column: disputes.created_at, type: 'timestamp', sortable: true },
        updated_at: { column: disputes.updated_at, type: 'timestamp', sortable: true },
        first_response_due_at: { column: disputes.first_response_due_at, type: 'timestamp' },
        resolution_due_at: { column: disputes.resolution_due_at, type: 'timestamp' },
        // The breach queue: still due, past due or due within the hour.
        sla_attention: { column: sql`${slaAttention}`, type: 'bool' },
      },
      search: [disputes.subject, searchByCustomer(disputes.customer_id), (w) => (/^\d{1,9}$/.test(w.text) ? sql`${disputes.number} = ${Number(w.text)}` : sql`false`)],
      defaultSort: { field: 'created_at', order: 'desc' },
      narrowedBy: ['customer_id', 'delivery_id', 'order_id', 'invoice_id'],
    },
  });
}
