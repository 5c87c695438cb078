import { z } from '@hono/zod-openapi';
import { DateString, Instant } from '../../lib/input.js';
import { DateOnly, DateTime, Uuid } from '../../lib/schemas.js';
import { deliveryStatuses, shifts } from '../deliveries/deliveries.schemas.js';

// India's bounding box, the same as the CHECK staff_positions_in_india: a position outside it is a broken fix.
export const INDIA = { lat: { min: 6, max: 37.5 }, lng: { min: 68, max: 97.5 } } as const;
const inIndia = 'is outside India (latitude 6 to 37.5, longitude 68 to 97.5)';

export const PositionBody = z
  .object({
    lat: z
      .number({ message: 'lat must be a number (degrees).' })
      .min(INDIA.lat.min, { message: `lat ${inIndia}.` })
      .max(INDIA.lat.max, { message: `lat ${inIndia}.` }),
    lng: z
      .number({ message: 'lng must be a number (degrees).' })
      .min(INDIA.lng.min, { message: `lng ${inIndia}.` })
      .max(INDIA.lng.max, { message: `lng ${inIndia}.` }),
    accuracy_m: z.number({ message: 'accuracy_m must be a number of metres.' }).min(0, { message: 'accuracy_m cannot be negative.' }).max(100_000, { message: 'accuracy_m is at most 100000 metres.' }).optional(),
    recorded_at: Instant.optional().openapi({ description: "When the phone took the fix (default: now). At most 2 minutes ahead of the server's clock, at most a day old." }),
  })
  .strict()
  .openapi('PositionInput');
export type PositionBody = z.infer<typeof PositionBody>;

export const Position = z
  .object({ staff_id: Uuid, lat: z.number(), lng: z.number(), accuracy_m: z.number().nullable(), at: DateTime })
  .openapi('StaffPosition');
export type Position = z.infer<typeof Position>;

export const PositionResult = z
  .object({
    kept: z.boolean(),
    message: z.string(),
    position: Position.nullable(),
  })
  .openapi('PositionResult');
export type PositionResult = z.infer<typeof PositionResult>;

/** How far back the map reaches (positions are pruned after a month; deliveries stay, but a map of a year ago is a report). */
export const MAP_DAYS_BACK = 92;
export const MAP_DAYS_AHEAD = 7;
/** Markers per answer: a shift of a whole city at 50,000 customers is filtered by zone or staff before it is drawn. */
export const MAP_MAX_DELIVERIES = 2000;

export const MapQuery = z
  .object({
    date: DateString.optional(),
    shift: z.enum(shifts, { message: 'shift must be morning or evening.' }).default('morning'),
    zone_id: z.uuid({ message: 'zone_id must be the id of a zone.' }).optional(),
    staff_id: z.uuid({ message: 'staff_id must be the id of a staff member.' }).optional(),
  })
  .strict();
export type MapQuery = z.infer<typeof MapQuery>;

export const MapDelivery = z
  .object({
    delivery_id: Uuid,
    order_id: Uuid,
    status: z.enum(deliveryStatuses),
    customer_id: Uuid,
    customer_name: z.string(),
    phone: z.string(),
    address_line: z.string(),
    pin_code: z.string(),
    lat: z.number().nullable(),
    lng: z.number().nullable(),
    staff_id: Uuid.nullable(),
    staff_name: z.string().nullable(),
    zone_id: Uuid,
    zone_name: z.string(),
    items: z.array(z.object({ product_name: z.string(), unit_size: z.string(), quantity: z.number().int(), delivered_quantity: z.number().int().nullable() })),
  })
  .openapi('MapDelivery');
export type MapDelivery = z.infer<typeof MapDelivery>;

export const MapStaff = z
  .object({ staff_id: Uuid, name: z.string(), zone_id: Uuid.nullable(), zone_name: z.string().nullable(), position: Position.nullable() })
  .openapi('MapStaff');
export type MapStaff = z.infer<typeof MapStaff>;

export const MapDepot = z.object({ id: Uuid, name: z.string(), lat: z.number(), lng: z.number(), zone_ids: z.array(Uuid) }).openapi('MapDepot');
export type MapDepot = z.infer<typeof MapDepot>;

export const MapAnswer = z
  .object({
    date: DateOnly,
    shift: z.enum(shifts),
    deliveries: z.array(MapDelivery),
    /** Deliveries matching the filters; more than returned when truncated. */
    total: z.number().int(),
    truncated: z.boolean(),
    staff: z.array(MapStaff),
    depots: z.array(MapDepot),
    tile: z.object({ url: z.string(), attribution: z.string() }),
  })
  .openapi('MapAnswer');
export type MapAnswer = z.infer<typeof MapAnswer>;

export const OptimiseBody = z
  .object({
    staff_id: z.uuid({ message: 'staff_id must be the id of a staff member.' }),
    shift: z.enum(shifts, { message: 'shift must be morning or evening.' }),
    date: DateString.optional().openapi({ description: "The day whose stops are put in order (default today); the order is kept for the run's next days." }),
  })
  .strict()
  .openapi('OptimiseRunInput');
export type OptimiseBody = z.infer<typeof OptimiseBody>;

export const RunOrderBody = OptimiseBody.extend({
  address_ids: z.array(z.uuid({ message: 'address_ids must be ids of addresses.' })).min(1, { message: 'Give the stops in their new order.' }).max(1000, { message: 'A run has at most 1000 stops.' }),
})
  .strict()
  .openapi('RunOrderInput');
export type RunOrderBody = z.infer<typeof RunOrderBody>;

export const RunOrder = z
  .object({
    staff_id: Uuid,
    shift: z.enum(shifts),
    date: DateOnly,
    /** Where the run starts: the zone's depot, or (no depot) its first stop. */
    start: z.object({ kind: z.enum(['depot', 'first_stop']), depot: z.object({ id: Uuid, name: z.string(), lat: z.number(), lng: z.number() }).nullable() }),
    distance_m: z.number().int(),
    /** The addresses in their stored order; stops without a position are left out of the distance and go last. */
    stops: z.array(z.object({ position: z.number().int(), address_id: Uuid, lat: z.number().nullable(), lng: z.number().nullable() })),
  })
  .openapi('RunOrder');
export type RunOrder = z.infer<typeof RunOrder>;

export const FieldConfig = z.object({ tile: z.object({ url: z.string(), attribution: z.string() }) }).openapi('FieldConfig');
