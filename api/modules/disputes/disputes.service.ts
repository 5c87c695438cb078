import { eq, sql } from 'drizzle-orm';
import { deliveries, disputes, payments, users } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import { nowOf, transaction, type Ctx } from '../../lib/context.js';
import { getRow, type Row } from '../../lib/crud.js';
import { conflict, forbidden, unprocessable } from '../../lib/errors.js';
import { findPermission } from '../../lib/access.js';
import { assertWithinAmount } from '../../lib/permission-catalog.js';
import { rowsOf } from '../../lib/sql.js';
import { formatRupees } from '../../../shared/money.js';
import { createOneTimeOrder } from '../orders/orders.service.js';
import { requestRefund } from '../refunds/refunds.service.js';
import { grantPromo } from '../wallets/wallets.service.js';
import type { DisputeCreate, DisputePatch, Resolve } from './disputes.schemas.js';
import { notifyCustomer, notifyRole } from '../notifications/outbox.js';
import { nextSupportAssignee } from './assignment.js';
import { activity, allowedMoves, assertVersion, disputeResource, lockDispute, slaDue, slaOnMove, statusLabel, writeMessage } from './disputes.thread.js';

// Support's disputes (issue 13). Every verb runs in one transaction: the change, its activity entry in the thread and
// its audit row commit together. Two agents changing one dispute at once: the row lock queues the second, which then
// finds the version it read gone and gets a 409 (assertVersion); the database bumps the version on every change.

const label = (s: unknown) => statusLabel[String(s)] ?? String(s);

/** The order a delivery belongs to (the dispute carries it: its composite key binds the delivery to the customer). */
async function deliveryOrder(tx: Ctx, deliveryId: string | null | undefined): Promise<string | null> {
  if (!deliveryId) return null;
  const [d] = await tx.db.select({ order_id: deliveries.order_id }).from(deliveries).where(eq(deliveries.id, deliveryId));
  if (!d) throw unprocessable('That delivery does not exist.', 'unknown_delivery');
  return d.order_id;
}

async function assertAssignee(tx: Ctx, userId: string | null | undefined) {
  if (!userId) return;
  const [u] = await tx.db.select({ is_active: users.is_active }).from(users).where(eq(users.id, userId));
  if (!u) throw unprocessable('That user does not exist.', 'unknown_user');
  if (!u.is_active) throw unprocessable('That user is deactivated: assign the dispute to someone active.', 'user_inactive');
}

/** Opens a dispute: the complaint as its first message (the customer's words), an activity entry, the audit row. */
export async function createDispute(ctx: Ctx, input: DisputeCreate): Promise<Row> {
  return transaction(ctx, async (tx) => {
    await assertAssignee(tx, input.assignee_id);
    // No assignee named (undefined; null means "leave it unassigned"): the next support user in turn.
    const assigneeId = input.assignee_id === undefined ? await nextSupportAssignee(tx) : input.assignee_id;
    const now = nowOf(tx);
    const due = await slaDue(tx, { priority: input.priority, created_at: now, paused_minutes: 0, paused: false });
    const [created] = await tx.db
      .insert(disputes)
      .values({
        ...due,
        created_at: now,
        customer_id: input.customer_id,
        category: input.category,
        subject: input.subject,
        priority: input.priority,
        assignee_id: assigneeId,
        delivery_id: input.delivery_id ?? null,
        delivery_order_id: await deliveryOrder(tx, input.delivery_id),
        order_id: input.order_id ?? null,
        invoice_id: input.invoice_id ?? null,
        created_by: tx.actor?.id ?? null,
      })
      .returning({ id: disputes.id });
    const row = await getRow(tx, disputeResource, created.id);
    await writeMessage(tx, row, { kind: 'customer_message', body: input.body, byCustomer: true });
    const turn = assigneeId && input.assignee_id === undefined ? ` Assigned to ${await names(tx, assigneeId)} (round-robin).` : '';
    await activity(tx, row, `Opened by ${tx.actor?.name ?? 'the system'} (${input.category.replace(/_/g, ' ')}, ${input.priority} priority).${turn}`);
    // The customer hears it was taken, in the same transaction (the outbox row exists exactly when the dispute does).
    await notifyCustomer(tx.db, input.customer_id, 'dispute.opened', { dispute_number: row.number, subject: input.subject }, `dispute-opened:${created.id}`);
    const after = await getRow(tx, disputeResource, created.id);
    await audit(tx, { action: 'create', table: 'disputes', recordId: created.id, after });
    return after;
  });
}

