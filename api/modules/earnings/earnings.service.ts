import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import { earningsLines, staff, zones } from '../../../db/schema/index.js';
import { ownStaffScope } from '../../lib/access.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { getRow, listRows, type ListPage, type Resource, type Row } from '../../lib/crud.js';
import { monthBounds } from '../../lib/dates.js';
import { notFound } from '../../lib/errors.js';
import type { ListQuery } from '../../lib/rest.js';
import { rowsOf } from '../../lib/sql.js';
import type { AdjustmentCreate, EarningsSummary } from './earnings.schemas.js';

const staffName = sql<string>`(select ${staff.name} from ${staff} where ${staff.id} = ${earningsLines.staff_id})`;
export const earningsColumns = { staff_name: staffName };

export const earningsResource: Resource = {
  name: 'earnings',
  label: 'Earnings line',
  table: earningsLines,
  selection: { ...getTableColumns(earningsLines), staff_name: staffName.as('staff_name') },
};

/** Delivery staff see their own lines only, whatever filters they send (the grant's `own` condition). */
function ownOnly(ctx: Ctx, action: 'list' | 'show') {
  const scope = ownStaffScope(ctx.actor, 'earnings', action);
  return scope ? eq(earningsLines.staff_id, scope) : undefined;
}

export async function listEarnings(ctx: Ctx, query: ListQuery): Promise<ListPage> {
  return listRows(ctx, earningsResource, { ...query, where: and(query.where, ownOnly(ctx, 'list')) });
}

export async function getEarningsLine(ctx: Ctx, id: string): Promise<Row> {
  const row = await getRow(ctx, earningsResource, id);
  const scope = ownStaffScope(ctx.actor, 'earnings', 'show');
  if (scope && row.staff_id !== scope) throw notFound('Earnings line');
  return row;
}

/** A manual line with its reason (a bonus, a recovery): earned on the day given, paid with the month's batch. */
export async function createAdjustment(ctx: Ctx, input: AdjustmentCreate): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const [member] = await tx.db.select({ id: staff.id }).from(staff).where(eq(staff.id, input.staff_id));
    if (!member) throw notFound('Staff member');
    const [inserted] = await tx.db
      .insert(earningsLines)
      .values({ staff_id: input.staff_id, type: 'adjustment', amount_paise: input.amount_paise, earned_on: input.earned_on, reason: input.reason, created_by: tx.actor?.id ?? null })
      .returning({ id: earningsLines.id });
    const row = await getRow(tx, earningsResource, inserted.id);
    await audit(tx, { action: 'create', table: 'earnings', recordId: inserted.id, after: row });
    return row;
  });
}

/** The staff member a summary or statement is of; delivery staff may ask only for themselves (another is a 404). */
async function staffFor(ctx: Ctx, id: string) {
  const scope = ownStaffScope(ctx.actor, 'earnings', 'show');
  if (scope && scope !== id) throw notFound('Staff member');
  const [row] = await ctx.db
    .select({ id: staff.id, name: staff.name, zone_id: staff.zone_id, zone_name: zones.name })
    .from(staff)
    .leftJoin(zones, eq(zones.id, staff.zone_id))
    .where(eq(staff.id, id));
  if (!row) throw notFound('Staff member');
  return row;
}

const num = (v: unknown) => Number(v ?? 0);

/**
 * A staff member's month from their earnings lines (indexed by staff and day): drops (base lines), litres, on-time
 * rate, failures (attempt and deduction lines), totals by type, each day for a chart, and the same figures for every
 * staff member of their zone to compare with.
 */
