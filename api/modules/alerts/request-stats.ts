import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';

/**
 * Latency bucket bounds in milliseconds (the last bucket holds everything slower). 1000 is a bound, so "p99 over
 * 1 s" is read exactly from the counts.
 */
export const LATENCY_BOUNDS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] as const;

/** This process's name in request_stats: host, pid and a random tail (a restarted pid is another process). */
export const PROCESS_ID = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

interface Minute {
  requests: number;
  errors: number;
  buckets: number[];
}

// Counts not yet flushed, by minute (epoch ms of its start). Lost if the process dies between flushes: a few seconds.
const pending = new Map<number, Minute>();

export function recordRequest(seconds: number, status: number, at = Date.now()) {
  const minute = Math.floor(at / 60_000) * 60_000;
  let m = pending.get(minute);
  if (!m) pending.set(minute, (m = { requests: 0, errors: 0, buckets: new Array(LATENCY_BOUNDS_MS.length + 1).fill(0) }));
  m.requests += 1;
  if (status >= 500) m.errors += 1;
  const ms = seconds * 1000;
  const i = LATENCY_BOUNDS_MS.findIndex((bound) => ms <= bound);
  m.buckets[i === -1 ? LATENCY_BOUNDS_MS.length : i] += 1;
}

/**
 * Adds this process's counts to its rows of request_stats (one upsert per minute: concurrent flushes of other
 * processes touch other rows). On failure the counts are put back for the next flush.
 */
export async function flushRequestStats(db: Db, processId = PROCESS_ID): Promise<number> {
  if (pending.size === 0) return 0;
  const taken = [...pending.entries()];
  pending.clear();
  try {
    for (const [minute, m] of taken) {
      await db.execute(sql`
        insert into request_stats (minute, process_id, requests, errors, buckets)
        values (${new Date(minute).toISOString()}::timestamptz, ${processId}, ${m.requests}, ${m.errors}, ${`{${m.buckets.join(',')}}`}::int[])
        on conflict (minute, process_id) do update set
          requests = request_stats.requests + excluded.requests,
          errors = request_stats.errors + excluded.errors,
          buckets = array(select a + b from unnest(request_stats.buckets, excluded.buckets) as t(a, b))`);
    }
  } catch (err) {
    for (const [minute, m] of taken) {
      const now = pending.get(minute);
      if (!now) pending.set(minute, m);
      else {
        now.requests += m.requests;
        now.errors += m.errors;
        m.buckets.forEach((n, i) => (now.buckets[i] += n));
      }
    }
    throw err;
  }
  return taken.length;
}

/** Forgets what was not flushed (tests). */
export function resetRequestStats() {
  pending.clear();
}
