import type { ConstraintMeanings } from '../../lib/constraints.js';

// The settings row's CHECKs. The API refuses bad single fields first (400); these are the rules across fields, and
// the last word for anything written another way. Merged into the one table in api/lib/constraints.ts.
export const settingsConstraints: ConstraintMeanings = {
  settings_single_row: { status: 422, code: 'settings_single_row', message: 'There is one settings row; change it instead of adding another.' },
  settings_pan_in_gstin: { status: 422, code: 'pan_not_in_gstin', message: 'The PAN must be the GSTIN\'s characters 3 to 12 (a GSTIN is the state code, the PAN, then 3 more).' },
  settings_state_code_of_gstin: { status: 422, code: 'state_code_not_of_gstin', message: 'The state code must be the GSTIN\'s first two digits.' },
  settings_series_distinct: { status: 422, code: 'series_not_distinct', message: 'Tax invoices and bills of supply need two different prefixes.' },
  settings_series_format: { status: 422, code: 'bad_series_prefix', message: 'A prefix is 1 to 3 letters or digits, so that invoice numbers stay within 16 characters.' },
  settings_gstin_format: { status: 422, code: 'bad_gstin', message: 'The GSTIN must be 15 characters: state code, PAN, entity number, Z, check character.' },
  settings_pan_format: { status: 422, code: 'bad_pan', message: 'The PAN must be 5 letters, 4 digits and a letter.' },
  settings_upi_id_format: { status: 422, code: 'bad_upi_id', message: 'The UPI id must look like name@bank.' },
  settings_payment_term_range: { status: 422, code: 'bad_payment_term', message: 'The payment term must be between 0 and 365 days.' },
  settings_supplier_address_lines: { status: 422, code: 'bad_address', message: 'The address must be 1 to 4 lines of at most 100 characters.' },
  settings_supplier_name_length: { status: 422, code: 'bad_name', message: 'The business name must be 1 to 120 characters.' },
  settings_supplier_state_length: { status: 422, code: 'bad_state', message: 'The state must be 1 to 60 characters.' },
  settings_supplier_phone_format: { status: 422, code: 'bad_phone', message: 'The phone number must be 7 to 20 digits, spaces or dashes.' },
  settings_supplier_email_format: { status: 422, code: 'bad_email', message: 'The email must be a valid address.' },
  invoices_supplier_block: { status: 422, code: 'bad_supplier_block', message: 'An invoice needs the full supplier block it is issued with.' },
};
