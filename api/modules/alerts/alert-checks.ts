import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { todayIST } from '../../lib/dates.js';
import { rowsOf } from '../../lib/sql.js';
import { LATENCY_BOUNDS_MS } from './request-stats.js';

export type AlertKind = 'data_health_broken' | 'error_rate' | 'p99_latency' | 'invoice_run_failed' | 'unbilled_at_midnight' | 'notifications_backlog';

/** The unit of each kind's value and threshold, as the admin page and the notifications say it. */
export const ALERT_UNITS: Record<AlertKind, string> = {
  data_health_broken: 'broken rows',
  error_rate: 'basis points of requests (100 = 1%)',
  p99_latency: 'ms',
  invoice_run_failed: 'runs',
  unbilled_at_midnight: 'delivered items',
  notifications_backlog: 'messages',
};

/** Fewer requests than this in the window say nothing about an error rate or a p99 (one failed request of three is not 33%). */
export const MIN_REQUESTS = 20;
/** An invoice run that has not moved for this long lost its process (invoice-runs.service STALLED_AFTER_MINUTES). */
const STALLED_MINUTES = 10;

const one = async (db: Db, query: ReturnType<typeof sql>): Promise<number> => Number(Object.values(rowsOf<Record<string, unknown>>(await db.execute(query))[0] ?? { v: 0 })[0] ?? 0);
const since = (minutes: number) => sql`now() - make_interval(mins => ${minutes}::int)`;

/**
 * The value of one rule's measure now, over its window; the rule fires while it is above the threshold. Each reads
 * the database (request_stats for the request measures: every API process's minutes, not this one's memory).
 */
export async function measure(db: Db, kind: AlertKind, windowMinutes: number): Promise<number> {
  switch (kind) {
    case 'data_health_broken':
      // The broken rows the last finished data-health run found (the job starts a run when it is older than the window).
      return one(db, sql`select coalesce((select sum((c->>'count')::int) from jsonb_array_elements(r.result->'checks') c), 0)::int
        from data_health_runs r where r.finished_at is not null and r.result is not null order by r.finished_at desc limit 1`);
    case 'error_rate': {
      const [r] = rowsOf<{ requests: number; errors: number }>(
        await db.execute(sql`select coalesce(sum(requests), 0)::int as requests, coalesce(sum(errors), 0)::int as errors from request_stats where minute >= date_trunc('minute', ${since(windowMinutes)})`),
      );
      const requests = Number(r.requests);
      return requests < MIN_REQUESTS ? 0 : Math.floor((Number(r.errors) * 10_000) / requests);
    }
    case 'p99_latency': {
      const buckets = rowsOf<{ i: number; n: number }>(
        await db.execute(sql`select u.i::int as i, sum(u.n)::int as n from request_stats s, unnest(s.buckets) with ordinality as u(n, i)
          where s.minute >= date_trunc('minute', ${since(windowMinutes)}) group by u.i order by u.i`),
      );
      const total = buckets.reduce((s, b) => s + Number(b.n), 0);
      if (total < MIN_REQUESTS) return 0;
      // The upper bound of the bucket holding the 99th percentile request (over the last bound: one more ms than it).
      let seen = 0;
      for (const b of buckets) {
        seen += Number(b.n);
        if (seen >= Math.ceil(total * 0.99)) return LATENCY_BOUNDS_MS[b.i - 1] ?? LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1] + 1;
      }
      return 0;
    }
    case 'invoice_run_failed':
      return one(db, sql`select count(*)::int from invoice_runs
        where (status = 'failed' and finished_at >= ${since(windowMinutes)})
           or (status = 'running' and updated_at < now() - make_interval(mins => ${STALLED_MINUTES}::int))`);
    case 'unbilled_at_midnight': {
      // Items delivered before today (IST) and still without a billing record, over the window's days.
      const today = todayIST();
      const days = Math.max(1, Math.ceil(windowMinutes / 1440));
      return one(db, sql`select count(*)::int from delivery_items di join deliveries d on d.id = di.delivery_id
        where di.quantity > 0 and d.delivered_on < ${today}::date and d.delivered_on >= ${today}::date - ${days}::int
          and not exists (select 1 from billing_records b where b.delivery_item_id = di.id)`);
    }
    case 'notifications_backlog':
      // Messages waiting longer than the window (notifications_status_idx: status, created_at).
      return one(db, sql`select count(*)::int from notifications where status in ('pending', 'sending') and created_at < ${since(windowMinutes)}`);
  }
}
