import { getTableColumns, sql } from 'drizzle-orm';
import { notifications } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { getRow, type Resource, type Row } from '../../lib/crud.js';
import { conflict } from '../../lib/errors.js';
import { render, templates, type Channel, type Language } from './templates.js';

// The outbox as support sees it: every message with its status and attempts, and the replay of a dead letter.

const labels = sql.join(
  Object.entries(templates).map(([k, t]) => sql`when ${k} then ${t.label}`),
  sql` `,
);

export const notificationColumns = {
  customer_name: sql<string | null>`(select c.name from customers c where c.id = notifications.customer_id)`,
  user_name: sql<string | null>`(select u.name from users u where u.id = notifications.user_id)`,
  template_label: sql<string | null>`(case notifications.template ${labels} else null end)`,
};

export const notificationResource: Resource = {
  name: 'notifications',
  label: 'Notification',
  table: notifications,
  selection: {
    ...getTableColumns(notifications),
    ...Object.fromEntries(Object.entries(notificationColumns).map(([k, v]) => [k, v.as(k)])),
  },
};

/** One message, with its words as the worker would send them now (or why it cannot render). */
export async function getNotification(ctx: Ctx, id: string): Promise<Row> {
  const row = await getRow(ctx, notificationResource, id);
  try {
    const payload = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as Record<string, unknown>;
    return { ...row, rendered: render(String(row.template), row.channel as Channel, row.language as Language, payload), render_error: null };
  } catch (err) {
    return { ...row, rendered: null, render_error: (err as Error).message };
  }
}

/**
 * A dead letter goes back to pending with its attempts reset, due now; the worker picks it up at its next pass. Only a
 * dead one: a pending or sending one is still being tried, a sent one was sent (409). Two replays at once: the row lock
 * queues the second, which finds it pending (409).
 */
export async function replayNotification(ctx: Ctx, id: string): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const before = await getRow(tx, notificationResource, id, { lock: true });
    if (before.status !== 'dead') {
      const why = before.status === 'sent' ? 'it was sent' : 'it is still being tried';
      throw conflict(`Only a dead letter can be replayed: this message is ${String(before.status)} (${why}).`, 'not_dead');
    }
    await tx.db.execute(sql`update notifications set status = 'pending', attempts = 0, next_attempt_at = now(), locked_until = null where id = ${id}`);
    const after = await getRow(tx, notificationResource, id);
    await audit(tx, { action: 'replay', table: 'notifications', recordId: id, before, after });
    return getNotification(tx, id);
  });
}
