import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { customers, products, subscriptionOverrides, subscriptionPauses, subscriptions } from '../../../db/schema/index.js';
import { getRow, listRows, type Resource } from '../../lib/crud.js';
import { created, IdParam, jsonBody, listAnswer, listSpecs, mountResource, ok, optionalJsonBody, page, permit, type Router } from '../../lib/http.js';
import { parseListQuery, type ListSpec } from '../../lib/rest.js';
import { byCustomer, byProduct } from '../../lib/search.js';
import { customerCalendar } from './calendar.service.js';
import { schedules, shifts } from './schedule.js';
import {
  CalendarMonth,
  CalendarQuery,
  Override,
  OverrideCreate,
  OverrideUpdate,
  Pause,
  PauseBody,
  PauseCreate,
  ResumeBody,
  ResumeResult,
  Subscription,
  SubscriptionCreate,
  SubscriptionUpdate,
} from './subscriptions.schemas.js';
import {
  cancelSubscription,
  createOverride,
  createPause,
  createSubscription,
  deleteOverride,
  deletePause,
  overrideColumns,
  overrideResource,
  pauseColumns,
  pauseResource,
  pauseSubscription,
  resumeSubscription,
  subscriptionColumns,
  subscriptionResource,
  updateOverride,
  updateSubscription,
} from './subscriptions.service.js';


/**
 * Pauses and one-day changes are parts of a subscription: their routes check the `subscriptions`
 * permissions (list/show to read, edit to change), so no separate permission rows are needed.
 */
function mountPart(app: Router, resource: Resource, row: z.ZodType, list: ListSpec) {
  const base = `/api/${resource.name}`;
  const tags = [resource.name];
  listSpecs.set(base, list);
  app.openapi(createRoute({ ...permit('subscriptions', 'list'), method: 'get', path: base, tags, summary: `List ${resource.name} (simple-rest)`, responses: page(row) }), async (c) => {
    const ctx = c.get('ctx');
    return listAnswer(c, await listRows(ctx, resource, await parseListQuery(new URL(c.req.url).searchParams, list, ctx.db)));
  });
  app.openapi(createRoute({ ...permit('subscriptions', 'show'), method: 'get', path: `${base}/{id}`, tags, request: { params: IdParam }, responses: ok(row, 'The row') }), async (c) => {
    const ctx = c.get('ctx');
    return c.json(await getRow(ctx, resource, c.req.valid('param').id), 200);
  });
}

