import { getTableColumns, sql } from 'drizzle-orm';
import { inboundMessages } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { getRow, type Resource, type Row } from '../../lib/crud.js';
import { conflict, unprocessable } from '../../lib/errors.js';
import { rowsOf } from '../../lib/sql.js';
import { createDispute, customerMessage } from '../disputes/disputes.service.js';
import type { WhatsappWebhookBody } from './notifications.schemas.js';

// Customers' WhatsApp messages (issue 13 item 8). Each message id is claimed once (the unique provider_message_id,
// inserted before anything else in the message's transaction: a second copy, even at the same moment, waits on the
// index and then finds it taken). The sender's phone finds the customer; the message goes to their open dispute, or
// reopens / follows up their last one (customerMessage), or opens a new one; an unknown phone waits unmatched.

export const inboundColumns = {
  customer_name: sql<string | null>`(select c.name from customers c where c.id = inbound_messages.customer_id)`,
  dispute_number: sql<number | null>`(select d.number from disputes d where d.id = inbound_messages.dispute_id)`,
  assigned_by_name: sql<string | null>`(select u.name from users u where u.id = inbound_messages.assigned_by)`,
};

export const inboundResource: Resource = {
  name: 'inbound-messages',
  label: 'Inbound message',
  table: inboundMessages,
  selection: {
    ...getTableColumns(inboundMessages),
    ...Object.fromEntries(Object.entries(inboundColumns).map(([k, v]) => [k, v.as(k)])),
  },
};

/**
 * Puts a customer's words in their thread: the open dispute they last wrote on; else their latest dispute (which
 * reopens within 7 days of its resolution, or opens a new one following it); else a new dispute. Answers the dispute.
 */
export async function routeCustomerMessage(tx: Ctx, customerId: string, body: string): Promise<Row> {
  const [open] = rowsOf<{ id: string }>(
    await tx.db.execute(sql`select id from disputes where customer_id = ${customerId} and status in ('open', 'awaiting_customer', 'awaiting_support')
      order by updated_at desc, id limit 1`),
  );
  const [latest] = open
    ? [open]
    : rowsOf<{ id: string }>(await tx.db.execute(sql`select id from disputes where customer_id = ${customerId} and merged_into_id is null order by created_at desc, id limit 1`));
  if (latest) return customerMessage(tx, latest.id, { body });
  const [c] = rowsOf<{ name: string }>(await tx.db.execute(sql`select name from customers where id = ${customerId}`));
  return createDispute(tx, { customer_id: customerId, category: 'other', priority: 'normal', subject: `WhatsApp message from ${c?.name ?? 'the customer'}`.slice(0, 200), body });
}

type Outcome = { id: string; outcome: 'matched' | 'unmatched' | 'duplicate'; dispute_id: string | null };

/** Text of a message that is not text (an image, a voice note): said so, since its content is with WhatsApp. */
const bodyOf = (m: { type?: string; text?: { body: string } }) => (m.text?.body?.trim() ? m.text.body.slice(0, 4096) : `[${m.type ?? 'message'} without text]`);

/** Each message of a webhook delivery, one transaction each (a failure of one leaves the others received). */
export async function receiveWhatsapp(ctx: Ctx, body: WhatsappWebhookBody): Promise<{ received: number; messages: Outcome[] }> {
  const out: Outcome[] = [];
  for (const entry of body.entry)
    for (const change of entry.changes) {
      const names = new Map((change.value.contacts ?? []).map((c) => [c.wa_id ?? '', c.profile?.name ?? null]));
      for (const m of change.value.messages ?? []) {
        const phone = `+${m.from.replace(/^\+/, '')}`;
        out.push(
          await transaction(ctx, async (tx) => {
            const [claimed] = rowsOf<{ id: string }>(
              await tx.db.execute(sql`insert into inbound_messages (provider_message_id, from_phone, profile_name, body, sent_at, status)
                values (${m.id}, ${phone}, ${names.get(m.from.replace(/^\+/, '')) ?? null}, ${bodyOf(m)}, to_timestamp(${Number(m.timestamp)}), 'unmatched')
                on conflict (provider_message_id) do nothing returning id`),
            );
            if (!claimed) return { id: m.id, outcome: 'duplicate' as const, dispute_id: null };
            const [customer] = rowsOf<{ id: string }>(await tx.db.execute(sql`select id from customers where phone = ${phone}`));
            let disputeId: string | null = null;
            if (customer) {
              const dispute = await routeCustomerMessage(tx, customer.id, bodyOf(m));
              disputeId = dispute.id as string;
              await tx.db.execute(sql`update inbound_messages set status = 'matched', customer_id = ${customer.id}, dispute_id = ${disputeId} where id = ${claimed.id}`);
            }
            await audit(tx, { action: 'receive', table: 'inbound_messages', recordId: claimed.id, after: await getRow(tx, inboundResource, claimed.id) });
            return { id: m.id, outcome: customer ? ('matched' as const) : ('unmatched' as const), dispute_id: disputeId };
          }),
        );
      }
    }
  return { received: out.length, messages: out };
}

/**
 * Support assigns an unknown sender's message to a customer: it goes to that customer's thread as if it had matched.
 * Two agents at once: the row lock queues the second, who finds it assigned (409).
 */
export async function assignInbound(ctx: Ctx, id: string, customerId: string): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const before = await getRow(tx, inboundResource, id, { lock: true });
    if (before.status !== 'unmatched') throw conflict(`This message is already in ${String(before.customer_name)}'s dispute ${String(before.dispute_number)}.`, 'already_assigned');
    const [customer] = rowsOf<{ id: string }>(await tx.db.execute(sql`select id from customers where id = ${customerId}`));
    if (!customer) throw unprocessable('That customer does not exist.', 'unknown_customer');
    const dispute = await routeCustomerMessage(tx, customerId, String(before.body));
    await tx.db.execute(sql`update inbound_messages set status = 'assigned', customer_id = ${customerId}, dispute_id = ${dispute.id as string},
      assigned_by = ${tx.actor?.id ?? null}, assigned_at = now() where id = ${id}`);
    const after = await getRow(tx, inboundResource, id);
    await audit(tx, { action: 'assign', table: 'inbound_messages', recordId: id, before, after });
    return after;
  });
}
