import type { ConstraintMeanings } from '../../lib/constraints.js';

// Constraints of the invoice tables, merged into the one table in api/lib/constraints.ts.
export const invoiceConstraints: ConstraintMeanings = {
  invoices_void_consistent: { status: 422, code: 'bad_void', message: 'A void invoice needs its reason and time; an issued one has neither.' },
  invoices_period_valid: { status: 422, code: 'bad_period', message: 'The period must not end before it starts, nor the due date come before the invoice date.' },
  invoices_customer_id_fk: { status: 422, code: 'unknown_customer', message: 'That customer does not exist.' },
  billing_records_invoice_id_fk: { status: 409, code: 'invoice_has_records', message: 'This invoice still carries billing records.' },
  invoice_runs_month_first_day: { status: 422, code: 'bad_month', message: 'A run is for a whole month.' },
  invoice_runs_customer_id_fk: { status: 422, code: 'unknown_customer', message: 'That customer does not exist.' },
  document_series_next_positive: { status: 422, code: 'bad_series', message: 'Document numbers start at 1.' },
};
