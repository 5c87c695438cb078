import { sql } from 'drizzle-orm';
import { bigint, boolean, check, foreignKey, index, integer, jsonb, pgSequence, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';
import { zones } from './customers.js';

// Each change of a role's permissions gives the role a new value from this sequence (migration 0063): an API process
// keeps the permission set of a (role, version) list it has seen, and the session lookup sends it only for a new one.
export const rolePermissionsVersionSeq = pgSequence('role_permissions_version_seq');

export const roles = pgTable(
  'roles',
  {
    id: id(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    // Members must enrol a second factor before anything else (api/app.ts lets them only enrol, confirm, me, logout).
    requires_totp: boolean('requires_totp').notNull().default(false),
    // Written only by the database: any change of it (and every insert) takes the sequence's next value.
    permissions_version: bigint('permissions_version', { mode: 'number' }).notNull().default(sql`nextval('role_permissions_version_seq')`),
    created_at: createdAt(),
  },
  (t) => [
    uniqueIndex('roles_name_key').on(t.name),
    // Lowercase words joined by _: names are typed on the command line (npm run user:create -- --role finance).
    check('roles_name_format', sql`${t.name} ~ '^[a-z][a-z0-9_]{1,39}$'`),
  ],
);

export const users = pgTable(
  'users',
  {
    id: id(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    password_hash: text('password_hash').notNull(),
    is_active: boolean('is_active').notNull().default(true),
    // Sealed with APP_SECRET (api/lib/secrets.ts); set at enrolment, in force only once confirmed with a first code.
    totp_secret: text('totp_secret'),
    totp_confirmed_at: timestamp('totp_confirmed_at', { withTimezone: true, mode: 'date' }),
    // The last 30-second step whose code was accepted: a code of that step or an earlier one is refused (replay).
    totp_last_step: integer('totp_last_step'),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    check('users_email_lowercase', sql`${t.email} = lower(${t.email}) and ${t.email} like '%_@_%'`),
    check('users_totp_confirmed_has_secret', sql`${t.totp_confirmed_at} is null or ${t.totp_secret} is not null`),
  ],
);

export const userRoles = pgTable(
  'user_roles',
  {
    user_id: uuid('user_id').notNull(),
    role_id: uuid('role_id').notNull(),
  },
  (t) => [
    primaryKey({ name: 'user_roles_pkey', columns: [t.user_id, t.role_id] }),
    foreignKey({ name: 'user_roles_user_id_fk', columns: [t.user_id], foreignColumns: [users.id] }).onDelete('cascade'),
    foreignKey({ name: 'user_roles_role_id_fk', columns: [t.role_id], foreignColumns: [roles.id] }).onDelete('restrict'),
    // Who holds a role: the users list's role filter and the last-admin trigger's count.
    index('user_roles_role_id_idx').on(t.role_id),
  ],
);

// The zones a user works in: a grant with conditions {"zones": true} reaches only customers (and their addresses,
// subscriptions, orders and deliveries) of these zones. A zone deleted leaves nobody's list (cascade).
export const userZones = pgTable(
  'user_zones',
  {
    user_id: uuid('user_id').notNull(),
    zone_id: uuid('zone_id').notNull(),
  },
  (t) => [
    primaryKey({ name: 'user_zones_pkey', columns: [t.user_id, t.zone_id] }),
    foreignKey({ name: 'user_zones_user_id_fk', columns: [t.user_id], foreignColumns: [users.id] }).onDelete('cascade'),
    foreignKey({ name: 'user_zones_zone_id_fk', columns: [t.zone_id], foreignColumns: [zones.id] }).onDelete('cascade'),
    index('user_zones_zone_idx').on(t.zone_id),
  ],
);

// Permissions are data: a role may do an action on a resource ('*' matches any), with optional conditions:
// {own?: true, zones?: true, max_amount_paise?: integer >= 0, step_up?: true} (api/lib/permission-catalog.ts).
// The admin role keeps its '*'/'*' grant (trigger permissions_admin_keeps_all, migration roles_as_data).
export const permissions = pgTable(
  'permissions',
  {
    id: id(),
    role_id: uuid('role_id').notNull(),
    resource: text('resource').notNull(),
    action: text('action').notNull(),
    conditions: jsonb('conditions'),
    created_at: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'permissions_role_id_fk', columns: [t.role_id], foreignColumns: [roles.id] }).onDelete('cascade'),
    uniqueIndex('permissions_role_resource_action_key').on(t.role_id, t.resource, t.action),
    // CASE, not AND, before the object operators and the cast: they must only see an object and a JSON number (AND
    // does not promise an order of evaluation, and `5 - 'own'` or 'x'::numeric would raise instead of refusing).
    check(
      'permissions_conditions_shape',
      sql`case when ${t.conditions} is null then true
        when jsonb_typeof(${t.conditions}) <> 'object' or ${t.conditions} = '{}'::jsonb then false
        when ${t.conditions} - 'own' - 'zones' - 'max_amount_paise' - 'step_up' <> '{}'::jsonb then false
        when coalesce(${t.conditions} -> 'own' <> 'true'::jsonb, false) or coalesce(${t.conditions} -> 'zones' <> 'true'::jsonb, false)
          or coalesce(${t.conditions} -> 'step_up' <> 'true'::jsonb, false) then false
        when not ${t.conditions} ? 'max_amount_paise' then true
        when jsonb_typeof(${t.conditions} -> 'max_amount_paise') <> 'number' then false
        else (${t.conditions} ->> 'max_amount_paise')::numeric between 0 and 1000000000000
          and (${t.conditions} ->> 'max_amount_paise')::numeric = trunc((${t.conditions} ->> 'max_amount_paise')::numeric) end`,
    ),
  ],
);

// Only a hash of the session token is stored, so a leaked table does not leak sessions.
export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    token_hash: text('token_hash').notNull(),
    user_id: uuid('user_id').notNull(),
    // The browser and address it signed in from, so a person can tell their sessions apart.
    user_agent: text('user_agent').notNull().default(''),
    ip: text('ip').notNull().default(''),
    // Touched at most once a minute per session (api/app.ts), so a request costs no write.
    last_seen_at: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).defaultNow().notNull(),
    created_at: createdAt(),
    expires_at: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    uniqueIndex('sessions_token_hash_key').on(t.token_hash),
    foreignKey({ name: 'sessions_user_id_fk', columns: [t.user_id], foreignColumns: [users.id] }).onDelete('cascade'),
    index('sessions_user_id_idx').on(t.user_id, t.last_seen_at),
  ],
);

