import { z } from '@hono/zod-openapi';
import { DateOnly, DateTime, Paise, Uuid } from '../../lib/schemas.js';

export const Receivable = z
  .object({
    id: Uuid.openapi({ description: 'The customer id' }),
    customer_id: Uuid,
    customer_name: z.string(),
    phone: z.string(),
    zone_id: Uuid,
    zone_name: z.string(),
    balance_due_paise: Paise,
    open_invoices: z.number().int(),
    oldest_due_date: DateOnly.nullable(),
    days_past_due: z.number().int().nullable(),
    wallet_paise: Paise,
    net_paise: Paise.openapi({ description: 'Balance due less wallet credit' }),
    not_due_paise: Paise,
    d1_30_paise: Paise,
    d31_60_paise: Paise,
    d61_90_paise: Paise,
    over_90_paise: Paise,
    updated_at: DateTime,
  })
  .openapi('Receivable');
export type Receivable = z.infer<typeof Receivable>;

const ZoneTotals = z
  .object({
    zone_id: Uuid.nullable(),
    zone_name: z.string(),
    customers: z.number().int().openapi({ description: 'Customers with something due' }),
    balance_due_paise: Paise,
    wallet_paise: Paise,
    not_due_paise: Paise,
    d1_30_paise: Paise,
    d31_60_paise: Paise,
    d61_90_paise: Paise,
    over_90_paise: Paise,
  })
  .openapi('ReceivablesZoneTotals');

export const ReceivablesByZone = z.object({ as_of: DateOnly, zones: z.array(ZoneTotals), total: ZoneTotals }).openapi('ReceivablesByZone');
export type ReceivablesByZone = z.infer<typeof ReceivablesByZone>;
