import type { ConstraintMeanings } from '../../lib/constraints.js';

// Constraints of depots and the zones they serve, merged into the one table in api/lib/constraints.ts.
export const depotConstraints: ConstraintMeanings = {
  depots_name_key: { status: 409, code: 'depot_name_taken', message: 'A depot with this name already exists.' },
  depots_name_not_blank: { status: 422, code: 'bad_depot', message: 'A depot needs a name (up to 120 characters) and a city (up to 80).' },
  depots_in_india: { status: 422, code: 'bad_coordinates', message: "A depot's position is in India: latitude 6 to 37.5, longitude 68 to 97.5." },
  zones_depot_id_fk: { status: 422, code: 'unknown_depot', message: 'That depot does not exist, or still serves a zone.' },
};
