import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createUser } from '../../seeds/users.js';
import { freshDatabase } from '../helpers/app.js';
import { countOf, refusedBy } from '../api/support.js';

// The rules of two-factor sign-in, tried with raw SQL: whatever the API forgets, the database refuses.
let database: Awaited<ReturnType<typeof freshDatabase>>;
let userId: string;
const UNKNOWN_USER = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  database = await freshDatabase();
  userId = await createUser(database.db, { email: 'raw-2fa@milkrun.test', name: 'Raw Twofactor', password: 'a-long-enough-password', roles: [] });
});
afterAll(() => database?.drop());

test('users_totp_confirmed_has_secret: a confirmed second factor has its (sealed) secret', async () => {
  expect(await refusedBy(database.db.execute(sql`update users set totp_confirmed_at = now() where id = ${userId}`))).toEqual({
    constraint: 'users_totp_confirmed_has_secret',
    code: '23514',
  });
  await database.db.execute(sql`update users set totp_secret = 'v1.a.b.c', totp_confirmed_at = now() where id = ${userId}`);
  expect(await refusedBy(database.db.execute(sql`update users set totp_secret = null where id = ${userId}`))).toMatchObject({ constraint: 'users_totp_confirmed_has_secret' });
});

test('totp_recovery_codes_user_code_key: a code hash is stored once per user; totp_recovery_codes_user_id_fk: for a user that exists', async () => {
  await database.db.execute(sql`insert into totp_recovery_codes (user_id, code_hash) values (${userId}, 'aa')`);
  expect(await refusedBy(database.db.execute(sql`insert into totp_recovery_codes (user_id, code_hash) values (${userId}, 'aa')`))).toEqual({
    constraint: 'totp_recovery_codes_user_code_key',
    code: '23505',
  });
  expect(await refusedBy(database.db.execute(sql`insert into totp_recovery_codes (user_id, code_hash) values (${UNKNOWN_USER}, 'bb')`))).toEqual({
    constraint: 'totp_recovery_codes_user_id_fk',
    code: '23503',
  });
});

test('totp_attempts_user_id_fk: attempts belong to a user, and go with them', async () => {
  expect(await refusedBy(database.db.execute(sql`insert into totp_attempts (user_id) values (${UNKNOWN_USER})`))).toEqual({
    constraint: 'totp_attempts_user_id_fk',
    code: '23503',
  });
  const gone = await createUser(database.db, { email: 'raw-2fa-gone@milkrun.test', name: 'Gone Soon', password: 'a-long-enough-password', roles: [] });
  await database.db.execute(sql`insert into totp_attempts (user_id) values (${gone})`);
  await database.db.execute(sql`insert into totp_recovery_codes (user_id, code_hash) values (${gone}, 'cc')`);
  await database.db.execute(sql`delete from users where id = ${gone}`);
  expect(await countOf(database.db, sql`select count(*) as n from totp_attempts where user_id = ${gone}`)).toBe(0);
  expect(await countOf(database.db, sql`select count(*) as n from totp_recovery_codes where user_id = ${gone}`)).toBe(0);
});
