import { z } from '@hono/zod-openapi';

export const units = ['packet', 'litre', 'ml', 'kg', 'g', 'piece', 'dozen', 'bottle'] as const;
export const gstRates = [0, 500, 1200, 1800, 2800] as const;

const ProductFields = {
  name: z.string().trim().min(1, 'Enter a product name.').max(120),
  category: z.string().trim().min(1).max(60).default('dairy'),
  unit: z.enum(units, { message: `Unit must be one of ${units.join(', ')}.` }),
  unit_size: z.string().trim().max(40).default(''),
  price_paise: z.number().int('Price must be whole paise.').min(0, 'The price cannot be negative.').max(100_000_00, 'Price too large.'),
  hsn_code: z.string().trim().regex(/^\d{4}(\d{2}){0,2}$/, 'The HSN code must be 4, 6 or 8 digits.'),
  gst_rate_bp: z
    .number()
    .int()
    .refine((v) => (gstRates as readonly number[]).includes(v), 'The GST rate must be 0%, 5%, 12%, 18% or 28% (0, 500, 1200, 1800, 2800 basis points).')
    .default(0),
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
