import { createRoute } from '@hono/zod-openapi';
import { sessions } from '../../../db/schema/index.js';
import { IdParam, listAnswer, ok, page, permit, sessionRoute, type Router } from '../../lib/http.js';
import { parseListQuery, type ListSpec } from '../../lib/rest.js';
import { EndedSessions, Session } from './sessions.schemas.js';
import { endOwnSession, endUserSessions, listOwnSessions } from './sessions.service.js';

// A user's own sessions: a handful each (they expire after 12 hours), read through sessions_user_id_idx.
const sessionList: ListSpec = {
  fields: {
    id: { column: sessions.id, type: 'uuid' },
    last_seen_at: { column: sessions.last_seen_at, type: 'timestamp', sortable: true },
    created_at: { column: sessions.created_at, type: 'timestamp', sortable: true },
  },
  defaultSort: { field: 'last_seen_at', order: 'desc' },
  maxPage: 100,
};

export function mountSessions(app: Router) {
  app.openapi(
    createRoute({
      ...sessionRoute,
      method: 'get',
      path: '/api/sessions',
      tags: ['sessions'],
      summary: "The signed-in user's own live sessions (browser, IP, last seen); this one has current: true",
      responses: page(Session),
    }),
    async (c) => {
      const ctx = c.get('ctx');
      return listAnswer(c, await listOwnSessions(ctx, await parseListQuery(new URL(c.req.url).searchParams, sessionList, ctx.db)));
    },
  );
  app.openapi(
    createRoute({
      ...sessionRoute,
      method: 'delete',
      path: '/api/sessions/{id}',
      tags: ['sessions'],
      summary: 'End one of your own sessions (audited); ending this one logs you out',
      request: { params: IdParam },
      responses: ok(EndedSessions, 'Ended'),
    }),
    async (c) => c.json(await endOwnSession(c.get('ctx'), c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({
      ...permit('users', 'end_sessions'),
      method: 'post',
      path: '/api/users/{id}/end-sessions',
      tags: ['users'],
      summary: "End every session of a user (audited): their next request answers 401",
      request: { params: IdParam },
      responses: ok(EndedSessions, 'Ended'),
    }),
    async (c) => c.json(await endUserSessions(c.get('ctx'), c.req.valid('param').id), 200),
  );
}
