import { getTableColumns, sql } from 'drizzle-orm';
import { disputeMessages, disputes as disputesTable } from '../../../db/schema/index.js';
import { nowOf, type Ctx } from '../../lib/context.js';
import { AppError, conflict } from '../../lib/errors.js';
import { getRow, type Resource, type Row } from '../../lib/crud.js';
import { rowsOf } from '../../lib/sql.js';
import { businessMinutesBetween, dueTimes, loadCalendar, loadPolicy } from './sla.js';

// The dispute as the API shows it, and the thread's writers: shared by the disputes service and the refunds hook
// (disputes.refund-hook.ts), which must not import the service (the service imports refunds).

const userName = (col: string) => sql<string | null>`(select u.name from users u where u.id = ${sql.raw(`disputes.${col}`)})`;
/** The dispute's latest refund request (a refund outcome): the refund queue links back through refunds.dispute_id. */
const latestRefund = (col: string) => sql.raw(`(select r.${col} from refunds r where r.dispute_id = disputes.id order by r.created_at desc, r.id desc limit 1)`);

/** The breach queue's condition: what is still due, past due or due within the hour (two partial indexes answer it). */
export const slaAttention = sql.raw(`((disputes.first_response_at is null and disputes.status in ('open', 'awaiting_support') and disputes.first_response_due_at <= now() + interval '1 hour')
  or (disputes.status in ('open', 'awaiting_customer', 'awaiting_support') and disputes.resolution_due_at <= now() + interval '1 hour'))`);

export const disputeColumns = {
  customer_name: sql<string>`(select c.name from customers c where c.id = disputes.customer_id)`,
  customer_phone: sql<string>`(select c.phone from customers c where c.id = disputes.customer_id)`,
  assignee_name: userName('assignee_id'),
  created_by_name: userName('created_by'),
  order_date: sql<string | null>`(select o.delivery_date::text from orders o where o.id = disputes.order_id)`,
  delivery_date: sql<string | null>`(select d.order_date::text from deliveries d where d.id = disputes.delivery_id)`,
  invoice_number: sql<string | null>`(select i.number from invoices i where i.id = disputes.invoice_id)`,
  merged_into_number: sql<number | null>`(select m.number from disputes m where m.id = disputes.merged_into_id)`,
  refund_id: sql<string | null>`${latestRefund('id')}`,
  refund_status: sql<string | null>`${latestRefund('status::text')}`,
  refund_amount_paise: sql<number | null>`${latestRefund('amount_paise::int')}`,
  last_message_at: sql<string | null>`(select to_json(max(m.created_at)) #>> '{}' from dispute_messages m where m.dispute_id = disputes.id)`,
  // Met or breached (by the database's clock): a reply or resolution after its due time, or none yet and the time passed.
  first_response_breached: sql<boolean>`(disputes.first_response_due_at is not null and coalesce(disputes.first_response_at, now()) > disputes.first_response_due_at)`,
  resolution_breached: sql<boolean>`(disputes.resolution_due_at is not null and coalesce(disputes.resolved_at, disputes.closed_at, now()) > disputes.resolution_due_at)`,
  /** In the breach queue: still due (first reply or resolution) and past due or due within the hour. */
  sla_attention: sql<boolean>`coalesce(${slaAttention}, false)`,
  allowed_moves: sql<string[]>`(select coalesce(array_agg(t.to_status::text order by t.to_status), '{}') from dispute_transitions t where t.from_status = disputes.status)`,
};

export const disputeResource: Resource = {
  name: 'disputes',
  label: 'Dispute',
  table: disputesTable,
  selection: {
    ...getTableColumns(disputesTable),
    ...Object.fromEntries(Object.entries(disputeColumns).map(([k, v]) => [k, v.as(k)])),
  },
};

export const statusLabel: Record<string, string> = {
  open: 'open',
  awaiting_customer: 'awaiting the customer',
  awaiting_support: 'awaiting support',
  resolved: 'resolved',
  closed: 'closed',
};

