import { createRoute, z } from '@hono/zod-openapi';
import { jsonBody, ok, sessionRoute, type Router } from '../../lib/http.js';
import { confirmTotp, disableTotp, enrolTotp, RECOVERY_CODE_COUNT } from './totp.service.js';

const TotpCode = z.string().trim().regex(/^\d{6}$/, 'The code is the 6 digits your authenticator app shows.');
const RecoveryCode = z.string().trim().min(1, 'Enter a recovery code.').max(64, 'A recovery code has at most 64 characters.');

const Enrolment = z
  .object({
    secret: z.string().openapi({ description: 'Base32 (RFC 4648) secret, to type into an authenticator app; shown this once' }),
    otpauth_url: z.string().openapi({ description: 'otpauth://totp/... URI for the QR code (SHA-1, 6 digits, 30 s)' }),
    recovery_codes: z.array(z.string()).openapi({ description: `${RECOVERY_CODE_COUNT} one-time codes, shown this once (stored hashed)` }),
  })
  .openapi('TotpEnrolment');

const ConfirmBody = z.object({ code: TotpCode }).strict();
const DisableBody = z
  .object({ code: TotpCode.optional(), recovery_code: RecoveryCode.optional() })
  .strict()
  .refine((b) => Boolean(b.code) !== Boolean(b.recovery_code), 'Send either code (from your authenticator app) or recovery_code.');

/** Enrolment of the signed-in user's own second factor: any signed-in user, for themselves only. */
export function mountTotp(app: Router) {
  app.openapi(
    createRoute({
      ...sessionRoute,
      method: 'post',
      path: '/api/auth/totp/enroll',
      tags: ['auth'],
      summary: 'Start (or restart) two-factor enrolment: a new secret and recovery codes, in force once confirmed',
      responses: ok(Enrolment, 'The secret and recovery codes, shown this once'),
    }),
    async (c) => c.json(await enrolTotp(c.get('ctx'), c.get('secrets')), 200),
  );
  app.openapi(
    createRoute({
      ...sessionRoute,
      method: 'post',
      path: '/api/auth/totp/confirm',
      tags: ['auth'],
      summary: 'Confirm the enrolment with a first code of the authenticator app',
      request: jsonBody(ConfirmBody),
      responses: ok(z.object({ totp_enabled: z.literal(true) }), 'Two-factor sign-in is on'),
    }),
    async (c) => c.json(await confirmTotp(c.get('ctx'), c.get('secrets'), c.req.valid('json').code), 200),
  );
  app.openapi(
    createRoute({
      ...sessionRoute,
      method: 'delete',
      path: '/api/auth/totp',
      tags: ['auth'],
      summary: 'Turn two-factor sign-in off, with a current code or a recovery code',
      request: jsonBody(DisableBody),
      responses: ok(z.object({ totp_enabled: z.literal(false) }), 'Two-factor sign-in is off'),
    }),
    async (c) => c.json(await disableTotp(c.get('ctx'), c.get('secrets'), c.req.valid('json')), 200),
  );
}
