import { and, eq, gt, sql } from 'drizzle-orm';
import { sessions, users } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { listRows, type ListPage, type Resource } from '../../lib/crud.js';
import { notFound, unauthorized } from '../../lib/errors.js';
import type { ListQuery } from '../../lib/rest.js';

const sessionResource: Resource = {
  name: 'sessions',
  label: 'Session',
  table: sessions,
  selection: {
    id: sessions.id,
    user_agent: sessions.user_agent,
    ip: sessions.ip,
    created_at: sessions.created_at,
    last_seen_at: sessions.last_seen_at,
    expires_at: sessions.expires_at,
  },
};

const live = gt(sessions.expires_at, sql`now()`);

/** The signed-in user's own live sessions (sessions_user_id_idx), this request's marked `current`. */
export async function listOwnSessions(ctx: Ctx, query: ListQuery): Promise<ListPage> {
  const actor = ctx.actor;
  if (!actor) throw unauthorized();
  const page = await listRows(ctx, sessionResource, { ...query, where: and(eq(sessions.user_id, actor.id), live, query.where) });
  return { ...page, rows: page.rows.map((row) => ({ ...row, current: row.id === actor.session_id })) };
}

/** What the audit log keeps of an ended session: where and when, not its token's hash. */
const auditedSession = {
  id: sessions.id,
  user_id: sessions.user_id,
  user_agent: sessions.user_agent,
  ip: sessions.ip,
  created_at: sessions.created_at,
  last_seen_at: sessions.last_seen_at,
};

/** Ends one of the user's own sessions (this one too: that is a log-out); someone else's is not found. */
export async function endOwnSession(ctx: Ctx, id: string): Promise<{ ended: number }> {
  const actor = ctx.actor;
  if (!actor) throw unauthorized();
  return transaction(ctx, async (tx) => {
    const [ended] = await tx.db
      .delete(sessions)
      .where(and(eq(sessions.id, id), eq(sessions.user_id, actor.id), live))
      .returning(auditedSession);
    if (!ended) throw notFound('Session');
    await audit(tx, { action: 'end_session', table: 'sessions', recordId: id, before: ended, after: null });
    return { ended: 1 };
  });
}

/** Ends every session of a user (an admin's action, e.g. a lost laptop): their next request is a 401. */
export async function endUserSessions(ctx: Ctx, userId: string): Promise<{ ended: number }> {
  return transaction(ctx, async (tx) => {
    const [user] = await tx.db.select({ id: users.id }).from(users).where(eq(users.id, userId));
    if (!user) throw notFound('User');
    const ended = await tx.db.delete(sessions).where(eq(sessions.user_id, userId)).returning(auditedSession);
    await audit(tx, {
      action: 'end_sessions',
      table: 'users',
      recordId: userId,
      before: { sessions: ended.length, ended },
      after: { sessions: 0 },
    });
    return { ended: ended.length };
  });
}
