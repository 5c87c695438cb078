import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pino, { type Logger } from 'pino';
import postgres from 'postgres';
import { createApp, type App } from '../../api/app.js';
import { APP_ROLE, fromPglite, openDatabase, pgliteExtensions, type Database } from '../../db/client.js';
import type { RefundProvider } from '../../api/modules/refunds/provider.js';
import { DEMO_PASSWORD, ensureDemoUsers } from '../../seeds/users.js';

/** The migrated template each test file clones on PostgreSQL; global setup names one per run. */
export const templateDbName = () => process.env.MILKRUN_TEMPLATE_DB ?? 'milkrun_template_test';

export function assertTestDatabaseName(url: string): URL {
  const parsed = new URL(url);
  const name = parsed.pathname.slice(1);
  if (!name.endsWith('_test')) throw new Error(`Refusing to run tests against "${name}": the database name must end in _test.`);
  return parsed;
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or on PostgreSQL
 * (TEST_DATABASE_URL) a new database cloned from the template that global setup migrated.
 */
export async function freshDatabase(): Promise<Database & { drop(): Promise<void>; url?: string }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    // A copy of the data directory global setup migrated (tests/globalSetup.ts); without one, initdb and every migration.
    const template = process.env.MILKRUN_PGLITE_TEMPLATE;
    const database =
      template && existsSync(template)
        ? fromPglite(await PGlite.create({ loadDataDir: new Blob([readFileSync(template)]), extensions: pgliteExtensions }))
        : await openDatabase({ dir: 'memory://' });
    await database.migrate();
    return { ...database, drop: () => database.close() };
  }
  const base = assertTestDatabaseName(url);
  const name = `milkrun_${randomBytes(6).toString('hex')}_test`;
  const admin = postgres(base.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}" template "${templateDbName()}"`);
  await admin.end();
  const dbUrl = new URL(base.toString());
  dbUrl.pathname = `/${name}`;
  const database = await openDatabase({ url: dbUrl.toString(), max: 20 });
  return {
    ...database,
    url: dbUrl.toString(),
    drop: async () => {
      await database.close();
      const again = postgres(base.toString(), { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists "${name}" with (force)`);
      await again.end();
    },
  };
}

export interface TestApp {
  app: App;
  /** The owner's connection, for fixtures and raw SQL; on PostgreSQL the app itself connects as milkrun_app. */
  database: Awaited<ReturnType<typeof freshDatabase>>;
  userIds: Record<string, string>;
  /** Logs in as a demo role and returns the Cookie header to send. */
  cookie(role: 'admin' | 'finance' | 'support' | 'manager'): Promise<string>;
  /** app.request with the cookie of a role and a JSON body. */
  call(role: 'admin' | 'finance' | 'support' | 'manager' | null, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The app on a fresh database. On PostgreSQL it runs as the API's role (milkrun_app), as deployed, so a
 * route that needs more than row reads and writes fails here; `asOwner` keeps the owner's connection.
 */
export async function createTestApp(
  opts: { asOwner?: boolean; refundProvider?: RefundProvider; webhookSecrets?: string[]; logger?: Logger; metricsToken?: string; whatsappAppSecret?: string | null } = {},
): Promise<TestApp> {
  const database = await freshDatabase();
  const userIds = await ensureDemoUsers(database.db);
  const appDatabase = database.url && !opts.asOwner ? await openDatabase({ url: database.url, max: 10, role: APP_ROLE }) : database;
  const app = createApp({ database: appDatabase, logger: opts.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
    corsOrigins: ['http://localhost:5173'],
    refundProvider: opts.refundProvider,
    webhookSecrets: opts.webhookSecrets,
    metricsToken: opts.metricsToken,
    whatsappAppSecret: opts.whatsappAppSecret,
  });
  const cookies = new Map<string, string>();
  const cookie = async (role: string) => {
    const cached = cookies.get(role);
    if (cached) return cached;
    const res = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `${role}@milkrun.test`, password: DEMO_PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`login as ${role} failed: ${res.status} ${await res.text()}`);
    const value = res.headers.get('set-cookie')!.split(';')[0];
    cookies.set(role, value);
    return value;
  };
  const call: TestApp['call'] = async (role, method, path, body, headers = {}) => {
    // As the admin does: X-Requested-With on every request (a bodiless POST needs it, see api/lib/edge.ts).
    const h: Record<string, string> = { 'x-requested-with': 'XMLHttpRequest', ...headers };
    if (role) h.cookie = await cookie(role);
    if (body !== undefined) h['content-type'] = 'application/json';
    return app.request(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  };
  const close = async () => {
    if (appDatabase !== database) await appDatabase.close();
    await database.drop();
  };
  return { app, database, userIds, cookie, call, close };
}
