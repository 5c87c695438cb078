import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { depots, purchaseOrders, stockMovements, suppliers } from '../../../db/schema/index.js';
import { created, IdParam, jsonBody, mountResource, ok, permit, type Router } from '../../lib/http.js';
import { DateString } from '../../lib/input.js';
import { todayIST } from '../../lib/dates.js';
import { getSettings, supplierBlock } from '../settings/settings.service.js';
import { forecast } from './forecast.service.js';
import { renderPurchaseOrderPdf } from './purchase-orders.pdf.js';
import { PurchaseOrder, PurchaseOrderCancel, PurchaseOrderCreate, PurchaseOrderReceive, purchaseOrderStatuses } from './purchase-orders.schemas.js';
import {
  approvePurchaseOrder,
  cancelPurchaseOrder,
  createPurchaseOrder,
  purchaseOrderResource,
  receivePurchaseOrder,
  sendPurchaseOrder,
} from './purchase-orders.service.js';
import { getRow } from '../../lib/crud.js';
import { reorderProposals } from './reorder.service.js';
import { MovementCreate, movementKinds, RecordedMovements, StockMovement, StockQuery, StockRow } from './stock.schemas.js';
import { movementResource, recordMovement, stockLevels } from './stock.service.js';
import { mountSuppliers } from './suppliers.routes.js';
import { pageOf } from './computed-list.js';

/** Refine's paging and sorting of a computed list (pageOf). */
const paging = {
  _start: z.coerce.number({ message: '_start is a number.' }).int().min(0).optional(),
  _end: z.coerce.number({ message: '_end is a number.' }).int().min(0).optional(),
  _sort: z.string().max(60).optional(),
  _order: z.string().max(60).optional(),
};

const ForecastQuery = z.object({
  ...paging,
  from: DateString.optional(),
  days: z.coerce.number({ message: 'days is a number.' }).int('days is whole.').min(1, 'days is 1 to 31.').max(31, 'days is 1 to 31.').default(7),
  depot_id: z.uuid({ message: 'depot_id must be a UUID.' }).optional(),
}).strict();
const ForecastRow = z
  .object({ id: z.string(), date: z.string(), shift: z.enum(['morning', 'evening']), product_id: z.string(), depot_id: z.string().nullable(), subscription_quantity: z.number().int(), expected_one_time_quantity: z.number().int() })
  .openapi('ForecastRow');
const ReorderQuery = z.object({ ...paging, depot_id: z.uuid({ message: 'depot_id must be a UUID.' }).optional() }).strict();
const ReorderProposal = z
  .object({
    id: z.string(), product_id: z.string(), product_name: z.string(), depot_id: z.string(), depot_name: z.string(), supplier_id: z.string(), supplier_name: z.string(),
    unit_price_paise: z.number().int(), pack_size: z.number().int(), pack_label: z.string(), lead_time_days: z.number().int(), forecast: z.number().int(),
    safety_stock: z.number().int(), on_hand: z.number().int(), incoming: z.number().int(), shortfall: z.number().int(), quantity: z.number().int(),
  })
  .openapi('ReorderProposal');

