import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';

/**
 * A few past incidents for the Alerts page (deterministic, relative to now): a latency spike and an error burst that
 * cleared within minutes, a failed invoice run that cleared the next day, and a notifications backlog still open.
 * Written as the alert job writes them (one open per rule).
 */
export async function seedAlerts(db: Db, opts: { log?: (line: string) => void } = {}) {
  const incidents: [kind: string, firedDaysAgo: number, minutesOpen: number | null, value: number, clearedValue: number | null][] = [
    ['p99_latency', 12, 9, 2500, 500],
    ['error_rate', 6, 14, 240, 0],
    ['invoice_run_failed', 3, 1330, 1, 0],
    ['p99_latency', 1, 4, 2500, 250],
    ['notifications_backlog', 0, null, 140, null],
  ];
  for (const [kind, days, minutes, value, clearedValue] of incidents) {
    await db.execute(sql`
      insert into alerts (rule_id, fired_at, cleared_at, value, threshold, last_value, cleared_value)
      select r.id, now() - make_interval(days => ${days}::int, hours => 2), 
             ${minutes === null ? sql`null` : sql`now() - make_interval(days => ${days}::int, hours => 2) + make_interval(mins => ${minutes}::int)`},
             ${value}, r.threshold, ${clearedValue ?? value}, ${clearedValue}
      from alert_rules r where r.kind = ${kind}::alert_kind order by r.created_at limit 1`);
  }
  opts.log?.(`alert incidents: ${incidents.length}`);
}
