import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { earningsLines, payoutBatches, rateCards, staff } from '../../../db/schema/index.js';
import { created, IdParam, jsonBody, listAnswer, listSpecs, mountResource, ok, optionalJsonBody, page, permit, type Router } from '../../lib/http.js';
import { parseListQuery, type ListSpec } from '../../lib/rest.js';
import { needsStepUp, requireStepUp } from '../../lib/step-up.js';
import { rowsOf } from '../../lib/sql.js';
import { getSettings, supplierBlock } from '../settings/settings.service.js';
import {
  AdjustmentCreate,
  EarningsLine,
  EarningsSummary,
  earningsTypes,
  FailureReason,
  PayoutApprove,
  PayoutBatch,
  payoutBatchStatuses,
  PayoutDraft,
  PayoutDraftAnswer,
  PayoutItem,
  PayoutMarkFailed,
  PayoutMarkPaid,
  RateCard,
  RateCardCreate,
  RateCardUpdate,
  SummaryQuery,
} from './earnings.schemas.js';
import { renderEarningsStatementPdf } from './earnings.pdf.js';
import { createAdjustment, earningsColumns, earningsSummary, getEarningsLine, listEarnings, monthAdjustments } from './earnings.service.js';
import { approveBatch, assertNotOwnBatch, bankFile, batchItems, draftBatch, payoutBatchResource, settleItems } from './payouts.service.js';
import { createRateCard, rateCardColumns, rateCardResource, updateRateCard } from './rate-cards.service.js';

const byStaffName = (cond: ReturnType<typeof sql>) => sql`${earningsLines.staff_id} in (select ${staff.id} from ${staff} where ${cond})`;

const paidLine = sql`exists (select 1 from payout_items pi where pi.id = ${earningsLines.payout_item_id} and pi.status = 'paid')`;

const earningsList: ListSpec = {
  fields: {
    id: { column: earningsLines.id, type: 'uuid' },
    staff_id: { column: earningsLines.staff_id, type: 'uuid' },
    staff_name: { column: earningsColumns.staff_name, type: 'text', sortable: 'narrowed', via: { column: staff.name, where: byStaffName } },
    delivery_id: { column: earningsLines.delivery_id, type: 'uuid' },
    type: { column: earningsLines.type, type: 'enum', values: earningsTypes },
    amount_paise: { column: earningsLines.amount_paise, type: 'int', sortable: 'narrowed' },
    earned_on: { column: earningsLines.earned_on, type: 'date', sortable: true },
    payout_batch_id: { column: earningsLines.payout_batch_id, type: 'uuid' },
    payout_item_id: { column: earningsLines.payout_item_id, type: 'uuid' },
    // paid=true: its transfer was paid; paid=false: unpaid (in no batch, or in one not paid yet), as the month's sums say.
    // paid=true also says the line is in a payout item, so PostgreSQL can start from those (earnings_lines_item_idx)
    // when they are few, instead of testing every line of the business.
    paid: {
      column: paidLine,
      type: 'bool',
      equals: (paid) => (paid ? sql`(${earningsLines.payout_item_id} is not null and ${paidLine})` : sql`not ${paidLine}`),
    },
    rate_card_id: { column: earningsLines.rate_card_id, type: 'uuid' },
    created_at: { column: earningsLines.created_at, type: 'timestamp' },
  },
  search: [earningsLines.reason],
  defaultSort: { field: 'earned_on', order: 'desc' },
  narrowedBy: ['staff_id', 'delivery_id', 'payout_batch_id', 'payout_item_id'],
};

const pdfAnswer = { 200: { description: 'PDF', content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } } };

