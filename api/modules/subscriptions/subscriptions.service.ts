import { and, eq, sql } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { addresses, customers, products, subscriptionOverrides, subscriptionPauses, subscriptions } from '../../../db/schema/index.js';
import { inZoneScope } from '../../lib/access.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { createRow, customerInZones, deleteRow, getRow, updateRow, type Resource, type Row } from '../../lib/crud.js';
import { addDays, todayIST } from '../../lib/dates.js';
import { conflict, unprocessable } from '../../lib/errors.js';
import { lockPlanShared } from '../orders/generate.service.js';
import { reconcileOrders } from './reconcile.js';
import { OverrideCreate, OverrideUpdate, PauseBody, ResumeBody, SubscriptionCreate, SubscriptionUpdate } from './subscriptions.schemas.js';

/**
 * Options of the verbs that depend on "today" (IST): the seeds replay history by passing the day the
 * change was made; the API always uses the real today.
 */
export interface Clock {
  today?: string;
}
const dayOf = (opts: Clock) => opts.today ?? todayIST();
const istToday = sql`(now() at time zone 'Asia/Kolkata')::date`;

// ---------------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------------

const customerName = sql<string>`(select ${customers.name} from ${customers} where ${customers.id} = ${subscriptions.customer_id})`;
const productName = sql<string>`(select ${products.name} from ${products} where ${products.id} = ${subscriptions.product_id})`;
const addressLine = sql<string>`(select concat_ws(', ', nullif(${addresses.label}, ''), ${addresses.line1}, ${addresses.pin_code}) from ${addresses} where ${addresses.id} = ${subscriptions.address_id})`;
const weekdayList = sql<number[]>`array(select d from generate_series(1, 7) d where (${subscriptions.weekdays}::int >> d) & 1 = 1)`;
const pausedToday = sql<boolean>`exists (select 1 from ${subscriptionPauses} where ${subscriptionPauses.subscription_id} = ${subscriptions.id} and ${istToday} between ${subscriptionPauses.from_date} and ${subscriptionPauses.to_date})`;

export const subscriptionColumns = { customer_name: customerName, product_name: productName, address_line: addressLine, paused_today: pausedToday };

/** JSON: `weekdays` is the list of ISO weekdays ([1, 3, 5]); `weekdays_mask` the stored bit mask. */
export const subscriptionResource: Resource = {
  name: 'subscriptions',
  label: 'Subscription',
  table: subscriptions,
  selection: {
    id: subscriptions.id,
    customer_id: subscriptions.customer_id,
    customer_name: customerName.as('customer_name'),
    address_id: subscriptions.address_id,
    address_line: addressLine.as('address_line'),
    product_id: subscriptions.product_id,
    product_name: productName.as('product_name'),
    quantity: subscriptions.quantity,
    schedule: subscriptions.schedule,
    weekdays: weekdayList.as('weekdays'),
    weekdays_mask: subscriptions.weekdays,
    shift: subscriptions.shift,
    start_date: subscriptions.start_date,
    end_date: subscriptions.end_date,
    status: subscriptions.status,
    cancelled_at: subscriptions.cancelled_at,
    paused_today: pausedToday.as('paused_today'),
    created_at: subscriptions.created_at,
    updated_at: subscriptions.updated_at,
  },
  inZones: (zoneIds) => customerInZones(subscriptions.customer_id, zoneIds),
};

/** Pauses and one-day changes are in their subscription's zone. */
const subscriptionInZones = (subscriptionId: AnyPgColumn, zoneIds: string[]) =>
  sql`${subscriptionId} in (select s.id from subscriptions s where ${customerInZones(sql`s.customer_id`, zoneIds)})`;

const pauseState = sql<string>`(case when ${subscriptionPauses.to_date} < ${istToday} then 'ended' when ${subscriptionPauses.from_date} > ${istToday} then 'upcoming' else 'active' end)`;
const pauseCustomer = sql<string>`(select ${subscriptions.customer_id} from ${subscriptions} where ${subscriptions.id} = ${subscriptionPauses.subscription_id})`;
export const pauseColumns = { state: pauseState, customer_id: pauseCustomer };

