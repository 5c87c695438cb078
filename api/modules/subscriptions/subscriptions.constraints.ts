import type { ConstraintMeanings } from '../../lib/constraints.js';

// Constraints of subscriptions, pauses and one-day changes, merged into the one table in api/lib/constraints.ts.
export const subscriptionConstraints: ConstraintMeanings = {
  'subscriptions_customer_address_fk:insert': { status: 422, code: 'address_not_of_customer', message: 'The address must be one of this customer\'s addresses.' },
  subscription_pauses_subscription_id_fk: { status: 422, code: 'unknown_subscription', message: 'That subscription does not exist.' },
  subscription_overrides_subscription_id_fk: { status: 422, code: 'unknown_subscription', message: 'That subscription does not exist.' },
  subscriptions_cancelled_consistent: { status: 422, code: 'bad_cancellation', message: 'A cancelled subscription needs its cancellation time, and an active one none.' },
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
  subscriptions_date_range: { status: 422, code: 'bad_date', message: 'Dates are between 2000-01-01 and 2100-12-31.' },
  subscription_pauses_date_range: { status: 422, code: 'bad_date', message: 'A pause is between 2000-01-01 and 2100-12-31.' },
  subscription_overrides_date_range: { status: 422, code: 'bad_date', message: 'Dates are between 2000-01-01 and 2100-12-31.' },
};
