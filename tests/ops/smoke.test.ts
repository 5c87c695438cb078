import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../seeds/demo.js';
import { DEMO_PASSWORD } from '../../seeds/users.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

// `npm run smoke -- URL` (its entry point, as a child process) against the API serving the demo on a loopback port.
let t: TestApp;
let server: ServerType;
let url: string;

async function smoke(): Promise<{ code: number; out: string }> {
  // A loaded test machine is slower than a server: the 1 s list limit is the production default, not this test's.
  const env = { ...process.env, SMOKE_EMAIL: 'admin@milkrun.test', SMOKE_PASSWORD: DEMO_PASSWORD, SMOKE_LIST_LIMIT_MS: '5000' };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['scripts/launch.mjs', 'smoke', url], { env, maxBuffer: 1 << 24 });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 99, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('npm run smoke', () => {
  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t.database.db, { scale: 0.05, seed: 33, historyDays: 5 });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 300_000);
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await t?.close();
  });

  it('passes on the demo: health, every list, recent audit and billing, one-time orders billed, data health clean', async () => {
    const { code, out } = await smoke();
    expect(out).toContain('Smoke passed');
    expect(out).toMatch(/ok +lists: \d+ of \d+ answered/);
    expect(Number(/lists: (\d+) of/.exec(out)?.[1])).toBeGreaterThan(30);
    expect(out).toMatch(/ok +one-time orders billed: \d+ of the \d+ newest delivered/);
    expect(out).toMatch(/ok +data health: \d+ checks clean/);
    expect(code, out).toBe(0);
  }, 180_000);

  it('fails with a clear report when data health finds a broken link', async () => {
    // An order whose total no longer is the sum of its items, written past the API and its triggers (which refuse
    // changing a delivered order): what a bad manual fix or a restore gone wrong leaves.
    const broken = await t.database.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      return tx.execute(sql`update orders set total_paise = total_paise + 100 where id = (select id from orders where status = 'delivered' order by id limit 1) returning id`);
    });
    expect(((broken as unknown as { rows?: unknown[] }).rows ?? (broken as unknown as unknown[])).length).toBe(1);
    const { code, out } = await smoke();
    expect(code, out).toBe(1);
    expect(out).toMatch(/FAIL +data health: \d+ check\(s\) found broken rows/);
    expect(out).toContain('1 x Orders whose total differs from the sum of their items');
    expect(out).toMatch(/ok +lists/);
    expect(out).toContain('SMOKE FAILED: 1 of');
  }, 180_000);
});
