import { z } from '@hono/zod-openapi';
import { roles, users } from '../../../db/schema/index.js';
import { tableRow, Uuid } from '../../lib/schemas.js';

export const RolePermission = z.object({ resource: z.string(), action: z.string(), conditions: z.unknown() }).openapi('RolePermission');
export type RolePermission = z.infer<typeof RolePermission>;

// No secret is ever part of a user row: password_hash and totp_secret are left out here as in the selection.
export const User = tableRow(users)
  .pick({ id: true, email: true, name: true, is_active: true, created_at: true, updated_at: true })
  .extend({ roles: z.array(z.string()), totp_enabled: z.boolean() })
  .openapi('User');
export type User = z.infer<typeof User>;

export const Role = tableRow(roles).extend({ member_count: z.number().int(), permissions: z.array(RolePermission) }).openapi('Role');
export type Role = z.infer<typeof Role>;

/** The signed-in user, as login and GET /api/auth/me answer. */
export const Actor = z
  .object({ id: Uuid, email: z.string(), name: z.string(), roles: z.array(z.string()), permissions: z.array(RolePermission), staff_id: Uuid.nullable().optional() })
  .openapi('Actor');
export type Actor = z.infer<typeof Actor>;
