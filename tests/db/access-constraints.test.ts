import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { countOf, refusedBy, rows } from '../api/support.js';

// Roles, grants and the admin's way back in, tried with raw SQL: what the roles API refuses first, the database
// refuses too, under the names api/modules/access/access.constraints.ts turns into messages.
let t: TestApp;
let adminId: string;

const CHECK = '23514';
const FK = '23503';
const RESTRICTED = expect.stringMatching(/^(23503|23001)$/);

const run = (query: SQL) => t.database.db.execute(query);
const one = async <T = { id: string }>(query: SQL) => (await rows<T>(t.database.db, query))[0];
let seq = 0;
const newRole = () => one(sql`insert into roles (name) values (${`raw_role_${++seq}`}) returning id`);
const grant = (roleId: string, conditions: string | null, resource = 'deliveries', action = `act_${++seq}`) =>
  run(sql`insert into permissions (role_id, resource, action, conditions) values (${roleId}, ${resource}, ${action}, ${conditions}::jsonb)`);

beforeAll(async () => {
  t = await createTestApp();
  ({ id: adminId } = await one(sql`select id from roles where name = 'admin'`));
});
afterAll(() => t?.close());

describe('roles', () => {
  test.each(['Finance', 'a', '1st_line', 'senior support', 'zone-manager', 'x'.repeat(41), ''])('roles_name_format refuses %j', async (name) => {
    expect(await refusedBy(run(sql`insert into roles (name) values (${name})`))).toEqual({ constraint: 'roles_name_format', code: CHECK });
  });

  test('roles_admin_fixed: the admin role is neither renamed nor deleted; others are', async () => {
    expect(await refusedBy(run(sql`update roles set name = 'root' where id = ${adminId}`))).toEqual({ constraint: 'roles_admin_fixed', code: CHECK });
    expect(await refusedBy(run(sql`delete from roles where id = ${adminId}`))).toEqual({ constraint: 'roles_admin_fixed', code: CHECK });
    await run(sql`update roles set description = 'Still admin', requires_totp = true where id = ${adminId}`);
    const other = await newRole();
    await run(sql`update roles set name = 'raw_renamed' where id = ${other.id}`);
    await run(sql`delete from roles where id = ${other.id}`);
    expect(await countOf(t.database.db, sql`select count(*) as n from roles where name in ('admin', 'raw_renamed')`)).toBe(1);
  });

  test('user_roles_role_id_fk: a role a user holds is not deleted; an unknown role is not given', async () => {
    const role = await newRole();
    const [user] = await rows<{ id: string }>(t.database.db, sql`select id from users where email = 'support@milkrun.test'`);
    await run(sql`insert into user_roles (user_id, role_id) values (${user.id}, ${role.id})`);
    expect(await refusedBy(run(sql`delete from roles where id = ${role.id}`))).toEqual({ constraint: 'user_roles_role_id_fk', code: RESTRICTED });
    expect(await refusedBy(run(sql`insert into user_roles (user_id, role_id) values (${user.id}, '00000000-0000-4000-8000-000000000000')`))).toEqual({ constraint: 'user_roles_role_id_fk', code: FK });
    await run(sql`delete from user_roles where role_id = ${role.id}`);
  });
});

