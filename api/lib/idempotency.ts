import { and, eq } from 'drizzle-orm';
import { idempotencyKeys } from '../../db/schema/index.js';
import { transaction, type Ctx } from './context.js';
import { unprocessable } from './errors.js';

export interface StoredAnswer<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/**
 * Runs `effect` once per Idempotency-Key and user: the key is claimed in the same transaction as the effect,
 * so a concurrent retry waits for the first to commit and then gets its answer; a failed attempt leaves no claim.
 */
export async function idempotent<T>(ctx: Ctx, key: string | undefined, scope: string, effect: (ctx: Ctx) => Promise<{ status: number; body: T }>): Promise<StoredAnswer<T>> {
  if (!key) return { ...(await transaction(ctx, effect)), replayed: false };
  if (key.length > 200) throw unprocessable('The Idempotency-Key must be at most 200 characters.', 'bad_idempotency_key');
  const userId = ctx.actor!.id;
  return transaction(ctx, async (tx) => {
    const claimed = await tx.db
      .insert(idempotencyKeys)
      .values({ key, user_id: userId, scope })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (!claimed.length) {
      const [stored] = await tx.db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.key, key), eq(idempotencyKeys.user_id, userId)));
      if (stored.scope !== scope) throw unprocessable('This Idempotency-Key was already used for a different request.', 'idempotency_key_reused');
      return { status: stored.status ?? 200, body: JSON.parse(stored.response ?? 'null') as T, replayed: true };
    }
    const answer = await effect(tx);
    await tx.db
      .update(idempotencyKeys)
      .set({ status: answer.status, response: JSON.stringify(answer.body) })
      .where(and(eq(idempotencyKeys.key, key), eq(idempotencyKeys.user_id, userId)));
    return { ...answer, replayed: false };
  });
}
