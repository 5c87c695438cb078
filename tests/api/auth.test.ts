import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createUser, DEMO_PASSWORD } from '../../seeds/users.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { countOf, expectJson, expectProblem, rows } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const login = (email: string, password: string, headers: Record<string, string> = {}) =>
  t.app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email, password }),
  });
const withCookie = (path: string, cookie: string, method = 'GET') => t.app.request(path, { method, headers: { cookie, 'x-requested-with': 'XMLHttpRequest' } });
const sessionCookie = (res: Response) => res.headers.get('set-cookie')!.split(';')[0];
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('without a session', () => {
  test.each([
    ['GET', '/api/customers'],
    ['GET', '/api/auth/me'],
    ['POST', '/api/zones'],
    ['POST', `/api/product-requests/00000000-0000-4000-8000-000000000000/approve`],
    ['GET', '/api/audit-logs'],
  ])('%s %s is a 401 problem', async (method, path) => {
    const body = await expectProblem(await t.app.request(path, { method }), 401, 'unauthorized');
    expect(body.message).toMatch(/log in/i);
  });

  test('a made-up session cookie is a 401', async () => {
    await expectProblem(await withCookie('/api/customers', 'milkrun_session=not-a-real-token'), 401, 'unauthorized');
  });

  test('a refused request changes nothing', async () => {
    await expectProblem(
      await t.app.request('/api/zones', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Sneaky' }) }),
      401,
    );
    expect(await countOf(t.database.db, sql`select count(*) as n from zones`)).toBe(0);
  });

  test('the API docs page and its swagger-ui files answer without a session, from this server (no CDN)', async () => {
    const page = await t.app.request('/api/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toMatch(/cdn\.jsdelivr|unpkg/);
    for (const asset of ['/api/docs/assets/swagger-ui-dist/swagger-ui-bundle.js', '/api/docs/assets/swagger-ui-dist/swagger-ui.css']) {
      expect(html).toContain(asset);
      const res = await t.app.request(asset);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(asset.endsWith('.js') ? /javascript/ : /css/);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
    }
    // Only those two: the folder is not browsable.
    expect((await t.app.request('/api/docs/assets/swagger-ui-dist/package.json')).status).toBe(401);
  });

  test('health answers without a session', async () => {
    const body = await expectJson(await t.app.request('/api/health'), 200);
    expect(body).toEqual({ status: 'ok', database: t.database.kind });
  });
});

describe('login', () => {
  test('sets an HttpOnly, SameSite session cookie and answers the user with roles and permissions', async () => {
    const res = await login('support@milkrun.test', DEMO_PASSWORD);
    const body = await expectJson(res, 200);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^milkrun_session=[A-Za-z0-9_-]{20,};/);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=(Lax|Strict)/i);
    expect(setCookie).toMatch(/;\s*Path=\//);
    expect(setCookie).toMatch(/;\s*Max-Age=43200/);
    expect(body).toMatchObject({ id: t.userIds.support, email: 'support@milkrun.test', name: 'Sunita Support', roles: ['support'] });
    expect(body.permissions).toContainEqual({ resource: 'customers', action: 'create', conditions: null });
    expect(JSON.stringify(body)).not.toMatch(/password|argon2/i);
  });

  test('stores only a hash of the session token', async () => {
    const res = await login('manager@milkrun.test', DEMO_PASSWORD);
    expect(res.status).toBe(200);
    const token = sessionCookie(res).split('=')[1];
    expect(await countOf(t.database.db, sql`select count(*) as n from sessions where token_hash = ${sha256(token)} and user_id = ${t.userIds.manager}`)).toBe(1);
    expect(await countOf(t.database.db, sql`select count(*) as n from sessions where token_hash = ${token}`)).toBe(0);
  });

  test('the email is case-insensitive and trimmed', async () => {
    const res = await login('  Finance@MilkRun.test ', DEMO_PASSWORD);
    expect((await expectJson(res, 200)).email).toBe('finance@milkrun.test');
  });

  test('a wrong password is a 401 with a message, no cookie, and a recorded failed attempt', async () => {
    const res = await login('admin@milkrun.test', 'not-the-password');
    const body = await expectProblem(res, 401, 'unauthorized');
    expect(body.message).toBe('Wrong email or password.');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(
      await countOf(t.database.db, sql`select count(*) as n from login_attempts where email = 'admin@milkrun.test' and succeeded = false`),
    ).toBe(1);
  });

  test('an unknown email gets the same answer as a wrong password (no account probing)', async () => {
    const body = await expectProblem(await login('nobody@milkrun.test', DEMO_PASSWORD), 401, 'unauthorized');
    expect(body.message).toBe('Wrong email or password.');
  });

  test('a missing or malformed email is a 400 naming the field', async () => {
    const body = await expectProblem(await login('not-an-email', 'x'), 400, 'validation_failed');
    expect(body.message).toContain('email');
    const empty = await expectProblem(await login('admin@milkrun.test', ''), 400, 'validation_failed');
    expect(empty.message).toContain('password');
  });
});

describe('rate limit on failed logins', { tags: ['race'] }, () => {
  test('after 5 failed logins for an email, the 6th attempt is a 429 even with the right password', async () => {
    await createUser(t.database.db, { email: 'ratelimited@milkrun.test', name: 'Rita Ratelimit', password: 'right-password', roles: ['support'] });
    for (let i = 0; i < 5; i++) {
      await expectProblem(await login(i % 2 ? 'RateLimited@milkrun.test' : 'ratelimited@milkrun.test', `wrong-${i}`), 401, 'unauthorized');
    }
    const res = await login('ratelimited@milkrun.test', 'right-password');
    const body = await expectProblem(res, 429, 'too_many_attempts');
    expect(body.message).toMatch(/too many failed logins/i);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await countOf(t.database.db, sql`select count(*) as n from login_attempts where email = 'ratelimited@milkrun.test'`)).toBe(5);
    expect(await countOf(t.database.db, sql`select count(*) as n from sessions s join users u on u.id = s.user_id where u.email = 'ratelimited@milkrun.test'`)).toBe(0);
  });

  test('the limit is per email: another user still logs in', async () => {
    expect((await login('manager@milkrun.test', DEMO_PASSWORD)).status).toBe(200);
  });

  test('four failures do not lock the account', async () => {
    await createUser(t.database.db, { email: 'fourfails@milkrun.test', name: 'Four Fails', password: 'right-password', roles: ['support'] });
    for (let i = 0; i < 4; i++) await expectProblem(await login('fourfails@milkrun.test', 'nope'), 401);
    expect((await login('fourfails@milkrun.test', 'right-password')).status).toBe(200);
  });

  test('failures older than 15 minutes no longer count', async () => {
    await createUser(t.database.db, { email: 'oldfails@milkrun.test', name: 'Old Fails', password: 'right-password', roles: ['support'] });
    await t.database.db.execute(sql`
      insert into login_attempts (email, succeeded, created_at)
      select 'oldfails@milkrun.test', false, now() - interval '16 minutes' from generate_series(1, 10)`);
    expect((await login('oldfails@milkrun.test', 'right-password')).status).toBe(200);
  });
});

