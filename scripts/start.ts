import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { createApp } from '../api/app.js';
import { readEnv } from '../api/lib/env.js';
import { createLogger } from '../api/lib/logger.js';
import { openDatabase } from '../db/client.js';
import { isEmpty, seedDemo } from '../seeds/demo.js';
import { demoUsers, DEMO_PASSWORD } from '../seeds/users.js';

// `npm start`: migrate, load the demo business into an empty database, build the admin once, serve both.
const env = readEnv();
const logger = createLogger({ level: env.LOG_LEVEL, pretty: env.NODE_ENV !== 'production' });

if (!existsSync('admin/dist/index.html')) {
  logger.info('Building the admin (first start only)...');
  const build = spawnSync('npx', ['vite', 'build', '--config', 'admin/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('The admin build failed; see above.');
}

const database = await openDatabase({ url: env.DATABASE_URL, dir: env.PGLITE_DIR });
await database.migrate();
if (await isEmpty(database.db)) {
  logger.info('Empty database: loading the demo business...');
  await seedDemo(database.db, { scale: 1, seed: 20260401, historyDays: 90, log: (l) => logger.info(l) });
}

const app = createApp({ database, logger, adminDir: 'admin/dist', secureCookie: env.COOKIE_SECURE, corsOrigins: env.CORS_ORIGINS });
const server = serve({ fetch: app.fetch, port: env.PORT }, (info) => {
  const where = env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${env.PGLITE_DIR}`;
  console.log(`\nMilkrun is running at http://localhost:${info.port}  (database: ${where})`);
  console.log(`API docs: http://localhost:${info.port}/api/docs`);
  console.log(`Demo logins (password "${DEMO_PASSWORD}"): ${demoUsers.map((u) => u.email).join(', ')}\n`);
});

async function shutdown(signal: string) {
  logger.info({ signal }, 'shutting down');
  server.close();
  await database.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
