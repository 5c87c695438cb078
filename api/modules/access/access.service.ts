import { sql } from 'drizzle-orm';
import { permissions, roles, userRoles, users } from '../../../db/schema/index.js';
import type { Resource } from '../../lib/crud.js';

const roleNames = sql<string[]>`coalesce((select array_agg(${roles.name} order by ${roles.name}) from ${userRoles} join ${roles} on ${roles.id} = ${userRoles.role_id} where ${userRoles.user_id} = ${users.id}), '{}')`;
const permissionList = sql<unknown[]>`coalesce((select json_agg(json_build_object('resource', p.resource, 'action', p.action, 'conditions', p.conditions) order by p.resource, p.action) from ${permissions} p where p.role_id = ${roles.id}), '[]')`;
const memberCount = sql<number>`(select count(*)::int from ${userRoles} where ${userRoles.role_id} = ${roles.id})`;

export const roleColumns = { member_count: memberCount };

// Secrets (password_hash, totp_secret) are never selected, so they cannot leak through the API.
export const userResource: Resource = {
  name: 'users',
  label: 'User',
  table: users,
  selection: {
    id: users.id,
    email: users.email,
    name: users.name,
    is_active: users.is_active,
    roles: roleNames.as('roles'),
    totp_enabled: sql<boolean>`(${users.totp_secret} is not null)`.as('totp_enabled'),
    created_at: users.created_at,
    updated_at: users.updated_at,
  },
};

export const roleResource: Resource = {
  name: 'roles',
  label: 'Role',
  table: roles,
  selection: {
    id: roles.id,
    name: roles.name,
    description: roles.description,
    member_count: memberCount.as('member_count'),
    permissions: permissionList.as('permissions'),
    created_at: roles.created_at,
  },
};
