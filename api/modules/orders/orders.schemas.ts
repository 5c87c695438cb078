import { z } from '@hono/zod-openapi';
import { DateString } from '../../lib/input.js';
import { Shift } from '../subscriptions/subscriptions.schemas.js';

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
