import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../../db/client.js';
import { createUser } from '../../seeds/users.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeCustomer, sqlRows, type CustomerFixture } from '../helpers/chain-fixtures.js';
import { expectJson } from './support.js';

// Round-robin assignment of new disputes among the active support users (issue 13 item 5): the rotation lives in the
// database (assignment_rotation, its row locked while the next is chosen), so several API processes share one turn
// order and two disputes opened at once go to two different people.

let t: TestApp;
let db: Db;
let a: CustomerFixture;
let team: string[];

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  a = await makeCustomer(db, { name: 'Round Robin' });
  const extra = [];
  for (const n of [1, 2]) extra.push(await createUser(db, { email: `agent${n}@milkrun.test`, name: `Agent ${n}`, password: "a-long-password-1", roles: ["support"] }));
  // A deactivated support user is never given one.
  const gone = await createUser(db, { email: 'gone@milkrun.test', name: 'Gone', password: 'a-long-password-1', roles: ['support'] });
  await db.execute(sql`update users set is_active = false where id = ${gone}`);
  team = [t.userIds.support, ...extra].sort();
  await t.cookie('support');
});
afterAll(() => t?.close());

const open = async (extra: Record<string, unknown> = {}) =>
  expectJson(await t.call('support', 'POST', '/api/disputes', { customer_id: a.customer.id, category: 'other', subject: 'Who takes it?', body: 'Hello', ...extra }), 201);

describe('round-robin', () => {
  test('each new dispute goes to the next active support user in turn; a named assignee or null is kept', async () => {
    const first = await open();
    const start = team.indexOf(first.assignee_id);
    expect(start).toBeGreaterThanOrEqual(0);
    const next = [];
    for (let i = 0; i < 5; i++) next.push((await open()).assignee_id);
    expect(next).toEqual([1, 2, 3, 4, 5].map((k) => team[(start + k) % team.length]));
    const [entry] = await sqlRows(db, sql`select body from dispute_messages where dispute_id = ${first.id} and kind = 'activity'`);
    expect(entry.body).toMatch(/Assigned to .* \(round-robin\)\.$/);
    // Named or left unassigned by hand: the rotation does not move.
    expect((await open({ assignee_id: null })).assignee_id).toBeNull();
    expect((await open({ assignee_id: team[0] })).assignee_id).toBe(team[0]);
    expect((await open()).assignee_id).toBe(team[(start + 6) % team.length]);
  });

  test('disputes opened at the same moment are spread evenly (the rotation row is locked)', { tags: ['race'] }, async () => {
    const n = team.length * 4;
    const opened = await Promise.all(Array.from({ length: n }, () => t.call('support', 'POST', '/api/disputes', { customer_id: a.customer.id, category: 'other', subject: 'At once', body: 'Hello' })));
    const assignees = await Promise.all(opened.map(async (r) => (await expectJson(r, 201)).assignee_id as string));
    const counts = new Map<string, number>();
    for (const id of assignees) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(team);
    expect([...counts.values()]).toEqual(team.map(() => 4));
  });
});
