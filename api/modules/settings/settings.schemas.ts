import { z } from '@hono/zod-openapi';
import { gstinProblem, PAN_FORMAT, PHONE_FORMAT, SERIES_PREFIX_FORMAT, UPI_ID_FORMAT } from '../../../shared/supplier.js';
import { settings } from '../../../db/schema/index.js';
import { tableRow } from '../../lib/schemas.js';

// NUL in any text is refused before this, for every route (api/lib/edge.ts).
const line = (label: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `Enter the ${label}.`)
    .max(max, `The ${label} has at most ${max} characters.`);
const upper = () => z.string().trim().toUpperCase();

const prefix = (label: string) =>
  upper().pipe(z.string().regex(SERIES_PREFIX_FORMAT, `The ${label} is 1 to 3 letters or digits, so that an invoice number (e.g. MR/26-27/000123) stays within GST's 16 characters.`));

export const SettingsBody = z
  .object({
    supplier_name: line('business name', 120),
    // Lines as typed in a text box: blank lines and spaces at either end are dropped.
    supplier_address: z
      .string()
      .transform((s) => s.split(/\r?\n/).map((l) => l.trim()).filter(Boolean))
      .pipe(
        z
          .array(z.string().max(100, 'Each address line has at most 100 characters.'))
          .min(1, 'Enter the address.')
          .max(4, 'The address has at most 4 lines.'),
      )
      .transform((lines) => lines.join('\n')),
    supplier_gstin: upper().superRefine((g, ctx) => {
      const problem = gstinProblem(g);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    supplier_pan: upper().pipe(z.string().regex(PAN_FORMAT, 'The PAN is 5 letters, 4 digits and a letter, e.g. AAACM1234A.')),
    supplier_state: line('state', 60),
    supplier_state_code: z.string().trim().regex(/^[0-9]{2}$/, 'The state code is the two digits GST gives the state, e.g. 29 for Karnataka.'),
    supplier_phone: z
      .string()
      .trim()
      .regex(PHONE_FORMAT, 'The phone number is 7 to 20 digits, spaces or dashes, optionally starting with +.'),
    supplier_email: z.string().trim().max(254, 'The email has at most 254 characters.').pipe(z.email({ message: 'Enter a valid email address.' })),
    supplier_upi_id: z
      .string()
      .trim()
      .regex(UPI_ID_FORMAT, 'The UPI id is name@bank, e.g. milkrun@okicici (letters, digits, dot, dash or underscore before the @).'),
    payment_term_days: z
      .number({ message: 'The payment term is a whole number of days.' })
      .int('The payment term is a whole number of days.')
      .min(0, 'The payment term cannot be negative.')
      .max(365, 'The payment term is at most 365 days.'),
    series_taxed: prefix('tax invoice prefix'),
    series_exempt: prefix('bill of supply prefix'),
  })
  .strict()
  .partial()
  .openapi('SettingsPatch');

export type SettingsPatch = z.infer<typeof SettingsBody>;

/** The settings row as GET and PATCH /api/settings answer it. */
export const Settings = tableRow(settings).openapi('Settings');
export type Settings = z.infer<typeof Settings>;
