import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_PASSWORD } from '../../seeds/users.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { API_ENTRY, startApiProcess, type ApiProcess } from '../helpers/api-process.js';
import { makeStaff, makeZone } from '../helpers/chain-fixtures.js';
import { readSse } from '../helpers/sse.js';

/*
 * The live map's events with several API processes: a position posted through one process reaches an event stream
 * held by another (NOTIFY in the poster's transaction, LISTEN in every process). Needs PostgreSQL, as two-processes.
 */
const onPostgres = !!process.env.TEST_DATABASE_URL;
if (!onPostgres) console.log('field-processes.test.ts skipped: two API processes need PostgreSQL (it runs in the race-pg project or with TEST_DATABASE_URL).');

describe.skipIf(!onPostgres)(`live events across two API processes (${API_ENTRY})`, { tags: ['race'] }, () => {
  let t: TestApp;
  let a: ApiProcess;
  let b: ApiProcess;

  beforeAll(async () => {
    t = await createTestApp();
    [a, b] = await Promise.all([startApiProcess(t.database.url!, 'a'), startApiProcess(t.database.url!, 'b')]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await t?.close();
  });

  test("a position posted on process b arrives on process a's stream, once, and not a dropped one", async () => {
    const zone = await makeZone(t.database.db);
    const runner = await makeStaff(t.database.db, { zone_id: zone.id, login: true });
    const manager = await a.login('manager@milkrun.test', DEMO_PASSWORD);
    const staffCookie = await b.login(runner.user!.email, runner.user!.password);

    const res = await a.call(manager, 'GET', '/api/events');
    expect(res.status).toBe(200);
    const stream = readSse(res);
    // A second stream on b hears it too: every process fans out to its own clients.
    const onB = readSse(await b.call(manager, 'GET', '/api/events'));
    try {
      await stream.next('ready');
      await onB.next('ready');
      const at = new Date(Math.floor((Date.now() - 30_000) / 10_000) * 10_000).toISOString();
      const posted = await b.call(staffCookie, 'POST', '/api/staff/me/positions', { lat: 12.97, lng: 77.64, accuracy_m: 5, recorded_at: at });
      expect(posted.status, await posted.clone().text()).toBe(201);
      for (const s of [stream, onB]) {
        const e = await s.next('staff.position', 10_000);
        expect(JSON.parse(e.data)).toMatchObject({ staff_id: runner.staff.id, zone_id: zone.id, lat: 12.97, lng: 77.64, accuracy_m: 5, at });
      }
      // The same slot again, through process a this time: not kept, so nothing is sent.
      const again = await a.call(await a.login(runner.user!.email, runner.user!.password), 'POST', '/api/staff/me/positions', { lat: 12.98, lng: 77.65, recorded_at: at });
      expect(again.status).toBe(200);
      await expect(stream.next('staff.position', 1000)).rejects.toThrow(/no "staff.position" event/);
    } finally {
      await stream.cancel();
      await onB.cancel();
    }
  });
});
