import { parseArgs } from 'node:util';
import { readEnv } from '../api/lib/env.js';
import { RestoreRefused, restorePglite, restorePostgres } from './lib/backup.js';

// `npm run restore -- FILE`: into an empty database only (MIGRATION_DATABASE_URL, else DATABASE_URL; or a new
// PGLITE_DIR). Exits 1 when refused or failed; a non-empty target is never touched.
const { positionals } = parseArgs({ allowPositionals: true });
const file = positionals[0];
if (!file || positionals.length > 1) {
  console.error('Usage: npm run restore -- FILE   (into an empty database: see docs/operations.md)');
  process.exit(2);
}
const env = readEnv();
const url = env.MIGRATION_DATABASE_URL ?? env.DATABASE_URL;
const started = Date.now();
try {
  if (url) await restorePostgres(url, file);
  else await restorePglite(env.PGLITE_DIR, file);
} catch (err) {
  console.error(err instanceof RestoreRefused ? err.message : `The restore failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
console.log(`Restored ${file} into ${url ? `PostgreSQL database "${new URL(url).pathname.slice(1)}"` : `PGlite in ${env.PGLITE_DIR}`} in ${((Date.now() - started) / 1000).toFixed(1)} s. Next: npm run check`);
