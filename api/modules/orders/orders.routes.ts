import { createRoute, z } from '@hono/zod-openapi';
import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { addresses, customers, deliveries, orderItems, orders, zones } from '../../../db/schema/index.js';
import { byCustomer as searchByCustomer } from '../../lib/search.js';
import { idempotent } from '../../lib/idempotency.js';
import { created, IdParam, jsonBody, mountResource, ok, optionalJsonBody, permit, type Router } from '../../lib/http.js';
import { shifts } from '../subscriptions/schedule.js';
import { generateOrders } from './generate.service.js';
import { CancelOrderBody, GenerateBody, GenerateResult, OneTimeOrderCreate, Order, OrderItem, OrderWithItems, orderKinds, orderStatuses, paymentMethods } from './orders.schemas.js';
import { cancelOrder, createOneTimeOrder, orderColumns, orderItemColumns, orderItemResource, orderResource } from './orders.service.js';


// Filters on a computed column of the order, answered through the indexed key they hang off.
const byCustomer = (column: AnyPgColumn) => ({ column, where: (cond: SQL) => sql`${orders.customer_id} in (select ${customers.id} from ${customers} where ${cond})` });
const byDelivery = (column: AnyPgColumn) => ({ column, where: (cond: SQL) => sql`${orders.id} in (select ${deliveries.order_id} from ${deliveries} where ${cond})` });

export function mountOrders(app: Router) {
  app.openapi(
    createRoute({
      ...permit('orders', 'generate'),
      method: 'post',
      path: '/api/orders/generate',
      tags: ['orders'],
      summary: 'Generate the subscription orders of a date range (at most 62 days) and optionally one shift; running it twice creates nothing new',
      request: jsonBody(GenerateBody),
      responses: ok(GenerateResult, 'What was created'),
    }),
    async (c) => {
      const ctx = c.get('ctx');
      return c.json(await generateOrders(ctx, c.req.valid('json')), 200);
    },
  );
  app.openapi(
    createRoute({
      ...permit('orders', 'create'),
      method: 'post',
      path: '/api/orders',
      tags: ['orders'],
      summary: 'Create a one-time order (honours Idempotency-Key)',
      request: jsonBody(OneTimeOrderCreate),
      responses: created(OrderWithItems, 'The order with its items'),
    }),
    async (c) => {
      const ctx = c.get('ctx');
      const input = c.req.valid('json');
      // A retried submit with the same Idempotency-Key gets the first order back instead of a second one.
      const answer = await idempotent(ctx, c.req.header('idempotency-key'), 'orders.create', async (tx) => ({
        status: 201,
        body: await createOneTimeOrder(tx, input),
      }));
      return c.json(answer.body, answer.status as 201);
    },
  );
  app.openapi(
    createRoute({
      ...permit('orders', 'cancel'),
      method: 'post',
      path: '/api/orders/{id}/cancel',
      tags: ['orders'],
      summary: 'Cancel a pending order whose delivery is still pending (409 otherwise)',
      description: 'The reason, if given, goes into the audit log.',
      request: { params: IdParam, ...optionalJsonBody(CancelOrderBody) },
      responses: ok(Order, 'The cancelled order'),
    }),
    async (c) => {
      const ctx = c.get('ctx');
      return c.json(await cancelOrder(ctx, c.req.valid('param').id, c.req.valid('json')), 200);
    },
  );

  mountResource(app, {
    resource: orderResource,
    exportable: true,
    row: Order,
    list: {
      fields: {
        id: { column: orders.id, type: 'uuid' },
        customer_id: { column: orders.customer_id, type: 'uuid' },
        customer_name: { column: orderColumns.customer_name, type: 'text', sortable: 'narrowed', via: byCustomer(customers.name) },
        // Through the address's customer: orders are indexed by customer, not by address.
        address_id: { column: orders.address_id, type: 'uuid', via: { column: addresses.id, where: (cond) => sql`(${orders.customer_id}, ${orders.address_id}) in (select ${addresses.customer_id}, ${addresses.id} from ${addresses} where ${cond})` } },
        zone_id: { column: orderColumns.zone_id, type: 'uuid', via: byCustomer(customers.zone_id) },
        zone_name: { column: orderColumns.zone_name, type: 'text', sortable: 'narrowed', via: { column: zones.name, where: (cond) => sql`${orders.customer_id} in (select c.id from customers c join ${zones} on ${zones.id} = c.zone_id where ${cond})` } },
        kind: { column: orders.kind, type: 'enum', values: orderKinds, sortable: 'narrowed' },
        subscription_id: { column: orders.subscription_id, type: 'uuid' },
        delivery_date: { column: orders.delivery_date, type: 'date', sortable: true },
        shift: { column: orders.shift, type: 'enum', values: shifts, sortable: 'narrowed' },
        status: { column: orders.status, type: 'enum', values: orderStatuses, sortable: 'narrowed' },
        payment_method: { column: orders.payment_method, type: 'enum', values: paymentMethods, sortable: 'narrowed' },
        total_paise: { column: orders.total_paise, type: 'int', sortable: true },
        item_count: { column: orderColumns.item_count, type: 'int', sortable: 'narrowed', filterable: false },
        delivery_status: { column: orderColumns.delivery_status, type: 'enum', values: ['pending', 'delivered', 'partial', 'failed'], via: byDelivery(deliveries.status) },
        staff_id: { column: orderColumns.staff_id, type: 'uuid', via: byDelivery(deliveries.staff_id) },
        created_by: { column: orders.created_by, type: 'uuid' },
        created_at: { column: orders.created_at, type: 'timestamp', sortable: true },
        updated_at: { column: orders.updated_at, type: 'timestamp', sortable: 'narrowed' },
      },
      // The customer first (trigram-indexed name and phone digits), then their orders; or the orders whose own note
      // matches (trigram-indexed where there is one), by id.
      search: [searchByCustomer(orders.customer_id), { key: orders.id, ids: (w) => sql`select o2.id from orders o2 where o2.note <> '' and o2.note ilike ${w.pattern}` }],
      narrowedBy: ['customer_id', 'subscription_id', 'address_id'],
      defaultSort: { field: 'delivery_date', order: 'desc' },
    },
  });

  mountResource(app, {
    resource: orderItemResource,
    exportable: true,
    row: OrderItem,
    list: {
      fields: {
        id: { column: orderItems.id, type: 'uuid' },
        order_id: { column: orderItems.order_id, type: 'uuid' },
        product_id: { column: orderItems.product_id, type: 'uuid' },
        product_name: { column: orderItemColumns.product_name, type: 'text', sortable: 'narrowed' },
        quantity: { column: orderItems.quantity, type: 'int', sortable: 'narrowed' },
        unit_price_paise: { column: orderItems.unit_price_paise, type: 'int', sortable: 'narrowed' },
        amount_paise: { column: orderItemColumns.amount_paise, type: 'int', sortable: 'narrowed', filterable: false },
        created_at: { column: orderItems.created_at, type: 'timestamp', sortable: 'narrowed' },
      },
      search: [orderItemColumns.product_name],
      // Items are read an order at a time (the whole table has a row per ordered product: millions).
      narrowedBy: ['order_id'],
      defaultSort: { field: 'created_at', order: 'asc' },
    },
  });
}