export function getDispute(ctx: Ctx, id: string): Promise<Row> {
  return getRow(ctx, disputeResource, id);
}

const names = async (tx: Ctx, id: unknown) =>
  id ? ((await tx.db.select({ name: users.name }).from(users).where(eq(users.id, id as string)))[0]?.name ?? 'someone') : 'nobody';

/** Subject, category, priority, assignee and links, at the version read; an activity entry for each change. */
export async function updateDispute(ctx: Ctx, id: string, input: DisputePatch): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const before = await lockDispute(tx, id);
    assertVersion(before, input.version);
    const patch: Partial<typeof disputes.$inferInsert> = {};
    const entries: string[] = [];
    const who = tx.actor?.name ?? 'the system';
    if (input.subject !== undefined && input.subject !== before.subject) {
      patch.subject = input.subject;
      entries.push(`Subject changed by ${who}: “${before.subject}” → “${input.subject}”.`);
    }
    if (input.category !== undefined && input.category !== before.category) {
      patch.category = input.category;
      entries.push(`Category changed by ${who}: ${String(before.category).replace(/_/g, ' ')} → ${input.category.replace(/_/g, ' ')}.`);
    }
    if (input.priority !== undefined && input.priority !== before.priority) {
      patch.priority = input.priority;
      // The new priority's targets, counted from the opening as before (pauses still count out).
      Object.assign(patch, await slaDue(tx, { priority: input.priority, created_at: new Date(before.created_at as string), paused_minutes: Number(before.paused_minutes), paused: before.status === 'awaiting_customer' }));
      entries.push(`Priority changed by ${who}: ${before.priority} → ${input.priority}.`);
    }
    if (input.assignee_id !== undefined && input.assignee_id !== before.assignee_id) {
      await assertAssignee(tx, input.assignee_id);
      patch.assignee_id = input.assignee_id;
      entries.push(input.assignee_id ? `Assigned to ${await names(tx, input.assignee_id)} by ${who}.` : `Unassigned by ${who} (was ${before.assignee_name}).`);
    }
    if (input.delivery_id !== undefined && input.delivery_id !== before.delivery_id) {
      patch.delivery_id = input.delivery_id;
      patch.delivery_order_id = await deliveryOrder(tx, input.delivery_id);
      entries.push(input.delivery_id ? `Delivery linked by ${who}.` : `Delivery unlinked by ${who}.`);
    }
    if (input.order_id !== undefined && input.order_id !== before.order_id) {
      patch.order_id = input.order_id;
      entries.push(input.order_id ? `Order linked by ${who}.` : `Order unlinked by ${who}.`);
    }
    if (input.invoice_id !== undefined && input.invoice_id !== before.invoice_id) {
      patch.invoice_id = input.invoice_id;
      entries.push(input.invoice_id ? `Invoice linked by ${who}.` : `Invoice unlinked by ${who}.`);
    }
    if (entries.length === 0) return before;
    await tx.db.update(disputes).set(patch).where(eq(disputes.id, id));
    for (const entry of entries) await activity(tx, before, entry);
    const after = await getRow(tx, disputeResource, id);
    await audit(tx, { action: 'update', table: 'disputes', recordId: id, before, after });
    return after;
  });
}

/** The thread: this dispute's messages and those of the disputes merged into it (at any depth), by time. */
export async function listMessages(ctx: Ctx, id: string): Promise<Row[]> {
  await getRow(ctx, disputeResource, id);
  return rowsOf<Row>(
    await ctx.db.execute(sql`
      with recursive thread(id) as (
        select ${id}::uuid
        union
        select d.id from disputes d join thread t on d.merged_into_id = t.id
      )
      select m.id, m.dispute_id, m.customer_id, m.kind, m.author_user_id, m.author_customer_id, m.body,
             to_json(m.created_at) #>> '{}' as created_at,
             coalesce((select u.name from users u where u.id = m.author_user_id), (select c.name from customers c where c.id = m.author_customer_id)) as author_name,
             (select d.number from disputes d where d.id = m.dispute_id) as dispute_number
      from dispute_messages m
      where m.dispute_id in (select id from thread)
      order by m.created_at, m.seq
      limit 2000`),
  ).map((r) => ({ ...r, dispute_number: Number(r.dispute_number) }));
}

