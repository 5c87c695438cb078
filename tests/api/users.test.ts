import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { auditRowsOf, countOf, expectJson, expectProblem, rows, UNKNOWN_ID } from './support.js';

// Users managed by an admin: create (password or one-time link), edit (name, roles, active), reset a password, and
// the rules around them: the password rule, a link that works once and expires, changes that apply on the user's
// very next request, and the last active admin who cannot be deactivated or demoted.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const GOOD_PASSWORD = 'Kadalekai Parishe 7';
let seq = 0;
const newEmail = (prefix = 'user') => `${prefix}-${++seq}@milkrun.test`;

/** Logs in with an email and password: the Cookie header, or the failed response. */
async function login(email: string, password: string): Promise<{ status: number; cookie: string }> {
  const res = await t.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  return { status: res.status, cookie: res.headers.get('set-cookie')?.split(';')[0] ?? '' };
}
/** A request with a given session cookie (a user made here, not a demo role). */
const as = (cookie: string, method: string, path: string, body?: unknown) =>
  t.app.request(path, {
    method,
    headers: { cookie, 'x-requested-with': 'XMLHttpRequest', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const setPassword = (token: string, password: string) =>
  t.app.request('/api/auth/set-password', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, password }) });

async function createUser(body: Record<string, unknown>): Promise<any> {
  return expectJson(await t.call('admin', 'POST', '/api/users', { name: 'New Person', email: newEmail(), roles: ['support'], password: GOOD_PASSWORD, ...body }), 201);
}
const sessionsOf = (userId: string) => countOf(t.database.db, sql`select count(*) as n from sessions where user_id = ${userId}`);
const tokenOf = (link: { path: string }) => new URL(link.path, 'http://x').searchParams.get('token')!;

describe('creating a user', () => {
  test('with a first password: the user as the list shows it, audited without the hash, and able to log in', async () => {
    const email = newEmail('agent');
    const user = await createUser({ name: 'Shreya Support', email: email.toUpperCase(), roles: ['support', 'finance'] });
    expect(user).toMatchObject({ name: 'Shreya Support', email, roles: ['finance', 'support'], is_active: true, totp_enabled: false, set_password_link: null });
    expect(JSON.stringify(user)).not.toMatch(/password_hash|argon2|totp_secret/);
    const shown = await expectJson(await t.call('admin', 'GET', `/api/users/${user.id}`), 200);
    expect(shown).toMatchObject({ id: user.id, email, roles: ['finance', 'support'] });

    const [entry] = await auditRowsOf(t.database.db, user.id);
    expect(entry).toMatchObject({ action: 'create', table_name: 'users', user_id: t.userIds.admin });
    expect(entry.after).toMatchObject({ email, roles: ['finance', 'support'], password: 'set by an admin' });
    expect(JSON.stringify(entry)).not.toMatch(/argon2|password_hash|Kadalekai/);

    const session = await login(email, GOOD_PASSWORD);
    expect(session.status).toBe(200);
    const me = await expectJson(await as(session.cookie, 'GET', '/api/auth/me'), 200);
    expect(me.roles).toEqual(['finance', 'support']);
  });

  test.each([
    ['short', 'Short 1', 'at least 10 characters'],
    ['common', 'Password@123', 'too common'],
    ['a run of keys', 'qwertyuiop', 'too common'],
    ['the email', '{email}', 'must not be the email'],
    ['the email in capitals', '{EMAIL}', 'must not be the email'],
  ])('a %s password is a 400 that says why, and no user is made', async (_what, template, message) => {
    const email = newEmail('weak');
    const password = template.replace('{email}', email).replace('{EMAIL}', email.toUpperCase());
    const body = await expectProblem(await t.call('admin', 'POST', '/api/users', { name: 'Weak', email, roles: ['support'], password }), 400, 'weak_password');
    expect(body.message).toContain(message);
    expect(body.message).toMatch(/^password: /);
    expect(await countOf(t.database.db, sql`select count(*) as n from users where email = ${email}`)).toBe(0);
  });

  test('a taken email is a 409 (any case), and the first user is unchanged', async () => {
    const body = await expectProblem(await t.call('admin', 'POST', '/api/users', { name: 'Twin', email: 'Support@Milkrun.test', roles: ['admin'], password: GOOD_PASSWORD }), 409, 'email_taken');
    expect(body.message).toBe('A user with this email already exists.');
    const [row] = await rows(t.database.db, sql`select name from users where email = 'support@milkrun.test'`);
    expect(row.name).toBe('Sunita Support');
  });

  test.each([
    ['no password and no link', { password: undefined }, 400, 'validation_failed', 'either a first password or send_link'],
    ['both a password and a link', { send_link: true }, 400, 'validation_failed', 'either a first password or send_link'],
    ['no role', { roles: [] }, 400, 'validation_failed', 'at least one role'],
    ['a role twice', { roles: ['support', 'support'] }, 400, 'validation_failed', 'listed twice'],
    ['a bad email', { email: 'not-an-email' }, 400, 'validation_failed', 'valid email'],
    ['an unknown field', { phone: '+919800000000' }, 400, 'validation_failed', 'phone'],
    ['an unknown role', { roles: ['support', 'auditor'] }, 422, 'unknown_role', 'no role named "auditor"'],
  ])('%s: %i', async (_what, patch, status, code, message) => {
    const email = newEmail('bad');
    const body = await expectProblem(await t.call('admin', 'POST', '/api/users', { name: 'Bad', email, roles: ['support'], password: GOOD_PASSWORD, ...patch }), status, code);
    expect(body.message).toContain(message);
    expect(await countOf(t.database.db, sql`select count(*) as n from users where email = ${email}`)).toBe(0);
  });

  test('only admins may: support, finance and managers get a 403 and nothing is written', async () => {
    for (const role of ['support', 'finance', 'manager'] as const) {
      const email = newEmail(role);
      await expectProblem(await t.call(role, 'POST', '/api/users', { name: 'X', email, roles: ['admin'], password: GOOD_PASSWORD }), 403, 'forbidden');
      await expectProblem(await t.call(role, 'PATCH', `/api/users/${t.userIds[role]}`, { roles: ['admin'] }), 403, 'forbidden');
      await expectProblem(await t.call(role, 'POST', `/api/users/${t.userIds.admin}/reset-password`, { send_link: true }), 403, 'forbidden');
      expect(await countOf(t.database.db, sql`select count(*) as n from users where email = ${email}`)).toBe(0);
    }
    const me = await expectJson(await t.call('manager', 'GET', '/api/auth/me'), 200);
    expect(me.roles).toEqual(['manager']);
  });
});

