import { z } from '@hono/zod-openapi';
import { DateString, Instant } from '../../lib/input.js';

export const deliveryStatuses = ['pending', 'delivered', 'partial', 'failed'] as const;
export const shifts = ['morning', 'evening'] as const;
export const orderKinds = ['subscription', 'one_time'] as const;


export const ReassignBody = z
  .object({
    staff_id: z.uuid({ message: 'staff_id must be the id of a staff member (or null to unassign).' }).nullable(),
  })
  .strict();
export type ReassignInput = z.infer<typeof ReassignBody>;

export const ConfirmBody = z
  .object({
    // Items left out were delivered in full: the usual confirmation is an empty list.
    items: z
      .array(
        z
          .object({
            order_item_id: z.uuid({ message: 'order_item_id must be the id of an item of this order.' }),
            quantity: z.number().int('Quantities are whole units.').min(0, 'A delivered quantity cannot be negative.'),
          })
          .strict(),
      )
      .max(200)
      .default([]),
    delivered_at: Instant.optional(),
    lat: z.number().min(-90, 'Latitude must be between -90 and 90.').max(90, 'Latitude must be between -90 and 90.').optional(),
    lng: z.number().min(-180, 'Longitude must be between -180 and 180.').max(180, 'Longitude must be between -180 and 180.').optional(),
    proof_note: z.string().trim().max(500).default(''),
  })
  .strict()
  .refine((b) => (b.lat === undefined) === (b.lng === undefined), { message: 'Give both lat and lng, or neither.', path: ['lat'] });
/** What the confirm verb takes (seeds and benchmarks call it directly): items left out were delivered in full. */
export interface ConfirmInput {
  items?: { order_item_id: string; quantity: number }[];
  delivered_at?: Date;
  lat?: number;
  lng?: number;
  proof_note?: string;
}

export const FailBody = z
  .object({
    reason: z.string().trim().min(3, 'Give a reason of at least 3 characters.').max(500),
    at: Instant.optional(),
  })
  .strict();
export interface FailInput {
  reason: string;
  at?: Date;
}

export const RunSheetQuery = z
  .object({
    date: DateString.optional(),
    shift: z.enum(shifts, { message: 'shift must be morning or evening.' }).default('morning'),
    staff_id: z.uuid({ message: 'staff_id must be the id of a staff member.' }).optional(),
  })
  .strict();
export interface RunSheetInput {
  date?: string;
  shift?: (typeof shifts)[number];
  staff_id?: string;
}
