import { z } from '@hono/zod-openapi';
import { DateOnly, Paise } from '../../lib/schemas.js';

const count = z.number().int();
export const Dashboard = z
  .object({
    today: DateOnly,
    month: z.string().openapi({ example: '2026-07' }),
    deliveries_today: z.object({ pending: count, delivered: count, partial: count, failed: count, total: count }),
    billed_this_month: z.object({ records: count, amount_paise: Paise }),
    unbilled: z.object({ records: count, amount_paise: Paise, customers: count, oldest_service_date: DateOnly.nullable() }),
    invoices_this_month: z.object({ count, amount_paise: Paise }),
    daily: z.array(z.object({ date: DateOnly, delivered_paise: Paise, deliveries: count })),
  })
  .openapi('Dashboard');
export type Dashboard = z.infer<typeof Dashboard>;
