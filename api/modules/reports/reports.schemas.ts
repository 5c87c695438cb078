import { z } from '@hono/zod-openapi';
import { DateString, MonthString } from '../../lib/input.js';
import { Paise } from '../../lib/schemas.js';

export const GstReportQuery = z
  .object({
    month: MonthString.openapi({ param: { name: 'month', in: 'query' }, description: 'The month of the invoice dates, YYYY-MM' }),
    format: z
      .enum(['json', 'xlsx'], { message: 'format must be json or xlsx.' })
      .optional()
      .openapi({ param: { name: 'format', in: 'query' }, description: 'xlsx: the GSTR-1 workbook (needs export on reports); json by default' }),
  })
  .strict();

const count = z.number().int();
const rate = z.number().int().openapi({ description: 'GST rate in basis points (500 = 5%)' });

export const GstReport = z
  .object({
    month: z.string().openapi({ example: '2026-11' }),
    from: z.string(),
    to: z.string(),
    hsn: z.array(
      z.object({ hsn: z.string(), description: z.string(), uqc: z.string(), rate_bp: rate, quantity: count, taxable_paise: Paise, igst_paise: Paise, cgst_paise: Paise, sgst_paise: Paise, total_paise: Paise }),
    ),
    b2cs: z.array(z.object({ type: z.literal('OE'), place_of_supply: z.string(), rate_bp: rate, taxable_paise: Paise, igst_paise: Paise, cgst_paise: Paise, sgst_paise: Paise, total_paise: Paise })),
    exempt: z.array(z.object({ description: z.string(), nil_rated_paise: Paise, exempt_paise: Paise, non_gst_paise: Paise })),
    documents: z.array(z.object({ nature: z.string(), series: z.string(), from: z.string(), to: z.string(), total: count, cancelled: count, net_issued: count })),
    credit_notes: z.array(z.object({ hsn: z.string(), rate_bp: rate, notes: count, taxable_paise: Paise, cgst_paise: Paise, sgst_paise: Paise, total_paise: Paise })),
  })
  .openapi('GstReport');

const fileFormat = z
  .enum(['json', 'csv', 'xlsx'], { message: 'format must be json, csv or xlsx.' })
  .optional()
  .openapi({ param: { name: 'format', in: 'query' }, description: 'csv or xlsx: the table as a file with its totals row (needs export on reports); json by default' });

const range = {
  from: DateString.openapi({ param: { name: 'from', in: 'query' }, description: 'First day, YYYY-MM-DD' }),
  to: DateString.openapi({ param: { name: 'to', in: 'query' }, description: 'Last day, YYYY-MM-DD (at most 366 days after from)' }),
};
export const SalesRegisterQuery = z.object(range).strict();
export const CollectionsQuery = z.object({ ...range, format: fileFormat }).strict();

export const SalesRegisterTotals = z
  .object({
    from: z.string(),
    to: z.string(),
    invoices: count,
    void: count,
    taxable_paise: Paise,
    exempt_paise: Paise,
    cgst_paise: Paise,
    sgst_paise: Paise,
    total_paise: Paise,
    paid_paise: Paise,
    credited_paise: Paise,
    balance_due_paise: Paise,
  })
  .openapi('SalesRegisterTotals');

export const CollectionsRegister = z
  .object({
    from: z.string(),
    to: z.string(),
    rows: z.array(z.record(z.string(), z.union([z.string(), z.number()]))),
    totals: z.record(z.string(), z.number()),
  })
  .openapi('CollectionsRegister');

export const RevenueQuery = z
  .object({
    from: MonthString.openapi({ param: { name: 'from', in: 'query' }, description: 'First month of invoice dates, YYYY-MM' }),
    to: MonthString.openapi({ param: { name: 'to', in: 'query' }, description: 'Last month of invoice dates, YYYY-MM (at most 36 months after from)' }),
    by: z.enum(['month', 'zone', 'product'], { message: 'by must be month, zone or product.' }).openapi({ param: { name: 'by', in: 'query' } }),
    format: fileFormat,
  })
  .strict();

const RevenueFigures = { invoices: count, value_paise: Paise, cgst_paise: Paise, sgst_paise: Paise, total_paise: Paise };
export const Revenue = z
  .object({
    from: z.string(),
    to: z.string(),
    by: z.enum(['month', 'zone', 'product']),
    rows: z.array(z.object({ key: z.string(), label: z.string(), quantity: count, ...RevenueFigures })),
    totals: z.object(RevenueFigures),
  })
  .openapi('Revenue');