/**
 * A message from support: an internal note (never sent) or a public reply (to the customer), which moves an open or
 * awaiting-support dispute to awaiting_customer and stamps the first response.
 */
export async function addMessage(ctx: Ctx, id: string, input: { body: string; internal: boolean }): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const before = await lockDispute(tx, id);
    const messageId = await writeMessage(tx, before, { kind: input.internal ? 'internal_note' : 'public_reply', body: input.body });
    if (!input.internal) {
      const patch: Partial<typeof disputes.$inferInsert> = {};
      if (!before.first_response_at) patch.first_response_at = nowOf(tx);
      if (before.status === 'open' || before.status === 'awaiting_support') {
        patch.status = 'awaiting_customer';
        Object.assign(patch, await slaOnMove(tx, before, 'awaiting_customer'));
        await activity(tx, before, `Status: ${label(before.status)} → awaiting the customer (a reply by ${tx.actor?.name ?? 'support'}).`);
      }
      if (Object.keys(patch).length) await tx.db.update(disputes).set(patch).where(eq(disputes.id, id));
      // The reply goes to the customer through the outbox, committed with the reply or not at all.
      await notifyCustomer(tx.db, before.customer_id as string, 'dispute.reply', { dispute_number: before.number, subject: before.subject, body: input.body }, `dispute-message:${messageId}`);
    }
    const after = await getRow(tx, disputeResource, id);
    await audit(tx, { action: input.internal ? 'note' : 'reply', table: 'disputes', recordId: id, before, after: { ...after, message_id: messageId, body: input.body } });
    const [message] = (await listMessages(tx, id)).filter((m) => m.id === messageId);
    return message;
  });
}

const moveRefused = (row: Row, to: string, allowed: string[]) =>
  conflict(
    `Dispute ${row.number} is ${label(row.status)}: it cannot move to ${label(to)}. Allowed: ${allowed.length ? allowed.map(label).join(', ') : 'none (closed is final)'}.`,
    'transition_not_allowed',
  );

/** A move by hand (the table of allowed moves decides; resolving goes through resolve, with its outcome). */
export async function transitionDispute(ctx: Ctx, id: string, input: { to: string; version: number }): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const before = await lockDispute(tx, id, { allowClosed: true });
    const allowed = await allowedMoves(tx, String(before.status));
    if (before.status === 'closed' || !allowed.includes(input.to)) {
      const err = moveRefused(before, input.to, allowed);
      err.extra.allowed = allowed;
      throw err;
    }
    assertVersion(before, input.version);
    if (input.to === 'resolved') {
      throw conflict('A dispute is resolved with its outcome (refund, wallet credit, redelivery or explanation): use Resolve.', 'resolve_with_outcome');
    }
    const patch: Partial<typeof disputes.$inferInsert> = { status: input.to as never, ...(await slaOnMove(tx, before, input.to)) };
    if (input.to === 'closed') patch.closed_at = nowOf(tx);
    // Reopened: the outcome no longer stands (a redelivery's order stays linked).
    if (before.status === 'resolved' && input.to === 'awaiting_support') Object.assign(patch, { outcome: null, outcome_note: null, resolved_at: null });
    await tx.db.update(disputes).set(patch).where(eq(disputes.id, id));
    await activity(tx, before, `Status: ${label(before.status)} → ${label(input.to)} (by ${tx.actor?.name ?? 'the system'}).`);
    const after = await getRow(tx, disputeResource, id);
    await audit(tx, { action: 'transition', table: 'disputes', recordId: id, before, after });
    return after;
  });
}

/**
 * Merges `otherId` into `id`: the same customer's duplicate is closed as merged with a pointer here, its thread shows
 * in this one by time (listMessages follows the pointers), and links this dispute lacks are taken from it.
 */