describe('permissions', () => {
  test.each([
    ['{}'],
    ['[]'],
    ['5'],
    ['"own"'],
    ['{"own": false}'],
    ['{"own": "yes"}'],
    ['{"zones": 1}'],
    ['{"step_up": null}'],
    ['{"region": "north"}'],
    ['{"own": true, "extra": true}'],
    ['{"max_amount_paise": -1}'],
    ['{"max_amount_paise": 10.5}'],
    ['{"max_amount_paise": "100"}'],
    ['{"max_amount_paise": 1000000000001}'],
  ])('permissions_conditions_shape refuses %s', async (conditions) => {
    const role = await newRole();
    expect(await refusedBy(grant(role.id, conditions))).toEqual({ constraint: 'permissions_conditions_shape', code: CHECK });
  });

  test('permissions_conditions_shape takes none or the agreed shape', async () => {
    const role = await newRole();
    for (const c of [null, '{"own": true}', '{"zones": true}', '{"step_up": true}', '{"max_amount_paise": 0}', '{"max_amount_paise": 1000000000000}', '{"own": true, "zones": true, "max_amount_paise": 500, "step_up": true}']) {
      await grant(role.id, c);
    }
    expect(await countOf(t.database.db, sql`select count(*) as n from permissions where role_id = ${role.id}`)).toBe(7);
  });

  test('permissions_role_id_fk: a grant belongs to a role, and goes with it', async () => {
    expect(await refusedBy(grant('00000000-0000-4000-8000-000000000000', null))).toEqual({ constraint: 'permissions_role_id_fk', code: FK });
    const role = await newRole();
    await grant(role.id, null);
    await run(sql`delete from roles where id = ${role.id}`);
    expect(await countOf(t.database.db, sql`select count(*) as n from permissions where role_id = ${role.id}`)).toBe(0);
  });

  test("permissions_admin_keeps_all: admin's * on * is neither deleted, moved nor conditioned", async () => {
    const kept = sql`role_id = ${adminId} and resource = '*' and action = '*'`;
    expect(await refusedBy(run(sql`delete from permissions where ${kept}`))).toEqual({ constraint: 'permissions_admin_keeps_all', code: CHECK });
    expect(await refusedBy(run(sql`delete from permissions where role_id = ${adminId}`))).toEqual({ constraint: 'permissions_admin_keeps_all', code: CHECK });
    expect(await refusedBy(run(sql`update permissions set action = 'list' where ${kept}`))).toEqual({ constraint: 'permissions_admin_keeps_all', code: CHECK });
    expect(await refusedBy(run(sql`update permissions set resource = 'customers' where ${kept}`))).toEqual({ constraint: 'permissions_admin_keeps_all', code: CHECK });
    expect(await refusedBy(run(sql`update permissions set conditions = '{"step_up": true}' where ${kept}`))).toEqual({ constraint: 'permissions_admin_keeps_all', code: CHECK });
    const other = await newRole();
    expect(await refusedBy(run(sql`update permissions set role_id = ${other.id} where ${kept}`))).toEqual({ constraint: 'permissions_admin_keeps_all', code: CHECK });
    // Another role's * on * is its own business; the admin may hold more than * on *.
    await grant(other.id, null, '*', '*');
    await run(sql`delete from permissions where role_id = ${other.id}`);
    await grant(adminId, null, 'customers', 'list');
    await run(sql`delete from permissions where role_id = ${adminId} and resource = 'customers'`);
    expect(await rows(t.database.db, sql`select resource, action, conditions from permissions where role_id = ${adminId}`)).toEqual([{ resource: '*', action: '*', conditions: null }]);
  });

  // The API keeps a role's grants by (role, permissions_version): a version that repeated, or that SQL could choose,
  // would let a process go on applying grants that are gone. Kept by the triggers 'permissions_bump_role_version' and
  // 'roles_permissions_version_fresh'.
  test('permissions_version: every change of a role\'s grants gives it a new one; SQL cannot choose or repeat one', async () => {
    const version = async (id: string) => Number((await one<{ v: string }>(sql`select permissions_version::text as v from roles where id = ${id}`)).v);
    const role = await newRole();
    const seen = [await version(role.id)];
    const changed = async () => {
      const v = await version(role.id);
      expect(seen.every((s) => v > s)).toBe(true);
      seen.push(v);
    };
    await grant(role.id, null, 'customers', 'list');
    await changed();
    await run(sql`update permissions set conditions = '{"zones": true}' where role_id = ${role.id}`);
    await changed();
    await run(sql`delete from permissions where role_id = ${role.id}`);
    await changed();
    // A grant moved from one role to another changes both.
    const other = await newRole();
    const otherBefore = await version(other.id);
    await grant(role.id, null, 'zones', 'list');
    await changed();
    await run(sql`update permissions set role_id = ${other.id} where role_id = ${role.id}`);
    await changed();
    expect(await version(other.id)).toBeGreaterThan(otherBefore);
    // Chosen by hand, on insert or update, it is replaced by the sequence's next value: never an old one.
    await run(sql`update roles set permissions_version = ${seen[0]} where id = ${role.id}`);
    await changed();
    const chosen = await one(sql`insert into roles (name, permissions_version) values (${`raw_role_${++seq}`}, ${seen[1]}) returning id`);
    expect(await version(chosen.id)).toBeGreaterThan(seen[seen.length - 1]);
    // Other columns leave it alone.
    await run(sql`update roles set description = 'unchanged grants' where id = ${role.id}`);
    expect(await version(role.id)).toBe(seen[seen.length - 1]);
  });
});

describe('user_zones', () => {
  test('user_zones_user_id_fk and user_zones_zone_id_fk: a known user in a known zone, once; both sides cascade', async () => {
    const zone = await one(sql`insert into zones (name) values ('Raw User Zone') returning id`);
    const other = await one(sql`insert into zones (name) values ('Raw Other Zone') returning id`);
    const user = await one(sql`insert into users (email, name, password_hash) values ('zoned@milkrun.test', 'Zoned', 'x') returning id`);
    expect(await refusedBy(run(sql`insert into user_zones (user_id, zone_id) values ('00000000-0000-4000-8000-000000000000', ${zone.id})`))).toEqual({ constraint: 'user_zones_user_id_fk', code: FK });
    expect(await refusedBy(run(sql`insert into user_zones (user_id, zone_id) values (${user.id}, '00000000-0000-4000-8000-000000000000')`))).toEqual({ constraint: 'user_zones_zone_id_fk', code: FK });
    await run(sql`insert into user_zones (user_id, zone_id) values (${user.id}, ${zone.id}), (${user.id}, ${other.id})`);
    expect(await refusedBy(run(sql`insert into user_zones (user_id, zone_id) values (${user.id}, ${zone.id})`))).toEqual({ constraint: 'user_zones_pkey', code: '23505' });
    // A zone deleted leaves the user's list; a user deleted leaves no rows behind.
    await run(sql`delete from zones where id = ${other.id}`);
    expect(await rows(t.database.db, sql`select zone_id from user_zones where user_id = ${user.id}`)).toEqual([{ zone_id: zone.id }]);
    await run(sql`delete from users where id = ${user.id}`);
    expect(await countOf(t.database.db, sql`select count(*) as n from user_zones where zone_id = ${zone.id}`)).toBe(0);
  });
});