export const pauseResource: Resource = {
  name: 'subscription-pauses',
  label: 'Pause',
  table: subscriptionPauses,
  selection: {
    id: subscriptionPauses.id,
    subscription_id: subscriptionPauses.subscription_id,
    customer_id: pauseCustomer.as('customer_id'),
    from_date: subscriptionPauses.from_date,
    to_date: subscriptionPauses.to_date,
    reason: subscriptionPauses.reason,
    state: pauseState.as('state'),
    created_at: subscriptionPauses.created_at,
  },
  inZones: (zoneIds) => subscriptionInZones(subscriptionPauses.subscription_id, zoneIds),
};

const overrideSub = (col: string) => sql`(select s.${sql.raw(col)} from subscriptions s where s.id = ${subscriptionOverrides.subscription_id})`;
export const overrideColumns = {
  customer_id: sql<string>`${overrideSub('customer_id')}`,
  regular_quantity: sql<number>`${overrideSub('quantity')}`,
  product_name: sql<string>`(select p.name from subscriptions s join products p on p.id = s.product_id where s.id = ${subscriptionOverrides.subscription_id})`,
};

export const overrideResource: Resource = {
  name: 'subscription-overrides',
  label: 'One-day change',
  table: subscriptionOverrides,
  selection: {
    id: subscriptionOverrides.id,
    subscription_id: subscriptionOverrides.subscription_id,
    customer_id: overrideColumns.customer_id.as('customer_id'),
    product_name: overrideColumns.product_name.as('product_name'),
    date: subscriptionOverrides.date,
    quantity: subscriptionOverrides.quantity,
    regular_quantity: overrideColumns.regular_quantity.as('regular_quantity'),
    created_at: subscriptionOverrides.created_at,
  },
  inZones: (zoneIds) => subscriptionInZones(subscriptionOverrides.subscription_id, zoneIds),
};

// ---------------------------------------------------------------------------------------------------
// Subscriptions
// ---------------------------------------------------------------------------------------------------

async function activeCustomer(ctx: Ctx, id: string) {
  const [customer] = await ctx.db.select({ name: customers.name, status: customers.status, zone_id: customers.zone_id }).from(customers).where(eq(customers.id, id));
  // Outside the actor's zones (a zone-limited grant), the customer is one that does not exist.
  if (!customer || !inZoneScope(ctx, customer.zone_id)) throw unprocessable('That customer does not exist.', 'unknown_customer');
  if (customer.status === 'inactive') throw unprocessable(`${customer.name} is inactive; reactivate the customer first.`, 'customer_inactive');
  return customer;
}

async function productOnSale(ctx: Ctx, id: string) {
  const [product] = await ctx.db.select({ name: products.name, is_active: products.is_active }).from(products).where(eq(products.id, id));
  if (!product) throw unprocessable('That product does not exist.', 'unknown_product');
  if (!product.is_active) throw unprocessable(`${product.name} is no longer sold; choose another product.`, 'product_inactive');
  return product;
}

/**
 * Locks the subscription row, serialising every change to it, its pauses and its one-day changes (two
 * concurrent pauses: the second waits here, then the exclusion constraint refuses an overlap). FOR NO KEY
 * UPDATE, not FOR UPDATE: it must not block the FK checks of a generation run inserting this subscription's orders.
 */
async function lockSubscription(ctx: Ctx, id: string): Promise<Row> {
  await lockPlanShared(ctx);
  await ctx.db.select({ id: subscriptions.id }).from(subscriptions).where(eq(subscriptions.id, id)).for('no key update');
  return getRow(ctx, subscriptionResource, id);
}

