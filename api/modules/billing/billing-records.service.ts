import { getTableColumns, sql } from 'drizzle-orm';
import { billingRecords, customers, invoices, products } from '../../../db/schema/index.js';
import type { Resource } from '../../lib/crud.js';

/** Computed columns of a billing record; also usable as filter and sort expressions. */
export const billingRecordColumns = {
  customer_name: sql<string>`(select ${customers.name} from ${customers} where ${customers.id} = ${billingRecords.customer_id})`,
  product_name: sql<string>`(select ${products.name} from ${products} where ${products.id} = ${billingRecords.product_id})`,
  invoice_number: sql<string | null>`(select ${invoices.number} from ${invoices} where ${invoices.id} = ${billingRecords.invoice_id})`,
  // Whether the record is on an invoice; "still to invoice" is is_invoiced=false&legacy_billed=false.
  is_invoiced: sql<boolean>`(${billingRecords.invoice_id} is not null)`,
};

/** Billing records are written only by delivery confirmation (and never changed but for their invoice link): read-only here. */
export const billingRecordResource: Resource = {
  name: 'billing-records',
  label: 'Billing record',
  table: billingRecords,
  // Each computed column nested once: drizzle unqualifies the columns at the top level of a selected SQL when one
  // table is in FROM, which would turn `customers.id = billing_records.customer_id` into a self-comparison.
  selection: {
    ...getTableColumns(billingRecords),
    ...Object.fromEntries(Object.entries(billingRecordColumns).map(([name, expr]) => [name, sql`${expr}`.as(name)])),
  },
};
