import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { gatewayEvents, type gatewayPayments, refunds } from '../../../db/schema/index.js';
import { auditRowsRecorded } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { istDate, todayIST } from '../../lib/dates.js';
import { badRequest } from '../../lib/errors.js';
import { isUuid } from '../../lib/rest.js';
import { executePrepared, rowsOf } from '../../lib/sql.js';
import { formatRupees } from '../../../shared/money.js';
import { applyRefundResult } from '../refunds/refunds.service.js';

// The Razorpay webhook's effects (issue 12, item 4). Each event is claimed by its id (x-razorpay-event-id) in the
// transaction that applies it: three copies arriving at once queue on the unique key, the first applies the effect
// and the others find it claimed, so nothing happens twice. Events come in any order: a gateway payment's state only
// moves forward (a conditional update here, the trigger gateway_payments_guard in the database).

/** The refund providers whose refund ids the gateway's refund events name (the fake stands in for Razorpay). */
export const GATEWAY_REFUND_PROVIDERS = ['razorpay', 'fake'] as const;

const text = (max: number) => z.string().max(max);
const PaymentEntity = z.looseObject({
  id: text(100).min(1),
  amount: z.number().int().positive().max(1_000_000_000),
  currency: z.string().default('INR'),
  method: text(40).nullish(),
  email: text(200).nullish(),
  contact: z.union([z.string(), z.number()]).nullish(),
  notes: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).nullish(),
  error_description: z.string().nullish(),
  created_at: z.number().int().nullish(),
});
const RefundEntity = z.looseObject({
  id: text(100).min(1),
  payment_id: text(100).nullish(),
  amount: z.number().int().nullish(),
  status: z.string().nullish(),
  error_description: z.string().nullish(),
});
const Event = z.looseObject({
  event: z.string().min(1).max(60),
  created_at: z.number().int().nullish(),
  payload: z.looseObject({
    payment: z.looseObject({ entity: z.unknown() }).optional(),
    refund: z.looseObject({ entity: z.unknown() }).optional(),
  }),
});

export type WebhookOutcome = 'applied' | 'stale' | 'unmatched' | 'ignored';
export interface WebhookAnswer {
  event_id: string;
  event: string;
  outcome: WebhookOutcome | 'received';
  /** The event was already claimed (a replay or a concurrent copy): nothing was done this time. */
  duplicate: boolean;
  detail: string;
}

const paymentEvents = { 'payment.authorized': 'authorized', 'payment.captured': 'captured', 'payment.failed': 'failed' } as const;
type Target = (typeof paymentEvents)[keyof typeof paymentEvents];

/** JSON that PostgreSQL's jsonb takes: no NUL (\u0000) anywhere. */
function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(hasNul);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => k.includes('\u0000') || hasNul(v));
  return false;
}

/**
 * Applies one verified event (its body already checked against the signature). Garbage inside a signed body is a 400
 * with nothing stored; an event we do not act on is kept as ignored (200), so the gateway stops sending it.
 */
