import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { notifications } from '../../../db/schema/index.js';
import { rowsOf } from '../../lib/sql.js';

export type NotificationChannel = (typeof notifications.$inferInsert)['channel'];

export interface OutgoingNotification {
  channel: NotificationChannel;
  /** An email address, or a phone number in +91 form for WhatsApp and SMS. */
  recipient: string;
  /** A template's key, e.g. 'dispute.escalated'; the payload fills it when the worker sends. */
  template: string;
  payload?: Record<string, unknown>;
  /** The language to render in (default English); notifyCustomer takes the customer's. */
  language?: 'en' | 'kn' | 'hi';
  /** The same key twice writes one row: an incident or an event notified again is not sent again. */
  dedupeKey?: string;
  userId?: string | null;
  customerId?: string | null;
}

/**
 * Writes messages to the outbox through the caller's transaction (db is the transaction), so a message exists
 * exactly when what caused it committed. Returns the ids written (a repeated dedupe key writes nothing).
 */
export async function enqueueNotifications(db: Db, messages: OutgoingNotification[]): Promise<string[]> {
  if (messages.length === 0) return [];
  const rows = await db
    .insert(notifications)
    .values(
      messages.map((m) => ({
        channel: m.channel,
        recipient: m.recipient,
        template: m.template,
        payload: m.payload ?? {},
        language: m.language ?? 'en',
        dedupe_key: m.dedupeKey ?? null,
        user_id: m.userId ?? null,
        customer_id: m.customerId ?? null,
      })),
    )
    .onConflictDoNothing({ target: notifications.dedupe_key, where: sql`${notifications.dedupe_key} is not null` })
    .returning({ id: notifications.id });
  return rows.map((r) => r.id);
}

/**
 * A message to a customer on WhatsApp (their phone), in their language, through the caller's transaction. The
 * payload gets the customer's name. Returns the id written (none when the dedupe key was used before).
 */
export async function notifyCustomer(db: Db, customerId: string, template: string, payload: Record<string, unknown>, dedupeKey?: string): Promise<string | undefined> {
  const [c] = rowsOf<{ name: string; phone: string; language: 'en' | 'kn' | 'hi' }>(await db.execute(sql`select name, phone, language from customers where id = ${customerId}`));
  if (!c) return undefined;
  const [id] = await enqueueNotifications(db, [
    { channel: 'whatsapp', recipient: c.phone, template, language: c.language, payload: { customer_name: c.name, ...payload }, customerId, dedupeKey },
  ]);
  return id;
}

/**
 * The same template to many customers in one read and one write (an invoice run's thousands of bills): each on WhatsApp
 * in their language, with their name in the payload. Customers not found are skipped.
 */
export async function notifyCustomers(
  db: Db,
  template: string,
  items: { customerId: string; payload: Record<string, unknown>; dedupeKey: string }[],
): Promise<string[]> {
  if (items.length === 0) return [];
  const ids = `{${[...new Set(items.map((i) => i.customerId))].join(',')}}`;
  const found = new Map(
    rowsOf<{ id: string; name: string; phone: string; language: 'en' | 'kn' | 'hi' }>(
      await db.execute(sql`select id, name, phone, language from customers where id = any(${ids}::uuid[])`),
    ).map((c) => [c.id, c]),
  );
  const messages: OutgoingNotification[] = [];
  for (const i of items) {
    const c = found.get(i.customerId);
    if (c) messages.push({ channel: 'whatsapp', recipient: c.phone, template, language: c.language, payload: { customer_name: c.name, ...i.payload }, customerId: c.id, dedupeKey: i.dedupeKey });
  }
  // Chunks keep one statement's parameters well under PostgreSQL's 65,535.
  const written: string[] = [];
  for (let k = 0; k < messages.length; k += 2000) written.push(...(await enqueueNotifications(db, messages.slice(k, k + 2000))));
  return written;
}

/** An email to every active user of a role (the managers, on an escalation), through the caller's transaction. */
export async function notifyRole(db: Db, role: string, template: string, payload: Record<string, unknown>, dedupeKey?: string): Promise<string[]> {
  const users = rowsOf<{ id: string; email: string }>(
    await db.execute(sql`select u.id, u.email from users u where u.is_active
      and exists (select 1 from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = u.id and r.name = ${role}) order by u.email`),
  );
  return enqueueNotifications(
    db,
    users.map((u) => ({ channel: 'email' as const, recipient: u.email, template, payload, userId: u.id, dedupeKey: dedupeKey ? `${dedupeKey}:${u.id}` : undefined })),
  );
}