export async function earningsSummary(ctx: Ctx, id: string, month: string): Promise<EarningsSummary> {
  const member = await staffFor(ctx, id);
  const { start, end } = monthBounds(month);
  const perStaff = (who: ReturnType<typeof sql>) => sql`
    select e.staff_id, count(*) filter (where e.type = 'base')::int as drops, coalesce(sum(e.quantity_ml), 0)::bigint as ml,
           count(*) filter (where e.type = 'on_time')::int as on_time,
           count(*) filter (where e.type in ('attempt', 'failure_deduction'))::int as failures,
           count(*) filter (where e.type = 'failure_deduction')::int as staff_fault,
           coalesce(sum(e.amount_paise), 0)::bigint as total,
           coalesce(sum(e.amount_paise) filter (where e.payout_item_id is not null and i.status = 'paid'), 0)::bigint as paid
    from earnings_lines e left join payout_items i on i.id = e.payout_item_id
    where ${who} and e.earned_on between ${start}::date and ${end}::date group by e.staff_id`;
  const [mine] = rowsOf<Record<string, unknown>>(await ctx.db.execute(perStaff(sql`e.staff_id = ${id}::uuid`)));
  const byType = rowsOf<{ type: string; total: unknown }>(
    await ctx.db.execute(sql`select type::text, sum(amount_paise)::bigint as total from earnings_lines
      where staff_id = ${id}::uuid and earned_on between ${start}::date and ${end}::date group by type order by type`),
  );
  const days = rowsOf<Record<string, unknown>>(
    await ctx.db.execute(sql`select g.day::date::text as day,
        count(e.id) filter (where e.type = 'base')::int as drops, count(e.id) filter (where e.type in ('attempt', 'failure_deduction'))::int as failures,
        count(e.id) filter (where e.type = 'on_time')::int as on_time, coalesce(sum(e.amount_paise), 0)::bigint as amount
      from generate_series(${start}::date, ${end}::date, interval '1 day') g(day)
      left join earnings_lines e on e.staff_id = ${id}::uuid and e.earned_on = g.day::date
      group by g.day order by g.day`),
  );
  const zoneRows = member.zone_id
    ? rowsOf<Record<string, unknown>>(
        await ctx.db.execute(sql`select s.id as staff_id, s.name, z.* from staff s
          left join (${perStaff(sql`e.staff_id in (select id from staff where zone_id = ${member.zone_id}::uuid)`)}) z on z.staff_id = s.id
          where s.zone_id = ${member.zone_id}::uuid and (s.is_active or z.staff_id is not null) order by z.total desc nulls last, s.name`),
      )
    : [];
  const rate = (onTime: number, drops: number) => (drops ? Math.round((onTime / drops) * 1000) / 1000 : null);
  const drops = num(mine?.drops);
  const total = num(mine?.total);
  const paid = num(mine?.paid);
  return {
    staff: member,
    month,
    from: start,
    to: end,
    drops,
    litres: num(mine?.ml) / 1000,
    on_time: num(mine?.on_time),
    on_time_rate: rate(num(mine?.on_time), drops),
    failures: num(mine?.failures),
    failures_staff_fault: num(mine?.staff_fault),
    total_paise: total,
    paid_paise: paid,
    unpaid_paise: total - paid,
    by_type: Object.fromEntries(byType.map((t) => [t.type, num(t.total)])),
    days: days.map((d) => ({ day: String(d.day), drops: num(d.drops), failures: num(d.failures), on_time: num(d.on_time), amount_paise: num(d.amount) })),
    zone_staff: zoneRows.map((z) => ({
      staff_id: String(z.staff_id),
      name: String(z.name),
      drops: num(z.drops),
      litres: num(z.ml) / 1000,
      on_time_rate: rate(num(z.on_time), num(z.drops)),
      failures: num(z.failures),
      total_paise: num(z.total),
    })),
  };
}

/** A staff member's adjustments of a month, for the statement (the drops are summed per day). */
export async function monthAdjustments(ctx: Ctx, id: string, month: string) {
  const { start, end } = monthBounds(month);
  return rowsOf<{ earned_on: string; amount_paise: unknown; reason: string | null }>(
    await ctx.db.execute(sql`select earned_on::text, amount_paise, reason from earnings_lines
      where staff_id = ${id}::uuid and type = 'adjustment' and earned_on between ${start}::date and ${end}::date order by earned_on, created_at`),
  );
}
