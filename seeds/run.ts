import { parseArgs } from 'node:util';
import { openMigrated } from '../db/client.js';
import { readEnv } from '../api/lib/env.js';
import { isEmpty, seedDemo } from './demo.js';

// `npm run seed` (demo size) or `npm run seed -- --scale N [--days D]`; refuses to seed a database that already has customers.
const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, seed: { type: 'string', default: '20260401' }, days: { type: 'string', default: '90' } } });
const scale = Number(values.scale);
if (!Number.isInteger(scale) || scale < 1) throw new Error('--scale must be a whole number >= 1');
const env = readEnv();
const database = await openMigrated({ url: env.DATABASE_URL, migrationUrl: env.MIGRATION_DATABASE_URL, dir: env.PGLITE_DIR });
if (!(await isEmpty(database.db))) {
  console.error('The database already has customers; seed an empty database (delete .data/pglite or use a new DATABASE_URL).');
  await database.close();
  process.exit(1);
}
const started = Date.now();
await seedDemo(database.db, { scale, seed: Number(values.seed), historyDays: Number(values.days), log: (l) => console.log(l) });
console.log(`Seeded scale ${scale} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
await database.close();
