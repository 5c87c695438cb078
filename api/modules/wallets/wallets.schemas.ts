import { z } from '@hono/zod-openapi';
import { walletLots, walletTransactions } from '../../../db/schema/index.js';
import { DateString } from '../../lib/input.js';
import { DateTime, Paise, tableRow, Uuid } from '../../lib/schemas.js';
import { AmountPaise } from '../payments/payments.schemas.js';

export const walletEntryKinds = ['credit', 'debit', 'expiry', 'reinstate', 'withdrawal'] as const;
export const lotSources = ['overpayment', 'top_up', 'promo', 'refund'] as const;

export const PromoBody = z
  .object({
    amount_paise: AmountPaise,
    expires_on: DateString.optional().openapi({ description: 'Last day it can be spent (IST); 30 days from today by default' }),
    note: z.string().trim().min(3, 'note: say why the credit is given (it shows on the statement).').max(200),
  })
  .strict()
  .openapi('WalletPromo');

export const WalletTransaction = tableRow(walletTransactions)
  .extend({ invoice_number: z.string().nullable(), lot_source: z.enum(lotSources), created_by_name: z.string().nullable() })
  .openapi('WalletTransaction');
export type WalletTransaction = z.infer<typeof WalletTransaction>;

export const Wallet = z
  .object({
    customer_id: Uuid,
    customer_name: z.string(),
    balance_paise: Paise,
    available_paise: Paise,
    expiring_in_7_days_paise: Paise,
    next_expiry_at: DateTime.nullable(),
    lots: z.array(tableRow(walletLots)),
    transactions: z.array(WalletTransaction),
    lot_id: Uuid.optional().openapi({ description: 'The lot just made (promotional credit)' }),
  })
  .openapi('Wallet');
export type Wallet = z.infer<typeof Wallet>;

export const ExpiryResult = z.object({ expired: z.number().int(), amount_paise: Paise }).openapi('WalletExpiryRun');
