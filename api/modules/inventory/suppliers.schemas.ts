import { z } from '@hono/zod-openapi';
import { gstinProblem } from '../../../shared/supplier.js';
import { suppliers } from '../../../db/schema/index.js';
import { tableRow } from '../../lib/schemas.js';

export const SupplierProductInput = z.object({
  product_id: z.uuid({ message: 'Choose a product.' }),
  price_paise: z.number().int('Price is whole paise.').min(0, 'A price cannot be negative.').max(100_000_000, 'At most ₹10,00,000.'),
  lead_time_days: z.number().int('Lead time is whole days.').min(0, 'Lead time is 0 to 60 days.').max(60, 'Lead time is 0 to 60 days.').default(1),
  pack_size: z.number().int('A pack holds whole units.').min(1, 'A pack holds at least 1 unit.').max(10_000, 'At most 10,000 units a pack.').default(1),
  pack_label: z.string().trim().max(60, 'At most 60 characters.').default(''),
  is_preferred: z.boolean().default(false),
});

const gstin = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .superRefine((g, ctx) => {
    const problem = gstinProblem(g);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const SupplierCreate = z.object({
  name: z.string().trim().min(1, 'Enter the supplier name.').max(120, 'At most 120 characters.'),
  gstin,
  contact_name: z.string().trim().max(120, 'At most 120 characters.').default(''),
  phone: z.string().trim().max(20, 'At most 20 characters.').regex(/^(\+?[0-9][0-9 -]{5,18}[0-9])?$/, 'Enter a phone number (digits, spaces, dashes).').default(''),
  email: z.union([z.literal(''), z.email('Enter a valid email address.')]).default(''),
  address: z.string().trim().max(300, 'At most 300 characters.').default(''),
  is_active: z.boolean().default(true),
  /** What the supplier sells: the whole list (an update replaces it). */
  products: z
    .array(SupplierProductInput)
    .max(500, 'At most 500 products.')
    .refine((l) => new Set(l.map((p) => p.product_id)).size === l.length, 'A product appears once in the list.')
    .default([]),
});
export const SupplierUpdate = z.object({
  name: SupplierCreate.shape.name.optional(),
  gstin: gstin.optional(),
  contact_name: z.string().trim().max(120).optional(),
  phone: z.string().trim().max(20).regex(/^(\+?[0-9][0-9 -]{5,18}[0-9])?$/, 'Enter a phone number (digits, spaces, dashes).').optional(),
  email: z.union([z.literal(''), z.email('Enter a valid email address.')]).optional(),
  address: z.string().trim().max(300).optional(),
  is_active: z.boolean().optional(),
  products: SupplierCreate.shape.products.optional(),
});

export const SupplierProduct = z.object({
  product_id: z.string(),
  product_name: z.string(),
  price_paise: z.number().int(),
  lead_time_days: z.number().int(),
  pack_size: z.number().int(),
  pack_label: z.string(),
  is_preferred: z.boolean(),
});
export const Supplier = tableRow(suppliers).extend({ products: z.array(SupplierProduct) }).openapi('Supplier');
