import { z } from '@hono/zod-openapi';
import { creditNoteLines, creditNotes } from '../../../db/schema/index.js';
import { tableRow } from '../../lib/schemas.js';

export const creditNoteReasons = ['short_delivery', 'spoilt_product', 'billing_error'] as const;

/** An adjustment of an invoice alone (no money goes back): its balance due falls by the note's amount. */
export const CreditNoteCreate = z
  .object({
    invoice_id: z.uuid({ message: 'invoice_id must be an invoice id (UUID).' }),
    amount_paise: z
      .number({ message: 'amount_paise: whole paise (₹12.50 is 1250).' })
      .int('amount_paise: whole paise (₹12.50 is 1250).')
      .positive('amount_paise: more than ₹0.')
      .max(1_000_000_000, 'amount_paise: at most ₹1,00,00,000.')
      .openapi({ description: "The value credited, tax included: the invoice's lines and tax are reversed in this proportion." }),
    reason: z.enum(creditNoteReasons, { message: `reason is one of ${creditNoteReasons.join(', ')}.` }),
    note: z.string().trim().min(3, 'note: say in a few words what happened.').max(1000, 'note: at most 1,000 characters.'),
  })
  .strict()
  .openapi('CreditNoteCreate');
export type CreditNoteCreate = z.infer<typeof CreditNoteCreate>;

export const CreditNote = tableRow(creditNotes)
  .extend({ customer_name: z.string(), created_by_name: z.string().nullable(), invoice_total_paise: z.number().int(), lines_count: z.number().int() })
  .openapi('CreditNote');
export type CreditNote = z.infer<typeof CreditNote>;
export const CreditNoteLine = tableRow(creditNoteLines).openapi('CreditNoteLine');