export async function mergeDisputes(ctx: Ctx, id: string, input: { other_id: string; version?: number }): Promise<Row> {
  if (id === input.other_id) throw unprocessable('A dispute cannot be merged into itself.', 'merge_self');
  return transaction(ctx, async (tx) => {
    // Both rows locked in id order: two merges of the same pair in opposite directions never wait on each other crosswise.
    const [first, second] = [id, input.other_id].sort();
    const locked = new Map<string, Row>();
    for (const key of [first, second]) locked.set(key, await lockDispute(tx, key));
    const target = locked.get(id)!;
    const other = locked.get(input.other_id)!;
    assertVersion(target, input.version);
    if (target.customer_id !== other.customer_id) {
      throw unprocessable(`Dispute ${other.number} is ${other.customer_name}'s, not ${target.customer_name}'s: only one customer's disputes merge.`, 'merge_other_customer');
    }
    const links: Partial<typeof disputes.$inferInsert> = {};
    const taken: string[] = [];
    if (!target.delivery_id && other.delivery_id) Object.assign(links, { delivery_id: other.delivery_id, delivery_order_id: other.delivery_order_id }) && taken.push('delivery');
    if (!target.order_id && other.order_id) (links.order_id = other.order_id as string) && taken.push('order');
    if (!target.invoice_id && other.invoice_id) (links.invoice_id = other.invoice_id as string) && taken.push('invoice');
    await tx.db
      .update(disputes)
      .set({ ...(await slaOnMove(tx, other, 'closed')), status: 'closed', closed_at: nowOf(tx), outcome: 'merged', merged_into_id: id, resolved_at: null, outcome_note: `Merged into dispute ${target.number}` })
      .where(eq(disputes.id, input.other_id));
    if (taken.length) await tx.db.update(disputes).set(links).where(eq(disputes.id, id));
    const who = tx.actor?.name ?? 'the system';
    await activity(tx, other, `Merged into dispute ${target.number} by ${who}: closed, its thread continues there.`);
    await activity(tx, target, `Dispute ${other.number} merged into this one by ${who}${taken.length ? `; its ${taken.join(', ')} link${taken.length > 1 ? 's' : ''} added here` : ''}.`);
    const after = await getRow(tx, disputeResource, id);
    const otherAfter = await getRow(tx, disputeResource, input.other_id);
    await audit(tx, { action: 'merge', table: 'disputes', recordId: input.other_id, before: other, after: otherAfter });
    await audit(tx, { action: 'merge-into', table: 'disputes', recordId: id, before: target, after });
    return after;
  });
}

/** What the linked delivery fell short of (ordered minus delivered), or its order's items when nothing was delivered. */
async function shortfall(tx: Ctx, dispute: Row): Promise<{ product_id: string; quantity: number }[]> {
  if (!dispute.delivery_id) return [];
  const short = rowsOf<{ product_id: string; quantity: number }>(
    await tx.db.execute(sql`select oi.product_id, (oi.quantity - coalesce(di.quantity, 0))::int as quantity
      from order_items oi left join delivery_items di on di.order_item_id = oi.id
      where oi.order_id = ${dispute.delivery_order_id} and oi.quantity - coalesce(di.quantity, 0) > 0 order by oi.id`),
  );
  return short;
}

/**
 * Resolves with an outcome, never moving money itself: explanation (resolved now); wallet credit (a promotional lot
 * through the wallet service, under its own permission and limit); redelivery (a one-time order at no charge for what
 * was missing, linked); refund (a request in the refund queue, linked both ways: the dispute waits, and is resolved
 * when the refund is approved or handed back to support when it is rejected: disputes.refund-hook.ts).
 */
