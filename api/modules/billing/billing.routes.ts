import { billingRecords } from '../../../db/schema/index.js';
import { mountResource, type Router } from '../../lib/http.js';
import { billingRecordColumns as col, billingRecordResource } from './billing-records.service.js';
import { BillingRecord } from './billing.schemas.js';

export function mountBilling(app: Router) {
  // Read-only: no create, update or delete routes (records come from delivery confirmation; the database refuses changes).
  mountResource(app, {
    resource: billingRecordResource,
    row: BillingRecord,
    list: {
      fields: {
        id: { column: billingRecords.id, type: 'uuid' },
        delivery_item_id: { column: billingRecords.delivery_item_id, type: 'uuid' },
        customer_id: { column: billingRecords.customer_id, type: 'uuid' },
        customer_name: { column: col.customer_name, type: 'text', sortable: true },
        order_id: { column: billingRecords.order_id, type: 'uuid' },
        product_id: { column: billingRecords.product_id, type: 'uuid' },
        product_name: { column: col.product_name, type: 'text', sortable: true },
        invoice_id: { column: billingRecords.invoice_id, type: 'uuid' },
        invoice_number: { column: col.invoice_number, type: 'text', sortable: true },
        is_invoiced: { column: col.is_invoiced, type: 'bool', sortable: true },
        service_date: { column: billingRecords.service_date, type: 'date', sortable: true },
        source: { column: billingRecords.source, type: 'enum', values: ['delivery', 'legacy_import'], sortable: true },
        legacy_billed: { column: billingRecords.legacy_billed, type: 'bool', sortable: true },
        hsn_code: { column: billingRecords.hsn_code, type: 'text', sortable: true },
        gst_rate_bp: { column: billingRecords.gst_rate_bp, type: 'int', sortable: true },
        quantity: { column: billingRecords.quantity, type: 'int', sortable: true },
        total_paise: { column: billingRecords.total_paise, type: 'int', sortable: true },
        created_at: { column: billingRecords.created_at, type: 'timestamp', sortable: true },
      },
      search: [col.customer_name, col.product_name, col.invoice_number],
      defaultSort: { field: 'service_date', order: 'desc' },
    },
  });
}
