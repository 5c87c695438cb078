import { z } from '@hono/zod-openapi';
import { earningsLines, payoutBatches, payoutItems, rateCards } from '../../../db/schema/index.js';
import { dayProblem, monthProblem } from '../../lib/dates.js';
import { DateOnly, tableRow } from '../../lib/schemas.js';

export const earningsTypes = ['base', 'litres', 'on_time', 'attempt', 'failure_deduction', 'adjustment'] as const;
export const payoutBatchStatuses = ['draft', 'approved', 'paid', 'failed', 'reversed'] as const;
export const payoutItemStatuses = ['pending', 'paid', 'failed', 'reversed'] as const;

const Day = z.string().refine((s) => !dayProblem(s), { message: 'A date is YYYY-MM-DD.' });
export const Month = z
  .string()
  .refine((s) => !monthProblem(s), { message: 'A month is YYYY-MM, like 2026-11.' })
  .openapi({ example: '2026-11' });
/** A rate in whole paise: a rupee amount with a fraction of a paisa (₹12.345) is refused, never rounded. */
const Rate = (what: string) =>
  z
    .number({ message: `${what}: give whole paise.` })
    .int(`${what} must be whole paise (₹12.34 is 1234): a fraction of a paisa is not money.`)
    .min(0, `${what} is not negative.`)
    .max(10_000_000, `${what} is at most ₹1,00,000.`);
const Clock = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9](:00)?$/, 'A time is HH:MM (24-hour, IST).');

const RateFields = {
  zone_id: z.uuid('Choose a zone.').nullable(),
  effective_from: Day,
  effective_to: Day.nullable(),
  base_per_drop_paise: Rate('Base pay per drop'),
  per_litre_paise: Rate('Pay per litre'),
  on_time_bonus_paise: Rate('On-time bonus'),
  failure_deduction_paise: Rate('Deduction for a failure'),
  failed_attempt_paise: Rate('Pay for a failed attempt'),
  morning_start: Clock,
  morning_end: Clock,
  evening_start: Clock,
  evening_end: Clock,
  note: z.string().trim().max(500, 'A note is at most 500 characters.'),
};
export const RateCardCreate = z
  .object({
    ...RateFields,
    zone_id: RateFields.zone_id.default(null),
    effective_to: RateFields.effective_to.default(null),
    failed_attempt_paise: RateFields.failed_attempt_paise.default(0),
    morning_start: Clock.default('05:00'),
    morning_end: Clock.default('08:00'),
    evening_start: Clock.default('17:00'),
    evening_end: Clock.default('20:00'),
    note: RateFields.note.default(''),
  })
  .strict()
  .openapi('RateCardCreate');
export type RateCardCreate = z.infer<typeof RateCardCreate>;
// The zone and start stay (a card is a zone's rates from a day); once lines were earned at it only its end may move.
export const RateCardUpdate = z.object(RateFields).omit({ zone_id: true, effective_from: true }).partial().strict().openapi('RateCardUpdate');
export type RateCardUpdate = z.infer<typeof RateCardUpdate>;
export const RateCard = tableRow(rateCards).extend({ zone_name: z.string().nullable(), lines: z.number().int().openapi({ description: 'Lines earned at the card, counted up to 10,001: 10,001 means more than 10,000' }) }).openapi('RateCard');

export const EarningsLine = tableRow(earningsLines).extend({ staff_name: z.string() }).openapi('EarningsLine');
export const AdjustmentCreate = z
  .object({
    staff_id: z.uuid('Choose a staff member.'),
    amount_paise: z.number().int('An amount is whole paise: a fraction of a paisa is not money.').refine((n) => n !== 0 && Math.abs(n) <= 100_000_000, {
      message: 'An adjustment is not ₹0 and at most ₹10,00,000 either way.',
    }),
    earned_on: Day,
    reason: z.string().trim().min(3, 'Say why, in at least 3 characters.').max(500),
  })
  .strict()
  .openapi('AdjustmentCreate');
export type AdjustmentCreate = z.infer<typeof AdjustmentCreate>;

export const SummaryQuery = z.object({ month: Month });
const TypeTotals = z.record(z.string(), z.number().int());
export const EarningsSummary = z
  .object({
    staff: z.object({ id: z.string(), name: z.string(), zone_id: z.string().nullable(), zone_name: z.string().nullable() }),
    month: z.string(),
    from: DateOnly,
    to: DateOnly,
    drops: z.number().int(),
    litres: z.number(),
    on_time: z.number().int(),
    on_time_rate: z.number().nullable(),
    failures: z.number().int(),
    failures_staff_fault: z.number().int(),
    total_paise: z.number().int(),
    paid_paise: z.number().int(),
    unpaid_paise: z.number().int(),
    by_type: TypeTotals,
    days: z.array(z.object({ day: DateOnly, drops: z.number().int(), failures: z.number().int(), on_time: z.number().int(), amount_paise: z.number().int() })),
    zone_staff: z.array(
      z.object({
        staff_id: z.string(),
        name: z.string(),
        drops: z.number().int(),
        litres: z.number(),
        on_time_rate: z.number().nullable(),
        failures: z.number().int(),
        total_paise: z.number().int(),
      }),
    ),
  })
  .openapi('EarningsSummary');
export type EarningsSummary = z.infer<typeof EarningsSummary>;

export const PayoutBatch = tableRow(payoutBatches)
  .extend({ created_by_name: z.string().nullable(), approved_by_name: z.string().nullable(), pending_count: z.number().int(), paid_count: z.number().int() })
  .openapi('PayoutBatch');
export const PayoutItem = tableRow(payoutItems).extend({ staff_name: z.string() }).openapi('PayoutItem');
export const PayoutDraft = z.object({ month: Month }).strict().openapi('PayoutDraft');
export const PayoutDraftAnswer = PayoutBatch.extend({
  existing: z.boolean(),
  skipped: z.array(z.object({ staff_id: z.string(), name: z.string(), amount_paise: z.number().int(), why: z.string() })),
}).openapi('PayoutDraftAnswer');
export const PayoutApprove = z
  .object({ totp: z.string().optional().openapi({ description: "A fresh code of the approver's authenticator (or the X-TOTP header)" }) })
  .strict()
  .openapi('PayoutApprove');
const ItemIds = z.array(z.uuid('Transfers are named by their ids.')).min(1).max(1000).optional();
export const PayoutMarkPaid = z
  .object({ bank_reference: z.string().trim().min(3, "Give the bank's reference (UTR or batch id).").max(100), item_ids: ItemIds })
  .strict()
  .openapi('PayoutMarkPaid');
export const PayoutMarkFailed = z
  .object({ reason: z.string().trim().min(3, 'Say why, in at least 3 characters.').max(500), item_ids: ItemIds })
  .strict()
  .openapi('PayoutMarkFailed');
export type PayoutMarkPaid = z.infer<typeof PayoutMarkPaid>;
export type PayoutMarkFailed = z.infer<typeof PayoutMarkFailed>;
export const FailureReason = z.object({ code: z.string(), label: z.string(), fault: z.enum(['staff', 'customer', 'business']) }).openapi('FailureReason');
