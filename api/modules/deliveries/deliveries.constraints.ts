import type { ConstraintMeanings } from '../../lib/constraints.js';

// Constraints of deliveries and delivered quantities, merged into the one table in api/lib/constraints.ts.
export const deliveryConstraints: ConstraintMeanings = {
  deliveries_order_id_key: { status: 409, code: 'already_has_delivery', message: 'This order already has its delivery.' },
  deliveries_order_fk: { status: 422, code: 'unknown_order', message: 'A delivery needs an existing order.' },
  deliveries_not_before_order: { status: 422, code: 'delivered_before_order', message: 'A delivery cannot be dated before its order\'s date.' },
  deliveries_not_in_future: { status: 422, code: 'delivery_in_future', message: 'A delivery cannot be confirmed for a day that has not come yet.' },
  deliveries_outcome_final: { status: 409, code: 'already_confirmed', message: 'This delivery already has its outcome; it and its proof (time, place, note, who) are final.' },
  deliveries_outcome_consistent: { status: 422, code: 'bad_outcome', message: 'A delivered delivery needs its time; a failed one its reason.' },
  deliveries_items_complete: { status: 422, code: 'items_incomplete', message: 'Record a delivered quantity for every item of the order.' },
  deliveries_failure_code_fk: { status: 422, code: 'unknown_reason_code', message: 'That failure reason code does not exist (GET /api/failure-reasons lists them).' },
  deliveries_failure_code_when_failed: { status: 422, code: 'bad_outcome', message: 'Only a failed delivery has a failure reason code.' },
  deliveries_failure_code_final: { status: 409, code: 'already_confirmed', message: 'This delivery already has its outcome; its failure reason is final.' },
  deliveries_staff_id_fk: { status: 422, code: 'unknown_staff', message: 'That staff member does not exist.' },
  deliveries_lat_range: { status: 422, code: 'bad_latitude', message: 'Latitude must be between -90 and 90.' },
  deliveries_lng_range: { status: 422, code: 'bad_longitude', message: 'Longitude must be between -180 and 180.' },
  delivery_items_delivery_fk: { status: 422, code: 'unknown_delivery', message: 'Delivered quantities need an existing delivery of the same order.' },
  delivery_items_order_item_key: { status: 409, code: 'already_delivered', message: 'This item was already delivered.' },
  delivery_items_order_item_fk: { status: 422, code: 'item_not_of_order', message: 'That item is not part of this order.' },
  delivery_items_ordered_quantity_fk: { status: 422, code: 'item_not_of_order', message: 'The ordered quantity does not match the order.' },
  delivery_items_quantity_range: { status: 422, code: 'bad_quantity', message: 'A delivered quantity must be between 0 and the ordered quantity.' },
  delivery_items_immutable: { status: 409, code: 'delivery_items_immutable', message: 'Delivered quantities cannot be changed once recorded.' },
  delivery_items_billed: { status: 422, code: 'delivered_item_unbilled', message: 'Every delivered item needs its billing record.' },
  delivery_items_confirmed_delivery: { status: 422, code: 'delivery_not_confirmed', message: 'Quantities can only be recorded on a confirmed delivery.' },
  deliveries_not_deleted: { status: 409, code: 'delivery_not_deletable', message: 'A delivery is never deleted; cancel its order instead.' },
  deliveries_order_fixed: { status: 409, code: 'delivery_order_fixed', message: 'A delivery belongs to its order for good.' },
  deliveries_quantities_match_status: {
    status: 422,
    code: 'quantities_do_not_match',
    message: 'A delivered delivery has every item in full; a partial one some but not all; with nothing delivered, record it as failed.',
  },
  deliveries_order_status_matches: { status: 409, code: 'order_status_mismatch', message: "A delivery's outcome and its order's status go together; settle the order through its delivery." },
};
