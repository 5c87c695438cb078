import { z } from '@hono/zod-openapi';
import { billingRecords } from '../../../db/schema/index.js';
import { tableRow } from '../../lib/schemas.js';

export const BillingRecord = tableRow(billingRecords)
  .extend({ customer_name: z.string(), product_name: z.string(), invoice_number: z.string().nullable(), is_invoiced: z.boolean() })
  .openapi('BillingRecord');
export type BillingRecord = z.infer<typeof BillingRecord>;
