import { mkdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { todayIST } from '../../api/lib/dates.js';
import { seedDemo } from '../../seeds/demo.js';
import { DEMO_PASSWORD } from '../../seeds/users.js';
import { sqlRows } from '../helpers/chain-fixtures.js';
import { type AdminHarness, hasChromium, openFromMenu, startAdmin } from './harness.js';

// The live map and run order in a real browser, on a small demo business (its field seed: today's runs in order, GPS
// trails, the morning's deliveries so far): the manager opens the map from the Field menu, sees the day's markers, a
// position posted here moves the delivery person's marker live (server-sent events), and a run is reordered by dragging.
// No network: the tiles do not load, and the markers show on the plain background. Screenshots to /tmp/shots/map.

if (!hasChromium) console.warn('Skipping the field browser test: no chromium (apt-get install chromium; CI installs it).');
const SHOTS = '/tmp/shots/map';

let h: AdminHarness;

describe.skipIf(!hasChromium)('the live map and run order in a browser', () => {
  beforeAll(async () => {
    h = await startAdmin((db) => seedDemo(db, { scale: 1, seed: 7, historyDays: 1 }));
    mkdirSync(SHOTS, { recursive: true });
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  /** Posts a GPS position as Ravi (demo delivery staff) through the API the phones use. */
  async function postAsRavi(cookie: string, lat: number, lng: number, at: Date) {
    const res = await fetch(`${h.base}/api/staff/me/positions`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ lat, lng, recorded_at: at.toISOString() }) });
    expect(res.status, await res.clone().text()).toBe(201);
  }

  test('the manager opens the live map: markers by status, and a posted position moves a staff marker live', { timeout: 120_000 }, async () => {
    const db = h.database.db;
    const [{ n: located }] = await sqlRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from deliveries d join orders o on o.id = d.order_id join addresses a on a.id = o.address_id
          where d.order_date = ${todayIST()} and o.shift = 'morning' and o.status <> 'cancelled' and a.lat is not null`,
    );
    expect(located).toBeGreaterThan(20);
    const [ravi] = await sqlRows<{ id: string; zone_id: string }>(db, sql`select s.id, s.zone_id from staff s join users u on u.id = s.user_id where u.email = 'ravi@milkrun.test'`);
    const login = await fetch(`${h.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ravi@milkrun.test', password: DEMO_PASSWORD }) });
    const raviCookie = login.headers.get('set-cookie')!.split(';')[0];

    const errors: string[] = [];
    const page = await h.loggedIn('manager', errors);
    page.setDefaultTimeout(20_000);
    await openFromMenu(page, 'Live map');
    await page.waitForURL(/\/field\/map/);
    // Every located delivery of the morning is a circle coloured by its status; some were made this morning.
    await expect.poll(() => page.locator('path.field-map-delivery').count(), { timeout: 20_000 }).toBe(located);
    expect(await page.locator('path.field-map-delivered').count()).toBeGreaterThan(0);
    expect(await page.locator('path.field-map-pending').count()).toBeGreaterThan(0);
    await page.getByText('Live', { exact: true }).waitFor();
    // The seed's vans are out: staff badges on the map.
    expect(await page.locator('[data-staff-id]').count()).toBeGreaterThan(3);

    // A popup says who, what and the status.
    // Dispatched on the circle itself: at its centre a staff badge may lie on top of it.
    await page.locator('path.field-map-pending').first().dispatchEvent('click');
    await page.getByTestId('delivery-popup').waitFor();
    await page.screenshot({ path: `${SHOTS}/live-map-1440.png` });
    await page.keyboard.press('Escape');

    // Ravi's phone posts two positions 10 s apart: his badge follows, with no reload.
    const marker = page.locator(`[data-staff-id="${ravi.id}"]`);
    const slot = Math.floor(Date.now() / 10_000) * 10_000 - 20_000;
    await postAsRavi(raviCookie, 12.9719, 77.6412, new Date(slot));
    await marker.waitFor();
    const before = await marker.boundingBox();
    await postAsRavi(raviCookie, 12.9819, 77.6512, new Date(slot + 10_000));
    await expect
      .poll(async () => {
        const now = await marker.boundingBox();
        return now && before ? Math.hypot(now.x - before.x, now.y - before.y) : 0;
      })
      .toBeGreaterThan(5);
    expect(errors).toEqual([]);

    // A phone at 390 px: the same map under its filters.
    const phone = await h.loggedIn('manager', errors, { startPath: '/field/map', viewport: { width: 390, height: 844 } });
    await phone.goto(`${h.base}/field/map`);
    await expect.poll(() => phone.locator('path.field-map-delivery').count(), { timeout: 20_000 }).toBe(located);
    await phone.screenshot({ path: `${SHOTS}/live-map-390.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  test('the manager drags a stop of a run to the top and saves: the run sheet and the stored order follow', { timeout: 120_000 }, async () => {
    const db = h.database.db;
    const [run] = await sqlRows<{ staff_id: string; name: string }>(
      db,
      sql`select d.staff_id, s.name from deliveries d join orders o on o.id = d.order_id join staff s on s.id = d.staff_id
          where d.order_date = ${todayIST()} and o.shift = 'evening' and o.status <> 'cancelled'
          group by d.staff_id, s.name having count(distinct o.address_id) >= 3 order by s.name limit 1`,
    );
    expect(run).toBeTruthy();
    const errors: string[] = [];
    const page = await h.loggedIn('manager', errors, { startPath: `/run-sheets?shift=evening&staff_id=${run.staff_id}` });
    page.setDefaultTimeout(20_000);
    await page.goto(`${h.base}/run-sheets?shift=evening&staff_id=${run.staff_id}`);
    await page.getByTestId('route-panel').waitFor();
    await page.getByText(/Bengaluru .* Depot/).first().waitFor();
    await page.screenshot({ path: `${SHOTS}/run-sheet-route-1440.png`, fullPage: true });

    await page.getByRole('button', { name: 'Reorder' }).click();
    const stops = page.getByTestId('route-stop');
    const ids = await stops.evaluateAll((els) => els.map((e) => e.getAttribute('data-address-id')!));
    expect(ids.length).toBeGreaterThanOrEqual(3);
    // Drag the third stop above the first, by its handle, as a mouse does.
    const handle = stops.nth(2).locator('.route-stop-handle');
    const target = await stops.nth(0).boundingBox();
    const from = await handle.boundingBox();
    await page.mouse.move(from!.x + from!.width / 2, from!.y + from!.height / 2);
    await page.mouse.down();
    await page.mouse.move(from!.x + from!.width / 2, from!.y - 10, { steps: 5 });
    await page.mouse.move(from!.x + from!.width / 2, target!.y + 2, { steps: 15 });
    await page.mouse.up();
    const wanted = [ids[2], ids[0], ids[1], ...ids.slice(3)];
    await expect.poll(() => stops.evaluateAll((els) => els.map((e) => e.getAttribute('data-address-id')!))).toEqual(wanted);
    await page.screenshot({ path: `${SHOTS}/run-sheet-reorder-1440.png`, fullPage: true });
    await page.getByRole('button', { name: 'Save order' }).click();
    await page.getByText('Order saved').waitFor();

    const stored = await sqlRows<{ address_id: string }>(db, sql`select rs.address_id from staff_route_stops rs join staff_routes r on r.id = rs.route_id where r.staff_id = ${run.staff_id} and r.shift = 'evening' order by rs.position`);
    expect(stored.map((s) => s.address_id).filter((id) => wanted.includes(id))).toEqual(wanted);
    // The sheet below reloads in the new order (its first stop is the dragged one).
    const res = await fetch(`${h.base}/api/run-sheets?shift=evening&staff_id=${run.staff_id}`, { headers: { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } });
    const sheet = await res.json();
    expect(sheet.stops[0].address_id).toBe(wanted[0]);
    expect(errors).toEqual([]);

    const phone = await h.loggedIn('manager', errors, { startPath: `/run-sheets?shift=evening&staff_id=${run.staff_id}`, viewport: { width: 390, height: 844 } });
    await phone.goto(`${h.base}/run-sheets?shift=evening&staff_id=${run.staff_id}`);
    await phone.getByTestId('route-panel').waitFor();
    await phone.getByRole('button', { name: 'Reorder' }).click();
    await phone.screenshot({ path: `${SHOTS}/run-sheet-reorder-390.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
});
