import { z } from '@hono/zod-openapi';
import { refunds } from '../../../db/schema/index.js';
import { tableRow, Uuid } from '../../lib/schemas.js';

export const refundReasons = ['short_delivery', 'spoilt_product', 'billing_error', 'duplicate_payment', 'cancellation', 'goodwill'] as const;
export const refundDestinations = ['source', 'wallet'] as const;
export const refundStatuses = ['requested', 'approved', 'rejected', 'processing', 'processed', 'failed', 'paid'] as const;

const money = (what: string) =>
  z
    .number({ message: `${what}: whole paise (₹12.50 is 1250).` })
    .int(`${what}: whole paise (₹12.50 is 1250).`)
    .positive(`${what}: more than ₹0.`)
    .max(1_000_000_000, `${what}: at most ₹1,00,00,000.`);

export const RefundCreate = z
  .object({
    payment_id: z.uuid({ message: 'payment_id must be a payment id (UUID).' }),
    amount_paise: money('amount_paise'),
    reason: z.enum(refundReasons, { message: `reason is one of ${refundReasons.join(', ')}.` }),
    destination: z.enum(refundDestinations, { message: 'destination is source (back the way it came) or wallet (customer credit).' }).default('source'),
    note: z.string().trim().min(3, 'note: say in a few words what happened.').max(1000, 'note: at most 1,000 characters.'),
    invoice_id: z
      .uuid({ message: 'invoice_id must be an invoice id (UUID).' })
      .optional()
      .openapi({ description: 'For short_delivery, spoilt_product and billing_error: the invoice the credit note reduces (default: the one invoice the payment settles).' }),
  })
  .strict()
  .openapi('RefundCreate');
export type RefundCreate = z.infer<typeof RefundCreate>;

export const RefundApprove = z
  .object({
    totp: z
      .string()
      .max(20)
      .optional()
      .openapi({ description: "A fresh code of the approver's authenticator: needed above the approval limit of their grant (X-TOTP works too)." }),
  })
  .strict()
  .openapi('RefundApprove');

export const RefundReject = z
  .object({ reason: z.string().trim().min(3, 'reason: say in a few words why the refund is rejected.').max(500, 'reason: at most 500 characters.') })
  .strict()
  .openapi('RefundReject');

export const RefundPay = z
  .object({
    reference: z
      .string()
      .trim()
      .min(1, 'reference: the UPI reference, UTR or cash voucher number of the money paid back.')
      .max(100, 'reference: at most 100 characters.'),
  })
  .strict()
  .openapi('RefundPay');

export const Refund = tableRow(refunds)
  .extend({
    customer_name: z.string(),
    requested_by_name: z.string().nullable(),
    approved_by_name: z.string().nullable(),
    rejected_by_name: z.string().nullable(),
    paid_by_name: z.string().nullable(),
    payment_method: z.enum(['cash', 'upi', 'bank_transfer', 'cheque', 'gateway']),
    payment_reference: z.string().nullable(),
    payment_amount_paise: z.number().int(),
    payment_received_on: z.string(),
    invoice_number: z.string().nullable(),
    credit_note_id: Uuid.nullable(),
    credit_note_number: z.string().nullable(),
  })
  .openapi('Refund');
export type Refund = z.infer<typeof Refund>;
