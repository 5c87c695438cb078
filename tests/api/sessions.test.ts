import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createUser } from '../../seeds/users.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { auditRowsOf, countOf, expectJson, expectProblem, rows, uniqueName, UNKNOWN_ID } from './support.js';

// Sessions: each user lists and ends their own; an admin ends all of a user's. Every end is audited.
let t: TestApp;
const PASSWORD = 'a-long-enough-password';
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1';

async function login(email: string, userAgent: string, ip: string): Promise<string> {
  const res = await t.app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': userAgent, 'x-forwarded-for': `${ip}, 10.0.0.1` },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0];
}

const as = (cookie: string, method: string, path: string) => t.app.request(path, { method, headers: { cookie, 'x-requested-with': 'XMLHttpRequest' } });

/** A user signed in twice: from a laptop and from a phone. */
async function userWithTwoSessions() {
  const email = `${uniqueName('s').replace(/[^a-z0-9]/gi, '').toLowerCase()}@milkrun.test`;
  const id = await createUser(t.database.db, { email, name: 'Sam Session', password: PASSWORD, roles: ['support'] });
  const laptop = await login(email, FIREFOX, '203.0.113.7');
  const phone = await login(email, PHONE, '198.51.100.23');
  return { id, email, laptop, phone };
}

interface SessionRow {
  id: string;
  user_agent: string;
  ip: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  current: boolean;
}

describe('own sessions', () => {
  test('a user lists their own live sessions, with browser, IP and last seen; this one is marked current', async () => {
    const user = await userWithTwoSessions();
    const res = await as(user.laptop, 'GET', '/api/sessions');
    const list = await expectJson<SessionRow[]>(res, 200);
    expect(res.headers.get('x-total-count')).toBe('2');
    expect(list).toHaveLength(2);
    const current = list.find((s) => s.current)!;
    expect(current).toMatchObject({ user_agent: FIREFOX, ip: '203.0.113.7' });
    expect(list.find((s) => !s.current)).toMatchObject({ user_agent: PHONE, ip: '198.51.100.23' });
    expect(Object.keys(current).sort()).toEqual(['created_at', 'current', 'expires_at', 'id', 'ip', 'last_seen_at', 'user_agent']);
    // From the phone, the phone's is current.
    const fromPhone = await expectJson<SessionRow[]>(await as(user.phone, 'GET', '/api/sessions'), 200);
    expect(fromPhone.find((s) => s.current)!.user_agent).toBe(PHONE);
    // Nobody else's: the admin sees only the admin's.
    const admins = await expectJson<SessionRow[]>(await t.call('admin', 'GET', '/api/sessions'), 200);
    expect(admins.map((s) => s.id)).not.toContain(current.id);
  });

  test('expired sessions are not listed', async () => {
    const user = await userWithTwoSessions();
    await t.database.db.execute(sql`update sessions set expires_at = now() - interval '1 minute' where user_id = ${user.id} and user_agent = ${PHONE}`);
    const list = await expectJson<SessionRow[]>(await as(user.laptop, 'GET', '/api/sessions'), 200);
    expect(list.map((s) => s.user_agent)).toEqual([FIREFOX]);
  });

  test('list parameters are checked like any list: an unknown sort or filter is a 400', async () => {
    const user = await userWithTwoSessions();
    await expectProblem(await as(user.laptop, 'GET', '/api/sessions?_sort=ip'), 400, 'unknown_sort');
    await expectProblem(await as(user.laptop, 'GET', '/api/sessions?user_id=x'), 400, 'unknown_filter');
    expect((await as(user.laptop, 'GET', '/api/sessions?_sort=created_at&_order=asc&_start=0&_end=10')).status).toBe(200);
  });

  test('ending another of one\'s sessions logs that one out at once, audited without the token hash', async () => {
    const user = await userWithTwoSessions();
    const list = await expectJson<SessionRow[]>(await as(user.laptop, 'GET', '/api/sessions'), 200);
    const phone = list.find((s) => !s.current)!;
    expect(await expectJson(await as(user.laptop, 'DELETE', `/api/sessions/${phone.id}`), 200)).toEqual({ ended: 1 });
    await expectProblem(await as(user.phone, 'GET', '/api/auth/me'), 401, 'unauthorized');
    expect((await as(user.laptop, 'GET', '/api/auth/me')).status).toBe(200);
    const [entry] = await auditRowsOf(t.database.db, phone.id);
    expect(entry).toMatchObject({ user_id: user.id, action: 'end_session', table_name: 'sessions', after: null });
    expect(entry.before).toMatchObject({ id: phone.id, user_id: user.id, user_agent: PHONE, ip: '198.51.100.23' });
    expect(JSON.stringify(entry.before)).not.toMatch(/token/);
    // Ended, it is gone: a second end is a 404.
    await expectProblem(await as(user.laptop, 'DELETE', `/api/sessions/${phone.id}`), 404, 'not_found');
  });

  test('ending this session is a log-out', async () => {
    const user = await userWithTwoSessions();
    const list = await expectJson<SessionRow[]>(await as(user.laptop, 'GET', '/api/sessions'), 200);
    await expectJson(await as(user.laptop, 'DELETE', `/api/sessions/${list.find((s) => s.current)!.id}`), 200);
    await expectProblem(await as(user.laptop, 'GET', '/api/auth/me'), 401);
    expect((await as(user.phone, 'GET', '/api/auth/me')).status).toBe(200);
  });

  test("someone else's session is not found, and keeps working", async () => {
    const user = await userWithTwoSessions();
    const other = await userWithTwoSessions();
    const [theirs] = await expectJson<SessionRow[]>(await as(other.laptop, 'GET', '/api/sessions'), 200);
    await expectProblem(await as(user.laptop, 'DELETE', `/api/sessions/${theirs.id}`), 404, 'not_found');
    await expectProblem(await t.call('admin', 'DELETE', `/api/sessions/${theirs.id}`), 404, 'not_found');
    expect((await as(other.laptop, 'GET', '/api/auth/me')).status).toBe(200);
    expect((await as(other.phone, 'GET', '/api/auth/me')).status).toBe(200);
  });
});

