import type { AccessControlProvider } from '@refinedev/core';
import { formatPaise } from '../format';
import { getMe, grantFor } from './session';

export const accessControlProvider: AccessControlProvider = {
  can: async ({ resource, action, params }) => {
    const me = await getMe().catch(() => null);
    if (!resource) return { can: true };
    // A page of one's own (Profile): every signed-in user, whatever their grants.
    if (params?.resource?.meta?.everyone) return { can: Boolean(me) };
    // A page of one's own work with one action (Exports: one's background downloads): whoever may do it on anything.
    const anyWith = params?.resource?.meta?.anyResourceWith;
    if (typeof anyWith === 'string') {
      const can = Boolean(me && !me.totp_enrolment_required && me.permissions.some((p) => p.action === '*' || p.action === anyWith));
      return can ? { can } : { can, reason: `Your role may not ${anyWith} anything.` };
    }
    // A page without an API resource of its own (the dashboard) names the permission it reads with: meta.accessAs.
    const as = params?.resource?.meta?.accessAs;
    // A one-record page (settings) opens from the menu as a list but needs another action on it: meta.accessAction.
    const instead = params?.resource?.meta?.accessAction;
    const act = action === 'list' && typeof instead === 'string' ? instead : action;
    const grant = grantFor(me, typeof as === 'string' ? as : resource, act);
    if (!grant) return { can: false, reason: `Your role may not ${action} ${resource.replace(/-/g, ' ')}.` };
    // A money verb asked with the amount at stake (params.amount_paise): a grant's limit refuses more, as the API does.
    const limit = (grant.conditions as { max_amount_paise?: number } | null)?.max_amount_paise;
    const amount = params?.amount_paise;
    if (limit !== undefined && typeof amount === 'number' && amount > limit) {
      return { can: false, reason: `Your role may ${action} ${resource.replace(/-/g, ' ')} up to ${formatPaise(limit)}; this is ${formatPaise(amount)}.` };
    }
    return { can: true };
  },
  options: {
    buttons: { enableAccessControl: true, hideIfUnauthorized: true },
    queryOptions: { staleTime: 5 * 60_000 },
  },
};
