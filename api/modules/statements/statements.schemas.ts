import { z } from '@hono/zod-openapi';
import { DateString } from '../../lib/input.js';
import { DateOnly, DateTime, Paise, Uuid } from '../../lib/schemas.js';

export const StatementQuery = z
  .object({
    from: DateString.optional().openapi({ param: { name: 'from', in: 'query' }, description: 'First day (IST); the start of the month three months back by default' }),
    to: DateString.optional().openapi({ param: { name: 'to', in: 'query' }, description: 'Last day (IST); today by default' }),
  })
  .strict();

export const lineKinds = ['invoice', 'invoice_void', 'payment', 'cheque_bounced', 'wallet_credit', 'wallet_expired', 'wallet_withdrawn', 'wallet_applied', 'credit_note', 'refund', 'refund_failed'] as const;

export const StatementLine = z
  .object({
    date: DateOnly,
    kind: z.enum(lineKinds),
    description: z.string(),
    reference: z.string().nullable(),
    document_id: Uuid,
    debit_paise: Paise,
    credit_paise: Paise,
    balance_paise: Paise.openapi({ description: 'What the customer owes after this line; negative: in credit' }),
    memo_paise: Paise.nullable().openapi({ description: 'Memo lines (wallet credit spent on an invoice): the amount moved within the account' }),
  })
  .openapi('StatementLine');

export const Statement = z
  .object({
    customer: z.object({ id: Uuid, name: z.string(), phone: z.string(), email: z.string().nullable(), zone_name: z.string(), address: z.array(z.string()) }),
    from: DateOnly,
    to: DateOnly,
    opening_balance_paise: Paise,
    lines: z.array(StatementLine),
    total_debit_paise: Paise,
    total_credit_paise: Paise,
    closing_balance_paise: Paise,
    balance_due_paise: Paise,
    wallet_paise: Paise,
    refunds_pending_paise: Paise.openapi({
      description: 'Now: refunds approved whose money has not gone back yet (their debit line comes when paid). The closing balance of a range ending today is balance_due_paise - wallet_paise - refunds_pending_paise',
    }),
    generated_at: DateTime,
  })
  .openapi('Statement');
export type Statement = z.infer<typeof Statement>;
export type StatementLine = z.infer<typeof StatementLine>;