describe('the one-time set-password link', () => {
  test('shown once, stored hashed; it sets the password once, and the user logs in with it', async () => {
    const email = newEmail('linked');
    const user = await createUser({ email, password: undefined, send_link: true });
    const link = user.set_password_link;
    expect(link.path).toMatch(/^\/set-password\?token=[A-Za-z0-9_-]{43}$/);
    const hours = (Date.parse(link.expires_at) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    const token = tokenOf(link);
    expect(link.token).toBe(token);
    // Only the SHA-256 is stored; neither the list nor the audit log ever shows the token again.
    const [stored] = await rows(t.database.db, sql`select token_hash, used_at from password_links where user_id = ${user.id}`);
    expect(stored).toEqual({ token_hash: createHash('sha256').update(token).digest('hex'), used_at: null });
    expect(JSON.stringify(await expectJson(await t.call('admin', 'GET', `/api/users/${user.id}`), 200))).not.toContain(token);
    // Nobody knows the password it was created with.
    expect((await login(email, GOOD_PASSWORD)).status).toBe(401);

    // A weak password is refused without using the link up.
    const weak = await expectProblem(await setPassword(token, 'password1234'), 400, 'weak_password');
    expect(weak.message).toContain('too common');
    const done = await expectJson(await setPassword(token, GOOD_PASSWORD), 200);
    expect(done).toEqual({ ok: true, email });
    expect((await login(email, GOOD_PASSWORD)).status).toBe(200);

    const again = await expectProblem(await setPassword(token, 'Another Good One 42'), 410, 'link_used');
    expect(again.message).toContain('works once');
    expect((await login(email, 'Another Good One 42')).status).toBe(401);

    const audits = await auditRowsOf(t.database.db, user.id);
    expect(audits.map((a) => a.action)).toEqual(['create', 'set_password']);
    expect(audits[0].after).toMatchObject({ password: 'set-password link' });
    expect(audits[1].user_id).toBeNull();
    expect(JSON.stringify(audits)).not.toContain(token);
    expect(JSON.stringify(audits)).not.toContain(stored.token_hash as string);
  });

  test('an expired link is refused (410) and leaves the password as it was', async () => {
    const email = newEmail('late');
    const user = await createUser({ email, password: undefined, send_link: true });
    // 25 hours ago, for 24 hours: it expired an hour ago.
    await t.database.db.execute(sql`update password_links set created_at = now() - interval '25 hours', expires_at = now() - interval '1 hour' where user_id = ${user.id}`);
    const body = await expectProblem(await setPassword(tokenOf(user.set_password_link), GOOD_PASSWORD), 410, 'link_expired');
    expect(body.message).toContain('24 hours');
    expect((await login(email, GOOD_PASSWORD)).status).toBe(401);
    expect(await countOf(t.database.db, sql`select count(*) as n from password_links where user_id = ${user.id} and used_at is not null`)).toBe(0);
  });

  test('an unknown token is a 400; a newer link replaces the older one', async () => {
    await expectProblem(await setPassword('made-up-token', GOOD_PASSWORD), 400, 'link_invalid');
    const user = await createUser({ password: undefined, send_link: true });
    const reset = await expectJson(await t.call('admin', 'POST', `/api/users/${user.id}/reset-password`, { send_link: true }), 200);
    expect(reset.set_password_link.path).not.toBe(user.set_password_link.path);
    await expectProblem(await setPassword(tokenOf(user.set_password_link), GOOD_PASSWORD), 400, 'link_invalid');
    await expectJson(await setPassword(tokenOf(reset.set_password_link), GOOD_PASSWORD), 200);
  });

  test('a deactivated user cannot use their link', async () => {
    const user = await createUser({ password: undefined, send_link: true });
    await expectJson(await t.call('admin', 'PATCH', `/api/users/${user.id}`, { is_active: false }), 200);
    await expectProblem(await setPassword(tokenOf(user.set_password_link), GOOD_PASSWORD), 409, 'user_inactive');
  });

  test('the set-password route needs no session; its input is checked', async () => {
    await expectProblem(
      await t.app.request('/api/auth/set-password', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'x' }) }),
      400,
      'validation_failed',
    );
  });
});

