import type { Actor, Ctx, Permission } from './context.js';
import { forbidden, unauthorized } from './errors.js';

export type Action = 'list' | 'show' | 'create' | 'edit' | 'delete' | (string & {});

/** The same rule the admin's access-control provider applies to what /api/auth/me returns. */
export function findPermission(permissions: Permission[], resource: string, action: Action): Permission | undefined {
  const matching = permissions.filter(
    (p) => (p.resource === '*' || p.resource === resource) && (p.action === '*' || p.action === action),
  );
  // The broadest grant wins: a user with an unconditional grant is not narrowed by another role's conditions.
  return matching.find((p) => p.conditions == null) ?? matching[0];
}

export function assertCan(actor: Actor | null, resource: string, action: Action): Permission {
  if (!actor) throw unauthorized();
  const permission = findPermission(actor.permissions, resource, action);
  if (!permission) throw forbidden(`Your role may not ${action} ${resource.replace(/-/g, ' ')}.`);
  return permission;
}

/**
 * For a grant limited to the actor's own records (conditions {"own": true}, as delivery staff have), the staff id
 * it is limited to; null when the actor may see everyone's (or when a service runs without an actor, as seeds do).
 */
export function ownStaffScope(actor: Actor | null, resource: string, action: Action): string | null {
  if (!actor) return null;
  const permission = assertCan(actor, resource, action);
  if (!(permission.conditions as { own?: boolean } | null)?.own) return null;
  if (!actor.staff_id) throw forbidden('Your login is not linked to a staff member, so it has no deliveries of its own.');
  return actor.staff_id;
}

/**
 * The zones the request may reach when the grant that let it through is limited to the actor's zones (conditions
 * {"zones": true}, the user's zone_ids); null when it is not limited (or a service runs without an actor, as seeds do).
 */
export function zoneScope(ctx: Ctx): string[] | null {
  if (!ctx.actor || !(ctx.grant?.conditions as { zones?: boolean } | null)?.zones) return null;
  return ctx.actor.zone_ids ?? [];
}

/** Whether the request may reach a record of this zone (always, when its grant is not limited to zones). */
export function inZoneScope(ctx: Ctx, zoneId: string): boolean {
  const zones = zoneScope(ctx);
  return !zones || zones.includes(zoneId);
}
