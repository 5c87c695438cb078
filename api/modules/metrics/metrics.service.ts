import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.js';
import { alertsOpen, dbConnections, dbPoolSize, notificationsDead, notificationsOldestWaiting, notificationsWaiting } from '../../lib/metrics.js';
import { rowsOf } from '../../lib/sql.js';

/**
 * The gauges read from the database at each scrape: the same answer from every API process. Each query reads an
 * index (notifications_status_idx, alerts_one_open_per_rule) or a catalog view: cheap at any size.
 */
export async function readDatabaseGauges(database: Database): Promise<void> {
  const db = database.db;
  const waiting = rowsOf<{ channel: string; n: number; oldest: number | null }>(
    await db.execute(sql`select channel::text as channel, count(*)::int as n, extract(epoch from now() - min(created_at))::float8 as oldest
      from notifications where status in ('pending', 'sending') group by channel`),
  );
  notificationsWaiting.reset();
  for (const channel of ['email', 'whatsapp', 'sms']) notificationsWaiting.set({ channel }, 0);
  for (const w of waiting) notificationsWaiting.set({ channel: w.channel }, Number(w.n));
  notificationsOldestWaiting.set(Math.max(0, ...waiting.map((w) => Number(w.oldest ?? 0))));
  const [dead] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from notifications where status = 'dead'`));
  notificationsDead.set(Number(dead.n));

  const open = rowsOf<{ kind: string; n: number }>(
    await db.execute(sql`select r.kind::text as kind, count(a.id)::int as n from alert_rules r left join alerts a on a.rule_id = r.id and a.cleared_at is null group by r.kind`),
  );
  alertsOpen.reset();
  for (const o of open) alertsOpen.set({ kind: o.kind }, Number(o.n));

  dbConnections.reset();
  if (database.kind === 'postgres') {
    const states = rowsOf<{ state: string; n: number }>(
      await db.execute(sql`select coalesce(state, 'unknown') as state, count(*)::int as n from pg_stat_activity where datname = current_database() group by 1`),
    );
    for (const s of states) dbConnections.set({ state: s.state }, Number(s.n));
  } else {
    dbPoolSize.set(1);
    dbConnections.set({ state: 'active' }, 1);
  }
}
