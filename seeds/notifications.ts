import { sql } from 'drizzle-orm';
import pino from 'pino';
import type { Ctx } from '../api/lib/context.js';
import { rowsOf } from '../api/lib/sql.js';
import { receiveWhatsapp } from '../api/modules/notifications/inbound.service.js';
import { fakeProvider, fakeProviders, SendError } from '../api/modules/notifications/provider.js';
import { deliverDue } from '../api/modules/notifications/worker.js';
import type { Db } from '../db/client.js';

// The demo's outbox and WhatsApp inbox (issue 13 items 7, 8), after the disputes wrote their messages: the local fake
// sends them, but one customer's number is not on WhatsApp (dead letters, to replay from the Notifications page) and
// another's fails for a while (pending, retried with backoff); two customers write on WhatsApp, one from a phone no
// customer has (the unmatched inbox).

const NOT_ON_WHATSAPP = 'WhatsApp API 400: Recipient phone number not a WhatsApp user (131026)';
const UNAVAILABLE = 'WhatsApp API 503: Service temporarily unavailable (2)';

export async function seedNotifications(db: Db, support: Ctx, opts: { log?: (line: string) => void } = {}): Promise<void> {
  const log = opts.log ?? (() => {});
  const phones = rowsOf<{ recipient: string }>(
    await db.execute(sql`select recipient from notifications where channel = 'whatsapp' and status = 'pending' group by recipient order by min(created_at), recipient limit 2`),
  ).map((r) => r.recipient);
  const [deadPhone, slowPhone] = phones;
  const fake = fakeProvider({
    name: 'demo-fake',
    fail: (m, attempt) => (m.recipient === deadPhone ? new SendError(NOT_ON_WHATSAPP, true) : m.recipient === slowPhone && attempt <= 2 ? new SendError(UNAVAILABLE, false) : undefined),
  });
  const quiet = pino({ level: 'silent' });
  // Two passes a minute apart: the slow one is tried twice and waits for its third attempt (pending).
  const first = await deliverDue(db, fakeProviders(fake), quiet);
  const second = await deliverDue(db, fakeProviders(fake), quiet, { now: new Date(Date.now() + 60_000) });

  // A customer waiting on support writes again (same thread, no change of state); someone not a customer writes from another phone.
  const [known] = rowsOf<{ phone: string }>(
    await db.execute(sql`select c.phone from disputes d join customers c on c.id = d.customer_id where d.status = 'awaiting_support' order by d.number limit 1`),
  );
  const stamp = Math.floor(Date.now() / 1000);
  const message = (from: string, id: string, body: string, name: string, minutesAgo: number) => ({
    from: from.replace(/^\+/, ''),
    id,
    timestamp: String(stamp - minutesAgo * 60),
    type: 'text',
    text: { body },
    _name: name,
  });
  const messages = [
    ...(known ? [message(known.phone, 'wamid.demo.known.1', 'Any update? Nobody has called me back yet.', 'Customer', 25)] : []),
    message('+919845012345', 'wamid.demo.unknown.1', 'Hi, this is Meera from flat 4B, Prestige Lakeside. My milk did not come today, I am using my husband’s phone.', 'Vikram', 12),
  ];
  await receiveWhatsapp(support, {
    object: 'whatsapp_business_account',
    entry: [
      {
        changes: messages.map(({ _name, ...m }) => ({ value: { contacts: [{ wa_id: m.from, profile: { name: _name } }], messages: [m] } })),
      },
    ],
  });
  const counts = rowsOf<{ status: string; n: number }>(await db.execute(sql`select status::text as status, count(*)::int as n from notifications group by status order by status`));
  log(`notifications: ${counts.map((c) => `${c.n} ${c.status}`).join(', ')} (sent ${first.sent + second.sent}); WhatsApp inbox: ${messages.length} (1 unmatched)`);
}
