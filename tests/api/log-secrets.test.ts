import { Writable } from 'node:stream';
import { TOTP } from 'otpauth';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEMO_WEBHOOK_SECRET } from '../../api/lib/env.js';
import { createLogger } from '../../api/lib/logger.js';
import { signBody } from '../../api/modules/gateway/signature.js';
import { DEMO_PASSWORD } from '../../seeds/users.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { remote } from '../helpers/metrics-text.js';
import { expectJson } from './support.js';

// Logs in production (issue 17, item 6): one JSON line per request with its id, user, route, status and duration, and
// never a password, token, TOTP secret, recovery code or cookie. The flow below handles each of them at the most
// verbose level; the whole log is then searched for every one.
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});
const METRICS_TOKEN = 'log-test-metrics-token-0123456789';
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ logger: createLogger({ level: 'trace', pretty: false, destination: sink }), metricsToken: METRICS_TOKEN });
});
afterAll(() => t?.close());

const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  t.app.request(path, {
    method,
    headers: { 'x-requested-with': 'XMLHttpRequest', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const cookieOf = (res: Response) => res.headers.get('set-cookie')!.split(';')[0];
const code = (secret: string, offset = 0) => new TOTP({ secret, algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: Date.now() + offset });

test('a full flow logs each request as a JSON line, and no secret anywhere', async () => {
  const secrets: string[] = [DEMO_WEBHOOK_SECRET, METRICS_TOKEN];
  const adminCookie = await t.cookie('admin');
  secrets.push(adminCookie.split('=')[1]);

  // A user invited with a one-time link, who sets a password through it.
  const email = `logged.${Date.now()}@milkrun.test`;
  const user = await expectJson(await t.call('admin', 'POST', '/api/users', { name: 'Lakshmi Logs', email, roles: ['support'], send_link: true }), 201);
  const linkToken = new URL(user.set_password_link.path, 'http://x').searchParams.get('token')!;
  const password = 'Jackfruit-Monsoon-Ledger-71';
  secrets.push(linkToken, password);
  await expectJson(await request('POST', '/api/auth/set-password', { token: linkToken, password }), 200);
  // A wrong password, then the right one.
  expect((await request('POST', '/api/auth/login', { email, password: 'Not-The-Password-99' })).status).toBe(401);
  secrets.push('Not-The-Password-99');
  const first = await request('POST', '/api/auth/login', { email, password });
  expect(first.status).toBe(200);
  const cookie = cookieOf(first);
  secrets.push(cookie.split('=')[1]);

  // Two-factor: the secret and recovery codes are answered once; codes log in and step up.
  const enrolment = await expectJson(await request('POST', '/api/auth/totp/enroll', undefined, { cookie }), 200);
  secrets.push(enrolment.secret, ...enrolment.recovery_codes);
  await expectJson(await request('POST', '/api/auth/totp/confirm', { code: code(enrolment.secret) }, { cookie }), 200);
  await request('POST', '/api/auth/logout', undefined, { cookie });
  const withCode = await request('POST', '/api/auth/login', { email, password, totp: code(enrolment.secret, 30_000) });
  expect(withCode.status).toBe(200);
  secrets.push(cookieOf(withCode).split('=')[1]);
  const withRecovery = await request('POST', '/api/auth/login', { email, password, recovery_code: enrolment.recovery_codes[0] });
  expect(withRecovery.status).toBe(200);
  secrets.push(cookieOf(withRecovery).split('=')[1]);
  await expectJson(await request('GET', '/api/auth/me', undefined, { cookie: cookieOf(withRecovery) }), 200);

  // A stale cookie, a signed and an unsigned webhook, the metrics with their token.
  expect((await request('GET', '/api/customers', undefined, { cookie: 'milkrun_session=forged-session-value-1234567890' })).status).toBe(401);
  secrets.push('forged-session-value-1234567890');
  const body = JSON.stringify({ entity: 'event', event: 'payment.failed', contains: ['payment'], payload: { payment: { entity: { id: `pay_L${Date.now()}`, entity: 'payment', amount: 500, currency: 'INR', status: 'failed', notes: {} } } }, created_at: 1 });
  const signature = signBody(body, DEMO_WEBHOOK_SECRET);
  secrets.push(signature);
  await t.app.request('/api/webhooks/razorpay', { method: 'POST', headers: { 'content-type': 'application/json', 'x-razorpay-event-id': 'evt_LogTest0001', 'x-razorpay-signature': signature }, body });
  await t.app.request('/api/webhooks/razorpay', { method: 'POST', headers: { 'content-type': 'application/json', 'x-razorpay-event-id': 'evt_LogTest0002', 'x-razorpay-signature': 'ab'.repeat(32) }, body });
  expect((await t.app.request('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }, remote)).status).toBe(200);
  // An admin resets the user's password to a typed one.
  const reset = 'Tamarind-Harbour-Quill-58';
  secrets.push(reset);
  await expectJson(await t.call('admin', 'POST', `/api/users/${user.id}/reset-password`, { password: reset }), 200);

  const log = lines.join('\n');
  expect(lines.length).toBeGreaterThan(15);
  for (const secret of secrets) expect(log.includes(secret), `the log holds a secret: ${secret.slice(0, 6)}...`).toBe(false);
  expect(log).not.toContain(`"${DEMO_PASSWORD}"`);
  expect(log).not.toMatch(/\$argon2|otpauth:\/\/|milkrun_session=/);

  // Every line is JSON; each request has its one line with id, user, route, status and duration.
  const parsed = lines.map((l) => JSON.parse(l));
  const requests = parsed.filter((l) => l.msg === 'request');
  const me = requests.find((l) => l.route === '/api/auth/me');
  expect(me).toMatchObject({ method: 'GET', path: '/api/auth/me', status: 200, user: user.id });
  expect(me.req).toMatch(/^[0-9a-f-]{36}$/);
  expect(typeof me.ms).toBe('number');
  expect(requests.find((l) => l.route === '/api/users/:id/reset-password')).toMatchObject({ status: 200, user: t.userIds.admin });
});
