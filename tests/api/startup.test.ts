import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database, Db } from '../../db/client.js';
import { createPreparingApp, startMilkrun, type Started } from '../../api/startup.js';
import { freshDatabase } from '../helpers/app.js';

// `npm start` listens before the database is ready: until then health says how far along it is and every
// other API call is a 503 problem, without touching the database; then the real app answers.
const logger = pino({ level: 'silent' });
const get = (fetch: (r: Request) => Response | Promise<Response>, path: string) => Promise.resolve(fetch(new Request(`http://localhost${path}`)));

describe('while the demo business loads', () => {
  let release!: () => void;
  const seeded = new Promise<void>((r) => (release = r));
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let loadedInto: Db | undefined;
  const opened = freshDatabase().then((d) => (database = d));
  const starting = startMilkrun({
    open: () => opened,
    demo: true,
    loadDemo: async (db, progress) => {
      loadedInto = db;
      progress(42.4);
      await seeded;
      progress(100);
    },
    logger,
  });
  afterAll(async () => {
    release();
    await starting.ready.catch(() => undefined);
    await database?.drop();
  });

  test('health is 503 "preparing" with the progress, other API calls 503 problem+json, no session needed', async () => {
    await opened;
    await expect.poll(() => starting.state.phase).toBe('demo');
    const health = await get(starting.fetch, '/api/health');
    expect(health.status).toBe(503);
    expect(health.headers.get('retry-after')).toBe('2');
    expect(await health.json()).toEqual({ status: 'preparing', phase: 'demo', progress: 42, message: 'The demo business is being prepared (42%).' });

    const customers = await get(starting.fetch, '/api/customers');
    expect(customers.status).toBe(503);
    expect(customers.headers.get('content-type')).toBe('application/problem+json');
    expect(await customers.json()).toMatchObject({ status: 503, code: 'preparing', message: 'The demo business is being prepared (42%).', progress: 42 });
    const login = await starting.fetch(new Request('http://localhost/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }));
    expect(login.status).toBe(503);
  });

  test('once loaded, the real app answers: health ok, routes need a session', async () => {
    release();
    const started: Started = await starting.ready;
    expect(loadedInto).toBe(database.db);
    expect(started.demoLoaded).toBe(true);
    expect(starting.state).toEqual({ phase: 'ready', progress: 100 });
    const health = await get(starting.fetch, '/api/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    expect((await get(starting.fetch, '/api/customers')).status).toBe(401);
  });
});

describe('which databases get the demo', () => {
  // One empty database for all cases (the demo loader here loads nothing), given customers at the end.
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database?.drop());

  const cases: { name: string; demo: boolean | undefined; kind: Database['kind']; loads: boolean }[] = [
    { name: 'the embedded database by default', demo: undefined, kind: 'pglite', loads: true },
    { name: 'not PostgreSQL by default (a production start: schema only)', demo: undefined, kind: 'postgres', loads: false },
    { name: 'PostgreSQL when asked (--demo, MILKRUN_DEMO=1)', demo: true, kind: 'postgres', loads: true },
    { name: 'not the embedded database when told not to (MILKRUN_DEMO=0)', demo: false, kind: 'pglite', loads: false },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      let calls = 0;
      const starting = startMilkrun({
        // The kind decides the default; the database underneath is the test's.
        open: async () => ({ ...database, kind: c.kind }),
        demo: c.demo,
        loadDemo: async () => void calls++,
        logger,
      });
      const started = await starting.ready;
      expect(calls).toBe(c.loads ? 1 : 0);
      expect(started.demoLoaded).toBe(c.loads);
      // An empty database has no user: the server prints how to create the first admin.
      expect(started.noUsers).toBe(true);
    });
  }

  test('a database with customers never gets the demo, even when asked', async () => {
    await database.db.execute(sql`insert into zones (name) values ('Hebbal')`);
    await database.db.execute(sql`insert into customers (name, phone, zone_id) select 'Ravi Kumar', '+919845012345', id from zones`);
    let calls = 0;
    const started = await startMilkrun({ open: async () => database, demo: true, loadDemo: async () => void calls++, logger }).ready;
    expect(calls).toBe(0);
    expect(started.demoLoaded).toBe(false);
  });
});

test('a failed start rejects `ready` (the server then exits non-zero) and keeps answering 503 meanwhile', async () => {
  const starting = startMilkrun({
    open: async () => {
      throw new Error('connection refused');
    },
    loadDemo: async () => {},
    logger,
  });
  await expect(starting.ready).rejects.toThrow('connection refused');
  const res = await get(starting.fetch, '/api/health');
  expect(res.status).toBe(503);
  expect(await res.json()).toMatchObject({ status: 'preparing', phase: 'migrating', message: 'Milkrun is starting: applying the database migrations.' });
});

test('page paths get a self-reloading "starting" page until the admin build appears, then the admin, without a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'milkrun-admin-'));
  try {
    const app = createPreparingApp({ phase: 'demo', progress: 10 }, join(dir, 'dist'));
    const before = await app.request('/customers');
    expect(before.status).toBe(503);
    expect(await before.text()).toContain('Building the admin (first start only');
    mkdirSync(join(dir, 'dist', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><title>Milkrun admin</title>');
    const after = await app.request('/customers');
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('<title>Milkrun admin</title>');
    // The API still answers "preparing", not the shell.
    expect((await app.request('/api/orders')).status).toBe(503);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
