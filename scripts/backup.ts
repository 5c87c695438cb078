import { parseArgs } from 'node:util';
import { readEnv } from '../api/lib/env.js';
import { backupPglite, backupPostgres } from './lib/backup.js';

// `npm run backup -- FILE`: PostgreSQL (MIGRATION_DATABASE_URL, else DATABASE_URL) as a pg_dump custom-format file,
// taken while the API runs; or the embedded PGlite in PGLITE_DIR as its data folder's tarball, with the API stopped.
const { positionals } = parseArgs({ allowPositionals: true });
const file = positionals[0];
if (!file || positionals.length > 1) {
  console.error('Usage: npm run backup -- FILE   (e.g. backups/milkrun-$(date +%F).dump)');
  process.exit(2);
}
const env = readEnv();
const url = env.MIGRATION_DATABASE_URL ?? env.DATABASE_URL;
const started = Date.now();
try {
  if (url) await backupPostgres(url, file);
  else await backupPglite(env.PGLITE_DIR, file);
} catch (err) {
  console.error(`The backup failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
console.log(`Backed up ${url ? 'PostgreSQL' : `PGlite in ${env.PGLITE_DIR}`} to ${file} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
