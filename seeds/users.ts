import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { roles, userRoles, users } from '../db/schema/index.js';
import { hashPassword } from '../api/modules/auth/auth.service.js';

export const DEMO_PASSWORD = 'milkrun';
export const demoUsers = [
  { email: 'admin@milkrun.test', name: 'Asha Admin', role: 'admin' },
  { email: 'finance@milkrun.test', name: 'Farhan Finance', role: 'finance' },
  { email: 'support@milkrun.test', name: 'Sunita Support', role: 'support' },
  { email: 'manager@milkrun.test', name: 'Manoj Manager', role: 'manager' },
] as const;

/** Creates a user with the given roles; used by the demo seed, the tests and `npm run user:create`. */
export async function createUser(db: Db, input: { email: string; name: string; password: string; roles: string[] }): Promise<string> {
  const password_hash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ email: input.email.toLowerCase(), name: input.name, password_hash })
      .returning({ id: users.id });
    const found = await tx.select({ id: roles.id, name: roles.name }).from(roles).where(inArray(roles.name, input.roles));
    const missing = input.roles.filter((r) => !found.some((f) => f.name === r));
    if (missing.length) throw new Error(`Unknown role(s): ${missing.join(', ')}`);
    if (found.length) await tx.insert(userRoles).values(found.map((r) => ({ user_id: user.id, role_id: r.id })));
    return user.id;
  });
}

/**
 * The demo logins, made once. Their roles do not require a second factor here (the migrations make admin and finance
 * require it, as a real deployment wants): a demo must open with the password from the README alone.
 */
export async function ensureDemoUsers(db: Db): Promise<Record<string, string>> {
  await db.update(roles).set({ requires_totp: false }).where(inArray(roles.name, demoUsers.map((u) => u.role)));
  const ids: Record<string, string> = {};
  for (const u of demoUsers) {
    const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, u.email));
    ids[u.role] = existing?.id ?? (await createUser(db, { email: u.email, name: u.name, password: DEMO_PASSWORD, roles: [u.role] }));
  }
  return ids;
}