describe('changes apply on the very next request', () => {
  test("a deactivated user's open session gets 401 at once; their sessions are deleted; reactivated, they log in again", async () => {
    const email = newEmail('leaver');
    const user = await createUser({ email, roles: ['support'] });
    const { cookie } = await login(email, GOOD_PASSWORD);
    const second = await login(email, GOOD_PASSWORD);
    expect((await as(cookie, 'GET', '/api/customers')).status).toBe(200);
    expect(await sessionsOf(user.id)).toBe(2);

    const after = await expectJson(await t.call('admin', 'PATCH', `/api/users/${user.id}`, { is_active: false }), 200);
    expect(after.is_active).toBe(false);
    await expectProblem(await as(cookie, 'GET', '/api/customers'), 401, 'unauthorized');
    await expectProblem(await as(second.cookie, 'GET', '/api/auth/me'), 401, 'unauthorized');
    expect(await sessionsOf(user.id)).toBe(0);
    expect((await login(email, GOOD_PASSWORD)).status).toBe(401);
    const [entry] = (await auditRowsOf(t.database.db, user.id)).filter((a) => a.action === 'update');
    expect(entry.before.is_active).toBe(true);
    expect(entry.after).toMatchObject({ is_active: false, sessions_ended: 2 });

    await expectJson(await t.call('admin', 'PATCH', `/api/users/${user.id}`, { is_active: true }), 200);
    const back = await login(email, GOOD_PASSWORD);
    expect(back.status).toBe(200);
    expect((await as(back.cookie, 'GET', '/api/customers')).status).toBe(200);
  });

  test('a removed role takes its permissions away on the next request of an open session', async () => {
    const email = newEmail('mover');
    const user = await createUser({ email, roles: ['support', 'manager'] });
    const { cookie } = await login(email, GOOD_PASSWORD);
    expect((await as(cookie, 'POST', '/api/zones', { name: `Zone of ${email}` })).status).toBe(201);

    const after = await expectJson(await t.call('admin', 'PATCH', `/api/users/${user.id}`, { roles: ['support'] }), 200);
    expect(after.roles).toEqual(['support']);
    const refused = await expectProblem(await as(cookie, 'POST', '/api/zones', { name: `Second zone of ${email}` }), 403, 'forbidden');
    expect(refused.message).toBe('Your role may not create zones.');
    expect((await expectJson(await as(cookie, 'GET', '/api/auth/me'), 200)).roles).toEqual(['support']);
    // Still logged in: what support may do still works.
    expect((await as(cookie, 'GET', '/api/customers')).status).toBe(200);

    // And a role given is there on the next request too.
    await expectJson(await t.call('admin', 'PATCH', `/api/users/${user.id}`, { roles: ['support', 'manager'] }), 200);
    expect((await as(cookie, 'POST', '/api/zones', { name: `Third zone of ${email}` })).status).toBe(201);
    const updates = (await auditRowsOf(t.database.db, user.id)).filter((a) => a.action === 'update');
    expect(updates.map((a) => [a.before.roles, a.after.roles])).toEqual([
      [['manager', 'support'], ['support']],
      [['support'], ['manager', 'support']],
    ]);
  });
});