/** Locks the subscription (see lockSubscription) and refuses a cancelled one. */
async function lockActive(ctx: Ctx, id: string, what: string): Promise<Row> {
  const sub = await lockSubscription(ctx, id);
  if (sub.status === 'cancelled') throw conflict(`This subscription is cancelled; ${what}.`, 'subscription_cancelled');
  return sub;
}

async function reconcileAndAudit(ctx: Ctx, subscriptionId: string, from: string, to: string | null, today: string) {
  const result = await reconcileOrders(ctx, subscriptionId, from, to, today);
  if (result && result.orders_created + result.orders_cancelled + result.orders_updated > 0) {
    await audit(ctx, { action: 'reconcile', table: 'orders', recordId: subscriptionId, after: result });
  }
  return result;
}

export async function createSubscription(ctx: Ctx, raw: z.input<typeof SubscriptionCreate>, opts: Clock = {}): Promise<Row> {
  // Parsed here too, so the seeds and scripts that call the verb directly get the same validation as the API.
  const input = SubscriptionCreate.parse(raw);
  return transaction(ctx, async (tx) => {
    await lockPlanShared(tx);
    await activeCustomer(tx, input.customer_id);
    await productOnSale(tx, input.product_id);
    const schedule = input.schedule;
    const mask = schedule === 'weekdays' ? (input.weekdays ?? 0) : 0;
    // The composite FK subscriptions_customer_address_fk refuses an address of another customer (422).
    const row = await createRow(tx, subscriptionResource, {
      customer_id: input.customer_id,
      address_id: input.address_id,
      product_id: input.product_id,
      quantity: input.quantity,
      schedule,
      weekdays: mask,
      shift: input.shift,
      start_date: input.start_date,
      end_date: input.end_date,
    });
    // Days already generated get their orders now; later days come from the next generation.
    await reconcileAndAudit(tx, row.id as string, input.start_date, input.end_date ?? null, dayOf(opts));
    return row;
  });
}

export async function updateSubscription(ctx: Ctx, id: string, raw: z.input<typeof SubscriptionUpdate>, opts: Clock = {}): Promise<Row> {
  const input = SubscriptionUpdate.parse(raw);
  return transaction(ctx, async (tx) => {
    const before = await lockActive(tx, id, 'create a new one instead');
    if (input.customer_id && input.customer_id !== before.customer_id) throw unprocessable('The customer of a subscription cannot change; cancel it and create one for the other customer.', 'fixed_field');
    if (input.product_id && input.product_id !== before.product_id) throw unprocessable('The product of a subscription cannot change; cancel it and create a new one.', 'fixed_field');
    if (input.start_date && input.start_date !== before.start_date) throw unprocessable('The start date cannot change (alternate days count from it); cancel and create a new subscription.', 'fixed_field');
    const schedule = input.schedule ?? (before.schedule as string);
    const patch: Row = {};
    if (input.quantity !== undefined) patch.quantity = input.quantity;
    if (input.shift !== undefined) patch.shift = input.shift;
    if (input.end_date !== undefined) patch.end_date = input.end_date;
    if (input.address_id !== undefined) patch.address_id = input.address_id;
    if (input.schedule !== undefined || input.weekdays !== undefined) {
      patch.schedule = schedule;
      // Weekdays only mean something for a weekday schedule; a form may send leftovers for the others.
      const mask = schedule === 'weekdays' ? (input.weekdays ?? (before.weekdays_mask as number)) : 0;
      if (schedule === 'weekdays' && mask === 0) throw unprocessable('Choose at least one weekday.', 'bad_weekdays');
      patch.weekdays = mask;
    }
    const end = input.end_date !== undefined ? input.end_date : (before.end_date as string | null);
    if (end && end < (before.start_date as string)) throw unprocessable('The end date cannot be before the start date.', 'bad_dates');
    const after = await updateRow(tx, subscriptionResource, id, patch);
    const today = dayOf(opts);
    await reconcileAndAudit(tx, id, today, null, today);
    return after;
  });
}

