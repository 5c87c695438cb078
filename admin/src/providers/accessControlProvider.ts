import type { AccessControlProvider } from '@refinedev/core';
import { allows, getMe } from './session';

export const accessControlProvider: AccessControlProvider = {
  can: async ({ resource, action }) => {
    const me = await getMe().catch(() => null);
    if (!resource) return { can: true };
    const can = allows(me, resource, action);
    return can ? { can } : { can, reason: `Your role may not ${action} ${resource.replace(/-/g, ' ')}.` };
  },
  options: {
    buttons: { enableAccessControl: true, hideIfUnauthorized: true },
    queryOptions: { staleTime: 5 * 60_000 },
  },
};
