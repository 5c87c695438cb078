import { z } from '@hono/zod-openapi';
import { alertKind, alertRules, alerts } from '../../../db/schema/index.js';
import { tableRow } from '../../lib/schemas.js';

const threshold = z.number({ message: 'The threshold is a whole number.' }).int('The threshold is a whole number.').min(0, 'The threshold is 0 or more.').max(100_000_000, 'At most 100,000,000.');
const windowMinutes = z.number({ message: 'The window is a number of minutes.' }).int('The window is whole minutes.').min(1, 'The window is at least 1 minute.').max(10_080, 'The window is at most 7 days (10,080 minutes).');
const name = z.string().trim().min(3, 'A rule name is at least 3 characters.').max(80, 'At most 80 characters.');

export const AlertRuleCreate = z
  .object({ kind: z.enum(alertKind.enumValues, { message: `The kind is one of: ${alertKind.enumValues.join(', ')}.` }), name, threshold, window_minutes: windowMinutes, enabled: z.boolean().optional() })
  .strict();
// The kind stays: a rule that watched errors does not start watching invoices (a new rule does).
export const AlertRuleUpdate = z.object({ name, threshold, window_minutes: windowMinutes, enabled: z.boolean() }).partial().strict();

export const AlertRule = tableRow(alertRules).openapi('AlertRule');
export const Alert = tableRow(alerts).extend({ rule_name: z.string(), kind: z.enum(alertKind.enumValues) }).openapi('Alert');