export function mountInventory(app: Router) {
  mountSuppliers(app);

  app.openapi(
    createRoute({ ...permit('stock', 'list'), method: 'get', path: '/api/stock', tags: ['stock'], summary: 'Stock per product and depot: on hand, expiring today and tomorrow, incoming, tomorrow\'s forecast, low', request: { query: StockQuery }, responses: ok(z.array(StockRow), 'Stock levels') }),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await stockLevels(c.get('ctx'), { depot_id: q.depot_id, product_id: q.product_id, low: q.low === undefined ? undefined : q.low === 'true' });
      c.header('x-total-count', String(rows.length));
      return c.json(pageOf(rows, q, ['product_name', 'depot_name', 'quantity', 'batches', 'expiring_today', 'expiring_tomorrow', 'incoming', 'forecast_tomorrow', 'low']), 200);
    },
  );

  // The ledger: a simple-rest list; POST records a movement by hand (its lines, one transaction).
  app.openapi(
    createRoute({
      ...permit('stock-movements', 'create'),
      method: 'post',
      path: '/api/stock-movements',
      tags: ['stock-movements'],
      summary: 'Record a dispatch to a run (FEFO), a return, wastage or spoilage, a transfer between depots or a counted adjustment. 409 with the quantity available when there is not enough.',
      request: jsonBody(MovementCreate),
      responses: created(RecordedMovements, 'The first ledger line, with all the lines written'),
    }),
    async (c) => c.json(await recordMovement(c.get('ctx'), c.req.valid('json')), 201),
  );
  mountResource(app, {
    resource: movementResource,
    row: StockMovement,
    list: {
      fields: {
        id: { column: stockMovements.id, type: 'uuid' },
        kind: { column: stockMovements.kind, type: 'enum', values: movementKinds },
        product_id: { column: stockMovements.product_id, type: 'uuid' },
        depot_id: { column: stockMovements.depot_id, type: 'uuid' },
        batch_id: { column: stockMovements.batch_id, type: 'uuid' },
        staff_id: { column: stockMovements.staff_id, type: 'uuid' },
        run_date: { column: stockMovements.run_date, type: 'date' },
        transfer_id: { column: stockMovements.transfer_id, type: 'uuid' },
        purchase_order_line_id: { column: stockMovements.purchase_order_line_id, type: 'uuid' },
        created_at: { column: stockMovements.created_at, type: 'timestamp', sortable: true },
      },
      defaultSort: { field: 'created_at', order: 'desc' },
    },
  });

  app.openapi(
    createRoute({ ...permit('forecast', 'list'), method: 'get', path: '/api/forecast', tags: ['forecast'], summary: 'Demand per date, shift, product and depot: subscriptions exactly (the order generation rules) and expected one-time orders (mean of the last 8 same weekdays)', request: { query: ForecastQuery }, responses: ok(z.array(ForecastRow), 'Forecast rows') }),
    async (c) => {
      const q = c.req.valid('query');
      // Each row gets an id (date, shift, product, depot): Refine's tables key and sort their rows by it.
      const rows = (await forecast(c.get('ctx'), { from: q.from ?? todayIST(), days: q.days, depot_id: q.depot_id })).map((r) => ({ id: `${r.date}:${r.shift}:${r.product_id}:${r.depot_id ?? ''}`, ...r }));
      c.header('x-total-count', String(rows.length));
      return c.json(pageOf(rows, q, ['date', 'shift', 'product_id', 'depot_id', 'subscription_quantity', 'expected_one_time_quantity']), 200);
    },
  );

  app.openapi(
    createRoute({ ...permit('reorder-proposals', 'list'), method: 'get', path: '/api/reorder-proposals', tags: ['reorder-proposals'], summary: 'What to buy per product and depot: forecast over the lead time + safety stock - stock - on order, in whole packs of the preferred supplier', request: { query: ReorderQuery }, responses: ok(z.array(ReorderProposal), 'Proposals') }),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await reorderProposals(c.get('ctx'), { depot_id: q.depot_id });
      c.header('x-total-count', String(rows.length));
      const sortable = ['product_name', 'depot_name', 'supplier_name', 'forecast', 'on_hand', 'incoming', 'shortfall', 'quantity', 'unit_price_paise', 'lead_time_days'] as const;
      return c.json(pageOf(rows, q, sortable), 200);
    },
  );

  app.openapi(
    createRoute({ ...permit('purchase-orders', 'create'), method: 'post', path: '/api/purchase-orders', tags: ['purchase-orders'], summary: 'Draft a purchase order (prices default to the supplier\'s)', request: jsonBody(PurchaseOrderCreate), responses: created(PurchaseOrder, 'The draft') }),
    async (c) => c.json(await createPurchaseOrder(c.get('ctx'), c.req.valid('json')), 201),
  );
  mountResource(app, {
    resource: purchaseOrderResource,
    row: PurchaseOrder,
    list: {
      fields: {
        id: { column: purchaseOrders.id, type: 'uuid' },
        number: { column: purchaseOrders.number, type: 'int', sortable: true },
        status: { column: purchaseOrders.status, type: 'enum', values: purchaseOrderStatuses },
        supplier_id: { column: purchaseOrders.supplier_id, type: 'uuid' },
        depot_id: { column: purchaseOrders.depot_id, type: 'uuid' },
        expected_date: { column: purchaseOrders.expected_date, type: 'date' },
        total_paise: { column: purchaseOrders.total_paise, type: 'int' },
        created_at: { column: purchaseOrders.created_at, type: 'timestamp', sortable: true },
      },
      defaultSort: { field: 'created_at', order: 'desc' },
    },
  });
  const action = (name: 'approve' | 'send', run: typeof approvePurchaseOrder, summary: string) =>
    app.openapi(
      createRoute({ ...permit('purchase-orders', name), method: 'post', path: `/api/purchase-orders/{id}/${name}`, tags: ['purchase-orders'], summary, request: { params: IdParam }, responses: ok(PurchaseOrder, 'The purchase order') }),
      async (c) => c.json(await run(c.get('ctx'), c.req.valid('param').id), 200),
    );
  action('approve', approvePurchaseOrder, 'Approve a draft (never one you created)');
  action('send', sendPurchaseOrder, 'Mark an approved order as sent to the supplier');
  app.openapi(
    createRoute({ ...permit('purchase-orders', 'cancel'), method: 'post', path: '/api/purchase-orders/{id}/cancel', tags: ['purchase-orders'], summary: 'Cancel a draft, approved or sent order (not once goods arrived)', request: { params: IdParam, ...jsonBody(PurchaseOrderCancel) }, responses: ok(PurchaseOrder, 'The cancelled order') }),
    async (c) => c.json(await cancelPurchaseOrder(c.get('ctx'), c.req.valid('param').id, c.req.valid('json').reason), 200),
  );
  app.openapi(
    createRoute({ ...permit('purchase-orders', 'receive'), method: 'post', path: '/api/purchase-orders/{id}/receive', tags: ['purchase-orders'], summary: 'Receive goods: accepted units into stock on their batch, rejected ones counted', request: { params: IdParam, ...jsonBody(PurchaseOrderReceive) }, responses: ok(PurchaseOrder, 'The order after the receipt') }),
    async (c) => c.json(await receivePurchaseOrder(c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(
    createRoute({
      ...permit('purchase-orders', 'pdf'),
      method: 'get',
      path: '/api/purchase-orders/{id}/pdf',
      tags: ['purchase-orders'],
      summary: 'The purchase order as a PDF for the supplier',
      request: { params: IdParam },
      responses: { 200: { description: 'PDF', content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } } },
    }),
    async (c) => {
      const ctx = c.get('ctx');
      const order = (await getRow(ctx, purchaseOrderResource, c.req.valid('param').id)) as Parameters<typeof renderPurchaseOrderPdf>[0]['order'];
      const [supplier] = await ctx.db.select().from(suppliers).where(eq(suppliers.id, String(order.supplier_id)));
      const [depot] = await ctx.db.select().from(depots).where(eq(depots.id, String(order.depot_id)));
      const pdf = await renderPurchaseOrderPdf({ order, buyer: supplierBlock(await getSettings(ctx)), supplier, depot });
      return c.body(new Uint8Array(pdf), 200, { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="PO-${String(order.number).padStart(6, '0')}.pdf"` });
    },
  );
}
