import { z } from '@hono/zod-openapi';
import { roles, users } from '../../../db/schema/index.js';
import { tableRow, Uuid } from '../../lib/schemas.js';
import { GrantInput } from '../../lib/permission-catalog.js';

export const RolePermission = z.object({ resource: z.string(), action: z.string(), conditions: z.unknown() }).openapi('RolePermission');
export type RolePermission = z.infer<typeof RolePermission>;

// No secret is ever part of a user row: password_hash and totp_secret are left out here as in the selection.
export const User = tableRow(users)
  .pick({ id: true, email: true, name: true, is_active: true, created_at: true, updated_at: true })
  .extend({ roles: z.array(z.string()), totp_enabled: z.boolean(), zone_ids: z.array(Uuid).openapi({ description: 'The zones the user works in (grants with conditions {zones: true} reach only these)' }) })
  .openapi('User');
export type User = z.infer<typeof User>;

// permissions_version is the database's own (the session lookup's key): not part of what the API says about a role.
export const Role = tableRow(roles).omit({ permissions_version: true }).extend({ member_count: z.number().int(), permissions: z.array(RolePermission) }).openapi('Role');
export type Role = z.infer<typeof Role>;

// The same rule as the CHECK roles_name_format.
const RoleName = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{1,39}$/, 'A role name is 2 to 40 lowercase letters, digits or _, starting with a letter (e.g. auditor, zone_manager).');

/** A role's permissions are replaced as a whole: the list sent is the role's list afterwards. */
export const RoleCreate = z
  .object({
    name: RoleName,
    description: z.string().trim().max(200, 'At most 200 characters.').optional(),
    requires_totp: z.boolean().optional(),
    permissions: z.array(GrantInput).max(500).optional(),
  })
  .strict()
  .openapi('RoleCreate');
export type RoleCreate = z.infer<typeof RoleCreate>;
export const RoleUpdate = RoleCreate.partial().openapi('RoleUpdate');
export type RoleUpdate = z.infer<typeof RoleUpdate>;

/** The signed-in user, as login and GET /api/auth/me answer. */
export const Actor = z
  .object({
    id: Uuid,
    email: z.string(),
    name: z.string(),
    roles: z.array(z.string()),
    permissions: z.array(RolePermission),
    staff_id: Uuid.nullable().optional(),
    totp_enabled: z.boolean().optional(),
    // A role requires a second factor and none is confirmed: every request but enrolment answers 403 until it is.
    totp_enrolment_required: z.boolean().optional(),
    zone_ids: z.array(Uuid).optional(),
  })
  .openapi('Actor');
export type Actor = z.infer<typeof Actor>;
