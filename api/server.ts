import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { readEnv } from './lib/env.js';
import { createLogger } from './lib/logger.js';
import { openDatabase } from '../db/client.js';

const env = readEnv();
const logger = createLogger({ level: env.LOG_LEVEL, pretty: env.NODE_ENV !== 'production' });
const database = await openDatabase({ url: env.DATABASE_URL, dir: env.PGLITE_DIR });
await database.migrate();
const app = createApp({ database, logger, adminDir: 'admin/dist', secureCookie: env.COOKIE_SECURE, corsOrigins: env.CORS_ORIGINS });
const server = serve({ fetch: app.fetch, port: env.PORT }, (info) => logger.info(`Milkrun API on http://localhost:${info.port}`));

async function shutdown(signal: string) {
  logger.info({ signal }, 'shutting down');
  server.close();
  await database.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
