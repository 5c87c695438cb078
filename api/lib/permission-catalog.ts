import { z } from '@hono/zod-openapi';
import type { Permission } from './context.js';
import { AppError } from './errors.js';

/**
 * The resources and actions the API really checks: every route's permit() names its pair as the routes mount, so
 * this is never a hand-kept list that drifts from the routes. A role's permissions are validated against it and the
 * admin's permission matrix is drawn from it (GET /api/permissions/catalog).
 */
const mounted = new Map<string, Set<string>>();

export function catalogue(resource: string, actions: readonly string[]) {
  const known = mounted.get(resource) ?? new Set<string>();
  for (const action of actions) known.add(action);
  mounted.set(resource, known);
}

export const conditionKeys = ['own', 'zones', 'max_amount_paise', 'step_up'] as const;
export type ConditionKey = (typeof conditionKeys)[number];

/** A grant's conditions, one agreed shape (the CHECK permissions_conditions_shape says the same in SQL). */
export const Conditions = z
  .object({
    own: z.literal(true).optional().openapi({ description: "Only the actor's own records (the staff member linked to the login)" }),
    zones: z.literal(true).optional().openapi({ description: "Only records in the actor's zones (the user's zone_ids)" }),
    max_amount_paise: z.number().int().min(0).max(1_000_000_000_000).optional().openapi({ description: 'Money verbs: at most this amount, in paise' }),
    step_up: z.literal(true).optional().openapi({ description: 'Each request needs a fresh second-factor code (totp in the body or X-TOTP)' }),
  })
  .strict()
  .openapi('PermissionConditions');
export type Conditions = z.infer<typeof Conditions>;

const READS = new Set(['list', 'show']);
/** own: where the service narrows to the actor's staff member (api/lib/access.ts ownStaffScope). */
const OWN: Record<string, string[]> = { deliveries: ['list', 'show', 'confirm', 'fail'], 'run-sheets': ['list'], payments: ['list', 'show', 'create'], earnings: ['list', 'show'] };
/**
 * zones: where the services narrow to the actor's zones (api/lib/crud.ts Resource.inZones, and the deliveries, orders,
 * subscriptions and calendar verbs that read a customer themselves). Generating the day's orders is for every zone.
 */
const ZONES: Record<string, string[]> = {
  customers: ['list', 'show', 'create', 'edit'],
  addresses: ['list', 'show', 'create', 'edit', 'delete'],
  subscriptions: ['list', 'show', 'create', 'edit', 'cancel', 'pause', 'resume'],
  orders: ['list', 'show', 'create', 'cancel'],
  'order-items': ['list', 'show'],
  deliveries: ['list', 'show', 'edit', 'confirm', 'fail'],
  // The live map and its event stream (api/modules/field): deliveries, staff and positions of the actor's zones.
  map: ['show'],
};
/**
 * max_amount_paise: the money verbs. Most call assertWithinAmount with the amount they move or cancel (above the
 * limit: 403); approving a refund above it needs a fresh second-factor code instead (refunds.service approvalNeedsCode;
 * ₹2,000 when a grant sets none).
 */
const MONEY: Record<string, string[]> = { invoices: ['void'], payments: ['create'], wallets: ['top-up', 'promo', 'apply'], refunds: ['approve'], disputes: ['credit'] };

/**
 * The conditions a grant of `action` on `resource` may carry: only where a service enforces them, so the matrix never
 * offers a limit the API would ignore. '*' (any resource or action) takes none. step_up fits any named verb that is
 * not a read (the second factor is checked before the route runs).
 */
export function conditionsFor(resource: string, action: string): ConditionKey[] {
  if (resource === '*' || action === '*') return [];
  const out: ConditionKey[] = [];
  if (OWN[resource]?.includes(action)) out.push('own');
  if (ZONES[resource]?.includes(action)) out.push('zones');
  if (MONEY[resource]?.includes(action)) out.push('max_amount_paise');
  if (!READS.has(action)) out.push('step_up');
  return out;
}

