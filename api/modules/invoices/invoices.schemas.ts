import { z } from '@hono/zod-openapi';
import { MonthString } from '../../lib/input.js';
import { invoiceLines, invoiceRuns, invoices } from '../../../db/schema/index.js';
import { tableRow, Uuid } from '../../lib/schemas.js';

export const invoiceKinds = ['tax_invoice', 'bill_of_supply', 'invoice_cum_bill_of_supply'] as const;
export const invoiceStatuses = ['issued', 'void'] as const;
export const invoicePaymentStatuses = ['unpaid', 'partially_paid', 'paid'] as const;
export const invoiceRunStatuses = ['running', 'completed', 'failed'] as const;

export const RunBody = z
  .object({
    month: MonthString,
    customer_id: z.uuid({ message: 'customer_id must be a customer id (UUID).' }).optional(),
  })
  .strict()
  .openapi('InvoiceRunStart');

export const RunQuery = z.object({
  wait: z
    .enum(['true', 'false'], { message: 'wait must be true or false.' })
    .optional()
    .openapi({ param: { name: 'wait', in: 'query' }, description: 'true: answer when the run has finished, with its final row' }),
});

export const VoidBody = z
  .object({ reason: z.string().trim().min(3, 'reason: say in a few words why the invoice is void.').max(500) })
  .strict()
  .openapi('InvoiceVoid');

// Responses: rows as the API returns them (the admin's types are inferred from these).
export const Invoice = tableRow(invoices).extend({ customer_name: z.string(), replaced_by_invoice_id: Uuid.nullable() }).openapi('Invoice');
export type Invoice = z.infer<typeof Invoice>;
export const InvoiceLine = tableRow(invoiceLines).openapi('InvoiceLine');
export type InvoiceLine = z.infer<typeof InvoiceLine>;
export const InvoiceRun = tableRow(invoiceRuns).extend({ customer_name: z.string().nullable(), started_by_name: z.string().nullable() }).openapi('InvoiceRun');
export type InvoiceRun = z.infer<typeof InvoiceRun>;
