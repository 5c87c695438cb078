import { randomUUID } from 'node:crypto';
import { and, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { addresses, auditLogs, billingRecords, customers, deliveries, deliveryItems, orderItems, orders, products, staff, zones } from '../../../db/schema/index.js';
import type { ListSource } from '../../lib/export.js';
import { ownStaffScope, zoneScope } from '../../lib/access.js';
import { audit } from '../../lib/audit.js';
import { onCommit, transaction, type Ctx } from '../../lib/context.js';
import { auditRowsWritten, billingRecordsCreated } from '../../lib/metrics.js';
import { cappedCount, totalOf, type ListPage, type Row } from '../../lib/crud.js';
import { istDate } from '../../lib/dates.js';
import { conflict, forbidden, notFound, unprocessable } from '../../lib/errors.js';
import { idempotent, type StoredAnswer } from '../../lib/idempotency.js';
import { lineAmounts } from '../../../shared/money.js';
import type { ListQuery } from '../../lib/rest.js';
import { preparedStatement, rowsOf } from '../../lib/sql.js';
import type { ConfirmInput, FailInput, ReassignInput } from './deliveries.schemas.js';
import { notifyCustomers } from '../notifications/outbox.js';

/** A delivery time may run ahead of the server's clock by this much (phones' clocks drift); beyond it, it is "in the future". */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

// address_line(): the database's one-line address (the form q's trigram index holds).
const addressLine = sql<string>`address_line(${addresses.line1}, ${addresses.line2}, ${addresses.landmark})`;
const itemCount = sql<number>`(select count(*)::int from ${orderItems} where ${orderItems.order_id} = ${deliveries.order_id})`;

/** A delivery as the API shows it: its own columns plus who, where and what from its order (one join, no N+1). */
export const deliveryColumns = {
  id: deliveries.id,
  order_id: deliveries.order_id,
  order_date: deliveries.order_date,
  status: deliveries.status,
  staff_id: deliveries.staff_id,
  staff_name: staff.name,
  customer_id: orders.customer_id,
  customer_name: customers.name,
  customer_phone: customers.phone,
  address_id: orders.address_id,
  address_line: addressLine,
  pin_code: addresses.pin_code,
  zone_id: customers.zone_id,
  zone_name: zones.name,
  delivery_date: orders.delivery_date,
  shift: orders.shift,
  kind: orders.kind,
  order_status: orders.status,
  item_count: itemCount,
  delivered_at: deliveries.delivered_at,
  delivered_on: deliveries.delivered_on,
  lat: deliveries.lat,
  lng: deliveries.lng,
  proof_note: deliveries.proof_note,
  failure_reason: deliveries.failure_reason,
  confirmed_by: deliveries.confirmed_by,
  created_at: deliveries.created_at,
  updated_at: deliveries.updated_at,
};

/** deliveries joined to what the view needs; every delivery has an order, customer and address (FKs), zone and staff may be absent. */
function fromDeliveries(db: Db, selection: Record<string, unknown>) {
  return db
    .select(selection as never)
    .from(deliveries)
    // Left joins, though every delivery has its order, customer and address (NOT NULL foreign keys, so the rows are the
    // same): PostgreSQL drops a left join to a unique key that nothing uses, so a page's ids and its count read
    // only the tables their filter and sort name (the whole list: deliveries alone, by its order_date index).
    .leftJoin(orders, eq(orders.id, deliveries.order_id))
    .leftJoin(customers, eq(customers.id, orders.customer_id))
    .leftJoin(addresses, eq(addresses.id, orders.address_id))
    .leftJoin(zones, eq(zones.id, customers.zone_id))
    .leftJoin(staff, eq(staff.id, deliveries.staff_id));
}

/** A zone-limited grant ({zones: true}) reaches deliveries of its zones' customers only; the others are not there. */
function inZones(ctx: Ctx) {
  const zones = zoneScope(ctx);
  if (!zones) return undefined;
  return zones.length ? inArray(customers.zone_id, zones) : sql`false`;
}

/** For the verbs that read a delivery without its customer (the confirmation's prepared hot path): one look, when zone-limited. */
async function assertInZones(ctx: Ctx, id: string) {
  const zones = inZones(ctx);
  if (!zones) return;
  const [found] = await fromDeliveries(ctx.db, { id: deliveries.id }).where(and(eq(deliveries.id, id), zones));
  if (!found) throw notFound('Delivery');
}

function assertOwn(scope: string | null, row: Row) {
  if (scope && row.staff_id !== scope) throw forbidden('This delivery is assigned to another delivery person.');
}

/** What the list may show the actor: delivery staff only their own deliveries, whatever filters they send; zones. */
function listWhere(ctx: Ctx, query: ListQuery) {
  const scope = ownStaffScope(ctx.actor, 'deliveries', 'list');
  return and(query.where, scope ? eq(deliveries.staff_id, scope) : undefined, inZones(ctx));
}

/** The list's rows for an export (api/lib/export.ts): its ids in order, then a batch of rows as the list shows them. */
export const deliveryListSource: ListSource = {
  ids: (ctx, query) => fromDeliveries(ctx.db, { id: deliveries.id }).where(listWhere(ctx, query)).orderBy(...query.orderBy),
  rows: async (ctx, ids, query) => (await fromDeliveries(ctx.db, deliveryColumns).where(inArray(deliveries.id, ids)).orderBy(...query.orderBy)) as Row[],
  all: (ctx, query) => fromDeliveries(ctx.db, deliveryColumns).where(listWhere(ctx, query)).orderBy(...query.orderBy),
};

export async function listDeliveries(ctx: Ctx, query: ListQuery): Promise<ListPage> {
  const where = listWhere(ctx, query);
  // The page's ids first, then their rows (OFFSET would build every skipped row's joins), as listRows does.
  const pageIds = fromDeliveries(ctx.db, { id: deliveries.id }).where(where).orderBy(...query.orderBy).limit(query.limit).offset(query.offset);
  const matching = fromDeliveries(ctx.db, { one: sql`1` }).where(where);
  // The page and its count side by side, each on a connection of its own (outside a transaction): a search's count
  // walks thousands of orders, and the user waits for the slower of the two instead of both.
  const [rows, [{ capped }]] = await Promise.all([
    fromDeliveries(ctx.db, deliveryColumns).where(inArray(deliveries.id, pageIds)).orderBy(...query.orderBy) as Promise<Row[]>,
    ctx.db.select({ capped: cappedCount(matching) }).from(sql`(select 1) as one`) as Promise<{ capped: number }[]>,
  ]);
  return { rows, ...(await totalOf(ctx.db, Number(capped), matching)) };
}

async function viewOf(ctx: Ctx, id: string): Promise<Row> {
  const [row] = (await fromDeliveries(ctx.db, deliveryColumns).where(and(eq(deliveries.id, id), inZones(ctx)))) as Row[];
  if (!row) throw notFound('Delivery');
  return row;
}

export async function getDelivery(ctx: Ctx, id: string): Promise<Row> {
  const scope = ownStaffScope(ctx.actor, 'deliveries', 'show');
  const row = await viewOf(ctx, id);
  assertOwn(scope, row);
  return row;
}

/** Reassigns a pending delivery to another staff member (or to nobody). */
export async function reassignDelivery(ctx: Ctx, id: string, input: ReassignInput): Promise<Row> {
  return transaction(ctx, async (tx) => {
    await assertInZones(tx, id);
    // Row lock: a reassignment racing a confirmation either lands first or sees the outcome and gets the 409 below.
    const [locked] = await tx.db.select({ status: deliveries.status }).from(deliveries).where(eq(deliveries.id, id)).for('update');
    if (!locked) throw notFound('Delivery');
    if (locked.status !== 'pending') {
      throw conflict(`This delivery is already ${locked.status}; only a pending delivery can be reassigned.`, 'delivery_not_pending');
    }
    if (input.staff_id) {
      const [member] = await tx.db.select({ is_active: staff.is_active }).from(staff).where(eq(staff.id, input.staff_id));
      if (!member) throw unprocessable('That staff member does not exist.', 'unknown_staff');
      if (!member.is_active) throw unprocessable('That staff member is inactive; choose an active one.', 'staff_inactive');
    }
    const before = await viewOf(tx, id);
    if (before.staff_id === input.staff_id) return before;
    await tx.db.update(deliveries).set({ staff_id: input.staff_id }).where(eq(deliveries.id, id));
    const after = await viewOf(tx, id);
    await audit(tx, { action: 'reassign', table: 'deliveries', recordId: id, before, after });
    return after;
  });
}

interface LockedItem {
  order_item_id: string;
  product_id: string;
  product_name: string;
  unit_size: string;
  ordered_quantity: number;
  unit_price_paise: number;
  hsn_code: string;
  gst_rate_bp: number;
}

// The order's items with the product's tax data at this moment, read in the same statement as the delivery.
const orderItemsJson = sql<LockedItem[]>`(
  select coalesce(json_agg(json_build_object(
    'order_item_id', oi.id, 'product_id', p.id, 'product_name', p.name, 'unit_size', p.unit_size,
    'ordered_quantity', oi.quantity, 'unit_price_paise', oi.unit_price_paise, 'hsn_code', p.hsn_code, 'gst_rate_bp', p.gst_rate_bp
  ) order by p.name, oi.id), '[]'::json)
  from ${orderItems} oi join ${products} p on p.id = oi.product_id
  where oi.order_id = ${deliveries.order_id})`;

function refuseUnlessPending(row: Row, action: 'confirm' | 'fail') {
  if (row.status !== 'pending') {
    const when = row.delivered_at ? ` (${new Date(row.delivered_at as string).toISOString()})` : '';
    const what = row.status === 'failed' ? 'marked failed' : row.status === 'partial' ? 'partially delivered' : 'delivered';
    throw conflict(`This delivery was already ${what}${when}; its outcome is recorded once.`, 'already_confirmed');
  }
  if (row.order_status !== 'pending') {
    throw conflict(`The order of this delivery is ${row.order_status}, so the delivery cannot be ${action === 'confirm' ? 'confirmed' : 'failed'}.`, 'order_not_pending');
  }
}

// What an outcome needs: the delivery's own columns, its order's customer and status, and the order's items.
const outcomeColumns = {
  ...getTableColumns(deliveries),
  customer_id: orders.customer_id,
  order_status: orders.status,
  items: orderItemsJson,
};

const outcomeRead = (db: Db, where: SQL) => db.select(outcomeColumns).from(deliveries).innerJoin(orders, eq(orders.id, deliveries.order_id)).where(where);
// Built and rendered once per database handle (the pool's is the same for every request), the id a placeholder.
const preparedOutcomeReads = new WeakMap<Db, ReturnType<ReturnType<typeof outcomeRead>['prepare']>>();
function preparedOutcomeRead(db: Db) {
  let prepared = preparedOutcomeReads.get(db);
  if (!prepared) preparedOutcomeReads.set(db, (prepared = outcomeRead(db, eq(deliveries.id, sql.placeholder('id'))).prepare('delivery_for_outcome')));
  return prepared;
}

/**
 * Reads a delivery for an outcome, with its order's items, and refuses unless it is pending and the actor's to settle.
 * With lock (SELECT ... FOR UPDATE), a second outcome for the same delivery waits here and then sees the first one.
 * Without, it is a prepared statement (the confirmation's hot path): parsed once per connection.
 */
async function loadForOutcome(ctx: Ctx, id: string, action: 'confirm' | 'fail', opts: { lock: boolean }) {
  const scope = ownStaffScope(ctx.actor, 'deliveries', action);
  await assertInZones(ctx, id);
  const [row] = (opts.lock ? await outcomeRead(ctx.db, eq(deliveries.id, id)).for('update', { of: deliveries }) : await preparedOutcomeRead(ctx.db).execute({ id })) as (Row & {
    items: LockedItem[] | string;
  })[];
  if (!row) throw notFound('Delivery');
  assertOwn(scope, row);
  refuseUnlessPending(row, action);
  const items = typeof row.items === 'string' ? (JSON.parse(row.items) as LockedItem[]) : row.items;
  return { row, items, scope };
}

function outcomeTime(at: Date | undefined): { at: Date; on: string } {
  const now = Date.now();
  const when = at ?? new Date(now);
  if (when.getTime() > now + CLOCK_SKEW_MS) {
    throw unprocessable('The delivery time is in the future; give the time it actually happened.', 'delivery_in_future');
  }
  return { at: when, on: istDate(when) };
}

/** Settles the order with its delivery; the condition refuses an order cancelled meanwhile (that race is settled here). */
async function settleOrder(ctx: Ctx, orderId: string, status: 'delivered' | 'partially_delivered' | 'failed') {
  const updated = await ctx.db
    .update(orders)
    .set({ status })
    .where(and(eq(orders.id, orderId), eq(orders.status, 'pending')))
    .returning({ id: orders.id });
  if (!updated.length) throw conflict('The order of this delivery is no longer pending.', 'order_not_pending');
}

export interface ConfirmedItem {
  order_item_id: string;
  product_id: string;
  product_name: string;
  unit_size: string;
  ordered_quantity: number;
  quantity: number;
  unit_price_paise: number;
  gst_rate_bp: number;
  billing_record_id: string | null;
  total_paise: number;
}

const confirmStatements = new Map<string, ReturnType<typeof preparedStatement>>();
const v = (name: string) => sql.placeholder(name);

/**
 * The confirmation's one data-modifying statement for `items` items of which `billed` are billed (each value a
 * placeholder named in confirmDelivery), rendered to text once per shape.
 * o0 locks the order and requires it still pending (a concurrent cancellation either waits for this or wins it);
 * d is the conditional update that settles concurrent outcomes; every other write happens only if d did.
 * The audit row is written here rather than through audit() to keep the confirmation one statement.
 */
function confirmStatement(items: number, billed: number, scoped: boolean) {
  const shape = `${items}:${billed}:${scoped}`;
  let statement = confirmStatements.get(shape);
  if (statement) return statement;
  const itemValues = sql.join(
    Array.from({ length: items }, (_, i) => sql`(${v(`di${i}`)}::uuid, ${v(`oi${i}`)}::uuid, ${v(`oq${i}`)}::int, ${v(`q${i}`)}::int)`),
    sql`, `,
  );
  const billValues = sql.join(
    Array.from(
      { length: billed },
      (_, i) =>
        sql`(${v(`br${i}`)}::uuid, ${v(`bdi${i}`)}::uuid, ${v(`bq${i}`)}::int, ${v(`bp${i}`)}::uuid, ${v(`bu${i}`)}::int, ${v(`bh${i}`)}::text,
             ${v(`bg${i}`)}::int, ${v(`bt${i}`)}::int, ${v(`bc${i}`)}::int, ${v(`bs${i}`)}::int, ${v(`bT${i}`)}::int)`,
    ),
    sql`, `,
  );
  statement = preparedStatement(
    'confirm_delivery',
    () => sql`
      with o0 as (
        select id from ${orders} where id = ${v('order')}::uuid and status = 'pending' for no key update
      ), d as (
        update ${deliveries}
        set status = ${v('status')}::delivery_status, delivered_at = ${v('at')}::timestamptz, delivered_on = ${v('on')}::date,
            lat = ${v('lat')}::float8, lng = ${v('lng')}::float8, proof_note = ${v('proof_note')}::text,
            confirmed_by = ${v('actor')}::uuid, updated_at = ${v('now')}::timestamptz
        where id = ${v('id')}::uuid and status = 'pending' and exists (select 1 from o0)
          ${scoped ? sql`and staff_id = ${v('scope')}::uuid` : sql``}
        returning id
      ), di as (
        insert into ${deliveryItems} (id, delivery_id, order_id, order_item_id, ordered_quantity, quantity)
        select v.id, ${v('id')}::uuid, ${v('order')}::uuid, v.order_item_id, v.ordered_quantity, v.quantity
        from (values ${itemValues}) as v(id, order_item_id, ordered_quantity, quantity)
        where exists (select 1 from d)
      ), br as (
        insert into ${billingRecords} (id, delivery_item_id, quantity, customer_id, order_id, product_id, service_date, unit_price_paise,
                                       hsn_code, gst_rate_bp, taxable_paise, cgst_paise, sgst_paise, total_paise)
        select v.id, v.delivery_item_id, v.quantity, ${v('customer')}::uuid, ${v('order')}::uuid, v.product_id, ${v('on')}::date, v.unit_price_paise,
               v.hsn_code, v.gst_rate_bp, v.taxable, v.cgst, v.sgst, v.total
        from (values ${billValues}) as v(id, delivery_item_id, quantity, product_id, unit_price_paise, hsn_code, gst_rate_bp, taxable, cgst, sgst, total)
        where exists (select 1 from d)
      ), o as (
        update ${orders} set status = ${v('order_status')}::order_status, updated_at = ${v('now')}::timestamptz
        where id = ${v('order')}::uuid and exists (select 1 from d)
      ), a as (
        insert into ${auditLogs} (user_id, action, table_name, record_id, before, after, request_id)
        select ${v('actor')}::uuid, 'confirm', 'deliveries', ${v('id')}::uuid, ${v('before')}::jsonb, ${v('after')}::jsonb, ${v('request')}::text
        from d
      )
      select 1 as ok from d`,
  );
  confirmStatements.set(shape, statement);
  return statement;
}

/**
 * Confirms a pending delivery: records the delivered quantity of every order item (items not given were delivered in
 * full), writes one billing record per item delivered (quantity > 0), settles the order and writes the audit row.
 * Two statements: a read, then ONE data-modifying statement that does every write atomically (it is its own
 * transaction, or runs in the caller's). Its UPDATE ... WHERE status = 'pending' settles the race of two confirmations
 * (or a confirmation and a failure): the loser blocks on the row lock, then matches no row and writes nothing.
 */
export async function confirmDelivery(ctx: Ctx, id: string, input: ConfirmInput): Promise<Row & { items: ConfirmedItem[] }> {
  const { row, items, scope } = await loadForOutcome(ctx, id, 'confirm', { lock: false });
  const { at, on } = outcomeTime(input.delivered_at);

  const given = new Map<string, number>();
  for (const item of input.items ?? []) {
    if (given.has(item.order_item_id)) throw unprocessable('An item is listed twice; give each item once.', 'duplicate_item');
    given.set(item.order_item_id, item.quantity);
  }
  const byId = new Map(items.map((i) => [i.order_item_id, i]));
  for (const itemId of given.keys()) {
    if (!byId.has(itemId)) throw unprocessable(`Item ${itemId} is not part of this order.`, 'item_not_of_order');
  }
  const lines = items.map((i) => {
    const quantity = given.get(i.order_item_id) ?? i.ordered_quantity;
    if (!Number.isInteger(quantity) || quantity < 0 || quantity > i.ordered_quantity) {
      throw unprocessable(
        `${i.product_name}: ${quantity} delivered but ${i.ordered_quantity} ordered; a delivered quantity is between 0 and the ordered quantity.`,
        'bad_quantity',
      );
    }
    const amounts = quantity > 0 ? lineAmounts(quantity, i.unit_price_paise, i.gst_rate_bp) : null;
    return { ...i, quantity, amounts, delivery_item_id: randomUUID(), billing_record_id: amounts ? randomUUID() : null };
  });
  const billed = lines.filter((l) => l.amounts);
  if (!billed.length) throw unprocessable('Nothing was delivered: record this delivery as failed, with a reason, instead.', 'nothing_delivered');
  const full = lines.every((l) => l.quantity === l.ordered_quantity);
  const status = full ? 'delivered' : 'partial';
  const orderStatus = full ? 'delivered' : 'partially_delivered';
  const orderId = row.order_id as string;
  const actorId = ctx.actor?.id ?? null;
  const now = new Date();

  const { items: _read, ...view } = row;
  const result = {
    ...view,
    status,
    delivered_at: at,
    delivered_on: on,
    lat: input.lat ?? null,
    lng: input.lng ?? null,
    proof_note: input.proof_note ?? '',
    confirmed_by: actorId,
    updated_at: now,
    order_status: orderStatus,
    billed_total_paise: billed.reduce((sum, l) => sum + l.amounts!.total_paise, 0),
    items: lines.map(
      (l): ConfirmedItem => ({
        order_item_id: l.order_item_id,
        product_id: l.product_id,
        product_name: l.product_name,
        unit_size: l.unit_size,
        ordered_quantity: l.ordered_quantity,
        quantity: l.quantity,
        unit_price_paise: l.unit_price_paise,
        gst_rate_bp: l.gst_rate_bp,
        billing_record_id: l.billing_record_id,
        total_paise: l.amounts?.total_paise ?? 0,
      }),
    ),
  };
  const auditBefore = { status: 'pending', staff_id: view.staff_id, order_status: 'pending' };
  const auditAfter = {
    status,
    delivered_at: at,
    order_status: orderStatus,
    billed_total_paise: result.billed_total_paise,
    items: result.items.map((i) => ({ order_item_id: i.order_item_id, quantity: i.quantity, billing_record_id: i.billing_record_id })),
  };

  const values: Record<string, unknown> = {
    status,
    at: at.toISOString(),
    on,
    lat: input.lat ?? null,
    lng: input.lng ?? null,
    proof_note: input.proof_note ?? '',
    actor: actorId,
    now: now.toISOString(),
    id,
    order: orderId,
    customer: row.customer_id as string,
    order_status: orderStatus,
    before: JSON.stringify(auditBefore),
    after: JSON.stringify(auditAfter),
    request: ctx.requestId,
    scope,
  };
  lines.forEach((l, i) => Object.assign(values, { [`di${i}`]: l.delivery_item_id, [`oi${i}`]: l.order_item_id, [`oq${i}`]: l.ordered_quantity, [`q${i}`]: l.quantity }));
  billed.forEach((l, i) =>
    Object.assign(values, {
      [`br${i}`]: l.billing_record_id,
      [`bdi${i}`]: l.delivery_item_id,
      [`bq${i}`]: l.quantity,
      [`bp${i}`]: l.product_id,
      [`bu${i}`]: l.unit_price_paise,
      [`bh${i}`]: l.hsn_code,
      [`bg${i}`]: l.gst_rate_bp,
      [`bt${i}`]: l.amounts!.taxable_paise,
      [`bc${i}`]: l.amounts!.cgst_paise,
      [`bs${i}`]: l.amounts!.sgst_paise,
      [`bT${i}`]: l.amounts!.total_paise,
    }),
  );
  const written = rowsOf<{ ok: number }>(await confirmStatement(lines.length, billed.length, scope !== null)(ctx.db, values));
  if (!written.length) {
    // Lost a race after the read: say to whom (or why), from what the winner left.
    await loadForOutcome(ctx, id, 'confirm', { lock: false });
    throw conflict('This delivery was settled by someone else at the same moment.', 'already_confirmed');
  }
  onCommit(ctx, () => {
    billingRecordsCreated.inc(billed.length);
    auditRowsWritten.inc();
  });
  return result;
}

/**
 * confirmDelivery behind an Idempotency-Key: a retry with the same key (same user) gets the first answer and writes
 * nothing; without a key, a second confirmation is a 409.
 */
export async function confirmDeliveryOnce(ctx: Ctx, id: string, input: ConfirmInput, key: string | undefined): Promise<StoredAnswer<Row>> {
  // Without a key there is nothing to claim: the confirmation is one write statement, no transaction to wrap it in.
  if (!key) return { status: 200, body: await confirmDelivery(ctx, id, input), replayed: false };
  return idempotent(ctx, key, `deliveries.confirm:${id}`, async (tx) => ({ status: 200, body: await confirmDelivery(tx, id, input) }));
}

/** Records that a pending delivery could not be made, with the reason; the order fails with it. */
export async function failDelivery(ctx: Ctx, id: string, input: FailInput): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const [ref] = await tx.db.select({ order_id: deliveries.order_id }).from(deliveries).where(eq(deliveries.id, id));
    if (!ref) throw notFound('Delivery');
    // Lock the order, then the delivery: the order a confirmation locks them in, so the two queue instead of deadlocking.
    await tx.db.select({ id: orders.id }).from(orders).where(eq(orders.id, ref.order_id)).for('no key update');
    const { row } = await loadForOutcome(tx, id, 'fail', { lock: true });
    const reason = input.reason.trim();
    if (reason.length < 3) throw unprocessable('Give a reason of at least 3 characters.', 'reason_required');
    const { at, on } = outcomeTime(input.at);
    await tx.db
      .update(deliveries)
      .set({ status: 'failed', delivered_at: at, delivered_on: on, failure_reason: reason, failure_code: input.reason_code ?? null, confirmed_by: tx.actor?.id ?? null })
      .where(eq(deliveries.id, id));
    await settleOrder(tx, row.order_id as string, 'failed');
    const after = await viewOf(tx, id);
    const { items: _items, ...before } = row;
    await audit(tx, { action: 'fail', table: 'deliveries', recordId: id, before, after });
    // The customer hears of it on WhatsApp (outbox, this transaction): the reason, and that it is not billed.
    await notifyCustomers(tx.db, 'delivery.failed', [
      { customerId: after.customer_id as string, payload: { delivery_date: after.delivery_date, reason }, dedupeKey: `delivery-failed:${id}` },
    ]);
    return after;
  });
}