export async function receiveWebhook(ctx: Ctx, eventId: string | undefined, body: string): Promise<WebhookAnswer> {
  if (!eventId || eventId.length > 100 || !/^[\x21-\x7e]+$/.test(eventId)) throw badRequest('The x-razorpay-event-id header is missing or not an event id.', 'bad_event');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw badRequest('The body is not JSON.', 'bad_event');
  }
  const parsed = Event.safeParse(json);
  if (!parsed.success || hasNul(json)) throw badRequest('The body is not a Razorpay event (event, payload).', 'bad_event');
  const event = parsed.data;
  const paymentEntity = event.payload.payment ? PaymentEntity.safeParse(event.payload.payment.entity) : undefined;
  const refundEntity = event.payload.refund ? RefundEntity.safeParse(event.payload.refund.entity) : undefined;
  const payment = paymentEntity?.success ? paymentEntity.data : undefined;
  const refund = refundEntity?.success ? refundEntity.data : undefined;
  const target = event.event in paymentEvents ? paymentEvents[event.event as keyof typeof paymentEvents] : undefined;
  // The payload is stored as it came (the signed text; jsonb reads it as JSON.parse did, NUL refused above).
  if (target && payment?.currency === 'INR') return applyPaymentEvent(ctx, eventId, event.event, body, refund?.id ?? null, target, payment, event.created_at ?? null);

  return transaction(ctx, async (tx) => {
    // Claim the event: a copy committed first makes this insert do nothing; a copy in flight makes it wait for that one.
    const [claimed] = await tx.db
      .insert(gatewayEvents)
      .values({
        event_id: eventId,
        event: event.event,
        gateway_payment_id: payment?.id ?? refund?.payment_id ?? null,
        gateway_refund_id: refund?.id ?? null,
        payload: json as object,
      })
      .onConflictDoNothing({ target: gatewayEvents.event_id })
      .returning({ id: gatewayEvents.id });
    if (!claimed) {
      const [seen] = await tx.db.select({ event: gatewayEvents.event, outcome: gatewayEvents.outcome, detail: gatewayEvents.detail }).from(gatewayEvents).where(eq(gatewayEvents.event_id, eventId));
      return { event_id: eventId, event: seen?.event ?? event.event, outcome: seen?.outcome ?? 'received', duplicate: true, detail: 'Already received: nothing was done again.' };
    }
    let result: { outcome: WebhookOutcome; detail: string };
    if (target) {
      result = payment
        ? { outcome: 'ignored', detail: `A payment in ${payment.currency.slice(0, 3)}: Milkrun takes INR only.` }
        : { outcome: 'ignored', detail: 'The event carries no readable payment entity.' };
    } else if (event.event === 'refund.processed' || event.event === 'refund.failed') {
      result = refund ? await applyRefundEvent(tx, event.event === 'refund.processed' ? 'processed' : 'failed', refund) : { outcome: 'ignored', detail: 'The event carries no readable refund entity.' };
    } else {
      result = { outcome: 'ignored', detail: `Milkrun does not act on ${event.event} events.` };
    }
    await tx.db.update(gatewayEvents).set({ outcome: result.outcome, detail: result.detail.slice(0, 500) }).where(eq(gatewayEvents.id, claimed.id));
    return { event_id: eventId, event: event.event, ...result, duplicate: false };
  });
}

type PaymentEntity = z.infer<typeof PaymentEntity>;

/** What the payment's notes say of the customer, and the id to look up when it is a UUID. */
function customerOf(notes: PaymentEntity['notes']): { candidate: string | null; said: string | null } {
  const raw = notes && !Array.isArray(notes) ? notes.customer_id : undefined;
  const said = typeof raw === 'string' || typeof raw === 'number' ? String(raw).slice(0, 100) : null;
  return { candidate: said && isUuid(said) ? said : null, said };
}

const when = (unix: number | null) => (unix && unix > 946684800 && unix * 1000 <= Date.now() ? new Date(unix * 1000) : new Date());

/**
 * A payment event in INR, applied in one statement (the database function gateway_payment_event, migration 0058): the
 * claim on its id, the gateway payment written or moved forward only, a capture of a known customer recorded as their
 * payment, the audit rows and the event's outcome, in one transaction with one round trip; a copy answers duplicate.
 */