/**
 * Cancels the subscription from tomorrow (IST): its pending orders after today are cancelled (their
 * pending delivery rows stay, and the deliveries module must not confirm a delivery of a cancelled order);
 * today's order, if any, may already be on its way and stays.
 */
export async function cancelSubscription(ctx: Ctx, id: string, opts: Clock = {}): Promise<Row> {
  return transaction(ctx, async (tx) => {
    // Two concurrent cancels: the second waits on the row lock, then sees 'cancelled' and gets a 409.
    const before = await lockSubscription(tx, id);
    if (before.status === 'cancelled') throw conflict('This subscription is already cancelled.', 'already_cancelled');
    await tx.db.update(subscriptions).set({ status: 'cancelled', cancelled_at: new Date() }).where(eq(subscriptions.id, id));
    const after = await getRow(tx, subscriptionResource, id);
    await audit(tx, { action: 'cancel', table: 'subscriptions', recordId: id, before, after });
    const today = dayOf(opts);
    await reconcileAndAudit(tx, id, addDays(today, 1), null, today);
    return after;
  });
}

// ---------------------------------------------------------------------------------------------------
// Pauses
// ---------------------------------------------------------------------------------------------------

export async function pauseSubscription(ctx: Ctx, id: string, raw: z.input<typeof PauseBody>, opts: Clock = {}): Promise<Row> {
  const input = PauseBody.parse(raw);
  return transaction(ctx, async (tx) => {
    await lockActive(tx, id, 'it cannot be paused');
    const today = dayOf(opts);
    if (input.from_date < today) throw unprocessable('A pause cannot start in the past; start it today or later.', 'date_in_past');
    // Overlapping pauses are refused by the exclusion constraint subscription_pauses_no_overlap (409).
    const pause = await createRow(tx, pauseResource, { subscription_id: id, from_date: input.from_date, to_date: input.to_date, reason: input.reason });
    await reconcileAndAudit(tx, id, input.from_date, input.to_date, today);
    return pause;
  });
}

export interface ResumeResult {
  subscription: Row;
  pause: Row;
  action: 'ended' | 'deleted';
}

/**
 * Resumes deliveries from `date` (default today): the pause covering that day ends the day before (or is
 * deleted when it starts that day); with none covering it, the next pause that has not started is deleted.
 */
export async function resumeSubscription(ctx: Ctx, id: string, raw: z.input<typeof ResumeBody> = {}, opts: Clock = {}): Promise<ResumeResult> {
  const input = ResumeBody.parse(raw);
  return transaction(ctx, async (tx) => {
    await lockActive(tx, id, 'there is nothing to resume');
    const today = dayOf(opts);
    const date = input.date ?? today;
    if (date < today) throw unprocessable('Resume from today or a later day.', 'date_in_past');
    const [covering] = await tx.db
      .select({ id: subscriptionPauses.id })
      .from(subscriptionPauses)
      .where(and(eq(subscriptionPauses.subscription_id, id), sql`${date}::date between ${subscriptionPauses.from_date} and ${subscriptionPauses.to_date}`));
    const [upcoming] = covering
      ? []
      : await tx.db
          .select({ id: subscriptionPauses.id })
          .from(subscriptionPauses)
          .where(and(eq(subscriptionPauses.subscription_id, id), sql`${subscriptionPauses.from_date} > ${date}::date`))
          .orderBy(subscriptionPauses.from_date)
          .limit(1);
    const target = covering ?? upcoming;
    if (!target) throw conflict(`This subscription is not paused on ${date} and has no pause coming.`, 'not_paused');
    const pause = await getRow(tx, pauseResource, target.id, { lock: true });
    let action: ResumeResult['action'];
    let result: Row;
    if ((pause.from_date as string) >= date) {
      result = await deleteRow(tx, pauseResource, target.id);
      action = 'deleted';
    } else {
      result = await updateRow(tx, pauseResource, target.id, { to_date: addDays(date, -1) });
      action = 'ended';
    }
    await reconcileAndAudit(tx, id, pause.from_date as string > date ? (pause.from_date as string) : date, pause.to_date as string, today);
    return { subscription: await getRow(tx, subscriptionResource, id), pause: result, action };
  });
}

