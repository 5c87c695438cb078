import { createHash, randomBytes } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createUser } from '../../seeds/users.js';
import { countOf, refusedBy, rows } from '../api/support.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

// The users' rules in SQL, tried with raw statements: the last active admin stays (users_last_active_admin, two
// triggers serialised on the admin role's row) and set-password links are hashed, short-lived and used once.
let t: TestApp;
const CHECK = '23514';
const UNIQUE = '23505';
const FK = '23503';

const run = (query: SQL) => t.database.db.execute(query);
const one = async <T = { id: string }>(query: SQL) => (await rows<T>(t.database.db, query))[0];
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
const activeAdmins = () =>
  countOf(t.database.db, sql`select count(*) as n from user_roles ur join roles r on r.id = ur.role_id join users u on u.id = ur.user_id where r.name = 'admin' and u.is_active`);

let adminRole: string;
let supportRole: string;
let seq = 0;
/** A fresh admin (active) next to the demo one. */
const newAdmin = async () => createUser(t.database.db, { email: `raw-admin-${++seq}@milkrun.test`, name: `Raw Admin ${seq}`, password: 'x', roles: ['admin'] });

beforeAll(async () => {
  t = await createTestApp();
  ({ id: adminRole } = await one(sql`select id from roles where name = 'admin'`));
  ({ id: supportRole } = await one(sql`select id from roles where name = 'support'`));
});
afterAll(() => t?.close());

describe('users_last_active_admin', () => {
  // Every test starts with exactly one active admin: the demo one.
  beforeEach(async () => {
    await run(sql`update users set is_active = false where id in (select user_id from user_roles where role_id = ${adminRole}) and id <> ${t.userIds.admin}`);
    expect(await activeAdmins()).toBe(1);
  });

  test('refuses deactivating the last active admin', async () => {
    expect(await refusedBy(run(sql`update users set is_active = false where id = ${t.userIds.admin}`))).toEqual({ constraint: 'users_last_active_admin', code: CHECK });
    expect(await activeAdmins()).toBe(1);
  });

  test('refuses taking the admin role from the last active admin (delete, or moving the grant to another role)', async () => {
    expect(await refusedBy(run(sql`delete from user_roles where user_id = ${t.userIds.admin} and role_id = ${adminRole}`))).toEqual({
      constraint: 'users_last_active_admin',
      code: CHECK,
    });
    expect(await refusedBy(run(sql`update user_roles set role_id = ${supportRole} where user_id = ${t.userIds.admin} and role_id = ${adminRole}`))).toEqual({
      constraint: 'users_last_active_admin',
      code: CHECK,
    });
    expect(await activeAdmins()).toBe(1);
  });

  test('refuses deleting the last active admin (the cascade to user_roles trips it)', async () => {
    expect(await refusedBy(run(sql`delete from users where id = ${t.userIds.admin}`))).toEqual({ constraint: 'users_last_active_admin', code: CHECK });
    expect(await countOf(t.database.db, sql`select count(*) as n from users where id = ${t.userIds.admin}`)).toBe(1);
  });

  test('refuses one statement that deactivates every admin at once', async () => {
    await newAdmin();
    expect(await activeAdmins()).toBe(2);
    expect(await refusedBy(run(sql`update users set is_active = false where id in (select user_id from user_roles where role_id = ${adminRole})`))).toEqual({
      constraint: 'users_last_active_admin',
      code: CHECK,
    });
    expect(await activeAdmins()).toBe(2);
  });

  test('allows it while another active admin remains, and an inactive admin may lose the role', async () => {
    const other = await newAdmin();
    await run(sql`update users set is_active = false where id = ${other}`);
    // The other admin is inactive: they do not count, so the demo admin is still the last one.
    expect(await refusedBy(run(sql`update users set is_active = false where id = ${t.userIds.admin}`))).toEqual({ constraint: 'users_last_active_admin', code: CHECK });
    await run(sql`update users set is_active = true where id = ${other}`);
    await run(sql`delete from user_roles where user_id = ${t.userIds.admin} and role_id = ${adminRole}`);
    expect(await activeAdmins()).toBe(1);
    // Back: the demo admin is the admin again, and the other one goes.
    await run(sql`insert into user_roles (user_id, role_id) values (${t.userIds.admin}, ${adminRole})`);
    await run(sql`update users set is_active = false where id = ${other}`);
    await run(sql`delete from user_roles where user_id = ${other} and role_id = ${adminRole}`);
    expect(await activeAdmins()).toBe(1);
  });

  test('other grants and other users are not its business', async () => {
    await run(sql`update users set is_active = false where id = ${t.userIds.support}`);
    await run(sql`update users set is_active = true where id = ${t.userIds.support}`);
    await run(sql`delete from user_roles where user_id = ${t.userIds.support}`);
    await run(sql`insert into user_roles (user_id, role_id) values (${t.userIds.support}, ${supportRole})`);
    expect(await activeAdmins()).toBe(1);
  });
});

