import { createRoute } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { customers, refunds } from '../../../db/schema/index.js';
import { assertCan } from '../../lib/access.js';
import { created, IdParam, jsonBody, mountResource, ok, optionalJsonBody, permit, type Router } from '../../lib/http.js';
import { byCustomer as searchByCustomer } from '../../lib/search.js';
import { requireStepUp } from '../../lib/step-up.js';
import type { RefundProvider } from './provider.js';
import { Refund, RefundApprove, RefundCreate, RefundPay, RefundReject, refundDestinations, refundReasons, refundStatuses } from './refunds.schemas.js';
import {
  approvalNeedsCode,
  approveRefundOnce,
  getRefund,
  payRefundOnce,
  refundColumns,
  refundResource,
  rejectRefund,
  requestRefundOnce,
  sendRefund,
} from './refunds.service.js';

const byCustomer = (cond: ReturnType<typeof sql>) => sql`${refunds.customer_id} in (select ${customers.id} from ${customers} where ${cond})`;

export function mountRefunds(app: Router, deps: { provider: RefundProvider }) {
  app.openapi(
    createRoute({
      ...permit('refunds', 'create'),
      method: 'post',
      path: '/api/refunds',
      tags: ['refunds'],
      summary: 'Ask for money back from a payment (to its source or the wallet); someone else approves it. Honours Idempotency-Key.',
      request: jsonBody(RefundCreate),
      responses: created(Refund, 'The requested refund'),
    }),
    async (c) => {
      const answer = await requestRefundOnce(c.get('ctx'), c.req.valid('json'), c.req.header('idempotency-key'));
      if (answer.replayed) c.header('idempotent-replayed', 'true');
      return c.json(answer.body, answer.status as 201);
    },
  );
  app.openapi(
    createRoute({
      ...permit('refunds', 'approve'),
      method: 'post',
      path: '/api/refunds/{id}/approve',
      tags: ['refunds'],
      summary:
        'Approve a requested refund (never your own). Above the limit of your grant (max_amount_paise; ₹2,000 when it sets none) send a fresh authenticator code as totp or X-TOTP. Honours Idempotency-Key.',
      request: { params: IdParam, ...optionalJsonBody(RefundApprove) },
      responses: ok(Refund, 'The approved refund (processed for the wallet, processing once sent to the gateway)'),
    }),
    async (c) => {
      const ctx = c.get('ctx');
      const id = c.req.valid('param').id;
      // The amount never changes once asked (refunds_immutable), so reading it before the approval's lock is safe.
      const refund = await getRefund(ctx, id);
      if (approvalNeedsCode(assertCan(ctx.actor, 'refunds', 'approve'), Number(refund.amount_paise))) await requireStepUp(c);
      const answer = await approveRefundOnce(ctx, id, c.req.header('idempotency-key'), deps.provider);
      if (answer.replayed) c.header('idempotent-replayed', 'true');
      return c.json(answer.body, 200);
    },
  );
  app.openapi(
    createRoute({
      ...permit('refunds', 'reject'),
      method: 'post',
      path: '/api/refunds/{id}/reject',
      tags: ['refunds'],
      summary: 'Reject a requested refund, with the reason',
      request: { params: IdParam, ...jsonBody(RefundReject) },
      responses: ok(Refund, 'The rejected refund'),
    }),
    async (c) => c.json(await rejectRefund(c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(
    createRoute({
      ...permit('refunds', 'pay'),
      method: 'post',
      path: '/api/refunds/{id}/pay',
      tags: ['refunds'],
      summary: 'Mark an approved refund paid back by hand (cash, UPI, bank transfer, cheque), with its reference. Honours Idempotency-Key.',
      request: { params: IdParam, ...jsonBody(RefundPay) },
      responses: ok(Refund, 'The paid refund'),
    }),
    async (c) => {
      const answer = await payRefundOnce(c.get('ctx'), c.req.valid('param').id, c.req.valid('json'), c.req.header('idempotency-key'));
      if (answer.replayed) c.header('idempotent-replayed', 'true');
      return c.json(answer.body, 200);
    },
  );
  app.openapi(
    createRoute({
      ...permit('refunds', 'approve'),
      method: 'post',
      path: '/api/refunds/{id}/send',
      tags: ['refunds'],
      summary: 'Send an approved gateway refund to the gateway again (after an error); the gateway refunds it once',
      request: { params: IdParam },
      responses: ok(Refund, 'The refund (processing once the gateway took it)'),
    }),
    async (c) => c.json(await sendRefund(c.get('ctx'), c.req.valid('param').id, deps.provider), 200),
  );
  mountResource(app, {
    resource: refundResource,
    row: Refund,
    exportable: true,
    list: {
      fields: {
        id: { column: refunds.id, type: 'uuid' },
        status: { column: refunds.status, type: 'enum', values: refundStatuses },
        reason: { column: refunds.reason, type: 'enum', values: refundReasons },
        destination: { column: refunds.destination, type: 'enum', values: refundDestinations },
        customer_id: { column: refunds.customer_id, type: 'uuid' },
        customer_name: { column: refundColumns.customer_name, type: 'text', sortable: 'narrowed', via: { column: customers.name, where: byCustomer } },
        payment_id: { column: refunds.payment_id, type: 'uuid' },
        invoice_id: { column: refunds.invoice_id, type: 'uuid' },
        requested_by: { column: refunds.requested_by, type: 'uuid' },
        approved_by: { column: refunds.approved_by, type: 'uuid' },
        amount_paise: { column: refunds.amount_paise, type: 'int', sortable: true },
        created_at: { column: refunds.created_at, type: 'timestamp', sortable: true },
      },
      search: [searchByCustomer(refunds.customer_id)],
      defaultSort: { field: 'created_at', order: 'desc' },
      narrowedBy: ['customer_id', 'payment_id', 'invoice_id'],
    },
  });
}
