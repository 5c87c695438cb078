import type { ConstraintMeanings } from '../../lib/constraints.js';

// Constraints of zones, merged into the one table in api/lib/constraints.ts.
export const zoneConstraints: ConstraintMeanings = {
  zones_name_key: { status: 409, code: 'zone_name_taken', message: 'A zone with this name already exists.' },
  zones_name_not_blank: { status: 422, code: 'zone_name_blank', message: 'The zone needs a name.' },
};
