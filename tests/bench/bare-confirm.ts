import { randomUUID } from 'node:crypto';
import { istDate } from '../../api/lib/dates.js';
import { lineAmounts } from '../../shared/money.js';

/**
 * The confirmation's write, built by hand for the bare server: the same data-modifying statement
 * confirmDelivery sends (api/modules/deliveries/deliveries.service.ts), parameter for parameter, for a manager (no
 * staff scope) confirming everything delivered. run.ts compares its text with the captured one before measuring.
 */

/** What the confirmation's read answers (its columns by name; the bench passes their order). */
export interface OutcomeRow {
  id: string;
  order_id: string;
  staff_id: string | null;
  status: string;
  customer_id: string;
  order_status: string;
  items: { order_item_id: string; product_id: string; product_name: string; unit_size: string; ordered_quantity: number; unit_price_paise: number; hsn_code: string; gst_rate_bp: number }[];
  [column: string]: unknown;
}

export function confirmWrite(row: OutcomeRow, opts: { actorId: string; requestId?: string }): { sql: string; params: unknown[]; body: Record<string, unknown> } {
  const params: unknown[] = [];
  const p = (value: unknown, cast: string) => {
    params.push(value);
    return `$${params.length}::${cast}`;
  };
  const at = new Date();
  const now = new Date();
  const on = istDate(at);
  const lines = row.items.map((i) => ({
    ...i,
    quantity: i.ordered_quantity,
    amounts: lineAmounts(i.ordered_quantity, i.unit_price_paise, i.gst_rate_bp),
    delivery_item_id: randomUUID(),
    billing_record_id: randomUUID(),
  }));
  const billedTotal = lines.reduce((s, l) => s + l.amounts.total_paise, 0);
  const items = lines.map((l) => ({
    order_item_id: l.order_item_id,
    product_id: l.product_id,
    product_name: l.product_name,
    unit_size: l.unit_size,
    ordered_quantity: l.ordered_quantity,
    quantity: l.quantity,
    unit_price_paise: l.unit_price_paise,
    gst_rate_bp: l.gst_rate_bp,
    billing_record_id: l.billing_record_id,
    total_paise: l.amounts.total_paise,
  }));
  const before = { status: 'pending', staff_id: row.staff_id, order_status: 'pending' };
  const after = {
    status: 'delivered',
    delivered_at: at,
    order_status: 'delivered',
    billed_total_paise: billedTotal,
    items: items.map((i) => ({ order_item_id: i.order_item_id, quantity: i.quantity, billing_record_id: i.billing_record_id })),
  };
  const text = `
      with o0 as (
        select id from "orders" where id = ${p(row.order_id, 'uuid')} and status = 'pending' for no key update
      ), d as (
        update "deliveries"
        set status = ${p('delivered', 'delivery_status')}, delivered_at = ${p(at.toISOString(), 'timestamptz')}, delivered_on = ${p(on, 'date')},
            lat = ${p(null, 'float8')}, lng = ${p(null, 'float8')}, proof_note = ${p('', 'text')},
            confirmed_by = ${p(opts.actorId, 'uuid')}, updated_at = ${p(now.toISOString(), 'timestamptz')}
        where id = ${p(row.id, 'uuid')} and status = 'pending' and exists (select 1 from o0)
        returning id
      ), di as (
        insert into "delivery_items" (id, delivery_id, order_id, order_item_id, ordered_quantity, quantity)
        select v.id, ${p(row.id, 'uuid')}, ${p(row.order_id, 'uuid')}, v.order_item_id, v.ordered_quantity, v.quantity
        from (values ${lines.map((l) => `(${p(l.delivery_item_id, 'uuid')}, ${p(l.order_item_id, 'uuid')}, ${p(l.ordered_quantity, 'int')}, ${p(l.quantity, 'int')})`).join(', ')}) as v(id, order_item_id, ordered_quantity, quantity)
        where exists (select 1 from d)
      ), br as (
        insert into "billing_records" (id, delivery_item_id, quantity, customer_id, order_id, product_id, service_date, unit_price_paise,
                                       hsn_code, gst_rate_bp, taxable_paise, cgst_paise, sgst_paise, total_paise)
        select v.id, v.delivery_item_id, v.quantity, ${p(row.customer_id, 'uuid')}, ${p(row.order_id, 'uuid')}, v.product_id, ${p(on, 'date')}, v.unit_price_paise,
               v.hsn_code, v.gst_rate_bp, v.taxable, v.cgst, v.sgst, v.total
        from (values ${lines
          .map(
            (l) =>
              `(${p(l.billing_record_id, 'uuid')}, ${p(l.delivery_item_id, 'uuid')}, ${p(l.quantity, 'int')}, ${p(l.product_id, 'uuid')}, ${p(l.unit_price_paise, 'int')}, ${p(l.hsn_code, 'text')},
             ${p(l.gst_rate_bp, 'int')}, ${p(l.amounts.taxable_paise, 'int')}, ${p(l.amounts.cgst_paise, 'int')}, ${p(l.amounts.sgst_paise, 'int')}, ${p(l.amounts.total_paise, 'int')})`,
          )
          .join(', ')}) as v(id, delivery_item_id, quantity, product_id, unit_price_paise, hsn_code, gst_rate_bp, taxable, cgst, sgst, total)
        where exists (select 1 from d)
      ), o as (
        update "orders" set status = ${p('delivered', 'order_status')}, updated_at = ${p(now.toISOString(), 'timestamptz')}
        where id = ${p(row.order_id, 'uuid')} and exists (select 1 from d)
      ), a as (
        insert into "audit_logs" (user_id, action, table_name, record_id, before, after, request_id)
        select ${p(opts.actorId, 'uuid')}, 'confirm', 'deliveries', ${p(row.id, 'uuid')}, ${p(JSON.stringify(before), 'jsonb')}, ${p(JSON.stringify(after), 'jsonb')}, ${p(opts.requestId ?? randomUUID(), 'text')}
        from d
      )
      select 1 as ok from d`;
  const { items: _read, ...view } = row;
  const body = { ...view, status: 'delivered', delivered_at: at, delivered_on: on, lat: null, lng: null, proof_note: '', confirmed_by: opts.actorId, updated_at: now, order_status: 'delivered', billed_total_paise: billedTotal, items };
  return { sql: text, params, body };
}
