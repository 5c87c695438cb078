import { z } from '@hono/zod-openapi';
import { DateString } from '../../lib/input.js';
import { disputePriorities } from './disputes.schemas.js';

const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'A time of day as HH:MM (24-hour), e.g. 06:00 or 20:00.');

export const BusinessWindow = z
  .object({
    weekday: z.number().int().min(1, 'weekday: 1 (Monday) to 7 (Sunday).').max(7, 'weekday: 1 (Monday) to 7 (Sunday).'),
    opens: Clock,
    closes: Clock,
  })
  .strict()
  .refine((w) => w.opens < w.closes, { message: 'A window closes after it opens.', path: ['closes'] });

export const BusinessHoursInput = z
  .object({
    windows: z.array(BusinessWindow).max(70, 'At most 70 windows (ten a day).'),
    holidays: z.array(z.object({ day: DateString, name: z.string().trim().min(1, 'Name the holiday.').max(100) }).strict()).max(400).default([]),
  })
  .strict()
  .openapi('BusinessHoursInput');
export type BusinessHoursInput = z.infer<typeof BusinessHoursInput>;

export const BusinessHours = z
  .object({
    time_zone: z.literal('Asia/Kolkata'),
    windows: z.array(z.object({ weekday: z.number().int(), opens: z.string(), closes: z.string() })),
    holidays: z.array(z.object({ day: z.string(), name: z.string() })),
  })
  .openapi('BusinessHours');

const Minutes = (what: string) => z.number().int(`${what}: whole business minutes.`).min(1, `${what}: at least 1 minute.`).max(100_000, `${what}: at most 100,000 minutes.`);
export const SlaPolicy = z
  .object({
    priority: z.enum(disputePriorities),
    first_response_minutes: Minutes('first_response_minutes'),
    resolution_minutes: Minutes('resolution_minutes'),
  })
  .strict()
  .refine((p) => p.resolution_minutes >= p.first_response_minutes, { message: 'The resolution target is not before the first response.', path: ['resolution_minutes'] })
  .openapi('SlaPolicy');
export const SlaPoliciesInput = z.array(SlaPolicy).length(4, 'Give one policy for each priority: low, normal, high and urgent.').openapi('SlaPoliciesInput');
export type SlaPoliciesInput = z.infer<typeof SlaPoliciesInput>;