describe('last seen', () => {
  test('is written at most once a minute per session: a request after a minute moves it, one within a minute does not', async () => {
    const user = await userWithTwoSessions();
    const lastSeen = async () =>
      (await rows<{ at: string }>(t.database.db, sql`select last_seen_at::text as at from sessions where user_id = ${user.id} and user_agent = ${FIREFOX}`))[0].at;
    await t.database.db.execute(sql`update sessions set last_seen_at = now() - interval '5 minutes' where user_id = ${user.id}`);
    const stale = await lastSeen();
    expect((await as(user.laptop, 'GET', '/api/zones')).status).toBe(200);
    const touched = await lastSeen();
    expect(touched).not.toBe(stale);
    expect(await countOf(t.database.db, sql`select count(*) as n from sessions where user_id = ${user.id} and user_agent = ${FIREFOX} and last_seen_at > now() - interval '10 seconds'`)).toBe(1);
    // The phone's session made no request: it still shows five minutes ago.
    expect(await countOf(t.database.db, sql`select count(*) as n from sessions where user_id = ${user.id} and user_agent = ${PHONE} and last_seen_at < now() - interval '4 minutes'`)).toBe(1);

    await t.database.db.execute(sql`update sessions set last_seen_at = now() - interval '30 seconds' where user_id = ${user.id}`);
    const recent = await lastSeen();
    for (let i = 0; i < 3; i++) expect((await as(user.laptop, 'GET', '/api/zones')).status).toBe(200);
    expect(await lastSeen()).toBe(recent);
  });
});

describe("an admin ends all of a user's sessions", () => {
  test('every session of the user answers 401 on its next request; audited on the user; other users keep theirs', async () => {
    const user = await userWithTwoSessions();
    const bystander = await userWithTwoSessions();
    expect(await expectJson(await t.call('admin', 'POST', `/api/users/${user.id}/end-sessions`), 200)).toEqual({ ended: 2 });
    await expectProblem(await as(user.laptop, 'GET', '/api/auth/me'), 401, 'unauthorized');
    await expectProblem(await as(user.phone, 'GET', '/api/zones'), 401, 'unauthorized');
    expect((await as(bystander.laptop, 'GET', '/api/auth/me')).status).toBe(200);
    expect(await countOf(t.database.db, sql`select count(*) as n from sessions where user_id = ${user.id}`)).toBe(0);
    const [entry] = (await auditRowsOf(t.database.db, user.id)).filter((a) => a.action === 'end_sessions');
    expect(entry).toMatchObject({ user_id: t.userIds.admin, table_name: 'users', after: { sessions: 0 } });
    expect(entry.before.sessions).toBe(2);
    expect(entry.before.ended.map((s: { user_agent: string }) => s.user_agent).sort()).toEqual([FIREFOX, PHONE].sort());
    expect(JSON.stringify(entry)).not.toMatch(/token/);
    // They may log in again; nothing else about them changed.
    expect(await login(user.email, FIREFOX, '203.0.113.7')).toMatch(/^milkrun_session=/);
    // Again with no session left: nothing to end, still audited as asked.
    await t.call('admin', 'POST', `/api/users/${bystander.id}/end-sessions`);
    expect(await expectJson(await t.call('admin', 'POST', `/api/users/${bystander.id}/end-sessions`), 200)).toEqual({ ended: 0 });
  });

  test('only with the permission (support has none on users: 403), and an unknown user is a 404', async () => {
    const user = await userWithTwoSessions();
    await expectProblem(await t.call('support', 'POST', `/api/users/${user.id}/end-sessions`), 403, 'forbidden');
    await expectProblem(await t.call('admin', 'POST', `/api/users/${UNKNOWN_ID}/end-sessions`), 404, 'not_found');
    expect((await as(user.laptop, 'GET', '/api/auth/me')).status).toBe(200);
  });
});
