import { readEnv } from '../api/lib/env.js';
import { dataHealth, formatHealthReport } from '../api/modules/health/health.service.js';
import { openMigrated, type Database } from '../db/client.js';

// `npm run check`: the data-health checks of the order -> delivery -> billing -> invoice chain, as a table.
// Uses DATABASE_URL, or the embedded PGlite in PGLITE_DIR (stop `npm start` first: PGlite has one user).
// Exits 1 when any check finds a broken row, 2 when the check itself could not run.
const env = readEnv();
let database: Database | undefined;
let exitCode = 0;
try {
  database = await openMigrated({ url: env.DATABASE_URL, migrationUrl: env.MIGRATION_DATABASE_URL, dir: env.PGLITE_DIR, max: 2 });
  const health = await dataHealth(database.db);
  console.log(`Data health of ${env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${env.PGLITE_DIR}`}\n`);
  console.log(formatHealthReport(health));
  exitCode = health.ok ? 0 : 1;
} catch (err) {
  console.error('The data-health check could not run:', err);
  exitCode = 2;
} finally {
  await database?.close();
}
process.exit(exitCode);
