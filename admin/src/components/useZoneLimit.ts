import { useEffect, useState } from 'react';
import { getMe, grantFor } from '../providers/session';

/**
 * The zones the signed-in user may act in for `action` on `resource` when their grant is limited to own zones
 * (conditions {zones: true}); null when it is not limited, undefined while unknown. A form offers only these zones,
 * so it never offers a choice the API would refuse.
 */
export function useZoneLimit(resource: string, action: string): string[] | null | undefined {
  const [limit, setLimit] = useState<string[] | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    getMe()
      .then((me) => {
        if (!live) return;
        const grant = grantFor(me, resource, action);
        setLimit((grant?.conditions as { zones?: boolean } | null)?.zones ? (me?.zone_ids ?? []) : null);
      })
      .catch(() => live && setLimit(null));
    return () => {
      live = false;
    };
  }, [resource, action]);
  return limit;
}