async function applyPaymentEvent(
  ctx: Ctx,
  eventId: string,
  eventName: string,
  payload: string,
  refundId: string | null,
  target: Target,
  p: PaymentEntity,
  eventAt: number | null,
): Promise<WebhookAnswer> {
  const customer = customerOf(p.notes);
  const at = when(eventAt ?? p.created_at ?? null);
  const failure = target === 'failed' ? (p.error_description || 'The gateway reported the payment failed.').slice(0, 500) : null;
  const [r] = rowsOf<{ duplicate: boolean; event: string; outcome: WebhookOutcome; detail: string; audit_rows: number }>(
    // Prepared: PostgreSQL plans the call once per connection, and each event is one round trip (not describe first).
    await executePrepared(ctx.db, 'gateway_payment_event', sql`select duplicate, event, outcome, detail, audit_rows from gateway_payment_event(
      ${eventId}, ${eventName}, ${payload}::jsonb, ${refundId}, ${target}::payment_status,
      ${p.id}, ${p.amount}::bigint, ${p.method ?? null}, ${p.email ?? null}, ${p.contact == null ? null : String(p.contact).slice(0, 40)},
      ${customer.candidate}::uuid, ${customer.said}, ${at.toISOString()}::timestamptz, ${failure},
      ${todayIST()}::date, ${formatRupees(p.amount)}, ${ctx.actor?.id ?? null}::uuid, ${ctx.requestId})`),
  );
  auditRowsRecorded(ctx, Number(r.audit_rows));
  return { event_id: eventId, event: r.event, outcome: r.outcome, duplicate: r.duplicate === true || String(r.duplicate) === 't', detail: r.detail };
}

/**
 * A captured gateway payment of a known customer becomes a payment (method gateway, its id as the reference),
 * settling the customer's oldest invoices first, the rest wallet credit, under the customer's money lock, once, with
 * its audit rows and the customer's receipt. Returns the payment's id when it was recorded now. Runs in the caller's
 * transaction, the gateway payment (as just written) locked. One statement: the database function
 * record_gateway_payment (migration 0058) runs what were ten round trips, under the same triggers.
 */
export async function recordIfCaptured(tx: Ctx, gp: typeof gatewayPayments.$inferSelect): Promise<string | null> {
  if (gp.status !== 'captured' || !gp.customer_id || gp.payment_id) return null;
  if (!tx.inTx) throw new Error('recordIfCaptured must run inside the transaction that locked the gateway payment');
  const today = todayIST();
  const receivedOn = gp.captured_at ? istDate(gp.captured_at) : today;
  const [recorded] = rowsOf<{ recorded_payment: string | null; audit_rows: number }>(
    await tx.db.execute(sql`select recorded_payment, audit_rows from record_gateway_payment(${gp.id}::uuid, ${receivedOn > today ? today : receivedOn}::date,
      ${formatRupees(Number(gp.amount_paise))}, ${tx.actor?.id ?? null}::uuid, ${tx.requestId})`),
  );
  if (!recorded?.recorded_payment) return null;
  auditRowsRecorded(tx, Number(recorded.audit_rows));
  return recorded.recorded_payment;
}

type RefundEntity = z.infer<typeof RefundEntity>;

async function applyRefundEvent(tx: Ctx, outcome: 'processed' | 'failed', r: RefundEntity): Promise<{ outcome: WebhookOutcome; detail: string }> {
  const [found] = await tx.db
    .select({ id: refunds.id, provider: refunds.provider, payment_id: refunds.payment_id })
    .from(refunds)
    .where(and(sql`${refunds.provider} in ('razorpay', 'fake')`, eq(refunds.provider_refund_id, r.id)));
  if (!found?.provider) return { outcome: 'ignored', detail: `No refund of ours has the gateway id ${r.id}.` };
  const { changed, refund } = await applyRefundResult(tx, {
    provider: found.provider,
    provider_refund_id: r.id,
    outcome,
    reason: outcome === 'failed' ? r.error_description || undefined : undefined,
  });
  if (!changed) return { outcome: 'stale', detail: `Refund ${r.id} is already ${String(refund.status)}: a refund.${outcome} event changes nothing.` };
  if (outcome === 'processed') await markRefundedWhenWhole(tx, found.payment_id);
  return { outcome: 'applied', detail: `Refund ${r.id} is ${outcome}.` };
}

/** A gateway payment whose processed refunds add up to all of it is refunded (forward only: from captured). */
async function markRefundedWhenWhole(tx: Ctx, paymentId: string): Promise<void> {
  await tx.db.execute(sql`update gateway_payments g set status = 'refunded'
    where g.payment_id = ${paymentId} and g.status = 'captured'
      and g.amount_paise <= (select coalesce(sum(r.amount_paise), 0) from refunds r where r.payment_id = ${paymentId} and r.status = 'processed')`);
}
