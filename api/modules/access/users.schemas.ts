import { z } from '@hono/zod-openapi';
import { PASSWORD_HINT, PASSWORD_MAX_LENGTH } from '../../../shared/password.js';
import { User } from './access.schemas.js';

// Bodies of the user verbs. Strict: a field the verb does not change (email on PATCH, say) is a 400, not ignored.
// The password rule itself (length, not the email, not common) needs the email, so the service checks it.

const Name = z.string().trim().min(1, 'Enter a name.').max(120, 'A name has at most 120 characters.');
const RoleNames = z
  .array(z.string().trim().min(1, 'A role name is empty.').max(60, 'A role name has at most 60 characters.'), { message: 'roles is a list of role names.' })
  .max(20, 'At most 20 roles.')
  .refine((r) => new Set(r).size === r.length, 'A role is listed twice.')
  .openapi({ description: 'Role names, e.g. ["support"]' });
// The zones a user works in: grants with conditions {zones: true} reach only these (api/lib/access.ts zoneScope).
const ZoneIds = z
  .array(z.uuid('A zone id is a UUID.'), { message: 'zone_ids is a list of zone ids.' })
  .max(200, 'At most 200 zones.')
  .openapi({ description: 'The zones the user works in (for grants limited to own zones)' });
const Password = z.string().max(PASSWORD_MAX_LENGTH, `A password has at most ${PASSWORD_MAX_LENGTH} characters.`).openapi({ description: PASSWORD_HINT });

export const CreateUserBody = z
  .strictObject({
    name: Name,
    email: z.string().trim().toLowerCase().max(254, 'An email has at most 254 characters.').pipe(z.email('Enter a valid email.')),
    roles: RoleNames.min(1, 'Choose at least one role.'),
    is_active: z.boolean().optional(),
    zone_ids: ZoneIds.optional(),
    password: Password.optional(),
    send_link: z.boolean().optional().openapi({ description: 'Instead of a password: answer a one-time set-password link (24 hours, works once)' }),
  })
  .refine((b) => (b.password !== undefined) !== (b.send_link === true), {
    message: 'Give either a first password or send_link: true (a one-time set-password link), not both.',
    path: ['password'],
  })
  .openapi('UserCreate');
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UpdateUserBody = z
  .strictObject({ name: Name.optional(), roles: RoleNames.optional(), is_active: z.boolean().optional(), zone_ids: ZoneIds.optional() })
  .openapi('UserUpdate');
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

export const ResetPasswordBody = z
  .strictObject({ password: Password.optional(), send_link: z.boolean().optional() })
  .refine((b) => (b.password !== undefined) !== (b.send_link === true), {
    message: 'Give either a new password or send_link: true (a one-time set-password link), not both.',
    path: ['password'],
  })
  .openapi('ResetPassword');
export type ResetPasswordBody = z.infer<typeof ResetPasswordBody>;

export const SetPasswordBody = z
  .strictObject({
    token: z.string().min(1, 'The link has no token.').max(200, 'That is not a set-password token.'),
    password: Password,
  })
  .openapi('SetPassword');
export type SetPasswordBody = z.infer<typeof SetPasswordBody>;

/** A set-password link, answered once (only its hash is stored): the admin copies it to the user. */
export const PasswordLink = z
  .object({
    path: z.string().openapi({ example: '/set-password?token=...' }),
    token: z.string(),
    expires_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('PasswordLink');
export type PasswordLink = z.infer<typeof PasswordLink>;

export const CreatedUser = User.extend({ set_password_link: PasswordLink.nullable() }).openapi('CreatedUser');
export type CreatedUser = z.infer<typeof CreatedUser>;
export const PasswordReset = z
  .object({ user: User, set_password_link: PasswordLink.nullable(), sessions_ended: z.number().int() })
  .openapi('PasswordReset');
export type PasswordReset = z.infer<typeof PasswordReset>;
export const TwoFactorReset = z.object({ user: User, sessions_ended: z.number().int() }).openapi('TwoFactorReset');
export type TwoFactorReset = z.infer<typeof TwoFactorReset>;
export const PasswordSet = z.object({ ok: z.literal(true), email: z.string() }).openapi('PasswordSet');
