import type { ConstraintMeanings } from '../../lib/constraints.js';

// Constraints of staff positions and stored run orders, merged into the one table in api/lib/constraints.ts.
export const fieldConstraints: ConstraintMeanings = {
  staff_positions_staff_id_fk: { status: 422, code: 'unknown_staff', message: 'That staff member does not exist.' },
  staff_positions_in_india: { status: 422, code: 'bad_coordinates', message: 'A position is in India: latitude 6 to 37.5, longitude 68 to 97.5.' },
  staff_positions_accuracy_range: { status: 422, code: 'bad_accuracy', message: 'accuracy_m is between 0 and 100000 metres.' },
  staff_positions_recorded_bounds: { status: 422, code: 'bad_recorded_at', message: "recorded_at is at most 2 minutes ahead of the server's clock and at most a day old." },
  staff_positions_staff_bucket_key: { status: 409, code: 'position_slot_taken', message: 'A position of this staff member within the same 10 seconds is already kept.' },
  staff_routes_staff_id_fk: { status: 422, code: 'unknown_staff', message: 'That staff member does not exist.' },
  staff_routes_updated_by_fk: { status: 422, code: 'unknown_user', message: 'That user does not exist.' },
  staff_routes_staff_shift_key: { status: 409, code: 'run_order_exists', message: 'This run already has a stored order: it is replaced, not added again.' },
  staff_routes_distance_nonnegative: { status: 422, code: 'bad_distance', message: "A run's distance cannot be negative." },
  staff_route_stops_route_id_fk: { status: 422, code: 'unknown_run', message: 'That run order does not exist.' },
  staff_route_stops_address_id_fk: { status: 422, code: 'unknown_address', message: 'A stop of the order is not an address that exists.' },
  staff_route_stops_route_address_key: { status: 422, code: 'stop_twice', message: 'An address appears twice in the run order.' },
  staff_route_stops_route_position_key: { status: 409, code: 'stop_place_taken', message: 'Two stops of the run order have the same place.' },
  staff_route_stops_position_positive: { status: 422, code: 'bad_stop_place', message: "A stop's place in the run starts at 1." },
};
