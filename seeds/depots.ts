import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { depots, zones } from '../db/schema/index.js';

// The demo city's depots (real Bengaluru industrial areas) and the zones each one serves: every run starts at its
// zone's depot (the route optimiser needs one) and every zone's stock comes from it.
export const depotData = [
  { name: 'Bengaluru North Depot', city: 'Bengaluru', address: 'Plot 14, 2nd Stage, Peenya Industrial Area, Bengaluru 560058', lat: 13.0285, lng: 77.5197, zones: ['Malleshwaram', 'Indiranagar'] },
  { name: 'Bengaluru South Depot', city: 'Bengaluru', address: 'Shed 7, Bommasandra Industrial Area, Hosur Road, Bengaluru 560099', lat: 12.8156, lng: 77.6955, zones: ['Koramangala', 'HSR Layout', 'BTM Layout', 'Jayanagar', 'JP Nagar'] },
  { name: 'Bengaluru East Depot', city: 'Bengaluru', address: 'No. 3, EPIP Zone, Whitefield, Bengaluru 560066', lat: 12.9784, lng: 77.7285, zones: ['Whitefield'] },
] as const;

/** Creates the demo depots and sets each demo zone's depot_id; returns depot ids by name. */
export async function seedDepots(db: Db): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  await db.transaction(async (tx) => {
    for (const d of depotData) {
      const [row] = await tx.insert(depots).values({ name: d.name, city: d.city, address: d.address, lat: d.lat, lng: d.lng }).returning({ id: depots.id });
      ids[d.name] = row.id;
      for (const zone of d.zones) await tx.update(zones).set({ depot_id: row.id }).where(eq(zones.name, zone));
    }
  });
  return ids;
}
