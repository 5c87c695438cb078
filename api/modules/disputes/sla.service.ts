import { sql } from 'drizzle-orm';
import { businessHolidays, businessHours, slaPolicies } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { unprocessable } from '../../lib/errors.js';
import { rowsOf } from '../../lib/sql.js';
import type { BusinessHoursInput, SlaPoliciesInput } from './sla.schemas.js';

// Business hours and SLA policies as data (issue 13, item 5): read whole, replaced whole (PUT) in one transaction
// with its audit row. Due times of disputes already open keep what they were computed with; new ones use these.

export async function getBusinessHours(ctx: Ctx) {
  const windows = rowsOf<{ weekday: number; opens: string; closes: string }>(
    await ctx.db.execute(sql`select weekday::int as weekday, to_char(opens, 'HH24:MI') as opens, to_char(closes, 'HH24:MI') as closes from business_hours order by weekday, opens`),
  ).map((w) => ({ ...w, weekday: Number(w.weekday) }));
  const holidays = rowsOf<{ day: string; name: string }>(await ctx.db.execute(sql`select day::text as day, name from business_holidays order by day`));
  return { time_zone: 'Asia/Kolkata', windows, holidays };
}

export async function putBusinessHours(ctx: Ctx, input: BusinessHoursInput) {
  if (!input.windows.length) throw unprocessable('Give at least one open window: with none, no due time can ever be reached.', 'no_business_hours');
  return transaction(ctx, async (tx) => {
    const before = await getBusinessHours(tx);
    await tx.db.delete(businessHours);
    // Overlapping windows of one weekday are refused by the trigger business_hours_check (business_hours_no_overlap).
    await tx.db.insert(businessHours).values(input.windows.map((w) => ({ weekday: w.weekday, opens: w.opens, closes: w.closes })));
    await tx.db.delete(businessHolidays);
    if (input.holidays.length) await tx.db.insert(businessHolidays).values(input.holidays.map((h) => ({ day: h.day, name: h.name })));
    const after = await getBusinessHours(tx);
    await audit(tx, { action: 'update', table: 'business-hours', before, after });
    return after;
  });
}

export async function getSlaPolicies(ctx: Ctx) {
  return rowsOf<{ priority: string; first_response_minutes: number; resolution_minutes: number }>(
    await ctx.db.execute(sql`select priority::text as priority, first_response_minutes, resolution_minutes from sla_policies order by priority`),
  ).map((p) => ({ ...p, first_response_minutes: Number(p.first_response_minutes), resolution_minutes: Number(p.resolution_minutes) }));
}

export async function putSlaPolicies(ctx: Ctx, input: SlaPoliciesInput) {
  const seen = new Set(input.map((p) => p.priority));
  if (seen.size !== 4 || input.length !== 4) throw unprocessable('Give one policy for each priority: low, normal, high and urgent.', 'policy_per_priority');
  return transaction(ctx, async (tx) => {
    const before = await getSlaPolicies(tx);
    await tx.db.delete(slaPolicies);
    await tx.db.insert(slaPolicies).values(input.map((p) => ({ priority: p.priority, first_response_minutes: p.first_response_minutes, resolution_minutes: p.resolution_minutes })));
    const after = await getSlaPolicies(tx);
    await audit(tx, { action: 'update', table: 'sla-policies', before, after });
    return after;
  });
}
