import type { ContentfulStatusCode } from 'hono/utils/http-status';

interface ConstraintMeaning {
  status: ContentfulStatusCode;
  code: string;
  message: string;
}

// Every named constraint a person can trip over, mapped to what they should be told.
const meanings: Record<string, ConstraintMeaning> = {
  users_email_key: { status: 409, code: 'email_taken', message: 'A user with this email already exists.' },
  users_email_lowercase: { status: 422, code: 'bad_email', message: 'The email must be a valid lowercase address.' },
  roles_name_key: { status: 409, code: 'role_exists', message: 'A role with this name already exists.' },
  audit_logs_append_only: { status: 409, code: 'audit_append_only', message: 'The audit log cannot be changed.' },
  zones_name_key: { status: 409, code: 'zone_name_taken', message: 'A zone with this name already exists.' },
  zones_name_not_blank: { status: 422, code: 'zone_name_blank', message: 'The zone needs a name.' },
  customers_zone_id_fk: {
    status: 409,
    code: 'zone_has_customers',
    message: 'This zone still has customers (or the zone does not exist). Move its customers to another zone first.',
  },
  customers_phone_key: { status: 409, code: 'phone_taken', message: 'Another customer already has this mobile number.' },
  customers_phone_format: { status: 422, code: 'bad_phone', message: 'The mobile number must be an Indian mobile number (+91 and 10 digits starting 6-9).' },
  customers_name_not_blank: { status: 422, code: 'name_blank', message: 'The customer needs a name.' },
  addresses_customer_id_fk: { status: 422, code: 'unknown_customer', message: 'The customer of this address does not exist.' },
  addresses_one_default_per_customer: { status: 409, code: 'default_address_exists', message: 'This customer already has a default address.' },
  addresses_pin_code_format: { status: 422, code: 'bad_pin_code', message: 'The PIN code must be 6 digits and not start with 0.' },
  addresses_lat_range: { status: 422, code: 'bad_latitude', message: 'Latitude must be between -90 and 90.' },
  addresses_lng_range: { status: 422, code: 'bad_longitude', message: 'Longitude must be between -180 and 180.' },
  addresses_lat_lng_together: { status: 422, code: 'bad_location', message: 'Give both latitude and longitude, or neither.' },
  products_name_key: { status: 409, code: 'product_name_taken', message: 'A product with this name already exists.' },
  products_sku_key: { status: 409, code: 'sku_taken', message: 'A product with this SKU already exists.' },
  products_price_paise_nonnegative: { status: 422, code: 'bad_price', message: 'The price cannot be negative.' },
  products_gst_rate_bp_slab: { status: 422, code: 'bad_gst_rate', message: 'The GST rate must be 0%, 5%, 12%, 18% or 28%.' },
  products_hsn_code_format: { status: 422, code: 'bad_hsn', message: 'The HSN code must be 4, 6 or 8 digits.' },
  product_requests_price_paise_nonnegative: { status: 422, code: 'bad_price', message: 'The price cannot be negative.' },
  product_requests_gst_rate_bp_slab: { status: 422, code: 'bad_gst_rate', message: 'The GST rate must be 0%, 5%, 12%, 18% or 28%.' },
  product_requests_hsn_code_format: { status: 422, code: 'bad_hsn', message: 'The HSN code must be 4, 6 or 8 digits.' },
  product_requests_decision_consistent: {
    status: 422,
    code: 'bad_decision',
    message: 'An approved request needs its product, a rejected one a reason, and a pending one neither.',
  },
  product_requests_product_id_key: { status: 409, code: 'already_approved', message: 'This product already comes from another request.' },
  user_roles_role_id_fk: { status: 422, code: 'unknown_role', message: 'That role does not exist.' },
};

export function describeConstraint(name: string): ConstraintMeaning | undefined {
  return meanings[name];
}

/** Later modules add their constraints here at import time. */
export function defineConstraints(more: Record<string, ConstraintMeaning>): void {
  Object.assign(meanings, more);
}
