import { createRoute } from '@hono/zod-openapi';
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { customers, paymentAllocations, payments } from '../../../db/schema/index.js';
import { mountExport, type ListSource } from '../../lib/export.js';
import { selectionOf, type Row } from '../../lib/crud.js';
import type { Ctx } from '../../lib/context.js';
import { ownStaffScope } from '../../lib/access.js';
import { created, IdParam, jsonBody, listAnswer, listSpecs, ok, optionalJsonBody, page, permit, type Router } from '../../lib/http.js';
import { parseListQuery, type ListSpec } from '../../lib/rest.js';
import { byCustomer as searchCustomer } from '../../lib/search.js';
import { Allocation, BounceBody, chequeStatuses, ClearBody, DepositBody, Payment, PaymentCreate, PaymentDetail, paymentMethods, paymentStatuses } from './payments.schemas.js';
import { bounceChequeOnce, clearCheque, depositCheque, getPayment, listAllocations, listPayments, paymentColumns, paymentResource, recordPaymentOnce } from './payments.service.js';

const tags = ['payments'];
const byCustomer = (column: AnyPgColumn) => ({ column, where: (cond: SQL) => sql`${payments.customer_id} in (select ${customers.id} from ${customers} where ${cond})` });

export const paymentListSpec: ListSpec = {
  fields: {
    id: { column: payments.id, type: 'uuid' },
    customer_id: { column: payments.customer_id, type: 'uuid' },
    customer_name: { column: paymentColumns.customer_name, type: 'text', via: byCustomer(customers.name) },
    zone_id: { column: sql`(select ${customers.zone_id} from ${customers} where ${customers.id} = ${payments.customer_id})`, type: 'uuid', via: byCustomer(customers.zone_id) },
    amount_paise: { column: payments.amount_paise, type: 'int', sortable: true },
    method: { column: payments.method, type: 'enum', values: paymentMethods },
    status: { column: payments.status, type: 'enum', values: paymentStatuses },
    cheque_status: { column: payments.cheque_status, type: 'enum', values: chequeStatuses },
    reference: { column: payments.reference, type: 'text' },
    received_on: { column: payments.received_on, type: 'date', sortable: true },
    recorded_by: { column: payments.recorded_by, type: 'uuid' },
    created_at: { column: payments.created_at, type: 'timestamp', sortable: true },
  },
  // The customer first (name, phone digits), then their payments; or the payment's reference (UTR, cheque number).
  search: [payments.reference, searchCustomer(payments.customer_id)],
  defaultSort: { field: 'received_on', order: 'desc' },
};

export const allocationListSpec: ListSpec = {
  fields: {
    id: { column: paymentAllocations.id, type: 'uuid' },
    customer_id: { column: paymentAllocations.customer_id, type: 'uuid' },
    invoice_id: { column: paymentAllocations.invoice_id, type: 'uuid' },
    payment_id: { column: paymentAllocations.payment_id, type: 'uuid' },
    amount_paise: { column: paymentAllocations.amount_paise, type: 'int', sortable: 'narrowed' },
    created_at: { column: paymentAllocations.created_at, type: 'timestamp', sortable: true },
    reversed_at: { column: paymentAllocations.reversed_at, type: 'timestamp', sortable: 'narrowed' },
  },
  narrowedBy: ['invoice_id', 'payment_id', 'customer_id'],
  defaultSort: { field: 'created_at', order: 'desc' },
};

/** Delivery staff's own payments only, as the list narrows them (their grant is {own: true}). */
const ownWhere = (ctx: Ctx) => (ownStaffScope(ctx.actor, 'payments', 'list') ? eq(payments.recorded_by, ctx.actor!.id) : undefined);

/** What GET /api/payments/export reads: the list's ids in its order, then a batch of rows as the list shows them. */
const paymentSource: ListSource = {
  ids: (ctx, q) => ctx.db.select({ id: payments.id }).from(payments).where(and(q.where, ownWhere(ctx))).orderBy(...q.orderBy),
  rows: async (ctx, ids, q) => (await ctx.db.select(selectionOf(paymentResource) as never).from(payments).where(inArray(payments.id, ids)).orderBy(...q.orderBy)) as Row[],
  all: (ctx, q) => ctx.db.select(selectionOf(paymentResource) as never).from(payments).where(and(q.where, ownWhere(ctx))).orderBy(...q.orderBy),
};