export async function resolveDispute(ctx: Ctx, id: string, input: Resolve): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const before = await lockDispute(tx, id);
    assertVersion(before, input.version);
    const allowed = await allowedMoves(tx, String(before.status));
    if (!allowed.includes('resolved')) throw moveRefused(before, 'resolved', allowed);
    if (before.refund_status === 'requested') {
      throw conflict(`Dispute ${before.number} already waits for a refund of ${formatRupees(Number(before.refund_amount_paise))}: it is resolved when that is approved.`, 'refund_pending');
    }
    const who = tx.actor?.name ?? 'the system';
    const customerId = before.customer_id as string;
    const resolved = async (extra: Partial<typeof disputes.$inferInsert> = {}) =>
      tx.db
        .update(disputes)
        .set({ ...(await slaOnMove(tx, before, 'resolved')), status: 'resolved', outcome: input.outcome, outcome_note: input.note, resolved_at: nowOf(tx), ...extra })
        .where(eq(disputes.id, id));
    let detail: Record<string, unknown> = {};
    switch (input.outcome) {
      case 'explanation':
        await resolved();
        await activity(tx, before, `Resolved by ${who} with an explanation: ${input.note}`);
        break;
      case 'wallet_credit': {
        // Finance's wallets promo grant, or support's bounded goodwill credit (disputes credit, at most its
        // max_amount_paise: Rs 500 as migrated); above it the dispute waits for finance or an admin to resolve it.
        const viaDispute = !findPermission(tx.actor?.permissions ?? [], 'wallets', 'promo');
        if (viaDispute) {
          const grant = tx.actor ? findPermission(tx.actor.permissions, 'disputes', 'credit') : undefined;
          if (!grant) throw forbidden('Your role may not give wallet credit: resolve with another outcome, or ask finance.');
          assertWithinAmount(grant, input.amount_paise);
        }
        const wallet = await grantPromo(
          tx,
          customerId,
          { amount_paise: input.amount_paise, expires_on: input.expires_on, note: `Dispute ${before.number}: ${input.note}`.slice(0, 200) },
          viaDispute ? { authorizedBy: 'disputes.credit' } : {},
        );
        detail = { wallet_lot_id: wallet.lot_id };
        await resolved();
        await activity(tx, before, `Resolved by ${who} with wallet credit of ${formatRupees(input.amount_paise)}: ${input.note}`);
        break;
      }
      case 'redelivery': {
        const items = input.items ?? (await shortfall(tx, before));
        if (!items.length) throw unprocessable('Name the items to deliver again: the dispute has no delivery that fell short.', 'items_required');
        const addressId =
          input.address_id ??
          rowsOf<{ id: string }>(
            await tx.db.execute(sql`select coalesce((select o.address_id from orders o where o.id = ${before.delivery_order_id ?? before.order_id ?? null}::uuid),
              (select a.id from addresses a where a.customer_id = ${customerId} order by a.is_default desc, a.created_at limit 1)) as id`),
          )[0]?.id;
        if (!addressId) throw unprocessable('The customer has no address to deliver to.', 'address_required');
        const order = await createOneTimeOrder(
          tx,
          { customer_id: customerId, address_id: addressId, delivery_date: input.delivery_date, shift: input.shift ?? 'morning', note: `Redelivery for dispute ${before.number}`, items },
          { noCharge: true },
        );
        detail = { redelivery_order_id: order.id };
        await resolved({ redelivery_order_id: order.id as string });
        await activity(tx, before, `Resolved by ${who} with a redelivery on ${input.delivery_date} at no charge (${items.length} item${items.length > 1 ? 's' : ''}): ${input.note}`);
        break;
      }
      case 'refund': {
        const [payment] = await tx.db.select({ customer_id: payments.customer_id }).from(payments).where(eq(payments.id, input.payment_id));
        if (!payment || payment.customer_id !== customerId) throw unprocessable(`That payment is not ${before.customer_name}'s.`, 'payment_not_of_customer');
        const refund = await requestRefund(
          tx,
          { payment_id: input.payment_id, amount_paise: input.amount_paise, reason: input.reason, destination: input.destination, note: `Dispute ${before.number}: ${input.note}`.slice(0, 1000), invoice_id: input.invoice_id },
          { disputeId: id },
        );
        detail = { refund_id: refund.id };
        await activity(tx, before, `Refund of ${formatRupees(input.amount_paise)} requested by ${who} (waits for approval in the refund queue): ${input.note}`);
        break;
      }
    }
    const after = await getRow(tx, disputeResource, id);
    if (input.outcome !== 'refund') {
      const outcome = { explanation: 'an explanation', wallet_credit: `a wallet credit of ${formatRupees(Number((input as { amount_paise?: number }).amount_paise ?? 0))}`, redelivery: 'a redelivery at no charge' }[input.outcome];
      await notifyCustomer(tx.db, customerId, 'dispute.resolved', { dispute_number: before.number, subject: before.subject, outcome, note: input.note }, `dispute-resolved:${id}:${after.version}`);
    }
    await audit(tx, { action: input.outcome === 'refund' ? 'refund-requested' : 'resolve', table: 'disputes', recordId: id, before, after: { ...after, ...detail } });
    return after;
  });
}

