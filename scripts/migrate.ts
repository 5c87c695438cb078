import { readEnv } from '../api/lib/env.js';
import { openMigrated } from '../db/client.js';

// `npm run migrate`: the migrations alone, as the owner (MIGRATION_DATABASE_URL, else DATABASE_URL; or PGLITE_DIR),
// before a deploy starts the new release's processes. The API still migrates at start: then it finds nothing to do.
const env = readEnv();
const started = Date.now();
try {
  const database = await openMigrated({ url: env.MIGRATION_DATABASE_URL ?? env.DATABASE_URL, dir: env.PGLITE_DIR, max: 1 });
  await database.close();
} catch (err) {
  console.error(`The migrations failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
console.log(`Migrated ${env.DATABASE_URL || env.MIGRATION_DATABASE_URL ? 'PostgreSQL' : `PGlite in ${env.PGLITE_DIR}`} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
