import { z } from '@hono/zod-openapi';
import { depots } from '../../../db/schema/index.js';
import { tableRow } from '../../lib/schemas.js';

const zoneIds = z.array(z.uuid({ message: 'Each zone id must be a UUID.' })).max(200, 'At most 200 zones.');

export const DepotCreate = z.object({
  name: z.string().trim().min(1, 'Enter a depot name.').max(120, 'At most 120 characters.'),
  city: z.string().trim().min(1, 'Enter the city.').max(80, 'At most 80 characters.'),
  address: z.string().trim().max(300, 'At most 300 characters.').default(''),
  lat: z.number({ message: 'Latitude is a number.' }).min(6, 'Latitude in India is 6 to 37.5.').max(37.5, 'Latitude in India is 6 to 37.5.'),
  lng: z.number({ message: 'Longitude is a number.' }).min(68, 'Longitude in India is 68 to 97.5.').max(97.5, 'Longitude in India is 68 to 97.5.'),
  is_active: z.boolean().default(true),
  /** The zones this depot serves (each zone has one depot: assigning a zone here moves it from its old depot). */
  zone_ids: zoneIds.optional(),
});
export const DepotUpdate = DepotCreate.partial().extend({ address: z.string().trim().max(300, 'At most 300 characters.').optional(), is_active: z.boolean().optional() });

export const Depot = tableRow(depots).extend({ zone_ids: z.array(z.string()), zone_names: z.array(z.string()) }).openapi('Depot');
