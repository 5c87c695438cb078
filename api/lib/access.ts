import type { Actor, Permission } from './context.js';
import { forbidden, unauthorized } from './errors.js';

export type Action = 'list' | 'show' | 'create' | 'edit' | 'delete' | (string & {});

/** The same rule the admin's access-control provider applies to what /api/auth/me returns. */
export function findPermission(permissions: Permission[], resource: string, action: Action): Permission | undefined {
  return permissions.find(
    (p) => (p.resource === '*' || p.resource === resource) && (p.action === '*' || p.action === action),
  );
}

export function assertCan(actor: Actor | null, resource: string, action: Action): Permission {
  if (!actor) throw unauthorized();
  const permission = findPermission(actor.permissions, resource, action);
  if (!permission) throw forbidden(`Your role may not ${action} ${resource.replace(/-/g, ' ')}.`);
  return permission;
}
