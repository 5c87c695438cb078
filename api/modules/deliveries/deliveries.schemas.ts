import { z } from '@hono/zod-openapi';
import { DateString, Instant } from '../../lib/input.js';
import { deliveries, orders } from '../../../db/schema/index.js';
import { DateOnly, Paise, tableRow, Uuid } from '../../lib/schemas.js';

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
    // A reason code (GET /api/failure-reasons) says whose fault it was: the staff's costs them their card's deduction.
    reason_code: z.string().trim().regex(/^[a-z][a-z0-9_]{1,39}$/, 'A reason code is lower-case letters, digits and _.').optional(),
    at: Instant.optional(),
  })
  .strict();
export interface FailInput {
  reason: string;
  reason_code?: string;
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

// Responses: rows as the API returns them (the admin's types are inferred from these).
export const Delivery = tableRow(deliveries)
  .pick({
    id: true, order_id: true, order_date: true, status: true, staff_id: true, delivered_at: true, delivered_on: true, lat: true, lng: true,
    proof_note: true, failure_reason: true, confirmed_by: true, created_at: true, updated_at: true,
  })
  .extend({
    staff_name: z.string().nullable(),
    customer_id: Uuid,
    customer_name: z.string(),
    customer_phone: z.string(),
    address_id: Uuid,
    address_line: z.string(),
    pin_code: z.string(),
    zone_id: Uuid.nullable(),
    zone_name: z.string().nullable(),
    delivery_date: DateOnly,
    shift: z.enum(shifts),
    kind: z.enum(orderKinds),
    order_status: z.enum(orders.status.enumValues),
    item_count: z.number().int(),
  })
  .openapi('Delivery');
export type Delivery = z.infer<typeof Delivery>;

export const ConfirmedItem = z
  .object({
    order_item_id: Uuid,
    product_id: Uuid,
    product_name: z.string(),
    unit_size: z.string(),
    ordered_quantity: z.number().int(),
    quantity: z.number().int(),
    unit_price_paise: Paise,
    gst_rate_bp: z.number().int(),
    billing_record_id: Uuid.nullable(),
    total_paise: Paise,
  })
  .openapi('ConfirmedItem');
export const ConfirmResult = Delivery.extend({ billed_total_paise: Paise, items: z.array(ConfirmedItem) }).openapi('ConfirmResult');
export type ConfirmResult = z.infer<typeof ConfirmResult>;

export const RunSheetItem = z
  .object({ order_item_id: Uuid, product_name: z.string(), unit_size: z.string(), quantity: z.number().int(), delivered_quantity: z.number().int().nullable() })
  .openapi('RunSheetItem');
export type RunSheetItem = z.infer<typeof RunSheetItem>;
export const RunSheetStop = z
  .object({
    stop_number: z.number().int(),
    delivery_id: Uuid,
    order_id: Uuid,
    status: z.enum(deliveryStatuses),
    staff_id: Uuid.nullable(),
    staff_name: z.string().nullable(),
    customer_name: z.string(),
    phone: z.string(),
    address_id: Uuid,
    address: z.object({ line1: z.string(), line2: z.string(), landmark: z.string(), pin_code: z.string(), lat: z.number().nullable(), lng: z.number().nullable() }),
    items: z.array(RunSheetItem),
  })
  .openapi('RunSheetStop');
export type RunSheetStop = z.infer<typeof RunSheetStop>;
export const RunSheet = z
  .object({
    date: DateOnly,
    shift: z.enum(shifts),
    staff: z.object({ id: Uuid, name: z.string() }).nullable(),
    stops: z.array(RunSheetStop),
    totals: z.array(z.object({ product_name: z.string(), unit_size: z.string(), quantity: z.number().int() })),
    route: z
      .object({
        start: z.enum(['depot', 'first_stop']),
        depot: z.object({ id: Uuid, name: z.string(), lat: z.number(), lng: z.number() }).nullable(),
        distance_m: z.number().int(),
        ordered: z.boolean().openapi({ description: 'Whether the run has a stored order (optimised or set by hand)' }),
      })
      .nullable()
      .openapi({ description: "One staff member's run: where it starts and its length in metres in this order; null for all staff" }),
  })
  .openapi('RunSheet');
export type RunSheet = z.infer<typeof RunSheet>;
