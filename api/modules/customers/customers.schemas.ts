import { z } from '@hono/zod-openapi';
import { addresses, customers } from '../../../db/schema/index.js';
import { Phone, tableRow } from '../../lib/schemas.js';

export const AddressBody = z.object({
  label: z.string().trim().max(40).default('Home'),
  line1: z.string().trim().min(1, 'Enter the house and street.').max(200),
  line2: z.string().trim().max(200).default(''),
  landmark: z.string().trim().max(120).default(''),
  city: z.string().trim().min(1).max(80).default('Bengaluru'),
  pin_code: z.string().trim().regex(/^[1-9]\d{5}$/, 'The PIN code must be 6 digits and not start with 0.'),
  lat: z.number().min(-90, 'Latitude must be between -90 and 90.').max(90, 'Latitude must be between -90 and 90.').nullable().default(null),
  lng: z.number().min(-180, 'Longitude must be between -180 and 180.').max(180, 'Longitude must be between -180 and 180.').nullable().default(null),
  is_default: z.boolean().default(false),
});

export const AddressCreate = AddressBody.extend({ customer_id: z.uuid('Choose a customer.') });
export const AddressUpdate = AddressBody.partial().extend({
  label: z.string().trim().max(40).optional(),
  line2: z.string().trim().max(200).optional(),
  landmark: z.string().trim().max(120).optional(),
  city: z.string().trim().min(1).max(80).optional(),
  lat: AddressBody.shape.lat.unwrap().unwrap().nullable().optional(),
  lng: AddressBody.shape.lng.unwrap().unwrap().nullable().optional(),
  is_default: z.boolean().optional(),
});

const CustomerFields = {
  name: z.string().trim().min(1, 'Enter the customer name.').max(120),
  phone: Phone,
  email: z.email('Enter a valid email.').max(254, 'An email has at most 254 characters.').trim().toLowerCase().nullable().optional(),
  zone_id: z.uuid('Choose a zone.'),
  status: z.enum(['active', 'paused', 'inactive']).default('active'),
  /** The language of their messages (WhatsApp): English, Kannada or Hindi; English when not said. */
  language: z.enum(['en', 'kn', 'hi'], { message: 'The language is en, kn or hi.' }).optional(),
  notes: z.string().max(2000).default(''),
};

export const CustomerCreate = z.object({ ...CustomerFields, address: AddressBody.optional() });
export const CustomerUpdate = z.object({
  ...CustomerFields,
  status: z.enum(['active', 'paused', 'inactive']),
  notes: z.string().max(2000),
}).partial();

// Responses: rows as the API returns them (the admin's types are inferred from these).
export const Customer = tableRow(customers)
  .pick({ id: true, name: true, phone: true, email: true, zone_id: true, status: true, language: true, notes: true, created_at: true, updated_at: true })
  .extend({ zone_name: z.string(), address_count: z.number().int() })
  .openapi('Customer');
export type Customer = z.infer<typeof Customer>;
export const Address = tableRow(addresses).openapi('Address');
export type Address = z.infer<typeof Address>;
