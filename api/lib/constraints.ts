import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { invoiceConstraints } from '../modules/invoices/invoices.constraints.js';
import { settingsConstraints } from '../modules/settings/settings.constraints.js';

interface ConstraintMeaning {
  status: ContentfulStatusCode;
  code: string;
  message: string;
}
export type ConstraintMeanings = Record<string, ConstraintMeaning>;

// Every named constraint a person can trip over, mapped to what they should be told.
const core: ConstraintMeanings = {
  users_email_key: { status: 409, code: 'email_taken', message: 'A user with this email already exists.' },
  users_email_lowercase: { status: 422, code: 'bad_email', message: 'The email must be a valid lowercase address.' },
  roles_name_key: { status: 409, code: 'role_exists', message: 'A role with this name already exists.' },
  audit_logs_append_only: { status: 409, code: 'audit_append_only', message: 'The audit log cannot be changed.' },
  zones_name_key: { status: 409, code: 'zone_name_taken', message: 'A zone with this name already exists.' },
  zones_name_not_blank: { status: 422, code: 'zone_name_blank', message: 'The zone needs a name.' },
  customers_zone_id_fk: {
    status: 409,
    code: 'zone_has_customers',
    message: 'This zone still has customers. Move them to another zone first.',
  },
  'customers_zone_id_fk:insert': { status: 422, code: 'unknown_zone', message: 'That zone does not exist; choose one from the list.' },
  'orders_customer_address_fk:insert': { status: 422, code: 'address_not_of_customer', message: 'The delivery address must be one of this customer\'s addresses.' },
  'subscriptions_customer_address_fk:insert': { status: 422, code: 'address_not_of_customer', message: 'The address must be one of this customer\'s addresses.' },
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
  products_gst_rate_fk: { status: 422, code: 'bad_gst_rate', message: 'The GST rate must be one of the GST rates (GET /api/gst-rates).' },
  billing_records_gst_rate_fk: { status: 422, code: 'bad_gst_rate', message: 'The GST rate must be one of the GST rates.' },
  invoice_lines_gst_rate_fk: { status: 422, code: 'bad_gst_rate', message: 'The GST rate must be one of the GST rates.' },
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
  staff_phone_key: { status: 409, code: 'phone_taken', message: 'Another staff member already has this mobile number.' },
  staff_phone_format: { status: 422, code: 'bad_phone', message: 'The mobile number must be an Indian mobile number (+91 and 10 digits starting 6-9).' },
  staff_user_id_key: { status: 409, code: 'user_taken', message: 'That login already belongs to another staff member.' },
  staff_zone_id_fk: { status: 422, code: 'unknown_zone', message: 'That zone does not exist.' },
  staff_user_id_fk: { status: 422, code: 'unknown_user', message: 'That login does not exist.' },
  subscription_pauses_subscription_id_fk: { status: 422, code: 'unknown_subscription', message: 'That subscription does not exist.' },
  subscription_overrides_subscription_id_fk: { status: 422, code: 'unknown_subscription', message: 'That subscription does not exist.' },
  subscriptions_cancelled_consistent: { status: 422, code: 'bad_cancellation', message: 'A cancelled subscription needs its cancellation time, and an active one none.' },
  orders_total_nonnegative: { status: 422, code: 'bad_total', message: 'An order total cannot be negative.' },
  subscriptions_customer_address_fk: { status: 409, code: 'address_in_use', message: 'This address is used by a subscription; move the subscription to another address first.' },
  subscriptions_customer_id_fk: { status: 422, code: 'unknown_customer', message: 'That customer does not exist (or still has subscriptions).' },
  subscriptions_product_id_fk: { status: 422, code: 'unknown_product', message: 'That product does not exist.' },
  subscriptions_quantity_positive: { status: 422, code: 'bad_quantity', message: 'The quantity must be between 1 and 100.' },
  subscriptions_end_after_start: { status: 422, code: 'bad_dates', message: 'The end date cannot be before the start date.' },
  subscriptions_weekdays_valid: { status: 422, code: 'bad_weekdays', message: 'Choose at least one weekday for a weekday schedule (and none for daily or alternate days).' },
  subscription_pauses_no_overlap: { status: 409, code: 'pause_overlaps', message: 'This pause overlaps another pause of the same subscription.' },
  subscription_pauses_range_valid: { status: 422, code: 'bad_dates', message: 'A pause must end on or after the day it starts.' },
  subscription_overrides_subscription_date_key: { status: 409, code: 'override_exists', message: 'There is already a change for that day; edit it instead.' },
  subscription_overrides_quantity_range: { status: 422, code: 'bad_quantity', message: 'The quantity for the day must be between 0 and 100.' },
  orders_customer_address_fk: { status: 409, code: 'address_in_use', message: 'This address has orders; it is kept for their history.' },
  orders_customer_id_fk: { status: 422, code: 'unknown_customer', message: 'That customer does not exist.' },
  orders_subscription_customer_fk: { status: 422, code: 'subscription_not_of_customer', message: 'The subscription belongs to another customer.' },
  orders_kind_subscription: { status: 422, code: 'bad_order_kind', message: 'A subscription order needs its subscription; a one-time order has none.' },
  orders_subscription_date_shift_key: { status: 409, code: 'order_exists', message: 'This subscription already has an order for that date and shift.' },
  order_items_order_product_key: { status: 409, code: 'duplicate_item', message: 'A product appears twice in the order; combine the quantities.' },
  order_items_quantity_positive: { status: 422, code: 'bad_quantity', message: 'Every item needs a quantity of at least 1.' },
  order_items_unit_price_nonnegative: { status: 422, code: 'bad_price', message: 'A price cannot be negative.' },
  order_items_product_id_fk: { status: 422, code: 'unknown_product', message: 'That product does not exist.' },
  deliveries_order_id_key: { status: 409, code: 'already_has_delivery', message: 'This order already has its delivery.' },
  deliveries_order_fk: { status: 422, code: 'unknown_order', message: 'A delivery needs an existing order.' },
  deliveries_not_before_order: { status: 422, code: 'delivered_before_order', message: 'A delivery cannot be dated before its order\'s date.' },
  deliveries_not_in_future: { status: 422, code: 'delivery_in_future', message: 'A delivery cannot be confirmed for a day that has not come yet.' },
  deliveries_outcome_final: { status: 409, code: 'already_confirmed', message: 'This delivery already has its outcome; it and its proof (time, place, note, who) are final.' },
  deliveries_outcome_consistent: { status: 422, code: 'bad_outcome', message: 'A delivered delivery needs its time; a failed one its reason.' },
  deliveries_items_complete: { status: 422, code: 'items_incomplete', message: 'Record a delivered quantity for every item of the order.' },
  deliveries_staff_id_fk: { status: 422, code: 'unknown_staff', message: 'That staff member does not exist.' },
  deliveries_lat_range: { status: 422, code: 'bad_latitude', message: 'Latitude must be between -90 and 90.' },
  deliveries_lng_range: { status: 422, code: 'bad_longitude', message: 'Longitude must be between -180 and 180.' },
  delivery_items_delivery_fk: { status: 422, code: 'unknown_delivery', message: 'Delivered quantities need an existing delivery of the same order.' },
  billing_records_order_customer_fk: { status: 422, code: 'bill_not_of_order', message: 'A billing record must name its order and that order\'s customer.' },
  billing_records_legacy_not_invoiced: { status: 422, code: 'legacy_billed', message: 'A record billed by the old system cannot go on a Milkrun invoice.' },
  delivery_items_order_item_key: { status: 409, code: 'already_delivered', message: 'This item was already delivered.' },
  delivery_items_order_item_fk: { status: 422, code: 'item_not_of_order', message: 'That item is not part of this order.' },
  delivery_items_ordered_quantity_fk: { status: 422, code: 'item_not_of_order', message: 'The ordered quantity does not match the order.' },
  delivery_items_quantity_range: { status: 422, code: 'bad_quantity', message: 'A delivered quantity must be between 0 and the ordered quantity.' },
  delivery_items_immutable: { status: 409, code: 'delivery_items_immutable', message: 'Delivered quantities cannot be changed once recorded.' },
  delivery_items_billed: { status: 422, code: 'delivered_item_unbilled', message: 'Every delivered item needs its billing record.' },
  delivery_items_confirmed_delivery: { status: 422, code: 'delivery_not_confirmed', message: 'Quantities can only be recorded on a confirmed delivery.' },
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
  deliveries_not_deleted: { status: 409, code: 'delivery_not_deletable', message: 'A delivery is never deleted; cancel its order instead.' },
  deliveries_order_fixed: { status: 409, code: 'delivery_order_fixed', message: 'A delivery belongs to its order for good.' },
  deliveries_quantities_match_status: {
    status: 422,
    code: 'quantities_do_not_match',
    message: 'A delivered delivery has every item in full; a partial one some but not all; with nothing delivered, record it as failed.',
  },
  deliveries_order_status_matches: { status: 409, code: 'order_status_mismatch', message: "A delivery's outcome and its order's status go together; settle the order through its delivery." },
  orders_status_matches_delivery: { status: 409, code: 'order_status_mismatch', message: 'An order is delivered, partially delivered or failed only through its delivery.' },
  orders_outcome_final: { status: 409, code: 'order_settled', message: 'This order is already settled; it cannot change.' },
  orders_fixed: { status: 409, code: 'order_fixed', message: 'An order keeps its customer, kind, subscription, date and shift.' },
  orders_subscription_address: { status: 422, code: 'address_not_of_subscription', message: "A subscription order is delivered to its subscription's address; move the subscription instead." },
  order_items_order_settled: { status: 409, code: 'order_settled', message: 'This order is already settled; its items cannot change.' },
  order_items_fixed: { status: 409, code: 'order_item_fixed', message: 'An order item keeps its order and product; remove it and add another instead.' },
  invoices_number_key: { status: 409, code: 'invoice_number_taken', message: 'That invoice number is already used.' },
  invoices_series_year_seq_key: { status: 409, code: 'invoice_number_taken', message: 'That invoice number is already used.' },
  invoices_number_format: { status: 422, code: 'bad_invoice_number', message: 'Invoice numbers have at most 16 characters of A-Z, 0-9, / and -.' },
  invoices_immutable: { status: 409, code: 'invoice_immutable', message: 'An issued invoice cannot change; void it and reissue.' },
  invoices_issued_not_voided: { status: 422, code: 'bad_void', message: 'A void reason, time and author go only with voiding the invoice.' },
  invoices_number_derived: { status: 422, code: 'bad_invoice_number', message: 'An invoice number is its series, financial year and sequence (MR/26-27/000123).' },
  invoices_financial_year_of_date: { status: 422, code: 'bad_financial_year', message: "An invoice's financial year is its date's (from 1 April)." },
  invoices_seq_from_counter: { status: 409, code: 'invoice_number_not_next', message: 'An invoice takes the next number of its series; no number may be skipped.' },
  document_series_no_gap: { status: 409, code: 'invoice_number_gap', message: 'Every number a series hands out must be on an invoice; none may be skipped.' },
  invoices_total_matches_lines: { status: 422, code: 'invoice_total_mismatch', message: 'The invoice total must equal the sum of its lines.' },
  // Business bounds (migration 0011_business_bounds): absurd magnitudes.
  products_price_paise_max: { status: 422, code: 'bad_price', message: 'A price is at most ₹1,00,000 a unit.' },
  product_requests_price_paise_max: { status: 422, code: 'bad_price', message: 'A price is at most ₹1,00,000 a unit.' },
  order_items_bounds: { status: 422, code: 'bad_quantity', message: 'At most 1000 of one product per order, at most ₹1,00,000 a unit.' },
  orders_total_max: { status: 422, code: 'bad_total', message: 'An order is at most ₹10,00,000; split a larger one.' },
  orders_date_range: { status: 422, code: 'bad_date', message: 'Dates are between 2000-01-01 and 2100-12-31.' },
  billing_records_unit_price_max: { status: 422, code: 'bad_price', message: 'A price is at most ₹1,00,000 a unit.' },
  invoice_lines_bounds: { status: 422, code: 'bad_invoice_line', message: 'An invoice line has no negative amount and no absurd quantity or price.' },
  invoices_total_max: { status: 422, code: 'bad_total', message: 'An invoice is at most ₹1,00,00,000.' },
  invoices_seq_max: { status: 422, code: 'series_full', message: 'This series has used all 999999 numbers of its financial year.' },
  invoices_date_range: { status: 422, code: 'bad_date', message: 'Dates are between 2000-01-01 and 2100-12-31.' },
  document_series_next_max: { status: 422, code: 'series_full', message: 'This series has used all 999999 numbers of its financial year.' },
  invoice_runs_counts_valid: { status: 422, code: 'bad_run_counts', message: 'A run counts no more customers processed than it has, and no negative amount.' },
  invoice_runs_month_range: { status: 422, code: 'bad_date', message: 'Dates are between 2000-01-01 and 2100-12-31.' },
  subscriptions_date_range: { status: 422, code: 'bad_date', message: 'Dates are between 2000-01-01 and 2100-12-31.' },
  subscription_pauses_date_range: { status: 422, code: 'bad_date', message: 'A pause is between 2000-01-01 and 2100-12-31.' },
  subscription_overrides_date_range: { status: 422, code: 'bad_date', message: 'Dates are between 2000-01-01 and 2100-12-31.' },
  user_roles_role_id_fk: { status: 422, code: 'unknown_role', message: 'That role does not exist.' },
};

/** One table from the entries of each module, imported explicitly here; a name given twice stops the API at startup. */
function merge(...tables: ConstraintMeanings[]): ConstraintMeanings {
  const all: ConstraintMeanings = {};
  for (const table of tables) {
    for (const [name, meaning] of Object.entries(table)) {
      if (all[name]) throw new Error(`Constraint ${name} is described twice.`);
      all[name] = meaning;
    }
  }
  return all;
}

const meanings = merge(core, invoiceConstraints, settingsConstraints);

export function describeConstraint(name: string): ConstraintMeaning | undefined {
  return meanings[name];
}