export function mountPayments(app: Router) {
  listSpecs.set('/api/payments', paymentListSpec);
  // Before /api/payments/{id}: "export" is not an id.
  mountExport(app, { name: 'payments', permission: 'payments', list: paymentListSpec, source: paymentSource, row: Payment });
  app.openapi(
    createRoute({ ...permit('payments', 'list'), method: 'get', path: '/api/payments', tags, summary: 'List payments (simple-rest); delivery staff see the ones they recorded', responses: page(Payment) }),
    async (c) => listAnswer(c, await listPayments(c.get('ctx'), await parseListQuery(new URL(c.req.url).searchParams, paymentListSpec, c.get('ctx').db))),
  );
  app.openapi(
    createRoute({
      ...permit('payments', 'show'),
      method: 'get',
      path: '/api/payments/{id}',
      tags,
      summary: 'A payment with its allocations (live and reversed) and the wallet credit it became',
      request: { params: IdParam },
      responses: ok(PaymentDetail, 'The payment'),
    }),
    async (c) => c.json(await getPayment(c.get('ctx'), c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({
      ...permit('payments', 'create'),
      method: 'post',
      path: '/api/payments',
      tags,
      summary: "Record money received: it settles the chosen invoices first, then the customer's oldest open ones; what is left becomes wallet credit. Honours Idempotency-Key.",
      request: jsonBody(PaymentCreate),
      responses: created(PaymentDetail, 'The payment with its allocations'),
    }),
    async (c) => {
      const answer = await recordPaymentOnce(c.get('ctx'), c.req.valid('json'), c.req.header('idempotency-key'));
      if (answer.replayed) c.header('idempotent-replayed', 'true');
      return c.json(answer.body, answer.status as 201);
    },
  );
  app.openapi(
    createRoute({
      ...permit('payments', 'deposit'),
      method: 'post',
      path: '/api/payments/{id}/deposit',
      tags,
      summary: 'A received cheque was deposited at the bank ({deposited_on}, today by default)',
      request: { params: IdParam, ...optionalJsonBody(DepositBody) },
      responses: ok(PaymentDetail, 'The payment'),
    }),
    async (c) => c.json(await depositCheque(c.get('ctx'), c.req.valid('param').id, c.req.valid('json') ?? {}), 200),
  );
  app.openapi(
    createRoute({
      ...permit('payments', 'clear'),
      method: 'post',
      path: '/api/payments/{id}/clear',
      tags,
      summary: 'A deposited cheque cleared ({cleared_on}, today by default)',
      request: { params: IdParam, ...optionalJsonBody(ClearBody) },
      responses: ok(PaymentDetail, 'The payment'),
    }),
    async (c) => c.json(await clearCheque(c.get('ctx'), c.req.valid('param').id, c.req.valid('json') ?? {}), 200),
  );
  app.openapi(
    createRoute({
      ...permit('payments', 'bounce'),
      method: 'post',
      path: '/api/payments/{id}/bounce',
      tags,
      summary: 'A deposited cheque bounced: its allocations are reversed and the credit it became is taken back. Honours Idempotency-Key.',
      request: { params: IdParam, ...jsonBody(BounceBody) },
      responses: ok(PaymentDetail, 'The bounced payment'),
    }),
    async (c) => {
      const answer = await bounceChequeOnce(c.get('ctx'), c.req.valid('param').id, c.req.valid('json'), c.req.header('idempotency-key'));
      if (answer.replayed) c.header('idempotent-replayed', 'true');
      return c.json(answer.body, answer.status as 200);
    },
  );

  // Allocations are part of their payment: reading them takes the payments permission.
  listSpecs.set('/api/payment-allocations', allocationListSpec);
  app.openapi(
    createRoute({
      ...permit('payments', 'list'),
      method: 'get',
      path: '/api/payment-allocations',
      tags: ['payment-allocations'],
      summary: 'List allocations: what settles each invoice (filter invoice_id or payment_id)',
      responses: page(Allocation),
    }),
    async (c) => listAnswer(c, await listAllocations(c.get('ctx'), await parseListQuery(new URL(c.req.url).searchParams, allocationListSpec, c.get('ctx').db))),
  );
}
