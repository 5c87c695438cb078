import type { AccessControlProvider } from '@refinedev/core';
import { allows, getMe } from './session';

export const accessControlProvider: AccessControlProvider = {
  can: async ({ resource, action, params }) => {
    const me = await getMe().catch(() => null);
    if (!resource) return { can: true };
    // A page of one's own (Profile): every signed-in user, whatever their grants.
    if (params?.resource?.meta?.everyone) return { can: Boolean(me) };
    // A page without an API resource of its own (the dashboard) names the permission it reads with: meta.accessAs.
    const as = params?.resource?.meta?.accessAs;
    // A one-record page (settings) opens from the menu as a list but needs another action on it: meta.accessAction.
    const instead = params?.resource?.meta?.accessAction;
    const act = action === 'list' && typeof instead === 'string' ? instead : action;
    const can = allows(me, typeof as === 'string' ? as : resource, act);
    return can ? { can } : { can, reason: `Your role may not ${action} ${resource.replace(/-/g, ' ')}.` };
  },
  options: {
    buttons: { enableAccessControl: true, hideIfUnauthorized: true },
    queryOptions: { staleTime: 5 * 60_000 },
  },
};
