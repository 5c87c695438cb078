import { sql } from 'drizzle-orm';
import type { CheckSpec } from '../health/health.service.js';

// Data health of staff pay: what a bypass of the rules (triggers disabled, a restore without them) could leave broken.
// `npm run check` and the Data health page run them with the chain's.
export const earningsChecks: CheckSpec[] = [
  {
    name: 'deliveries_without_earnings',
    label: 'Settled deliveries with someone to pay but no earnings line (base, attempt or deduction), or earning for someone else',
    broken: sql`select d.id::text as id from deliveries d
      where d.status <> 'pending' and delivery_earner(d) is not null
        and not exists (select 1 from earnings_lines e where e.delivery_id = d.id and e.type in ('base', 'attempt', 'failure_deduction'))
        -- History imported from the old system was paid there: it lands settled and earns nothing here.
        and not exists (select 1 from legacy_ids l where l.record_id in (d.id, d.order_id))
      union
      select e.delivery_id::text from earnings_lines e join deliveries d on d.id = e.delivery_id
      where e.staff_id is distinct from delivery_earner(d) or e.earned_on is distinct from d.delivered_on or d.status = 'pending'`,
  },
  {
    name: 'payouts_inconsistent',
    label: "Payout transfers that are not the sum of their lines, batches whose total is not their transfers', or approved by whoever drafted them",
    broken: sql`select i.id::text as id from payout_items i
      left join (select payout_item_id, sum(amount_paise) as s, count(*) as n from earnings_lines where payout_item_id is not null group by payout_item_id) l on l.payout_item_id = i.id
      where (i.status in ('pending', 'paid') and (coalesce(l.s, 0) <> i.amount_paise or coalesce(l.n, 0) <> i.line_count))
         or (i.status in ('failed', 'reversed') and l.n is not null)
      union
      select b.id::text from payout_batches b
      left join (select batch_id, sum(amount_paise) as s, count(*) as n from payout_items group by batch_id) i on i.batch_id = b.id
      where coalesce(i.s, 0) <> b.total_paise or coalesce(i.n, 0) <> b.staff_count or b.approved_by = b.created_by`,
  },
];
