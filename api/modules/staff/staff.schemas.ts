import { z } from '@hono/zod-openapi';
import { staff } from '../../../db/schema/index.js';
import { Phone, tableRow } from '../../lib/schemas.js';

const StaffFields = {
  name: z.string().trim().min(1, 'Enter the staff member\'s name.').max(120, 'At most 120 characters.'),
  phone: Phone,
  zone_id: z.uuid('Choose a zone.').nullable(),
  user_id: z.uuid('Choose a login.').nullable(),
  is_active: z.boolean(),
};

export const StaffCreate = z.object({
  ...StaffFields,
  zone_id: StaffFields.zone_id.default(null),
  user_id: StaffFields.user_id.default(null),
  is_active: StaffFields.is_active.default(true),
});
// No delete: deliveries point at staff; deactivate with is_active: false.
export const StaffUpdate = z.object(StaffFields).partial();

export const Staff = tableRow(staff).extend({ zone_name: z.string().nullable() }).openapi('Staff');
export type Staff = z.infer<typeof Staff>;