const PRIORITY_UP: Record<string, string> = { low: 'normal', normal: 'high', high: 'urgent', urgent: 'urgent' };

/**
 * The SLA breach job: each dispute still open whose first reply or resolution is past due, not yet escalated, goes up
 * one priority step (urgent stays urgent), with its new targets, an activity entry and an audit row, once. Claimed
 * with FOR UPDATE SKIP LOCKED in batches, so any number of API processes may run it at the same moment.
 */
export async function escalateBreaches(ctx: Ctx, opts: { batch?: number } = {}): Promise<{ escalated: number }> {
  const batch = opts.batch ?? 100;
  let escalated = 0;
  for (;;) {
    const done = await transaction(ctx, async (tx) => {
      const now = nowOf(tx);
      const at = now.toISOString();
      const due = rowsOf<{ id: string }>(
        await tx.db.execute(sql`select id from disputes
          where escalated_at is null and status in ('open', 'awaiting_customer', 'awaiting_support')
            and ((first_response_at is null and status in ('open', 'awaiting_support') and first_response_due_at < ${at}::timestamptz)
              or resolution_due_at < ${at}::timestamptz)
          order by created_at, id limit ${batch} for update skip locked`),
      );
      for (const { id } of due) {
        const before = await getRow(tx, disputeResource, id);
        const firstLate = !before.first_response_at && before.first_response_due_at && new Date(before.first_response_due_at as string) < now;
        const priority = PRIORITY_UP[String(before.priority)];
        const patch: Partial<typeof disputes.$inferInsert> = { escalated_at: now, priority: priority as never };
        if (priority !== before.priority) {
          Object.assign(patch, await slaDue(tx, { priority, created_at: new Date(before.created_at as string), paused_minutes: Number(before.paused_minutes), paused: before.status === 'awaiting_customer' }));
        }
        await tx.db.update(disputes).set(patch).where(eq(disputes.id, id));
        await activity(
          tx,
          before,
          `SLA breached (${firstLate ? 'first response' : 'resolution'} was due ${new Date((firstLate ? before.first_response_due_at : before.resolution_due_at) as string).toISOString()}): ${priority === before.priority ? 'already urgent' : `escalated to ${priority} priority`}.`,
        );
        // The managers hear of it by email, in the escalation's transaction (once: escalated_at and the dedupe key).
        await notifyRole(tx.db, 'manager', 'dispute.escalated', {
          dispute_number: before.number,
          customer_name: before.customer_name,
          subject: before.subject,
          priority,
          breach: firstLate ? 'first response' : 'resolution',
          due_at: new Date((firstLate ? before.first_response_due_at : before.resolution_due_at) as string).toLocaleString('en-IN', { timeZone: 'Asia/Kolkata', dateStyle: 'medium', timeStyle: 'short' }),
          assignee_name: before.assignee_name ?? 'nobody',
        }, `dispute-escalated:${id}`);
        await audit(tx, { action: 'escalate', table: 'disputes', recordId: id, before, after: await getRow(tx, disputeResource, id) });
      }
      return due.length;
    });
    escalated += done;
    if (done < batch) break;
  }
  return { escalated };
}

/** A resolved dispute the customer does not answer closes by itself this long after its resolution. */
export const CLOSE_RESOLVED_AFTER_DAYS = 7;

/**
 * Closes each dispute resolved more than CLOSE_RESOLVED_AFTER_DAYS ago (a customer's answer would have reopened it),
 * with an activity entry and an audit row; claimed with FOR UPDATE SKIP LOCKED, so several processes may run it.
 */