describe('editing a user', () => {
  test('renames; an unchanged PATCH writes nothing; email cannot be changed; an unknown user is a 404', async () => {
    const user = await createUser({ name: 'Old Name' });
    const renamed = await expectJson(await t.call('admin', 'PATCH', `/api/users/${user.id}`, { name: '  New Name ' }), 200);
    expect(renamed.name).toBe('New Name');
    await expectJson(await t.call('admin', 'PATCH', `/api/users/${user.id}`, { name: 'New Name', roles: ['support'] }), 200);
    expect((await auditRowsOf(t.database.db, user.id)).map((a) => a.action)).toEqual(['create', 'update']);
    const body = await expectProblem(await t.call('admin', 'PATCH', `/api/users/${user.id}`, { email: 'other@milkrun.test' }), 400, 'validation_failed');
    expect(body.message).toContain('email');
    await expectProblem(await t.call('admin', 'PATCH', `/api/users/${UNKNOWN_ID}`, { name: 'Nobody' }), 404, 'not_found');
    const unknown = await expectProblem(await t.call('admin', 'PATCH', `/api/users/${user.id}`, { roles: ['wizard'] }), 422, 'unknown_role');
    expect(unknown.message).toContain('"wizard"');
  });

  test('roles may be emptied: the user logs in but may do nothing', async () => {
    const email = newEmail('idle');
    const user = await createUser({ email });
    await expectJson(await t.call('admin', 'PATCH', `/api/users/${user.id}`, { roles: [] }), 200);
    const { cookie } = await login(email, GOOD_PASSWORD);
    expect((await expectJson(await as(cookie, 'GET', '/api/auth/me'), 200)).permissions).toEqual([]);
    await expectProblem(await as(cookie, 'GET', '/api/customers'), 403, 'forbidden');
  });
});

describe('resetting a password', () => {
  test('to a new password: the old one stops working, open sessions end, the new one works', async () => {
    const email = newEmail('forgetful');
    const user = await createUser({ email });
    const { cookie } = await login(email, GOOD_PASSWORD);
    const reset = await expectJson(await t.call('admin', 'POST', `/api/users/${user.id}/reset-password`, { password: 'Mysore Pak Tuesday 9' }), 200);
    expect(reset).toMatchObject({ user: { id: user.id, email }, set_password_link: null, sessions_ended: 1 });
    await expectProblem(await as(cookie, 'GET', '/api/auth/me'), 401, 'unauthorized');
    expect((await login(email, GOOD_PASSWORD)).status).toBe(401);
    expect((await login(email, 'Mysore Pak Tuesday 9')).status).toBe(200);
    const entry = (await auditRowsOf(t.database.db, user.id)).find((a) => a.action === 'reset_password')!;
    expect(entry.after).toEqual({ password: 'set by an admin', link_expires_at: null, sessions_ended: 1 });
    expect(JSON.stringify(entry)).not.toMatch(/Mysore|argon2/);
  });

  test('the same rule applies; a body with both or neither is a 400; an unknown user is a 404', async () => {
    const email = newEmail('reset');
    const user = await createUser({ email });
    const weak = await expectProblem(await t.call('admin', 'POST', `/api/users/${user.id}/reset-password`, { password: email }), 400, 'weak_password');
    expect(weak.message).toContain('email');
    await expectProblem(await t.call('admin', 'POST', `/api/users/${user.id}/reset-password`, {}), 400, 'validation_failed');
    await expectProblem(await t.call('admin', 'POST', `/api/users/${user.id}/reset-password`, { password: GOOD_PASSWORD, send_link: true }), 400, 'validation_failed');
    await expectProblem(await t.call('admin', 'POST', `/api/users/${UNKNOWN_ID}/reset-password`, { send_link: true }), 404, 'not_found');
    expect((await login(email, GOOD_PASSWORD)).status).toBe(200);
  });

  test('to a link: the old password stops working until the user sets a new one', async () => {
    const email = newEmail('relink');
    const user = await createUser({ email });
    const reset = await expectJson(await t.call('admin', 'POST', `/api/users/${user.id}/reset-password`, { send_link: true }), 200);
    expect((await login(email, GOOD_PASSWORD)).status).toBe(401);
    await expectJson(await setPassword(tokenOf(reset.set_password_link), 'Filter Coffee At Six'), 200);
    expect((await login(email, 'Filter Coffee At Six')).status).toBe(200);
  });
});

