import { z } from '@hono/zod-openapi';
import { disputeMessages, disputes } from '../../../db/schema/index.js';
import { DateString } from '../../lib/input.js';
import { DateTime, Paise, tableRow, Uuid } from '../../lib/schemas.js';
import { refundDestinations, refundReasons } from '../refunds/refunds.schemas.js';

export const disputeCategories = ['missing_delivery', 'short_quantity', 'spoilt_product', 'wrong_product', 'late_delivery', 'billing_error', 'staff_behaviour', 'other'] as const;
export const disputePriorities = ['low', 'normal', 'high', 'urgent'] as const;
export const disputeStatuses = ['open', 'awaiting_customer', 'awaiting_support', 'resolved', 'closed'] as const;
export const disputeOutcomes = ['refund', 'wallet_credit', 'redelivery', 'explanation', 'merged'] as const;
export const messageKinds = ['public_reply', 'internal_note', 'customer_message', 'activity'] as const;
export type DisputeStatus = (typeof disputeStatuses)[number];

const oneOf = (what: string, values: readonly string[]) => ({ message: `${what} is one of ${values.join(', ')}.` });
const Subject = z.string().trim().min(3, 'subject: say in a few words what it is about.').max(200, 'subject: at most 200 characters.');
const Body = z.string().trim().min(1, 'body: write the message.').max(4000, 'body: at most 4,000 characters.');
const Version = z
  .number({ message: 'version: the version of the dispute you read (a whole number).' })
  .int('version: a whole number.')
  .positive('version: a whole number.')
  .openapi({ description: 'The version you read: if someone changed the dispute since, the answer is 409 and nothing changes.' });
const link = (what: string) => z.uuid({ message: `${what} must be an id (UUID).` }).nullable().optional();

export const DisputeCreate = z
  .object({
    customer_id: z.uuid({ message: 'customer_id: choose the customer.' }),
    category: z.enum(disputeCategories, oneOf('category', disputeCategories)),
    subject: Subject,
    body: Body.openapi({ description: 'What the customer says: the first message of the thread.' }),
    priority: z.enum(disputePriorities, oneOf('priority', disputePriorities)).default('normal'),
    delivery_id: link('delivery_id'),
    order_id: link('order_id'),
    invoice_id: link('invoice_id'),
    assignee_id: link('assignee_id'),
  })
  .strict()
  .openapi('DisputeCreate');
export type DisputeCreate = z.infer<typeof DisputeCreate>;

export const DisputePatch = z
  .object({
    version: Version,
    subject: Subject.optional(),
    category: z.enum(disputeCategories, oneOf('category', disputeCategories)).optional(),
    priority: z.enum(disputePriorities, oneOf('priority', disputePriorities)).optional(),
    assignee_id: link('assignee_id'),
    delivery_id: link('delivery_id'),
    order_id: link('order_id'),
    invoice_id: link('invoice_id'),
  })
  .strict()
  .openapi('DisputePatch');
export type DisputePatch = z.infer<typeof DisputePatch>;

export const MessageCreate = z
  .object({
    body: Body,
    internal: z.boolean({ message: 'internal: true for a note support keeps to itself, false for a reply to the customer.' }).default(false),
  })
  .strict()
  .openapi('DisputeMessageCreate');

export const CustomerMessageCreate = z.object({ body: Body }).strict().openapi('DisputeCustomerMessage');

export const Transition = z
  .object({ to: z.enum(disputeStatuses, oneOf('to', disputeStatuses)), version: Version })
  .strict()
  .openapi('DisputeTransition');

export const Merge = z
  .object({ other_id: z.uuid({ message: 'other_id: the dispute to merge into this one (UUID).' }), version: Version.optional() })
  .strict()
  .openapi('DisputeMerge');

const Note = z.string().trim().min(3, 'note: say in a few words how it was resolved.').max(1000, 'note: at most 1,000 characters.');
const Amount = z
  .number({ message: 'amount_paise: whole paise (₹12.50 is 1250).' })
  .int('amount_paise: whole paise (₹12.50 is 1250).')
  .positive('amount_paise: more than ₹0.')
  .max(1_000_000_000, 'amount_paise: at most ₹1,00,00,000.');
const base = { version: Version.optional(), note: Note };

export const Resolve = z
  .discriminatedUnion(
    'outcome',
    [
      z.object({ outcome: z.literal('explanation'), ...base }).strict(),
      z
        .object({
          outcome: z.literal('refund'),
          ...base,
          payment_id: z.uuid({ message: 'payment_id: the payment of this customer the money goes back from.' }),
          amount_paise: Amount,
          reason: z.enum(refundReasons, oneOf('reason', refundReasons)),
          destination: z.enum(refundDestinations, oneOf('destination', refundDestinations)).default('source'),
          invoice_id: z.uuid({ message: 'invoice_id must be an invoice id (UUID).' }).optional(),
        })
        .strict(),
      z
        .object({
          outcome: z.literal('wallet_credit'),
          ...base,
          amount_paise: Amount,
          expires_on: DateString.optional(),
        })
        .strict(),
      z
        .object({
          outcome: z.literal('redelivery'),
          ...base,
          delivery_date: DateString,
          shift: z.enum(['morning', 'evening']).optional(),
          address_id: z.uuid().optional(),
          items: z
            .array(z.object({ product_id: z.uuid('Choose a product for every item.'), quantity: z.number().int().min(1).max(1000) }).strict())
            .min(1)
            .max(50)
            .optional()
            .openapi({ description: "What to bring again, at no charge; by default what the linked delivery fell short of." }),
        })
        .strict(),
    ],
    { message: 'outcome is one of refund, wallet_credit, redelivery, explanation.' },
  )
  .openapi('DisputeResolve');
export type Resolve = z.infer<typeof Resolve>;

/** Support's goodwill credit: resolve with wallet credit up to the `disputes credit` grant's limit. */
export const GoodwillCredit = z.object({ ...base, amount_paise: Amount, expires_on: DateString.optional() }).strict().openapi('DisputeGoodwillCredit');

export const Dispute = tableRow(disputes)
  .extend({
    customer_name: z.string(),
    customer_phone: z.string(),
    assignee_name: z.string().nullable(),
    created_by_name: z.string().nullable(),
    order_date: z.string().nullable(),
    delivery_date: z.string().nullable(),
    invoice_number: z.string().nullable(),
    merged_into_number: z.number().int().nullable(),
    refund_id: Uuid.nullable(),
    refund_status: z.string().nullable(),
    refund_amount_paise: Paise.nullable(),
    last_message_at: DateTime.nullable(),
    first_response_breached: z.boolean().openapi({ description: 'The first reply came (or is still missing) after its due time' }),
    resolution_breached: z.boolean().openapi({ description: 'The resolution came (or is still missing) after its due time' }),
    sla_attention: z.boolean().openapi({ description: 'In the breach queue: still due, past due or due within the hour' }),
    allowed_moves: z.array(z.enum(disputeStatuses)).openapi({ description: 'The statuses this dispute may move to now (dispute_transitions)' }),
  })
  .openapi('Dispute');
export type Dispute = z.infer<typeof Dispute>;

export const DisputeMessage = tableRow(disputeMessages)
  .omit({ seq: true })
  .extend({
    author_name: z.string().nullable(),
    dispute_number: z.number().int().openapi({ description: 'The dispute it was written on (a merged one shows in the thread it was merged into)' }),
  })
  .openapi('DisputeMessage');
export type DisputeMessage = z.infer<typeof DisputeMessage>;
