import { sql } from 'drizzle-orm';
import type { CheckSpec } from '../health/health.service.js';

// Data health of gateway payments: what a bypass of the rules (triggers disabled, a unique index dropped, a restore
// without constraints) could leave broken. `npm run check` and the Data health page run them with the others.
export const gatewayChecks: CheckSpec[] = [
  {
    name: 'gateway_payments_unrecorded',
    label: 'Gateway payments captured for a known customer but not recorded, recorded while not captured, or recorded as a payment of another amount, customer or id',
    broken: sql`select g.id::text as id from gateway_payments g left join payments p on p.id = g.payment_id
      where (g.status in ('captured', 'refunded') and g.customer_id is not null and g.payment_id is null)
         or (g.payment_id is not null and (g.status not in ('captured', 'refunded') or p.id is null or p.method <> 'gateway'
             or p.reference is distinct from g.gateway_payment_id or p.amount_paise <> g.amount_paise or p.customer_id is distinct from g.customer_id))`,
  },
  {
    name: 'gateway_events_applied_twice',
    label: 'Gateway events received twice, or one gateway payment recorded as more than one payment',
    broken: sql`select 'event ' || event_id as id from gateway_events group by event_id having count(*) > 1
      union all
      select 'payment ' || reference from payments where method = 'gateway' group by reference having count(*) > 1`,
  },
  {
    name: 'settlements_inconsistent',
    label: "Settlement lines matched to a payment of another amount or one not captured, lines of an unknown payment we know, or files whose counts are not their lines'",
    broken: sql`select l.id::text as id from settlement_lines l left join gateway_payments g on g.id = l.gateway_payment_id
      where (l.status = 'matched' and (g.id is null or g.amount_paise <> l.amount_paise or g.status not in ('captured', 'refunded') or g.gateway_payment_id <> l.payment_ref))
         or (l.status = 'unknown_payment' and exists (select 1 from gateway_payments k where k.gateway_payment_id = l.payment_ref and l.created_at > k.created_at))
      union all
      select u.id::text from settlement_uploads u
      left join (select upload_id, count(*) as n, count(*) filter (where status = 'matched') as matched from settlement_lines group by upload_id) c on c.upload_id = u.id
      where coalesce(c.n, 0) <> u.matched_count + u.exception_count or coalesce(c.matched, 0) <> u.matched_count`,
  },
];
