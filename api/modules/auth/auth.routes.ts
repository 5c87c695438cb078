import { createRoute, z } from '@hono/zod-openapi';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { ok, publicRoute, type Router, sessionRoute } from '../../lib/http.js';
import { unauthorized } from '../../lib/errors.js';
import { login, logout, SESSION_TTL_MS } from './auth.service.js';
import { Actor } from '../access/access.schemas.js';
import type { Actor as ContextActor } from '../../lib/context.js';

export const SESSION_COOKIE = 'milkrun_session';

const LoginBody = z.object({
  email: z.string().trim().min(1, 'Enter your email.').max(254, 'An email has at most 254 characters.').email('Enter a valid email.'),
  // Bounded: argon2 hashes whatever it is given, and a megabyte password would only cost us time.
  password: z.string().min(1, 'Enter your password.').max(1000, 'A password has at most 1000 characters.'),
  // The second factor of an enrolled user (without one: 401 totp_required): a code of the app or a recovery code.
  totp: z.string().trim().regex(/^\d{6}$/, 'The code is the 6 digits your authenticator app shows.').optional(),
  recovery_code: z.string().trim().min(1).max(64, 'A recovery code has at most 64 characters.').optional(),
});

/** The client's address: the first X-Forwarded-For hop behind a proxy, else the socket's peer (none in app.request()). */
function clientIp(c: Context): string {
  const forwarded = c.req.header('x-forwarded-for')?.split(',')[0].trim();
  if (forwarded) return forwarded;
  try {
    return getConnInfo(c).remote.address ?? '';
  } catch {
    return '';
  }
}

/** The actor as login and me answer it: the session's own id stays inside (GET /api/sessions marks it current). */
const answer = ({ session_id: _, ...actor }: ContextActor) => actor;

export function mountAuth(app: Router, opts: { secureCookie: boolean }) {
  app.openapi(
    createRoute({
      ...publicRoute,
      method: 'post',
      path: '/api/auth/login',
      tags: ['auth'],
      request: { body: { content: { 'application/json': { schema: LoginBody } }, required: true } },
      responses: ok(Actor, 'Logged in; the session is in an httpOnly cookie'),
    }),
    async (c) => {
      const ip = clientIp(c);
      const user_agent = c.req.header('user-agent') ?? '';
      const { token, actor } = await login(c.get('ctx'), c.get('secrets'), { ...c.req.valid('json'), ip, user_agent });
      setCookie(c, SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: opts.secureCookie,
        path: '/',
        maxAge: SESSION_TTL_MS / 1000,
      });
      return c.json(answer(actor), 200);
    },
  );
  app.openapi(
    createRoute({ ...publicRoute, method: 'post', path: '/api/auth/logout', tags: ['auth'], responses: ok(z.object({ ok: z.literal(true) }), 'Logged out') }),
    async (c) => {
      await logout(c.get('ctx'), getCookie(c, SESSION_COOKIE));
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.json({ ok: true }, 200);
    },
  );
  app.openapi(
    createRoute({ ...sessionRoute, method: 'get', path: '/api/auth/me', tags: ['auth'], responses: ok(Actor, 'The user, roles and permissions') }),
    (c) => {
      const actor = c.get('ctx').actor;
      if (!actor) throw unauthorized();
      return c.json(answer(actor), 200);
    },
  );
}
