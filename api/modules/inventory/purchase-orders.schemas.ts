import { z } from '@hono/zod-openapi';
import { purchaseOrders } from '../../../db/schema/index.js';
import { DateString } from '../../lib/input.js';
import { tableRow } from '../../lib/schemas.js';

export const purchaseOrderStatuses = ['draft', 'approved', 'sent', 'partially_received', 'received', 'cancelled'] as const;

const unique = (l: { product_id: string }[]) => new Set(l.map((x) => x.product_id)).size === l.length;

export const PurchaseOrderCreate = z.object({
  supplier_id: z.uuid({ message: 'Choose a supplier.' }),
  depot_id: z.uuid({ message: 'Choose a depot.' }),
  expected_date: DateString.optional(),
  note: z.string().trim().max(500, 'At most 500 characters.').default(''),
  lines: z
    .array(
      z.object({
        product_id: z.uuid({ message: 'Choose a product.' }),
        quantity: z.number().int('Whole units.').min(1, 'Order at least 1.').max(1_000_000, 'At most 1,000,000.'),
        /** Default: the supplier's price for the product. */
        unit_price_paise: z.number().int('Whole paise.').min(0, 'A price cannot be negative.').max(100_000_000).optional(),
      }),
    )
    .min(1, 'A purchase order has at least one line.')
    .max(200, 'At most 200 lines.')
    .refine(unique, 'A product appears once on a purchase order.'),
});
export type PurchaseOrderCreate = z.infer<typeof PurchaseOrderCreate>;

export const PurchaseOrderCancel = z.object({ reason: z.string().trim().min(3, 'Say why (at least 3 characters).').max(500, 'At most 500 characters.') });

export const PurchaseOrderReceive = z.object({
  lines: z
    .array(
      z.object({
        product_id: z.uuid({ message: 'Choose a product.' }),
        quantity_accepted: z.number().int('Whole units.').min(0, 'Not negative.').max(1_000_000),
        quantity_rejected: z.number().int('Whole units.').min(0, 'Not negative.').max(1_000_000).default(0),
        batch_code: z.string().trim().min(1, 'Enter the batch code.').max(60, 'At most 60 characters.').optional(),
        expiry_date: DateString.optional(),
      }),
    )
    .min(1, 'Receive at least one line.')
    .max(200)
    .refine(unique, 'A product appears once in a receipt.')
    .superRefine((l, ctx) => {
      l.forEach((x, i) => {
        if (x.quantity_accepted > 0 && (!x.batch_code || !x.expiry_date)) ctx.addIssue({ code: 'custom', message: 'Accepted goods need their batch code and expiry date.', path: [i, 'batch_code'] });
        if (x.quantity_accepted + x.quantity_rejected === 0) ctx.addIssue({ code: 'custom', message: 'Receive at least one unit (accepted or rejected) on each line.', path: [i, 'quantity_accepted'] });
      });
    }),
});
export type PurchaseOrderReceive = z.infer<typeof PurchaseOrderReceive>;

export const PurchaseOrderLine = z.object({
  id: z.string(),
  product_id: z.string(),
  product_name: z.string(),
  quantity: z.number().int(),
  unit_price_paise: z.number().int(),
  quantity_accepted: z.number().int(),
  quantity_rejected: z.number().int(),
});
export const PurchaseOrder = tableRow(purchaseOrders)
  .extend({ supplier_name: z.string(), depot_name: z.string(), created_by_name: z.string(), approved_by_name: z.string().nullable(), lines: z.array(PurchaseOrderLine) })
  .openapi('PurchaseOrder');
