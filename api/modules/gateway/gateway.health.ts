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
];
