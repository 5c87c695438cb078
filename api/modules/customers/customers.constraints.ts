import type { ConstraintMeanings } from '../../lib/constraints.js';

// Constraints of customers and addresses, merged into the one table in api/lib/constraints.ts.
export const customerConstraints: ConstraintMeanings = {
  customers_zone_id_fk: {
    status: 409,
    code: 'zone_has_customers',
    message: 'This zone still has customers. Move them to another zone first.',
  },
  'customers_zone_id_fk:insert': { status: 422, code: 'unknown_zone', message: 'That zone does not exist; choose one from the list.' },
  customers_phone_key: { status: 409, code: 'phone_taken', message: 'Another customer already has this mobile number.' },
  customers_phone_format: { status: 422, code: 'bad_phone', message: 'The mobile number must be an Indian mobile number (+91 and 10 digits starting 6-9).' },
  customers_name_not_blank: { status: 422, code: 'name_blank', message: 'The customer needs a name.' },
  addresses_customer_id_fk: { status: 422, code: 'unknown_customer', message: 'The customer of this address does not exist.' },
  addresses_one_default_per_customer: { status: 409, code: 'default_address_exists', message: 'This customer already has a default address.' },
  addresses_pin_code_format: { status: 422, code: 'bad_pin_code', message: 'The PIN code must be 6 digits and not start with 0.' },
  addresses_lat_range: { status: 422, code: 'bad_latitude', message: 'Latitude must be between -90 and 90.' },
  addresses_lng_range: { status: 422, code: 'bad_longitude', message: 'Longitude must be between -180 and 180.' },
  addresses_lat_lng_together: { status: 422, code: 'bad_location', message: 'Give both latitude and longitude, or neither.' },
};
