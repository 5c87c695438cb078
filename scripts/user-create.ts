import { parseArgs } from 'node:util';
import { openMigrated } from '../db/client.js';
import { readEnv } from '../api/lib/env.js';
import { createUser } from '../seeds/users.js';
import { PASSWORD_HINT, passwordProblem } from '../shared/password.js';

// npm run user:create -- --email a@b.in --name "A B" --role finance [--role support]; password from MILKRUN_PASSWORD or a prompt.
const { values } = parseArgs({
  options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', multiple: true }, password: { type: 'string' } },
});
if (!values.email || !values.name || !values.role?.length) {
  console.error('Usage: npm run user:create -- --email you@company.in --name "Your Name" --role admin [--password ...]');
  process.exit(2);
}
let password = values.password;
if (!password) {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  password = await rl.question(`Password (${PASSWORD_HINT}): `);
  rl.close();
}
// The same rule as the API's (shared/password.ts): at least 10 characters, not the email, not a common password.
const problem = passwordProblem(password, values.email);
if (problem) {
  console.error(problem);
  process.exit(2);
}
const env = readEnv();
const database = await openMigrated({ url: env.DATABASE_URL, migrationUrl: env.MIGRATION_DATABASE_URL, dir: env.PGLITE_DIR });
const id = await createUser(database.db, { email: values.email, name: values.name, password, roles: values.role });
console.log(`Created user ${values.email} (${id}) with roles ${values.role.join(', ')}`);
await database.close();