export async function closeStaleResolved(ctx: Ctx, opts: { batch?: number } = {}): Promise<{ closed: number }> {
  const batch = opts.batch ?? 100;
  let closed = 0;
  for (;;) {
    const done = await transaction(ctx, async (tx) => {
      const now = nowOf(tx);
      const cutoff = new Date(now.getTime() - CLOSE_RESOLVED_AFTER_DAYS * 86_400_000).toISOString();
      const due = rowsOf<{ id: string }>(
        await tx.db.execute(sql`select id from disputes where status = 'resolved' and resolved_at < ${cutoff}::timestamptz
          order by resolved_at, id limit ${batch} for update skip locked`),
      );
      for (const { id } of due) {
        const before = await getRow(tx, disputeResource, id);
        await tx.db.update(disputes).set({ status: 'closed', closed_at: now }).where(eq(disputes.id, id));
        await activity(tx, before, `Closed automatically: ${CLOSE_RESOLVED_AFTER_DAYS} days since it was resolved, without a reply.`);
        await audit(tx, { action: 'auto-close', table: 'disputes', recordId: id, before, after: await getRow(tx, disputeResource, id) });
      }
      return due.length;
    });
    closed += done;
    if (done < batch) break;
  }
  return { closed };
}

/** Within this long of its resolution, a customer's message reopens a resolved dispute; later, it opens a new one. */
export const REOPEN_WITHIN_DAYS = 7;

/**
 * A message from the customer (told on the phone, or brought by the WhatsApp webhook): the ball is support's again.
 * On an open dispute it moves it to awaiting_support (resuming the resolution clock if it was waiting on the
 * customer); on one resolved within REOPEN_WITHIN_DAYS it reopens it (awaiting_support, the outcome no longer
 * standing); on one resolved longer ago, or closed, it opens a new dispute that follows the old one (same category,
 * subject and links). Answers the dispute the message landed on.
 */
export async function customerMessage(ctx: Ctx, id: string, input: { body: string }): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const before = await lockDispute(tx, id, { allowClosed: true });
    // Merged away: the thread goes on in the dispute it was merged into.
    if (before.merged_into_id) return customerMessage(tx, before.merged_into_id as string, input);
    const now = nowOf(tx);
    const recent = before.status === 'resolved' && now.getTime() - new Date(before.resolved_at as string).getTime() <= REOPEN_WITHIN_DAYS * 86_400_000;
    if (before.status === 'closed' || (before.status === 'resolved' && !recent)) {
      const origin = before;
      const created = await createDispute(tx, {
        customer_id: origin.customer_id as string,
        category: origin.category as DisputeCreate['category'],
        subject: String(`Again: ${origin.subject}`).slice(0, 200),
        body: input.body,
        priority: origin.priority as DisputeCreate['priority'],
        delivery_id: (origin.delivery_id as string | null) ?? undefined,
        order_id: (origin.order_id as string | null) ?? undefined,
        invoice_id: (origin.invoice_id as string | null) ?? undefined,
      });
      await tx.db.update(disputes).set({ follows_id: origin.id as string }).where(eq(disputes.id, created.id as string));
      await activity(tx, created, `Opened by the customer's message on dispute ${origin.number} (${origin.status === 'closed' ? 'closed' : `resolved over ${REOPEN_WITHIN_DAYS} days ago`}).`);
      const after = await getRow(tx, disputeResource, created.id as string);
      await audit(tx, { action: 'follow-up', table: 'disputes', recordId: created.id as string, before: null, after: { ...after, follows: origin.id } });
      return after;
    }
    await writeMessage(tx, before, { kind: 'customer_message', body: input.body, byCustomer: true });
    if (before.status !== 'awaiting_support') {
      const patch: Partial<typeof disputes.$inferInsert> = { status: 'awaiting_support', ...(await slaOnMove(tx, before, 'awaiting_support')) };
      // Reopened: the outcome no longer stands (a redelivery's order stays linked).
      if (before.status === 'resolved') Object.assign(patch, { outcome: null, outcome_note: null, resolved_at: null });
      await tx.db.update(disputes).set(patch).where(eq(disputes.id, id));
      await activity(tx, before, `Status: ${label(before.status)} → awaiting support (${before.status === 'resolved' ? 'reopened by ' : ''}a message from the customer).`);
    }
    const after = await getRow(tx, disputeResource, id);
    await audit(tx, { action: 'customer-message', table: 'disputes', recordId: id, before, after: { ...after, body: input.body } });
    return after;
  });
}
