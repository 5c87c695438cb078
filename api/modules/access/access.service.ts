import { and, eq, notInArray, sql } from 'drizzle-orm';
import { permissions, roles, userRoles, userZones, users } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import type { Permission } from '../../lib/context.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { getRow, type Resource, type Row } from '../../lib/crud.js';
import { conflict, unprocessable } from '../../lib/errors.js';
import { validateGrants } from '../../lib/permission-catalog.js';
import type { RoleCreate, RoleUpdate } from './access.schemas.js';

const roleNames = sql<string[]>`coalesce((select array_agg(${roles.name} order by ${roles.name}) from ${userRoles} join ${roles} on ${roles.id} = ${userRoles.role_id} where ${userRoles.user_id} = ${users.id}), '{}')`;
const permissionList = sql<unknown[]>`coalesce((select json_agg(json_build_object('resource', p.resource, 'action', p.action, 'conditions', p.conditions) order by p.resource, p.action) from ${permissions} p where p.role_id = ${roles.id}), '[]')`;
const zoneIds = sql<string[]>`coalesce((select array_agg(${userZones.zone_id} order by ${userZones.zone_id}) from ${userZones} where ${userZones.user_id} = ${users.id}), '{}')`;
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
    totp_enabled: sql<boolean>`(${users.totp_confirmed_at} is not null)`.as('totp_enabled'),
    zone_ids: zoneIds.as('zone_ids'),
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
    requires_totp: roles.requires_totp,
    member_count: memberCount.as('member_count'),
    permissions: permissionList.as('permissions'),
    created_at: roles.created_at,
  },
};

const ADMIN = 'admin';

/** The admin role stays the way back in (the triggers roles_admin_fixed and permissions_admin_keeps_all say it in SQL). */
function assertAdminKept(before: Row, input: RoleUpdate, grants: Permission[] | undefined) {
  if (before.name !== ADMIN) return;
  if (input.name !== undefined && input.name !== ADMIN) throw unprocessable('The admin role keeps its name.', 'admin_role_fixed');
  if (grants && !grants.some((g) => g.resource === '*' && g.action === '*' && g.conditions == null)) {
    throw unprocessable('The admin role keeps every permission (any action on any resource, without conditions).', 'admin_keeps_all');
  }
}

/** Makes the role's permissions exactly `grants`: rows not listed go, new ones come, changed conditions are updated. */
async function replaceGrants(ctx: Ctx, roleId: string, grants: Permission[]) {
  const keep = grants.map((g) => sql`(${g.resource}, ${g.action})`);
  await ctx.db
    .delete(permissions)
    .where(and(eq(permissions.role_id, roleId), keep.length ? sql`(${permissions.resource}, ${permissions.action}) not in (${sql.join(keep, sql`, `)})` : undefined));
  if (!grants.length) return;
  await ctx.db
    .insert(permissions)
    .values(grants.map((g) => ({ role_id: roleId, resource: g.resource, action: g.action, conditions: g.conditions })))
    .onConflictDoUpdate({
      target: [permissions.role_id, permissions.resource, permissions.action],
      set: { conditions: sql`excluded.conditions` },
      setWhere: sql`${permissions.conditions} is distinct from excluded.conditions`,
    });
}

export async function createRole(ctx: Ctx, input: RoleCreate): Promise<Row> {
  const grants = validateGrants(input.permissions ?? []);
  return transaction(ctx, async (tx) => {
    const [role] = await tx.db
      .insert(roles)
      .values({ name: input.name, description: input.description ?? '', requires_totp: input.requires_totp ?? false })
      .returning({ id: roles.id });
    await replaceGrants(tx, role.id, grants);
    const after = await getRow(tx, roleResource, role.id);
    await audit(tx, { action: 'create', table: 'roles', recordId: role.id, after });
    return after;
  });
}

export async function updateRole(ctx: Ctx, id: string, input: RoleUpdate): Promise<Row> {
  const grants = input.permissions ? validateGrants(input.permissions) : undefined;
  return transaction(ctx, async (tx) => {
    // Row lock: two edits of one role apply one after the other, each audited against what the other left.
    const before = await getRow(tx, roleResource, id, { lock: true });
    assertAdminKept(before, input, grants);
    const { permissions: _replaced, ...columns } = input;
    if (Object.keys(columns).length) await tx.db.update(roles).set(columns).where(eq(roles.id, id));
    if (grants) await replaceGrants(tx, id, grants);
    const after = await getRow(tx, roleResource, id);
    if (JSON.stringify(after) === JSON.stringify(before)) return before;
    await audit(tx, { action: 'update', table: 'roles', recordId: id, before, after });
    return after;
  });
}

export async function deleteRole(ctx: Ctx, id: string): Promise<Row> {
  return transaction(ctx, async (tx) => {
    // Race: the role given to a user while it is deleted. This lock conflicts with the key-share lock that the
    // user_roles foreign key takes, so that insert either committed first (and is counted below) or waits and then
    // fails because the role is gone; the FK's RESTRICT stays the last word.
    const before = await getRow(tx, roleResource, id, { lock: true });
    if (before.name === ADMIN) throw unprocessable('The admin role cannot be deleted.', 'admin_role_fixed');
    const [{ held }] = await tx.db.select({ held: sql<number>`count(*)::int` }).from(userRoles).where(eq(userRoles.role_id, id));
    if (held > 0) {
      throw conflict(`The role ${before.name} is held by ${held === 1 ? '1 user' : `${held} users`}; take it from them (Users) before deleting it.`, 'role_in_use');
    }
    await tx.db.delete(roles).where(eq(roles.id, id));
    await audit(tx, { action: 'delete', table: 'roles', recordId: id, before });
    return before;
  });
}

/**
 * Makes the user's zones exactly `zoneIds` (the users form's zone_ids), inside the caller's transaction; the caller
 * audits the user row, whose zone_ids show the change. An unknown zone is refused by user_zones_zone_id_fk (422).
 */
export async function setUserZones(ctx: Ctx, userId: string, zoneIds: string[]): Promise<void> {
  const wanted = [...new Set(zoneIds)];
  await ctx.db
    .delete(userZones)
    .where(and(eq(userZones.user_id, userId), wanted.length ? notInArray(userZones.zone_id, wanted) : undefined));
  if (wanted.length) await ctx.db.insert(userZones).values(wanted.map((zone_id) => ({ user_id: userId, zone_id }))).onConflictDoNothing();
}
