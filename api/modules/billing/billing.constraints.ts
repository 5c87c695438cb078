import type { ConstraintMeanings } from '../../lib/constraints.js';

// Constraints of billing records, merged into the one table in api/lib/constraints.ts.
export const billingConstraints: ConstraintMeanings = {
  billing_records_gst_rate_fk: { status: 422, code: 'bad_gst_rate', message: 'The GST rate must be one of the GST rates.' },
  billing_records_order_customer_fk: { status: 422, code: 'bill_not_of_order', message: 'A billing record must name its order and that order\'s customer.' },
  billing_records_legacy_not_invoiced: { status: 422, code: 'legacy_billed', message: 'A record billed by the old system cannot go on a Milkrun invoice.' },
  billing_records_delivery_item_key: { status: 409, code: 'already_billed', message: 'This delivered item already has a billing record.' },
  billing_records_delivery_item_fk: { status: 422, code: 'bill_without_delivery', message: 'A billing record needs a delivered item with the same quantity.' },
  billing_records_immutable: { status: 409, code: 'billing_records_immutable', message: 'Billing records cannot be changed or deleted.' },
  billing_records_on_issued_invoice: { status: 409, code: 'on_issued_invoice', message: 'This record is on an issued invoice; void the invoice first.' },
  billing_records_invoice_matches: { status: 422, code: 'invoice_mismatch', message: 'A record can only go on an issued invoice of its own customer and period.' },
  billing_records_match_delivery: {
    status: 422,
    code: 'bill_not_of_delivery',
    message: "A billing record carries its delivered item's order, customer, product, price, tax and date; the product's tax may have changed meanwhile: try again.",
  },
  billing_records_unit_price_max: { status: 422, code: 'bad_price', message: 'A price is at most ₹1,00,000 a unit.' },
};
