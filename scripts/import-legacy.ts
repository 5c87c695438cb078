import { randomUUID } from 'node:crypto';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { readEnv } from '../api/lib/env.js';
import type { Actor, Ctx } from '../api/lib/context.js';
import { formatSummary, importLegacy } from '../api/modules/imports/imports.service.js';
import { openMigrated } from '../db/client.js';
import { users } from '../db/schema/index.js';

// npm run import:legacy -- <export-dir> [--dry-run] [--report file.json] [--batch-size 1000] [--actor admin@company.in] [--quiet]
const usage = 'Usage: npm run import:legacy -- <export-dir> [--dry-run] [--report report.json] [--batch-size 1000] [--actor you@company.in] [--quiet]';
let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      report: { type: 'string' },
      'batch-size': { type: 'string' },
      actor: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (err) {
  console.error(`${(err as Error).message}\n${usage}`);
  process.exit(2);
}
const { values, positionals } = parsed;
if (values.help || positionals.length !== 1) {
  console.error(usage);
  process.exit(values.help ? 0 : 2);
}
const dir = positionals[0];
if (!existsSync(dir) || !statSync(dir).isDirectory()) {
  console.error(`${dir} is not a folder. Point at the folder holding customers_v2.json, orders.json ...`);
  process.exit(2);
}
const batchSize = values['batch-size'] ? Number(values['batch-size']) : undefined;
if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)) {
  console.error('--batch-size must be a whole number from 1 to 10000.');
  process.exit(2);
}

const env = readEnv();
const started = Date.now();
const progress = values.quiet ? undefined : (message: string) => console.error(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}`);
const database = await openMigrated({ url: env.DATABASE_URL, migrationUrl: env.MIGRATION_DATABASE_URL, dir: env.PGLITE_DIR });
let code = 0;
try {
  let actor: Actor | null = null;
  if (values.actor) {
    const [u] = await database.db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.email, values.actor.toLowerCase()));
    if (!u) throw new Error(`No Milkrun user ${values.actor} (create one with npm run user:create).`);
    actor = { ...u, roles: [], permissions: [] };
  }
  const ctx: Ctx = { db: database.db, inTx: false, actor, requestId: `import-${randomUUID()}`, log: pino({ level: 'warn' }) };
  progress?.(`${values['dry-run'] ? 'dry run: nothing will be changed; ' : ''}reading ${dir} into ${database.kind === 'postgres' ? 'PostgreSQL' : `PGlite at ${env.PGLITE_DIR}`}`);
  const report = await importLegacy(ctx, { dir, dryRun: values['dry-run'], batchSize, progress });
  if (values.report) {
    writeFileSync(values.report, `${JSON.stringify(report, null, 2)}\n`);
    progress?.(`report written to ${values.report}`);
  }
  console.log(formatSummary(report));
} catch (err) {
  console.error(`Import failed: ${(err as Error).message}`);
  code = 1;
} finally {
  await database.close();
}
process.exit(code);