describe('the users list', () => {
  test('filters by role and active flag, searches and sorts', async () => {
    const a = await createUser({ name: 'Zubin Listed', roles: ['finance'] });
    const b = await createUser({ name: 'Aarti Listed', roles: ['finance', 'support'], is_active: false });
    const finance = await expectJson<any[]>(await t.call('admin', 'GET', '/api/users?role=finance&q=listed&_sort=name&_order=asc'), 200);
    expect(finance.map((u) => u.id)).toEqual([b.id, a.id]);
    const active = await expectJson<any[]>(await t.call('admin', 'GET', '/api/users?role=finance&q=listed&is_active=true'), 200);
    expect(active.map((u) => u.id)).toEqual([a.id]);
    const either = await expectJson<any[]>(await t.call('admin', 'GET', '/api/users?role=support&role=finance&q=listed&_sort=name&_order=desc'), 200);
    expect(either.map((u) => u.id)).toEqual([a.id, b.id]);
    await expectProblem(await t.call('admin', 'GET', '/api/users?is_active=maybe'), 400, 'bad_filter');
  });
});

describe('the last active admin', () => {
  test('cannot be deactivated or demoted (409 saying why); nothing changes', async () => {
    const before = await auditRowsOf(t.database.db, t.userIds.admin);
    const demote = await expectProblem(await t.call('admin', 'PATCH', `/api/users/${t.userIds.admin}`, { roles: ['support'] }), 409, 'last_admin');
    expect(demote.message).toContain('last active admin');
    expect(demote.message).toContain('Make another user an admin first');
    await expectProblem(await t.call('admin', 'PATCH', `/api/users/${t.userIds.admin}`, { is_active: false }), 409, 'last_admin');
    await expectProblem(await t.call('admin', 'PATCH', `/api/users/${t.userIds.admin}`, { roles: [], is_active: false }), 409, 'last_admin');
    const me = await expectJson(await t.call('admin', 'GET', `/api/users/${t.userIds.admin}`), 200);
    expect(me).toMatchObject({ roles: ['admin'], is_active: true });
    expect(await auditRowsOf(t.database.db, t.userIds.admin)).toEqual(before);
    expect((await t.call('admin', 'GET', '/api/users')).status).toBe(200);
  });

  test('with a second active admin, either may be demoted; then the other is the last', async () => {
    const email = newEmail('admin');
    const second = await createUser({ email, roles: ['admin'] });
    const { cookie } = await login(email, GOOD_PASSWORD);
    const demoted = await expectJson(await as(cookie, 'PATCH', `/api/users/${t.userIds.admin}`, { roles: ['admin', 'finance'] }), 200);
    expect(demoted.roles).toEqual(['admin', 'finance']);
    await expectJson(await t.call('admin', 'PATCH', `/api/users/${second.id}`, { roles: ['support'] }), 200);
    await expectProblem(await t.call('admin', 'PATCH', `/api/users/${t.userIds.admin}`, { roles: ['finance'] }), 409, 'last_admin');
    await expectJson(await t.call('admin', 'PATCH', `/api/users/${t.userIds.admin}`, { roles: ['admin'] }), 200);
  });
});

