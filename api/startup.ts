import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { Database, Db } from '../db/client.js';
import { createApp, type App, type AppDeps } from './app.js';
import { mountAdminWhenBuilt } from './lib/admin.js';
import { problem } from './lib/errors.js';
import { oneRow } from './lib/sql.js';

/**
 * Start-up without a silent minute: the server listens at once and answers from a small "preparing" app
 * (health 503 with progress, other API calls 503 problem+json, the admin's files) while the database is
 * opened, migrated and, when asked, given the demo business; then every request goes to the real app.
 */
export type StartPhase = 'migrating' | 'demo' | 'ready';
export interface StartState {
  phase: StartPhase;
  /** 0-100 while the demo loads. */
  progress: number;
}

export interface StartOptions extends Omit<AppDeps, 'database'> {
  /** Opens the database with its migrations applied. */
  open(): Promise<Database>;
  /** Load the demo into an empty database; undefined means only into the embedded PGlite. */
  demo?: boolean;
  /** Loads the demo business, reporting 0-100. */
  loadDemo(db: Db, progress: (percent: number) => void): Promise<void>;
}

export interface Started {
  app: App;
  database: Database;
  demoLoaded: boolean;
  /** No user can log in yet: the operator must create the first admin. */
  noUsers: boolean;
}

export interface Starting {
  /** The server's fetch handler, from the first moment on. */
  fetch: (request: Request, env?: unknown) => Response | Promise<Response>;
  state: StartState;
  ready: Promise<Started>;
  /** The database once opened (to close it on shutdown, even mid-start). */
  database(): Database | undefined;
}

export function preparingMessage(state: StartState): string {
  return state.phase === 'demo' ? `The demo business is being prepared (${state.progress}%).` : 'Milkrun is starting: applying the database migrations.';
}

/** What answers while the database is being prepared; it never touches the database. */
export function createPreparingApp(state: StartState, adminDir?: string) {
  const app = new Hono();
  const retry = { 'Retry-After': '2' };
  // 503 so load balancers and scripts wait; the body tells the admin how far along it is.
  app.get('/api/health', (c) => c.json({ status: 'preparing', phase: state.phase, progress: state.progress, message: preparingMessage(state) }, 503, retry));
  app.all('/api/*', (c) => {
    c.header('Retry-After', retry['Retry-After']);
    return problem(c, 503, 'preparing', preparingMessage(state), { phase: state.phase, progress: state.progress });
  });
  if (adminDir) mountAdminWhenBuilt(app, adminDir, (c) => problem(c, 404, 'not_found', 'No such route.'));
  return app;
}

export function startMilkrun(opts: StartOptions): Starting {
  const { open, demo, loadDemo, ...appDeps } = opts;
  const state: StartState = { phase: 'migrating', progress: 0 };
  const preparing = createPreparingApp(state, appDeps.adminDir);
  let app: App | undefined;
  let database: Database | undefined;

  const ready = (async (): Promise<Started> => {
    database = await open();
    const db = database.db;
    let demoLoaded = false;
    const { empty } = oneRow<{ empty: boolean }>(await db.execute(sql`select not exists (select 1 from customers) as empty`));
    if (empty && (demo ?? database.kind === 'pglite')) {
      state.phase = 'demo';
      appDeps.logger.info('Empty database: loading the demo business...');
      await loadDemo(db, (percent) => {
        state.progress = Math.max(0, Math.min(100, Math.round(percent)));
      });
      demoLoaded = true;
    }
    const { users } = oneRow<{ users: number }>(await db.execute(sql`select count(*)::int as users from users`));
    app = createApp({ ...appDeps, database });
    state.phase = 'ready';
    state.progress = 100;
    return { app, database, demoLoaded, noUsers: users === 0 };
  })();

  return {
    fetch: (request, env) => (app ?? preparing).fetch(request, env),
    state,
    ready,
    database: () => database,
  };
}
