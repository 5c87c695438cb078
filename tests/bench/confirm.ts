import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../api/lib/sql.js';
import { cpuMeter, type CpuSplit } from './cpu.js';
import { closedLoop, type Client, type LoadResult } from './http.js';

export interface ConfirmResult extends LoadResult {
  warmup: LoadResult;
  concurrency: number;
  /** Deliveries the measured phase confirmed, as the database sees them afterwards (with a billing record each). */
  confirmed_in_db: number;
  billed_in_db: number;
  /** CPU seconds of the measured phase: load generator, server, PostgreSQL. */
  cpu: CpuSplit;
}

/**
 * POST /api/deliveries/:id/confirm with {} (everything delivered) on today's pending deliveries, `concurrency` closed
 * loops on keep-alive connections: a warm-up, then the measured phase, bounded by count and time. Each id is
 * confirmed once, so every answer should be a 200.
 */
export async function benchConfirm(
  db: Db,
  client: Client,
  opts: { cookie: string; today: string; concurrency: number; warmup: number; count: number; seconds: number; serverPid: number },
): Promise<ConfirmResult> {
  const ids = rowsOf<{ id: string }>(
    await db.execute(sql`
      select d.id from deliveries d join orders o on o.id = d.order_id
      where d.order_date = ${opts.today}::date and d.status = 'pending' and o.status = 'pending'
      order by d.id limit ${opts.warmup + opts.count}`),
  ).map((r) => r.id);
  if (ids.length < opts.warmup + 100) throw new Error(`only ${ids.length} pending deliveries today: not enough to measure`);
  const warm = ids.slice(0, opts.warmup);
  const measured = ids.slice(opts.warmup);
  const spec = (id: string) => ({ method: 'POST' as const, path: `/api/deliveries/${id}/confirm`, body: {}, headers: { cookie: opts.cookie } });
  const ok = (a: { status: number }) => a.status === 200;

  const warmup = await closedLoop({ client, concurrency: opts.concurrency, maxRequests: warm.length, maxSeconds: 60, next: (i) => (warm[i] ? spec(warm[i]) : null), ok });
  const meter = cpuMeter(opts.serverPid);
  const result = await closedLoop({ client, concurrency: opts.concurrency, maxRequests: measured.length, maxSeconds: opts.seconds, next: (i) => (measured[i] ? spec(measured[i]) : null), ok });

  const cpu = meter();
  // One array literal parameter (drizzle would expand a JS array into a list of parameters).
  const sent = `{${measured.slice(0, result.requests).join(',')}}`;
  const [check] = rowsOf<{ confirmed: number; billed: number }>(
    await db.execute(sql`
      select count(*) filter (where d.status = 'delivered')::int as confirmed,
             (select count(*)::int from billing_records b join delivery_items di on di.id = b.delivery_item_id where di.delivery_id = any(${sent}::uuid[])) as billed
      from deliveries d where d.id = any(${sent}::uuid[])`),
  );
  return { ...result, warmup, concurrency: opts.concurrency, confirmed_in_db: check.confirmed, billed_in_db: check.billed, cpu };
}
