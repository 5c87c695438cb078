import { z } from '@hono/zod-openapi';
import { DateString, MonthString } from '../../lib/input.js';
import { schedules, shifts, weekdaysToMask } from './schedule.js';
import { subscriptionOverrides, subscriptionPauses, subscriptions } from '../../../db/schema/index.js';
import { DateOnly, tableRow, Uuid } from '../../lib/schemas.js';

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

// Responses: rows as the API returns them (the admin's types are inferred from these).
export const Subscription = tableRow(subscriptions)
  .pick({
    id: true, customer_id: true, address_id: true, product_id: true, quantity: true, schedule: true, shift: true, start_date: true, end_date: true,
    status: true, cancelled_at: true, created_at: true, updated_at: true,
  })
  .extend({
    customer_name: z.string(),
    address_line: z.string().nullable(),
    product_name: z.string(),
    /** ISO weekdays, 1 = Monday ... 7 = Sunday (only meaningful for a weekday schedule). */
    weekdays: z.array(z.number().int()),
    weekdays_mask: z.number().int(),
    paused_today: z.boolean(),
  })
  .openapi('Subscription');
export type Subscription = z.infer<typeof Subscription>;
export const Pause = tableRow(subscriptionPauses)
  .pick({ id: true, subscription_id: true, from_date: true, to_date: true, reason: true, created_at: true })
  .extend({ customer_id: Uuid, state: z.enum(['upcoming', 'active', 'ended']) })
  .openapi('Pause');
export type Pause = z.infer<typeof Pause>;
/** A one-day change of quantity (0 = skip the day). */
export const Override = tableRow(subscriptionOverrides)
  .pick({ id: true, subscription_id: true, date: true, quantity: true, created_at: true })
  .extend({ customer_id: Uuid, product_name: z.string(), regular_quantity: z.number().int() })
  .openapi('Override');
export type Override = z.infer<typeof Override>;
export const ResumeResult = z.object({ subscription: Subscription, pause: Pause, action: z.enum(['ended', 'deleted']) }).openapi('ResumeResult');
export type ResumeResult = z.infer<typeof ResumeResult>;

export const calendarStatuses = ['scheduled', 'pending', 'missed', 'delivered', 'partial', 'failed', 'cancelled', 'paused', 'skipped'] as const;
export const CalendarEntry = z
  .object({
    kind: z.enum(['subscription', 'one_time']),
    subscription_id: Uuid.nullable(),
    order_id: Uuid.nullable(),
    product_id: Uuid,
    product_name: z.string(),
    shift: z.enum(shifts),
    quantity: z.number().int(),
    delivered_quantity: z.number().int().nullable(),
    status: z.enum(calendarStatuses),
  })
  .openapi('CalendarEntry');
export type CalendarEntry = z.infer<typeof CalendarEntry>;
export const CalendarMonth = z
  .object({ customer_id: Uuid, month: z.string(), today: DateOnly, days: z.array(z.object({ date: DateOnly, entries: z.array(CalendarEntry) })) })
  .openapi('CalendarMonth');
export type CalendarMonth = z.infer<typeof CalendarMonth>;
