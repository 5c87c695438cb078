import type { ConstraintMeanings } from '../../lib/constraints.js';

// Constraints of products, product requests and GST rates, merged into the one table in api/lib/constraints.ts.
export const catalogConstraints: ConstraintMeanings = {
  products_name_key: { status: 409, code: 'product_name_taken', message: 'A product with this name already exists.' },
  products_sku_key: { status: 409, code: 'sku_taken', message: 'A product with this SKU already exists.' },
  products_price_paise_nonnegative: { status: 422, code: 'bad_price', message: 'The price cannot be negative.' },
  products_gst_rate_fk: { status: 422, code: 'bad_gst_rate', message: 'The GST rate must be one of the GST rates (GET /api/gst-rates).' },
  gst_rates_rate_range: { status: 422, code: 'bad_gst_rate', message: 'A GST rate is between 0% and 100%.' },
  products_hsn_code_format: { status: 422, code: 'bad_hsn', message: 'The HSN code must be 4, 6 or 8 digits.' },
  product_requests_price_paise_nonnegative: { status: 422, code: 'bad_price', message: 'The price cannot be negative.' },
  product_requests_gst_rate_fk: { status: 422, code: 'bad_gst_rate', message: 'The GST rate must be one of the GST rates (GET /api/gst-rates).' },
  product_requests_hsn_code_format: { status: 422, code: 'bad_hsn', message: 'The HSN code must be 4, 6 or 8 digits.' },
  product_requests_decision_consistent: {
    status: 422,
    code: 'bad_decision',
    message: 'An approved request needs its product, a rejected one a reason, and a pending one neither.',
  },
  product_requests_product_id_key: { status: 409, code: 'already_approved', message: 'This product already comes from another request.' },
  // Business bounds (migration 0011_business_bounds): absurd magnitudes.
  products_price_paise_max: { status: 422, code: 'bad_price', message: 'A price is at most ₹1,00,000 a unit.' },
  product_requests_price_paise_max: { status: 422, code: 'bad_price', message: 'A price is at most ₹1,00,000 a unit.' },
};
