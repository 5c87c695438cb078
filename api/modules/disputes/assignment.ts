import { sql } from 'drizzle-orm';
import type { Ctx } from '../../lib/context.js';
import { rowsOf } from '../../lib/sql.js';

/**
 * The next support user in turn for a new dispute (round-robin among active users holding the support role, in id
 * order, after the one given the last dispute), or null when there is none. The rotation's row is locked for the rest
 * of the caller's transaction: two disputes opened at once in two API processes take turns here and go to two
 * different people (without the lock both would read the same "last" and pick the same next one).
 */
export async function nextSupportAssignee(tx: Ctx): Promise<string | null> {
  const [rotation] = rowsOf<{ last_user_id: string | null }>(await tx.db.execute(sql`select last_user_id from assignment_rotation where queue = 'disputes' for update`));
  const [next] = rowsOf<{ id: string }>(
    await tx.db.execute(sql`
      with team as (
        select u.id from users u
        where u.is_active and exists (select 1 from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = u.id and r.name = 'support')
      )
      select id from (
        (select id from team where id > ${rotation?.last_user_id ?? null}::uuid order by id limit 1)
        union all
        (select id from team order by id limit 1)
      ) x limit 1`),
  );
  if (!next) return null;
  // The row exists from the migration; a database restored without it gets it back here.
  await tx.db.execute(sql`insert into assignment_rotation (queue, last_user_id, updated_at) values ('disputes', ${next.id}, now())
    on conflict (queue) do update set last_user_id = excluded.last_user_id, updated_at = excluded.updated_at`);
  return next.id;
}