/** Locks the dispute's row (a second writer waits here) and refuses a closed one. */
export async function lockDispute(tx: Ctx, id: string, opts: { allowClosed?: boolean } = {}): Promise<Row> {
  const row = await getRow(tx, disputeResource, id, { lock: true });
  if (row.status === 'closed' && !opts.allowClosed) {
    const merged = row.merged_into_number ? ` (merged into dispute ${row.merged_into_number})` : '';
    throw conflict(`Dispute ${row.number} is closed${merged}: a closed dispute never changes.`, 'dispute_closed');
  }
  return row;
}

/**
 * The version check of a change: the dispute was read at `version`; if someone changed it since (the database bumps
 * the version on every change), this change would overwrite theirs unseen, so it is refused and nothing is written.
 */
export function assertVersion(row: Row, version: number | undefined) {
  if (version === undefined || Number(row.version) === version) return;
  throw new AppError(409, 'stale_version', `Dispute ${row.number} changed since you read it (version ${version}, now ${row.version}): reload it and try again.`, {
    current_version: Number(row.version),
  });
}

/** The statuses a dispute in `status` may move to (dispute_transitions). */
export async function allowedMoves(tx: Ctx, status: string): Promise<string[]> {
  return rowsOf<{ to_status: string }>(await tx.db.execute(sql`select t.to_status::text as to_status from dispute_transitions t where t.from_status = ${status}::dispute_status order by t.to_status`)).map(
    (r) => r.to_status,
  );
}

export async function writeMessage(
  tx: Ctx,
  dispute: Row,
  message: { kind: 'public_reply' | 'internal_note' | 'customer_message' | 'activity'; body: string; byCustomer?: boolean },
): Promise<string> {
  const [row] = await tx.db
    .insert(disputeMessages)
    .values({
      dispute_id: dispute.id as string,
      customer_id: dispute.customer_id as string,
      kind: message.kind,
      author_user_id: message.byCustomer ? null : (tx.actor?.id ?? null),
      author_customer_id: message.byCustomer ? (dispute.customer_id as string) : null,
      body: message.body.slice(0, 4000),
      // The context's clock (tests, the demo's past disputes); entries of one change keep their order by seq.
      ...(tx.now ? { created_at: nowOf(tx) } : {}),
    })
    .returning({ id: disputeMessages.id });
  return row.id;
}

/** An activity entry: what changed, by whom (the entry's author), in the change's transaction. */
export const activity = (tx: Ctx, dispute: Row, body: string) => writeMessage(tx, dispute, { kind: 'activity', body });

type Patch = Partial<typeof disputesTable.$inferInsert>;

/**
 * The SLA columns of a move from `before.status` to `to` at `now`: entering awaiting_customer pauses the resolution
 * clock (no due time while the customer has the ball); leaving it adds the paused business minutes to the target and
 * sets the due time again. Every status change goes through here (the CHECK disputes_pause_consistent holds it).
 */
export async function slaOnMove(tx: Ctx, before: Row, to: string): Promise<Patch> {
  const now = nowOf(tx);
  const from = String(before.status);
  if (from === to) return {};
  if (to === 'awaiting_customer') return { paused_since: now, resolution_due_at: null };
  if (from !== 'awaiting_customer') return {};
  const cal = await loadCalendar(tx);
  const pausedMinutes = Number(before.paused_minutes) + businessMinutesBetween(cal, new Date(before.paused_since as string | Date), now);
  if (to === 'resolved' || to === 'closed') return { paused_since: null, paused_minutes: pausedMinutes };
  const policy = await loadPolicy(tx, String(before.priority));
  const due = dueTimes(cal, policy, { created_at: new Date(before.created_at as string | Date), paused_minutes: pausedMinutes, paused: false });
  return { paused_since: null, paused_minutes: pausedMinutes, resolution_due_at: due.resolution_due_at };
}

/** Due times for a dispute opened at `createdAt` (or re-prioritised): the policy of `priority` on the business hours. */
export async function slaDue(tx: Ctx, d: { priority: string; created_at: Date; paused_minutes: number; paused: boolean }): Promise<Patch> {
  const due = dueTimes(await loadCalendar(tx), await loadPolicy(tx, d.priority), d);
  return { first_response_due_at: due.first_response_due_at, resolution_due_at: due.resolution_due_at };
}
