import { createRoute, z } from '@hono/zod-openapi';
import { orderItems, orders } from '../../../db/schema/index.js';
import { idempotent } from '../../lib/idempotency.js';
import { created, IdParam, jsonBody, mountResource, ok, optionalJsonBody, permit, type Router } from '../../lib/http.js';
import { shifts } from '../subscriptions/schedule.js';
import { generateOrders } from './generate.service.js';
import { CancelOrderBody, GenerateBody, GenerateResult, OneTimeOrderCreate, Order, OrderItem, OrderWithItems, orderKinds, orderStatuses, paymentMethods } from './orders.schemas.js';
import { cancelOrder, createOneTimeOrder, orderColumns, orderItemColumns, orderItemResource, orderResource } from './orders.service.js';


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
    row: Order,
    list: {
      fields: {
        id: { column: orders.id, type: 'uuid' },
        customer_id: { column: orders.customer_id, type: 'uuid' },
        customer_name: { column: orderColumns.customer_name, type: 'text', sortable: true },
        address_id: { column: orders.address_id, type: 'uuid' },
        zone_id: { column: orderColumns.zone_id, type: 'uuid' },
        zone_name: { column: orderColumns.zone_name, type: 'text', sortable: true },
        kind: { column: orders.kind, type: 'enum', values: orderKinds, sortable: true },
        subscription_id: { column: orders.subscription_id, type: 'uuid' },
        delivery_date: { column: orders.delivery_date, type: 'date', sortable: true },
        shift: { column: orders.shift, type: 'enum', values: shifts, sortable: true },
        status: { column: orders.status, type: 'enum', values: orderStatuses, sortable: true },
        payment_method: { column: orders.payment_method, type: 'enum', values: paymentMethods, sortable: true },
        total_paise: { column: orders.total_paise, type: 'int', sortable: true },
        item_count: { column: orderColumns.item_count, type: 'int', sortable: true, filterable: false },
        delivery_status: { column: orderColumns.delivery_status, type: 'enum', values: ['pending', 'delivered', 'partial', 'failed'] },
        staff_id: { column: orderColumns.staff_id, type: 'uuid' },
        created_by: { column: orders.created_by, type: 'uuid' },
        created_at: { column: orders.created_at, type: 'timestamp', sortable: true },
        updated_at: { column: orders.updated_at, type: 'timestamp', sortable: true },
      },
      search: [orderColumns.customer_name, orders.note],
      defaultSort: { field: 'delivery_date', order: 'desc' },
    },
  });

  mountResource(app, {
    resource: orderItemResource,
    row: OrderItem,
    list: {
      fields: {
        id: { column: orderItems.id, type: 'uuid' },
        order_id: { column: orderItems.order_id, type: 'uuid' },
        product_id: { column: orderItems.product_id, type: 'uuid' },
        product_name: { column: orderItemColumns.product_name, type: 'text', sortable: true },
        quantity: { column: orderItems.quantity, type: 'int', sortable: true },
        unit_price_paise: { column: orderItems.unit_price_paise, type: 'int', sortable: true },
        amount_paise: { column: orderItemColumns.amount_paise, type: 'int', sortable: true, filterable: false },
        created_at: { column: orderItems.created_at, type: 'timestamp', sortable: true },
      },
      search: [orderItemColumns.product_name],
      defaultSort: { field: 'created_at', order: 'asc' },
    },
  });
}
