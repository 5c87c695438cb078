import { sql } from 'drizzle-orm';
import { billingRecords, customers, invoices, orders, products } from '../../../db/schema/index.js';
import { byCustomer, byProduct } from '../../lib/search.js';
import { mountResource, type Router } from '../../lib/http.js';
import { billingRecordColumns as col, billingRecordResource } from './billing-records.service.js';
import { BillingRecord } from './billing.schemas.js';

export function mountBilling(app: Router) {
  // Read-only: no create, update or delete routes (records come from delivery confirmation; the database refuses changes).
  mountResource(app, {
    resource: billingRecordResource,
    exportable: true,
    row: BillingRecord,
    list: {
      fields: {
        id: { column: billingRecords.id, type: 'uuid' },
        delivery_item_id: { column: billingRecords.delivery_item_id, type: 'uuid' },
        customer_id: { column: billingRecords.customer_id, type: 'uuid' },
        customer_name: { column: col.customer_name, type: 'text', sortable: 'narrowed', via: { column: customers.name, where: (cond) => sql`${billingRecords.customer_id} in (select ${customers.id} from ${customers} where ${cond})` } },
        // Through the order's customer: billing records are indexed by customer, not by order.
        order_id: { column: billingRecords.order_id, type: 'uuid', via: { column: orders.id, where: (cond) => sql`(${billingRecords.customer_id}, ${billingRecords.order_id}) in (select ${orders.customer_id}, ${orders.id} from ${orders} where ${cond})` } },
        product_id: { column: billingRecords.product_id, type: 'uuid' },
        product_name: { column: col.product_name, type: 'text', sortable: 'narrowed', via: { column: products.name, where: (cond) => sql`${billingRecords.product_id} in (select ${products.id} from ${products} where ${cond})` } },
        invoice_id: { column: billingRecords.invoice_id, type: 'uuid' },
        invoice_number: { column: col.invoice_number, type: 'text', sortable: 'narrowed', via: { column: invoices.number, where: (cond) => sql`${billingRecords.invoice_id} in (select ${invoices.id} from ${invoices} where ${cond})` } },
        is_invoiced: { column: col.is_invoiced, type: 'bool', sortable: 'narrowed' },
        service_date: { column: billingRecords.service_date, type: 'date', sortable: true },
        source: { column: billingRecords.source, type: 'enum', values: ['delivery', 'legacy_import'], sortable: 'narrowed' },
        legacy_billed: { column: billingRecords.legacy_billed, type: 'bool', sortable: 'narrowed' },
        hsn_code: { column: billingRecords.hsn_code, type: 'text', sortable: 'narrowed' },
        gst_rate_bp: { column: billingRecords.gst_rate_bp, type: 'int', sortable: 'narrowed' },
        quantity: { column: billingRecords.quantity, type: 'int', sortable: 'narrowed' },
        total_paise: { column: billingRecords.total_paise, type: 'int', sortable: 'narrowed' },
        created_at: { column: billingRecords.created_at, type: 'timestamp', sortable: 'narrowed' },
      },
      // The customers, products and invoices a word matches first (each trigram-indexed), then their records by the
      // records' own indexes on customer, product and invoice.
      search: [
        byCustomer(billingRecords.customer_id),
        byProduct(billingRecords.product_id),
        { key: billingRecords.invoice_id, ids: (w) => sql`select i.id from invoices i where i.number ilike ${w.pattern}` },
      ],
      narrowedBy: ['customer_id', 'order_id', 'invoice_id', 'delivery_item_id'],
      defaultSort: { field: 'service_date', order: 'desc' },
    },
  });
}
