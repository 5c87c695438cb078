import { z } from '@hono/zod-openapi';
import { staff } from '../../../db/schema/index.js';
import { Phone, tableRow } from '../../lib/schemas.js';

const StaffFields = {
  name: z.string().trim().min(1, 'Enter the staff member\'s name.').max(120, 'At most 120 characters.'),
  phone: Phone,
  zone_id: z.uuid('Choose a zone.').nullable(),
  user_id: z.uuid('Choose a login.').nullable(),
  is_active: z.boolean(),
  // Where their pay goes (payout batches): an account with its IFSC, or a UPI id.
  bank_account_number: z.string().trim().regex(/^[0-9]{9,18}$/, 'An account number is 9 to 18 digits.').nullable(),
  bank_ifsc: z.string().trim().toUpperCase().regex(/^[A-Z]{4}0[A-Z0-9]{6}$/, 'An IFSC is 11 characters like HDFC0001234.').nullable(),
  upi_id: z.string().trim().regex(/^[a-zA-Z0-9._-]{2,200}@[a-zA-Z][a-zA-Z0-9]{1,63}$/, 'A UPI id looks like name@bank.').nullable(),
};

export const StaffCreate = z.object({
  ...StaffFields,
  zone_id: StaffFields.zone_id.default(null),
  user_id: StaffFields.user_id.default(null),
  is_active: StaffFields.is_active.default(true),
  bank_account_number: StaffFields.bank_account_number.default(null),
  bank_ifsc: StaffFields.bank_ifsc.default(null),
  upi_id: StaffFields.upi_id.default(null),
});
// No delete: deliveries point at staff; deactivate with is_active: false.
export const StaffUpdate = z.object(StaffFields).partial();

export const Staff = tableRow(staff).extend({ zone_name: z.string().nullable() }).openapi('Staff');
export type Staff = z.infer<typeof Staff>;