// Ten one-time codes per enrolment, stored as HMACs (api/lib/secrets.ts); a used code is deleted, so it is gone.
export const totpRecoveryCodes = pgTable(
  'totp_recovery_codes',
  {
    id: id(),
    user_id: uuid('user_id').notNull(),
    code_hash: text('code_hash').notNull(),
    created_at: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'totp_recovery_codes_user_id_fk', columns: [t.user_id], foreignColumns: [users.id] }).onDelete('cascade'),
    uniqueIndex('totp_recovery_codes_user_code_key').on(t.user_id, t.code_hash),
  ],
);

// Wrong codes sent by a signed-in user (step-up, confirm, disable), in the database so every API process shares the
// limit: a session alone must not be able to try a million codes. A right code deletes its claim (login: login_attempts).
export const totpAttempts = pgTable(
  'totp_attempts',
  {
    id: id(),
    user_id: uuid('user_id').notNull(),
    created_at: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'totp_attempts_user_id_fk', columns: [t.user_id], foreignColumns: [users.id] }).onDelete('cascade'),
    index('totp_attempts_user_created_idx').on(t.user_id, t.created_at),
  ],
);

// Failed logins live in the database so that any number of API processes share one rate limit.
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: id(),
    email: text('email').notNull(),
    ip: text('ip').notNull().default(''),
    succeeded: boolean('succeeded').notNull(),
    created_at: createdAt(),
  },
  (t) => [index('login_attempts_email_created_idx').on(t.email, t.created_at)],
);

// One-time set-password links: only a hash of the token is stored (a leaked table opens no account), a link lives
// at most 24 hours, and it is used at most once (used_at is set by one conditional UPDATE and never changes again).
export const passwordLinks = pgTable(
  'password_links',
  {
    id: id(),
    user_id: uuid('user_id').notNull(),
    token_hash: text('token_hash').notNull(),
    created_by: uuid('created_by'),
    created_at: createdAt(),
    expires_at: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    used_at: timestamp('used_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('password_links_token_hash_key').on(t.token_hash),
    index('password_links_user_id_idx').on(t.user_id),
    foreignKey({ name: 'password_links_user_id_fk', columns: [t.user_id], foreignColumns: [users.id] }).onDelete('cascade'),
    foreignKey({ name: 'password_links_created_by_fk', columns: [t.created_by], foreignColumns: [users.id] }).onDelete('set null'),
    // A SHA-256 in hex, never the token itself.
    check('password_links_token_hash_format', sql`${t.token_hash} ~ '^[0-9a-f]{64}$'`),
    check('password_links_expiry_window', sql`${t.expires_at} > ${t.created_at} and ${t.expires_at} <= ${t.created_at} + interval '24 hours'`),
    check('password_links_used_in_time', sql`${t.used_at} is null or (${t.used_at} >= ${t.created_at} and ${t.used_at} <= ${t.expires_at})`),
  ],
);
