import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { eq, sql } from 'drizzle-orm';
import { openMigrated, type Database } from '../db/client.js';
import { users } from '../db/schema/index.js';
import { seedDemo } from '../seeds/demo.js';
import { demoUsers, DEMO_PASSWORD } from '../seeds/users.js';
import { readEnv } from './lib/env.js';
import { exportTuning } from './lib/export.js';
import { createLogger } from './lib/logger.js';
import { oneRow } from './lib/sql.js';
import { refusingRefundProvider } from './modules/refunds/provider.js';
import { startMilkrun } from './startup.js';
import { scheduleWalletExpiry } from './modules/wallets/wallet-expiry.job.js';
import { scheduleSettlementScan } from './modules/settlements/settlement-scan.job.js';
import { exportWorker } from './modules/exports/exports.routes.js';
import { scheduleExportJobs } from './modules/exports/exports.service.js';
import { scheduleSlaEscalation } from './modules/disputes/sla-escalation.job.js';
import { scheduleAlerts } from './modules/alerts/alerts.job.js';
import { schedulePositionsPrune } from './modules/field/positions-prune.job.js';
import { scheduleExpiryWriteOff } from './modules/inventory/expiry-write-off.job.js';
import { notificationWorker } from './modules/notifications/notifications.routes.js';
import { fakeProvider, unconfiguredProvider, whatsappHttpProvider, type Providers } from './modules/notifications/provider.js';
import { scheduleNotifications } from './modules/notifications/worker.js';

// The one entry point (`npm start`, `npm run dev`, production): listen at once, then migrate, load the demo
// where wanted (the embedded database, `--demo` or MILKRUN_DEMO=1), and serve the API and the admin.
const { values: args } = parseArgs({ options: { demo: { type: 'boolean' } } });
const env = readEnv();
const logger = createLogger({ level: env.LOG_LEVEL, pretty: env.NODE_ENV !== 'production' });
const ADMIN_DIR = 'admin/dist';

// Development and demo convenience: a fresh clone builds its admin on first start, in the background.
// Production (and test processes) build beforehand (`npm run build`).
let build: ChildProcess | undefined;
if (env.NODE_ENV === 'development' && !existsSync(`${ADMIN_DIR}/index.html`)) {
  logger.info('Building the admin in the background (first start only)...');
  // Into a side folder, then renamed: the admin is served only once it is whole.
  const building = 'admin/.dist-building';
  build = spawn('npx', ['vite', 'build', '--config', 'admin/vite.config.ts', '--logLevel', 'warn', '--outDir', '.dist-building'], { stdio: 'inherit' });
  build.once('exit', (code) => {
    build = undefined;
    if (code !== 0) return logger.error('The admin build failed; see above (retry with `npm run build`).');
    rmSync(ADMIN_DIR, { recursive: true, force: true });
    renameSync(building, ADMIN_DIR);
    logger.info('The admin is built.');
  });
}

exportTuning.timeLimitMs = env.EXPORT_TIME_LIMIT_MS;

const starting = startMilkrun({
  open: () => openMigrated({ url: env.DATABASE_URL, migrationUrl: env.MIGRATION_DATABASE_URL, dir: env.PGLITE_DIR, offThread: true, statementTimeoutMs: env.STATEMENT_TIMEOUT_MS, max: env.DATABASE_POOL_MAX }),
  demo: args.demo ? true : env.MILKRUN_DEMO,
  loadDemo: (db, progress) => seedDemo(db, { scale: 1, seed: 20260401, historyDays: 90, log: (l) => logger.info(l), progress }),
  logger,
  adminDir: ADMIN_DIR,
  secureCookie: env.COOKIE_SECURE,
  corsOrigins: env.CORS_ORIGINS,
  appSecret: env.APP_SECRET,
  webhookSecrets: [env.RAZORPAY_WEBHOOK_SECRET, ...(env.RAZORPAY_WEBHOOK_SECRET_PREVIOUS ? [env.RAZORPAY_WEBHOOK_SECRET_PREVIOUS] : [])],
  // No gateway client yet: in production gateway refunds are refused (and failed), never faked.
  refundProvider: env.NODE_ENV === 'production' ? refusingRefundProvider : undefined,
  mapTiles: { url: env.MAP_TILE_URL, attribution: env.MAP_TILE_ATTRIBUTION },
  metricsToken: env.METRICS_TOKEN,
  whatsappAppSecret: env.WHATSAPP_APP_SECRET ?? null,
  whatsappVerifyToken: env.WHATSAPP_VERIFY_TOKEN ?? null,
});

