import type { ConstraintMeanings } from '../../lib/constraints.js';

// Constraints of staff, merged into the one table in api/lib/constraints.ts.
export const staffConstraints: ConstraintMeanings = {
  staff_phone_key: { status: 409, code: 'phone_taken', message: 'Another staff member already has this mobile number.' },
  staff_phone_format: { status: 422, code: 'bad_phone', message: 'The mobile number must be an Indian mobile number (+91 and 10 digits starting 6-9).' },
  staff_user_id_key: { status: 409, code: 'user_taken', message: 'That login already belongs to another staff member.' },
  staff_zone_id_fk: { status: 422, code: 'unknown_zone', message: 'That zone does not exist.' },
  staff_user_id_fk: { status: 422, code: 'unknown_user', message: 'That login does not exist.' },
};
