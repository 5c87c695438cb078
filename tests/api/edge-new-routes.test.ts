import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeZone } from '../helpers/chain-fixtures.js';

// The edge's rules (bounded dates, no NUL, bounded numbers) on the routes this session added: each bad input is a 4xx
// with a message, never a 500.
let t: TestApp;
let zoneId: string;
beforeAll(async () => {
  t = await createTestApp();
  zoneId = (await makeZone(t.database.db)).id;
});
afterAll(() => t?.close());

test('NUL bytes, year-9999 dates and huge numbers on the new routes: 4xx with a message', async () => {
  const probes: [string, string, string, unknown?][] = [
    ['admin', 'GET', '/api/forecast?from=9999-12-31&days=7'],
    ['admin', 'GET', '/api/map?date=9999-12-31&shift=morning'],
    ['admin', 'GET', '/api/earnings?earned_on_gte=9999-12-31'],
    ['admin', 'GET', '/api/notifications?q=a%00b'],
    ['admin', 'GET', '/api/suppliers?q=a%00b'],
    ['admin', 'POST', '/api/suppliers', { name: 'Milk\u0000Co', gstin: '29AAAAK0001A1Z5', contact_name: 'x', phone: '+919800000000', email: 'a@b.in', address: 'x', products: [] }],
    ['admin', 'POST', '/api/depots', { name: 'D\u0000', city: 'Bengaluru', lat: 12.9, lng: 77.6 }],
    ['admin', 'POST', '/api/depots', { name: 'Far', city: 'Bengaluru', lat: 1e308, lng: 77.6 }],
    ['admin', 'POST', '/api/rate-cards', { zone_id: zoneId, effective_from: '9999-12-31', base_per_drop_paise: 100 }],
    ['admin', 'POST', '/api/rate-cards', { zone_id: zoneId, effective_from: '2026-12-01', base_per_drop_paise: 1e20 }],
    ['admin', 'POST', '/api/payout-batches', { month: '9999-12-01' }],
    ['admin', 'POST', '/api/alert-rules', { kind: 'error_rate', name: 'x\u0000', threshold: 1, window_minutes: 5 }],
  ];
  for (const [role, method, path, body] of probes) {
    const res = await t.call(role as 'admin', method, path, body);
    expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
    expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBeLessThan(500);
    expect((await res.json()).message, `${method} ${path}`).toEqual(expect.any(String));
  }
});
