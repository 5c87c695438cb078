import { z } from '@hono/zod-openapi';
import { paymentAllocations, payments, walletLots } from '../../../db/schema/index.js';
import { DateString } from '../../lib/input.js';
import { Paise, tableRow, Uuid } from '../../lib/schemas.js';

export const paymentMethods = ['cash', 'upi', 'bank_transfer', 'cheque', 'gateway'] as const;
export const paymentStatuses = ['created', 'authorized', 'captured', 'refunded', 'failed'] as const;
export const chequeStatuses = ['received', 'deposited', 'cleared', 'bounced'] as const;

/** Money in a body: whole paise, above 0, at most ₹1 crore (the CHECKs' bound). */
export const AmountPaise = z
  .number({ message: 'amount_paise must be a number of paise.' })
  .int('amount_paise must be whole paise (₹12.50 is 1250).')
  .positive('amount_paise must be more than 0.')
  .max(1_000_000_000, 'amount_paise is at most ₹1,00,00,000 (1000000000 paise).')
  .openapi({ description: 'Integer paise', example: 125000 });

const Reference = z.string().trim().max(100, 'reference: at most 100 characters.').nullable().optional();

/** What was received; the reference (UTR, UPI reference, cheque number) is required for every method but cash. */
const Received = {
  amount_paise: AmountPaise,
  method: z.enum(paymentMethods, { message: `method must be one of ${paymentMethods.join(', ')}.` }),
  reference: Reference.openapi({ description: 'UTR, UPI reference, cheque number or gateway payment id; required for all but cash' }),
  received_on: DateString.optional().openapi({ description: 'The day the money came in (IST); today by default' }),
  note: z.string().trim().max(500, 'note: at most 500 characters.').optional(),
};

const referenceRule = (v: { method: string; reference?: string | null }, ctx: z.RefinementCtx) => {
  if (v.method !== 'cash' && !v.reference) {
    ctx.addIssue({ code: 'custom', path: ['reference'], message: `A ${v.method.replace('_', ' ')} payment needs its reference (UTR, UPI reference, cheque number).` });
  }
};

export const PaymentCreate = z
  .object({
    customer_id: z.uuid({ message: 'customer_id must be a customer id (UUID).' }),
    ...Received,
    invoice_ids: z
      .array(z.uuid({ message: 'invoice_ids must be invoice ids (UUID).' }))
      .max(100, 'At most 100 invoices at once.')
      .refine((ids) => new Set(ids).size === ids.length, 'invoice_ids lists an invoice twice.')
      .optional()
      .openapi({ description: "Settle these first (in this order); the rest goes to the customer's oldest open invoices, then to wallet credit" }),
  })
  .strict()
  .superRefine(referenceRule)
  .openapi('PaymentCreate');
export type PaymentCreate = z.infer<typeof PaymentCreate>;

export const TopUpBody = z.object(Received).strict().superRefine(referenceRule).openapi('WalletTopUp');
export type TopUpBody = z.infer<typeof TopUpBody>;

export const DepositBody = z.object({ deposited_on: DateString.optional() }).strict().openapi('ChequeDeposit');
export const ClearBody = z.object({ cleared_on: DateString.optional() }).strict().openapi('ChequeClear');
export const BounceBody = z
  .object({
    reason: z.string().trim().min(3, 'reason: say why the bank returned the cheque.').max(500),
    bounced_on: DateString.optional(),
  })
  .strict()
  .openapi('ChequeBounce');

export const Allocation = tableRow(paymentAllocations)
  .extend({
    invoice_number: z.string(),
    invoice_date: z.string().openapi({ format: 'date' }),
    payment_method: z.enum(paymentMethods).nullable(),
    payment_reference: z.string().nullable(),
    received_on: z.string().openapi({ format: 'date' }).nullable(),
    source: z.enum(['payment', 'wallet']),
  })
  .openapi('PaymentAllocation');
export type Allocation = z.infer<typeof Allocation>;

export const Payment = tableRow(payments).extend({ customer_name: z.string(), recorded_by_name: z.string().nullable() }).openapi('Payment');
export type Payment = z.infer<typeof Payment>;

export const WalletLot = tableRow(walletLots).openapi('WalletLot');
export type WalletLot = z.infer<typeof WalletLot>;

export const PaymentDetail = Payment.extend({
  allocations: z.array(Allocation),
  /** Wallet credit this payment became (what was left over, or a top-up). */
  lots: z.array(WalletLot),
}).openapi('PaymentDetail');
export type PaymentDetail = z.infer<typeof PaymentDetail>;

export const AmountBody = z.object({ amount_paise: AmountPaise.optional() }).strict().openapi('ApplyCredit');
export const ApplyCreditResult = z
  .object({ invoice_id: Uuid, applied_paise: Paise, balance_due_paise: Paise, wallet_paise: Paise })
  .openapi('ApplyCreditResult');
