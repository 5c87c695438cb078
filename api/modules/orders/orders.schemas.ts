import { z } from '@hono/zod-openapi';
import { DateString } from '../../lib/input.js';
import { Shift } from '../subscriptions/subscriptions.schemas.js';
import { orderItems, orders } from '../../../db/schema/index.js';
import { Paise, tableRow, Uuid } from '../../lib/schemas.js';

export const MAX_GENERATION_DAYS = 62;

export const paymentMethods = ['postpaid', 'cash', 'upi', 'card', 'wallet'] as const;
export const orderStatuses = ['pending', 'delivered', 'partially_delivered', 'failed', 'cancelled'] as const;
export const orderKinds = ['subscription', 'one_time'] as const;

export const OrderItemInput = z.object({
  product_id: z.uuid('Choose a product for every item.'),
  quantity: z
    .number({ message: 'Every item needs a quantity.' })
    .int('Quantities are whole numbers.')
    .min(1, 'Every item needs a quantity of at least 1.')
    .max(1000, 'At most 1000 of one product per order.'),
  // Optional: the price the person saw. Prices come from the catalogue; a different one is refused (409) so nobody is charged a surprise.
  unit_price_paise: z.number().int('Prices are whole paise.').min(0, 'A price cannot be negative.').optional(),
});

export const OneTimeOrderCreate = z.object({
  customer_id: z.uuid('Choose a customer.'),
  address_id: z.uuid('Choose a delivery address.'),
  delivery_date: DateString,
  shift: Shift.default('morning'),
  payment_method: z.enum(paymentMethods, { message: `The payment method must be one of ${paymentMethods.join(', ')}.` }).default('postpaid'),
  note: z.string().trim().max(500, 'At most 500 characters.').default(''),
  items: z.array(OrderItemInput, { message: 'Add at least one item.' }).min(1, 'Add at least one item.').max(50, 'At most 50 lines per order.'),
});

export const GenerateBody = z
  .object({
    from: DateString,
    to: DateString,
    shift: Shift.optional(),
  })
  .refine((v) => v.to >= v.from, { path: ['to'], message: 'The end date cannot be before the start date.' })
  .refine((v) => (Date.parse(v.to) - Date.parse(v.from)) / 86_400_000 < MAX_GENERATION_DAYS, { path: ['to'], message: `Generate at most ${MAX_GENERATION_DAYS} days at a time.` });

export const CancelOrderBody = z.object({ reason: z.string().trim().max(500, 'At most 500 characters.').optional() });

// Responses: rows as the API returns them (the admin's types are inferred from these).
export const Order = tableRow(orders)
  .extend({
    customer_name: z.string(),
    zone_id: Uuid.nullable(),
    zone_name: z.string().nullable(),
    item_count: z.number().int(),
    delivery_id: Uuid.nullable(),
    delivery_status: z.enum(['pending', 'delivered', 'partial', 'failed']).nullable(),
    staff_id: Uuid.nullable(),
    staff_name: z.string().nullable(),
  })
  .openapi('Order');
export type Order = z.infer<typeof Order>;
export const OrderItem = tableRow(orderItems).extend({ product_name: z.string(), amount_paise: Paise }).openapi('OrderItem');
export type OrderItem = z.infer<typeof OrderItem>;
export const OrderWithItems = Order.extend({ items: z.array(OrderItem) }).openapi('OrderWithItems');
export type OrderWithItems = z.infer<typeof OrderWithItems>;
export const GenerateResult = z
  .object({ orders_created: z.number().int(), items_created: z.number().int(), deliveries_created: z.number().int() })
  .openapi('GenerateResult');
export type GenerateResult = z.infer<typeof GenerateResult>;
