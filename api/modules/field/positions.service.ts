import { and, eq, sql } from 'drizzle-orm';
import { staff } from '../../../db/schema/index.js';
import { type Ctx, nowOf } from '../../lib/context.js';
import { AppError, forbidden } from '../../lib/errors.js';
import { EVENTS_CHANNEL } from '../../lib/pubsub.js';
import { rowsOf } from '../../lib/sql.js';
import type { PositionBody, PositionResult } from './field.schemas.js';

/** How far ahead of the server's clock a phone's may run (the CHECK staff_positions_recorded_bounds allows the same). */
export const CLOCK_SKEW_MS = 2 * 60_000;
export const MAX_AGE_MS = 24 * 60 * 60_000;

/**
 * Records a GPS position of the actor's own staff member, unless one of theirs is already kept for the same 10-second
 * slot (the unique key staff_positions_staff_bucket_key settles it, also between API processes: ON CONFLICT DO NOTHING).
 * A kept position is NOTIFYed on the events channel in the same statement, so the live map hears of it once it commits.
 * Not audited: telemetry at one row per 10 s per van would outgrow the append-only audit log; the row itself says who
 * (staff_id) and when (received_at), and it is pruned after POSITION_RETENTION_DAYS.
 */
export async function recordPosition(ctx: Ctx, input: PositionBody): Promise<PositionResult> {
  const staffId = ctx.actor?.staff_id;
  if (!staffId) throw forbidden('Only delivery staff post positions: your login is not linked to a staff member.');
  const now = nowOf(ctx);
  const recordedAt = input.recorded_at ?? now;
  if (recordedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw new AppError(422, 'position_in_future', "recorded_at is in the future: check the phone's clock (at most 2 minutes ahead is accepted).");
  }
  if (recordedAt.getTime() < now.getTime() - MAX_AGE_MS) throw new AppError(422, 'position_too_old', 'recorded_at is more than a day old: only live positions are kept.');

  const [member] = await ctx.db.select({ id: staff.id }).from(staff).where(and(eq(staff.id, staffId), eq(staff.is_active, true)));
  if (!member) throw forbidden('Your staff record is inactive: positions are not recorded.');

  const accuracy = input.accuracy_m ?? null;
  // One statement: the insert (or nothing, when the slot is taken) and its NOTIFY, delivered at commit.
  const [row] = rowsOf<{ staff_id: string; lat: number; lng: number; accuracy_m: number | null; recorded_at: string | Date; notified: number }>(
    await ctx.db.execute(sql`
      with kept as (
        insert into staff_positions (staff_id, lat, lng, accuracy_m, recorded_at)
        values (${staffId}, ${input.lat}, ${input.lng}, ${accuracy}, ${recordedAt.toISOString()}::timestamptz)
        on conflict (staff_id, bucket) do nothing
        returning staff_id, lat, lng, accuracy_m, recorded_at
      ), note as (
        select pg_notify(${EVENTS_CHANNEL}, json_build_object(
          'type', 'staff.position', 'staff_id', k.staff_id, 'zone_id', s.zone_id, 'lat', k.lat, 'lng', k.lng,
          'accuracy_m', k.accuracy_m, 'at', to_char(k.recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
        )::text) from kept k join staff s on s.id = k.staff_id
      )
      select k.*, (select count(*) from note)::int as notified from kept k`),
  );
  if (!row) {
    return { kept: false, message: 'A position of yours within the same 10 seconds is already kept; this one was not (send at most one every 10 s).', position: null };
  }
  return {
    kept: true,
    message: 'Position recorded.',
    position: { staff_id: row.staff_id, lat: Number(row.lat), lng: Number(row.lng), accuracy_m: row.accuracy_m === null ? null : Number(row.accuracy_m), at: new Date(row.recorded_at).toISOString() },
  };
}

/** Deletes positions older than the retention, a batch at a time (any number of processes may run it at once). */
export async function prunePositions(ctx: Ctx, retentionDays: number, batch = 10_000): Promise<number> {
  let deleted = 0;
  for (;;) {
    const result = rowsOf<{ n: number }>(
      await ctx.db.execute(sql`
        with doomed as (
          select id from staff_positions where recorded_at < now() - make_interval(days => ${retentionDays})
          limit ${batch} for update skip locked
        ), gone as (delete from staff_positions p using doomed where p.id = doomed.id returning 1)
        select count(*)::int as n from gone`),
    );
    const n = Number(result[0]?.n ?? 0);
    deleted += n;
    if (n < batch) return deleted;
  }
}