// Where the outbox's messages go: WhatsApp's Cloud API when configured; in production an unconfigured channel fails
// its messages (they dead-letter, visible and replayable in the admin), elsewhere the local fake "sends" them.
const fake = fakeProvider({ name: 'local-fake' });
const notificationProviders: Providers = {
  whatsapp:
    env.WHATSAPP_API_URL && env.WHATSAPP_TOKEN
      ? whatsappHttpProvider({ url: env.WHATSAPP_API_URL, token: env.WHATSAPP_TOKEN })
      : env.NODE_ENV === 'production'
        ? unconfiguredProvider('whatsapp', 'set WHATSAPP_API_URL and WHATSAPP_TOKEN')
        : fake,
  email: env.NODE_ENV === 'production' ? unconfiguredProvider('email', 'no email provider is built yet') : fake,
  sms: env.NODE_ENV === 'production' ? unconfiguredProvider('sms', 'no SMS provider is built yet') : fake,
};
const server = serve({ fetch: starting.fetch, port: env.PORT }, (info) => logger.info(`Listening on http://localhost:${info.port}; preparing the database...`));

let stopJobs: (() => void) | undefined;
starting.ready.then(
  async ({ database, noUsers }) => {
    // Background work that goes through the database (any number of API processes may run it; MILKRUN_JOBS=0 leaves
    // it to others, the hourly data-health run too). Every process writes its own request counts and checks the alert
    // rules, jobs or not.
    const stopAlerts = scheduleAlerts(database.db, logger, { startDataHealth: env.MILKRUN_JOBS });
    const stopBackground = env.MILKRUN_JOBS ? scheduleJobs(database.db) : undefined;
    if (!stopBackground) logger.info('Background jobs are off in this process (MILKRUN_JOBS=0): another process must run them.');
    stopJobs = () => {
      stopAlerts();
      stopBackground?.();
    };
    const url = `http://localhost:${env.PORT}`;
    const where = env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${env.PGLITE_DIR}`;
    console.log(`\nMilkrun is running at ${url}  (database: ${where})`);
    console.log(`API docs: ${url}/api/docs`);
    const [demoAdmin] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, demoUsers[0].email));
    if (demoAdmin) console.log(`Demo logins (password "${DEMO_PASSWORD}"): ${demoUsers.map((u) => u.email).join(', ')}`);
    if (noUsers) {
      console.log('\nNo users yet. Create the first admin (the password is asked for, at least 10 characters):');
      console.log('  npm run user:create -- --email you@company.in --name "Your Name" --role admin');
    }
    console.log('');
    if (database.kind === 'postgres') {
      const { superuser } = oneRow<{ superuser: boolean }>(await database.db.execute(sql`select rolsuper as superuser from pg_roles where rolname = current_user`));
      if (superuser) logger.warn('The API is connected to PostgreSQL as a superuser, which could TRUNCATE billing or disable its triggers: connect as a login in the milkrun_app role (README, PostgreSQL).');
    }
  },
  (err: unknown) => {
    logger.fatal({ err }, 'Start-up failed');
    void shutdown('start-up failure', 1);
  },
);

/** Starts this process's background jobs (MILKRUN_JOBS); returns the function that stops them. */
function scheduleJobs(db: Database['db']): () => void {
  const stopExpiry = scheduleWalletExpiry(db, logger);
  const stopScan = scheduleSettlementScan(db, logger);
  const stopEscalation = scheduleSlaEscalation(db, logger);
  const stopPrune = schedulePositionsPrune(db, logger, env.POSITION_RETENTION_DAYS);
  const stopWriteOff = scheduleExpiryWriteOff(db, logger);
  const exportJobs = scheduleExportJobs(db, logger);
  const notificationJobs = scheduleNotifications(db, logger, notificationProviders);
  notificationWorker.kick = notificationJobs.kick;
  exportWorker.kick = exportJobs.kick;
  exportJobs.kick();
  return () => {
    stopExpiry();
    stopScan();
    stopEscalation();
    stopPrune();
    stopWriteOff();
    exportJobs.stop();
    notificationJobs.stop();
  };
}

let stopping = false;
async function shutdown(reason: string, code = 0) {
  if (stopping) return;
  stopping = true;
  logger.info({ reason }, 'shutting down');
  server.close();
  stopJobs?.();
  build?.kill();
  await starting.database()?.close();
  process.exit(code);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
