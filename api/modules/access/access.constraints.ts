import type { ConstraintMeanings } from '../../lib/constraints.js';

// Constraints of users, roles and their grants, merged into the one table in api/lib/constraints.ts.
export const accessConstraints: ConstraintMeanings = {
  users_email_key: { status: 409, code: 'email_taken', message: 'A user with this email already exists.' },
  users_email_lowercase: { status: 422, code: 'bad_email', message: 'The email must be a valid lowercase address.' },
  roles_name_key: { status: 409, code: 'role_exists', message: 'A role with this name already exists.' },
  roles_name_format: { status: 422, code: 'bad_role_name', message: 'A role name is 2 to 40 lowercase letters, digits or _, starting with a letter.' },
  roles_admin_fixed: { status: 422, code: 'admin_role_fixed', message: 'The admin role cannot be renamed or deleted.' },
  permissions_admin_keeps_all: { status: 422, code: 'admin_keeps_all', message: 'The admin role keeps every permission (any action on any resource, without conditions).' },
  permissions_conditions_shape: { status: 400, code: 'bad_conditions', message: 'Conditions are {own?: true, zones?: true, max_amount_paise?: whole paise >= 0, step_up?: true}.' },
  permissions_role_resource_action_key: { status: 409, code: 'duplicate_permission', message: 'A role holds each permission once.' },
  user_zones_zone_id_fk: { status: 422, code: 'unknown_zone', message: 'That zone does not exist; choose one from the list.' },
  user_zones_user_id_fk: { status: 422, code: 'unknown_user', message: 'That user does not exist.' },
  user_roles_role_id_fk: { status: 422, code: 'unknown_role', message: 'That role does not exist.' },
  users_last_active_admin: {
    status: 409,
    code: 'last_admin',
    message: 'This is the last active admin: without one nobody could manage users, roles or settings. Make another user an admin first.',
  },
  password_links_used_once: { status: 410, code: 'link_used', message: 'This set-password link was already used: it works once.' },
  password_links_token_hash_key: { status: 409, code: 'duplicate', message: 'This set-password link exists already.' },
  password_links_token_hash_format: { status: 422, code: 'check_failed', message: 'A set-password link is stored as a SHA-256 of its token, never the token.' },
  password_links_expiry_window: { status: 422, code: 'check_failed', message: 'A set-password link expires after its creation and within 24 hours.' },
  password_links_used_in_time: { status: 422, code: 'check_failed', message: 'A set-password link is used between its creation and its expiry.' },
  password_links_user_id_fk: { status: 422, code: 'unknown_user', message: 'That user does not exist.' },
  password_links_created_by_fk: { status: 422, code: 'unknown_user', message: 'The admin who made the link does not exist.' },
};
