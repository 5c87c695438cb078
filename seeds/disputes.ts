import { sql } from 'drizzle-orm';
import { rowsOf } from '../api/lib/sql.js';
import type { Ctx } from '../api/lib/context.js';
import type { Row } from '../api/lib/crud.js';
import { addMessage, createDispute, getDispute, mergeDisputes, resolveDispute, transitionDispute, updateDispute } from '../api/modules/disputes/disputes.service.js';
import type { Db } from '../db/client.js';
import { systemCtx } from './history.js';

// The demo's disputes (issue 13), made through the service verbs after the history and the refunds: one in every
// state, with threads (customer messages, replies, internal notes) and links to the customer's own delivery, order or
// invoice, so the Disputes page opens on believable data.

interface Candidate {
  delivery_id: string;
  order_id: string;
  customer_id: string;
  status: string;
  invoice_id: string | null;
}

type Step = (support: Ctx, d: Row) => Promise<Row>;
const reply = (body: string, internal = false): Step => async (ctx, d) => {
  await addMessage(ctx, d.id as string, { body, internal });
  return getDispute(ctx, d.id as string);
};
const to = (status: string): Step => (ctx, d) => transitionDispute(ctx, d.id as string, { to: status, version: Number(d.version) });

const plans: { category: string; priority: string; subject: string; body: string; link: 'delivery' | 'invoice'; steps: Step[]; assign?: boolean; duplicate?: boolean; daysAgo?: number }[] = [
  { category: 'missing_delivery', priority: 'high', subject: 'Morning milk not delivered', body: 'No milk at the door this morning, the guard says nobody came.', link: 'delivery', steps: [] },
  {
    category: 'short_quantity',
    priority: 'normal',
    subject: 'One packet short',
    body: 'Only one of the two packets of toned milk came today.',
    link: 'delivery',
    assign: true,
    steps: [reply('Delivery confirmed 2 packets at 6:42 with a photo of the door; asking the rider.', true), reply('Sorry about that! We are checking with the rider and will get back to you today.')],
  },
  {
    category: 'spoilt_product',
    priority: 'urgent',
    subject: 'Curd was sour',
    body: 'The curd smelled sour as soon as I opened it. Sent a photo on WhatsApp.',
    link: 'delivery',
    assign: true,
    steps: [reply('Could you tell us the batch printed on the cup?'), to('awaiting_support'), reply('Customer sent the batch number on the phone: B-1127. Same batch as two other complaints.', true)],
  },
  {
    category: 'billing_error',
    priority: 'normal',
    subject: 'Billed for a paused day',
    body: 'I paused for the 14th but the invoice shows milk that day.',
    link: 'invoice',
    steps: [
      reply('The pause was set on the 14th after the evening cut-off, so the morning drop went out and was delivered.', true),
      reply('Hello! The pause started from the 15th, as it was set after 8 pm on the 14th; the milk of the 14th was delivered at 6:30.'),
    ],
  },
  { category: 'late_delivery', priority: 'low', subject: 'Delivery after 8 am all week', body: 'Milk comes after 8 every day this week; I leave at 7:30.', link: 'delivery', steps: [] },
  { category: 'late_delivery', priority: 'low', subject: 'Milk late again', body: 'Late again today.', link: 'delivery', steps: [], duplicate: true },
  // Opened days ago and not answered in time: in the breach queue (the SLA job escalates them on start).
  { category: 'wrong_product', priority: 'normal', subject: 'Got buffalo milk instead of cow milk', body: 'The packet says buffalo milk; I ordered cow milk.', link: 'delivery', steps: [], daysAgo: 3 },
  {
    category: 'staff_behaviour',
    priority: 'high',
    subject: 'Delivery boy was rude',
    body: 'He threw the packet at the door and shouted when I asked for change.',
    link: 'delivery',
    assign: true,
    steps: [reply('We are very sorry. We are speaking to the rider and will call you back.'), to('awaiting_support')],
    daysAgo: 4,
  },
  { category: 'other', priority: 'low', subject: 'Wrong gate number', body: 'Please deliver to gate 2, not gate 1.', link: 'delivery', steps: [reply('Noted gate 2 on the address; the rider is told.'), to('closed')] },
];

export async function seedDisputes(db: Db, userIds: Record<string, string>, opts: { log?: (line: string) => void } = {}): Promise<void> {
  const log = opts.log ?? (() => {});
  const support = await systemCtx(db, userIds.support);
  const candidates = rowsOf<Candidate>(
    await db.execute(sql`select d.id as delivery_id, d.order_id, o.customer_id, d.status::text as status,
        (select i.id from invoices i where i.customer_id = o.customer_id and i.status = 'issued' order by i.invoice_date desc limit 1) as invoice_id
      from deliveries d join orders o on o.id = d.order_id
      where d.status in ('delivered', 'partial', 'failed')
      order by d.delivered_at desc, d.id limit 60`),
  );
  const used = new Set<string>();
  const pick = (needInvoice: boolean) => candidates.find((c) => !used.has(c.customer_id) && (!needInvoice || c.invoice_id));
  const made: Row[] = [];
  let previous: Candidate | undefined;
  for (const plan of plans) {
    // A duplicate: the same customer calling again about the same delivery (merged below).
    const c = plan.duplicate ? previous : pick(plan.link === 'invoice');
    if (!c) break;
    previous = c;
    used.add(c.customer_id);
    // A past dispute: the service's clock set back (due times, thread and opening all of that day, 10:00 IST).
    const at = plan.daysAgo ? new Date(Math.floor(Date.now() / 86_400_000 - plan.daysAgo) * 86_400_000 + 270 * 60_000) : null;
    const ctx: Ctx = at ? { ...support, now: () => at } : support;
    let d = await createDispute(ctx, {
      customer_id: c.customer_id,
      category: plan.category as never,
      subject: plan.subject,
      body: plan.body,
      priority: plan.priority as never,
      ...(plan.link === 'delivery' ? { delivery_id: c.delivery_id, order_id: c.order_id } : { invoice_id: c.invoice_id }),
    });
    if (plan.assign) d = await updateDispute(ctx, d.id as string, { version: Number(d.version), assignee_id: userIds.support });
    for (const step of plan.steps) d = await step(ctx, d);
    made.push(d);
  }
  // Resolved with an explanation (the billing one), and a duplicate merged into the late-delivery one.
  const billing = made.find((d) => d.category === 'billing_error');
  if (billing) await resolveDispute(support, billing.id as string, { outcome: 'explanation', note: 'Pause applied from the next day as set after the cut-off; explained on the phone.' } as never);
  const [late, again] = made.filter((d) => d.category === 'late_delivery');
  if (late && again && late.customer_id === again.customer_id) await mergeDisputes(support, late.id as string, { other_id: again.id as string });
  log(`disputes: ${made.length} (open, awaiting the customer, awaiting support, resolved, closed, two past their SLA)`);
}