/** The pairs the condition tables name, for the test that keeps them to real routes. */
export const conditionTables = { own: OWN, zones: ZONES, max_amount_paise: MONEY };

export const CatalogEntry = z
  .object({
    resource: z.string(),
    actions: z.array(z.object({ action: z.string(), conditions: z.array(z.enum(conditionKeys)) })),
  })
  .openapi('PermissionCatalogEntry');
export type CatalogEntry = z.infer<typeof CatalogEntry>;

// Standard verbs first, in the order a table reads them; named verbs after, alphabetically.
const STANDARD = ['list', 'show', 'create', 'edit', 'delete'];
const actionOrder = (a: string, b: string) => {
  const [i, j] = [STANDARD.indexOf(a), STANDARD.indexOf(b)];
  if (i >= 0 || j >= 0) return (i < 0 ? 99 : i) - (j < 0 ? 99 : j);
  return a.localeCompare(b);
};

/** Every resource with its actions and the conditions each may carry, by resource name. */
export function permissionCatalog(): CatalogEntry[] {
  return [...mounted.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([resource, actions]) => ({
      resource,
      actions: [...actions].sort(actionOrder).map((action) => ({ action, conditions: conditionsFor(resource, action) })),
    }));
}

export const GrantInput = z
  .object({
    resource: z.string().min(1).max(60),
    action: z.string().min(1).max(60),
    conditions: Conditions.nullable().optional(),
  })
  .openapi('PermissionInput');
export type GrantInput = z.infer<typeof GrantInput>;

const invalid = (code: string, message: string) => new AppError(400, code, message);

/**
 * A role's permissions as stored: each pair known to the API (or '*'), each condition where it applies, no pair twice;
 * an empty conditions object is stored as none. Refusals are 400s that name the resource, action or condition.
 */
export function validateGrants(grants: GrantInput[]): Permission[] {
  const seen = new Set<string>();
  return grants.map(({ resource, action, conditions }) => {
    const actions = mounted.get(resource);
    if (resource !== '*' && !actions) throw invalid('unknown_resource', `Unknown resource "${resource}": the API has no such resource.`);
    if (resource === '*' && action !== '*' && ![...mounted.values()].some((a) => a.has(action))) {
      throw invalid('unknown_action', `Unknown action "${action}": no resource of the API has it.`);
    }
    if (actions && action !== '*' && !actions.has(action)) {
      throw invalid('unknown_action', `Unknown action "${action}" on ${resource}: its actions are ${[...actions].sort(actionOrder).join(', ')}.`);
    }
    const key = `${resource} ${action}`;
    if (seen.has(key)) throw invalid('duplicate_permission', `The permission ${action} on ${resource} is listed twice.`);
    seen.add(key);
    const given = Object.keys(conditions ?? {}) as ConditionKey[];
    const allowed = conditionsFor(resource, action);
    for (const c of given) {
      if (!allowed.includes(c)) {
        const where = allowed.length ? `it takes ${allowed.join(', ')}` : 'it takes no conditions';
        throw invalid('condition_not_applicable', `The condition ${c} does not apply to ${action} on ${resource}: ${where}.`);
      }
    }
    return { resource, action, conditions: given.length ? conditions : null };
  });
}

const rupees = (paise: number) => new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' }).format(paise / 100);

/**
 * For a money verb: refuses (403) an amount above the grant's max_amount_paise, naming the limit. A grant without
 * the condition has no limit. Call it with the grant assertCan returned and the amount the verb moves or cancels.
 */
export function assertWithinAmount(permission: Permission, amountPaise: number | bigint): void {
  const limit = (permission.conditions as Conditions | null)?.max_amount_paise;
  if (limit === undefined) return;
  if (BigInt(amountPaise) > BigInt(limit)) {
    throw new AppError(403, 'amount_over_limit', `Your role may ${permission.action} ${permission.resource.replace(/-/g, ' ')} up to ${rupees(limit)} (limit ${limit} paise); this is ${rupees(Number(amountPaise))}.`);
  }
}
