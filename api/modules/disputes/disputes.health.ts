import { sql } from 'drizzle-orm';
import type { CheckSpec } from '../health/health.service.js';

// Data health of support's disputes, their threads and the WhatsApp inbox: what a bypass of the rules (triggers off
// with session_replication_role, a restore without constraints, a hand-run UPDATE) could leave. `npm run check` and
// the Data health page run them with the others. Every change of a dispute writes an audit row carrying its status
// (the services do it in the change's transaction), so the audit trail is the status history these checks read.
export const disputeChecks: CheckSpec[] = [
  {
    name: 'disputes_status_unexplained',
    label: 'Disputes whose status is not the one their last audited change left, or whose audited moves are not in dispute_transitions',
    broken: sql`select d.id::text as id from disputes d
      where not exists (
        select 1 from audit_logs a
        where a.table_name = 'disputes' and a.record_id = d.id and a.after->>'status' = d.status::text
          and a.created_at = (select max(b.created_at) from audit_logs b where b.table_name = 'disputes' and b.record_id = d.id))
      union
      select a.record_id::text from audit_logs a
      where a.table_name = 'disputes' and a.before->>'status' is not null and a.after->>'status' is not null and a.before->>'status' <> a.after->>'status'
        and not exists (select 1 from dispute_transitions t where t.from_status::text = a.before->>'status' and t.to_status::text = a.after->>'status')`,
  },
  {
    name: 'disputes_links_other_customer',
    label: "Disputes linked to another customer's delivery, order, invoice, redelivery or refund, or to a delivery of another order than the one they carry",
    broken: sql`select d.id::text as id from disputes d
      left join orders o on o.id = d.order_id
      left join invoices i on i.id = d.invoice_id
      left join deliveries dl on dl.id = d.delivery_id
      left join orders dlo on dlo.id = d.delivery_order_id
      left join orders ro on ro.id = d.redelivery_order_id
      where o.customer_id <> d.customer_id or i.customer_id <> d.customer_id or dl.order_id <> d.delivery_order_id
         or dlo.customer_id <> d.customer_id or ro.customer_id <> d.customer_id
         or (d.delivery_id is null) <> (d.delivery_order_id is null)
      union
      select r.dispute_id::text from refunds r join disputes d on d.id = r.dispute_id where r.customer_id <> d.customer_id`,
  },
  {
    name: 'disputes_merge_inconsistent',
    label: "Disputes merged into (or following) another customer's dispute, merged but not closed, or merged into one that is itself merged away in a loop",
    broken: sql`select d.id::text as id from disputes d
      left join disputes m on m.id = d.merged_into_id
      left join disputes f on f.id = d.follows_id
      where m.customer_id <> d.customer_id or f.customer_id <> d.customer_id
         or (d.merged_into_id is not null and (d.status <> 'closed' or d.outcome is distinct from 'merged'))
         or (d.outcome = 'merged' and d.merged_into_id is null)
         or d.merged_into_id = d.id or (m.merged_into_id = d.id)`,
  },
  {
    name: 'dispute_threads_other_customer',
    label: "Thread messages bound to another customer than their dispute's, or written as that other customer",
    broken: sql`select m.id::text as id from dispute_messages m join disputes d on d.id = m.dispute_id
      where m.customer_id <> d.customer_id or m.author_customer_id <> d.customer_id`,
  },
  {
    name: 'inbound_messages_misplaced',
    label: "WhatsApp messages in another customer's dispute, matched to a customer whose phone is not the sender's, or unmatched though a customer has that phone",
    broken: sql`select im.id::text as id from inbound_messages im
      left join disputes d on d.id = im.dispute_id
      left join customers c on c.id = im.customer_id
      where d.customer_id <> im.customer_id
         or (im.status = 'matched' and c.phone <> im.from_phone)
         or (im.status <> 'unmatched') <> (im.customer_id is not null and im.dispute_id is not null)
         or (im.status = 'unmatched' and exists (select 1 from customers k where k.phone = im.from_phone and k.created_at <= im.created_at))`,
  },
];