export function mountEarnings(app: Router) {
  // ---- rate cards ------------------------------------------------------------------------------------------------
  mountResource(app, {
    resource: rateCardResource,
    row: RateCard,
    list: {
      fields: {
        id: { column: rateCards.id, type: 'uuid' },
        zone_id: { column: rateCards.zone_id, type: 'uuid' },
        zone_name: { column: rateCardColumns.zone_name, type: 'text', sortable: true },
        effective_from: { column: rateCards.effective_from, type: 'date', sortable: true },
        effective_to: { column: rateCards.effective_to, type: 'date', sortable: true },
        base_per_drop_paise: { column: rateCards.base_per_drop_paise, type: 'int', sortable: true },
        created_at: { column: rateCards.created_at, type: 'timestamp', sortable: true },
      },
      defaultSort: { field: 'effective_from', order: 'desc' },
    },
    create: { body: RateCardCreate, run: createRateCard },
    update: { body: RateCardUpdate, run: updateRateCard },
  });

  // ---- earnings lines ----------------------------------------------------------------------------------------------
  listSpecs.set('/api/earnings', earningsList);
  app.openapi(
    createRoute({
      ...permit('earnings', 'list'),
      method: 'get',
      path: '/api/earnings',
      tags: ['earnings'],
      summary: 'List earnings lines (simple-rest; filters delivery_id, staff_id, type, amount_paise, earned_on, payout_batch_id, paid). Delivery staff see their own.',
      responses: page(EarningsLine),
    }),
    async (c) => {
      const ctx = c.get('ctx');
      return listAnswer(c, await listEarnings(ctx, await parseListQuery(new URL(c.req.url).searchParams, earningsList, ctx.db)));
    },
  );
  app.openapi(
    createRoute({
      ...permit('earnings', 'create'),
      method: 'post',
      path: '/api/earnings',
      tags: ['earnings'],
      summary: 'A manual adjustment (positive or negative, in paise) for a staff member, with the reason',
      request: jsonBody(AdjustmentCreate),
      responses: created(EarningsLine, 'The adjustment line'),
    }),
    async (c) => c.json(await createAdjustment(c.get('ctx'), c.req.valid('json')), 201),
  );
  app.openapi(
    createRoute({
      ...permit('earnings', 'show'),
      method: 'get',
      path: '/api/earnings/{id}',
      tags: ['earnings'],
      request: { params: IdParam },
      responses: ok(EarningsLine, 'The line'),
    }),
    async (c) => c.json(await getEarningsLine(c.get('ctx'), c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({
      ...permit('earnings', 'show'),
      method: 'get',
      path: '/api/staff/{id}/earnings-summary',
      tags: ['earnings'],
      summary: "A staff member's month (?month=YYYY-MM): drops, litres, on-time rate, failures, earnings by type, each day, and their zone's staff",
      request: { params: IdParam, query: SummaryQuery },
      responses: ok(EarningsSummary, 'The month'),
    }),
    async (c) => c.json(await earningsSummary(c.get('ctx'), c.req.valid('param').id, c.req.valid('query').month), 200),
  );
  app.openapi(
    createRoute({
      ...permit('earnings', 'show'),
      method: 'get',
      path: '/api/staff/{id}/statement.pdf',
      tags: ['earnings'],
      summary: "A staff member's monthly earnings statement as a PDF (?month=YYYY-MM)",
      request: { params: IdParam, query: SummaryQuery },
      responses: pdfAnswer,
    }),
    async (c) => {
      const ctx = c.get('ctx');
      const { id } = c.req.valid('param');
      const { month } = c.req.valid('query');
      const summary = await earningsSummary(ctx, id, month);
      const pdf = await renderEarningsStatementPdf(summary, await monthAdjustments(ctx, id, month), supplierBlock(await getSettings(ctx)));
      const filename = `earnings-${summary.staff.name.replace(/[^A-Za-z0-9]+/g, '-')}-${month}.pdf`;
      return c.body(new Uint8Array(pdf), 200, { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${filename}"` });
    },
  );
  app.openapi(
    createRoute({
      ...permit('deliveries', 'list'),
      method: 'get',
      path: '/api/failure-reasons',
      tags: ['deliveries'],
      summary: "Reason codes for a failed delivery (POST /api/deliveries/{id}/fail reason_code), each with whose fault it is",
      responses: ok(z.array(FailureReason), 'The codes'),
    }),
    async (c) => c.json(rowsOf<z.infer<typeof FailureReason>>(await c.get('ctx').db.execute(sql`select code, label, fault::text from failure_reasons order by fault, label`)), 200),
  );

  // ---- payout batches --------------------------------------------------------------------------------------------
  app.openapi(
    createRoute({
      ...permit('payout-batches', 'create'),
      method: 'post',
      path: '/api/payout-batches',
      tags: ['payout-batches'],
      summary: "Draft a month's payout ({month: 'YYYY-MM'}): every unpaid line up to its end, one transfer per staff member. A month with a draft gets it back (200).",
      request: jsonBody(PayoutDraft),
      responses: { ...created(PayoutDraftAnswer, 'The new draft'), ...ok(PayoutDraftAnswer, "The month's existing draft") },
    }),
    async (c) => {
      const answer = await draftBatch(c.get('ctx'), c.req.valid('json').month);
      return c.json(answer.body, answer.status);
    },
  );
  mountResource(app, {
    resource: payoutBatchResource,
    row: PayoutBatch,
    list: {
      fields: {
        id: { column: payoutBatches.id, type: 'uuid' },
        month: { column: payoutBatches.month, type: 'date', sortable: true },
        status: { column: payoutBatches.status, type: 'enum', values: payoutBatchStatuses },
        created_by: { column: payoutBatches.created_by, type: 'uuid' },
        approved_by: { column: payoutBatches.approved_by, type: 'uuid' },
        total_paise: { column: payoutBatches.total_paise, type: 'int', sortable: true },
        created_at: { column: payoutBatches.created_at, type: 'timestamp', sortable: true },
      },
      defaultSort: { field: 'created_at', order: 'desc' },
    },
  });
  app.openapi(
    createRoute({
      ...permit('payout-batches', 'show'),
      method: 'get',
      path: '/api/payout-batches/{id}/items',
      tags: ['payout-batches'],
      summary: "A batch's transfers, one per staff member, with where each goes and its result",
      request: { params: IdParam },
      responses: ok(z.array(PayoutItem), 'The transfers'),
    }),
    async (c) => c.json(await batchItems(c.get('ctx'), c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({
      ...permit('payout-batches', 'approve'),
      method: 'post',
      path: '/api/payout-batches/{id}/approve',
      tags: ['payout-batches'],
      summary: 'Approve a draft (never your own), with a fresh authenticator code as totp or X-TOTP',
      request: { params: IdParam, ...optionalJsonBody(PayoutApprove) },
      responses: ok(PayoutBatch, 'The approved batch'),
    }),
    async (c) => {
      const ctx = c.get('ctx');
      const id = c.req.valid('param').id;
      // The creator is told so before any code is asked for (and the database refuses it anyway).
      await assertNotOwnBatch(ctx, id);
      // Paying people always needs a second factor; a grant marked step_up had its code checked already.
      if (!needsStepUp(ctx.grant ?? undefined)) await requireStepUp(c);
      return c.json(await approveBatch(ctx, id), 200);
    },
  );
  app.openapi(
    createRoute({
      ...permit('payout-batches', 'export'),
      method: 'get',
      path: '/api/payout-batches/{id}/bank-file',
      tags: ['payout-batches'],
      summary: "The bank's bulk-transfer CSV of an approved batch: beneficiary name, account number, IFSC or UPI id, amount, reference",
      request: { params: IdParam },
      responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } } },
    }),
    async (c) => {
      const file = await bankFile(c.get('ctx'), c.req.valid('param').id);
      return c.body(file.csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${file.name}"` });
    },
  );
  const settle = (path: string, to: 'paid' | 'failed' | 'reversed', summary: string) =>
    app.openapi(
      createRoute({
        ...permit('payout-batches', 'pay'),
        method: 'post',
        path: `/api/payout-batches/{id}/${path}`,
        tags: ['payout-batches'],
        summary,
        request: { params: IdParam, ...jsonBody(to === 'paid' ? PayoutMarkPaid : PayoutMarkFailed) },
        responses: ok(PayoutBatch, 'The batch'),
      }),
      async (c) => {
        const input = c.req.valid('json') as never;
        const outcome = to === 'paid' ? { to, from: 'pending' as const, input } : to === 'failed' ? { to, from: 'pending' as const, input } : { to, from: 'paid' as const, input };
        return c.json(await settleItems(c.get('ctx'), c.req.valid('param').id, outcome), 200);
      },
    );
  settle('mark-paid', 'paid', "Mark the batch's pending transfers (or those of item_ids) paid, with the bank's reference");
  settle('mark-failed', 'failed', 'Mark pending transfers failed, with why: their lines are unpaid again');
  settle('mark-reversed', 'reversed', 'Mark paid transfers reversed by the bank, with why: their lines are unpaid again');
}
