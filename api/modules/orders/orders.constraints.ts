import type { ConstraintMeanings } from '../../lib/constraints.js';

// Constraints of orders and their items, merged into the one table in api/lib/constraints.ts.
export const orderConstraints: ConstraintMeanings = {
  'orders_customer_address_fk:insert': { status: 422, code: 'address_not_of_customer', message: 'The delivery address must be one of this customer\'s addresses.' },
  orders_total_nonnegative: { status: 422, code: 'bad_total', message: 'An order total cannot be negative.' },
  orders_customer_address_fk: { status: 409, code: 'address_in_use', message: 'This address has orders; it is kept for their history.' },
  orders_customer_id_fk: { status: 422, code: 'unknown_customer', message: 'That customer does not exist.' },
  orders_subscription_customer_fk: { status: 422, code: 'subscription_not_of_customer', message: 'The subscription belongs to another customer.' },
  orders_kind_subscription: { status: 422, code: 'bad_order_kind', message: 'A subscription order needs its subscription; a one-time order has none.' },
  orders_subscription_date_shift_key: { status: 409, code: 'order_exists', message: 'This subscription already has an order for that date and shift.' },
  order_items_order_product_key: { status: 409, code: 'duplicate_item', message: 'A product appears twice in the order; combine the quantities.' },
  order_items_quantity_positive: { status: 422, code: 'bad_quantity', message: 'Every item needs a quantity of at least 1.' },
  order_items_unit_price_nonnegative: { status: 422, code: 'bad_price', message: 'A price cannot be negative.' },
  order_items_product_id_fk: { status: 422, code: 'unknown_product', message: 'That product does not exist.' },
  orders_status_matches_delivery: { status: 409, code: 'order_status_mismatch', message: 'An order is delivered, partially delivered or failed only through its delivery.' },
  orders_outcome_final: { status: 409, code: 'order_settled', message: 'This order is already settled; it cannot change.' },
  orders_fixed: { status: 409, code: 'order_fixed', message: 'An order keeps its customer, kind, subscription, date and shift.' },
  orders_subscription_address: { status: 422, code: 'address_not_of_subscription', message: "A subscription order is delivered to its subscription's address; move the subscription instead." },
  order_items_order_settled: { status: 409, code: 'order_settled', message: 'This order is already settled; its items cannot change.' },
  order_items_fixed: { status: 409, code: 'order_item_fixed', message: 'An order item keeps its order and product; remove it and add another instead.' },
  order_items_bounds: { status: 422, code: 'bad_quantity', message: 'At most 1000 of one product per order, at most ₹1,00,000 a unit.' },
  orders_total_max: { status: 422, code: 'bad_total', message: 'An order is at most ₹10,00,000; split a larger one.' },
  orders_date_range: { status: 422, code: 'bad_date', message: 'Dates are between 2000-01-01 and 2100-12-31.' },
};