// Two transactions demote the last two admins at once: without the lock on the admin role's row each would still see
// the other as an admin, and both would commit. PGlite has one connection, so this needs PostgreSQL.
describe.runIf(Boolean(process.env.TEST_DATABASE_URL))('users_last_active_admin under concurrency', { tags: ['race'] }, () => {
  test('the second of two concurrent demotions waits for the first, counts again and is refused', async () => {
    await run(sql`update users set is_active = false where id in (select user_id from user_roles where role_id = ${adminRole}) and id <> ${t.userIds.admin}`);
    const other = await newAdmin();
    expect(await activeAdmins()).toBe(2);
    const a = postgres(t.database.url!, { max: 1, onnotice: () => {} });
    const b = postgres(t.database.url!, { max: 1, onnotice: () => {} });
    try {
      let release!: () => void;
      const hold = new Promise<void>((r) => (release = r));
      let demoted!: () => void;
      const firstDemoted = new Promise<void>((r) => (demoted = r));
      const first = a.begin(async (tx) => {
        await tx`delete from user_roles where user_id = ${t.userIds.admin} and role_id = ${adminRole}`;
        demoted();
        await hold;
      });
      await firstDemoted;
      const second = b.begin(async (tx) => {
        await tx`delete from user_roles where user_id = ${other} and role_id = ${adminRole}`;
      });
      // The second waits on the admin role's row lock (its own delete went through; its trigger is blocked).
      for (let i = 0; i < 100; i++) {
        const waiting = await countOf(t.database.db, sql`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
        if (waiting > 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      release();
      const [firstResult, secondResult] = await Promise.allSettled([first, second]);
      expect(firstResult.status).toBe('fulfilled');
      expect(secondResult.status).toBe('rejected');
      const err = (secondResult as PromiseRejectedResult).reason as { constraint_name?: string; code?: string };
      expect({ constraint: err.constraint_name, code: err.code }).toEqual({ constraint: 'users_last_active_admin', code: CHECK });
      expect(await activeAdmins()).toBe(1);
    } finally {
      await a.end();
      await b.end();
      await run(sql`insert into user_roles (user_id, role_id) values (${t.userIds.admin}, ${adminRole}) on conflict do nothing`);
    }
  });
});

describe('password_links', () => {
  const insertLink = (values: { user?: string; hash?: string; createdBy?: string | null; created?: SQL; expires?: SQL; used?: SQL }) =>
    one(sql`insert into password_links (user_id, token_hash, created_by, created_at, expires_at, used_at)
            values (${values.user ?? t.userIds.support}, ${values.hash ?? hashOf(randomBytes(32).toString('base64url'))}, ${values.createdBy === undefined ? t.userIds.admin : values.createdBy}::uuid,
                    ${values.created ?? sql`now()`}, ${values.expires ?? sql`now() + interval '24 hours'`}, ${values.used ?? sql`null`})
            returning id`);

  test('a link expiring within 24 hours of its creation, with a hashed token, is accepted', async () => {
    const { id } = await insertLink({});
    expect(await countOf(t.database.db, sql`select count(*) as n from password_links where id = ${id}`)).toBe(1);
  });

  test('password_links_token_hash_format refuses a raw token (only a SHA-256 in hex is stored)', async () => {
    const token = randomBytes(32).toString('base64url');
    expect(await refusedBy(insertLink({ hash: token }))).toEqual({ constraint: 'password_links_token_hash_format', code: CHECK });
    expect(await refusedBy(insertLink({ hash: hashOf(token).toUpperCase() }))).toEqual({ constraint: 'password_links_token_hash_format', code: CHECK });
  });

  test('password_links_token_hash_key refuses a second link with the same token', async () => {
    const hash = hashOf('same token');
    await insertLink({ hash });
    expect(await refusedBy(insertLink({ hash, user: t.userIds.finance }))).toEqual({ constraint: 'password_links_token_hash_key', code: UNIQUE });
  });

  test('password_links_expiry_window refuses a link longer than 24 hours, or expiring before it was made', async () => {
    expect(await refusedBy(insertLink({ expires: sql`now() + interval '24 hours 1 second'` }))).toEqual({ constraint: 'password_links_expiry_window', code: CHECK });
    expect(await refusedBy(insertLink({ expires: sql`now() - interval '1 second'` }))).toEqual({ constraint: 'password_links_expiry_window', code: CHECK });
    const { id } = await insertLink({});
    expect(await refusedBy(run(sql`update password_links set expires_at = expires_at + interval '1 hour' where id = ${id}`))).toEqual({
      constraint: 'password_links_expiry_window',
      code: CHECK,
    });
  });

  test('password_links_used_in_time refuses a use after the expiry or before the creation', async () => {
    const { id } = await insertLink({ created: sql`now() - interval '2 hours'`, expires: sql`now() - interval '1 hour'` });
    expect(await refusedBy(run(sql`update password_links set used_at = now() where id = ${id}`))).toEqual({ constraint: 'password_links_used_in_time', code: CHECK });
    expect(await refusedBy(run(sql`update password_links set used_at = created_at - interval '1 second' where id = ${id}`))).toEqual({
      constraint: 'password_links_used_in_time',
      code: CHECK,
    });
  });

  test('password_links_used_once refuses changing (or clearing) the use of a used link', async () => {
    const { id } = await insertLink({});
    await run(sql`update password_links set used_at = now() where id = ${id}`);
    expect(await refusedBy(run(sql`update password_links set used_at = null where id = ${id}`))).toEqual({ constraint: 'password_links_used_once', code: CHECK });
    expect(await refusedBy(run(sql`update password_links set used_at = used_at + interval '1 second' where id = ${id}`))).toEqual({
      constraint: 'password_links_used_once',
      code: CHECK,
    });
    const [row] = await rows<{ used: boolean }>(t.database.db, sql`select used_at is not null as used from password_links where id = ${id}`);
    expect(row.used).toBe(true);
  });

  test('password_links_user_id_fk and password_links_created_by_fk refuse an unknown user', async () => {
    const nobody = '00000000-0000-4000-8000-000000000000';
    expect(await refusedBy(insertLink({ user: nobody }))).toEqual({ constraint: 'password_links_user_id_fk', code: FK });
    expect(await refusedBy(insertLink({ createdBy: nobody }))).toEqual({ constraint: 'password_links_created_by_fk', code: FK });
  });
});
