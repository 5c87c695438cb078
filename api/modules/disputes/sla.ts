import { sql } from 'drizzle-orm';
import type { Ctx } from '../../lib/context.js';
import { unprocessable } from '../../lib/errors.js';
import { rowsOf } from '../../lib/sql.js';

// SLA on business hours (issue 13, item 5). Business hours are data (business_hours: several windows per ISO weekday,
// local time; business_holidays), the targets are business minutes per priority (sla_policies). Asia/Kolkata has no
// daylight saving, so local time is UTC + 5:30 throughout. Pure functions of a calendar and instants: the clock is
// always passed in (tests inject it).

export interface Calendar {
  /** Per ISO weekday (1 Monday .. 7 Sunday): windows as minutes from local midnight, sorted. */
  windows: Map<number, { from: number; to: number }[]>;
  /** Local days (YYYY-MM-DD) closed whatever the weekday. */
  holidays: Set<string>;
}

export interface Policy {
  first_response_minutes: number;
  resolution_minutes: number;
}

const IST_MS = 330 * 60_000;
const DAY_MS = 86_400_000;
/** How far ahead a due time is looked for: a calendar with no hours at all is refused rather than looped over. */
const MAX_DAYS = 3 * 366;

/** Local midnight (as a UTC instant) of the day `at` falls on in IST, that day's ISO weekday and its date. */
function localDay(at: number): { midnight: number; weekday: number; day: string } {
  const local = at + IST_MS;
  const midnightLocal = Math.floor(local / DAY_MS) * DAY_MS;
  const d = new Date(midnightLocal);
  return { midnight: midnightLocal - IST_MS, weekday: d.getUTCDay() === 0 ? 7 : d.getUTCDay(), day: d.toISOString().slice(0, 10) };
}

/** The open windows of the local day starting at `midnight`, as UTC instants (none on a holiday). */
function windowsOf(cal: Calendar, midnight: number): { start: number; end: number }[] {
  const { weekday, day } = localDay(midnight);
  if (cal.holidays.has(day)) return [];
  return (cal.windows.get(weekday) ?? []).map((w) => ({ start: midnight + w.from * 60_000, end: midnight + w.to * 60_000 }));
}

/** The instant `minutes` business minutes after `start` (counting only open windows). */
export function addBusinessMinutes(cal: Calendar, start: Date, minutes: number): Date {
  let left = minutes * 60_000;
  let { midnight } = localDay(start.getTime());
  for (let i = 0; i < MAX_DAYS; i++, midnight += DAY_MS) {
    for (const w of windowsOf(cal, midnight)) {
      const from = Math.max(w.start, start.getTime());
      if (from >= w.end) continue;
      if (left <= w.end - from) return new Date(from + left);
      left -= w.end - from;
    }
  }
  throw unprocessable('The business hours have no open window in the next three years: set some before computing due times.', 'no_business_hours');
}

/** Business minutes between two instants (0 when `to` is not after `from`). */
export function businessMinutesBetween(cal: Calendar, from: Date, to: Date): number {
  if (to <= from) return 0;
  let total = 0;
  let { midnight } = localDay(from.getTime());
  for (; midnight < to.getTime(); midnight += DAY_MS) {
    for (const w of windowsOf(cal, midnight)) total += Math.max(0, Math.min(w.end, to.getTime()) - Math.max(w.start, from.getTime()));
  }
  return Math.floor(total / 60_000);
}

/** What a dispute's SLA columns are, from its opening, its policy and the pauses (business minutes) that ended. */
export function dueTimes(cal: Calendar, policy: Policy, d: { created_at: Date; paused_minutes: number; paused: boolean }) {
  return {
    first_response_due_at: addBusinessMinutes(cal, d.created_at, policy.first_response_minutes),
    resolution_due_at: d.paused ? null : addBusinessMinutes(cal, d.created_at, policy.resolution_minutes + d.paused_minutes),
  };
}

const minutesOf = (t: string) => {
  const [h, m] = t.split(':').map(Number);
  return h * 60 + m;
};

/** The calendar as the database holds it now. */
export async function loadCalendar(ctx: Ctx): Promise<Calendar> {
  const hours = rowsOf<{ weekday: number; opens: string; closes: string }>(
    await ctx.db.execute(sql`select weekday::int as weekday, opens::text as opens, closes::text as closes from business_hours order by weekday, opens`),
  );
  const holidays = rowsOf<{ day: string }>(await ctx.db.execute(sql`select day::text as day from business_holidays where day >= current_date - 400`));
  const windows = new Map<number, { from: number; to: number }[]>();
  for (const h of hours) windows.set(Number(h.weekday), [...(windows.get(Number(h.weekday)) ?? []), { from: minutesOf(h.opens), to: minutesOf(h.closes) }]);
  return { windows, holidays: new Set(holidays.map((h) => h.day)) };
}

export async function loadPolicy(ctx: Ctx, priority: string): Promise<Policy> {
  const [p] = rowsOf<Policy>(
    await ctx.db.execute(sql`select first_response_minutes, resolution_minutes from sla_policies where priority = ${priority}::dispute_priority`),
  );
  if (!p) throw unprocessable(`There is no SLA policy for priority ${priority}: set one (PUT /api/sla-policies).`, 'no_sla_policy');
  return { first_response_minutes: Number(p.first_response_minutes), resolution_minutes: Number(p.resolution_minutes) };
}