export function mountSubscriptions(app: Router) {
  // Routes on a record and with fixed words first, so they are not taken for ids.
  app.openapi(
    createRoute({ ...permit('subscriptions', 'cancel'), method: 'post', path: '/api/subscriptions/{id}/cancel', tags: ['subscriptions'], summary: 'Cancel from tomorrow (IST); pending orders after today are cancelled', request: { params: IdParam }, responses: ok(Subscription, 'The cancelled subscription') }),
    async (c) => {
      const ctx = c.get('ctx');
      return c.json(await cancelSubscription(ctx, c.req.valid('param').id), 200);
    },
  );
  app.openapi(
    createRoute({ ...permit('subscriptions', 'pause'), method: 'post', path: '/api/subscriptions/{id}/pause', tags: ['subscriptions'], summary: 'Pause for a date range (returns the pause)', request: { params: IdParam, ...jsonBody(PauseBody) }, responses: created(Pause, 'The pause') }),
    async (c) => {
      const ctx = c.get('ctx');
      return c.json(await pauseSubscription(ctx, c.req.valid('param').id, c.req.valid('json')), 201);
    },
  );
  app.openapi(
    createRoute({
      ...permit('subscriptions', 'resume'),
      method: 'post',
      path: '/api/subscriptions/{id}/resume',
      tags: ['subscriptions'],
      summary: 'Resume from a date (default today): ends the covering pause the day before, or deletes one not started',
      request: { params: IdParam, ...optionalJsonBody(ResumeBody) },
      responses: ok(ResumeResult, 'The subscription, the pause ended or deleted, and which'),
    }),
    async (c) => {
      const ctx = c.get('ctx');
      const body = c.req.valid('json');
      return c.json(await resumeSubscription(ctx, c.req.valid('param').id, body), 200);
    },
  );
  app.openapi(
    createRoute({
      ...permit('subscriptions', 'list'),
      method: 'get',
      path: '/api/customers/{id}/calendar',
      tags: ['subscriptions'],
      summary: "A customer's month: {customer_id, month, today, days: [{date, entries: [...]}]}",
      request: { params: IdParam, query: CalendarQuery },
      responses: ok(CalendarMonth, 'The month, day by day'),
    }),
    async (c) => {
      const ctx = c.get('ctx');
      return c.json(await customerCalendar(ctx, c.req.valid('param').id, c.req.valid('query').month), 200);
    },
  );

  mountResource(app, {
    resource: subscriptionResource,
    exportable: true,
    row: Subscription,
    list: {
      fields: {
        id: { column: subscriptions.id, type: 'uuid' },
        customer_id: { column: subscriptions.customer_id, type: 'uuid' },
        // Filtered through the customers (trigram-indexed name), then their subscriptions by the customer index.
        customer_name: { column: subscriptionColumns.customer_name, type: 'text', sortable: 'narrowed', via: { column: customers.name, where: (cond) => sql`${subscriptions.customer_id} in (select ${customers.id} from ${customers} where ${cond})` } },
        address_id: { column: subscriptions.address_id, type: 'uuid' },
        product_id: { column: subscriptions.product_id, type: 'uuid' },
        product_name: { column: subscriptionColumns.product_name, type: 'text', sortable: 'narrowed', via: { column: products.name, where: (cond) => sql`${subscriptions.product_id} in (select ${products.id} from ${products} where ${cond})` } },
        quantity: { column: subscriptions.quantity, type: 'int', sortable: true },
        schedule: { column: subscriptions.schedule, type: 'enum', values: schedules, sortable: true },
        shift: { column: subscriptions.shift, type: 'enum', values: shifts, sortable: true },
        status: { column: subscriptions.status, type: 'enum', values: ['active', 'cancelled'], sortable: true },
        start_date: { column: subscriptions.start_date, type: 'date', sortable: true },
        end_date: { column: subscriptions.end_date, type: 'date', sortable: true },
        paused_today: { column: subscriptionColumns.paused_today, type: 'bool' },
        created_at: { column: subscriptions.created_at, type: 'timestamp', sortable: true },
        updated_at: { column: subscriptions.updated_at, type: 'timestamp', sortable: true },
      },
      // The customer first (name, phone digits), or the product.
      search: [byCustomer(subscriptions.customer_id), byProduct(subscriptions.product_id)],
      narrowedBy: ['customer_id'],
      defaultSort: { field: 'created_at', order: 'desc' },
    },
    create: { body: SubscriptionCreate, run: (ctx, input) => createSubscription(ctx, input) },
    update: { body: SubscriptionUpdate, run: (ctx, id, input) => updateSubscription(ctx, id, input) },
  });

  // Pauses: listed and shown; created through POST /api/subscriptions/:id/pause (or here, for a Refine create form); a pause not started yet can be deleted.
  app.openapi(
    createRoute({ ...permit('subscriptions', 'pause'), method: 'post', path: '/api/subscription-pauses', tags: ['subscription-pauses'], request: jsonBody(PauseCreate), responses: created(Pause, 'The pause') }),
    async (c) => {
      const ctx = c.get('ctx');
      return c.json(await createPause(ctx, c.req.valid('json')), 201);
    },
  );
  app.openapi(
    createRoute({ ...permit('subscriptions', 'edit'), method: 'delete', path: '/api/subscription-pauses/{id}', tags: ['subscription-pauses'], request: { params: IdParam }, responses: ok(Pause, 'The deleted pause') }),
    async (c) => {
      const ctx = c.get('ctx');
      return c.json(await deletePause(ctx, c.req.valid('param').id), 200);
    },
  );
  mountPart(app, pauseResource, Pause, {
    fields: {
      id: { column: subscriptionPauses.id, type: 'uuid' },
      subscription_id: { column: subscriptionPauses.subscription_id, type: 'uuid' },
      customer_id: { column: pauseColumns.customer_id, type: 'uuid' },
      from_date: { column: subscriptionPauses.from_date, type: 'date', sortable: true },
      to_date: { column: subscriptionPauses.to_date, type: 'date', sortable: true },
      state: { column: pauseColumns.state, type: 'enum', values: ['upcoming', 'active', 'ended'] },
      created_at: { column: subscriptionPauses.created_at, type: 'timestamp', sortable: true },
    },
    search: [subscriptionPauses.reason],
    defaultSort: { field: 'from_date', order: 'desc' },
  });

  // One-day changes: full CRUD; every change re-plans the orders already generated for that day.
  app.openapi(
    createRoute({ ...permit('subscriptions', 'edit'), method: 'post', path: '/api/subscription-overrides', tags: ['subscription-overrides'], request: jsonBody(OverrideCreate), responses: created(Override, 'The change') }),
    async (c) => {
      const ctx = c.get('ctx');
      return c.json(await createOverride(ctx, c.req.valid('json')), 201);
    },
  );
  app.openapi(
    createRoute({ ...permit('subscriptions', 'edit'), method: 'patch', path: '/api/subscription-overrides/{id}', tags: ['subscription-overrides'], request: { params: IdParam, ...jsonBody(OverrideUpdate) }, responses: ok(Override, 'The change') }),
    async (c) => {
      const ctx = c.get('ctx');
      return c.json(await updateOverride(ctx, c.req.valid('param').id, c.req.valid('json')), 200);
    },
  );
  app.openapi(
    createRoute({ ...permit('subscriptions', 'edit'), method: 'delete', path: '/api/subscription-overrides/{id}', tags: ['subscription-overrides'], request: { params: IdParam }, responses: ok(Override, 'The deleted change') }),
    async (c) => {
      const ctx = c.get('ctx');
      return c.json(await deleteOverride(ctx, c.req.valid('param').id), 200);
    },
  );
  mountPart(app, overrideResource, Override, {
    fields: {
      id: { column: subscriptionOverrides.id, type: 'uuid' },
      subscription_id: { column: subscriptionOverrides.subscription_id, type: 'uuid' },
      customer_id: { column: overrideColumns.customer_id, type: 'uuid' },
      date: { column: subscriptionOverrides.date, type: 'date', sortable: true },
      quantity: { column: subscriptionOverrides.quantity, type: 'int', sortable: true },
      created_at: { column: subscriptionOverrides.created_at, type: 'timestamp', sortable: true },
    },
    defaultSort: { field: 'date', order: 'asc' },
  });
}
