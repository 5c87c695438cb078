import { z } from '@hono/zod-openapi';
import { MOBILE_HINT, normaliseIndianMobile } from '../../../shared/phone.js';
import { staff } from '../../../db/schema/index.js';
import { tableRow } from '../../lib/schemas.js';

const Phone = z
  .string()
  .max(40, 'Enter a 10-digit Indian mobile number.')
  .trim()
  .transform((raw, ctx) => {
    const phone = normaliseIndianMobile(raw);
    if (!phone) {
      ctx.addIssue({ code: 'custom', message: MOBILE_HINT });
      return z.NEVER;
    }
    return phone;
  })
  .openapi({ type: 'string', example: '+919876543210' });

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