describe('me and logout', () => {
  test('/api/auth/me answers the user, roles and permissions of the session', async () => {
    const me = await expectJson(await t.call('manager', 'GET', '/api/auth/me'), 200);
    expect(me).toMatchObject({ id: t.userIds.manager, email: 'manager@milkrun.test', roles: ['manager'] });
    expect(me.permissions).toContainEqual({ resource: 'product-requests', action: '*', conditions: null });
    expect(me.permissions).not.toContainEqual(expect.objectContaining({ resource: 'users' }));
    const admin = await expectJson(await t.call('admin', 'GET', '/api/auth/me'), 200);
    expect(admin.roles).toEqual(['admin']);
    expect(admin.permissions).toContainEqual({ resource: '*', action: '*', conditions: null });
    const finance = await expectJson(await t.call('finance', 'GET', '/api/auth/me'), 200);
    expect(finance.permissions).toContainEqual({ resource: 'customers', action: 'list', conditions: null });
    expect(finance.permissions).not.toContainEqual(expect.objectContaining({ resource: 'customers', action: 'create' }));
  });

  test('after logout the same cookie is a 401 and the session row is gone', async () => {
    const res = await login('support@milkrun.test', DEMO_PASSWORD);
    const cookie = sessionCookie(res);
    const token = cookie.split('=')[1];
    expect((await withCookie('/api/auth/me', cookie)).status).toBe(200);

    const out = await withCookie('/api/auth/logout', cookie, 'POST');
    expect(await expectJson(out, 200)).toEqual({ ok: true });
    expect(out.headers.get('set-cookie')).toMatch(/^milkrun_session=;.*Max-Age=0/i);
    expect(await countOf(t.database.db, sql`select count(*) as n from sessions where token_hash = ${sha256(token)}`)).toBe(0);

    await expectProblem(await withCookie('/api/auth/me', cookie), 401, 'unauthorized');
    await expectProblem(await withCookie('/api/customers', cookie), 401, 'unauthorized');
  });

  test('logging out one session leaves the user\'s other sessions alone', async () => {
    const a = sessionCookie(await login('finance@milkrun.test', DEMO_PASSWORD));
    const b = sessionCookie(await login('finance@milkrun.test', DEMO_PASSWORD));
    expect((await withCookie('/api/auth/logout', a, 'POST')).status).toBe(200);
    expect((await withCookie('/api/auth/me', a)).status).toBe(401);
    expect((await withCookie('/api/auth/me', b)).status).toBe(200);
  });

  test('logout without a session is harmless', async () => {
    expect((await t.app.request('/api/auth/logout', { method: 'POST', headers: { 'x-requested-with': 'XMLHttpRequest' } })).status).toBe(200);
  });

  test('an expired session is a 401', async () => {
    const cookie = sessionCookie(await login('manager@milkrun.test', DEMO_PASSWORD));
    const token = cookie.split('=')[1];
    await t.database.db.execute(sql`update sessions set expires_at = now() - interval '1 second' where token_hash = ${sha256(token)}`);
    await expectProblem(await withCookie('/api/auth/me', cookie), 401, 'unauthorized');
  });

  test('deactivating a user ends their sessions and refuses new logins', async () => {
    const id = await createUser(t.database.db, { email: 'leaver@milkrun.test', name: 'Lee Leaver', password: 'pw-leaver', roles: ['support'] });
    const cookie = sessionCookie(await login('leaver@milkrun.test', 'pw-leaver'));
    expect((await withCookie('/api/customers', cookie)).status).toBe(200);
    await t.database.db.execute(sql`update users set is_active = false where id = ${id}`);
    await expectProblem(await withCookie('/api/customers', cookie), 401, 'unauthorized');
    const body = await expectProblem(await login('leaver@milkrun.test', 'pw-leaver'), 401, 'unauthorized');
    expect(body.message).toBe('Wrong email or password.');
    const [attempt] = await rows<{ succeeded: boolean }>(
      t.database.db,
      sql`select succeeded from login_attempts where email = 'leaver@milkrun.test' order by created_at desc limit 1`,
    );
    expect(attempt.succeeded).toBe(false);
  });
});
