import { z } from '@hono/zod-openapi';
import { DateString, MonthString } from '../../lib/input.js';
import { schedules, shifts, weekdaysToMask } from './schedule.js';

export const Shift = z.enum(shifts, { message: 'The shift must be morning or evening.' });
export const ScheduleKind = z.enum(schedules, { message: 'The schedule must be daily, alternate or weekdays.' });

/** Weekdays as ISO numbers ([1, 3, 5] = Monday, Wednesday, Friday) or as the stored bit mask; always becomes the mask. */
export const Weekdays = z
  .union([
    z.array(z.number().int().min(1, 'Weekdays are 1 (Monday) to 7 (Sunday).').max(7, 'Weekdays are 1 (Monday) to 7 (Sunday).')).max(7),
    z.number().int().min(0).max(254).refine((m) => m % 2 === 0, 'A weekday mask uses bits 1 (Monday) to 7 (Sunday).'),
  ])
  .transform((v) => (Array.isArray(v) ? weekdaysToMask(v) : v))
  .openapi({ type: 'array', items: { type: 'integer', minimum: 1, maximum: 7 }, example: [1, 3, 5] });

const Quantity = z.number().int('The quantity must be a whole number.').min(1, 'The quantity must be between 1 and 100.').max(100, 'The quantity must be between 1 and 100.');

export const SubscriptionCreate = z
  .object({
    customer_id: z.uuid('Choose a customer.'),
    address_id: z.uuid('Choose a delivery address.'),
    product_id: z.uuid('Choose a product.'),
    quantity: Quantity,
    schedule: ScheduleKind,
    weekdays: Weekdays.optional(),
    shift: Shift.default('morning'),
    start_date: DateString,
    end_date: DateString.nullable().default(null),
  })
  .superRefine((v, ctx) => {
    if (v.schedule === 'weekdays' && !v.weekdays) ctx.addIssue({ code: 'custom', path: ['weekdays'], message: 'Choose at least one weekday.' });
    if (v.end_date && v.end_date < v.start_date) ctx.addIssue({ code: 'custom', path: ['end_date'], message: 'The end date cannot be before the start date.' });
  });

/** Customer, product and start date are fixed: cancel and create a new subscription to change them. */
export const SubscriptionUpdate = z.object({
  quantity: Quantity.optional(),
  schedule: ScheduleKind.optional(),
  weekdays: Weekdays.optional(),
  shift: Shift.optional(),
  end_date: DateString.nullable().optional(),
  address_id: z.uuid('Choose a delivery address.').optional(),
  // Accepted so an edit form can send the record back; a different value is refused by the service.
  customer_id: z.uuid().optional(),
  product_id: z.uuid().optional(),
  start_date: DateString.optional(),
});

export const PauseBody = z
  .object({
    from_date: DateString,
    to_date: DateString,
    reason: z.string().trim().max(500, 'At most 500 characters.').default(''),
  })
  .refine((v) => v.to_date >= v.from_date, { path: ['to_date'], message: 'A pause must end on or after the day it starts.' });

export const PauseCreate = z
  .object({
    subscription_id: z.uuid('Choose a subscription.'),
    from_date: DateString,
    to_date: DateString,
    reason: z.string().trim().max(500, 'At most 500 characters.').default(''),
  })
  .refine((v) => v.to_date >= v.from_date, { path: ['to_date'], message: 'A pause must end on or after the day it starts.' });

export const ResumeBody = z.object({ date: DateString.optional() });

const DayQuantity = z.number().int('The quantity must be a whole number.').min(0, 'The quantity for the day must be between 0 and 100.').max(100, 'The quantity for the day must be between 0 and 100.');

export const OverrideCreate = z.object({
  subscription_id: z.uuid('Choose a subscription.'),
  date: DateString,
  quantity: DayQuantity,
});
export const OverrideUpdate = z.object({ quantity: DayQuantity });

export const CalendarQuery = z.object({
  month: MonthString.optional().openapi({ param: { name: 'month', in: 'query' }, example: '2026-07' }),
});
