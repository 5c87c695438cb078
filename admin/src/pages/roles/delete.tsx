import { DeleteButton } from '@refinedev/antd';
import type { HttpError } from '@refinedev/core';
import type { Role } from '../../types';

/**
 * Delete, after a confirmation. Not offered for the admin role (it cannot be deleted). A role someone still holds is
 * refused by the API (409): its message, which says how many hold it, is the notice shown.
 */
export function RoleDeleteButton({ role, hideText, onSuccess }: { role: Role; hideText?: boolean; onSuccess?: () => void }) {
  if (role.name === 'admin') return null;
  const held = role.member_count > 0 ? ` ${role.member_count === 1 ? 'One user holds' : `${role.member_count} users hold`} it: take it from them first.` : '';
  return (
    <DeleteButton
      resource="roles"
      hideText={hideText}
      size={hideText ? 'small' : undefined}
      recordItemId={role.id}
      confirmTitle={`Delete the role "${role.name}"?${held}`}
      confirmOkText="Delete"
      onSuccess={onSuccess}
      successNotification={{ type: 'success', message: `Role ${role.name} deleted` }}
      errorNotification={(error) => ({ type: 'error', description: `Could not delete ${role.name}`, message: (error as HttpError | undefined)?.message ?? 'The server did not answer.' })}
      data-testid={`delete-role-${role.name}`}
    />
  );
}
