import { sql, type SQL } from 'drizzle-orm';

export const shifts = ['morning', 'evening'] as const;
export type Shift = (typeof shifts)[number];
export const schedules = ['daily', 'alternate', 'weekdays'] as const;
export type Schedule = (typeof schedules)[number];

/** ISO weekdays (1 = Monday ... 7 = Sunday) as the stored bit mask: bit d set for weekday d (so bit 0 is never used). */
export function weekdaysToMask(days: readonly number[]): number {
  return [...new Set(days)].reduce((mask, d) => mask | (1 << d), 0);
}

export function maskToWeekdays(mask: number): number[] {
  return [1, 2, 3, 4, 5, 6, 7].filter((d) => (mask >> d) & 1);
}

/**
 * SQL: does subscription `s` (a table alias with schedule, start_date, weekdays) deliver on `day` by its
 * regular schedule? Period, pauses and one-day changes are applied by the callers. Alternate days count
 * from the start date (day 0, 2, 4 ...). Generation, reconciliation and the calendar all use this one definition.
 */
export function scheduledOn(s: string, day: SQL): SQL {
  const a = sql.raw(s);
  return sql`(case ${a}.schedule
    when 'daily' then true
    when 'alternate' then ((${day}) - ${a}.start_date) % 2 = 0
    else ((${a}.weekdays::int >> extract(isodow from (${day}))::int) & 1) = 1 end)`;
}
