import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { openMigrated } from '../db/client.js';
import { users } from '../db/schema/index.js';
import { readEnv } from '../api/lib/env.js';
import { resetTwoFactor } from '../api/modules/access/users.service.js';

// npm run user:reset-two-factor -- --email a@b.in: the last resort when the only admin lost their phone and their
// recovery codes (any other user is reset by an admin on their user page). Needs the server's shell and database.
const { values } = parseArgs({ options: { email: { type: 'string' } } });
if (!values.email) {
  console.error('Usage: npm run user:reset-two-factor -- --email you@company.in');
  process.exit(2);
}
const env = readEnv();
const database = await openMigrated({ url: env.DATABASE_URL, migrationUrl: env.MIGRATION_DATABASE_URL, dir: env.PGLITE_DIR });
try {
  const [user] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, values.email.toLowerCase()));
  if (!user) throw new Error(`No user has the email ${values.email}.`);
  // Audited with no user (the shell, not a session, did it) and a request id that says so.
  const { sessions_ended } = await resetTwoFactor({ db: database.db, inTx: false, actor: null, requestId: 'cli:user-reset-two-factor', log: pino({ level: 'silent' }) }, user.id);
  console.log(`Two-factor sign-in of ${values.email} is off (${sessions_ended} session(s) ended): they sign in with their password and enrol again.`);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
} finally {
  await database.close();
}
