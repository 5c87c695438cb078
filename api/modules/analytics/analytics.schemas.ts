import { z } from '@hono/zod-openapi';
import { DateString } from '../../lib/input.js';

export const ChartQuery = z
  .object({
    from: DateString.openapi({ param: { name: 'from', in: 'query' }, description: 'First day, YYYY-MM-DD (IST)' }),
    to: DateString.openapi({ param: { name: 'to', in: 'query' }, description: 'Last day, YYYY-MM-DD (at most 92 days after from)' }),
    zone_id: z.uuid({ message: 'zone_id must be a UUID.' }).optional().openapi({ param: { name: 'zone_id', in: 'query' }, description: 'Only the customers of this zone' }),
    format: z
      .enum(['json', 'csv'], { message: 'format must be json or csv.' })
      .optional()
      .openapi({ param: { name: 'format', in: 'query' }, description: "csv: the chart's rows as a CSV file (money in rupees); json by default" }),
  })
  .strict();

const cell = z.union([z.string(), z.number(), z.null()]);
export const Chart = z
  .object({
    chart: z.string(),
    title: z.string().openapi({ description: 'What the chart answers' }),
    from: z.string(),
    to: z.string(),
    zone_id: z.string().nullable(),
    columns: z.array(z.object({ key: z.string(), label: z.string(), kind: z.enum(['date', 'text', 'count', 'paise', 'litres', 'percent']) })),
    rows: z.array(z.record(z.string(), cell)),
    totals: z.record(z.string(), cell),
  })
  .openapi('AnalyticsChart');