describe('two admins demote the last two admins at the same moment', { tags: ['race'] }, () => {
  const adminCount = () =>
    countOf(t.database.db, sql`select count(*) as n from user_roles ur join roles r on r.id = ur.role_id join users u on u.id = ur.user_id where r.name = 'admin' and u.is_active`);
  // Both requests come from a user manager who is no admin: whichever wins, the other request still has its permission,
  // so it meets the database's rule (409) and not the access check (an admin demoted a moment ago gets a 403).
  let manager = '';
  beforeAll(async () => {
    await t.database.db.execute(sql`insert into roles (name, description) values ('user_manager', 'users only')`);
    await t.database.db.execute(sql`insert into permissions (role_id, resource, action) select id, 'users', '*' from roles where name = 'user_manager'`);
    const email = newEmail('user-manager');
    await createUser({ email, roles: ['user_manager'] });
    manager = (await login(email, GOOD_PASSWORD)).cookie;
  });
  // Back to the demo admin alone after each round, whatever it left.
  afterEach(async () => {
    await t.database.db.execute(sql`insert into user_roles (user_id, role_id) select ${t.userIds.admin}, id from roles where name = 'admin' on conflict do nothing`);
    await t.database.db.execute(sql`update users set is_active = false where id <> ${t.userIds.admin} and id in (select user_id from user_roles ur join roles r on r.id = ur.role_id where r.name = 'admin')`);
  });

  test.each([1, 2, 3, 4, 5])('round %i: one 200, one 409, one admin left', async () => {
    const other = await createUser({ roles: ['admin', 'finance'] });
    expect(await adminCount()).toBe(2);
    const [a, b] = await Promise.all([
      as(manager, 'PATCH', `/api/users/${other.id}`, { roles: ['finance'] }),
      as(manager, 'PATCH', `/api/users/${t.userIds.admin}`, { roles: ['finance'] }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect((await loser.json()).code).toBe('last_admin');
    expect(await adminCount()).toBe(1);
  });

  test('an admin demoting the other while that one demotes the first: no deadlock, one admin left', async () => {
    const email = newEmail('co-admin');
    const other = await createUser({ email, roles: ['admin'] });
    const { cookie } = await login(email, GOOD_PASSWORD);
    await t.cookie('admin');
    const [a, b] = await Promise.all([
      t.call('admin', 'PATCH', `/api/users/${other.id}`, { roles: ['support'] }),
      as(cookie, 'PATCH', `/api/users/${t.userIds.admin}`, { roles: ['support'] }),
    ]);
    // The loser is refused by the rule (409), or by the access check when the winner committed before its session
    // was read (403): never a deadlock (a 409 concurrent_update) and never both.
    const statuses = [a.status, b.status].sort();
    expect([[200, 409], [200, 403]]).toContainEqual(statuses);
    if (statuses[1] === 409) expect((await (a.status === 409 ? a : b).json()).code).toBe('last_admin');
    expect(await adminCount()).toBe(1);
  });

  test('a deactivation racing a demotion: one admin is left', async () => {
    const other = await createUser({ roles: ['admin'] });
    const [a, b] = await Promise.all([
      as(manager, 'PATCH', `/api/users/${other.id}`, { is_active: false }),
      as(manager, 'PATCH', `/api/users/${t.userIds.admin}`, { roles: ['support'] }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(await adminCount()).toBe(1);
  });

  test('a link used twice at once sets the password once', async () => {
    const user = await createUser({ password: undefined, send_link: true });
    const token = tokenOf(user.set_password_link);
    const answers = await Promise.all([setPassword(token, 'First Of Two Tries'), setPassword(token, 'Second Of Two Tries')]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 410]);
    expect(await countOf(t.database.db, sql`select count(*) as n from audit_logs where record_id = ${user.id} and action = 'set_password'`)).toBe(1);
  });
});

test('npm run user:create refuses a password the API would refuse', () => {
  const script = join(import.meta.dirname, '../../scripts/user-create.ts');
  const res = spawnSync(process.execPath, ['--import', 'tsx', script, '--email', 'ops@milkrun.test', '--name', 'Ops', '--role', 'admin', '--password', 'Password@123'], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '', PGLITE_DIR: '/nonexistent/never-opened' },
  });
  expect(res.status).toBe(2);
  expect(res.stderr).toContain('too common');
});
