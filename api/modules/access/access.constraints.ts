import type { ConstraintMeanings } from '../../lib/constraints.js';

// Constraints of users, roles and their grants, merged into the one table in api/lib/constraints.ts.
export const accessConstraints: ConstraintMeanings = {
  users_email_key: { status: 409, code: 'email_taken', message: 'A user with this email already exists.' },
  users_email_lowercase: { status: 422, code: 'bad_email', message: 'The email must be a valid lowercase address.' },
  roles_name_key: { status: 409, code: 'role_exists', message: 'A role with this name already exists.' },
  user_roles_role_id_fk: { status: 422, code: 'unknown_role', message: 'That role does not exist.' },
};
