import { createRoute } from '@hono/zod-openapi';
import { allowed, created, IdParam, jsonBody, ok, permit, publicRoute, type Router } from '../../lib/http.js';
import { User } from './access.schemas.js';
import { requireStepUp } from '../../lib/step-up.js';
import { CreatedUser, CreateUserBody, PasswordReset, PasswordSet, ResetPasswordBody, SetPasswordBody, TwoFactorReset, UpdateUserBody } from './users.schemas.js';
import { createUser, resetPassword, resetTwoFactor, setPasswordWithLink, updateUser } from './users.service.js';

// The user verbs (list and show are the generic routes in access.routes.ts). Admins only: the users permission.
export function mountUsers(app: Router) {
  app.openapi(
    createRoute({
      ...permit('users', 'create'),
      method: 'post',
      path: '/api/users',
      tags: ['users'],
      summary: 'Create a user with roles and a first password, or with a one-time set-password link (24 hours, works once)',
      request: jsonBody(CreateUserBody),
      responses: created(CreatedUser, 'The user; set_password_link is shown this once (only its hash is stored)'),
    }),
    async (c) => c.json(await createUser(allowed(c, 'users', 'create'), c.req.valid('json')), 201),
  );
  app.openapi(
    createRoute({
      ...permit('users', 'edit'),
      method: 'patch',
      path: '/api/users/{id}',
      tags: ['users'],
      summary: "Change a user's name, roles (replaced as a whole) or active flag; deactivating ends their sessions",
      request: { params: IdParam, ...jsonBody(UpdateUserBody) },
      responses: ok(User, 'The user after the change'),
    }),
    async (c) => c.json(await updateUser(allowed(c, 'users', 'edit'), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(
    createRoute({
      ...permit('users', 'reset_password'),
      method: 'post',
      path: '/api/users/{id}/reset-password',
      tags: ['users'],
      summary: "Reset a user's password to a new one or to a fresh one-time link; the old one stops working and their sessions end",
      request: { params: IdParam, ...jsonBody(ResetPasswordBody) },
      responses: ok(PasswordReset, 'Reset'),
    }),
    async (c) => c.json(await resetPassword(allowed(c, 'users', 'reset_password'), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(
    createRoute({
      ...permit('users', 'reset_password'),
      method: 'post',
      path: '/api/users/{id}/reset-two-factor',
      tags: ['users'],
      summary:
        "Turn off another user's two-factor sign-in (phone and recovery codes lost): their sessions end and they enrol again. Needs the acting admin's own fresh code (totp or X-TOTP)",
      request: { params: IdParam },
      responses: ok(TwoFactorReset, 'Reset'),
    }),
    async (c) => {
      const ctx = allowed(c, 'users', 'reset_password');
      const { id } = c.req.valid('param');
      await requireStepUp(c);
      return c.json(await resetTwoFactor(ctx, id), 200);
    },
  );
  app.openapi(
    createRoute({
      ...publicRoute,
      method: 'post',
      path: '/api/auth/set-password',
      tags: ['auth'],
      summary: 'Set your password with a one-time link an admin gave you (no session needed; the link works once)',
      request: jsonBody(SetPasswordBody),
      responses: ok(PasswordSet, 'The password is set; log in with it'),
    }),
    async (c) => c.json(await setPasswordWithLink(c.get('ctx'), c.req.valid('json')), 200),
  );
}
