import { z } from '@hono/zod-openapi';
import { productRequests, products } from '../../../db/schema/index.js';
import { tableRow, Uuid } from '../../lib/schemas.js';

export const units = ['packet', 'litre', 'ml', 'kg', 'g', 'piece', 'dozen', 'bottle'] as const;

const ProductFields = {
  name: z.string().trim().min(1, 'Enter a product name.').max(120),
  category: z.string().trim().min(1).max(60).default('dairy'),
  unit: z.enum(units, { message: `Unit must be one of ${units.join(', ')}.` }),
  unit_size: z.string().trim().max(40).default(''),
  price_paise: z.number().int('Price must be whole paise.').min(0, 'The price cannot be negative.').max(100_000_00, 'Price too large.'),
  hsn_code: z.string().trim().regex(/^\d{4}(\d{2}){0,2}$/, 'The HSN code must be 4, 6 or 8 digits.'),
  // Which rates are in use is data (the gst_rates table, GET /api/gst-rates): the service checks it.
  gst_rate_bp: z.number().int('The GST rate is whole basis points (500 = 5%).').min(0).max(10000).default(0),
};

export const ProductCreate = z.object({
  ...ProductFields,
  sku: z.string().trim().min(1, 'Enter a SKU.').max(40).regex(/^[A-Z0-9-]+$/, 'SKU: capital letters, digits and dashes.'),
  is_active: z.boolean().default(true),
});
export const ProductUpdate = z
  .object({
    ...ProductFields,
    category: z.string().trim().min(1).max(60),
    unit_size: z.string().trim().max(40),
    gst_rate_bp: ProductFields.gst_rate_bp.unwrap(),
    sku: ProductCreate.shape.sku,
    is_active: z.boolean(),
  })
  .partial();

export const ProductRequestCreate = z.object({ ...ProductFields, note: z.string().max(1000).default('') });

export const ApproveBody = z.object({
  sku: ProductCreate.shape.sku.optional(),
});
export const RejectBody = z.object({
  reason: z.string().trim().min(3, 'Give a reason of at least 3 characters.').max(500),
});
export const BulkBody = z.object({
  ids: z.array(z.uuid()).min(1, 'Select at least one request.').max(200, 'At most 200 at a time.'),
  action: z.enum(['approve', 'reject']),
  reason: z.string().trim().max(500).optional(),
});

// Responses: rows as the API returns them (the admin's types are inferred from these).
export const Product = tableRow(products).openapi('Product');
export type Product = z.infer<typeof Product>;
export const ProductRequest = tableRow(productRequests)
  .extend({ requested_by_name: z.string().nullable(), decided_by_name: z.string().nullable() })
  .openapi('ProductRequest');
export type ProductRequest = z.infer<typeof ProductRequest>;
export const BulkResult = z.object({ succeeded: z.array(Uuid), failed: z.array(z.object({ id: Uuid, message: z.string() })) }).openapi('BulkResult');
export type BulkResult = z.infer<typeof BulkResult>;
export const GstRate = z.object({ rate_bp: z.number().int(), label: z.string(), in_use: z.boolean() }).openapi('GstRate');
