import { createRoute } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { customers, gatewayPayments } from '../../../db/schema/index.js';
import { IdParam, jsonBody, listAnswer, listSpecs, ok, page, permit, type Router } from '../../lib/http.js';
import { AppError } from '../../lib/errors.js';
import { parseListQuery, type ListSpec } from '../../lib/rest.js';
import { byCustomer as searchCustomer } from '../../lib/search.js';
import { AssignBody, GatewayPayment, GatewayPaymentDetail, gatewayPaymentStatuses, WebhookAnswer } from './gateway.schemas.js';
import { assignGatewayPayment, gatewayPaymentColumns, getGatewayPayment, listGatewayPayments } from './gateway.service.js';
import { verifySignature } from './signature.js';
import { webhooksDuplicate, webhooksReceived, webhooksRefused } from '../../lib/metrics.js';
import { receiveWebhook } from './webhook.service.js';

export const WEBHOOK_PATH = '/api/webhooks/razorpay';
/** A Razorpay event is a few KB; anything much larger is not one (checked before the body is read). */
export const WEBHOOK_BODY_LIMIT = 64 * 1024;

export const gatewayPaymentListSpec: ListSpec = {
  fields: {
    id: { column: gatewayPayments.id, type: 'uuid' },
    gateway_payment_id: { column: gatewayPayments.gateway_payment_id, type: 'text' },
    status: { column: gatewayPayments.status, type: 'enum', values: gatewayPaymentStatuses },
    customer_id: { column: gatewayPayments.customer_id, type: 'uuid' },
    customer_name: {
      column: gatewayPaymentColumns.customer_name,
      type: 'text',
      via: { column: customers.name, where: (cond) => sql`${gatewayPayments.customer_id} in (select ${customers.id} from ${customers} where ${cond})` },
    },
    // matched=false: the unmatched queue (partial index gateway_payments_unmatched_idx).
    matched: { column: gatewayPaymentColumns.matched, type: 'bool' },
    payment_id: { column: gatewayPayments.payment_id, type: 'uuid' },
    amount_paise: { column: gatewayPayments.amount_paise, type: 'int', sortable: true },
    method: { column: gatewayPayments.method, type: 'text' },
    captured_at: { column: gatewayPayments.captured_at, type: 'timestamp', sortable: true },
    created_at: { column: gatewayPayments.created_at, type: 'timestamp', sortable: true },
  },
  // The gateway's payment id (pay_...), the email or phone the customer paid with, or the customer.
  search: [gatewayPayments.gateway_payment_id, gatewayPayments.email, gatewayPayments.contact, searchCustomer(gatewayPayments.customer_id)],
  defaultSort: { field: 'created_at', order: 'desc' },
};

export interface GatewayDeps {
  /** The webhook's secrets: the current one first, then the previous one during a rotation. */
  webhookSecrets: readonly string[];
}

export function mountGateway(app: Router, deps: GatewayDeps) {
  const tags = ['gateway'];
  app.openapi(
    createRoute({
      'x-permission': 'signature',
      method: 'post',
      path: WEBHOOK_PATH,
      tags,
      summary:
        'Razorpay webhook (payment.authorized, payment.captured, payment.failed, refund.processed, refund.failed). No session: X-Razorpay-Signature (hex HMAC-SHA256 of the raw body with the current or previous secret) or 401; each x-razorpay-event-id applied once.',
      responses: ok(WebhookAnswer, 'The event was applied, ignored, or seen before'),
    }),
    async (c) => {
      // The raw body as it came (kept by the edge before anything parsed it): the signature covers these bytes.
      const raw = new Uint8Array(await c.req.arrayBuffer());
      if (!verifySignature(raw, c.req.header('x-razorpay-signature'), deps.webhookSecrets)) {
        webhooksRefused.inc();
        throw new AppError(401, 'bad_signature', 'The X-Razorpay-Signature header does not sign this body with the webhook secret.');
      }
      const answer = await receiveWebhook(c.get('ctx'), c.req.header('x-razorpay-event-id'), new TextDecoder().decode(raw)).catch((err: unknown) => {
        webhooksRefused.inc(); // signed, but no event id, a body that is not an event, or a refused write
        throw err;
      });
      (answer.duplicate ? webhooksDuplicate : webhooksReceived).inc();
      return c.json(answer, 200);
    },
  );

  listSpecs.set('/api/gateway-payments', gatewayPaymentListSpec);
  app.openapi(
    createRoute({
      ...permit('gateway-payments', 'list'),
      method: 'get',
      path: '/api/gateway-payments',
      tags,
      summary: 'List gateway payments (simple-rest); matched=false is the queue of payments for no known customer',
      responses: page(GatewayPayment),
    }),
    async (c) => listAnswer(c, await listGatewayPayments(c.get('ctx'), await parseListQuery(new URL(c.req.url).searchParams, gatewayPaymentListSpec, c.get('ctx').db))),
  );
  app.openapi(
    createRoute({
      ...permit('gateway-payments', 'show'),
      method: 'get',
      path: '/api/gateway-payments/{id}',
      tags,
      summary: 'A gateway payment with the events that told of it',
      request: { params: IdParam },
      responses: ok(GatewayPaymentDetail, 'The gateway payment'),
    }),
    async (c) => c.json(await getGatewayPayment(c.get('ctx'), c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({
      ...permit('gateway-payments', 'assign'),
      method: 'post',
      path: '/api/gateway-payments/{id}/assign',
      tags,
      summary: "Assign an unmatched gateway payment to its customer; once captured it is recorded as their payment and settles their oldest invoices",
      request: { params: IdParam, ...jsonBody(AssignBody) },
      responses: ok(GatewayPaymentDetail, 'The gateway payment, assigned'),
    }),
    async (c) => c.json(await assignGatewayPayment(c.get('ctx'), c.req.valid('param').id, c.req.valid('json').customer_id), 200),
  );
}
