import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { createUser, DEMO_PASSWORD } from '../../seeds/users.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { countOf, expectProblem } from './support.js';

// Every argon2 verify the login runs is counted (and still runs): "how many passwords were checked" is then a fact,
// not a timing guess.
const checks = vi.hoisted(() => ({ count: 0 }));
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  return {
    ...real,
    verify: async (...args: Parameters<typeof real.verify>) => {
      checks.count++;
      return real.verify(...args);
    },
  };
});

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());
beforeEach(() => {
  checks.count = 0;
});

const login = (email: string, password: string) =>
  t.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });

describe('the lockout holds under concurrent logins', { tags: ['race'] }, () => {
  test('20 wrong passwords at once: exactly 5 are checked (401), the other 15 are refused unchecked (429)', async () => {
    await createUser(t.database.db, { email: 'raced@milkrun.test', name: 'Raced', password: 'right-password', roles: ['support'] });
    checks.count = 0;
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login('raced@milkrun.test', `wrong-${i}`)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    expect(checks.count).toBe(5);
    expect(await countOf(t.database.db, sql`select count(*) as n from login_attempts where email = 'raced@milkrun.test' and succeeded = false`)).toBe(5);
    // And the right password, now, is refused too, without a check.
    await expectProblem(await login('raced@milkrun.test', 'right-password'), 429, 'too_many_attempts');
    expect(checks.count).toBe(5);
  });

  test('an unknown email locks the same way (else the lockout itself would tell which emails exist)', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => login('nobody-raced@milkrun.test', 'guess')));
    expect(answers.filter((r) => r.status === 401)).toHaveLength(5);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(15);
  });

  test('a right password at once with wrong ones: it is checked within the 5 or refused, never a sixth check', async () => {
    await createUser(t.database.db, { email: 'mixed@milkrun.test', name: 'Mixed', password: 'right-password', roles: ['support'] });
    checks.count = 0;
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => login('mixed@milkrun.test', i === 5 ? 'right-password' : `wrong-${i}`)));
    expect(checks.count).toBeLessThanOrEqual(6);
    const ok = answers.filter((r) => r.status === 200).length;
    expect(answers.filter((r) => r.status === 401).length).toBe(checks.count - ok);
    // A success is recorded as one, not as a failure.
    expect(await countOf(t.database.db, sql`select count(*) as n from login_attempts where email = 'mixed@milkrun.test' and succeeded`)).toBe(ok);
    expect(await countOf(t.database.db, sql`select count(*) as n from login_attempts where email = 'mixed@milkrun.test' and not succeeded`)).toBeLessThanOrEqual(5);
  });
});

describe('an unknown email takes as long as a wrong password', () => {
  test('an unknown email runs a password check (against a dummy hash) and answers like a wrong password', async () => {
    const unknown = await expectProblem(await login('nobody@milkrun.test', 'whatever'), 401, 'unauthorized');
    expect(checks.count).toBe(1);
    const wrong = await expectProblem(await login('admin@milkrun.test', 'whatever'), 401, 'unauthorized');
    expect(checks.count).toBe(2);
    expect(unknown.message).toBe(wrong.message);
  });

  test('a deactivated user is checked against the dummy hash too, and refused even with the right password', async () => {
    await createUser(t.database.db, { email: 'gone@milkrun.test', name: 'Gone', password: 'right-password', roles: ['support'] });
    await t.database.db.execute(sql`update users set is_active = false where email = 'gone@milkrun.test'`);
    await expectProblem(await login('gone@milkrun.test', 'right-password'), 401, 'unauthorized');
    expect(checks.count).toBe(1);
  });

  test('timing: an unknown email costs at least half of what a wrong password costs (median of 5)', async () => {
    const median = async (email: string) => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        await login(email, `guess-${i}`);
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b)[2];
    };
    await createUser(t.database.db, { email: 'timed@milkrun.test', name: 'Timed', password: 'right-password', roles: ['support'] });
    const known = await median('timed@milkrun.test');
    const unknown = await median('nobody-timed@milkrun.test');
    expect(unknown / known).toBeGreaterThan(0.5);
    // The demo login still works.
    expect((await login('admin@milkrun.test', DEMO_PASSWORD)).status).toBe(200);
  });
});
