import { http } from './http';

export interface Permission {
  resource: string;
  action: string;
  conditions: unknown;
}

export interface Me {
  id: string;
  email: string;
  name: string;
  roles: string[];
  permissions: Permission[];
  /** A confirmed second factor (TOTP). */
  totp_enabled?: boolean;
  /** A role requires a second factor and none is confirmed yet: the API answers only enrolment (the Profile page). */
  totp_enrolment_required?: boolean;
  /** The zones the user works in: grants with conditions {zones: true} reach these only. */
  zone_ids?: string[];
}

let current: Promise<Me | null> | null = null;

/** The signed-in user from GET /api/auth/me, fetched once and shared by auth and access control. */
export function getMe(): Promise<Me | null> {
  if (!current) {
    current = http
      .get<Me>('/auth/me')
      .then((res) => res.data)
      .catch((err: { statusCode?: number }) => {
        current = null; // do not remember failures: the next check asks again
        if (err?.statusCode === 401) return null;
        throw err;
      });
  }
  return current;
}

export function setMe(me: Me | null) {
  current = me ? Promise.resolve(me) : null;
}

/**
 * The grant that lets the user do `action` on `resource`, by the API's rule (api/lib/access.ts findPermission: the
 * broadest wins, a grant without conditions before one with), so the UI never offers what the API would refuse.
 */
export function grantFor(me: Me | null, resource: string | undefined, action: string): Permission | undefined {
  // Until the required second factor is set up, the API refuses everything but enrolment: so does the menu.
  if (!me || me.totp_enrolment_required) return undefined;
  const matching = me.permissions.filter((p) => (p.resource === '*' || p.resource === resource) && (p.action === '*' || p.action === action));
  return matching.find((p) => p.conditions == null) ?? matching[0];
}

export function allows(me: Me | null, resource: string | undefined, action: string): boolean {
  return grantFor(me, resource, action) !== undefined;
}