export async function createPause(ctx: Ctx, input: { subscription_id: string; from_date: string; to_date: string; reason?: string }, opts: Clock = {}): Promise<Row> {
  const { subscription_id, ...body } = input;
  return pauseSubscription(ctx, subscription_id, body, opts);
}

/** Deletes a pause that has not started yet; one that has started is ended with resume instead. */
export async function deletePause(ctx: Ctx, pauseId: string, opts: Clock = {}): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const found = await getRow(tx, pauseResource, pauseId);
    await lockActive(tx, found.subscription_id as string, 'its pauses no longer matter');
    const pause = await getRow(tx, pauseResource, pauseId, { lock: true });
    const today = dayOf(opts);
    if ((pause.from_date as string) <= today) throw conflict('This pause has already started; resume the subscription instead.', 'pause_started');
    const before = await deleteRow(tx, pauseResource, pauseId);
    await reconcileAndAudit(tx, pause.subscription_id as string, pause.from_date as string, pause.to_date as string, today);
    return before;
  });
}

// ---------------------------------------------------------------------------------------------------
// One-day changes
// ---------------------------------------------------------------------------------------------------

function assertChangeable(sub: Row, date: string, today: string) {
  if (date < today) throw unprocessable('That day has passed; a one-day change is for today or a later day.', 'date_in_past');
  if (date < (sub.start_date as string) || (sub.end_date && date > (sub.end_date as string))) {
    const until = sub.end_date ? ` to ${sub.end_date}` : '';
    throw unprocessable(`That day is outside the subscription (from ${sub.start_date}${until}).`, 'outside_subscription');
  }
}

/** A one-day change: quantity 0 skips the day; a quantity on an off-schedule day adds a drop. A pause still wins. */
export async function createOverride(ctx: Ctx, raw: z.input<typeof OverrideCreate>, opts: Clock = {}): Promise<Row> {
  const input = OverrideCreate.parse(raw);
  return transaction(ctx, async (tx) => {
    const sub = await lockActive(tx, input.subscription_id, 'it cannot be changed');
    const today = dayOf(opts);
    assertChangeable(sub, input.date, today);
    // A second change for the same day is refused by subscription_overrides_subscription_date_key (409).
    const row = await createRow(tx, overrideResource, input);
    await reconcileAndAudit(tx, input.subscription_id, input.date, input.date, today);
    return row;
  });
}

async function lockOverride(ctx: Ctx, id: string, today: string): Promise<Row> {
  const found = await getRow(ctx, overrideResource, id);
  const sub = await lockActive(ctx, found.subscription_id as string, 'it cannot be changed');
  const row = await getRow(ctx, overrideResource, id, { lock: true });
  assertChangeable(sub, row.date as string, today);
  return row;
}

export async function updateOverride(ctx: Ctx, id: string, raw: z.input<typeof OverrideUpdate>, opts: Clock = {}): Promise<Row> {
  const input = OverrideUpdate.parse(raw);
  return transaction(ctx, async (tx) => {
    const today = dayOf(opts);
    const row = await lockOverride(tx, id, today);
    const after = await updateRow(tx, overrideResource, id, { quantity: input.quantity });
    await reconcileAndAudit(tx, row.subscription_id as string, row.date as string, row.date as string, today);
    return after;
  });
}

export async function deleteOverride(ctx: Ctx, id: string, opts: Clock = {}): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const today = dayOf(opts);
    const row = await lockOverride(tx, id, today);
    const before = await deleteRow(tx, overrideResource, id);
    await reconcileAndAudit(tx, row.subscription_id as string, row.date as string, row.date as string, today);
    return before;
  });
}

